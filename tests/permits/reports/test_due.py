"""The daily due check (R-REP-1, R-REP-4) through the services: the reports owed are made, late ones
flagged with one 待办 per period for 审批科, a report still missing after the grace period becomes a
lead that 执法大队 receives as a linkage task, and a second run creates nothing."""

from datetime import date, timedelta

import pytest

from bureau.models import TodoItem
from linkage.models import LinkageTask
from permits.models import ExecutionReport, LeadKind, ReportLead
from permits.reports import rules
from permits.reports.rules import MONTH, Period
from permits.reports.services import due, receipts
from tests.factories.permits import FacilityFactory, PermitEventFactory, PermitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 20))]

TODAY = date(2026, 5, 20)


@pytest.fixture
def monthly(town_a, work_calendar):
    """Two monthly permits issued on 1 January 2026: they owe January to April by 20 May."""
    return [
        PermitFactory(
            facility=FacilityFactory(town=town_a, management_level="key"),
            issued_on=date(2026, 1, 1),
            report_frequency="monthly",
        )
        for _ in range(2)
    ]


def receive(by, permit, period, received_on):
    return receipts.record_receipt(
        by=by, permit=permit, period=period, received_on=received_on, today=TODAY
    ).report


def owed_rows():
    return {
        (r.permit_id, Period.starting(r.period_type, r.period_start)) for r in ExecutionReport.objects.all()
    }


def test_r_rep_1_the_daily_check_makes_every_report_owed_and_no_other(
    town_a, work_calendar, approval_clerk, today
):
    # given: one permit of each frequency, one cancelled, one expired long ago
    permits = [
        PermitFactory(
            facility=FacilityFactory(town=town_a), issued_on=date(2026, 1, 1), report_frequency="monthly"
        ),
        PermitFactory(
            facility=FacilityFactory(town=town_a), issued_on=date(2025, 8, 15), report_frequency="quarterly"
        ),
        PermitFactory(
            facility=FacilityFactory(town=town_a), issued_on=date(2024, 7, 1), report_frequency="annual"
        ),
        PermitFactory(
            facility=FacilityFactory(town=town_a), issued_on=date(2023, 3, 1), report_frequency="quarterly"
        ),
        PermitFactory(
            facility=FacilityFactory(town=town_a), valid_until=date(2024, 6, 30), report_frequency="monthly"
        ),
    ]
    PermitEventFactory(permit=permits[3], kind="cancellation", occurred_on=date(2025, 7, 1))
    # when
    counts = due.check_reports_due(today=today)
    # then: what the rules say each permit owes, for the periods since 1 January last year
    expected = set()
    for permit in permits:
        for period in due.owed_periods_of(permit, ended_by=today - timedelta(days=1)):
            if period.start >= date(2025, 1, 1):
                expected.add((permit.pk, period))
    assert owed_rows() == expected
    # monthly: January–April 2026; quarterly: Q3 2025–Q1 2026 and 2025; annual: 2025 (2024 is before the
    # job's range); cancelled on 1 July 2025: Q1, Q2 and 2025; expired in 2024: nothing
    assert counts["made"] == len(expected) == 4 + 4 + 1 + 3 + 0
    policy = due.due_policy()
    for report in ExecutionReport.objects.all():
        assert report.due_on == due.due_date(report.period, policy).on
        assert report.period_end < today


def test_r_rep_1_late_reports_are_flagged_with_one_todo_per_period_for_approval(
    monthly, approval_clerk, today
):
    # given: January received from both, February from one
    for permit in monthly:
        receive(approval_clerk, permit, Period(MONTH, 2026, 1), date(2026, 2, 10))
    receive(approval_clerk, monthly[0], Period(MONTH, 2026, 2), date(2026, 3, 20))  # late
    # when
    counts = due.check_reports_due(today=today)
    # then: February (one), March and April (two each) are missing and flagged today
    flagged = ExecutionReport.objects.filter(flagged_on=today)
    assert counts["flagged"] == flagged.count() == 5
    assert {r.period.code for r in flagged} == {"2026-02", "2026-03", "2026-04"}
    assert all(r.receipt_state(today) == rules.MISSING for r in flagged)
    items = TodoItem.objects.filter(key__startswith=due.LATE_TODO_PREFIX, done_at__isnull=True).order_by(
        "key"
    )
    assert [(i.key, i.section.code, i.is_urgent) for i in items] == [
        ("report-late:2026-02", "approval", True),
        ("report-late:2026-03", "approval", True),
        ("report-late:2026-04", "approval", True),
    ]
    assert "2026年3月执行报告逾期未报 2 份" in items[1].title
    assert "period=2026-03&receipt=missing" in items[1].url
    # when February's last report comes in, its 待办 is done at the next run
    receive(approval_clerk, monthly[1], Period(MONTH, 2026, 2), date(2026, 5, 19))
    due.check_reports_due(today=today + timedelta(days=1))
    assert TodoItem.objects.get(key="report-late:2026-02").done_at is not None
    assert TodoItem.objects.get(key="report-late:2026-03").done_at is None


