"""The grading rules (``grading.rules``) without a database: 附件2 三 (不合格), 四 (优秀 priority), the 10%
cap and its ranking (R-GRD-2…4), and what the work group may change (R-GRD-5)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading import rules
from grading.rules import (
    EXCELLENT,
    EXCELLENT_CONDITIONS,
    QUALIFIED,
    UNQUALIFIED,
    UNQUALIFIED_CONDITIONS,
    Fact,
    HolderFacts,
    Record,
)

CLEAN = Record()


def holder(n: int, *conditions: str, record: Record = CLEAN, code: str | None = None) -> HolderFacts:
    facts = tuple(Fact(c, f"事实{c}", f"/evidence/{n}/{c}") for c in conditions)
    return HolderFacts(n, code or f"91310107MA1G{n:06d}001", facts, record)


def graded(holders, cap=None):
    cap = rules.excellent_cap(len(holders)) if cap is None else cap
    return {r.facility_id: r for r in rules.grade_year(holders, cap=cap)}


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


# --- R-GRD-4: the cap ------------------------------------------------------------------------------


@pytest.mark.parametrize(("holders", "places"), [(0, 0), (9, 0), (10, 1), (11, 1), (19, 1), (20, 2), (25, 2)])
def test_r_grd_4_cap_is_ten_percent_rounded_down(holders, places):
    assert rules.excellent_cap(holders) == places


@pytest.mark.parametrize(("count", "places"), [(9, 0), (10, 1), (11, 1), (25, 2)])
def test_r_grd_4_grades_at_the_cap_boundaries(count, places):
    """Every holder commended: exactly ``places`` are 优秀, the rest 合格 with the cap's reason."""
    holders = [holder(n, rules.E_COMMENDATION) for n in range(count)]
    results = graded(holders)
    excellent = [r for r in results.values() if r.grade == EXCELLENT]
    assert len(excellent) == places
    assert [r.rank for r in excellent] == list(range(1, places + 1))
    for result in results.values():
        if result.grade == QUALIFIED:
            assert codes(result)[-1] == "cap"
            assert (
                "超出名额" in result.reasons[-1].text and f"优秀名额 {places} 个" in result.reasons[-1].text
            )
        assert result.reasons[0].code == rules.E_COMMENDATION


def test_r_grd_4_no_place_at_nine_holders_even_for_the_best():
    results = graded([holder(1, *EXCELLENT_CONDITIONS)] + [holder(n) for n in range(2, 10)])
    assert results[1].grade == QUALIFIED and results[1].rank == 1
    assert "排序第 1 位，优秀名额 0 个，超出名额" in results[1].reasons[-1].text


# --- R-GRD-4: the ranking --------------------------------------------------------------------------


def test_r_grd_4_ranking_conditions_first_then_findings_overdue_late_then_source_code():
    candidates = [
        holder(1, rules.E_COMMENDATION, code="C"),  # one condition, clean record, code C
        holder(2, rules.E_COMMENDATION, rules.E_MEDIA, record=Record(findings=5)),  # two conditions
        holder(3, rules.E_MEDIA, record=Record(findings=1)),
        holder(4, rules.E_MEDIA, record=Record(overdue_rectifications=1)),
        holder(5, rules.E_MEDIA, record=Record(late_reports=1)),
        holder(6, rules.E_RESPONSIBILITY, code="A"),  # a full tie with 1 and 7 but for the code
        holder(7, rules.E_COMMENDATION, code="B"),
        holder(8, rules.E_MEDIA, record=Record(overdue_rectifications=1, late_reports=0, findings=0)),
    ]
    order = [h.facility_id for h in sorted(candidates, key=rules.rank_key)]
    # Two conditions first; then findings, overdue rectifications, late reports (fewer first); 1, 6 and 7
    # and then 4 and 8 tie on all of these and go by source code.
    assert order == [2, 6, 7, 1, 5, 4, 8, 3]
    results = graded(candidates + [holder(n) for n in range(100, 112)], cap=2)  # 20 holders, 2 places
    assert [results[i].grade for i in (2, 6)] == [EXCELLENT, EXCELLENT]
    assert results[2].reasons[-1] == rules.Reason("rank", "“优秀”候选 8 家，排序第 1 位，优秀名额 2 个。")
    assert results[6].rank == 2 and "排序第 2 位" in results[6].reasons[-1].text
    assert results[7].grade == QUALIFIED and results[7].rank == 3
    assert "排序第 3 位，优秀名额 2 个，超出名额，评定为“合格”" in results[7].reasons[-1].text
    assert results[3].rank == 8


