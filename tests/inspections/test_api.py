"""The inspections API under /api/v1/ (checklists, inspections, cases): what each endpoint shows, who
may take which step (R-INS-6: only the inspection's officers sign; R-INS-10: 法制科 reviews), that a
signed inspection refuses every change but an amendment (R-INS-6), scoping (R-ORG-3) and the query
budgets, each proved with one row and with three. Data is made through the services, as production
makes it. The answers and photos endpoints (``inspections.api.field``) are tested with that module."""

from datetime import date

import pytest

from bureau.models import SectionCode
from inspections.models import Amendment, Case, CaseState, Checklist, Finding, Inspection, InspectionState
from inspections.services import cases
from inspections.services.checklists import start_revision
from inspections.services.inspections import update_inspection_details
from permits.models import PenaltyRecord
from tests.factories.bureau import StaffFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, answer_all, signed, start

TODAY = date(2026, 6, 15)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

CHECKLISTS, INSPECTIONS, CASES = "/api/v1/checklists/", "/api/v1/inspections/", "/api/v1/cases/"
CASE_POINT = {
    "verdict": "noncompliant",
    "note": "废气排放口颗粒物超许可浓度",
    "finding_kind": "permit_violation",
    "disposition": "case",
}


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def detail(inspection) -> str:
    return f"{INSPECTIONS}{inspection.pk}/"


@pytest.fixture
def draft(facility, officers):
    return start(facility, officers)


@pytest.fixture
def complete_draft(draft, officers):
    """Every point answered (二.3 不符合, to the ledger), a photo of 二.3, the representative named."""
    answer_all(draft, officers[0], 二_3=NONCOMPLIANT_RECTIFY)
    add_photo(draft, officers[1], code="二.3")
    update_inspection_details(by=officers[0], inspection=draft, representative_name="李厂长")
    return draft


@pytest.fixture
def signed_inspection(facility, officers):
    """Signed by both officers: 二.5 opens a case, 二.3 and 二.4 are on the ledger."""
    return signed(
        start(facility, officers),
        officers,
        二_3=NONCOMPLIANT_RECTIFY,
        二_4={**NONCOMPLIANT_RECTIFY, "note": "自行监测方案未按规定公开"},
        二_5=CASE_POINT,
    )


@pytest.fixture
def case(signed_inspection):
    return Case.objects.get()


@pytest.fixture
def minor_case(facility, officers):
    """A case on a minor violation 002 十四 may spare: 四.3, an incomplete ledger (其他环境管理要求)."""
    answer = {**CASE_POINT, "note": "环境管理台账缺 2026 年 4 月记录", "finding_kind": "other_duties"}
    return signed(start(facility, officers), officers, 四_3=answer).findings.get().case


# Checklists -----------------------------------------------------------------------------------------------


def test_r_ins_1_checklists_list_the_published_versions_with_parts_and_points(
    api_client, town_a_liaison, django_assert_num_queries
):
    # Expect 4 queries: the count; the page of versions with checklist and key industry; their parts;
    # the parts' points.
    with django_assert_num_queries(4):
        response = as_user(api_client, town_a_liaison).get(CHECKLISTS)
    assert response.status_code == 200
    rows = {row["applies_to"]: row for row in response.json()["results"]}
    assert set(rows) == {"permit_holders", "registered"}
    holders = rows["permit_holders"]
    assert holders["state"] == "published" and holders["number"] == 1 and holders["key_industry"] is None
    assert [len(part["points"]) for part in holders["parts"]] == [3, 6, 4, 4]  # R-INS-1
    point = holders["parts"][1]["points"][4]
    assert (
        point["code"] == "二.5"
        and point["text"]
        and set(point)
        >= {
            "legal_basis",
            "permit_data",
            "finding_kind",
        }
    )


