"""The pure rules of execution reports, by rule id (R-REP-1…4; 003 第五条、第十三条). No database, except
the last tests, which check that the SQL of ``services.due.owing_permits`` agrees with ``rules.owes``."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permits.models import Facility, Permit, PermitEvent
from permits.reports import rules
from permits.reports.rules import MONTH, QUARTER, YEAR, Period
from permits.reports.services import due
from tests.factories.permits import FacilityFactory

# R-REP-1: due dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(MONTH, 2026, 3), date(2026, 4, 15)),
        (Period(MONTH, 2026, 2), date(2026, 3, 15)),  # 28 days in February 2026
        (Period(MONTH, 2024, 2), date(2024, 3, 15)),  # 29 in a leap year
        (Period(MONTH, 2026, 12), date(2027, 1, 15)),  # December's report is due in January next year
        (Period(QUARTER, 2026, 1), date(2026, 4, 15)),
        (Period(QUARTER, 2026, 3), date(2026, 10, 15)),
        (Period(QUARTER, 2026, 4), date(2027, 1, 15)),  # Q4 → 15 January next year
        (Period(YEAR, 2026), date(2027, 1, 31)),  # the year → 31 January next year
    ],
    ids=str,
)
def test_r_rep_1_default_due_date_at_period_and_year_boundaries(period, expected):
    assert rules.nominal_due_on(period) == expected


def test_r_rep_1_an_announced_date_overrides_the_default_for_its_period_only():
    policy = rules.DuePolicy(announced=(("2026-Q1", date(2026, 4, 30)), ("2026", date(2027, 3, 31))))
    assert rules.nominal_due_on(Period(QUARTER, 2026, 1), policy) == date(2026, 4, 30)
    assert rules.nominal_due_on(Period(YEAR, 2026), policy) == date(2027, 3, 31)
    # the month ending with the quarter, and the next quarter, keep the default
    assert rules.nominal_due_on(Period(MONTH, 2026, 3), policy) == date(2026, 4, 15)
    assert rules.nominal_due_on(Period(QUARTER, 2026, 2), policy) == date(2026, 7, 15)


def test_r_rep_1_the_settings_change_the_days_after_a_period_and_the_annual_day():
    policy = rules.DuePolicy(days_after_period=20, annual_due=(3, 15))
    assert rules.nominal_due_on(Period(MONTH, 2026, 12), policy) == date(2027, 1, 20)
    assert rules.nominal_due_on(Period(QUARTER, 2026, 2), policy) == date(2026, 7, 20)
    assert rules.nominal_due_on(Period(YEAR, 2026), policy) == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("period", "start", "end", "code", "label"),
    [
        (Period(MONTH, 2026, 12), date(2026, 12, 1), date(2026, 12, 31), "2026-12", "2026年12月"),
        (Period(QUARTER, 2026, 4), date(2026, 10, 1), date(2026, 12, 31), "2026-Q4", "2026年第4季度"),
        (Period(YEAR, 2026), date(2026, 1, 1), date(2026, 12, 31), "2026", "2026年度"),
        (Period(MONTH, 2024, 2), date(2024, 2, 1), date(2024, 2, 29), "2024-02", "2024年2月"),
    ],
    ids=str,
)
def test_r_rep_1_periods_are_calendar_periods(period, start, end, code, label):
    assert (period.start, period.end, period.code, period.label) == (start, end, code, label)


def test_r_rep_1_the_period_after_december_and_q4_is_in_the_next_year():
    assert Period(MONTH, 2026, 12).following() == Period(MONTH, 2027, 1)
    assert Period(QUARTER, 2026, 4).following() == Period(QUARTER, 2027, 1)
    assert Period(YEAR, 2026).following() == Period(YEAR, 2027)


@pytest.mark.parametrize(("type", "number"), [(MONTH, 13), (MONTH, 0), (QUARTER, 5), (YEAR, 2), ("week", 1)])
def test_r_rep_1_a_period_out_of_range_is_refused_in_chinese(type, number):
    with pytest.raises(ValueError, match="报告周期"):
        Period(type, 2026, number)


# R-REP-1: what a permit owes ------------------------------------------------------------------------


def owed(frequency, valid_from, covered_until=None, ended_by=date(2027, 6, 30)):
    return rules.owed_periods(
        report_frequency=frequency, valid_from=valid_from, covered_until=covered_until, ended_by=ended_by
    )


def test_r_rep_1_a_monthly_permit_owes_twelve_monthly_reports_and_the_annual_one():
    periods = owed("monthly", date(2026, 1, 1), covered_until=date(2026, 12, 31))
    assert [p for p in periods if p.type == MONTH] == [Period(MONTH, 2026, n) for n in range(1, 13)]
    assert [p for p in periods if p.type != MONTH] == [Period(YEAR, 2026)]
    # in order of the period's end, the December report before the year's
    assert periods[-2:] == [Period(MONTH, 2026, 12), Period(YEAR, 2026)]


def test_r_rep_1_a_quarterly_permit_owes_four_quarterly_reports_and_the_annual_one():
    periods = owed("quarterly", date(2026, 1, 1), covered_until=date(2026, 12, 31))
    assert periods == [Period(QUARTER, 2026, n) for n in range(1, 5)] + [Period(YEAR, 2026)]


def test_r_rep_1_an_annual_permit_owes_only_the_annual_report():
    assert owed("annual", date(2026, 1, 1), covered_until=date(2026, 12, 31)) == [Period(YEAR, 2026)]
    assert rules.owed_types("annual") == (YEAR,)
    with pytest.raises(ValueError, match="执行报告频次"):
        rules.owed_types("weekly")


def test_r_rep_1_a_permit_valid_from_mid_period_owes_that_period():
    # issued on the last day of a quarter: that quarter's report is owed (003 第十三条 gives no exemption)
    periods = owed("quarterly", date(2026, 3, 31), ended_by=date(2026, 9, 30))
    assert periods == [Period(QUARTER, 2026, 1), Period(QUARTER, 2026, 2), Period(QUARTER, 2026, 3)]
    monthly = owed("monthly", date(2026, 5, 20), ended_by=date(2026, 7, 31))
    assert monthly == [Period(MONTH, 2026, 5), Period(MONTH, 2026, 6), Period(MONTH, 2026, 7)]


def test_r_rep_1_a_permit_ending_mid_period_owes_that_period_and_nothing_after():
    # validity ends (or the permit is cancelled the next day) on 10 August: August and the year are owed
    periods = owed("monthly", date(2026, 6, 1), covered_until=date(2026, 8, 10))
    assert periods == [
        Period(MONTH, 2026, 6),
        Period(MONTH, 2026, 7),
        Period(MONTH, 2026, 8),
        Period(YEAR, 2026),
    ]


def test_r_rep_1_a_cancelled_permit_stops_owing():
    # cancelled on 1 April: covered until 31 March, so Q1 and the year are owed, Q2 not
    periods = owed("quarterly", date(2025, 1, 1), covered_until=date(2026, 3, 31))
    assert Period(QUARTER, 2026, 1) in periods and Period(YEAR, 2026) in periods
    assert Period(QUARTER, 2026, 2) not in periods
    assert not rules.owes(
        Period(QUARTER, 2026, 2),
        report_frequency="quarterly",
        valid_from=date(2025, 1, 1),
        covered_until=date(2026, 3, 31),
    )


def test_r_rep_1_only_ended_periods_are_owed():
    periods = owed("monthly", date(2026, 1, 1), ended_by=date(2026, 3, 30))
    assert periods == [Period(MONTH, 2026, 1), Period(MONTH, 2026, 2)]
    assert owed("monthly", date(2026, 1, 1), ended_by=date(2026, 3, 31))[-1] == Period(MONTH, 2026, 3)


def test_r_rep_1_a_permit_does_not_owe_a_kind_its_frequency_does_not_call_for():
    kwargs = {"valid_from": date(2025, 1, 1), "covered_until": None}
    assert not rules.owes(Period(MONTH, 2026, 3), report_frequency="quarterly", **kwargs)
    assert not rules.owes(Period(QUARTER, 2026, 1), report_frequency="monthly", **kwargs)
    assert rules.owes(Period(YEAR, 2026), report_frequency="monthly", **kwargs)
    assert not rules.owes(Period(YEAR, 2024), report_frequency="monthly", **kwargs)  # before its validity


# R-REP-1: receipt and the grace period ---------------------------------------------------------------


def test_r_rep_1_received_on_the_due_date_itself_is_on_time():
    due_on = date(2026, 4, 15)
    assert rules.receipt_state(due_on=due_on, received_on=due_on, today=date(2026, 5, 1)) == rules.ON_TIME


def test_r_rep_1_received_a_day_after_the_due_date_is_late():
    due_on = date(2026, 4, 15)
    received = due_on + timedelta(days=1)
    assert rules.receipt_state(due_on=due_on, received_on=received, today=date(2026, 5, 1)) == rules.LATE


def test_r_rep_1_nothing_received_is_not_due_on_the_due_date_and_missing_the_day_after():
    due_on = date(2026, 4, 15)
    assert rules.receipt_state(due_on=due_on, received_on=None, today=due_on) == rules.NOT_DUE
    assert rules.receipt_state(due_on=due_on, received_on=None, today=due_on + timedelta(1)) == rules.MISSING
    assert rules.RECEIPT_NAMES[rules.MISSING] == "逾期未报"


@pytest.mark.parametrize(
    ("grace", "lead_on"), [(30, date(2026, 5, 16)), (0, date(2026, 4, 16)), (60, date(2026, 6, 15))]
)
def test_r_rep_1_a_missing_report_becomes_a_lead_the_day_after_the_grace_period(grace, lead_on):
    assert rules.lead_due_on(date(2026, 4, 15), grace) == lead_on


def test_r_rep_1_the_default_grace_period_is_thirty_days():
    assert rules.DuePolicy().grace_days == rules.DEFAULT_GRACE_DAYS == 30


# R-REP-1: periods as people write them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", Period(MONTH, 2026, 3)),
        ("2026-3", Period(MONTH, 2026, 3)),
        ("2026年3月", Period(MONTH, 2026, 3)),
        ("2026年12月", Period(MONTH, 2026, 12)),
        ("2026 年 3 月", Period(MONTH, 2026, 3)),
        ("2026/03", Period(MONTH, 2026, 3)),
        ("2026.3", Period(MONTH, 2026, 3)),
        ("2026-Q1", Period(QUARTER, 2026, 1)),
        ("2026q4", Period(QUARTER, 2026, 4)),
        ("2026Q2", Period(QUARTER, 2026, 2)),
        ("2026年第1季度", Period(QUARTER, 2026, 1)),
        ("2026年第四季度", Period(QUARTER, 2026, 4)),
        ("2026一季度", Period(QUARTER, 2026, 1)),
        ("2026年三季度", Period(QUARTER, 2026, 3)),
        ("2026", Period(YEAR, 2026)),
        ("2026年度", Period(YEAR, 2026)),
        ("2026年", Period(YEAR, 2026)),
        (" 2026 ", Period(YEAR, 2026)),
    ],
)
def test_r_rep_1_parse_period_reads_the_usual_spellings(text, expected):
    assert rules.parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "2026-13", "2026-00", "2026Q5", "2026-Q0", "1999", "2026-03-01", "三月"]
)
def test_r_rep_1_parse_period_refuses_the_rest_in_chinese(text):
    with pytest.raises(ValueError, match="无法识别的报告期"):
        rules.parse_period(text)


def test_r_rep_1_parse_period_checks_the_type_the_column_names():
    assert rules.parse_period("2026-Q1", QUARTER) == Period(QUARTER, 2026, 1)
    with pytest.raises(ValueError, match="是季度，与报告类型（月度）不符"):
        rules.parse_period("2026-Q1", MONTH)


@given(
    period=st.builds(
        lambda t, y, n: Period(t, y, min(n, {MONTH: 12, QUARTER: 4, YEAR: 1}[t])),
        st.sampled_from(rules.PERIOD_TYPES),
        st.integers(2000, 2100),
        st.integers(1, 12),
    )
)
def test_r_rep_1_a_period_code_and_label_read_back_as_the_period(period):
    assert rules.parse_period(period.code) == period
    assert rules.parse_period(period.label, period.type) == period


# R-REP-2: check points by section, as 003 第五条 gives them -----------------------------------------


def test_r_rep_2_approval_checks_the_five_points_of_003_article_5():
    assert [p.name for p in rules.CHECK_POINTS[rules.APPROVAL]] == [
        "企业基本信息",
        "信息公开情况",
        "附件",
        "企业内部管理体系建设与运行情况",
        "其他需要说明的情况",
    ]


def test_r_rep_2_ecology_checks_the_six_points_of_003_article_5():
    assert [p.name for p in rules.CHECK_POINTS[rules.ECOLOGY]] == [
        "自行监测情况",
        "实际排放情况及达标判定分析",
        "信息公开情况",
        "附件",
        "企业内部管理体系建设与运行情况",
        "其他需要说明的情况",
    ]


def test_r_rep_2_pollution_checks_the_seven_points_of_003_article_5():
    assert [p.name for p in rules.CHECK_POINTS[rules.POLLUTION]] == [
        "污染防治设施运行情况",
        "台账管理信息",
        "实际排放情况及达标判定分析",
        "附件",
        "企业内部管理体系建设与运行情况",
        "其他排污许可证规定的内容执行情况（应急预案、清洁生产等）",
        "其他需要说明的情况",
    ]


def test_r_rep_2_only_the_three_sections_review_and_exceedances_go_to_the_two_that_check_emissions():
    assert rules.REVIEW_SECTIONS == ("approval", "ecology", "pollution")
    assert rules.EMISSIONS_SECTIONS == ("ecology", "pollution")
    for points in rules.CHECK_POINTS.values():
        codes = [p.code for p in points]
        assert len(codes) == len(set(codes))


def test_r_rep_2_a_point_of_another_section_is_refused():
    assert rules.check_point(rules.POLLUTION, "ledger").name == "台账管理信息"
    with pytest.raises(ValueError, match="没有这一检查要点"):
        rules.check_point(rules.APPROVAL, "ledger")


def test_r_rep_2_a_part_is_complete_when_every_point_has_a_result_and_every_problem_is_written():
    results = {p.code: rules.FINE for p in rules.CHECK_POINTS[rules.APPROVAL]}
    assert rules.part_gaps(rules.APPROVAL, results, {}) == []
    results["attachments"] = rules.PROBLEM
    assert rules.part_gaps(rules.APPROVAL, results, {}) == ["「附件」标为存在问题，但未写明问题"]
    assert rules.part_gaps(rules.APPROVAL, results, {"attachments": 1}) == []
    del results["disclosure"]
    assert rules.part_gaps(rules.APPROVAL, results, {"attachments": 1}) == [
        "「信息公开情况」尚未填写检查结果"
    ]


# R-REP-2: exceedances ---------------------------------------------------------------------------------


def compare(period_type, concentration=None, quantity=None):
    return rules.exceedances(
        outlet="DA001",
        pollutant="颗粒物",
        concentration=concentration,
        quantity=quantity,
        limit_concentration=Decimal("20"),
        limit_unit="mg/m³",
        limit_annual_quantity=Decimal("2.5"),
        period_type=period_type,
    )


@pytest.mark.parametrize("period_type", rules.PERIOD_TYPES)
def test_r_rep_2_concentration_is_compared_in_every_report(period_type):
    (found,) = compare(period_type, concentration=Decimal("25"))
    assert (found.measure, found.reported, found.limit) == ("浓度", Decimal("25"), Decimal("20"))
    assert found.text == "DA001 颗粒物 实际浓度 25 mg/m³，超过许可浓度 20 mg/m³"
    assert compare(period_type, concentration=Decimal("20")) == []  # at the limit is not over it


@pytest.mark.parametrize("period_type", [MONTH, QUARTER])
def test_r_rep_2_quantity_is_not_compared_in_a_month_or_quarter(period_type):
    assert compare(period_type, quantity=Decimal("9")) == []


def test_r_rep_2_quantity_is_compared_with_the_annual_limit_in_the_annual_report():
    (found,) = compare(YEAR, quantity=Decimal("2.6"))
    assert (found.measure, found.unit) == ("排放量", "吨")
    assert len(compare(YEAR, concentration=Decimal("21"), quantity=Decimal("2.6"))) == 2
    assert compare(YEAR, quantity=Decimal("2.5")) == []


def test_r_rep_2_no_limit_means_no_exceedance():
    assert (
        rules.exceedances(
            outlet="DW001",
            pollutant="氨氮",
            concentration=Decimal("99"),
            quantity=Decimal("99"),
            limit_concentration=None,
            limit_unit="mg/L",
            limit_annual_quantity=None,
            period_type=YEAR,
        )
        == []
    )


# R-REP-2: the reproducible sample ---------------------------------------------------------------------


def test_r_rep_2_the_same_seed_draws_the_same_reports_whatever_order_they_come_in():
    ids = list(range(1, 201))
    first = rules.draw_sample(ids, Decimal("10"), seed=42)
    shuffled = ids[:]
    random.Random(7).shuffle(shuffled)
    assert rules.draw_sample(shuffled, Decimal("10"), seed=42) == first
    assert rules.draw_sample(shuffled + ids[:5], Decimal("10"), seed=42) == first  # duplicates ignored
    assert len(first) == 20 and first == sorted(first) and set(first) <= set(ids)
    assert rules.draw_sample(ids, Decimal("10"), seed=43) != first


@pytest.mark.parametrize(
    ("population", "share", "size"),
    [(11, "10", 2), (10, "10", 1), (1, "0.5", 1), (0, "10", 0), (7, "100", 7), (200, "12.5", 25)],
)
def test_r_rep_2_the_share_is_rounded_up(population, share, size):
    assert rules.sample_size(population, Decimal(share)) == size
    assert len(rules.draw_sample(list(range(population)), Decimal(share), seed=1)) == size


@pytest.mark.parametrize("share", ["0", "-5", "100.01", "150"])
def test_r_rep_2_a_share_of_nothing_or_over_everything_is_refused(share):
    with pytest.raises(ValueError, match="抽查比例须大于 0 且不超过 100%"):
        rules.draw_sample([1, 2, 3], Decimal(share), seed=1)


# R-REP-4: escalation ----------------------------------------------------------------------------------


NOTICE_DUE = date(2026, 5, 11)


def test_r_rep_4_a_substantive_problem_goes_to_enforcement_as_soon_as_the_notice_tells_it():
    assert rules.is_escalated_on(
        rules.SUBSTANTIVE, is_open=True, notice_due_on=NOTICE_DUE, today=date(2026, 4, 23)
    )
    assert not rules.is_escalated_on(
        rules.SUBSTANTIVE, is_open=True, notice_due_on=None, today=date(2026, 4, 23)
    )


def test_r_rep_4_a_procedural_problem_goes_only_when_still_open_after_the_time_limit():
    def escalated(is_open, today):
        return rules.is_escalated_on(rules.PROCEDURAL, is_open=is_open, notice_due_on=NOTICE_DUE, today=today)

    assert not escalated(True, NOTICE_DUE)  # the last day of the time limit
    assert escalated(True, NOTICE_DUE + timedelta(days=1))
    assert not escalated(False, NOTICE_DUE + timedelta(days=1))  # corrected in time
    assert not rules.is_escalated_on(
        rules.PROCEDURAL, is_open=True, notice_due_on=None, today=date(2027, 1, 1)
    )


# R-REP-1: the SQL of owing_permits agrees with rules.owes --------------------------------------------

ENDED_BY = date(2026, 12, 31)
PERIODS = [p for p in due.periods_to_make(ENDED_BY + timedelta(days=1))]


def make_permit(facility, number, *, frequency, valid_from, valid_until, ended_on=None):
    """Bulk rows, not the services: this checks a query against a rule, over shapes the services may
    not let a test make on one day (an ending event in the past of any date)."""
    permit = Permit.objects.create(
        number=f"SQLTWIN{number:06d}",
        facility=facility,
        management_level="key",
        issued_on=valid_from,
        valid_from=valid_from,
        valid_until=valid_until,
        report_frequency=frequency,
    )
    if ended_on is not None:
        PermitEvent.objects.create(permit=permit, kind="cancellation", occurred_on=ended_on)
        # a later ending event changes nothing: the first one ends the permit
        PermitEvent.objects.create(
            permit=permit, kind="revocation", occurred_on=ended_on + timedelta(days=40)
        )
    return permit


def assert_sql_agrees(permit):
    permit = Permit.objects.prefetch_related("events").get(pk=permit.pk)
    covered_until = due.covered_until_of(permit)
    for period in PERIODS:
        by_rule = rules.owes(
            period,
            report_frequency=permit.report_frequency,
            valid_from=permit.valid_from,
            covered_until=covered_until,
        )
        by_sql = due.owing_permits(period).filter(pk=permit.pk).exists()
        assert by_sql == by_rule, (period, permit.valid_from, permit.valid_until, covered_until)
    listed = set(due.owed_periods_of(permit, ended_by=ENDED_BY))
    assert {p for p in PERIODS if due.owing_permits(p).filter(pk=permit.pk).exists()} == {
        p for p in listed if p.start >= PERIODS[0].start
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("frequency", "valid_from", "valid_until", "ended_on"),
    [
        ("monthly", date(2025, 3, 31), date(2030, 3, 30), None),  # from the last day of a month
        ("quarterly", date(2025, 6, 30), date(2026, 4, 1), None),  # ends on the first day of Q2
        ("annual", date(2026, 12, 31), date(2031, 12, 30), None),  # owes 2026 from its one day in it
        ("monthly", date(2024, 1, 1), date(2029, 1, 1), date(2026, 3, 1)),  # cancelled on 1 March
        ("quarterly", date(2024, 1, 1), date(2029, 1, 1), date(2026, 4, 2)),  # cancelled on Q2's 2nd day
        ("quarterly", date(2024, 1, 1), date(2029, 1, 1), date(2026, 4, 1)),  # cancelled on Q2's 1st day
        ("annual", date(2020, 1, 1), date(2024, 12, 31), None),  # expired before the periods
        ("monthly", date(2021, 1, 1), date(2025, 12, 31), date(2026, 6, 1)),  # cancelled after it expired
    ],
)
def test_r_rep_1_owing_permits_sql_agrees_with_the_rule_at_the_edges(
    town_a, frequency, valid_from, valid_until, ended_on
):
    facility = FacilityFactory(town=town_a)
    permit = make_permit(
        facility, 1, frequency=frequency, valid_from=valid_from, valid_until=valid_until, ended_on=ended_on
    )
    assert_sql_agrees(permit)


days = st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 6, 30))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    frequency=st.sampled_from(sorted(rules.OWED_BY_FREQUENCY)),
    valid_from=days,
    length=st.integers(0, 2000),
    ended_after=st.none() | st.integers(0, 900),
    number=st.integers(1, 999_999),
)
def test_r_rep_1_owing_permits_sql_agrees_with_the_rule(
    town_a, frequency, valid_from, length, ended_after, number
):
    facility = Facility.objects.filter(town=town_a).first() or FacilityFactory(town=town_a)
    if Permit.objects.filter(number=f"SQLTWIN{number:06d}").exists():
        return
    ended_on = None if ended_after is None else valid_from + timedelta(days=ended_after)
    permit = make_permit(
        facility,
        number,
        frequency=frequency,
        valid_from=valid_from,
        valid_until=valid_from + timedelta(days=length),
        ended_on=ended_on,
    )
    assert_sql_agrees(permit)


@pytest.mark.parametrize("grace", [0, 1, 30, 90])
def test_r_rep_1_lead_cutoff_is_the_inverse_of_the_lead_day(grace):
    today = date(2026, 3, 1)
    cutoff = rules.lead_cutoff(today, grace)
    assert rules.lead_due_on(cutoff, grace) == today
    assert rules.lead_due_on(cutoff + timedelta(days=1), grace) > today