def test_r_grd_4_ranking_does_not_depend_on_input_order():
    candidates = [holder(n, rules.E_MEDIA, code=f"{9 - n}") for n in range(5)]
    forward = graded(candidates, cap=2)
    backward = graded(list(reversed(candidates)), cap=2)
    assert {k: (v.grade, v.rank) for k, v in forward.items()} == {
        k: (v.grade, v.rank) for k, v in backward.items()
    }
    assert {k for k, v in forward.items() if v.grade == EXCELLENT} == {4, 3}  # codes "5" and "6"


def test_r_grd_4_results_keep_the_input_order():
    holders = [holder(3), holder(1, rules.U_PENALTY), holder(2, rules.E_MEDIA)]
    assert [r.facility_id for r in rules.grade_year(holders, cap=1)] == [3, 1, 2]


# --- R-GRD-2: every 不合格 condition alone ---------------------------------------------------------


@pytest.mark.parametrize("condition", UNQUALIFIED_CONDITIONS)
def test_r_grd_2_each_unqualified_condition_alone(condition):
    results = graded([holder(1, condition)] + [holder(n) for n in range(2, 12)])
    result = results[1]
    assert result.grade == UNQUALIFIED
    assert result.unqualified == (condition,) and result.excellent == () and result.rank is None
    (reason,) = result.reasons
    assert reason.code == condition and reason.url == f"/evidence/1/{condition}"
    assert reason.text.startswith(f"{rules.ARTICLE[condition]}“{rules.CONDITIONS[condition]}”")


def test_r_grd_2_unqualified_overrides_a_commendation():
    results = graded([holder(1, rules.E_COMMENDATION, rules.E_MEDIA, rules.U_PENALTY)], cap=5)
    result = results[1]
    assert result.grade == UNQUALIFIED and result.rank is None
    assert result.excellent == (rules.E_COMMENDATION, rules.E_MEDIA)
    assert codes(result) == [rules.U_PENALTY, "overridden"]
    assert "附件2 四1、附件2 四2" in result.reasons[-1].text
    assert "评定为“不合格”" in result.reasons[-1].text


def test_r_grd_2_unqualified_candidate_takes_no_place():
    """A 不合格 holder with commendations is no candidate: the place goes to the next."""
    results = graded([holder(1, *EXCELLENT_CONDITIONS, rules.U_OTHER), holder(2, rules.E_MEDIA)], cap=1)
    assert (results[1].grade, results[2].grade) == (UNQUALIFIED, EXCELLENT)
    assert "候选 1 家，排序第 1 位" in results[2].reasons[-1].text


def test_r_grd_2_several_facts_of_a_condition_each_a_reason():
    h = HolderFacts(1, "X", (Fact(rules.U_PENALTY, "处罚一"), Fact(rules.U_PENALTY, "处罚二")))
    result = graded([h], cap=0)[1]
    assert result.unqualified == (rules.U_PENALTY,)
    assert [r.text[-3:] for r in result.reasons] == ["处罚一", "处罚二"]


# --- R-GRD-1/3: no condition → 合格 -----------------------------------------------------------------


def test_r_grd_1_no_condition_is_qualified_with_its_reason():
    result = graded([holder(1, record=Record(findings=3, late_reports=2))], cap=0)[1]
    assert result.grade == QUALIFIED and result.rank is None
    assert codes(result) == ["none"]
    assert "无“不合格”情形，也无“优秀”优先条件" in result.reasons[0].text


@pytest.mark.parametrize("condition", EXCELLENT_CONDITIONS)
def test_r_grd_3_each_excellent_condition_alone_is_a_candidate(condition):
    results = graded([holder(1, condition)] + [holder(n) for n in range(2, 11)])
    assert results[1].grade == EXCELLENT and results[1].excellent == (condition,) and results[1].rank == 1
    assert codes(results[1]) == [condition, "rank"]


# --- R-GRD-5: what the work group may change -------------------------------------------------------


def test_r_grd_5_override_needs_a_written_reason():
    assert rules.override_error(rule_unqualified=(), to_grade=EXCELLENT, reason="  ") == (
        "调整评定等级必须填写书面理由。"
    )
    assert rules.override_error(rule_unqualified=(), to_grade=EXCELLENT, reason="获市级表彰") is None