def test_checklists_filter_by_state_and_cost_the_same_for_one_version_or_more(
    api_client, administrator, officer, django_assert_num_queries
):
    client = as_user(api_client, officer)
    holders, registered = Checklist.objects.order_by("applies_to")
    start_revision(by=administrator, checklist=holders)
    # Expect 4 queries: the count; the versions; their parts; their points.
    with django_assert_num_queries(4):
        one = client.get(CHECKLISTS, {"state": "draft"}).json()
    start_revision(by=administrator, checklist=registered)
    with django_assert_num_queries(4):
        two = client.get(CHECKLISTS, {"state": "draft"}).json()
    assert (one["count"], two["count"]) == (1, 2)
    retired = client.get(CHECKLISTS, {"state": "gone"})
    assert retired.status_code == 400 and "版本状态应为" in retired.json()["state"][0]
    draft_id = one["results"][0]["id"]
    # Expect 3 queries: the version with its checklist and key industry; its parts; their points.
    with django_assert_num_queries(3):
        body = client.get(f"{CHECKLISTS}{draft_id}/").json()
    assert body["state"] == "draft" and sum(len(part["points"]) for part in body["parts"]) == 17


# Inspections: reading -------------------------------------------------------------------------------------


def test_inspection_list_shows_the_required_fields_and_filters(
    api_client, officer, officers, draft, signed_inspection
):
    client = as_user(api_client, officer)
    rows = client.get(INSPECTIONS).json()["results"]
    assert [row["number"] for row in rows] == [signed_inspection.number, draft.number]
    row = rows[1]
    assert set(row) >= {"id", "facility", "inspected_on", "officers", "reason", "state", "checklist_version"}
    assert row["officers"][0] == {
        "id": officers[0].pk,
        "name": officers[0].display_name,
        "certificate_no": "31010720001",
        "order": 1,
        "signed_at": None,
    }
    assert row["source"] == {"kind": "routine_plan", "id": None, "label": "2026年度执法检查计划"}
    assert rows[0]["state"] == "signed" and len(rows[0]["record_hash"]) == 64
    assert client.get(INSPECTIONS, {"state": "draft"}).json()["count"] == 1
    assert client.get(INSPECTIONS, {"reason": "complaint"}).json()["count"] == 0
    assert client.get(INSPECTIONS, {"inspected_from": "2026-06-16"}).json()["count"] == 0
    assert client.get(INSPECTIONS, {"inspected_to": "2026-06-15", "mine": "1"}).json()["count"] == 2


def test_mine_lists_only_the_inspections_i_am_an_officer_of(api_client, facility, officer, officers, draft):
    other = StaffFactory(
        username="enforcement3", section_code=SectionCode.ENFORCEMENT, certificate_no="31010720003"
    ).user
    start(facility, [officers[1], other])
    assert as_user(api_client, officer).get(INSPECTIONS, {"mine": "1"}).json()["count"] == 1
    assert api_client.get(INSPECTIONS).json()["count"] == 2


def test_inspection_detail_gives_answers_photos_and_record_links(api_client, legal_clerk, complete_draft):
    body = as_user(api_client, legal_clerk).get(detail(complete_draft)).json()
    assert len(body["answers"]) == 17
    answer = next(a for a in body["answers"] if a["code"] == "二.3")
    assert answer["verdict"] == "noncompliant" and answer["note"] == "危废贮存间未设置防渗漏措施"
    assert answer["finding_kind"] == "other_duties" and answer["disposition"] == "rectification"
    (photo,) = body["photos"]
    assert photo["point_code"] == "二.3" and len(photo["sha256"]) == 64 and photo["received_at"]
    assert body["representative"] == {"name": "李厂长", "title": ""}
    assert body["record_pdf"].endswith(f"/api/v1/inspections/{complete_draft.pk}/record.pdf")


@pytest.mark.parametrize(
    "section",
    ["approval", "ecology", "pollution", "legal", "enforcement", "monitoring", "leadership", "town"],
)
def test_r_org_3_every_section_reads_inspections_a_town_its_own_only(
    api_client, personas, section, draft, officers
):
    # given: a draft and a signed record of a facility of town A
    record = signed(start(draft.facility, officers), officers)
    client = as_user(api_client, personas[section])
    # then: the bureau reads both; the town only the signed record (a random check is not announced)
    assert client.get(INSPECTIONS).json()["count"] == (1 if section == "town" else 2)
    assert client.get(detail(record)).status_code == 200
    assert client.get(detail(draft)).status_code == (404 if section == "town" else 200)


