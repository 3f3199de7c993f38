"""Reads of execution reports shared by pages, API and exports (R-REP-1…4): scoped to what the user may
see (a town only its own jurisdiction, R-ORG-3) and shaped so that a page costs a fixed number of
queries. Pages and API add their own reads here, next to these."""

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse

from bureau.access import staff_of
from bureau.models import Role
from bureau.todo import Line
from permits.models import EmissionLimit
from permits.queries import visible_facilities
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    PartResult,
    ProblemStatus,
    ReportedEmission,
    ReportLead,
    ReportReview,
    ReportVersion,
    ReviewPart,
    ReviewProblem,
    ReviewSample,
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


# The period board and a facility's reports (R-REP-1) ----------------------------------------------------


def receipt_state_expression(today: date):
    """``rules.receipt_state`` in SQL, so the board counts and filters by it in the database (R-REP-1):
    on time when received by the due date, late when after it, missing when the due date has passed with
    nothing received, not yet due otherwise."""
    return Case(
        When(received_on__isnull=False, received_on__lte=F("due_on"), then=Value(rules.ON_TIME)),
        When(received_on__isnull=False, then=Value(rules.LATE)),
        When(due_on__lt=today, then=Value(rules.MISSING)),
        default=Value(rules.NOT_DUE),
        output_field=CharField(),
    )


def latest_due_period(user, today: date) -> rules.Period | None:
    """The period of the latest due date already passed among the reports ``user`` may see (one query):
    what the board opens on when no period is asked for."""
    found = (
        visible_reports(user)
        .filter(due_on__lt=today)
        .order_by("-due_on", "period_type")
        .values_list("period_type", "period_start")
        .first()
    )
    return rules.Period.starting(*found) if found else None


def board_reports(
    user, period: rules.Period, today: date, *, town=None, level=None
) -> QuerySet[ExecutionReport]:
    """The reports of ``period`` that ``user`` may see (R-ORG-3), filtered by town and the permit's
    management level, each annotated with ``receipt`` (its receipt state, in SQL) and the state of its
    latest review and latest notice, with permit, facility and town joined: one query for any page."""
    latest_review = ReportReview.objects.filter(report=OuterRef("pk")).order_by("-round")
    latest_notice = FeedbackNotice.objects.filter(report=OuterRef("pk")).order_by("-issued_on", "-id")
    reports = visible_reports(user).filter(period_type=period.type, period_start=period.start)
    if town:
        reports = reports.filter(facility__town_id=town)
    if level:
        reports = reports.filter(permit__management_level=level)
    return (
        reports.annotate(
            receipt=receipt_state_expression(today),
            review_state=Subquery(latest_review.values("state")[:1]),
            notice_state=Subquery(latest_notice.values("state")[:1]),
        )
        .select_related("permit", "facility__town")
        .order_by("facility__town__code", "facility__name", "id")
    )


def receipt_counts(reports: QuerySet[ExecutionReport]) -> dict[str, int]:
    """应报 and each receipt state of ``reports`` (annotated by ``board_reports``), in one aggregate."""
    return reports.order_by().aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(receipt=state)) for state in rules.RECEIPT_NAMES},
    )


def receipt_totals(by_town: list[dict]) -> dict[str, int]:
    """What ``receipt_counts`` answers, added up from the rows of ``receipt_counts_by_town`` (each
    report is in exactly one town and level), so the board counts its reports once."""
    keys = ("total", *rules.RECEIPT_NAMES)
    return {key: sum(row[key] for row in by_town) for key in keys}


def facility_permits_with_reports(facility) -> list:
    """``facility``'s permits, newest first, with their ending events (for what they owe) and their
    execution reports (two prefetches)."""
    return list(
        facility.permits.order_by("-valid_from", "-id").prefetch_related(
            "events",
            Prefetch("execution_reports", ExecutionReport.objects.order_by("period_end", "period_type")),
        )
    )


def report_detail(user, pk) -> ExecutionReport:
    """One report ``user`` may see (404 alike otherwise) with everything its page shows: versions with
    their emissions and outlets, reviews, notices and leads (five prefetches beyond the report)."""
    report = report_for_user(user, pk)
    prefetch_related_objects(
        [report],
        Prefetch(
            "versions",
            ReportVersion.objects.order_by("number").prefetch_related(
                Prefetch("emissions", ReportedEmission.objects.select_related("outlet"))
            ),
        ),
        Prefetch("reviews", ReportReview.objects.order_by("round")),
        Prefetch("notices", FeedbackNotice.objects.order_by("issued_on", "id")),
        Prefetch("leads", ReportLead.objects.order_by("detected_on", "id")),
    )
    return report


