"""The monthly summary of permit enforcement work (R-SUM-1, 001 二: 每月3日前将上月排污许可执法监管工作情况
汇总报送): its calendar (pure rules), its figures against counts made here, preparing and sending, the
daily job, who may do what, query budgets, and the PDF."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from bureau.errors import Conflict
from bureau.models import TodoItem
from bureau.todo import todos_for
from complaints.models import Complaint
from inspections.models import Case, CaseDecision, CheckMode, Finding, Inspection
from linkage.models import LinkageTask, TaskState
from permits.models import RectificationItem
from permits.reports.models import ExecutionReport, PeriodType
from reports import rules, summary
from reports.models import Summary, SummaryState
from reports.tasks import prepare_monthly_summary
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitFactory

TODAY = date(2026, 12, 1)  # a Tuesday, the first working day of December 2026
NOVEMBER = (2026, 11)


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


# Pure rules (no database) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "bounds"),
    [
        (2026, 11, (date(2026, 11, 1), date(2026, 11, 30))),
        (2026, 12, (date(2026, 12, 1), date(2026, 12, 31))),
        (2024, 2, (date(2024, 2, 1), date(2024, 2, 29))),
        (2026, 2, (date(2026, 2, 1), date(2026, 2, 28))),
        (2026, 0, (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_r_sum_1_month_bounds(year, month, bounds):
    assert rules.month_bounds(year, month) == bounds


def test_r_sum_1_month_bounds_refuses_a_thirteenth_month():
    with pytest.raises(ValueError, match="月份应为"):
        rules.month_bounds(2026, 13)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 12, 1), (2026, 11)), (date(2026, 1, 4), (2025, 12)), (date(2026, 3, 31), (2026, 2))],
)
def test_r_sum_1_previous_month(day, expected):
    assert rules.previous_month(day) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 11, date(2026, 12, 3)),
        (2026, 12, date(2027, 1, 3)),
        (2026, 0, date(2027, 1, 3)),  # the year-end summary goes with December's
        (2026, 9, date(2026, 10, 3)),  # in the National Day holiday: the text's day stands
    ],
)
def test_r_sum_1_send_by_the_third_of_the_next_month(year, month, expected):
    assert rules.send_by(year, month) == expected


def test_r_sum_1_first_workday_skips_the_weekend():
    # 2026-11-01 is a Sunday
    assert rules.first_workday_of_month(2026, 11, weekdays_only) == date(2026, 11, 2)


def test_r_sum_1_first_workday_follows_the_calendar_given():
    holidays = {date(2026, 10, day) for day in range(1, 8)}
    assert rules.first_workday_of_month(2026, 10, lambda d: weekdays_only(d) and d not in holidays) == date(
        2026, 10, 8
    )


@pytest.mark.parametrize(
    ("sent_on", "problem"),
    [
        (date(2026, 11, 30), "不能早于统计期结束"),
        (date(2026, 11, 15), "不能早于统计期结束"),
        (date(2026, 12, 2), "不能晚于今天"),
        (date(2026, 12, 1), None),
    ],
)
def test_r_sum_1_sending_date_after_the_period_and_not_in_the_future(sent_on, problem):
    found = rules.sent_on_problem(2026, 11, sent_on=sent_on, today=TODAY)
    assert (found is None) if problem is None else (problem in found)


def test_r_sum_1_a_period_not_ended_cannot_be_summarised():
    assert "尚未结束" in rules.period_problem(2026, 12, today=TODAY)
    assert "尚未结束" in rules.period_problem(2026, 0, today=TODAY)
    assert rules.period_problem(2026, 11, today=TODAY) is None
    assert rules.period_problem(2025, 0, today=TODAY) is None


@pytest.mark.parametrize(
    ("sent_on", "today", "line"),
    [
        (None, date(2026, 12, 2), "应于 2026-12-03 前报送"),
        (None, date(2026, 12, 6), "应于 2026-12-03 前报送，已逾期 3 天"),
        (date(2026, 12, 3), date(2026, 12, 9), "应于 2026-12-03 前报送，2026-12-03 已报送"),
        (date(2026, 12, 4), date(2026, 12, 9), "应于 2026-12-03 前报送，2026-12-04 已报送（逾期）"),
    ],
)
def test_r_sum_1_due_line(sent_on, today, line):
    assert rules.due_line(2026, 11, sent_on=sent_on, today=today) == line


def test_r_sum_1_is_late_only_after_the_third():
    assert not rules.is_late(2026, 11, sent_on=None, today=date(2026, 12, 3))
    assert rules.is_late(2026, 11, sent_on=None, today=date(2026, 12, 4))
    assert not rules.is_late(2026, 11, sent_on=date(2026, 12, 2), today=date(2026, 12, 20))


def test_r_sum_1_recent_months_cross_the_year():
    assert rules.recent_months(date(2026, 2, 10), 3) == [(2026, 1), (2025, 12), (2025, 11)]


def test_r_sum_1_period_labels():
    assert rules.period_label(2026, 11) == "2026年11月"
    assert rules.period_label(2026, 0) == "2026年度"


# With the database -------------------------------------------------------------------------------------


@pytest.fixture
def officers(officer):
    second = StaffFactory(username="enforcement2", section_code="enforcement", certificate_no="31010720002")
    return [officer, second.user]


def _case(facility, n, by, *, opened_on, decision="", decided_on=None, amount=None):
    return Case.objects.create(
        number=f"AJ-{n}",
        year=opened_on.year,
        sequence=n,
        facility=facility,
        opened_on=opened_on,
        summary="超标排放",
        opened_by=by,
        decision=decision,
        decided_on=decided_on,
        penalty_amount=amount,
        state="decided" if decision else "investigating",
    )


def _report(permit, month, *, due_on, received_on):
    """A monthly report of 2026's ``month`` (each report its own month: one per permit and period)."""
    return ExecutionReport.objects.create(
        permit=permit,
        facility=permit.facility,
        period_type=PeriodType.MONTH,
        period_start=date(2026, month, 1),
        period_end=date(2026, month, 28),
        due_on=due_on,
        received_on=received_on,
    )


