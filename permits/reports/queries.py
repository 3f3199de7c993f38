"""Reads of execution reports shared by pages, API and exports (R-REP-1…4): scoped to what the user may
see (a town only its own jurisdiction, R-ORG-3) and shaped so that a page costs a fixed number of
queries. Pages and API add their own reads here, next to these."""

from django.db.models import QuerySet
from django.http import Http404

from permits.queries import visible_facilities
from permits.reports.models import ExecutionReport, FeedbackNotice, ReportReview


def visible_reports(user) -> QuerySet[ExecutionReport]:
    return ExecutionReport.objects.filter(facility__in=visible_facilities(user))


def report_for_user(user, pk) -> ExecutionReport:
    """The report, or 404 alike for "does not exist" and "not in your jurisdiction"."""
    try:
        return visible_reports(user).select_related("permit", "facility__town").get(pk=pk)
    except (ExecutionReport.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该执行报告。") from None


def visible_reviews(user) -> QuerySet[ReportReview]:
    return ReportReview.objects.filter(report__facility__in=visible_facilities(user))


def review_for_user(user, pk) -> ReportReview:
    try:
        return (
            visible_reviews(user)
            .select_related("report__permit", "report__facility__town", "version")
            .get(pk=pk)
        )
    except (ReportReview.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该审核。") from None


def visible_notices(user) -> QuerySet[FeedbackNotice]:
    return FeedbackNotice.objects.filter(report__facility__in=visible_facilities(user))


def notice_for_user(user, pk) -> FeedbackNotice:
    try:
        return (
            visible_notices(user)
            .select_related("report__permit", "report__facility__town", "review")
            .get(pk=pk)
        )
    except (FeedbackNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该反馈意见单。") from None
