"""双随机一公开 (R-INS-5): making a draw (its refusals write nothing), the pool it fixes, avoidance in every
pick, reproducibility against the commitment, the plan items it makes, inspections of drawn units and
who sees the selection when."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau import sampling
from bureau.errors import Conflict
from inspections.models import (
    CheckMode,
    DrawItem,
    DrawOfficer,
    DrawState,
    ItemKind,
    ItemState,
    OfficerConflict,
    PlanItem,
    RandomDraw,
)
from inspections.models.planning import PlanSettings
from inspections.services import draws
from permits.models import Facility, FacilityStatus
from tests.factories.inspections import signed, start
from tests.factories.permits import FacilityFactory

TODAY = date(2026, 3, 2)
pytestmark = pytest.mark.today(TODAY)


@pytest.fixture
def units(town_a, town_b, approval_clerk):
    """Six key-managed units: four in town A, two in town B."""
    return [FacilityFactory(n=n, town=town_a if n <= 4 else town_b, by=approval_clerk) for n in range(1, 7)]


def make(by, crew, **values):
    values = {
        "title": "2026年第一批重点排污单位双随机抽查",
        "levels": ["key"],
        "officers": crew,
        "inspect_from": TODAY + timedelta(days=7),
        "inspect_until": TODAY + timedelta(days=60),
        "sample_size": 3,
        "exclude_recent_days": 0,
        "exclude_positive_list": False,
        **values,
    }
    return draws.create_draw(by=by, **values)


def counts():
    return (RandomDraw.objects.count(), DrawOfficer.objects.count())


# Refusals: a Chinese message on its field, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"sample_size": None, "sample_percent": 101}, "sample", "1%–100%"),
        ({"sample_size": None, "sample_percent": 0}, "sample", "1%–100%"),
        ({"sample_size": None}, "sample", "二者选一"),
        ({"sample_size": 2, "sample_percent": 50}, "sample", "只能填写一项"),
        ({"sample_size": 0}, "sample", "抽取数量至少为 1"),
        ({"sample_size": -2}, "sample", "抽取数量至少为 1"),
        ({"sample_size": 7}, "pool", "超过抽取池的 6 家单位"),
        ({"towns": ["TX"]}, "towns", "街镇不存在"),
        ({"inspect_from": TODAY - timedelta(days=1)}, "inspect_from", "不能早于今天"),
        ({"inspect_until": TODAY}, "inspect_until", "不能早于开始日期"),
        ({"industry_prefixes": ["77"]}, "pool", "抽取池为空"),
        ({"levels": []}, "levels", "管理类别"),
        ({"title": " "}, "title", "抽查事项"),
        ({"mode": "drone"}, "mode", "远程核查"),
    ],
)
def test_r_ins_5_refusals_write_nothing(officer, crew, units, values, field, words):
    before = counts()
    with pytest.raises(ValidationError) as error:
        make(officer, crew, **values)
    assert any(words in message for message in error.value.message_dict[field])
    assert counts() == before


def test_r_ins_5_too_few_officers_after_avoidance(officer, officer2, units):
    draws.declare_conflict(by=officer, officer=officer2, facility=units[0], reason="亲属任职")
    before = counts()
    with pytest.raises(ValidationError) as error:
        make(officer, [officer, officer2], sample_size=1)
    assert "回避后可派执法人员不足 2 人" in error.value.message_dict["pool"][0]
    assert counts() == before


def test_r_ins_5_only_enforcement_makes_a_draw(leader, crew, units):
    with pytest.raises(PermissionDenied):
        make(leader, crew)
    assert counts() == (0, 0)


def test_r_ins_5_officers_must_hold_a_certificate(officer, legal_clerk, crew, units):
    with pytest.raises(ValidationError) as error:
        make(officer, [*crew, legal_clerk])
    assert "不是在岗的执法大队人员" in error.value.message_dict["officers"][0]


# The pool -------------------------------------------------------------------------------------------------


def test_r_ins_5_pool_leaves_out_confidential_closed_recent_and_capped(officer, officer2, crew, units):
    Facility.objects.filter(pk=units[0].pk).update(is_confidential=True)
    Facility.objects.filter(pk=units[1].pk).update(status=FacilityStatus.CLOSED)
    signed(start(units[2], [officer, officer2], on=TODAY - timedelta(days=10)), [officer, officer2])
    draw = make(officer, crew, sample_size=1, exclude_recent_days=30)
    pool = sampling.parse_pool(draw.pool_text)
    assert set(pool.units) == {u.source_code for u in units[3:]}
    assert draw.unit_count == 3
    # With no recent exclusion but a cap of one routine visit a year, the inspected unit stays out.
    PlanSettings.objects.update(routine_cap=2)
    signed(start(units[2], [officer, officer2], on=TODAY - timedelta(days=5)), [officer, officer2])
    capped = make(officer, crew, sample_size=1, exclude_recent_days=0)
    assert units[2].source_code not in sampling.parse_pool(capped.pool_text).units
    assert sampling.pool_hash(pool) == draw.pool_hash


def test_r_ins_5_pool_filters_by_town_and_industry(officer, crew, units):
    draw = make(officer, crew, sample_size=1, towns=["TB"], industry_prefixes=["26"])
    assert set(sampling.parse_pool(draw.pool_text).units) == {u.source_code for u in units[4:]}


def test_r_ins_5_share_rounds_up(officer, crew, units):
    draw = make(officer, crew, sample_size=None, sample_percent=20)
    assert draw.sample_size == 2  # 20% of 6 = 1.2 → 2


# Drawing --------------------------------------------------------------------------------------------------


def test_r_ins_5_avoidance_honoured_in_every_pick(officer, officer2, officer3, crew, units, town_a):
    draws.declare_conflict(by=officer, officer=officer3, facility=units[4], reason="曾在该单位任职")
    draws.declare_conflict(by=officer, officer=officer2, town=town_a, reason="本人居住在甲镇")
    draw = make(officer, crew, sample_size=6, avoid_own_town=True)
    draw = draws.run_draw(by=officer, draw=draw)
    items = DrawItem.objects.filter(draw=draw).prefetch_related("officers__user").select_related("facility")
    assert len(items) == 6
    for item in items:
        users = {o.user for o in item.officers.all()}
        assert len(users) == 2
        if item.facility_id == units[4].pk:
            assert officer3 not in users
        if item.facility.town_id == town_a.pk:
            assert officer2 not in users


def test_r_ins_5_own_town_ignored_unless_set(officer, officer2, crew, units, town_a):
    draws.declare_conflict(by=officer, officer=officer2, town=town_a, reason="本人居住在甲镇")
    draw = make(officer, crew, avoid_own_town=False)
    assert "avoid" not in draw.pool_text


def test_r_ins_5_rerun_gives_the_stored_selection(officer, crew, units):
    draw = draws.run_draw(by=officer, draw=make(officer, crew))
    stored = [
        (item.facility.source_code, sorted(o.certificate_no for o in item.officers.all()))
        for item in DrawItem.objects.filter(draw=draw).order_by("position")
    ]
    again = [(pick.unit, sorted(pick.officers)) for pick in draws.rerun(draw)]
    assert stored == again
    assert draw.commitment == sampling.commitment(draw.seed)


def test_r_ins_5_a_seed_not_committed_is_refused(officer, crew, units):
    draw = make(officer, crew)
    with pytest.raises(ValidationError) as error:
        draws.rerun(draw, "0" * 64)
    assert "承诺值" in error.value.messages[0]


def test_r_ins_5_run_twice_or_cancelled_is_a_conflict(officer, crew, units):
    draw = draws.run_draw(by=officer, draw=make(officer, crew))
    with pytest.raises(Conflict):
        draws.run_draw(by=officer, draw=draw)
    assert DrawItem.objects.filter(draw=draw).count() == 3
    other = make(officer, crew, title="第二批")
    with pytest.raises(ValidationError):
        draws.cancel_draw(by=officer, draw=other, reason=" ")
    draws.cancel_draw(by=officer, draw=other, reason="抽取池设置错误")
    with pytest.raises(Conflict):
        draws.run_draw(by=officer, draw=other)
    with pytest.raises(Conflict):
        draws.cancel_draw(by=officer, draw=draw, reason="迟了")
    assert RandomDraw.objects.get(pk=other.pk).state == DrawState.CANCELLED


def test_r_ins_5_drawn_units_join_the_month_plan(officer, crew, units):
    draw = draws.run_draw(by=officer, draw=make(officer, crew))
    items = PlanItem.objects.filter(kind=ItemKind.RANDOM_DRAW)
    assert items.count() == 3
    assert {i.planned_month for i in items} == {draw.inspect_from.replace(day=1)}
    assert set(items.values_list("facility_id", flat=True)) == set(
        DrawItem.objects.filter(draw=draw).values_list("facility_id", flat=True)
    )


# Inspections of drawn units ---------------------------------------------------------------------------------


def test_r_ins_5_inspection_of_a_drawn_unit(officer, crew, units):
    draw = make(officer, crew, mode=CheckMode.REMOTE, inspect_from=TODAY, today=TODAY - timedelta(days=1))
    draws.run_draw(by=officer, draw=draw)
    item = DrawItem.objects.filter(draw=draw).order_by("position").first()
    team = [o.user for o in item.officers.all()]
    inspection = start(item.facility, team, by=team[0], reason="random_draw", draw_item=item)
    assert inspection.mode == CheckMode.REMOTE
    assert inspection.source_reference.startswith(draw.number)
    with pytest.raises(ValidationError) as error:
        start(item.facility, team, by=team[0], reason="random_draw", draw_item=item)
    assert "不能重复登记" in error.value.message_dict["draw_item"][0]
    signed(inspection, team)
    item.refresh_from_db()
    assert item.result_published_on == TODAY
    assert item.plan_item.state == ItemState.DONE


def test_r_ins_5_only_the_drawn_pair_inspects_unless_a_change_is_given_with_its_reason(officer, crew, units):
    draw = make(officer, crew, inspect_from=TODAY, today=TODAY - timedelta(days=1))
    draws.run_draw(by=officer, draw=draw)
    item = DrawItem.objects.filter(draw=draw).order_by("position").first()
    drawn = [o.user for o in item.officers.all()]
    other = next(user for user in crew if user not in drawn)
    team = [drawn[0], other]
    with pytest.raises(ValidationError) as error:
        start(item.facility, team, by=drawn[0], reason="random_draw", draw_item=item)
    assert "随机选派的执法人员" in error.value.message_dict["officers"][0]
    assert not DrawItem.objects.filter(pk=item.pk, inspection__isnull=False).exists()
    # when: the change is made with its reason (a conflict declared after the draw)
    start(
        item.facility, team, by=drawn[0], reason="random_draw", draw_item=item, officer_change_reason="回避"
    )
    # then: who inspected instead, and why, is kept with the drawn unit (published with its result)
    item.refresh_from_db()
    assert item.officer_change.endswith(f"调整为{drawn[0].display_name}、{other.display_name}：回避")


def test_r_ins_5_drawn_unit_before_the_period_is_refused(officer, crew, units):
    draw = draws.run_draw(by=officer, draw=make(officer, crew))
    item = DrawItem.objects.filter(draw=draw).first()
    team = [o.user for o in item.officers.all()]
    with pytest.raises(ValidationError) as error:
        start(item.facility, team, by=team[0], reason="random_draw", draw_item=item)
    assert "检查期自" in error.value.message_dict["inspected_on"][0]


# Who sees the selection -------------------------------------------------------------------------------------


def test_r_ins_5_selection_visibility_before_and_after(officer, crew, units, leader, administrator, personas):
    draw = make(officer, crew)
    assert not draws.may_see_selection(officer, draw)  # nothing drawn yet
    draw = draws.run_draw(by=officer, draw=draw)
    readers = {officer, leader, administrator}
    for user in [*personas.values(), administrator, None]:
        assert draws.may_see_selection(user, draw) == (user in readers)
    assert not draws.is_public(draw)
    later = draw.inspect_from
    for user in [*personas.values(), None]:
        assert draws.may_see_selection(user, draw, later)
    assert draws.is_public(draw, later)


# Conflicts --------------------------------------------------------------------------------------------------


def test_r_ins_5_conflicts_declared_and_ended(officer, officer2, legal_clerk, units, town_a):
    with pytest.raises(ValidationError) as error:
        draws.declare_conflict(by=officer, officer=officer2, facility=units[0], town=town_a, reason="x")
    assert "二者选一" in error.value.message_dict["facility"][0]
    with pytest.raises(ValidationError):
        draws.declare_conflict(by=officer, officer=legal_clerk, facility=units[0], reason="x")
    with pytest.raises(PermissionDenied):
        draws.declare_conflict(by=legal_clerk, officer=officer2, facility=units[0], reason="x")
    conflict = draws.declare_conflict(by=officer, officer=officer2, facility=units[0], reason="亲属任职")
    with pytest.raises(ValidationError):
        draws.declare_conflict(by=officer, officer=officer2, facility=units[0], reason="再次申报")
    draws.end_conflict(by=officer, conflict=conflict, reason="亲属已离职")
    assert not OfficerConflict.objects.get(pk=conflict.pk).is_active
    with pytest.raises(Conflict):
        draws.end_conflict(by=officer, conflict=conflict)