@pytest.fixture
def district(town_a, approval_clerk, officers):
    """November 2026 and the months around it: two signed inspections in November (one remote) with a
    finding set for rectification and one in October; cases, linkage tasks, complaints and execution
    reports inside and outside November."""
    plant = FacilityFactory(n=1, town=town_a, management_level="key", by=approval_clerk)
    permit = PermitFactory(facility=plant, by=approval_clerk, issued_on=date(2024, 1, 10))
    # Inspections: 11-10 on site with a finding to rectify; 11-20 remote; 10-28 outside November.
    with_finding = signed(start(plant, officers, on=date(2026, 11, 10)), officers, 二_5=NONCOMPLIANT_RECTIFY)
    remote = signed(start(plant, officers, on=date(2026, 11, 20)), officers)
    Inspection.objects.filter(pk=remote.pk).update(mode=CheckMode.REMOTE)
    signed(start(plant, officers, on=date(2026, 10, 28)), officers)
    # Cases: opened in November, decided with a fine in November, decided in December (outside).
    _case(plant, 1, officers[0], opened_on=date(2026, 11, 12))
    _case(
        plant,
        2,
        officers[0],
        opened_on=date(2026, 9, 1),
        decision=CaseDecision.PENALTY,
        decided_on=date(2026, 11, 25),
        amount=Decimal("50000.00"),
    )
    _case(
        plant,
        3,
        officers[0],
        opened_on=date(2026, 10, 1),
        decision=CaseDecision.NO_PENALTY,
        decided_on=date(2026, 12, 1),
    )
    # The ledger: the finding's item (found 11-10); an older item closed in November; an overdue one.
    item = Finding.objects.get(inspection=with_finding).rectification
    older = RectificationItem.objects.filter(pk=item.pk).values().first()
    for key in ("id", "closed_on", "source_key"):
        older.pop(key)
    RectificationItem.objects.create(
        **{
            **older,
            "found_on": date(2026, 9, 1),
            "deadline_on": date(2026, 10, 1),
            "closed_on": date(2026, 11, 5),
        }
    )
    RectificationItem.objects.create(
        **{**older, "found_on": date(2026, 8, 1), "deadline_on": date(2026, 9, 1), "closed_on": None}
    )
    # Linkage: started 11-03 (open, overdue by the end), started 10-15 and closed 11-16, started 12-01.
    for started_on in (date(2026, 11, 3), date(2026, 10, 15), date(2026, 12, 1)):
        LinkageTaskFactory(started_on=started_on, facility=plant)
    tasks = LinkageTask.objects.order_by("started_on")
    LinkageTask.objects.filter(pk=tasks[0].pk).update(state=TaskState.CLOSED, closed_on=date(2026, 11, 16))
    LinkageTask.objects.filter(started_on=date(2026, 11, 3)).update(deadline_on=date(2026, 11, 20))
    # Complaints: two received in November (one closed there), one in October.
    for received_on in (date(2026, 11, 2), date(2026, 11, 28), date(2026, 10, 30)):
        ComplaintFactory(received_on=received_on, by=officers[0])
    Complaint.objects.filter(received_on=date(2026, 11, 2)).update(closed_on=date(2026, 11, 20))
    # Execution reports: due 11-15 received 11-10; due 11-15 received late 11-20; due 11-15 missing;
    # due 10-15 received 10-10 (outside).
    _report(permit, 10, due_on=date(2026, 11, 16), received_on=date(2026, 11, 10))
    _report(permit, 9, due_on=date(2026, 11, 16), received_on=date(2026, 11, 20))
    _report(permit, 8, due_on=date(2026, 11, 16), received_on=None)
    _report(permit, 7, due_on=date(2026, 10, 15), received_on=date(2026, 10, 10))
    return plant


