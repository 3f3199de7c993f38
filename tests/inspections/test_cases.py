"""The case pages (R-INS-10; 002 九、十、十四): 立案 on findings of signed inspections, 提请法制审核,
法制科's head names the reviewer, only the granted reviewer reviews, 执法大队 decides; a penalty lands
in the facility's 行政处罚 records, a no-penalty decision under 002 十四 does not."""

from datetime import date

import pytest
from django.urls import reverse

from bureau.models import SectionCode
from inspections import rules
from inspections.models import Case, CaseState, Finding
from inspections.services import cases as case_services
from permits.models import PenaltyRecord
from tests.factories.bureau import StaffFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))

LIST = reverse("inspections:case-list")
NEW = reverse("inspections:case-new")
TODAY = "2026-06-15"
CASE_ANSWER = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


def url(name, case):
    return reverse(f"inspections:{name}", args=[case.pk])


def page_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def inspection(facility, officers):
    """A signed inspection with two findings: 二.5 put in a case when signed, 四.3 on the rectification ledger."""
    return signed(start(facility, officers), officers, 二_5=CASE_ANSWER, 四_3=NONCOMPLIANT_RECTIFY)


@pytest.fixture
def case(inspection):
    return Case.objects.get(findings__inspection=inspection)


@pytest.fixture
def minor_case(facility, officers):
    """A case on a minor violation 002 十四 may spare: 四.3, an incomplete ledger (其他环境管理要求)."""
    answer = {**CASE_ANSWER, "note": "环境管理台账缺 2026 年 4 月记录", "finding_kind": "other_duties"}
    inspection = signed(start(facility, officers), officers, 四_3=answer)
    return Case.objects.get(findings__inspection=inspection)


@pytest.fixture
def legal_clerk2(db):
    return StaffFactory(username="legal2", section_code=SectionCode.LEGAL, full_name="吴法制").user


def submitted(case, officer, decision="penalty"):
    return case_services.submit_case(
        by=officer,
        case=case,
        proposed_decision=decision,
        proposal="调查终结，建议处理",
        submitted_on=date(2026, 6, 15),
    )


def reviewed(case, officer, legal_head, reviewer, decision="penalty"):
    submitted(case, officer, decision)
    case_services.assign_reviewer(by=legal_head, case=case, reviewer=reviewer)
    return case_services.record_review(
        by=reviewer, case=case, approved=True, opinion="事实清楚，同意", reviewed_on=date(2026, 6, 15)
    )


# The whole path on the pages ----------------------------------------------------------------------------


def test_r_ins_10_a_case_goes_through_two_rounds_of_review_to_a_penalty_on_the_facility_page(
    client, case, officer, legal_head, legal_clerk, facility
):
    # given: the brigade submits the case with its proposal
    client.force_login(officer)
    response = client.post(
        url("case-submit", case),
        {"proposed_decision": "penalty", "proposal": "调查终结报告：颗粒物超标排放", "submitted_on": TODAY},
    )
    assert response.status_code == 302
    # when: 法制科's head names the reviewer, who returns it; the brigade submits again; it is approved
    client.force_login(legal_head)
    assert client.post(url("case-reviewer", case), {"reviewer": legal_clerk.pk}).status_code == 302
    client.force_login(legal_clerk)
    returned = {"approved": "false", "opinion": "监测报告缺少采样记录，请补充", "reviewed_on": TODAY}
    assert client.post(url("case-review", case), returned).status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.INVESTIGATING
    client.force_login(officer)
    again = {"proposed_decision": "penalty", "proposal": "已补充采样记录", "submitted_on": TODAY}
    assert client.post(url("case-submit", case), again).status_code == 302
    client.force_login(legal_clerk)
    approved = {"approved": "true", "opinion": "事实清楚，证据确凿，同意处罚", "reviewed_on": TODAY}
    assert client.post(url("case-review", case), approved).status_code == 302
    client.force_login(officer)
    response = client.post(
        url("case-decide", case),
        {"decided_on": TODAY, "decision_no": "普环罚〔2026〕7号", "penalty_amount": "85000"},
    )
    assert response.status_code == 302
    # then: the page shows both rounds with their opinions and the decision
    page = page_of(client.get(url("case-detail", case)))
    assert "第 1 轮法制审核：退回补充调查" in page and "监测报告缺少采样记录，请补充" in page
    assert "第 2 轮法制审核：通过" in page and "事实清楚，证据确凿，同意处罚" in page
    assert 'data-decision="penalty"' in page and "85000.00 元" in page and "吊销排污许可证</dt><dd>否" in page
    # and the penalty is in the registry's records, on the facility page's 行政处罚 section
    assert PenaltyRecord.objects.get(decision_no="普环罚〔2026〕7号").facility == facility
    facility_page = page_of(client.get(reverse("permits:facility-detail", args=[facility.pk])))
    penalties = facility_page[facility_page.index('id="penalties"') :]
    assert "普环罚〔2026〕7号" in penalties and "85000" in penalties
    assert Finding.objects.get(case=case).state == "closed"