def test_r_org_3_a_town_gets_404_for_another_towns_inspection(
    api_client, town_b_liaison, administrator, draft
):
    client = as_user(api_client, town_b_liaison)
    assert client.get(INSPECTIONS).json()["count"] == 0
    response = client.get(detail(draft))
    assert response.status_code == 404 and response.json() == client.get(f"{INSPECTIONS}999999/").json()
    assert client.get(f"{detail(draft)}record.pdf").status_code == 404
    assert as_user(api_client, administrator).get(detail(draft)).status_code == 200


# Inspections: writing -------------------------------------------------------------------------------------


def test_r_ins_6_enforcement_starts_an_inspection_with_two_certified_officers(
    api_client, officer, officers, facility
):
    body = {
        "facility": facility.pk,
        "inspected_on": "2026-06-15",
        "officers": [u.pk for u in officers],
        "reason": "random_draw",
        "source_reference": "2026年第二批双随机抽查",
    }
    response = as_user(api_client, officer).post(INSPECTIONS, body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["number"] == "JC-2026-0001" and created["state"] == "draft"
    assert [o["certificate_no"] for o in created["officers"]] == ["31010720001", "31010720002"]
    assert created["source"]["label"] == "2026年第二批双随机抽查" and len(created["answers"]) == 17


def test_r_ins_6_bad_starts_are_refused_in_chinese_and_nothing_is_written(
    api_client, officer, officers, facility, legal_clerk
):
    client = as_user(api_client, officer)
    good = {
        "facility": facility.pk,
        "inspected_on": "2026-06-15",
        "officers": [u.pk for u in officers],
        "reason": "complaint",
    }
    one_officer = client.post(INSPECTIONS, {**good, "officers": [officer.pk]}, format="json")
    assert one_officer.status_code == 400
    assert "至少 2 名执法人员" in one_officer.json()["officers"][0]
    assert "关联该投诉" in one_officer.json()["complaint"][0]
    future = client.post(INSPECTIONS, {**good, "inspected_on": "2026-06-16"}, format="json")
    assert future.json()["inspected_on"] == ["检查日期不能晚于今天。"]
    typo = client.post(INSPECTIONS, {**good, "officer": [officer.pk]}, format="json")
    assert typo.status_code == 400 and "没有名为“officer”的可写字段。" in typo.json()["officer"]
    legal = as_user(api_client, legal_clerk).post(INSPECTIONS, good, format="json")
    assert legal.status_code == 403 and legal.json()["detail"] == "只有执法大队可以登记现场检查。"
    assert not Inspection.objects.exists()


def test_r_ins_6_only_the_inspections_officers_sign(api_client, enforcement_head, officers, complete_draft):
    response = as_user(api_client, enforcement_head).post(f"{detail(complete_draft)}sign/")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本次检查的执法人员可以填写、签名或上传照片。"
    first, second = officers
    response = as_user(api_client, first).post(f"{detail(complete_draft)}sign/")
    assert response.status_code == 200 and response.json()["state"] == "signing"
    assert as_user(api_client, first).post(f"{detail(complete_draft)}sign/").status_code == 409
    response = as_user(api_client, second).post(f"{detail(complete_draft)}sign/")
    body = response.json()
    assert body["state"] == "signed" and len(body["record_hash"]) == 64
    assert [f["point_code"] for f in body["findings"]] == ["二.3"]
    assert body["findings"][0]["rectification_deadline_on"]


@pytest.mark.parametrize(
    ("who", "start_code", "sign_code"),
    [
        ("officer", 201, 200),  # an officer of the inspection
        ("enforcement_head", 201, 403),  # 执法大队, but not an officer of this inspection
        ("legal_clerk", 403, 403),
        ("leader", 403, 403),
        ("town_a_liaison", 403, 404),  # a draft is not the town's to see (it reads signed records only)
        ("town_b_liaison", 403, 404),  # does not see it at all
        ("administrator", 403, 403),  # nobody's officer
    ],
)
def test_r_ins_6_who_starts_and_who_signs(
    request, api_client, officers, facility, complete_draft, who, start_code, sign_code
):
    client = as_user(api_client, request.getfixturevalue(who))
    body = {
        "facility": facility.pk,
        "inspected_on": "2026-06-15",
        "officers": [u.pk for u in officers],
        "reason": "campaign",
        "source_reference": "2026年夏季专项行动",
    }
    started = client.post(INSPECTIONS, body, format="json")
    assert started.status_code == start_code, started.json()
    signed_now = client.post(f"{detail(complete_draft)}sign/")
    assert signed_now.status_code == sign_code
    if sign_code == 403:
        assert signed_now.json()["detail"]  # a Chinese reason, never an empty refusal


def test_r_ins_6_signing_an_incomplete_record_lists_its_gaps(api_client, officer, draft):
    response = as_user(api_client, officer).post(f"{detail(draft)}sign/")
    assert response.status_code == 400
    gaps = response.json()["sign"]
    assert gaps[0].startswith("尚有 17 项未填写结论") and "请填写企业现场负责人姓名。" in gaps
    assert Inspection.objects.get().state == InspectionState.DRAFT


def test_r_ins_6_a_signature_is_withdrawn_before_the_last_one(api_client, officers, complete_draft):
    client = as_user(api_client, officers[0])
    client.post(f"{detail(complete_draft)}sign/")
    assert as_user(api_client, officers[1]).post(f"{detail(complete_draft)}withdraw/").status_code == 409
    response = as_user(api_client, officers[0]).post(f"{detail(complete_draft)}withdraw/")
    assert response.status_code == 200 and response.json()["state"] == "draft"
    assert all(o["signed_at"] is None for o in response.json()["officers"])


def test_r_ins_6_a_signed_inspection_refuses_every_change_but_an_amendment(
    api_client, officers, signed_inspection
):
    client = as_user(api_client, officers[0])
    url = detail(signed_inspection)
    # given the record as signed
    before = client.get(url).json()
    # when anything would change it
    assert client.post(f"{url}sign/").status_code == 409
    assert client.post(f"{url}sign/").json()["detail"] == "检查记录已签署完毕。"
    assert client.post(f"{url}withdraw/").status_code == 409
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(url, {"summary": "改"}, format="json").status_code == 405
    # then it reads as signed, and a correction is an amendment beside it
    amend = client.post(
        f"{url}amendments/",
        {"field": "note", "point": "二.3", "after": "危废贮存间地面未做防渗", "reason": "笔误"},
        format="json",
    )
    assert amend.status_code == 201, amend.json()
    assert (
        amend.json()["before"] == "危废贮存间未设置防渗漏措施"
        and amend.json()["author"]["id"] == officers[0].pk
    )
    after = client.get(url).json()
    assert after["record_hash"] == before["record_hash"] and after["answers"] == before["answers"]
    assert [a["after"] for a in after["amendments"]] == ["危废贮存间地面未做防渗"]
    assert [a["reason"] for a in client.get(f"{url}amendments/").json()] == ["笔误"]


def test_r_ins_6_amendments_are_checked(api_client, officers, legal_clerk, signed_inspection, complete_draft):
    client = as_user(api_client, officers[0])
    url = f"{detail(signed_inspection)}amendments/"
    before_given = client.post(
        url, {"field": "summary", "after": "新", "reason": "补", "before": "旧"}, format="json"
    )
    assert (
        before_given.status_code == 400
        and "只有更正事项为“其他”时才填写原记载" in before_given.json()["before"][0]
    )
    unknown = client.post(
        url, {"field": "note", "point": "九.9", "after": "新", "reason": "补"}, format="json"
    )
    assert unknown.json() == {"point": ["本次检查所用的清单版本中没有检查要点“九.9”。"]}
    no_reason = client.post(
        url, {"field": "other", "before": "旧", "after": "新", "reason": ""}, format="json"
    )
    assert no_reason.json() == {"reason": ["请填写更正理由。"]}
    other = client.post(url, {"field": "other", "before": "旧", "after": "新", "reason": "补"}, format="json")
    assert other.status_code == 201 and other.json()["before"] == "旧"
    stranger = as_user(api_client, legal_clerk).post(
        url, {"field": "other", "after": "新", "reason": "补"}, format="json"
    )
    assert stranger.status_code == 403
    draft = as_user(api_client, officers[0]).post(
        f"{detail(complete_draft)}amendments/",
        {"field": "summary", "after": "新", "reason": "补"},
        format="json",
    )
    assert draft.status_code == 409
    assert Amendment.objects.count() == 1


# Cases ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "code"),
    [
        ("enforcement", 200),
        ("legal", 200),
        ("leadership", 200),
        ("approval", 403),
        ("monitoring", 403),
        ("town", 403),
    ],
)
def test_r_ins_10_cases_are_read_by_enforcement_legal_and_leadership_only(
    api_client, personas, case, section, code
):
    client = as_user(api_client, personas[section])
    assert client.get(CASES).status_code == code
    response = client.get(f"{CASES}{case.pk}/")
    assert response.status_code == code
    if code == 403:
        assert response.json()["detail"] == "您所在的科室无权进行此操作。"


