"""R-POS-1 (002 十二 "将存在恶意偷排、篡改台账记录、逃避监管等行为的排污单位及时移出清单"): a finding or a case
marked with such conduct takes the unit off the enforcement positive list at once, in the same
transaction, with the record as the reason and its link; nothing else does, and a unit that is not on
the list is left as it was."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau import positive_list
from grading.models import EntrySource, PositiveListEntry
from grading.services import positive
from inspections.models import Case, Conduct, Finding
from inspections.services import cases as case_services
from inspections.services.inspections import save_answer
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, point, signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))

CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "厂区雨水排口旁发现私设暗管",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


@pytest.fixture
def listed(facility, legal_clerk):
    """The facility on the positive list since 1 May, put there by 法制科."""
    return positive.add(
        by=legal_clerk, facility=facility, reason="信用良好，守法记录优良", today=date(2026, 5, 1)
    )


def entry_of(facility) -> PositiveListEntry:
    return PositiveListEntry.objects.get(facility=facility)


def on_list(facility) -> bool:
    return facility.pk in positive_list.members(date(2026, 6, 15), [facility.pk])


@pytest.mark.parametrize("conduct", [c for c in Conduct.values if c])
def test_r_pos_1_a_finding_marked_with_each_conduct_removes_the_unit_at_once(
    listed, facility, officers, conduct
):
    # when: the inspection is signed with a 不符合 marked with the conduct
    inspection = signed(
        start(facility, officers), officers, 四_3={**NONCOMPLIANT_RECTIFY, "conduct": conduct}
    )
    # then: the finding carries it and the unit is off the list from the day it was found
    finding = Finding.objects.get(inspection=inspection)
    assert finding.conduct == conduct
    entry = entry_of(facility)
    assert entry.removed_on == inspection.inspected_on
    assert entry.removal_source == EntrySource.AUTOMATIC
    assert entry.removal_reason == f"检查 {inspection.number} 发现：{Conduct(conduct).label}"
    anchor = f"#point-{point(inspection, '四.3').pk}"
    assert entry.removal_url == reverse("inspections:inspection-detail", args=[inspection.pk]) + anchor
    assert not on_list(facility)


def test_r_pos_1_a_finding_without_the_conduct_leaves_the_unit_on_the_list(listed, facility, officers):
    signed(start(facility, officers), officers, 四_3=NONCOMPLIANT_RECTIFY)
    assert entry_of(facility).removed_on is None
    assert on_list(facility)


def test_r_pos_1_a_case_opened_with_the_conduct_removes_the_unit(client, listed, facility, officers, officer):
    # given: a signed inspection whose finding is on the ledger, marked with nothing
    inspection = signed(start(facility, officers), officers, 四_3=NONCOMPLIANT_RECTIFY)
    finding = Finding.objects.get(inspection=inspection)
    # when: the brigade opens a case on it on the 立案 page, marking 篡改台账记录
    client.force_login(officer)
    response = client.post(
        reverse("inspections:case-new") + f"?facility={facility.pk}",
        {
            "findings": [finding.pk],
            "opened_on": "2026-06-15",
            "officers": [o.pk for o in officers],
            "conduct": "tampering",
        },
    )
    # then: the case carries it, the unit is off the list with the case as the reason and link
    assert response.status_code == 302
    case = Case.objects.get(findings=finding)
    assert case.conduct == "tampering"
    entry = entry_of(facility)
    assert entry.removed_on == date(2026, 6, 15)
    assert entry.removal_reason == f"案件 {case.number}：篡改台账记录"
    assert entry.removal_url == reverse("inspections:case-detail", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert 'data-conduct="tampering"' in page and "篡改台账记录" in page


def test_r_pos_1_a_case_decided_with_the_conduct_removes_the_unit_from_the_decision_day(
    listed, facility, officers, officer, legal_head, legal_clerk
):
    # given: a case opened on a finding marked with nothing, approved by the legal review
    inspection = signed(start(facility, officers), officers, 二_5=CASE_ANSWER)
    case = Case.objects.get(findings__inspection=inspection)
    assert case.conduct == "" and on_list(facility)
    case_services.submit_case(
        by=officer,
        case=case,
        proposed_decision="penalty",
        proposal="查实私设暗管",
        submitted_on=date(2026, 6, 15),
    )
    case_services.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    case_services.record_review(
        by=legal_clerk, case=case, approved=True, opinion="同意", reviewed_on=date(2026, 6, 15)
    )
    # when: the brigade decides, marking 恶意偷排
    case = case_services.decide_case(
        by=officer,
        case=case,
        decision="penalty",
        decided_on=date(2026, 6, 15),
        decision_no="普环罚〔2026〕9号",
        penalty_amount=100000,
        conduct="secret_discharge",
    )
    # then
    assert case.conduct == "secret_discharge"
    entry = entry_of(facility)
    assert (entry.removed_on, entry.removal_reason) == (
        date(2026, 6, 15),
        f"案件 {case.number}：恶意偷排",
    )


def test_r_pos_1_a_case_opened_on_a_marked_finding_carries_its_conduct(listed, facility, officers):
    inspection = signed(start(facility, officers), officers, 二_5={**CASE_ANSWER, "conduct": "evading"})
    case = Case.objects.get(findings__inspection=inspection)
    assert case.conduct == "evading"
    # the finding took the unit off first: its reason stays
    assert entry_of(facility).removal_reason == f"检查 {inspection.number} 发现：逃避监管"


def test_r_pos_1_nothing_breaks_when_the_unit_is_not_on_the_list(facility, officers):
    inspection = signed(
        start(facility, officers), officers, 二_5={**CASE_ANSWER, "conduct": "secret_discharge"}
    )
    assert Finding.objects.get(inspection=inspection).conduct == "secret_discharge"
    assert Case.objects.get(findings__inspection=inspection).conduct == "secret_discharge"
    assert not PositiveListEntry.objects.filter(facility=facility).exists()


def test_r_pos_1_a_conduct_is_refused_on_a_point_that_is_not_noncompliant_or_unknown(facility, officers):
    inspection = start(facility, officers)
    target = point(inspection, "四.3")
    with pytest.raises(ValidationError) as refused:
        save_answer(
            by=officers[0], inspection=inspection, point=target, verdict="compliant", conduct="evading"
        )
    assert "恶意偷排等行为" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        save_answer(
            by=officers[0], inspection=inspection, point=target, **{**NONCOMPLIANT_RECTIFY, "conduct": "x"}
        )
    assert "conduct" in refused.value.message_dict


def test_r_pos_1_the_field_api_and_the_record_page_carry_the_conduct(api_client, client, facility, officers):
    # given: an officer marks a 不符合 through the form's API
    inspection = start(facility, officers)
    api_client.force_authenticate(officers[0])
    body = {"point": point(inspection, "四.3").pk, **NONCOMPLIANT_RECTIFY, "conduct": "evading"}
    response = api_client.post(reverse("api-inspection-answers", args=[inspection.pk]), body, format="json")
    assert response.status_code == 200 and response.json()["conduct"] == "evading"
    # when: the rest is answered and signed
    signed(inspection, officers, 四_3={**NONCOMPLIANT_RECTIFY, "conduct": "evading"})
    # then: the record page shows it on the point and on the finding
    client.force_login(officers[0])
    page = client.get(reverse("inspections:inspection-detail", args=[inspection.pk])).content.decode()
    assert page.count('data-conduct="evading"') == 2 and "逃避监管" in page


def test_r_pos_1_the_officers_plain_form_offers_and_saves_the_conduct(client, facility, officers):
    inspection = start(facility, officers)
    form_url = reverse("inspections:inspection-form", args=[inspection.pk])
    client.force_login(officers[0])
    page = client.get(form_url).content.decode()
    assert 'name="conduct"' in page and "恶意偷排" in page
    target = point(inspection, "四.3")
    body = {"point": target.pk, **NONCOMPLIANT_RECTIFY, "conduct": "secret_discharge"}
    assert client.post(form_url, body).status_code == 302
    assert inspection.answers.get(point=target).conduct == "secret_discharge"
    # a 符合 posted with the select still set keeps no conduct
    client.post(form_url, {"point": target.pk, "verdict": "compliant", "conduct": "tampering"})
    assert inspection.answers.get(point=target).conduct == ""
