"""What the browser walk found about cases and who sees what (R-INS-8, R-INS-10, R-ORG-3): a decision
never closes a rectification still running; 002 十四 spares only the violations it lists; an approved
case can be taken back to propose another decision; a town sees only signed records; an officer's
drafts are on their home page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau.errors import Conflict
from inspections.models import CaseState, Finding, FindingState, InspectionState
from inspections.queries import my_drafts_waiting, visible_inspections
from inspections.services import cases
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))
TODAY = date(2026, 6, 15)
OVER_LIMIT = {
    "verdict": "noncompliant",
    "note": "颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


def test_r_ins_8_a_decided_case_leaves_its_running_rectification_open(
    facility, officers, legal_head, legal_clerk
):
    # given: a finding on the ledger, then taken to a case as well
    inspection = signed(start(facility, officers), officers, 三_2=NONCOMPLIANT_RECTIFY)
    finding = Finding.objects.get(inspection=inspection)
    case = cases.open_case(by=officers[0], facility=facility, findings=[finding], opened_on=TODAY)
    cases.submit_case(
        by=officers[0], case=case, proposed_decision="penalty", proposal="罚款", submitted_on=TODAY
    )
    cases.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    cases.record_review(by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=TODAY)
    # when
    cases.decide_case(
        by=officers[0],
        case=case,
        decision="penalty",
        decided_on=TODAY,
        decision_no="普环罚〔2026〕9号",
        penalty_amount=20000,
    )
    # then: the finding waits for its follow-up, as its ledger item does
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and finding.rectification.closed_on is None


def test_r_ins_10_no_penalty_only_for_the_violations_002_14_lists(facility, officers):
    inspection = signed(start(facility, officers), officers, 二_5=OVER_LIMIT)
    case = Finding.objects.get(inspection=inspection).case
    with pytest.raises(ValidationError) as refused:
        cases.submit_case(
            by=officers[0],
            case=case,
            proposed_decision="no_penalty",
            proposal="拟不予处罚",
            submitted_on=TODAY,
        )
    assert "违反排污许可证行为" in refused.value.message_dict["proposed_decision"][0]
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING


def test_r_ins_10_an_approved_case_is_taken_back_to_propose_another_decision(
    facility, officers, legal_head, legal_clerk
):
    inspection = signed(start(facility, officers), officers, 二_5=OVER_LIMIT)
    case = Finding.objects.get(inspection=inspection).case
    cases.submit_case(
        by=officers[0], case=case, proposed_decision="transfer", proposal="移送", submitted_on=TODAY
    )
    cases.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    cases.record_review(by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=TODAY)
    with pytest.raises(ValidationError):
        cases.reopen_case(by=officers[0], case=case, reason=" ")
    case = cases.reopen_case(by=officers[0], case=case, reason="经研究改为行政处罚")
    assert case.state == CaseState.INVESTIGATING
    assert case.history.first().history_change_reason == "撤回重新提请：经研究改为行政处罚"
    with pytest.raises(Conflict):
        cases.reopen_case(by=officers[0], case=case, reason="再次撤回")
    # and: submitted again with the other decision, it is reviewed again
    case = cases.submit_case(
        by=officers[0], case=case, proposed_decision="penalty", proposal="罚款", submitted_on=TODAY
    )
    assert case.state == CaseState.UNDER_REVIEW


def test_r_org_3_a_town_sees_signed_records_of_its_facilities_only(
    client, facility, officers, town_a_liaison
):
    draft = start(facility, officers, reason="random_draw", source_reference="2026年第2批双随机抽查")
    record = signed(start(facility, officers), officers)
    assert list(visible_inspections(town_a_liaison)) == [record]
    client.force_login(town_a_liaison)
    assert client.get(reverse("inspections:inspection-detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("inspections:inspection-detail", args=[record.pk])).content.decode()
    assert "返回排污单位" in page and f'href="{reverse("inspections:inspection-list")}"' not in page


def test_an_officers_drafts_are_on_their_home_page(client, facility, officers, legal_clerk):
    draft = start(facility, officers)
    record = signed(start(facility, officers), officers)
    lines = my_drafts_waiting(officers[1], TODAY)
    assert [line.url for line in lines] == [reverse("inspections:inspection-form", args=[draft.pk])]
    assert record.state == InspectionState.SIGNED and my_drafts_waiting(legal_clerk, TODAY) == []
    client.force_login(officers[1])
    assert draft.number in client.get(reverse("home")).content.decode()


def test_r_ins_10_a_unit_with_nothing_to_file_is_told_so(client, facility, officers):
    client.force_login(officers[0])
    response = client.get(f"{reverse('inspections:case-new')}?facility={facility.pk}")
    assert response.status_code == 200 and "该排污单位没有待立案的问题" in response.content.decode()