pytestmark = pytest.mark.today(TODAY)


@pytest.mark.django_db
def test_r_sum_1_figures_match_independent_counts_and_leave_out_other_months(district):
    # when
    with CaptureQueriesContext(connection) as counted:
        found = summary.figures(*NOVEMBER)
    # then: nine queries (inspections, findings, cases, ledger, linkage, complaints, reports, reviews,
    # notices), and each figure what the fixture put in November
    assert len(counted) == 9
    november = (date(2026, 11, 1), date(2026, 11, 30))
    assert found["inspections"] == {
        "total": Inspection.objects.filter(inspected_on__range=november, state="signed").count(),
        "on_site": 1,
        "remote": 1,
    }
    assert found["inspections"]["total"] == 2
    assert found["findings"]["total"] == Finding.objects.filter(found_on__range=november).count() == 1
    assert found["findings"]["rectification"] == 1
    assert found["cases"] == {
        "opened": 1,
        "penalty": 1,
        "no_penalty": 0,
        "transfer": 0,
        "penalty_amount": "50000.00",
    }
    # the finding's item is due ten working days after 11-10 (11-24): overdue at the end, as the older one
    assert found["rectification"] == {"found": 1, "closed": 1, "open_at_end": 2, "overdue_at_end": 2}
    assert found["linkage"] == {"started": 1, "closed": 1, "open_at_end": 1, "overdue_at_end": 1}
    assert found["complaints"] == {"received": 2, "answered": 0, "closed": 1, "open_at_end": 2}
    assert found["reports"] == {
        "due": 3,
        "received": 2,
        "late": 1,
        "missing_at_end": 1,
        "reviews_completed": 0,
        "notices_issued": 0,
    }


@pytest.mark.django_db
def test_r_sum_1_preparing_twice_replaces_the_draft(district, approval_clerk):
    # given
    first = summary.prepare(year=2026, month=11, by=None)
    ComplaintFactory(received_on=date(2026, 11, 29))
    # when
    again = summary.prepare(year=2026, month=11, by=approval_clerk)
    # then: one draft, version 1, counted again, prepared by the clerk now
    assert Summary.objects.filter(year=2026, month=11).count() == 1
    assert (again.pk, again.version, again.state) == (first.pk, 1, SummaryState.DRAFT)
    assert again.figures["complaints"]["received"] == first.figures["complaints"]["received"] + 1 == 3
    assert again.prepared_by == approval_clerk
    assert again.history.first().history_change_reason.startswith("重新生成")


@pytest.mark.django_db
def test_r_sum_1_a_sent_summary_is_kept_and_a_new_draft_gets_the_next_version(district, approval_clerk):
    # given: November's summary sent on 2 December
    sent = summary.prepare(year=2026, month=11, by=None)
    summary.mark_sent(summary=sent, sent_on=TODAY, sent_to="市生态环境局", by=approval_clerk)
    ComplaintFactory(received_on=date(2026, 11, 29))
    # when
    draft = summary.prepare(year=2026, month=11, by=approval_clerk)
    # then
    sent.refresh_from_db()
    assert (sent.state, sent.version, sent.figures["complaints"]["received"]) == (SummaryState.SENT, 1, 2)
    assert (draft.state, draft.version, draft.figures["complaints"]["received"]) == (SummaryState.DRAFT, 2, 3)


