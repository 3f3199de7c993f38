"""What is owed and when (R-REP-1): the bureau's settings, the city's announced dates, the due date of
each period, the reports each permit owes, and the daily check that flags late reports and turns
reports still missing after the grace period into leads for 执法大队."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.urls import reverse

from bureau import calendar, history
from bureau.models import SectionCode, User
from bureau.services import section
from bureau.todo import add_todo, complete_todo, open_keys, sync_todos
from permits import rules as permit_rules
from permits.models import Permit, PermitEvent
from permits.reports import rules
from permits.reports.models import AnnouncedDueDate, ExecutionReport, ReportSettings
from permits.reports.services.common import require_approval

LATE_TODO_PREFIX = "report-late:"
# How far back the daily job makes the reports owed: last year and this one (earlier years are
# recorded by hand or by import, which make their reports as they go).
YEARS_BACK = 1


def report_settings() -> ReportSettings:
    """The bureau's settings row, made with R-REP-1's defaults the first time it is asked for."""
    found, _ = ReportSettings.objects.get_or_create(pk=1)
    return found


def due_policy() -> rules.DuePolicy:
    """The settings and every announced date as the pure rules take them (two queries)."""
    row = report_settings()
    announced = tuple(
        (rules.Period.starting(a.period_type, a.period_start).code, a.due_on)
        for a in AnnouncedDueDate.objects.all()
    )
    return rules.DuePolicy(
        days_after_period=row.days_after_period,
        annual_due=(row.annual_due_month, row.annual_due_day),
        grace_days=row.grace_days,
        announced=announced,
    )


def due_date(
    period: rules.Period, policy: rules.DuePolicy, work: calendar.WorkCalendar | None = None
) -> calendar.WorkdayDate:
    """R-REP-1 with R-CAL-1: the nominal due date, moved to the next working day when it falls on a rest
    day (民法典 第二百零三条: a period whose last day is a holiday ends on the day after it);
    provisional when that day's year is not confirmed. Pass ``work`` to share one calendar (one query
    per year) over many periods."""
    nominal = rules.nominal_due_on(period, policy)
    work = work or calendar.WorkCalendar()
    day = nominal
    while not work.is_workday(day):
        day += timedelta(days=1)
    return calendar.WorkdayDate(day, not work.is_confirmed(day.year))


def covered_until_of(permit: Permit) -> date:
    """The last day a permit covered (for R-REP-1): the end of its validity (``valid_until`` follows
    granted renewals), or the day before it was cancelled, withdrawn or revoked when that came first
    (a permit cancelled after it expired owes nothing more for the cancellation)."""
    ending = [e.occurred_on for e in permit.events.all() if e.kind in permit_rules.ENDING_EVENTS]
    if ending:
        return min(min(ending) - timedelta(days=1), permit.valid_until)
    return permit.valid_until


def owed_periods_of(permit: Permit, *, ended_by: date) -> list[rules.Period]:
    """Every report ``permit`` owes for periods ended by ``ended_by`` (R-REP-1)."""
    return rules.owed_periods(
        report_frequency=permit.report_frequency,
        valid_from=permit.valid_from,
        covered_until=covered_until_of(permit),
        ended_by=ended_by,
    )


def owed_error(permit: Permit, period: rules.Period) -> str | None:
    """Why ``permit`` does not owe the report of ``period``, in Chinese; None when it does."""
    kinds = rules.owed_types(permit.report_frequency)
    name = rules.PERIOD_TYPE_NAMES[period.type]
    if period.type not in kinds:
        owed = "、".join(rules.PERIOD_TYPE_NAMES[k] for k in kinds)
        return f"许可证 {permit.number} 规定提交{owed}执行报告，不需提交{name}执行报告。"
    if not rules.owes(
        period,
        report_frequency=permit.report_frequency,
        valid_from=permit.valid_from,
        covered_until=covered_until_of(permit),
    ):
        return f"{period.label}不在许可证 {permit.number} 的有效期内，该证不需提交这一期的{name}执行报告。"
    return None


def get_or_make_report(
    permit: Permit, period: rules.Period, *, by: User | None, policy=None
) -> ExecutionReport:
    """The report ``permit`` owes for ``period``, made if it is not there yet; ValidationError when the
    permit does not owe it. Locks the row, so receipts and reminders on one report queue up."""
    if error := owed_error(permit, period):
        raise ValidationError({"period": error})
    found = (
        ExecutionReport.objects.select_for_update()
        .filter(permit=permit, period_type=period.type, period_start=period.start)
        .first()
    )
    if found is not None:
        return found
    due = due_date(period, policy or due_policy())
    report = ExecutionReport(
        permit=permit,
        facility_id=permit.facility_id,
        period_type=period.type,
        period_start=period.start,
        period_end=period.end,
        due_on=due.on,
        due_provisional=due.is_provisional,
    )
    return history.save_checked(report, by=by, reason=f"{period.label}执行报告列入应报清单")


def _ending_events():
    return PermitEvent.objects.filter(permit=OuterRef("pk"), kind__in=list(permit_rules.ENDING_EVENTS))


def owing_permits(period: rules.Period):
    """The SQL twin of ``rules.owes`` for one period: permits whose frequency calls for its kind and
    which covered a day of it (validity overlaps; not ended before it began)."""
    frequencies = [f for f, kinds in rules.OWED_BY_FREQUENCY.items() if period.type in kinds]
    ended_on = _ending_events().values("permit").annotate(first=Min("occurred_on")).values("first")
    return (
        Permit.objects.filter(
            report_frequency__in=frequencies, valid_from__lte=period.end, valid_until__gte=period.start
        )
        .annotate(ended_on=Subquery(ended_on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
    )


def window_start(today: date) -> date:
    """The first day of the periods the daily job makes reports for: 1 January of last year."""
    return date(today.year - YEARS_BACK, 1, 1)


def periods_to_make(today: date) -> list[rules.Period]:
    """The periods the daily job makes reports for: those ended by ``today`` since ``window_start``."""
    first = window_start(today)
    found = []
    for type in rules.PERIOD_TYPES:
        period = rules.Period.containing(type, first)
        while period.end < today:
            found.append(period)
            period = period.following()
    return found


def make_owed_reports(*, today: date, batch_size: int = 2000) -> int:
    """R-REP-1: make the report of every period ended before ``today`` (since last year) that a permit
    owes and does not have yet. Per period one query finds the permits still without it, then rows are
    inserted in batches with their history; a fixed number of queries however many permits there are,
    beyond the inserts. Idempotent: what exists is not made again (and the unique constraint holds
    against a concurrent run). Returns the number made."""
    policy = due_policy()
    made = 0
    for period in periods_to_make(today):
        due = due_date(period, policy)
        existing = ExecutionReport.objects.filter(
            permit=OuterRef("pk"), period_type=period.type, period_start=period.start
        )
        missing = owing_permits(period).exclude(Exists(existing)).values_list("pk", "facility_id")
        rows = [
            ExecutionReport(
                permit_id=pk,
                facility_id=facility_id,
                period_type=period.type,
                period_start=period.start,
                period_end=period.end,
                due_on=due.on,
                due_provisional=due.is_provisional,
            )
            for pk, facility_id in missing.iterator(chunk_size=batch_size)
        ]
        for start in range(0, len(rows), batch_size):
            with transaction.atomic():
                history.bulk_create(
                    rows[start : start + batch_size],
                    ExecutionReport,
                    by=None,
                    reason=f"{period.label}执行报告列入应报清单",
                )
        made += len(rows)
    return made


def _late_todo_key(period: rules.Period) -> str:
    return f"{LATE_TODO_PREFIX}{period.code}"


def _late_todo(period: rules.Period, count: int, first_due: date, approval) -> dict:
    """The one 待办 line of ``period``'s late reports for 审批科, linked to the board filtered to them,
    due since the earliest due date among them, as ``add_todo`` and ``sync_todos`` take it."""
    return {
        "key": _late_todo_key(period),
        "title": f"{period.label}执行报告逾期未报 {count} 份，请催报或核实",
        "url": reverse("permits:report-board") + f"?period={period.code}&receipt=missing",
        "section": approval,
        "due_on": first_due,
        "is_urgent": True,
    }


def refresh_late_todo(period: rules.Period, *, today: date) -> None:
    """After a receipt: the period's late line counts what is still missing, or is done when nothing
    is (R-REP-1), without waiting for the next daily run."""
    key = _late_todo_key(period)
    if key not in open_keys(key):
        return
    missing = ExecutionReport.objects.filter(
        received_on__isnull=True, due_on__lt=today, period_type=period.type, period_start=period.start
    ).aggregate(count=Count("id"), first_due=Min("due_on"))
    if missing["count"]:
        add_todo(**_late_todo(period, missing["count"], missing["first_due"], section(SectionCode.APPROVAL)))
    else:
        complete_todo(key=key)


@transaction.atomic
def flag_late_reports(*, today: date) -> dict[str, int]:
    """R-REP-1, daily: reports not received by their due date are flagged (``flagged_on``), and each
    period with any gets one item on 审批科's to-do list, linked to that period's board; an item whose
    period has none left is done. Idempotent: what is flagged is not flagged again. Returns counts of
    ``flagged`` (new today) and ``periods`` with reports missing."""
    missing = ExecutionReport.objects.filter(received_on__isnull=True, due_on__lt=today)
    flagged = history.update_in_chunks(
        missing.filter(flagged_on__isnull=True),
        values={"flagged_on": today},
        by=None,
        reason="截止日期已过，尚未收到",
    )
    by_period = {
        (row["period_type"], row["period_start"]): (row["count"], row["first_due"])
        for row in missing.order_by()
        .values("period_type", "period_start")
        .annotate(count=Count("id"), first_due=Min("due_on"))
    }
    approval = section(SectionCode.APPROVAL)
    sync_todos(
        prefix=LATE_TODO_PREFIX,
        items=[
            _late_todo(rules.Period.starting(period_type, period_start), count, first_due, approval)
            for (period_type, period_start), (count, first_due) in sorted(by_period.items())
        ],
    )
    return {"flagged": flagged, "periods": len(by_period)}


def check_reports_due(*, today: date) -> dict[str, int]:
    """The daily execution-report job (R-REP-1, R-REP-4): make what is owed, flag what is late, record
    missing-report leads after the grace period and procedural problems left open after their notice's
    time limit, and hand every open lead to 执法大队. Running it twice creates nothing twice."""
    from permits.reports.services import leads  # leads reads the settings from here

    counts = {"made": make_owed_reports(today=today)}
    counts.update(flag_late_reports(today=today))
    counts["missing_leads"] = leads.record_missing_report_leads(today=today)
    counts["problem_leads"] = leads.escalate_overdue_problems(today=today)
    counts["handed_over"] = leads.hand_over_open_leads(today=today)
    return counts


@transaction.atomic
def update_report_settings(*, by: User, **values) -> ReportSettings:
    """Change the bureau's report settings (R-REP-1); the due dates of reports not yet received follow.
    审批科 or the administrator; ValidationError per field in Chinese, nothing written then."""
    require_approval(by)
    row = ReportSettings.objects.select_for_update().get(pk=report_settings().pk)
    for name, value in values.items():
        if name not in {
            "days_after_period",
            "annual_due_month",
            "annual_due_day",
            "grace_days",
            "leads_from",
            "feedback_workdays",
            "contact",
        }:
            raise ValidationError({name: "没有这一设置项。"})
        setattr(row, name, value)
    try:
        date(2001, row.annual_due_month, row.annual_due_day)
    except (TypeError, ValueError):
        raise ValidationError({"annual_due_day": "年度报告截止日不是有效的日期。"}) from None
    history.save_checked(row, by=by, reason="修改执行报告设置")
    redate_unreceived(by=by)
    return row


@transaction.atomic
def announce_due_date(*, by: User, period: rules.Period, due_on: date, notice: str) -> AnnouncedDueDate:
    """Record the city's due date for one period (R-REP-1; 003 第五条 按照市级管理部门安排的时间节点): it
    replaces the default for every report of that period not yet received. 审批科 only."""
    require_approval(by)
    if not notice.strip():
        raise ValidationError({"notice": "请填写市级通知的名称或文号。"})
    if due_on <= period.end:
        raise ValidationError({"due_on": f"截止日期应在报告期（{period.label}）结束之后。"})
    found = (
        AnnouncedDueDate.objects.select_for_update()
        .filter(period_type=period.type, period_start=period.start)
        .first()
    )
    row = found or AnnouncedDueDate(period_type=period.type, period_start=period.start)
    row.due_on, row.notice = due_on, notice.strip()
    history.save_checked(row, by=by, reason=f"市级公布{period.label}执行报告截止日期")
    redate_unreceived(by=by, period=period)
    return row


def redate_unreceived(*, by: User | None, period: rules.Period | None = None) -> int:
    """Recompute the due dates of reports not yet received (of one period, or all) after the settings,
    an announced date or the calendar changed; a received report keeps the date it was judged by."""
    policy = due_policy()
    reports = ExecutionReport.objects.filter(received_on__isnull=True)
    if period is not None:
        reports = reports.filter(period_type=period.type, period_start=period.start)
    changed = 0
    pairs = reports.values_list("period_type", "period_start").distinct()
    for period_type, period_start in list(pairs):
        period = rules.Period.starting(period_type, period_start)
        due = due_date(period, policy)
        changed += history.update_in_chunks(
            reports.filter(period_type=period_type, period_start=period_start).exclude(
                due_on=due.on, due_provisional=due.is_provisional
            ),
            values={"due_on": due.on, "due_provisional": due.is_provisional, "flagged_on": None},
            by=by,
            reason=f"截止日期重新计算为 {due.on:%Y-%m-%d}{'（暂定）' if due.is_provisional else ''}（设置、市级通知或工作日历变化）",
        )
    return changed


def recompute_provisional_due_dates(*, year: int, by: User | None) -> int:
    """R-CAL-1: once ``year`` is confirmed, provisional due dates of reports not yet received are
    computed again (a received report keeps the date it was judged by)."""
    if not ExecutionReport.objects.filter(due_provisional=True, received_on__isnull=True).exists():
        return 0
    return redate_unreceived(by=by)
