"""What goes to 执法大队 from execution reports (R-REP-1, R-REP-4): a report still missing after the
grace period (002 十四: 未按规定提交排污许可证执行报告), a substantive problem as soon as the notice
tells it, and a procedural problem still open after the notice's time limit. Each is one
``ReportLead`` (unique per report, or per problem), handed at once to 三监联动 through
``bureau.leads`` (``linkage`` registers the receiver that starts the task with the notice or the
report as its source); the daily job hands over whatever is still open. Running anything twice never
records a second lead, and so never starts a second task."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from bureau import history, leads
from permits.queries import facility_code
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    LeadKind,
    NoticeState,
    ProblemStatus,
    ReportLead,
    ReviewProblem,
)
from permits.reports.services.due import report_settings

LEAD_KIND = "permits.report_lead"


def _hand_over(lead: ReportLead, today: date) -> str | None:
    return leads.hand_over(LEAD_KIND, pk=lead.pk, today=today)


def _problem_summary(problem: ReviewProblem) -> str:
    notice = problem.notice
    report = notice.report
    why = (
        "属实质性问题（未按证排污等），依 003 第五条立即移交"
        if problem.problem_class == rules.SUBSTANTIVE
        else f"属程序性问题，整改期限 {notice.due_on:%Y-%m-%d} 已过仍未整改"
    )
    return (
        f"{report.facility.name}（{facility_code(report.facility)}）{report.period.label}执行报告"
        f"「{problem.point_name}」：{problem.description}（{notice.number}；{why}）"
    )[:500]


@transaction.atomic
def escalate_problem(*, problem: ReviewProblem, today: date) -> ReportLead:
    """R-REP-4: record the lead of one problem and hand it over at once. Idempotent: the problem's lead,
    if any, is returned (and handed over if it was not yet)."""
    # Locked alone: PostgreSQL locks no row on the nullable side of the join to the notice.
    problem = (
        ReviewProblem.objects.select_for_update(of=("self",))
        .select_related("part", "notice__report__facility")
        .get(pk=problem.pk)
    )
    lead = ReportLead.objects.filter(problem=problem).first()
    if lead is None:
        lead = ReportLead(
            kind=LeadKind.PROBLEM,
            report=problem.notice.report,
            problem=problem,
            facility=problem.notice.report.facility,
            detected_on=today,
            summary=_problem_summary(problem),
        )
        history.save(lead, by=None, reason="执行报告问题移交执法大队")
    if not lead.task_number:
        _hand_over(lead, today)
        lead.refresh_from_db()
    return lead


def escalate_overdue_problems(*, today: date) -> int:
    """R-REP-4, daily: a problem not corrected in time is escalated: still open after its notice's time
    limit with no answer yet, or answered after the time limit, or kept open at re-review. An answer
    given in time that the sections have not yet re-reviewed is not the facility's delay. Returns the
    number escalated."""
    late = (
        Q(notice__state=NoticeState.ISSUED)
        | Q(decided_on__isnull=False)
        | Q(notice__answers__received_on__gt=F("notice__due_on"))
    )
    overdue = (
        ReviewProblem.objects.filter(
            status=ProblemStatus.OPEN, notice__isnull=False, notice__due_on__lt=today, lead__isnull=True
        )
        .filter(late)
        .distinct()
    )
    count = 0
    for problem in overdue.order_by("pk"):
        escalate_problem(problem=problem, today=today)
        count += 1
    return count


def record_missing_report_leads(*, today: date) -> int:
    """R-REP-1, daily: every report still not received after its due date plus the bureau's grace period
    gets its one missing-report lead (002 十四), except those due before the bureau's 线索起算日期 (the
    backlog from before the system, which would otherwise reach 执法大队 all at once on the first run). One query finds them; the unique constraint keeps a
    concurrent run from recording one twice. Returns the number recorded."""
    settings_row = report_settings()
    grace = settings_row.grace_days
    reports = (
        ExecutionReport.objects.filter(received_on__isnull=True, due_on__lte=rules.lead_cutoff(today, grace))
        .filter(due_on__gte=settings_row.leads_from or date.min)
        .exclude(leads__kind=LeadKind.MISSING)
        .select_related("facility", "permit")
    )
    rows = [
        ReportLead(
            kind=LeadKind.MISSING,
            report=report,
            facility=report.facility,
            detected_on=today,
            summary=(
                f"{report.facility.name}（{facility_code(report.facility)}）许可证 {report.permit.number} "
                f"{report.period.label}执行报告截止 {report.due_on:%Y-%m-%d}，逾期 {grace} 天宽限期后仍未提交"
                "（002 十四：未按规定提交排污许可证执行报告；初次且危害后果轻微并及时改正的，依法可以不予行政处罚）"
            )[:500],
        )
        for report in reports.iterator(chunk_size=2000)
    ]
    count = 0
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        try:
            with transaction.atomic():
                history.bulk_create(batch, ReportLead, by=None, reason=MISSING_REASON)
            count += len(batch)
        except IntegrityError:
            count += _record_one_by_one(batch)  # a concurrent run recorded some of them
    return count


MISSING_REASON = "逾期未报执行报告线索"


def _record_one_by_one(rows: list[ReportLead]) -> int:
    count = 0
    for row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                history.save(row, by=None, reason=MISSING_REASON)
        except IntegrityError:
            continue  # recorded by a concurrent run
        count += 1
    return count


def hand_over_open_leads(*, today: date, chunk: int = 2000) -> int:
    """Hand every lead not yet taken over to its receiver, ``chunk`` leads a transaction; returns how
    many were taken over."""
    pks = list(ReportLead.objects.filter(task_number="").order_by("pk").values_list("pk", flat=True))
    count = 0
    for start in range(0, len(pks), chunk):
        count += len(leads.hand_over_many(LEAD_KIND, pks=pks[start : start + chunk], today=today))
    return count


def lock_open_leads(pks: list[int]) -> list[ReportLead]:
    """The leads ``pks``, locked in key order (two runs never wait on each other crosswise), with what
    a task description needs; for the receiver."""
    return list(
        ReportLead.objects.select_for_update(of=("self",))
        .select_related("facility", "report__permit", "problem__notice", "problem__part__section")
        .filter(pk__in=pks)
        .order_by("pk")
    )


def mark_leads_handed_over(*, leads: list[ReportLead], on: date, task_numbers: dict[int, str]) -> None:
    """The receiver records which task took each lead over (``task_numbers`` by lead), in bulk, each
    lead with its history row (which holds the task's number)."""
    for lead in leads:
        lead.task_number, lead.handed_over_on = task_numbers[lead.pk], on
    history.bulk_update(leads, ["task_number", "handed_over_on"], by=None, reason="移交三监联动任务")
