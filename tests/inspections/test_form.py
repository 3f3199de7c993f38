"""The officer's form page (R-INS-6, R-INS-7, R-INS-8): only the inspection's officers fill it, others
who may see the inspection go to its record, a town sees nothing of another town's; point by point
with the registry data and last inspection's answer beside each point; the plain-form fallback saves
one point and the representative; a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from inspections.models import Answer, Inspection
from inspections.services.inspections import sign_inspection, update_inspection_details
from permits.services.permits import add_outlet, set_emission_limit
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, answer_all, point, signed, start

pytestmark = pytest.mark.today(date(2026, 6, 15))


@pytest.fixture
def draft(facility, officers):
    return start(facility, officers)


def form_url(inspection: Inspection) -> str:
    return reverse("inspections:inspection-form", args=[inspection.pk])


def record_url(inspection: Inspection) -> str:
    return reverse("inspections:inspection-detail", args=[inspection.pk])


# Who opens it -----------------------------------------------------------------------------------------


def test_r_ins_6_an_officer_of_the_inspection_gets_the_form(client, draft, officer2):
    client.force_login(officer2)
    response = client.get(form_url(draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-answer-form") == 17 and 'capture="environment"' in page
    assert "去签名" in page and "inspection-form-config" in page


def test_r_ins_6_another_enforcement_member_is_sent_to_the_record(
    client, draft, enforcement_head, legal_clerk
):
    for user in (enforcement_head, legal_clerk):
        client.force_login(user)
        response = client.get(form_url(draft))
        assert response.status_code == 302 and response.url == record_url(draft)


def test_r_org_3_a_town_sees_only_its_own_facilities_inspections(
    client, draft, town_a_liaison, town_b_liaison
):
    client.force_login(town_b_liaison)
    assert client.get(form_url(draft)).status_code == 404
    assert client.post(form_url(draft), {"point": "1", "verdict": "compliant"}).status_code == 404
    client.force_login(town_a_liaison)  # its own facility's, but still a draft: not the town's to see
    assert client.get(form_url(draft)).status_code == 404


def test_r_ins_6_a_signed_inspection_sends_its_officer_to_the_record(client, draft, officers):
    signed(draft, officers)
    client.force_login(officers[0])
    assert client.get(form_url(draft)).url == record_url(draft)
    response = client.post(
        reverse("inspections:inspection-details", args=[draft.pk]), {"representative_name": "改名"}
    )
    assert response.status_code == 409 and "检查记录已签署，不得修改" in response.content.decode()
    assert Inspection.objects.get(pk=draft.pk).representative_name == "李厂长"


def test_r_ins_6_while_others_sign_the_form_is_locked(client, draft, officers):
    # given: every point answered and the first officer signed
    answer_all(draft, officers[0])
    update_inspection_details(by=officers[0], inspection=draft, representative_name="李厂长")
    sign_inspection(by=officers[0], inspection=draft)
    client.force_login(officers[1])
    page = client.get(form_url(draft)).content.decode()
    assert "已有检查人员签名，检查记录已锁定" in page and "data-plain-save" not in page
    response = client.post(form_url(draft), {"point": point(draft, "一.1").pk, "verdict": "not_applicable"})
    assert response.status_code == 409
    assert Answer.objects.get(inspection=draft, point__code="一.1").verdict == "compliant"


# What it shows --------------------------------------------------------------------------------------


def test_r_ins_1_beside_each_point_the_registry_data_and_last_answer(
    client, facility, officers, approval_clerk
):
    # given: a signed inspection a month ago with 二.3 不符合, and the permit's outlet with its limit
    permit = facility.permits.get()
    outlet = add_outlet(by=approval_clerk, permit=permit, code="DA001", kind="gas", name="涂装废气")
    set_emission_limit(
        by=approval_clerk, outlet=outlet, pollutant="颗粒物", concentration=Decimal("20"), unit="mg/m³",
        annual_quantity=None,
    )  # fmt: skip
    last = signed(start(facility, officers, on=date(2026, 5, 15)), officers, 二_3=NONCOMPLIANT_RECTIFY)
    draft = start(facility, officers)
    client.force_login(officers[0])
    page = client.get(form_url(draft)).content.decode()
    assert "DA001 废气·涂装废气" in page and "DA001 颗粒物：20" in page
    assert f"{last.number}（2026-05-15）：<strong>不符合</strong> · 危废贮存间未设置防渗漏措施" in page
    # the point's suggested class is shown beside the select, not pre-selected
    p = point(draft, "三.1")
    assert p.finding_kind and f'<option value="{p.finding_kind}" selected>' not in page
    assert f"建议：{p.get_finding_kind_display()}" in page and f'data-adopt-kind="{p.finding_kind}"' in page


# The plain form (no script) -----------------------------------------------------------------------------


def test_r_ins_8_plain_form_saves_one_point(client, draft, officer):
    client.force_login(officer)
    p = point(draft, "二.3")
    # when: 不符合 with everything, posted as the page's form posts it
    response = client.post(form_url(draft), {"point": p.pk, **NONCOMPLIANT_RECTIFY})
    assert response.status_code == 302 and response.url.endswith(f"#point-{p.pk}")
    answer = Answer.objects.get(inspection=draft, point=p)
    assert (answer.disposition, answer.deadline_workdays) == ("rectification", 10)
    # and a 符合 posted with the pre-selected class keeps no class
    other = point(draft, "三.1")
    client.post(
        form_url(draft), {"point": other.pk, "verdict": "compliant", "finding_kind": "self_monitoring"}
    )
    assert Answer.objects.get(inspection=draft, point=other).finding_kind == ""


def test_r_ins_8_plain_form_refuses_noncompliant_without_note_and_keeps_the_input(client, draft, officer):
    client.force_login(officer)
    p = point(draft, "二.3")
    response = client.post(
        form_url(draft),
        {"point": p.pk, "verdict": "noncompliant", "note": " ", "responsible_person": "王经理"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "第 二.3 项为“不符合”，须填写情况说明。" in page
    assert not Answer.objects.filter(inspection=draft).exists()


def test_details_plain_form_records_the_representative(client, draft, officer, legal_clerk):
    url = reverse("inspections:inspection-details", args=[draft.pk])
    client.force_login(legal_clerk)
    response = client.post(url, {"representative_name": "李厂长"})
    assert response.status_code == 403 and "只有本次检查的执法人员" in response.content.decode()
    client.force_login(officer)
    response = client.post(
        url, {"representative_name": " 李厂长 ", "representative_title": "厂长", "summary": "总体良好"}
    )
    assert response.status_code == 302 and response.url == form_url(draft) + "#details"
    draft.refresh_from_db()
    assert (draft.representative_name, draft.representative_title, draft.summary) == (
        "李厂长",
        "厂长",
        "总体良好",
    )


# Query budget -------------------------------------------------------------------------------------------


def test_form_page_costs_fixed_queries(client, facility, officers, approval_clerk, django_assert_num_queries):
    # given: a last signed inspection, a draft with every point answered and photos on two points
    permit = facility.permits.get()
    for code in ("DA001", "DA002"):
        outlet = add_outlet(by=approval_clerk, permit=permit, code=code, kind="gas")
        set_emission_limit(
            by=approval_clerk, outlet=outlet, pollutant="颗粒物", concentration=Decimal("20"), unit="mg/m³",
            annual_quantity=None,
        )  # fmt: skip
    signed(start(facility, officers, on=date(2026, 5, 15)), officers)
    draft = start(facility, officers)
    answer_all(draft, officers[0])
    add_photo(draft, officers[0], code="一.1")
    add_photo(draft, officers[1], code="二.1")
    client.force_login(officers[0])
    # Expect 18 queries: session, user with staff/section/town; the inspection with its facility and
    # the rest; its officers, answers, photos, amendments, parts, points; the last signed inspection
    # and its answers; the findings; the officer's grant (user permissions, group permissions); the
    # permits valid today, their outlets, their limits, the registrations. (The navigation's to-do
    # count is fetched by the page's script.)
    with django_assert_num_queries(18):
        response = client.get(form_url(draft))
    page = response.content.decode()
    assert page.count("已保存 ") == 17 and page.count('class="photo arrived"') == 2
