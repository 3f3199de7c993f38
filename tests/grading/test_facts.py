"""The facts of a year the grading reads (``grading.services.facts``), made from real records through the
services that make them in production: penalties and cases (R-GRD-2, R-INS-10), campaign findings,
refused complaints, transfers to the police, facts recorded by hand; the year's record for the ranking
(R-GRD-4); who the holders of a year are (R-GRD-1). One condition and rule id a test."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bureau.models import SectionCode
from complaints.services import answer_complaint, close_complaint
from grading import rules
from grading.models import FactKind
from grading.services import facts
from inspections.models import Case
from inspections.services import cases as case_services
from permits.models import PermitEventKind
from permits.reports import rules as report_rules
from permits.reports.services.due import get_or_make_report
from permits.reports.services.receipts import record_receipt
from permits.services.penalties import record_penalty
from tests.factories.bureau import StaffFactory
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitEventFactory, PermitFactory, RegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2025, 12, 20))]

DAY = date(2025, 12, 20)
CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}
MINOR_ANSWER = {**CASE_ANSWER, "note": "环境管理台账缺 11 月记录", "finding_kind": "other_duties"}


@pytest.fixture
def officer2(db):
    return StaffFactory(
        username="enforcement2", section_code=SectionCode.ENFORCEMENT, certificate_no="31010720002"
    ).user


@pytest.fixture
def officers(officer, officer2):
    return [officer, officer2]


@pytest.fixture
def holder(town_a, approval_clerk):
    """A key-managed facility whose permit runs from 2024-01-10 to 2029-01-09."""
    facility = FacilityFactory(n=1, town=town_a, by=approval_clerk)
    PermitFactory(facility=facility, by=approval_clerk, issued_on=date(2024, 1, 10))
    return facility


def facts_of(facility, year: int = 2025) -> rules.HolderFacts:
    (found,) = facts.load_year(year, facility_ids=[facility.pk]).holders
    return found


def conditions(facility, year: int = 2025) -> list[str]:
    return [fact.condition for fact in facts_of(facility, year).facts]


def case_on(facility, officers, answer=CASE_ANSWER, **inspection) -> Case:
    """The case a signed inspection of ``facility`` opened on its 立案查处 point."""
    point = "四_3" if answer["finding_kind"] == "other_duties" else "二_5"
    found = signed(start(facility, officers, **inspection), officers, **{point: answer})
    return Case.objects.get(findings__inspection=found)


def decided(case, officer, legal_head, legal_clerk, decision: str, **fields) -> Case:
    """``case`` submitted with ``decision``, reviewed by 法制科 and decided on DAY."""
    case_services.submit_case(
        by=officer, case=case, proposed_decision=decision, proposal="调查终结", submitted_on=DAY
    )
    case_services.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    case_services.record_review(by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=DAY)
    return case_services.decide_case(by=officer, case=case, decision=decision, decided_on=DAY, **fields)


# 附件2 三1: administrative penalties --------------------------------------------------------------------


def test_r_grd_2_a_penalty_record_of_the_year_makes_condition_u1(holder, officer):
    record_penalty(
        by=officer,
        facility=holder,
        decision_no="市环罚〔2025〕3号",
        decided_on=date(2025, 4, 2),
        violation="超标排放",
        amount=Decimal("50000"),
    )
    (fact,) = facts_of(holder).facts
    assert fact.condition == rules.U_PENALTY
    assert "市环罚〔2025〕3号" in fact.text and "超标排放" in fact.text
    assert fact.url == reverse("permits:facility-detail", args=[holder.pk]) + "#penalties"


def test_r_grd_2_a_case_decided_with_a_penalty_links_the_penalty_to_the_case(
    holder, officers, officer, legal_head, legal_clerk
):
    case = decided(
        case_on(holder, officers),
        officer,
        legal_head,
        legal_clerk,
        "penalty",
        decision_no="普环罚〔2025〕7号",
        penalty_amount=Decimal("85000"),
    )
    (fact,) = facts_of(holder).facts
    assert fact.condition == rules.U_PENALTY and "普环罚〔2025〕7号" in fact.text
    assert fact.url == reverse("inspections:case-detail", args=[case.pk])


def test_r_grd_2_r_ins_10_a_case_closed_without_penalty_is_not_unqualified(
    holder, officers, officer, legal_head, legal_clerk
):
    decided(
        case_on(holder, officers, MINOR_ANSWER),
        officer,
        legal_head,
        legal_clerk,
        "no_penalty",
        no_penalty_ground="ledger_incomplete",
        first_violation=True,
        slight_harm=True,
        corrected_on=DAY,
        legal_basis="《行政处罚法》第三十三条",
    )
    found = facts_of(holder)
    assert found.facts == ()
    assert found.record.findings == 1  # the finding still counts in the year's record


# 附件2 三2: campaigns ------------------------------------------------------------------------------------


def test_r_grd_2_a_campaign_finding_sent_to_a_case_makes_condition_u2(holder, officers):
    case = case_on(holder, officers, reason="campaign")
    (fact,) = facts_of(holder).facts
    assert fact.condition == rules.U_CAMPAIGN
    inspection_id = case.findings.get().inspection_id
    assert fact.url == reverse("inspections:inspection-detail", args=[inspection_id])


def test_r_grd_2_a_routine_finding_sent_to_a_case_is_not_a_campaign(holder, officers):
    case_on(holder, officers)
    assert conditions(holder) == []


def test_r_grd_2_a_campaign_finding_put_on_the_ledger_is_not_condition_u2(holder, officers):
    signed(start(holder, officers, reason="campaign"), officers, 四_3=NONCOMPLIANT_RECTIFY)
    assert conditions(holder) == []


# 附件2 三3: complaints -----------------------------------------------------------------------------------


def closed_complaint(holder, officer, *, substantiated: bool, rectification: str):
    complaint = ComplaintFactory(by=officer, facility=holder, received_on=date(2025, 3, 1))
    answer_complaint(
        by=officer,
        complaint=complaint,
        investigation="现场核查",
        is_substantiated=substantiated,
        answer="已核查",
        answered_on=date(2025, 3, 10),
    )
    return close_complaint(
        by=officer, complaint=complaint, closed_on=date(2025, 3, 20), rectification=rectification
    )


def test_r_grd_2_a_verified_complaint_refused_makes_condition_u3(holder, officer):
    complaint = closed_complaint(holder, officer, substantiated=True, rectification="refused")
    (fact,) = facts_of(holder).facts
    assert fact.condition == rules.U_REFUSED and complaint.number in fact.text
    assert fact.url == reverse("complaints:complaint-detail", args=[complaint.pk])


def test_r_grd_2_a_verified_complaint_rectified_does_not_count(holder, officer):
    closed_complaint(holder, officer, substantiated=True, rectification="rectified")
    assert conditions(holder) == []


# 附件2 三5: transfers to the police ---------------------------------------------------------------------


def test_r_grd_2_a_case_transferred_to_the_police_makes_condition_u5(
    holder, officers, officer, legal_head, legal_clerk
):
    case = decided(
        case_on(holder, officers), officer, legal_head, legal_clerk, "transfer", police_office="区公安分局"
    )
    (fact,) = facts_of(holder).facts
    assert fact.condition == rules.U_OTHER and "移送公安机关" in fact.text
    assert fact.url == reverse("inspections:case-detail", args=[case.pk])


# Facts recorded by hand ----------------------------------------------------------------------------------


def hand_fact(facility, by, kind, occurred_on=date(2025, 6, 1)):
    return facts.record_fact(
        by=by,
        facility=facility,
        kind=kind,
        occurred_on=occurred_on,
        description="事实描述",
        evidence="沪环〔2025〕1号",
        today=DAY,
    )


@pytest.mark.parametrize("kind", FactKind.values)
def test_r_grd_2_r_grd_3_a_fact_of_each_kind_recorded_by_hand_counts(holder, pollution_clerk, kind):
    recorded = hand_fact(holder, pollution_clerk, kind)
    (fact,) = facts_of(holder).facts
    assert fact.condition == kind
    assert "污防科" in fact.text and "沪环〔2025〕1号" in fact.text
    assert fact.url == reverse("permits:facility-detail", args=[holder.pk]) + f"#grading-fact-{recorded.pk}"


def test_r_grd_2_a_withdrawn_fact_does_not_count(holder, pollution_clerk):
    recorded = hand_fact(holder, pollution_clerk, FactKind.NOT_COOPERATING)
    facts.withdraw_fact(by=pollution_clerk, fact=recorded, reason="误录")
    assert conditions(holder) == []


def test_r_grd_1_facts_of_another_year_do_not_count(holder, pollution_clerk, officer):
    hand_fact(holder, pollution_clerk, FactKind.COMMENDATION, occurred_on=date(2024, 11, 1))
    record_penalty(
        by=officer,
        facility=holder,
        decision_no="普环罚〔2024〕1号",
        decided_on=date(2024, 5, 1),
        violation="超标",
    )
    assert conditions(holder, 2025) == []
    assert set(conditions(holder, 2024)) == {rules.U_PENALTY, rules.E_COMMENDATION}


# The year's record (R-GRD-4 ranking) ----------------------------------------------------------------------


def test_r_grd_4_the_years_record_counts_findings_overdue_rectifications_late_reports_and_tasks(
    holder, officers, approval_clerk
):
    # given: in June two findings, one on the ledger never closed (overdue by December) …
    signed(
        start(holder, officers, on=date(2025, 6, 2)), officers, 二_5=CASE_ANSWER, 四_3=NONCOMPLIANT_RECTIFY
    )
    # … in December one more on the ledger, due only in 2026 (not overdue in 2025)
    signed(start(holder, officers), officers, 四_3=NONCOMPLIANT_RECTIFY)
    # … a report never filed, one filed on time, one filed late
    permit = holder.permits.get()
    missing = report_rules.Period(report_rules.QUARTER, 2025, 1)
    get_or_make_report(permit, missing, by=None)
    for number, late_by in ((2, 0), (3, 5)):
        period = report_rules.Period(report_rules.QUARTER, 2025, number)
        due_on = get_or_make_report(permit, period, by=None).due_on
        record_receipt(
            by=approval_clerk,
            permit=permit,
            period=period,
            received_on=due_on + timedelta(days=late_by),
            today=DAY,
        )
    # … and a linkage task about the holder
    LinkageTaskFactory(facility=holder, started_on=date(2025, 5, 6))
    # when
    record = facts_of(holder).record
    # then
    assert record == rules.Record(findings=3, overdue_rectifications=1, late_reports=2, linkage_tasks=1)
    assert facts_of(holder, 2024).record == rules.Record()


# Who is a holder of the year (R-GRD-1) ----------------------------------------------------------------------


@pytest.mark.today(date(2026, 1, 20))
def test_r_grd_1_holders_of_the_year_are_the_permits_in_force_on_a_day_of_it(town_a, approval_clerk):
    def facility(n, **values):
        return FacilityFactory(n=n, town=town_a, by=approval_clerk, **values)

    # a permit valid into the year: counts
    valid_into = facility(11)
    PermitFactory(facility=valid_into, by=approval_clerk, issued_on=date(2020, 3, 1))  # until 2025-02-28
    # a permit ended (注销) before the year: does not count
    cancelled = facility(12)
    permit = PermitFactory(facility=cancelled, by=approval_clerk, issued_on=date(2023, 3, 1))
    PermitEventFactory(
        permit=permit,
        by=approval_clerk,
        kind=PermitEventKind.CANCELLATION,
        occurred_on=date(2024, 11, 1),
        document_no="注销〔2024〕1号",
    )
    # a permit ended during the year: counts (it was in force on a day of it)
    cancelled_later = facility(13)
    permit = PermitFactory(facility=cancelled_later, by=approval_clerk, issued_on=date(2023, 3, 1))
    PermitEventFactory(
        permit=permit,
        by=approval_clerk,
        kind=PermitEventKind.CANCELLATION,
        occurred_on=date(2025, 8, 1),
        document_no="注销〔2025〕1号",
    )
    # a registered unit (no permit): does not count
    registered = facility(14, management_level="registered")
    RegistrationFactory(facility=registered, by=approval_clerk)
    # a permit issued after the year: does not count
    later = facility(15)
    PermitFactory(facility=later, by=approval_clerk, issued_on=date(2026, 1, 5))
    # a permit that expired before the year but was extended into it by a granted 延续: counts
    extended = facility(16)
    permit = PermitFactory(facility=extended, by=approval_clerk, valid_until=date(2024, 12, 31))
    PermitEventFactory(
        permit=permit,
        by=approval_clerk,
        kind=PermitEventKind.RENEWAL,
        occurred_on=date(2024, 12, 10),
        new_valid_until=date(2029, 12, 31),
        document_no="延续〔2024〕1号",
    )
    # a permit that expired before the year, not extended: does not count
    expired = facility(17)
    PermitFactory(facility=expired, by=approval_clerk, valid_until=date(2024, 12, 31))

    holders = set(facts.holders_of(2025).values_list("facility_id", flat=True))
    assert holders == {valid_into.pk, cancelled_later.pk, extended.pk}
    assert {h.facility_id for h in facts.load_year(2025).holders} == holders


# Queries -----------------------------------------------------------------------------------------------------


def test_r_grd_1_load_year_costs_thirteen_queries_whatever_the_number_of_holders(
    django_assert_num_queries, make_holders, pollution_clerk, officer
):
    def give_facts(facility, i):
        hand_fact(facility, pollution_clerk, FactKind.COMMENDATION)
        record_penalty(
            by=officer,
            facility=facility,
            decision_no=f"普环罚〔2025〕{i}号",
            decided_on=date(2025, 5, 1),
            violation="超标",
        )
        LinkageTaskFactory(facility=facility, started_on=date(2025, 5, 6))

    first = make_holders(1)
    give_facts(first[0], 100)
    # Thirteen: the holders; penalties; their cases; campaign findings; refused complaints; transferred
    # cases; marked findings; marked cases; facts by hand; and the counts of findings, overdue items,
    # late reports, linkage tasks.
    with django_assert_num_queries(13):
        assert len(facts.load_year(2025).holders) == 1
    for i, facility in enumerate(make_holders(4, start=1)):
        give_facts(facility, 101 + i)
    with django_assert_num_queries(13):
        loaded = facts.load_year(2025)
    assert len(loaded.holders) == 5
    assert all(len(h.facts) == 2 and h.record.linkage_tasks == 1 for h in loaded.holders)
    with django_assert_num_queries(13):
        assert len(facts.load_year(2025, facility_ids=[first[0].pk]).holders) == 1


# 002 十二 conduct, and the year a refusal counts in -------------------------------------------------------


def test_r_grd_2_r_pos_1_a_finding_of_malicious_discharge_is_a_serious_violation_u5(holder, officers):
    """A finding marked 恶意偷排 and the case opened on it are 附件2 三5 before any penalty is decided."""
    case = case_on(holder, officers, answer={**CASE_ANSWER, "conduct": "secret_discharge"})
    found = facts_of(holder).facts
    assert [f.condition for f in found] == [rules.U_OTHER, rules.U_OTHER]
    assert "恶意偷排" in found[0].text and case.number in found[1].text
    assert found[1].url == reverse("inspections:case-detail", args=[case.pk])
    (result,) = rules.grade_year([facts_of(holder)], cap=0)
    assert result.grade == rules.UNQUALIFIED


def test_r_grd_2_a_refusal_counts_in_the_year_it_was_recorded(holder, officer):
    """Received in December 2024, refused when closed in January 2025: a fact of 2025 only."""
    complaint = ComplaintFactory(by=officer, facility=holder, received_on=date(2024, 12, 20))
    answer_complaint(
        by=officer,
        complaint=complaint,
        investigation="现场核查",
        is_substantiated=True,
        answer="已核查",
        answered_on=date(2025, 1, 6),
    )
    close_complaint(by=officer, complaint=complaint, closed_on=date(2025, 1, 15), rectification="refused")
    assert conditions(holder, 2025) == [rules.U_REFUSED]
    assert conditions(holder, 2024) == []
