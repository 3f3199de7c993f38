"""Reads of execution reports shared by pages, API and exports (R-REP-1…4): scoped to what the user may
see (a town only its own jurisdiction, R-ORG-3) and shaped so that a page costs a fixed number of
queries. Pages and API add their own reads here, next to these."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from bureau.access import staff_of
from bureau.models import Role
from bureau.todo import Line
from permits.queries import visible_facilities
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    PartResult,
    ProblemStatus,
    ReportReview,
    ReviewPart,
    ReviewProblem,
    ReviewState,
)
from permits.reports.services.common import SECTION_NAMES


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
        return visible_reviews(user).select_related("report__permit", "report__facility__town", "version").get(pk=pk)
    except (ReportReview.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该审核。") from None


def visible_notices(user) -> QuerySet[FeedbackNotice]:
    return FeedbackNotice.objects.filter(report__facility__in=visible_facilities(user))


def notice_for_user(user, pk) -> FeedbackNotice:
    try:
        return visible_notices(user).select_related("report__permit", "report__facility__town", "review").get(pk=pk)
    except (FeedbackNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该反馈意见单。") from None


# The review screen, the notices and the reviewer's queue (R-REP-2, R-REP-3) --------------------------------


def review_screen(user, pk) -> ReportReview:
    """One review as its screen shows it (R-REP-2): the report, the version reviewed, the notice it led
    to or answers, and its parts with their results and problems (four queries), or 404 alike for
    "does not exist" and "not in your jurisdiction"."""
    parts = ReviewPart.objects.select_related("section", "filled_by", "signed_by").prefetch_related(
        Prefetch("results", PartResult.objects.order_by("id")),
        Prefetch("problems", ReviewProblem.objects.select_related("decided_by").order_by("id")),
    )
    try:
        return (
            visible_reviews(user)
            .select_related(
                "report__permit", "report__facility__town", "version", "answers", "notice", "opened_by"
            )
            .prefetch_related(Prefetch("parts", parts.order_by("id")))
            .get(pk=pk)
        )
    except (ReportReview.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该审核。") from None


def notice_problems(notice: FeedbackNotice) -> list[ReviewProblem]:
    """Every problem of a notice with its section, its lead to 执法大队 (when escalated) and who
    decided it at re-review, in the order of the sections (one query)."""
    problems = (
        ReviewProblem.objects.filter(notice=notice)
        .select_related("part__section", "lead", "decided_by")
        .order_by("part_id", "id")
    )
    return sorted(problems, key=lambda p: rules.REVIEW_SECTIONS.index(p.part.section_code))


def notice_page(user, pk) -> FeedbackNotice:
    """A notice with its report, facility and signer, or 404 alike for missing and not visible."""
    try:
        return (
            visible_notices(user)
            .select_related("report__permit", "report__facility__town", "review", "issued_by")
            .get(pk=pk)
        )
    except (FeedbackNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该反馈意见单。") from None


def notice_rows(user, state: str = "") -> QuerySet[FeedbackNotice]:
    """The notices ``user`` may see, newest first, with their report and facility and how many problems
    each has and still has open (R-REP-3): one query a page."""
    notices = visible_notices(user)
    if state:
        notices = notices.filter(state=state)
    return (
        notices.select_related("report__permit", "report__facility__town")
        .annotate(
            problem_count=Count("problems", distinct=True),
            open_count=Count("problems", filter=Q(problems__status=ProblemStatus.OPEN), distinct=True),
        )
        .order_by("-issued_on", "-id")
    )


def _part_line(part: ReviewPart, label: str) -> Line:
    report = part.review.report
    what = "复核" if part.review.answers_id else label
    name = SECTION_NAMES[part.section_code]
    return Line(
        kind=f"执行报告·{'待' + what}",
        title=f"待{what}：{report.facility.name} {report.period.label}执行报告（{name}部分）",
        url=reverse("permits:review-detail", args=[part.review_id]),
    )


def review_queue(user, today: date) -> list[Line]:
    """The reviewer's own queue on the home page's 待办 (R-REP-2): for a clerk of 审批科, 生态科 or
    污防科, the open reviews whose part of the section is not yet filled (or, at re-review, not yet
    signed); for the section's head, the parts filled and awaiting 签核; for 审批科 besides, complete
    reviews with problems and no notice yet (待出具反馈意见单) and answered notices under re-review.
    One query (two for 审批科) however many; none for anyone else."""
    staff = staff_of(user)
    code = staff.section.code if staff else None
    if code not in rules.REVIEW_SECTIONS:
        return []
    is_head = staff.role == Role.HEAD
    parts = ReviewPart.objects.filter(
        section_code=code, signed_on__isnull=True, review__state=ReviewState.OPEN
    ).select_related("review__report__facility")
    if is_head:
        parts = parts.filter(Q(filled_at__isnull=False) | Q(review__answers__isnull=False))
    else:
        parts = parts.filter(filled_at__isnull=True)
    lines = [_part_line(p, "签核" if is_head else "审核") for p in parts.order_by("review_id")]
    if code == rules.APPROVAL:
        lines += _approval_lines()
    return lines


def _approval_lines() -> list[Line]:
    """审批科 leads the review: complete first-round reviews with adopted problems and no notice, and
    the re-reviews of answered notices still open (one query)."""
    has_open_problem = Exists(ReviewProblem.objects.filter(review=OuterRef("pk"), status=ProblemStatus.OPEN))
    to_issue = Q(state=ReviewState.COMPLETE, answers__isnull=True, notice__isnull=True) & Q(has_open_problem)
    rereview = Q(state=ReviewState.OPEN, answers__isnull=False)
    lines = []
    for review in (
        ReportReview.objects.annotate(has_open_problem=has_open_problem)
        .filter(to_issue | rereview)
        .select_related("report__facility", "answers")
        .order_by("id")
    ):
        report = review.report
        if review.answers_id is None:
            lines.append(
                Line(
                    kind="执行报告·待出具反馈意见单",
                    title=f"待出具反馈意见单：{report.facility.name} {report.period.label}执行报告",
                    url=reverse("permits:review-detail", args=[review.pk]),
                    is_urgent=True,
                )
            )
        else:
            notice = review.answers
            lines.append(
                Line(
                    kind="执行报告·答复待复核",
                    title=f"答复待复核：{notice.number} {report.facility.name}",
                    url=reverse("permits:review-detail", args=[review.pk]),
                    due_on=notice.due_on,
                    due_provisional=notice.due_provisional,
                )
            )
    return lines