def permit_limits(permit_id) -> dict:
    """The permit's emission limits by (outlet id, pollutant), in one query."""
    return {
        (lim.outlet_id, lim.pollutant): lim
        for lim in EmissionLimit.objects.filter(outlet__permit_id=permit_id)
    }


def visible_samples() -> QuerySet[ReviewSample]:
    """Every sample drawn (bureau sections only: a sample spans every town), with its section and drawer."""
    return (
        ReviewSample.objects.select_related("section", "drawn_by")
        .annotate(drawn=Count("reports"))
        .order_by("-drawn_on", "-id")
    )


def receipt_counts_by_town(reports: QuerySet[ExecutionReport]) -> list[dict]:
    """应报 and each receipt state of ``reports`` per town and management level, in one grouped query."""
    return list(
        reports.order_by()
        .values(
            "facility__town_id", "facility__town__name", "facility__town__code", "permit__management_level"
        )
        .annotate(
            total=Count("pk"),
            **{state: Count("pk", filter=Q(receipt=state)) for state in rules.RECEIPT_NAMES},
        )
        .order_by("facility__town__code", "permit__management_level")
    )


def with_receipt_state(reports: QuerySet[ExecutionReport], today: date) -> QuerySet[ExecutionReport]:
    """``reports`` annotated with ``state``, the SQL twin of ``rules.receipt_state`` (R-REP-1), so a
    filter on it runs in the database; and ``review_state``, the state of the latest review (None
    before any)."""
    latest_review = ReportReview.objects.filter(report=OuterRef("pk")).order_by("-round")
    return reports.annotate(
        state=receipt_state_expression(today),
        review_state=Subquery(latest_review.values("state")[:1]),
    )


def latest_review_of(report: ExecutionReport) -> ReportReview | None:
    """The latest full review of ``report`` (not a re-review of an answer, which only decides the
    notice's problems: their status and decision show on these same problems) with its three parts,
    their results and their problems, in four queries (R-REP-2); None when never reviewed."""
    parts = ReviewPart.objects.select_related("filled_by", "signed_by").prefetch_related(
        Prefetch("results", PartResult.objects.order_by("id")),
        Prefetch("problems", ReviewProblem.objects.order_by("id")),
    )
    return (
        report.reviews.filter(answers__isnull=True)
        .order_by("-round")
        .prefetch_related(Prefetch("parts", parts.order_by("id")))
        .first()
    )


def notices_with_problems(notices: QuerySet[FeedbackNotice]) -> QuerySet[FeedbackNotice]:
    """``notices`` with their report, permit and facility, and their problems in the order of the
    parts (审批科, 生态科, 污防科) with each problem's part, for lists and the PDF (R-REP-3)."""
    return notices.select_related("report__permit", "report__facility").prefetch_related(
        Prefetch("problems", ReviewProblem.objects.select_related("part").order_by("part_id", "id"))
    )


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


def period_counts(start: date, end: date) -> dict[str, int]:
    """What the monthly summary (R-SUM-1, R-REP-1…3) counts of execution reports from ``start`` to
    ``end`` (both included), over the whole district: reports due in the period, first filings received
    in it and those received after their due date, reports due by its end and still not received then,
    reviews completed and feedback notices issued in it. Three queries."""
    counts = ExecutionReport.objects.aggregate(
        due=Count("pk", filter=Q(due_on__range=(start, end))),
        received=Count("pk", filter=Q(received_on__range=(start, end))),
        late=Count("pk", filter=Q(received_on__range=(start, end), received_on__gt=F("due_on"))),
        missing_at_end=Count(
            "pk", filter=Q(due_on__lte=end) & (Q(received_on__isnull=True) | Q(received_on__gt=end))
        ),
    )
    counts["reviews_completed"] = ReportReview.objects.filter(completed_on__range=(start, end)).count()
    counts["notices_issued"] = FeedbackNotice.objects.filter(issued_on__range=(start, end)).count()
    return counts