@pytest.mark.django_db
def test_r_sum_1_sending_validates_the_date_and_recipient_in_chinese(approval_clerk):
    draft = summary.prepare(year=2026, month=11, by=approval_clerk)
    with pytest.raises(ValidationError) as refused:
        summary.mark_sent(summary=draft, sent_on=date(2026, 11, 30), sent_to=" ", by=approval_clerk)
    assert "不能早于统计期结束" in refused.value.message_dict["sent_on"][0]
    assert refused.value.message_dict["sent_to"] == ["请填写报送单位。"]
    with pytest.raises(ValidationError, match="不能晚于今天"):
        summary.mark_sent(summary=draft, sent_on=date(2026, 12, 2), sent_to="市生态环境局", by=approval_clerk)
    summary.mark_sent(summary=draft, sent_on=TODAY, sent_to="市生态环境局", by=approval_clerk)
    with pytest.raises(Conflict, match="不能重复登记"):
        summary.mark_sent(summary=draft, sent_on=TODAY, sent_to="市生态环境局", by=approval_clerk)


@pytest.mark.django_db
def test_r_sum_1_a_month_not_over_cannot_be_prepared(approval_clerk):
    with pytest.raises(ValidationError, match="尚未结束"):
        summary.prepare(year=2026, month=12, by=approval_clerk)


@pytest.mark.django_db
def test_r_sum_1_the_year_end_summary_counts_the_whole_year(district, approval_clerk):
    year_end = summary.prepare(year=2025, month=0, by=approval_clerk)
    assert (year_end.period_label, year_end.figures["inspections"]["total"]) == ("2025年度", 0)
    this_year = summary.figures(2026, 0)
    assert this_year["inspections"]["total"] == 3 and this_year["cases"]["opened"] == 3


@pytest.mark.django_db
def test_r_sum_1_to_do_for_approval_until_sent(approval_clerk, approval_head, leader):
    # when
    draft = summary.prepare(year=2026, month=11, by=None)
    # then: on 审批科's list, due by the 3rd; not on leadership's
    item = TodoItem.objects.get(key="summary:2026-11")
    assert (item.title, item.due_on) == ("报送2026年11月排污许可执法监管工作情况小结", date(2026, 12, 3))
    assert item in todos_for(approval_clerk) and item in todos_for(approval_head)
    assert item not in todos_for(leader)
    # when sent, done
    summary.mark_sent(summary=draft, sent_on=TODAY, sent_to="市生态环境局", by=approval_clerk)
    assert item not in todos_for(approval_clerk)


# The daily job ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.today(date(2026, 1, 4))
def test_r_sum_1_the_job_prepares_once_on_the_first_working_day():
    # 2026-01-01…03 are the New Year holiday; Sunday 4 January is an adjusted working day
    assert prepare_monthly_summary(today="2026-01-03") == "nothing to prepare"
    assert not Summary.objects.exists()
    assert prepare_monthly_summary(today="2026-01-04") == "2025年12月: prepared"
    assert prepare_monthly_summary(today="2026-01-04") == "nothing to prepare"
    assert prepare_monthly_summary(today="2026-01-05") == "nothing to prepare"
    prepared = Summary.objects.get()
    assert (prepared.year, prepared.month, prepared.prepared_by, prepared.state) == (2025, 12, None, "draft")


@pytest.mark.django_db
def test_r_sum_1_the_job_leaves_a_month_prepared_by_hand(approval_clerk):
    summary.prepare(year=2026, month=11, by=approval_clerk)
    assert prepare_monthly_summary(today="2026-12-01") == "nothing to prepare"
    assert Summary.objects.get().prepared_by == approval_clerk


@pytest.mark.django_db
def test_r_sum_1_the_job_counts_a_year_not_yet_published_on_weekends():
    # 2027 is not in the calendar: Friday 1 January counts as a working day, provisionally
    day = summary.preparation_day(2027, 1)
    assert (day.on, day.is_provisional) == (date(2027, 1, 1), True)
    assert prepare_monthly_summary(today="2027-01-01") == "2026年12月: prepared"


# Permissions -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_sum_1_only_approval_prepares_and_sends(pollution_clerk, leader, approval_head):
    with pytest.raises(PermissionDenied):
        summary.prepare(year=2026, month=11, by=pollution_clerk)
    draft = summary.prepare(year=2026, month=11, by=approval_head)
    with pytest.raises(PermissionDenied):
        summary.mark_sent(summary=draft, sent_on=TODAY, sent_to="市生态环境局", by=leader)


