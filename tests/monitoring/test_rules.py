"""R-MON-1 pure rules: the 30% sample, the comparison with the permit's limit, the plan's contents,
what a conclusion needs and when it becomes a lead. No database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import rules
from monitoring.models import Basis, Conclusion, TaskKind


@pytest.mark.parametrize(
    ("count", "sample"), [(0, 0), (1, 1), (3, 1), (4, 2), (10, 3), (11, 4), (100, 30), (101, 31)]
)
def test_r_mon_1_simplified_sample_rounds_up(count, sample):
    assert rules.simplified_sample(count) == sample


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=30, max_value=100))
def test_r_mon_1_simplified_sample_is_the_least_share_rounded_up(count, share):
    n = rules.simplified_sample(count, share)
    assert n * 100 >= count * share  # at least the share
    assert n == 0 or (n - 1) * 100 < count * share  # and not one more than needed
    assert n <= count


def test_r_mon_1_simplified_sample_refuses_nonsense():
    with pytest.raises(ValueError):
        rules.simplified_sample(-1)
    with pytest.raises(ValueError):
        rules.simplified_sample(10, 101)


@pytest.mark.parametrize(
    ("measured", "limit", "exceeded", "times"),
    [
        ("50", "50", False, None),  # equal to the limit is compliant
        ("50.001", "50", True, Decimal("0.00")),
        ("75", "50", True, Decimal("0.50")),
        ("100", "50", True, Decimal("1.00")),
        ("0", "50", False, None),
        ("33.335", "10", True, Decimal("2.33")),
        ("33.35", "10", True, Decimal("2.34")),  # half up
        ("1", "0", True, None),  # over a zero limit: exceeded, no ratio
        ("0", "0", False, None),
    ],
)
def test_r_mon_1_compare_with_the_limit(measured, limit, exceeded, times):
    result = rules.compare(Decimal(measured), Decimal(limit), "mg/m³", "mg/m³")
    assert (result.error, result.exceeded, result.times_over) == ("", exceeded, times)


@given(
    st.decimals(min_value=0, max_value=10_000, places=3),
    st.decimals(min_value=Decimal("0.001"), max_value=10_000, places=3),
)
def test_r_mon_1_compare_exceeds_exactly_above_the_limit(measured, limit):
    result = rules.compare(measured, limit, "mg/L", "mg/L")
    assert result.exceeded == (measured > limit)
    if result.exceeded:
        assert result.times_over == (measured / limit - 1).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    else:
        assert result.times_over is None


@pytest.mark.parametrize(("a", "b"), [("mg/m³", "mg/m3"), ("MG/M3", "mg/m³"), (" mg/L", "mg/l")])
def test_r_mon_1_compare_accepts_the_same_unit_written_differently(a, b):
    assert rules.compare(Decimal("60"), Decimal("50"), a, b).exceeded


def test_r_mon_1_compare_refuses_different_units_and_negative_values():
    unit = rules.compare(Decimal("60"), Decimal("50"), "mg/L", "mg/m³")
    assert (unit.field, unit.exceeded) == ("unit", False)
    assert "不一致" in unit.error
    negative = rules.compare(Decimal("-1"), Decimal("50"), "mg/L", "mg/L")
    assert (negative.field, negative.error) == ("measured", "监测浓度不能为负数。")


def facility(pk, level, **kwargs):
    return rules.PlanFacility(pk=pk, code=f"C{pk:03d}", level=level, **kwargs)


def test_r_mon_1_plan_contents():
    facilities = [
        facility(1, "key", has_auto_monitoring=True),
        facility(2, "key", is_closed=True, has_auto_monitoring=True),
        facility(3, "simplified"),
        facility(4, "simplified"),
        facility(5, "simplified", is_confidential=True),
        facility(6, "registered", has_auto_monitoring=True),
        facility(7, "registered"),
    ]
    assert rules.simplified_pool(facilities) == ["C003", "C004"]
    tasks = rules.plan_contents(facilities, {"C004"})
    assert [(t.facility, t.kind, t.basis) for t in tasks] == [
        (1, "enforcement", "key_all"),
        (1, "self_monitoring", "self_monitoring"),
        (1, "online_equipment", "online_equipment"),
        (4, "enforcement", "simplified_sample"),
        (6, "online_equipment", "online_equipment"),
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from(["key", "simplified", "registered"]), st.booleans(), st.booleans()),
        max_size=40,
    )
)
def test_r_mon_1_plan_holds_every_key_holder_once_and_no_pair_twice(rows):
    facilities = [
        facility(i, level, is_closed=closed, has_auto_monitoring=auto)
        for i, (level, closed, auto) in enumerate(rows)
    ]
    tasks = rules.plan_contents(facilities, set(rules.simplified_pool(facilities)))
    pairs = [(t.facility, t.kind) for t in tasks]
    assert len(pairs) == len(set(pairs))
    enforcement_of_key = [t.facility for t in tasks if t.basis == "key_all"]
    assert sorted(enforcement_of_key) == [f.pk for f in facilities if f.level == "key" and not f.is_closed]


def conclusion_error(conclusion, **facts):
    facts = {"kind": "enforcement", "sampled": True, "results": 1, "any_exceeded": False, "text": "", **facts}
    return rules.conclusion_error(conclusion, **facts)


def test_r_mon_1_conclusion_needs_what_it_says():
    assert conclusion_error("compliant") is None
    assert conclusion_error("compliant", any_exceeded=True)[0] == "conclusion"
    assert conclusion_error("compliant", results=0) == ("conclusion", "请先录入监测结果，再出具达标结论。")
    assert conclusion_error("compliant", sampled=False) == ("conclusion", "请先登记采样情况。")
    assert conclusion_error("compliant", kind="self_monitoring", sampled=False, results=0) is None
    assert conclusion_error("exceeded")[0] == "conclusion"
    assert conclusion_error("exceeded", any_exceeded=True) is None
    assert conclusion_error("anomaly") == ("text", "请说明异常情况。")
    assert conclusion_error("anomaly", text="在线监测数据缺失") is None
    assert conclusion_error("")[0] == "conclusion"


@pytest.mark.parametrize(
    ("conclusion", "exceeded", "lead"),
    [
        ("compliant", False, False),
        ("exceeded", True, True),
        ("anomaly", False, True),
        ("anomaly", True, True),
    ],
)
def test_r_mon_1_over_the_limit_or_anomaly_is_a_lead(conclusion, exceeded, lead):
    assert rules.needs_lead(conclusion, exceeded) is lead


def test_rules_name_the_models_values():
    assert {rules.ENFORCEMENT, rules.SELF_MONITORING, rules.ONLINE_EQUIPMENT} == set(TaskKind.values)
    assert {rules.KEY_ALL, rules.SIMPLIFIED_SAMPLE, rules.SELF_MONITORING, rules.ONLINE_EQUIPMENT} <= set(
        Basis.values
    )
    assert {rules.COMPLIANT, rules.EXCEEDED, rules.ANOMALY} == set(Conclusion.values) - {""}
