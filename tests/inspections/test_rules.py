"""The pure rules of checklist inspections (``inspections.rules``): no database, microseconds each.
Named by the rule they prove: who may inspect (R-INS-6), what an answer and a signature need
(R-INS-1, R-INS-7, R-INS-8), which checklist applies (R-INS-1, R-INS-2), what a decision needs
(R-INS-10), who reads interference records (R-INS-11), and the record's hash."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections import rules
from inspections.models import CaseDecision, Disposition, FindingKind, NoPenaltyGround, Reason, Verdict
from inspections.rules import AnswerFacts, ChecklistFacts, DecisionFacts, OfficerFacts

CHEN = OfficerFacts("陈执法", "enforcement", "31010720001")
ZHOU = OfficerFacts("周执法", "enforcement", "31010720002")
TODAY = date(2026, 6, 15)
PERMIT_HOLDER_CODES = ["一.1", "一.2", "一.3", "二.1", "二.2"]


# R-INS-6: at least two enforcement officers, active, with certificate numbers


def test_r_ins_6_two_certified_enforcement_officers_may_inspect():
    assert rules.officer_errors([CHEN, ZHOU]) == []


@pytest.mark.parametrize("officers", [[], [CHEN]], ids=["none", "one"])
def test_r_ins_6_fewer_than_two_officers_are_refused(officers):
    assert rules.officer_errors(officers) == [f"现场检查须有至少 2 名执法人员（当前 {len(officers)} 名）。"]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (replace(ZHOU, certificate_no="  "), "周执法没有登记执法证号，不能参加现场检查。"),
        (replace(ZHOU, is_active=False), "周执法的账号已停用，不能参加检查。"),
        (replace(ZHOU, section_code="legal"), "周执法不是执法大队的执法人员。"),
        (replace(ZHOU, section_code=None), "周执法不是执法大队的执法人员。"),
    ],
    ids=["no-certificate", "inactive", "other-section", "no-section"],
)
def test_r_ins_6_each_officer_must_be_an_active_certified_enforcement_officer(second, message):
    assert rules.officer_errors([CHEN, second]) == [message]


def test_r_ins_6_one_uncertified_officer_is_refused_for_both_reasons():
    lone = replace(CHEN, certificate_no="")
    assert rules.officer_errors([lone]) == [
        "现场检查须有至少 2 名执法人员（当前 1 名）。",
        "陈执法没有登记执法证号，不能参加现场检查。",
    ]


# R-INS-1, R-INS-7, R-INS-8: answers and the signature


@pytest.mark.parametrize("verdict", ["", "compliant", "not_applicable"])
def test_r_ins_1_an_answer_other_than_noncompliant_needs_nothing_more(verdict):
    assert rules.answer_errors(AnswerFacts("一.1", verdict)) == {}


def test_r_ins_1_an_unknown_verdict_is_refused():
    assert rules.answer_errors(AnswerFacts("一.1", "maybe")) == {
        "verdict": "检查结论应为符合、不符合或不适用。"
    }


@pytest.mark.parametrize("note", ["", "   \n"])
def test_r_ins_1_noncompliant_needs_a_note(note):
    assert rules.answer_errors(AnswerFacts("二.5", rules.NONCOMPLIANT, note=note)) == {
        "note": "第 二.5 项为“不符合”，须填写情况说明。"
    }


def test_r_ins_1_noncompliant_with_a_note_may_wait_for_its_class_and_disposition():
    assert rules.answer_errors(AnswerFacts("二.5", rules.NONCOMPLIANT, note="超标")) == {}


def test_r_ins_7_an_unknown_class_or_disposition_is_refused():
    errors = rules.answer_errors(
        AnswerFacts("二.5", rules.NONCOMPLIANT, note="超标", finding_kind="bad", disposition="ignore")
    )
    assert set(errors) == {"finding_kind", "disposition"}


@pytest.mark.parametrize("workdays", [None, 0, rules.MAX_DEADLINE_WORKDAYS + 1])
def test_r_ins_8_a_rectification_needs_a_deadline_in_range_and_a_responsible_person(workdays):
    facts = AnswerFacts(
        "四.3",
        rules.NONCOMPLIANT,
        note="台账不全",
        finding_kind="other_duties",
        disposition="rectification",
        deadline_workdays=workdays,
    )
    assert set(rules.answer_errors(facts)) == {"deadline_workdays", "responsible_person"}


@pytest.mark.parametrize("workdays", [1, rules.MAX_DEADLINE_WORKDAYS])
def test_r_ins_8_a_rectification_at_the_bounds_is_accepted(workdays):
    facts = AnswerFacts(
        "四.3",
        rules.NONCOMPLIANT,
        note="台账不全",
        finding_kind="other_duties",
        disposition="rectification",
        deadline_workdays=workdays,
        responsible_person="王经理",
    )
    assert rules.answer_errors(facts) == {}


def test_r_ins_1_sign_gaps_lists_the_unanswered_points_in_checklist_order():
    answers = [AnswerFacts("二.2", "compliant"), AnswerFacts("一.1", "not_applicable")]
    assert rules.sign_gaps(answers, PERMIT_HOLDER_CODES) == ["尚有 3 项未填写结论：第 一.2、一.3、二.1 项。"]


def test_r_ins_7_r_ins_8_sign_gaps_asks_each_noncompliant_point_for_class_and_disposition():
    answers = [AnswerFacts(code, "compliant") for code in PERMIT_HOLDER_CODES[:-1]] + [
        AnswerFacts("二.2", rules.NONCOMPLIANT, note="废水去向与许可不一致")
    ]
    assert rules.sign_gaps(answers, PERMIT_HOLDER_CODES) == [
        "第 二.2 项为“不符合”，须选择违法类别。",
        "第 二.2 项为“不符合”，须选择处理方式（立整立改、限期整改或立案查处）。",
    ]


def test_r_ins_1_a_complete_record_has_no_gaps_and_ignores_answers_to_other_points():
    answers = [AnswerFacts(code, "compliant") for code in PERMIT_HOLDER_CODES]
    answers.append(AnswerFacts("九.9", rules.NONCOMPLIANT))  # not a point of this version
    answers[0] = AnswerFacts(
        "一.1", rules.NONCOMPLIANT, note="无证", finding_kind="unlicensed", disposition="case"
    )
    assert rules.sign_gaps(answers, PERMIT_HOLDER_CODES) == []


verdicts = st.sampled_from(["", *rules.VERDICTS])


@settings(deadline=None)  # pure and fast; a first example may pay the interpreter's warm-up
@given(st.dictionaries(st.sampled_from(PERMIT_HOLDER_CODES), verdicts))
def test_r_ins_1_sign_gaps_is_empty_exactly_when_every_point_is_answered(given_verdicts):
    answers = [
        AnswerFacts(code, v, note="说明", finding_kind="other_duties", disposition="on_the_spot")
        for code, v in given_verdicts.items()
    ]
    complete = all(given_verdicts.get(code) for code in PERMIT_HOLDER_CODES)
    assert (rules.sign_gaps(answers, PERMIT_HOLDER_CODES) == []) == complete


# R-INS-1, R-INS-2: which checklist a facility is inspected with

HOLDERS = ChecklistFacts(1, "permit_holders")
REGISTERED = ChecklistFacts(2, "registered")
PAINT = ChecklistFacts(3, "key_industry", "264")


@pytest.mark.parametrize(
    ("level", "key_industry", "expected"),
    [
        ("key", None, 1),
        ("simplified", None, 1),
        ("key", "264", 3),
        ("simplified", "264", 3),
        ("key", "336", 1),  # a key industry without its own checklist: the holders' one
        ("registered", "264", 2),  # a registered unit is checked against its registration form
        ("registered", None, 2),
        ("", None, 2),  # neither permit nor registration: the registered units' list (003 第六条)
    ],
)
def test_r_ins_1_r_ins_2_checklist_for_a_facility(level, key_industry, expected):
    chosen = rules.checklist_for(
        [HOLDERS, REGISTERED, PAINT],
        management_level=level,
        industry_code="2641",
        key_industry_code=key_industry,
    )
    assert chosen == expected


def test_r_ins_1_no_checklist_applies_when_none_is_published_for_the_kind():
    assert (
        rules.checklist_for([REGISTERED], management_level="key", industry_code="", key_industry_code=None)
        is None
    )


# R-INS-10: what a case's decision needs


def decision(**changes) -> DecisionFacts:
    base = DecisionFacts(
        decision="penalty",
        decided_on=date(2026, 6, 10),
        opened_on=date(2026, 5, 20),
        decision_no="普环罚〔2026〕3号",
        penalty_amount=Decimal("50000"),
    )
    return replace(base, **changes)


def no_penalty(**changes) -> DecisionFacts:
    values = {
        "decision": "no_penalty",
        "decision_no": "",
        "penalty_amount": None,
        "no_penalty_ground": "report_not_submitted",
        "legal_basis": rules.DEFAULT_NO_PENALTY_BASIS,
        "first_violation": True,
        "slight_harm": True,
        "corrected_on": date(2026, 6, 1),
    }
    return decision(**(values | changes))


def test_r_ins_10_a_complete_penalty_is_accepted():
    assert rules.decision_errors(decision(), today=TODAY) == {}


def test_r_ins_10_a_revocation_needs_no_fine():
    assert rules.decision_errors(decision(penalty_amount=None, revokes_permit=True), today=TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_no": " "}, "decision_no"),
        ({"penalty_amount": None}, "penalty_amount"),
        ({"penalty_amount": Decimal("-1")}, "penalty_amount"),
        ({"decided_on": None}, "decided_on"),
        ({"decided_on": date(2026, 6, 16)}, "decided_on"),
        ({"decided_on": date(2026, 5, 19)}, "decided_on"),
        ({"decision": "warning"}, "decision"),
    ],
    ids=["no-number", "no-amount", "negative", "no-date", "future", "before-opening", "unknown"],
)
def test_r_ins_10_an_incomplete_penalty_is_refused(changes, field):
    assert set(rules.decision_errors(decision(**changes), today=TODAY)) == {field}


@pytest.mark.parametrize("ground", rules.NO_PENALTY_GROUNDS)
def test_r_ins_10_each_ground_of_002_xiv_may_be_not_penalised(ground):
    assert rules.decision_errors(no_penalty(no_penalty_ground=ground), today=TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"no_penalty_ground": "over_limit"},
            "no_penalty_ground",
            "不予处罚只适用于指导意见（十四）所列情形",
        ),
        ({"first_violation": False}, "first_violation", "不予处罚须为初次违法且危害后果轻微"),
        ({"slight_harm": False}, "first_violation", "不予处罚须为初次违法且危害后果轻微"),
        ({"corrected_on": None}, "corrected_on", "不予处罚须为及时改正"),
        ({"corrected_on": date(2026, 6, 11)}, "corrected_on", "改正日期不能晚于决定日期"),
        ({"legal_basis": ""}, "legal_basis", "请填写不予处罚的法律依据"),
    ],
    ids=["other-ground", "not-first", "harm-not-slight", "uncorrected", "corrected-after", "no-basis"],
)
def test_r_ins_10_no_penalty_outside_002_xiv_is_refused(changes, field, message):
    errors = rules.decision_errors(no_penalty(**changes), today=TODAY)
    assert list(errors) == [field] and message in errors[field]


def test_r_ins_10_a_transfer_to_the_police_needs_the_receiving_office():
    transfer = decision(decision="transfer", decision_no="", penalty_amount=None)
    assert rules.decision_errors(transfer, today=TODAY) == {
        "police_office": "移送公安机关须填写接收的公安机关。"
    }
    assert rules.decision_errors(replace(transfer, police_office="普陀分局治安支队"), today=TODAY) == {}


# The record's hash


RECORD = {
    "number": "JC-2026-0001",
    "inspected_on": "2026-06-15",
    "officers": [["陈执法", "31010720001"], ["周执法", "31010720002"]],
    "answers": [["一.1", "是否依法取得排污许可证。", "compliant", ""]],
    "photos": ["ab" * 32],
}


def test_record_digest_is_the_sha256_of_canonical_json():
    import hashlib
    import json

    canonical = json.dumps(RECORD, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert rules.record_digest(RECORD) == hashlib.sha256(canonical.encode()).hexdigest()
    assert rules.record_digest(RECORD) == rules.record_digest(dict(RECORD))  # stable


@settings(deadline=None)  # pure and fast; a first example may pay the interpreter's warm-up
@given(st.permutations(list(RECORD)))
def test_record_digest_does_not_depend_on_the_order_of_keys(keys):
    assert rules.record_digest({key: RECORD[key] for key in keys}) == rules.record_digest(RECORD)


@pytest.mark.parametrize(
    "changed",
    [
        {**RECORD, "number": "JC-2026-0002"},
        {**RECORD, "inspected_on": "2026-06-14"},
        {**RECORD, "officers": list(reversed(RECORD["officers"]))},
        {**RECORD, "answers": [["一.1", "是否依法取得排污许可证。", "noncompliant", ""]]},
        {**RECORD, "answers": [["一.1", "是否依法取得排污许可证。", "compliant", " "]]},
        {**RECORD, "photos": ["ab" * 31 + "ac"]},
        {**RECORD, "summary": ""},
    ],
    ids=["number", "date", "officer-order", "verdict", "note", "photo", "new-key"],
)
def test_record_digest_changes_when_anything_changes(changed):
    assert rules.record_digest(changed) != rules.record_digest(RECORD)


@settings(deadline=None)  # pure and fast; a first example may pay the interpreter's warm-up
@given(st.text(min_size=1), st.text())
def test_record_digest_tells_every_text_apart(first, second):
    assert (rules.record_digest({"note": first}) == rules.record_digest({"note": second})) == (
        first == second
    )


# R-INS-11: who reads interference records


@pytest.mark.parametrize(
    ("section", "may"),
    [
        ("leadership", True),
        ("legal", True),
        ("enforcement", False),
        ("approval", False),
        ("ecology", False),
        ("pollution", False),
        ("monitoring", False),
        ("town", False),
        (None, False),  # the administrator holds no section
    ],
)
def test_r_ins_11_only_leadership_and_legal_read_interference_records(section, may):
    assert rules.may_read_interference(section) is may


def test_numbers_are_padded_by_year():
    assert rules.inspection_number(2026, 7) == "JC-2026-0007"
    assert rules.case_number(2026, 12) == "AJ-2026-0012"


def test_the_pure_rules_name_the_same_values_as_the_models():
    # rules.py may not import the models (it stays pure), so the values it names are written twice;
    # this keeps the two from drifting apart.
    assert set(rules.FINDING_KINDS) == set(FindingKind.values)
    assert set(rules.VERDICTS) == set(Verdict.values) - {""}
    assert set(rules.DISPOSITIONS) == set(Disposition.values) - {""}
    assert set(rules.NO_PENALTY_GROUNDS) == set(NoPenaltyGround.values) == set(rules.NO_PENALTY_KINDS)
    assert set(rules.REASON_SOURCES) == set(Reason.values)
    assert {"penalty", "no_penalty", "transfer"} == set(CaseDecision.values)
