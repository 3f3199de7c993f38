"""The demo's plans and draws (R-INS-3, R-INS-4, R-INS-5): the year's plan adopted by 法制科 and the
month's plan made; a draw committed, drawn and public with one unit inspected; a remote-check draw
committed only, and a declared conflict."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from bureau.calendar import WorkCalendar
from inspections.demo.common import People, _points, _workday
from inspections.models import AnnualPlan, CheckMode, DrawItem, Inspection, MonthPlan, RandomDraw
from inspections.services import draws, planning
from inspections.services.inspections import (
    save_answer,
    sign_inspection,
    start_inspection,
    update_inspection_details,
)
from permits.models import Facility


def _sealed_until(start: date, days: int) -> date:
    """``days`` after ``start``, kept in ``start``'s year (a draw's inspection period is within a year)."""
    return min(start + timedelta(days=days), date(start.year, 12, 31))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _drawn_and_public(people: People, today: date, calendar: WorkCalendar) -> Inspection | None:
    """A draw of 20% of the registered units by 陈执法 and 周执法, made a week before its inspection
    period began three weeks ago, drawn two days later (so public now); its first unit inspected by the
    pair drawn for it and signed, which publishes the result."""
    if not Facility.objects.filter(management_level="registered").exists():
        return None
    inspect_from = _workday(today - timedelta(days=20), calendar)
    made_on = inspect_from - timedelta(days=7)
    draw = draws.create_draw(
        by=people.chen,
        title=f"{inspect_from.year}年排污登记单位“双随机、一公开”抽查",
        levels=["registered"],
        officers=people.officers,
        inspect_from=inspect_from,
        inspect_until=_sealed_until(inspect_from, 45),
        sample_percent=20,
        today=made_on,
    )
    draw = draws.run_draw(by=people.chen, draw=draw, today=made_on + timedelta(days=2))
    # The demo is made in one go today; its draw says when it would have been made and drawn, so a
    # citizen reads commitment, draw and inspection in that order.
    RandomDraw.objects.filter(pk=draw.pk).update(
        created_at=_at(made_on, 9), drawn_at=_at(made_on + timedelta(days=2), 10)
    )
    item = DrawItem.objects.filter(draw=draw).select_related("draw").order_by("position").first()
    pair = [officer.user for officer in item.officers.order_by("certificate_no")]
    on = max(_workday(today - timedelta(days=6), calendar), inspect_from)
    inspection = start_inspection(
        by=pair[0],
        facility=item.facility,
        inspected_on=on,
        officers=pair,
        reason="random_draw",
        draw_item=item,
    )
    for point in _points(inspection):
        save_answer(by=pair[0], inspection=inspection, point=point, verdict="compliant")
    update_inspection_details(
        by=pair[0],
        inspection=inspection,
        representative_name="沈立",
        representative_title="负责人",
        summary="对照排污登记表抽查，登记信息与现场一致，未发现问题。",
    )
    for officer in pair:
        inspection = sign_inspection(by=officer, inspection=inspection)
    return inspection


def _committed(people: People, today: date, calendar: WorkCalendar) -> RandomDraw | None:
    """周执法 declares a conflict with a simplified-managed holder; a remote check (远程核查) of the
    simplified-managed holders' execution reports, committed today with three officers (so the conflict
    is kept apart): the pool's fingerprint and the seed's commitment are public, the selection is
    sealed until its date."""
    holder = (
        Facility.objects.filter(management_level="simplified", is_confidential=False).order_by("pk").last()
    )
    if holder is None:
        return None
    draws.declare_conflict(
        by=people.brigade_head,
        officer=people.zhou,
        facility=holder,
        reason="本人近亲属在该单位担任管理人员",
        declared_on=_workday(today - timedelta(days=30), calendar),
    )
    inspect_from = today + timedelta(days=14)
    while not calendar.is_workday(inspect_from):
        inspect_from += timedelta(days=1)
    try:
        return draws.create_draw(
            by=people.chen,
            title=f"{inspect_from.year}年简化管理排污单位执行报告远程核查",
            mode=CheckMode.REMOTE,
            levels=["simplified"],
            officers=[people.chen, people.zhou, people.brigade_head],
            inspect_from=inspect_from,
            inspect_until=_sealed_until(inspect_from, 30),
            sample_percent=30,
            today=today,
        )
    except ValidationError:
        return None  # no simplified-managed holder left in the pool: the demo goes without it


def _plans(people: People, today: date) -> list[str]:
    """The year's plan computed and adopted by 法制科, and the current month's plan made by the job."""
    made = []
    plan = AnnualPlan.objects.filter(year=today.year).first()
    if plan is None or plan.computed_at is None:
        planning.sync_plan(year=today.year, by=people.legal, today=today)
    if not AnnualPlan.objects.get(year=today.year).is_adopted:
        planning.adopt_plan(
            by=people.legal,
            year=today.year,
            document_no=f"普环执〔{today.year}〕1号",
            note="按排污许可证后管理频次规则计算，纳入年度执法计划。",
        )
        made.append(f"{today.year} 年度检查计划（已纳入年度执法计划）")
    if not MonthPlan.objects.filter(year=today.year, month=today.month).exists():
        planning.make_month_plan(year=today.year, month=today.month, today=today)
        made.append(f"{today.year} 年 {today.month} 月检查计划")
    return made


def _draws(people: People, today: date, calendar: WorkCalendar) -> list[str]:
    """Once, when there is no draw yet."""
    if RandomDraw.objects.exists():
        return []
    made = []
    if _drawn_and_public(people, today, calendar) is not None:
        made.append("双随机抽查（已抽取并公开，一家已检查）")
    if _committed(people, today, calendar) is not None:
        made.append("双随机抽查（已公示承诺值，待抽取）、执法人员回避")
    return made
