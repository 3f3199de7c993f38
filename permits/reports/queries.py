"""Reads of execution reports shared by pages, API and exports (R-REP-1…4): scoped to what the user may
see (a town only its own jurisdiction, R-ORG-3) and shaped so that a page costs a fixed number of
queries. Pages and API add their own reads here, next to these."""

from datetime import date

from django.db.models import Case, CharField, F, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.http import Http404

from permits.queries import visible_facilities
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    PartResult,
    ReportReview,
    ReviewPart,
    ReviewProblem,
)


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


def with_receipt_state(reports: QuerySet[ExecutionReport], today: date) -> QuerySet[ExecutionReport]:
    """``reports`` annotated with ``state``, the SQL twin of ``rules.receipt_state`` (R-REP-1), so a
    filter on it runs in the database; and ``review_state``, the state of the latest review (None
    before any)."""
    latest_review = ReportReview.objects.filter(report=OuterRef("pk")).order_by("-round")
    return reports.annotate(
        state=Case(
            When(received_on__isnull=False, received_on__lte=F("due_on"), then=Value(rules.ON_TIME)),
            When(received_on__isnull=False, then=Value(rules.LATE)),
            When(due_on__lt=today, then=Value(rules.MISSING)),
            default=Value(rules.NOT_DUE),
            output_field=CharField(),
        ),
        review_state=Subquery(latest_review.values("state")[:1]),
    )


def latest_review_of(report: ExecutionReport) -> ReportReview | None:
    """The latest review of ``report`` with its three parts, their results and their problems, in four
    queries (R-REP-2); None when the report was never reviewed."""
    parts = ReviewPart.objects.select_related("filled_by", "signed_by").prefetch_related(
        Prefetch("results", PartResult.objects.order_by("id")),
        Prefetch("problems", ReviewProblem.objects.order_by("id")),
    )
    return report.reviews.order_by("-round").prefetch_related(Prefetch("parts", parts.order_by("id"))).first()


def notices_with_problems(notices: QuerySet[FeedbackNotice]) -> QuerySet[FeedbackNotice]:
    """``notices`` with their report, permit and facility, and their problems in the order of the
    parts (审批科, 生态科, 污防科) with each problem's part, for lists and the PDF (R-REP-3)."""
    return notices.select_related("report__permit", "report__facility").prefetch_related(
        Prefetch("problems", ReviewProblem.objects.select_related("part").order_by("part_id", "id"))
    )
