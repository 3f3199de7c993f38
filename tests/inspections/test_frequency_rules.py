"""How often each facility is inspected (``inspections.rules``, pure: no database): the minimums of
R-INS-3 (003 第六条) and the differentiation of R-INS-4 (002 十一、十二, 000 四1), at their boundaries
(a permit issued on 31 August, a half year that starts on a holiday, 37 registered units) and as
properties over any facts and settings."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections import rules
from inspections.rules import FacilityFacts, FrequencySettings, Period, Visit

YEAR_2026 = rules.year_period(2026)
H1_2026 = Period(date(2026, 1, 1), date(2026, 6, 30))
H2_2026 = Period(date(2026, 7, 1), date(2026, 12, 31))
DEFAULTS = FrequencySettings()


def owed(facts: FacilityFacts, period: Period = YEAR_2026, setting: FrequencySettings = DEFAULTS):
    return rules.owed_inspections(facts, period, setting)


def kinds(frequency, kind):
    return [item for item in frequency.items if item.kind == kind]


def new_permit_item(issued: date, event: str = "首次申请"):
    facts = FacilityFacts(level=rules.SIMPLIFIED, new_permit=(event, issued))
    return kinds(owed(facts, rules.year_period(issued.year)), rules.NEW_PERMIT)[0]


# R-INS-3: a new permit (首次申请 or 重新申请) within three calendar months of issue


def test_r_ins_3_a_permit_issued_on_31_august_is_inspected_by_30_november():
    item = new_permit_item(date(2025, 8, 31))
    assert item.window == Period(date(2025, 8, 31), date(2025, 11, 30))
    assert item.reason == "新发证（首次申请 2025-08-31），须于 2025-11-30 前完成首次检查"
    assert item.key == "new:2025-08-31"


@pytest.mark.parametrize(
    "issued, deadline",
    [
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2023, 11, 30), date(2024, 2, 29)),  # a leap year's February
        (date(2025, 1, 15), date(2025, 4, 15)),
        (date(2025, 12, 31), date(2026, 3, 31)),
    ],
)
def test_r_ins_3_three_calendar_months_end_on_the_same_day_or_the_months_last(issued, deadline):
    assert new_permit_item(issued).window.end == deadline


def test_r_ins_3_the_window_is_never_moved_off_a_weekend_or_holiday():
    # 2025-11-30 is a Sunday: the deadline stays there (R-CAL-1: calendar periods, not working days)
    assert date(2025, 11, 30).weekday() == 6
    assert new_permit_item(date(2025, 8, 31)).window.end == date(2025, 11, 30)


def test_r_ins_3_a_reapplication_is_a_new_permit_too():
    item = new_permit_item(date(2026, 3, 2), event="重新申请")
    assert item.reason.startswith("新发证（重新申请 2026-03-02）")


def test_r_ins_3_a_new_permit_window_reaching_into_the_period_is_owed_in_it():
    # issued in December 2025: its window runs into 2026 and is owed there too
    facts = FacilityFacts(level=rules.SIMPLIFIED, new_permit=("首次申请", date(2025, 12, 10)))
    assert [item.window.end for item in kinds(owed(facts), rules.NEW_PERMIT)] == [date(2026, 3, 10)]


def test_r_ins_3_an_inspection_after_the_window_does_not_satisfy_the_new_permit_check():
    facts = FacilityFacts(
        level=rules.SIMPLIFIED, new_permit=("首次申请", date(2026, 2, 1)), visits=(Visit(date(2026, 5, 4)),)
    )
    assert kinds(owed(facts), rules.NEW_PERMIT)[0].done_on is None


# R-INS-3: key-managed every calendar half year, simplified every calendar year


def test_r_ins_3_key_managed_one_window_per_half_year():
    periodic = kinds(owed(FacilityFacts(level=rules.KEY)), rules.PERIODIC)
    assert [item.window for item in periodic] == [H1_2026, H2_2026]
    assert periodic[0].reason == "重点管理，每半年至少检查一次：2026 年上半年（2026-01-01 至 2026-06-30）"


def test_r_ins_3_the_half_year_starts_on_1_january_a_holiday_and_an_inspection_that_day_counts():
    facts = FacilityFacts(level=rules.KEY, visits=(Visit(date(2026, 1, 1), "complaint"),))
    first, second = kinds(owed(facts), rules.PERIODIC)
    assert (first.window.start, first.done_on, second.done_on) == (date(2026, 1, 1), date(2026, 1, 1), None)


def test_r_ins_3_simplified_one_window_a_year():
    periodic = kinds(owed(FacilityFacts(level=rules.SIMPLIFIED)), rules.PERIODIC)
    assert [item.window for item in periodic] == [YEAR_2026]
    assert periodic[0].reason == "简化管理，每年至少检查一次：2026-01-01 至 2026-12-31"


@pytest.mark.parametrize("reason", ["routine_plan", "random_draw", "complaint", "linkage_task", "follow_up"])
def test_r_ins_3_an_inspection_of_any_reason_satisfies(reason):
    facts = FacilityFacts(level=rules.SIMPLIFIED, visits=(Visit(date(2026, 9, 8), reason),))
    assert [item.done_on for item in owed(facts).items] == [date(2026, 9, 8)]


def test_r_ins_3_two_inspections_in_one_window_satisfy_one_item():
    facts = FacilityFacts(
        level=rules.KEY, visits=(Visit(date(2026, 5, 20)), Visit(date(2026, 2, 3), "complaint"))
    )
    first, second = kinds(owed(facts), rules.PERIODIC)
    assert (first.done_on, second.done_on) == (date(2026, 2, 3), None)


@pytest.mark.parametrize("count, sample", [(37, 8), (0, 0), (1, 1), (5, 1), (6, 2), (100, 20), (101, 21)])
def test_r_ins_3_registered_units_sample_of_at_least_20_percent_rounded_up(count, sample):
    assert rules.registered_sample(count) == sample


@pytest.mark.parametrize("share, sample", [(0, 8), (10, 8), (20, 8), (50, 19), (100, 37)])
def test_r_ins_3_the_registered_sample_never_falls_below_20_percent_whatever_the_setting(share, sample):
    assert rules.registered_sample(37, share) == sample


def test_r_ins_3_a_registered_unit_is_left_to_the_sample():
    frequency = owed(FacilityFacts(level=rules.REGISTERED))
    assert (frequency.items, frequency.visits_a_year, frequency.in_registered_sample) == ((), 0, True)


# R-INS-4: differentiation by settings, never below R-INS-3's minimums


@pytest.mark.parametrize(
    "facts, visits",
    [
        (FacilityFacts(level=rules.SIMPLIFIED), 1),
        (FacilityFacts(level=rules.SIMPLIFIED, violations=1), 2),
        (FacilityFacts(level=rules.SIMPLIFIED, verified_complaints=3), 2),  # 1 × 1.5, rounded up
        (FacilityFacts(level=rules.SIMPLIFIED, risk_level="major"), 2),
        (FacilityFacts(level=rules.SIMPLIFIED, credit_rating="warning"), 2),
        (FacilityFacts(level=rules.SIMPLIFIED, credit_rating="dishonest"), 2),
        (FacilityFacts(level=rules.SIMPLIFIED, credit_rating="good", risk_level="general"), 1),
        (FacilityFacts(level=rules.KEY, violations=1), 4),
        (FacilityFacts(level=rules.KEY, verified_complaints=1), 3),
    ],
)
def test_r_ins_4_multipliers_raise(facts, visits):
    assert owed(facts).visits_a_year == visits


def test_r_ins_4_the_positive_list_lowers_but_never_below_the_minimum():
    raised = FacilityFacts(level=rules.KEY, violations=1)
    assert owed(raised).visits_a_year == 4
    assert owed(FacilityFacts(level=rules.KEY, violations=1, on_positive_list=True)).visits_a_year == 2
    assert owed(FacilityFacts(level=rules.KEY, on_positive_list=True)).visits_a_year == 2  # 1, kept at 2
    assert owed(FacilityFacts(level=rules.SIMPLIFIED, on_positive_list=True)).visits_a_year == 1
    low = FrequencySettings(positive_list=Decimal("0.1"))
    assert owed(FacilityFacts(level=rules.KEY, on_positive_list=True), setting=low).visits_a_year == 2


def test_r_ins_4_the_cap_cuts_routine_visits_but_never_below_the_minimum():
    heavy = FacilityFacts(level=rules.KEY, violations=2, credit_rating="dishonest", risk_level="major")
    assert owed(heavy).visits_a_year == 4  # 2 × 2 × 1.5 × 2 = 12, cut to the cap of 4
    assert owed(heavy, setting=FrequencySettings(routine_cap=6)).visits_a_year == 6
    assert owed(heavy, setting=FrequencySettings(routine_cap=1)).visits_a_year == 2  # minimum holds


def test_r_ins_4_a_registered_unit_with_a_raising_factor_gets_a_visit_of_its_own():
    frequency = owed(FacilityFacts(level=rules.REGISTERED, violations=1))
    assert (frequency.visits_a_year, frequency.in_registered_sample) == (1, False)
    assert [item.window for item in frequency.items] == [YEAR_2026]
    assert (
        frequency.items[0].reason == "登记管理，差别化监管后每年检查 1 次：第 1 次，2026-01-01 至 2026-12-31"
    )
    # lowered only, it stays in the sample
    assert owed(FacilityFacts(level=rules.REGISTERED, on_positive_list=True)).in_registered_sample


def test_r_ins_4_every_figure_used_is_shown():
    setting = FrequencySettings(violations=Decimal("2"), poor_credit=Decimal("1.5"), routine_cap=5)
    facts = FacilityFacts(level=rules.KEY, violations=1, credit_rating="warning", on_positive_list=True)
    figures = dict(owed(facts, setting=setting).figures)
    assert figures == {
        "管理类别": "重点管理",
        "基准频次（次/年）": "2",
        "列入执法正面清单": "×0.5",
        "上一年度违法记录 1 起": "×2",
        "环境信用评价较差": "×1.5",
        "计算结果": "3，向上取整 3",
        "R-INS-3 最低频次": "2 次/年",
        "例行检查年度上限": "5 次",
        "年度应检次数": "3 次",
    }


def test_r_ins_4_more_visits_spread_over_equal_windows_of_whole_months():
    periodic = kinds(owed(FacilityFacts(level=rules.KEY, violations=1)), rules.PERIODIC)
    assert [(item.window.start.month, item.window.end.month) for item in periodic] == [
        (1, 3),
        (4, 6),
        (7, 9),
        (10, 12),
    ]
    assert periodic[2].key == "2026:3/4"


def test_r_ins_4_the_routine_cap_ignores_complaint_lead_and_follow_up_visits():
    triggered = [
        Visit(date(2026, m, 3), r) for m, r in [(2, "complaint"), (3, "report_lead"), (4, "follow_up")]
    ]
    routine = [Visit(date(2026, 5, 6), "routine_plan"), Visit(date(2026, 6, 8), "random_draw")]
    assert not rules.routine_cap_reached(triggered * 3, 2026, 2)
    assert not rules.routine_cap_reached([*triggered, routine[0]], 2026, 2)
    assert rules.routine_cap_reached([*triggered, *routine], 2026, 2)
    assert not rules.routine_cap_reached(routine, 2027, 2)  # another year's visits


# Properties over any facts and settings

FACTORS = st.sampled_from([Decimal(v) for v in ("0.1", "0.5", "0.8", "1", "1.5", "2", "3", "10")])
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
REASONS = st.sampled_from(
    ["routine_plan", "random_draw", "new_permit", "complaint", "linkage_task", "follow_up"]
)
FACTS = st.builds(
    FacilityFacts,
    level=st.sampled_from([rules.KEY, rules.SIMPLIFIED, rules.REGISTERED]),
    new_permit=st.none() | st.tuples(st.sampled_from(["首次申请", "重新申请"]), DAYS),
    on_positive_list=st.booleans(),
    violations=st.integers(0, 3),
    verified_complaints=st.integers(0, 3),
    risk_level=st.sampled_from(["", "general", "moderate", "major"]),
    credit_rating=st.sampled_from(["", "excellent", "good", "warning", "dishonest"]),
    visits=st.lists(st.builds(Visit, DAYS, REASONS), max_size=6).map(tuple),
)
SETTINGS = st.builds(
    FrequencySettings,
    positive_list=FACTORS,
    violations=FACTORS,
    complaints=FACTORS,
    high_risk=FACTORS,
    poor_credit=FACTORS,
    routine_cap=st.integers(1, 12),
    registered_share=st.integers(0, 100),
)


@st.composite
def periods(draw):
    start = draw(DAYS)
    return Period(start, start + timedelta(days=draw(st.integers(0, 500))))


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, setting=SETTINGS)
def test_r_ins_4_visits_never_fall_below_the_minimum(facts, setting):
    frequency = owed(facts, rules.year_period(2026), setting)
    assert frequency.visits_a_year >= rules.MINIMUM_VISITS[facts.level]
    assert frequency.visits_a_year <= max(setting.routine_cap, rules.MINIMUM_VISITS[facts.level])
    assert dict(frequency.figures)["年度应检次数"] == f"{frequency.visits_a_year} 次"


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, setting=SETTINGS, year=st.integers(2024, 2028))
def test_r_ins_3_windows_of_a_year_are_disjoint_cover_it_and_each_half_year_holds_one(facts, setting, year):
    frequency = owed(facts, rules.year_period(year), setting)
    windows = sorted(
        (item.window for item in kinds(frequency, rules.PERIODIC) if item.key.startswith(f"{year}:")),
        key=lambda window: window.start,
    )
    assert len(windows) == min(frequency.visits_a_year, 12)
    if not windows:
        return
    assert windows[0].start == date(year, 1, 1) and windows[-1].end == date(year, 12, 31)
    for before, after in pairwise(windows):
        assert after.start == before.end + timedelta(days=1)
    if len(windows) >= 2:
        first_half, second_half = (
            Period(date(year, 1, 1), date(year, 6, 30)),
            Period(date(year, 7, 1), date(year, 12, 31)),
        )
        assert any(w.start in first_half and w.end in first_half for w in windows)
        assert any(w.start in second_half and w.end in second_half for w in windows)


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, setting=SETTINGS, period=periods(), spread=st.integers(0, 10_000))
def test_r_ins_3_items_overlap_the_period_and_done_on_lies_in_its_window(facts, setting, period, spread):
    frequency = rules.owed_inspections(facts, period, setting, spread=spread)
    for item in frequency.items:
        assert item.window.overlaps(period)
        assert item.done_on is None or item.done_on in item.window
        assert item.planned_month.day == 1
        if item.kind == rules.PERIODIC:
            assert item.window.start <= item.planned_month <= item.window.end
        if item.done_on is None:
            assert not any(visit.on in item.window for visit in facts.visits)
    keys = [item.key for item in frequency.items]
    assert len(keys) == len(set(keys))


def test_r_ins_3_each_new_permit_in_the_period_owes_its_own_check():
    # A 首次申请 in February and a 重新申请 in October: the first check is not forgotten because of the second.
    facts = rules.FacilityFacts(
        level="simplified",
        new_permits=(("首次申请", date(2025, 2, 10)), ("重新申请", date(2025, 10, 8))),
        visits=(rules.Visit(date(2025, 11, 3)),),
    )
    owed = [
        item
        for item in rules.owed_inspections(facts, rules.year_period(2025)).items
        if item.kind == rules.NEW_PERMIT
    ]
    assert [(item.window.end, item.done_on) for item in owed] == [
        (date(2025, 5, 10), None),
        (date(2026, 1, 8), date(2025, 11, 3)),
    ]