def test_r_ins_10_not_penalised_under_002_14_with_its_prefilled_legal_basis(
    client, minor_case, officer, legal_head, legal_clerk, facility
):
    case = minor_case
    reviewed(case, officer, legal_head, legal_clerk, decision="no_penalty")
    client.force_login(officer)
    # the form offers the 002 十四 grounds and the legal basis filled in
    form_page = page_of(client.get(url("case-detail", case)))
    assert rules.DEFAULT_NO_PENALTY_BASIS in form_page and "环境管理台账记录数据不全" in form_page
    # refused: not marked as first and slight, no correction date; nothing half-written
    refused = client.post(
        url("case-decide", case),
        {
            "decided_on": TODAY,
            "no_penalty_ground": "ledger_incomplete",
            "legal_basis": rules.DEFAULT_NO_PENALTY_BASIS,
        },
    )
    assert refused.status_code == 400
    assert "不予处罚须为初次违法且危害后果轻微" in page_of(refused) and "请填写改正日期" in page_of(refused)
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEWED
    done = client.post(
        url("case-decide", case),
        {
            "decided_on": TODAY,
            "no_penalty_ground": "ledger_incomplete",
            "first_violation": "on",
            "slight_harm": "on",
            "corrected_on": "2026-06-12",
            "legal_basis": rules.DEFAULT_NO_PENALTY_BASIS,
        },
    )
    assert done.status_code == 302
    decided = Case.objects.get(pk=case.pk)
    assert decided.decision == "no_penalty" and decided.legal_basis == rules.DEFAULT_NO_PENALTY_BASIS
    # not a penalty: the registry's records (which the grading reads) stay empty (R-GRD-2)
    assert not PenaltyRecord.objects.filter(facility=facility).exists()
    assert "初次违法、危害后果轻微并及时改正" in page_of(client.get(url("case-detail", case)))


def test_r_ins_10_transfer_to_the_police_names_the_office(client, case, officer, legal_head, legal_clerk):
    reviewed(case, officer, legal_head, legal_clerk, decision="transfer")
    client.force_login(officer)
    refused = client.post(url("case-decide", case), {"decided_on": TODAY})
    assert refused.status_code == 400 and "移送公安机关须填写接收的公安机关" in page_of(refused)
    assert (
        client.post(
            url("case-decide", case), {"decided_on": TODAY, "police_office": "区公安分局"}
        ).status_code
        == 302
    )
    page = page_of(client.get(url("case-detail", case)))
    assert "移送公安机关" in page and "区公安分局" in page and "移送日期" in page


# 立案 -----------------------------------------------------------------------------------------------------


def test_r_ins_10_the_brigade_opens_a_case_on_a_finding_not_yet_in_one(client, inspection, officer, officer2):
    rectified = Finding.objects.get(inspection=inspection, case__isnull=True)
    client.force_login(officer)
    # the facility with a finding a case may rest on is offered, with its finding
    assert inspection.facility.name in page_of(client.get(NEW))
    form_url = f"{NEW}?facility={inspection.facility_id}"
    assert NONCOMPLIANT_RECTIFY["note"] in page_of(client.get(form_url))
    # from a finding, the form comes with it ticked
    ticked = page_of(client.get(NEW, {"finding": rectified.pk}))
    assert f'value="{rectified.pk}" id="id_findings_0" checked' in ticked
    # one officer is refused (R-INS-6), with the message on the form
    one = client.post(form_url, {"findings": [rectified.pk], "opened_on": TODAY, "officers": [officer.pk]})
    assert one.status_code == 400 and "至少 2 名执法人员" in page_of(one)
    # no finding is refused
    none = client.post(form_url, {"opened_on": TODAY, "officers": [officer.pk, officer2.pk]})
    assert none.status_code == 400 and "立案须至少关联一个检查发现的问题" in page_of(none)
    done = client.post(
        form_url,
        {
            "findings": [rectified.pk],
            "opened_on": TODAY,
            "summary": "台账不全",
            "officers": [officer.pk, officer2.pk],
        },
    )
    assert done.status_code == 302
    case = Case.objects.get(summary="台账不全")
    assert done["Location"] == url("case-detail", case)
    page = page_of(client.get(url("case-detail", case)))
    # the officers with their certificates, the finding with a link to its inspection record
    assert "31010720001" in page and "31010720002" in page
    assert reverse("inspections:inspection-detail", args=[inspection.pk]) in page


