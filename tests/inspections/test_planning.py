"""The planning services (R-INS-3, R-INS-4; 003 第六条, 002 十一): the year's plan kept in step with the
rules and what is done, 法制科's adoption, the month's plan (按月细化), the monthly and daily jobs. Every
job may run twice and creates nothing twice."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.models import TodoItem
from inspections.models import (
    Alert,
    AnnualPlan,
    ItemKind,
    ItemState,
    MonthPlan,
    MonthPlanEntry,
    PlanItem,
    PlanSettings,
)
from inspections.services import planning
from permits.services.facilities import update_facility
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import signed, start
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2025, 3, 10))


@pytest.fixture
def simplified(town_b, approval_clerk):
    facility = FacilityFactory(n=2, town=town_b, by=approval_clerk, management_level="simplified")
    PermitFactory(facility=facility, by=approval_clerk, issued_on=date(2023, 5, 4))
    return facility


def items_of(facility, **filters):
    return list(PlanItem.objects.filter(facility=facility, **filters).order_by("key"))


def test_r_ins_3_sync_creates_each_item_once(facility, simplified):
    # when
    planning.sync_plan(year=2025)
    first = list(PlanItem.objects.order_by("pk").values_list("pk", "facility_id", "key"))
    planning.sync_plan(year=2025)
    # then: the key facility owes one in each half year, the simplified one once, and nothing twice
    assert list(PlanItem.objects.order_by("pk").values_list("pk", "facility_id", "key")) == first
    assert [i.key for i in items_of(facility)] == ["2025:1/2", "2025:2/2"]
    assert [i.key for i in items_of(simplified)] == ["2025:1/1"]
    plan = AnnualPlan.objects.get(year=2025)
    assert plan.totals == {"key": 2, "simplified": 1}
    assert TodoItem.objects.get(key=f"{planning.ADOPT_TODO}2025").url == "/inspections/plan/2025/"


def test_r_ins_3_a_permit_issued_mid_year_adds_its_item_on_the_next_sync(
    facility, simplified, approval_clerk
):
    # given
    planning.sync_plan(year=2025)
    newcomer = FacilityFactory(n=3, town=facility.town, by=approval_clerk, management_level="simplified")
    PermitFactory(facility=newcomer, by=approval_clerk, issued_on=date(2025, 5, 31))
    # when
    planning.sync_plan(year=2025)
    # then: within three calendar months of issue, planned for the month after
    item = PlanItem.objects.get(facility=newcomer, kind=ItemKind.NEW_PERMIT)
    assert (item.window_start, item.window_end) == (date(2025, 5, 31), date(2025, 8, 31))
    assert "新发证（首次申请 2025-05-31），须于 2025-08-31 前完成首次检查" == item.reason
    assert item.planned_month == date(2025, 6, 1)


def test_r_ins_3_an_inspection_signed_satisfies_the_item(facility, officers):
    # given
    planning.sync_plan(year=2025)
    # when: signing notes it at once, and the next sync agrees
    signed(start(facility, officers, on=date(2025, 3, 10)), officers)
    first_half = PlanItem.objects.get(facility=facility, key="2025:1/2")
    assert (first_half.state, first_half.done_on) == (ItemState.DONE, date(2025, 3, 10))
    planning.sync_plan(year=2025)
    # then
    first_half.refresh_from_db()
    assert (first_half.state, first_half.done_on) == (ItemState.DONE, date(2025, 3, 10))
    assert PlanItem.objects.get(facility=facility, key="2025:2/2").state == ItemState.OPEN


def test_a_closed_facility_open_items_are_no_longer_needed(facility, approval_clerk):
    planning.sync_plan(year=2025)
    update_facility(facility=facility, by=approval_clerk, changes={"status": "closed"})
    planning.sync_plan(year=2025)
    items = items_of(facility)
    assert {i.state for i in items} == {ItemState.WITHDRAWN}
    assert all("不再需要" in i.withdrawn_reason for i in items)


def test_adopt_by_legal_only_and_once(facility, legal_clerk, officer, approval_clerk, leader):
    with pytest.raises(ValidationError, match="尚未生成"):
        planning.adopt_plan(by=legal_clerk, year=2025)
    planning.sync_plan(year=2025)
    for other in (officer, approval_clerk, leader):
        with pytest.raises(PermissionDenied, match="只有法制科"):
            planning.adopt_plan(by=other, year=2025)
    plan = planning.adopt_plan(by=legal_clerk, year=2025, document_no=" 区环执〔2025〕1号 ", note="")
    assert (plan.state, plan.adopted_by, plan.document_no) == ("adopted", legal_clerk, "区环执〔2025〕1号")
    assert not TodoItem.objects.filter(key=f"{planning.ADOPT_TODO}2025", done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match=r"已于 \d{4}-\d{2}-\d{2} 纳入年度执法计划"):
        planning.adopt_plan(by=legal_clerk, year=2025)


def test_recompute_by_legal_or_the_administrator_only(facility, legal_clerk, administrator, officer):
    with pytest.raises(PermissionDenied):
        planning.recompute_plan(by=officer, year=2025)
    assert not AnnualPlan.objects.exists()
    planning.recompute_plan(by=legal_clerk, year=2025)
    planning.recompute_plan(by=administrator, year=2025)
    assert AnnualPlan.objects.get().facility_count == 1


def test_r_ins_3_month_plan_twice_creates_nothing_twice(facility, simplified, officer):
    # when
    first = planning.make_month_plan(year=2025, month=12, by=officer)
    again = planning.make_month_plan(year=2025, month=12, by=officer)
    # then: the same plan, the same entries — every open item planned by December whose window is open then (all of them: each
    # item is planned for a month of its window, spread by the facility's id)
    assert first.pk == again.pk and MonthPlan.objects.count() == 1
    expected = set(
        PlanItem.objects.filter(
            state=ItemState.OPEN, planned_month__lte=date(2025, 12, 1), window_end__gte=date(2025, 12, 1)
        ).values_list("pk", flat=True)
    )
    assert set(MonthPlanEntry.objects.values_list("item_id", flat=True)) == expected
    assert again.item_count == len(expected) == MonthPlanEntry.objects.count()
    assert expected  # the second half year's item of the key facility at least


def test_month_plan_refused_for_a_past_month_and_for_other_sections(facility, officer, approval_clerk):
    with pytest.raises(ValidationError, match="2025 年 2 月已过，不能再编制该月的检查计划。"):
        planning.make_month_plan(year=2025, month=2, by=officer)
    with pytest.raises(PermissionDenied, match="只有法制科、执法大队"):
        planning.make_month_plan(year=2025, month=4, by=approval_clerk)
    assert not MonthPlan.objects.exists()


def test_r_cal_1_monthly_job_acts_on_the_first_working_day_only(facility, work_calendar):
    # National Day: 1–8 October 2025 are holidays, the 9th is the month's first working day.
    assert planning.run_monthly(today=date(2025, 10, 8)) is None
    assert not MonthPlan.objects.exists()
    made = planning.run_monthly(today=date(2025, 10, 9))
    assert (made.year, made.month, made.made_by) == (2025, 10, None)
    planning.run_monthly(today=date(2025, 10, 10))
    assert MonthPlan.objects.count() == 1


def test_flag_due_flags_and_lists_once_then_completes(facility, approval_clerk, work_calendar):
    # given: the first half year's item ends on 30 June
    overdue_key, soon_key = planning.OVERDUE_TODO, planning.DUE_SOON_TODO
    # when: a week before its end
    assert planning.flag_due(today=date(2025, 6, 23)) == {"overdue": 0, "due_soon": 1}
    planning.flag_due(today=date(2025, 6, 23))
    # then: one to-do on 执法大队's list, linking to the items
    todo = TodoItem.objects.get(key=soon_key)
    assert (todo.title, todo.section.code, todo.done_at) == ("计划检查临期 1 项", "enforcement", None)
    assert todo.url == "/inspections/plan/items/?alert=due_soon"
    assert PlanItem.objects.get(facility=facility, key="2025:1/2").alert == Alert.DUE_SOON
    # when: past its end
    assert planning.flag_due(today=date(2025, 7, 2)) == {"overdue": 1, "due_soon": 0}
    assert TodoItem.objects.get(key=overdue_key).is_urgent
    assert TodoItem.objects.get(key=soon_key).done_at is not None
    assert TodoItem.objects.filter(key__in=[overdue_key, soon_key]).count() == 2
    # when: nothing left open (the facility closed)
    update_facility(facility=facility, by=approval_clerk, changes={"status": "closed"})
    assert planning.flag_due(today=date(2025, 7, 3)) == {"overdue": 0, "due_soon": 0}
    assert TodoItem.objects.get(key=overdue_key).done_at is not None


def test_r_ins_4_settings_by_legal_with_chinese_errors(legal_clerk, officer):
    with pytest.raises(PermissionDenied):
        planning.update_plan_settings(by=officer, routine_cap=5)
    with pytest.raises(ValidationError) as caught:
        planning.update_plan_settings(by=legal_clerk, registered_share=10)
    assert "registered_share" in caught.value.message_dict
    assert planning.update_plan_settings(by=legal_clerk, routine_cap=6).routine_cap == 6


# The yearly cap of routine on-site visits (R-INS-4) ---------------------------------------------------


@pytest.fixture
def capped(facility, officers):
    """Two routine visits signed this year with a cap of two: the facility has had its cap."""
    planning.plan_settings()
    PlanSettings.objects.update(routine_cap=2)
    for day in (date(2025, 1, 6), date(2025, 2, 3)):
        signed(start(facility, officers, on=day), officers)
    planning.sync_plan(year=2025)
    return facility


def test_r_ins_4_a_routine_visit_beyond_the_cap_is_refused_a_triggered_one_never(capped, officers):
    with pytest.raises(ValidationError, match="已达 2 次上限"):
        start(capped, officers, on=date(2025, 3, 10))
    complaint = ComplaintFactory(facility=capped)
    assert start(capped, officers, on=date(2025, 3, 10), reason="complaint", complaint=complaint)
    assert start(capped, officers, on=date(2025, 3, 10), mode="remote")  # 远程核查: not on site


@pytest.mark.today(date(2025, 7, 7))
def test_r_ins_4_the_cap_never_refuses_what_r_ins_3_still_owes(capped, officers):
    # given: both visits fell in the first half year; the second half year's is still owed
    planning.sync_plan(year=2025)
    assert PlanItem.objects.get(facility=capped, key="2025:2/2").state == ItemState.OPEN
    # then
    assert start(capped, officers, on=date(2025, 7, 7))


def test_r_ins_3_the_monthly_job_acts_on_the_first_working_day_and_later_only_to_catch_up(
    facility, work_calendar
):
    assert planning.run_monthly(today=date(2025, 10, 8)) is None  # National Day holiday
    assert planning.run_monthly(today=date(2025, 10, 10)) is not None  # missed on the 9th: caught up
    made = MonthPlan.objects.get(year=2025, month=10)
    assert planning.run_monthly(today=date(2025, 10, 13)) is None  # made: nothing more this month
    assert MonthPlan.objects.get(year=2025, month=10).made_at == made.made_at