def test_r_grd_5_override_cannot_lift_an_unqualified_condition():
    for to_grade in (EXCELLENT, QUALIFIED):
        message = rules.override_error(rule_unqualified=[rules.U_PENALTY], to_grade=to_grade, reason="已整改")
        assert "附件2 三1" in message and rules.GRADE_LABELS[to_grade] in message
    assert (
        rules.override_error(rule_unqualified=[rules.U_PENALTY], to_grade=UNQUALIFIED, reason="维持") is None
    )
    # Lowering a holder without a condition to 不合格 is the work group's to make, with a reason and the
    # condition of 附件2 三 it found.
    assert (
        rules.override_error(rule_unqualified=(), to_grade=UNQUALIFIED, reason="拒不配合", condition="u4")
        is None
    )


@pytest.mark.parametrize("to_grade", ["", "good", None])
def test_r_grd_5_override_unknown_grade(to_grade):
    assert rules.override_error(rule_unqualified=(), to_grade=to_grade, reason="理由") == (
        "请选择评定等级：优秀、合格或不合格。"
    )


def test_r_grd_4_cap_error():
    assert rules.cap_error(excellent=2, cap=2, exceeded_reason="") is None
    message = rules.cap_error(excellent=3, cap=2, exceeded_reason=" ")
    assert "“优秀”单位 3 家，超过名额 2 个" in message and "记录超出理由" in message
    assert rules.cap_error(excellent=3, cap=2, exceeded_reason="三家均获国家级表彰") is None


def test_r_grd_1_year_error():
    assert rules.year_error(2025, today_year=2026) is None
    assert "2026 年度尚未结束" in rules.year_error(2026, today_year=2026)
    assert "尚未结束" in rules.year_error(2027, today_year=2026)
    assert rules.year_error(1999, today_year=2026) == "评定年度有误。"


# --- properties ------------------------------------------------------------------------------------

conditions = st.lists(st.sampled_from(UNQUALIFIED_CONDITIONS + EXCELLENT_CONDITIONS), max_size=3)
records = st.builds(
    Record,
    findings=st.integers(0, 3),
    overdue_rectifications=st.integers(0, 2),
    late_reports=st.integers(0, 2),
)


@given(st.lists(st.tuples(conditions, records), max_size=40))
def test_r_grd_2_4_never_more_excellent_than_the_cap_and_every_unqualified_has_its_condition(rows):
    holders = [holder(n, *c, record=r) for n, (c, r) in enumerate(rows)]
    cap = rules.excellent_cap(len(holders))
    results = rules.grade_year(holders, cap=cap)
    assert len(results) == len(holders)
    excellent = [r for r in results if r.grade == EXCELLENT]
    assert len(excellent) <= cap
    candidates = [h for h in holders if h.met(EXCELLENT_CONDITIONS) and not h.met(UNQUALIFIED_CONDITIONS)]
    assert len(excellent) == min(cap, len(candidates))
    for h, r in zip(holders, results, strict=True):
        if h.met(UNQUALIFIED_CONDITIONS):
            assert r.grade == UNQUALIFIED
            assert any(reason.code.startswith("u") for reason in r.reasons)
        if r.grade == UNQUALIFIED:
            assert r.unqualified and r.reasons[0].code in UNQUALIFIED_CONDITIONS
        else:
            assert r.reasons  # every grade says why
    ranked = sorted((r for r in results if r.rank), key=lambda r: r.rank)
    assert [r.rank for r in ranked] == list(range(1, len(candidates) + 1))
    assert all(r.grade == EXCELLENT for r in ranked[:cap]) and all(r.grade == QUALIFIED for r in ranked[cap:])


def test_r_grd_2_a_holder_is_made_unqualified_only_on_a_condition_of_annex_2_three():
    assert "须指明附件2 三所列的情形" in rules.override_error(
        rule_unqualified=(), to_grade=rules.UNQUALIFIED, reason="多次拒绝检查"
    )
    assert (
        rules.override_error(
            rule_unqualified=(),
            to_grade=rules.UNQUALIFIED,
            reason="多次拒绝检查",
            condition=rules.U_NOT_COOPERATING,
        )
        is None
    )
    assert rules.override_error(rule_unqualified=(), to_grade=rules.UNQUALIFIED, reason="x", condition="e1")