def test_r_rep_1_a_report_missing_after_the_grace_period_becomes_a_task_for_enforcement(
    monthly, approval_clerk, officer
):
    # given: everything received but one permit's March report
    permit = monthly[0]
    for number in (1, 2, 4):
        receive(approval_clerk, permit, Period(MONTH, 2026, number), date(2026, number + 1, 10))
    receive(approval_clerk, monthly[1], Period(MONTH, 2026, 1), date(2026, 2, 10))
    march = due.get_or_make_report(permit, Period(MONTH, 2026, 3), by=None)
    lead_day = rules.lead_due_on(march.due_on, rules.DEFAULT_GRACE_DAYS)
    assert lead_day == march.due_on + timedelta(days=31)
    # when: the day before the grace period is over, then the day after
    due.check_reports_due(today=lead_day - timedelta(days=1))
    assert not ReportLead.objects.filter(report=march).exists()
    counts = due.check_reports_due(today=lead_day)
    # then: one lead, handed to 执法大队 as a linkage task started by the system for 审批科
    lead = ReportLead.objects.get(report=march)
    assert (lead.kind, lead.detected_on, lead.facility) == (LeadKind.MISSING, lead_day, permit.facility)
    assert "2026年3月执行报告" in lead.summary and "逾期 30 天宽限期后仍未提交" in lead.summary
    task = LinkageTask.objects.get(source_key=lead.source_key)
    assert lead.task_number == task.number and lead.handed_over_on == lead_day
    assert (task.source_kind, task.initiator.code, task.started_on) == ("report_review", "approval", lead_day)
    assert list(task.assignments.values_list("section__code", flat=True)) == ["enforcement"]
    assert counts["missing_leads"] >= 1 and counts["handed_over"] == counts["missing_leads"]


def test_r_rep_1_the_grace_period_is_the_bureau_setting(monthly, approval_clerk, today):
    # given: only the first permit, with February, March and April missing
    receive(approval_clerk, monthly[0], Period(MONTH, 2026, 1), date(2026, 2, 10))
    for number in (1, 2, 3, 4):
        receive(approval_clerk, monthly[1], Period(MONTH, 2026, number), date(2026, number + 1, 10))
    due.update_report_settings(by=approval_clerk, grace_days=60)
    # when
    due.check_reports_due(today=today)
    # then: with 60 days of grace only February is a lead on 20 May (due 16 March, a Monday)
    leads = ReportLead.objects.filter(kind=LeadKind.MISSING)
    assert [lead.report.period.code for lead in leads] == ["2026-02"]
    assert leads.get().report.due_on == date(2026, 3, 16)
    # with the default 30 days March would have been one too (due 15 April)
    assert rules.lead_due_on(date(2026, 4, 15), 30) <= today < rules.lead_due_on(date(2026, 4, 15), 60)


def test_r_rep_1_running_the_daily_check_twice_creates_nothing_twice(monthly, approval_clerk, today):
    # given
    receive(approval_clerk, monthly[0], Period(MONTH, 2026, 1), date(2026, 2, 10))
    first = due.check_reports_due(today=today)
    assert first["made"] and first["flagged"] and first["missing_leads"] and first["handed_over"]

    def snapshot():
        return (
            ExecutionReport.objects.count(),
            ExecutionReport.history.count(),
            ReportLead.objects.count(),
            LinkageTask.objects.count(),
            TodoItem.objects.count(),
        )

    before = snapshot()
    # when
    second = due.check_reports_due(today=today)
    # then
    assert snapshot() == before
    assert second == {
        "made": 0,
        "flagged": 0,
        "periods": first["periods"],
        "missing_leads": 0,
        "problem_leads": 0,
        "handed_over": 0,
    }