def test_r_ins_10_only_the_brigade_opens_submits_and_decides(
    client, case, officer, legal_clerk, leader, administrator, legal_head
):
    for user in (legal_clerk, leader, administrator):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        submit = {"proposed_decision": "penalty", "proposal": "建议处罚", "submitted_on": TODAY}
        assert client.post(url("case-submit", case), submit).status_code == 403
    reviewed(case, officer, legal_head, legal_clerk)
    client.force_login(leader)
    response = client.post(
        url("case-decide", case), {"decided_on": TODAY, "decision_no": "X", "penalty_amount": "1"}
    )
    assert response.status_code == 403 and "案件由执法大队办理" in page_of(response)
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEWED


# Who assigns and who reviews ----------------------------------------------------------------------------


def test_r_ins_10_only_the_legal_head_assigns_and_only_the_granted_reviewer_reviews(
    client, case, officer, legal_head, legal_clerk, legal_clerk2
):
    submitted(case, officer)
    # a 法制科 member who is not the head may not name the reviewer, and sees no such form
    client.force_login(legal_clerk)
    assert 'data-form="reviewer"' not in page_of(client.get(url("case-detail", case)))
    refused = client.post(url("case-reviewer", case), {"reviewer": legal_clerk.pk})
    assert refused.status_code == 403 and "法制审核人由法制科负责人指定" in page_of(refused)
    # the head chooses among 法制科's staff only
    client.force_login(legal_head)
    page = page_of(client.get(url("case-detail", case)))
    assert (
        'data-form="reviewer"' in page
        and "吴法制" in page
        and "周执法" not in page.split('data-form="reviewer"')[1]
    )
    assert client.post(url("case-reviewer", case), {"reviewer": officer.pk}).status_code == 400
    assert client.post(url("case-reviewer", case), {"reviewer": legal_clerk.pk}).status_code == 302
    # another 法制科 member gets 403, and no review form
    client.force_login(legal_clerk2)
    assert 'data-form="review"' not in page_of(client.get(url("case-detail", case)))
    review = {"approved": "true", "opinion": "同意", "reviewed_on": TODAY}
    response = client.post(url("case-review", case), review)
    assert response.status_code == 403 and "只有该案件的法制审核人" in page_of(response)
    # the head neither, unless granted
    client.force_login(legal_head)
    assert client.post(url("case-review", case), review).status_code == 403
    client.force_login(legal_clerk)
    assert 'data-form="review"' in page_of(client.get(url("case-detail", case)))
    empty = client.post(url("case-review", case), {"approved": "true", "opinion": "", "reviewed_on": TODAY})
    assert empty.status_code == 400 and "请填写法制审核意见" in page_of(empty)
    assert client.post(url("case-review", case), review).status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEWED


@pytest.mark.parametrize("persona", ["approval_clerk", "ecology_clerk", "monitoring_clerk", "town_a_liaison"])
def test_r_ins_10_sections_without_cases_get_403_on_every_case_page(client, case, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for address in (LIST, NEW, url("case-detail", case)):
        assert client.get(address).status_code == 403
    assert client.post(url("case-submit", case), {}).status_code == 403


def test_r_ins_10_case_readers_see_the_list_and_a_missing_case_is_404(
    client, case, leader, legal_clerk, officer
):
    for user in (leader, legal_clerk, officer):
        client.force_login(user)
        assert case.number in page_of(client.get(LIST))
    assert client.get(reverse("inspections:case-detail", args=[case.pk + 100])).status_code == 404


def test_r_ins_10_filters_waiting_for_me_and_waiting_for_a_reviewer(
    client, case, inspection, officer, officer2, legal_head, legal_clerk, legal_clerk2
):
    # given: one case submitted without a reviewer, one under review by legal_clerk
    other = case_services.open_case(
        by=officer,
        facility=inspection.facility,
        findings=[Finding.objects.get(inspection=inspection, case__isnull=True)],
        opened_on=date(2026, 6, 15),
        officers=[officer, officer2],
    )
    submitted(case, officer)
    submitted(other, officer)
    case_services.assign_reviewer(by=legal_head, case=other, reviewer=legal_clerk)
    # then
    client.force_login(legal_head)
    unassigned = page_of(client.get(LIST, {"show": "unassigned"}))
    assert case.number in unassigned and other.number not in unassigned
    client.force_login(legal_clerk)
    assert "待指定审核人" not in page_of(client.get(LIST))  # the head's filter only
    mine = page_of(client.get(LIST, {"show": "mine"}))
    assert other.number in mine and case.number not in mine
    client.force_login(legal_clerk2)
    assert other.number not in page_of(client.get(LIST, {"show": "mine"}))
    assert other.number not in page_of(client.get(LIST, {"state": "investigating"}))


# Query budgets ------------------------------------------------------------------------------------------


@pytest.fixture
def three_cases(case, inspection, officer, officer2, legal_head, legal_clerk):
    """Three cases of three states with their reviewers, so a per-row query would show."""
    second = case_services.open_case(
        by=officer,
        facility=inspection.facility,
        findings=[Finding.objects.get(inspection=inspection, case__isnull=True)],
        opened_on=date(2026, 6, 15),
        officers=[officer, officer2],
    )
    third_inspection = signed(
        start(inspection.facility, [officer, officer2]), [officer, officer2], 一_1=CASE_ANSWER
    )
    third = Case.objects.get(findings__inspection=third_inspection)
    reviewed(case, officer, legal_head, legal_clerk)
    submitted(second, officer)
    case_services.assign_reviewer(by=legal_head, case=second, reviewer=legal_clerk)
    return [case, second, third]


def test_r_ins_10_case_list_costs_four_queries(client, leader, three_cases, django_assert_num_queries):
    client.force_login(leader)
    # Expect 4 queries: session; user with staff, section and town; the count; the page of cases joined
    # with facility and reviewer, with their finding counts.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert page_of(response).count("<tr data-case=") == 3


def test_r_ins_10_case_detail_costs_six_queries_for_a_reader(
    client, leader, three_cases, officer, django_assert_num_queries
):
    case = three_cases[0]
    # a second round, so the path has several history rows
    client.force_login(leader)
    # Expect 6 queries: session; user with staff, section and town; the case with facility, reviewer,
    # opener, penalty record and permit; its officers; its findings with their inspections and points;
    # its history with who acted and the reviewer then.
    with django_assert_num_queries(6):
        response = client.get(url("case-detail", case))
    assert page_of(response).count("<li data-step=") >= 4


def test_r_ins_10_case_detail_for_the_deciding_brigade_costs_six_queries(
    client, three_cases, officer, django_assert_num_queries
):
    client.force_login(officer)
    # Expect 6 queries, as for a reader: the decision form needs nothing more.
    with django_assert_num_queries(6):
        response = client.get(url("case-detail", three_cases[0]))
    assert 'data-form="decide"' in page_of(response)


def test_r_ins_10_case_detail_for_the_granted_reviewer_costs_eight_queries(
    client, case, officer, legal_head, legal_clerk, django_assert_num_queries
):
    submitted(case, officer)
    case_services.assign_reviewer(by=legal_head, case=case, reviewer=legal_clerk)
    client.force_login(legal_clerk)
    # Expect 8 queries: session; user with staff, section and town; the case; its officers; its
    # findings; its history; the reviewer's grants on the case, by user and by group (django-guardian).
    with django_assert_num_queries(8):
        response = client.get(url("case-detail", case))
    assert 'data-form="review"' in page_of(response)


def test_r_ins_10_a_penalty_may_revoke_the_permit_through_the_registry(
    client, case, officer, legal_head, legal_clerk, facility
):
    reviewed(case, officer, legal_head, legal_clerk)
    client.force_login(officer)
    response = client.post(
        url("case-decide", case),
        {"decided_on": TODAY, "decision_no": "普环罚〔2026〕9号", "revokes_permit": "on"},
    )
    assert response.status_code == 302
    decided = Case.objects.select_related("permit").get(pk=case.pk)
    assert decided.revokes_permit and decided.permit.facility == facility
    assert decided.permit.events.filter(kind="revocation").exists()
    assert f"是（{decided.permit.number}）" in page_of(client.get(url("case-detail", case)))