@pytest.mark.django_db
def test_r_sum_1_approval_prepares_and_sends_through_the_pages(client, approval_clerk):
    client.force_login(approval_clerk)
    # when: prepare November by hand
    response = client.post(reverse("reports:summary-prepare"), {"year": 2026, "month": 11}, follow=True)
    # then
    draft = Summary.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reports:summary-detail", args=[draft.pk])
    page = response.content.decode()
    assert (
        "已生成2026年11月排污许可执法监管工作情况小结（第1版）" in page and 'data-form="summary-send"' in page
    )
    assert 'name="sent_on" value="2026-12-01"' in page and "一、检查数量" in page and "七、执行报告" in page
    # when: add remarks
    response = client.post(
        reverse("reports:summary-remarks", args=[draft.pk]),
        {"remarks": "本月重点检查造纸行业。"},
        follow=True,
    )
    assert (
        "已保存补充说明。" in response.content.decode()
        and "本月重点检查造纸行业。" in response.content.decode()
    )
    # when: send it
    url = reverse("reports:summary-send", args=[draft.pk])
    refused = client.post(url, {"sent_on": "2026-11-30", "sent_to": "市生态环境局"})
    assert refused.status_code == 400 and "不能早于统计期结束" in refused.content.decode()
    response = client.post(url, {"sent_on": "2026-12-01", "sent_to": "市生态环境局"}, follow=True)
    page = response.content.decode()
    assert "已登记：2026-12-01 报送市生态环境局。" in page and 'data-form="summary-send"' not in page
    # a month not over: refused with the reason
    refused = client.post(reverse("reports:summary-prepare"), {"year": 2026, "month": 12})
    assert refused.status_code == 400 and "2026年12月尚未结束" in refused.content.decode()


@pytest.mark.django_db
def test_r_sum_1_leadership_and_heads_read_without_forms(client, leader, heads, approval_clerk):
    draft = summary.prepare(year=2026, month=11, by=approval_clerk)
    for reader in [leader, heads["pollution"], heads["enforcement"]]:
        client.force_login(reader)
        listing = client.get(reverse("reports:summary-list")).content.decode()
        assert "2026年11月" in listing and "应于 2026-12-03 前报送" in listing
        assert 'data-form="summary-prepare"' not in listing
        detail = client.get(reverse("reports:summary-detail", args=[draft.pk])).content.decode()
        assert "待报送" in detail and 'data-form="summary-send"' not in detail
        forbidden = client.post(reverse("reports:summary-prepare"), {"year": 2026, "month": 11})
        assert forbidden.status_code == 403 and "只有行政审批服务科" in forbidden.content.decode()
        forbidden = client.post(
            reverse("reports:summary-send", args=[draft.pk]), {"sent_on": "2026-12-01", "sent_to": "市"}
        )
        assert forbidden.status_code == 403
        forbidden = client.post(reverse("reports:summary-remarks", args=[draft.pk]), {"remarks": "改"})
        assert forbidden.status_code == 403
    assert Summary.objects.get().state == SummaryState.DRAFT and Summary.objects.get().remarks == ""