def test_case_detail_shows_findings_officers_and_review(
    api_client, leader, administrator, case, signed_inspection
):
    body = as_user(api_client, leader).get(f"{CASES}{case.pk}/").json()
    assert body["number"] == "AJ-2026-0001" and body["state"] == "investigating"
    assert body["facility"]["source_code"] == signed_inspection.facility.source_code
    assert [f["point_code"] for f in body["findings"]] == ["二.5"]
    assert body["findings"][0]["inspection_number"] == signed_inspection.number
    assert [o["certificate_no"] for o in body["officers"]] == ["31010720001", "31010720002"]
    assert body["reviewer"] is None and body["decision"] == ""
    assert as_user(api_client, administrator).get(f"{CASES}{case.pk}/").status_code == 200


def test_r_ins_10_case_through_legal_review_to_no_penalty(
    api_client, officer, legal_clerk, legal_head, leader, minor_case
):
    case = minor_case
    url = f"{CASES}{case.pk}/"
    brigade = as_user(api_client, officer)
    submitted = brigade.post(
        f"{url}submit/",
        {"proposed_decision": "no_penalty", "proposal": "初次违法，已及时改正", "submitted_on": "2026-06-15"},
        format="json",
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == CaseState.UNDER_REVIEW
    # Only 法制科's head names the reviewer; only the reviewer records the review.
    review = {"approved": True, "review_opinion": "事实清楚，同意不予处罚", "reviewed_on": "2026-06-15"}
    assert as_user(api_client, legal_clerk).post(f"{url}review/", review, format="json").status_code == 403
    assert (
        as_user(api_client, legal_clerk)
        .post(f"{url}reviewer/", {"reviewer": legal_clerk.pk}, format="json")
        .status_code
        == 403
    )
    named = as_user(api_client, legal_head).post(
        f"{url}reviewer/", {"reviewer": legal_clerk.pk}, format="json"
    )
    assert named.json()["reviewer"] == {"id": legal_clerk.pk, "name": legal_clerk.display_name}
    reviewed = as_user(api_client, legal_clerk).post(f"{url}review/", review, format="json")
    assert (
        reviewed.json()["state"] == CaseState.REVIEWED
        and reviewed.json()["review_opinion"] == review["review_opinion"]
    )
    # 局领导 reads cases but does not decide them: told so even with an empty body.
    refused = as_user(api_client, leader).post(f"{url}decide/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "案件由执法大队办理。"
    decision = {
        "decision": "no_penalty",
        "decided_on": "2026-06-15",
        "no_penalty_ground": "info_not_disclosed",
        "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
        "first_violation": True,
        "slight_harm": True,
        "corrected_on": "2026-06-15",
    }
    incomplete = as_user(api_client, officer).post(
        f"{url}decide/", {**decision, "slight_harm": False}, format="json"
    )
    assert (
        incomplete.status_code == 400 and "初次违法且危害后果轻微" in incomplete.json()["first_violation"][0]
    )
    decided = as_user(api_client, officer).post(f"{url}decide/", decision, format="json")
    assert decided.status_code == 200, decided.json()
    assert (
        decided.json()["state"] == CaseState.DECIDED
        and decided.json()["no_penalty_ground"] == "info_not_disclosed"
    )
    assert not PenaltyRecord.objects.exists()
    assert as_user(api_client, officer).post(f"{url}decide/", decision, format="json").status_code == 409


def test_r_ins_10_enforcement_opens_a_case_on_ledger_findings(
    api_client, officer, legal_clerk, signed_inspection
):
    findings = list(Finding.objects.filter(case__isnull=True).order_by("id"))
    body = {
        "facility": signed_inspection.facility_id,
        "findings": [f.pk for f in findings],
        "opened_on": "2026-06-15",
    }
    assert as_user(api_client, legal_clerk).post(CASES, body, format="json").status_code == 403
    response = as_user(api_client, officer).post(CASES, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "AJ-2026-0002" and len(response.json()["findings"]) == 2
    again = as_user(api_client, officer).post(CASES, body, format="json")
    assert again.status_code == 400 and "已在案件中" in again.json()["findings"][0]


# Query budgets --------------------------------------------------------------------------------------------


def test_inspection_list_costs_three_queries_for_one_row_or_three(
    api_client, facility, officers, legal_clerk, django_assert_num_queries
):
    client = as_user(api_client, legal_clerk)
    start(facility, officers)
    # Expect 3 queries: the count; the page of inspections joined with facility, town, checklist and
    # the reason's source records, with their finding counts; the page's officers.
    with django_assert_num_queries(3):
        assert client.get(INSPECTIONS).json()["count"] == 1
    start(facility, officers)
    start(facility, officers, reason="campaign", source_reference="2026年夏季专项行动")
    with django_assert_num_queries(3):
        assert client.get(INSPECTIONS, {"mine": "0"}).json()["count"] == 3


def test_inspection_detail_costs_nine_queries_however_many_photos(
    api_client, officers, legal_clerk, complete_draft, django_assert_num_queries
):
    client = as_user(api_client, legal_clerk)
    # Expect 9 queries: the inspection joined with facility, town, key industry, checklist version,
    # sources and creator; its officers; its answers; its photos with their points; its amendments with
    # points and authors; the version's parts; their points; the facility's last signed inspection
    # (none here); its findings with their ledger items, cases and tasks.
    with django_assert_num_queries(9):
        assert len(client.get(detail(complete_draft)).json()["photos"]) == 1
    add_photo(complete_draft, officers[0], code="一.1")
    add_photo(complete_draft, officers[0])
    with django_assert_num_queries(9):
        assert len(client.get(detail(complete_draft)).json()["photos"]) == 3


def test_case_list_costs_four_queries_and_detail_three_for_one_case_or_three(
    api_client, officer, leader, case, django_assert_num_queries
):
    client = as_user(api_client, leader)
    # Expect 4 queries: the count; the page of cases joined with facility, reviewer and permit, with
    # finding counts; their officers; their findings with inspections and points.
    with django_assert_num_queries(4):
        assert client.get(CASES).json()["count"] == 1
    # Expect 3 queries: the case with facility, reviewer, opener, penalty and permit; its officers;
    # its findings with inspections and points.
    with django_assert_num_queries(3):
        client.get(f"{CASES}{case.pk}/")
    for finding in Finding.objects.filter(case__isnull=True):
        cases.open_case(by=officer, facility=finding.facility, findings=[finding], opened_on=TODAY)
    with django_assert_num_queries(4):
        assert client.get(CASES, {"state": "investigating"}).json()["count"] == 3
    with django_assert_num_queries(3):
        client.get(f"{CASES}{case.pk}/")


def test_amendment_list_costs_two_queries(api_client, officers, signed_inspection, django_assert_num_queries):
    client = as_user(api_client, officers[0])
    url = f"{detail(signed_inspection)}amendments/"
    for n in range(3):
        client.post(url, {"field": "other", "before": "旧", "after": f"新{n}", "reason": "补"}, format="json")
    # Expect 2 queries: the inspection, scoped to the user; its amendments with points and authors.
    with django_assert_num_queries(2):
        assert len(client.get(url).json()) == 3


def test_record_pdf_through_the_api(api_client, town_a_liaison, signed_inspection):
    response = as_user(api_client, town_a_liaison).get(f"{detail(signed_inspection)}record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="inspection-record-' in response["Content-Disposition"]