@pytest.mark.django_db
def test_r_sum_1_towns_cannot_open_summaries(client, town_a_liaison, approval_clerk):
    draft = summary.prepare(year=2026, month=11, by=approval_clerk)
    client.force_login(town_a_liaison)
    for url in [
        reverse("reports:summary-list"),
        reverse("reports:summary-detail", args=[draft.pk]),
        reverse("reports:summary-pdf", args=[draft.pk]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("reports:summary-prepare"), {"year": 2026, "month": 11}).status_code == 403


# Query budgets -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_sum_1_list_costs_a_fixed_number_of_queries(client, approval_clerk, django_assert_num_queries):
    # given: two years of summaries, some sent
    for year in (2025, 2026):
        for month in range(1, 12 if year == 2026 else 13):
            prepared = summary.prepare(year=year, month=month, by=approval_clerk)
            if month % 2:
                sent_on = rules.month_bounds(year, month)[1] + timedelta(days=1)
                summary.mark_sent(summary=prepared, sent_on=sent_on, sent_to="市", by=approval_clerk)
    client.force_login(approval_clerk)
    # Expect 3 queries: the session, the user with staff, every summary with who prepared and sent it
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:summary-list"))
    page = response.content.decode()
    assert page.count("data-period=") == 23 and page.count("已报送") >= 12


@pytest.mark.django_db
def test_r_sum_1_list_shows_last_month_due_and_earlier_months_not_prepared(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("reports:summary-list")).content.decode()
    assert "<td data-due>应于 2026-12-03 前报送</td>" in page
    assert "应于 2026-11-03 前报送；系统中没有该期小结" in page and 'class="late"' not in page


@pytest.mark.django_db
@pytest.mark.today(date(2026, 12, 10))
def test_r_sum_1_list_shows_last_month_late_once_the_third_has_passed(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("reports:summary-list")).content.decode()
    assert '<tr data-period="2026-11" class="late">' in page and "应于 2026-12-03 前报送，已逾期 7 天" in page


@pytest.mark.django_db
def test_r_sum_1_detail_costs_a_fixed_number_of_queries(
    client, district, leader, approval_clerk, django_assert_num_queries
):
    # given: two versions sent, the third a draft
    for _ in range(2):
        sent = summary.prepare(year=2026, month=11, by=approval_clerk)
        summary.mark_sent(summary=sent, sent_on=TODAY, sent_to="市生态环境局", by=approval_clerk)
    draft = summary.prepare(year=2026, month=11, by=None)
    client.force_login(leader)
    # Expect 4 queries: the session, the user with staff, the summary with who prepared and sent it, the
    # versions of its period
    with django_assert_num_queries(4):
        response = client.get(reverse("reports:summary-detail", args=[draft.pk]))
    page = response.content.decode()
    assert "<svg" in page and "2026-11-01 至 2026-11-30" in page and page.count("（已报送）</a>") == 2


# The PDF -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_sum_1_pdf_shows_the_period_the_bureau_and_the_figures(
    client, district, leader, approval_clerk, settings
):
    draft = summary.prepare(year=2026, month=11, by=None)
    summary.save_remarks(summary=draft, remarks="本月重点检查造纸行业。", by=approval_clerk)
    client.force_login(leader)
    response = client.get(reverse("reports:summary-pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "2026年11月排污许可执法监管工作情况小结" in flat
    assert settings.BUREAU_NAME.replace(" ", "") in flat
    assert "2026年11月第1版" in flat and "编号：GZXJ-2026-11-1" in flat
    assert "2026年11月1日至2026年11月30日" in flat and "一、检查数量" in flat and "七、执行报告" in flat
    assert "罚款金额（元）50000.00" in flat and "完成检查2" in flat and "逾期提交1" in flat
    assert "待报送" in flat and "本月重点检查造纸行业。" in flat


# The demo ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_sum_1_demo_has_last_month_waiting_and_an_earlier_one_sent():
    from reports import demo

    StaffFactory(username="approval", section_code="approval")
    assert demo.seed(today=TODAY) == ["2026年10月工作小结（已报送）", "2026年11月工作小结（待报送）"]
    assert demo.seed(today=TODAY) == []
    states = dict(Summary.objects.values_list("month", "state"))
    assert states == {10: SummaryState.SENT, 11: SummaryState.DRAFT}
    assert Summary.objects.get(month=10).sent_on == date(2026, 11, 2)


@pytest.mark.django_db
def test_r_sum_1_figures_link_to_the_lists_they_count(client, district, leader):
    # given
    draft = summary.prepare(year=2026, month=11, by=None)
    client.force_login(leader)
    page = client.get(reverse("reports:summary-detail", args=[draft.pk])).content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" data-figure-link>(\d+)</a>', page))
    inspections = next(url for url in links if url.startswith(reverse("inspections:inspection-list")))
    # when: the inspections figure is followed
    listed = client.get(inspections.replace("&amp;", "&")).content.decode()
    # then: November's two signed inspections, not October's
    for found in Inspection.objects.all():
        assert (found.number in listed) == (found.inspected_on.month == 11)
    assert links[inspections] == "2"
    assert len(links) == 5


def test_r_sum_1_the_inspections_figure_opens_every_inspection_for_the_brigade_too(client, district, officer):
    # 执法大队's list opens on 今日检查, which ignores the month's filters: the link asks for 全部
    draft = summary.prepare(year=2026, month=11, by=None)
    client.force_login(officer)
    page = client.get(reverse("reports:summary-detail", args=[draft.pk])).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-figure-link>(\d+)</a>', page)
    url, value = next((u, v) for u, v in links if u.startswith(reverse("inspections:inspection-list")))
    listed = client.get(url.replace("&amp;", "&")).content.decode()
    for found in Inspection.objects.all():
        assert (found.number in listed) == (found.inspected_on.month == 11)
    assert value == "2"
