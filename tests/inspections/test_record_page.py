"""The record page of an inspection (R-INS-6, R-INS-7, R-INS-8): who reads it, signing and withdrawing
through the page, a signed record that refuses every change, amendments, photos served with their
stored type, and the page's exact query budget."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.models import Amendment, Finding, InspectionOfficer, InspectionState
from inspections.services.inspections import update_inspection_details
from tests.factories.inspections import (
    NONCOMPLIANT_RECTIFY,
    add_photo,
    answer_all,
    png_bytes,
    signed,
    start,
)

pytestmark = pytest.mark.today(date(2026, 6, 15))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(facility, officers):
    return start(facility, officers)


@pytest.fixture
def record(facility, officers):
    """A signed record: one point on the ledger, one fixed on the spot with its photo."""
    inspection = start(facility, officers)
    add_photo(inspection, officers[1], code="三.1")
    return signed(
        inspection,
        officers,
        二_3=NONCOMPLIANT_RECTIFY,
        三_1={
            "verdict": "noncompliant",
            "note": "自行监测记录缺页，现场补齐",
            "finding_kind": "self_monitoring",
            "disposition": "on_the_spot",
        },
    )


def url(name, inspection, *args):
    return reverse(f"inspections:inspection-{name}", args=[inspection.pk, *args])


def page_of(response) -> str:
    return response.content.decode()


# Who reads the record (R-ORG-2, R-ORG-3) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "officer",
        "enforcement_head",
        "legal_clerk",
        "leader",
        "administrator",
        "approval_clerk",
        "town_a_liaison",
    ],
)
def test_the_bureau_and_the_facility_s_town_read_the_record(client, record, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url("detail", record))
    page = page_of(response)
    assert response.status_code == 200
    assert record.number in page and record.record_hash in page
    assert "31010720001" in page and "31010720002" in page and page.count("已签名") >= 2
    assert "危废贮存间未设置防渗漏措施" in page and "违反自行监测要求的行为" in page


def test_r_org_3_another_town_gets_404_for_record_photo_and_pdf(client, record, town_b_liaison):
    client.force_login(town_b_liaison)
    photo = record.photos.get()
    for response in (
        client.get(url("detail", record)),
        client.get(url("photo", record, photo.pk)),
        client.get(url("pdf", record)),
    ):
        assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, record):
    response = client.get(url("detail", record))
    assert response.status_code == 302 and "login" in response["Location"]


def test_actions_follow_the_viewer_and_the_state(client, draft, officer, legal_clerk, town_a_liaison):
    client.force_login(officer)
    page = page_of(client.get(url("detail", draft)))
    assert (
        'data-action="fill"' in page and 'data-action="sign"' in page and 'data-action="withdraw"' not in page
    )
    assert 'data-action="interference"' in page and f"?inspection={draft.pk}" in page
    client.force_login(legal_clerk)
    page = page_of(client.get(url("detail", draft)))
    assert 'data-action="fill"' not in page and 'data-action="sign"' not in page
    assert 'data-action="interference"' in page and 'data-action="pdf"' in page
    client.force_login(town_a_liaison)
    assert 'data-action="interference"' not in page_of(client.get(url("detail", draft)))


# Signing through the page (R-INS-6) -------------------------------------------------------------------


def test_r_ins_6_signing_refused_lists_the_gaps_in_chinese(client, draft, officer):
    client.force_login(officer)
    response = client.post(url("sign", draft))
    page = page_of(response)
    assert response.status_code == 400
    assert "尚不能签名" in page and "请填写企业现场负责人姓名。" in page and "data-gaps" in page
    draft.refresh_from_db()
    assert draft.state == InspectionState.DRAFT


def test_r_ins_6_both_officers_sign_one_withdraws_then_both_sign(client, draft, officers):
    first, second = officers
    answer_all(draft, first, 二_3=NONCOMPLIANT_RECTIFY)
    update_inspection_details(by=first, inspection=draft, representative_name="李厂长")
    # given the first signature
    client.force_login(first)
    response = client.post(url("sign", draft))
    assert response.status_code == 302 and response["Location"] == url("detail", draft)
    page = page_of(client.get(url("detail", draft)))
    assert 'data-action="withdraw"' in page and 'data-action="sign"' not in page
    # when the second officer opens it, they may sign; the first withdraws instead
    client.force_login(second)
    assert 'data-action="sign"' in page_of(client.get(url("detail", draft)))
    client.force_login(first)
    assert client.post(url("withdraw", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.state == InspectionState.DRAFT
    # then both sign and the record is made with its finding on the ledger
    for officer in officers:
        client.force_login(officer)
        client.post(url("sign", draft))
    draft.refresh_from_db()
    assert draft.state == InspectionState.SIGNED and len(draft.record_hash) == 64
    finding = Finding.objects.get(inspection=draft)
    assert finding.rectification is not None
    page = page_of(client.get(url("detail", draft)))
    assert "data-ledger" in page and "整改期限" in page


def test_r_ins_6_only_the_inspection_s_officers_sign(client, draft, enforcement_head, legal_clerk):
    for persona in (enforcement_head, legal_clerk):
        client.force_login(persona)
        response = client.post(url("sign", draft))
        assert response.status_code == 403
        assert "只有本次检查的执法人员可以填写、签名或上传照片。" in page_of(response)
    assert not InspectionOfficer.objects.filter(inspection=draft, signed_at__isnull=False).exists()


def test_r_ins_6_signed_record_refuses_every_change_through_the_page(client, record, officers):
    first, _ = officers
    history_before = record.history.count()
    officers_before = list(
        InspectionOfficer.objects.filter(inspection=record).values_list("signed_at", flat=True)
    )
    client.force_login(first)
    page = page_of(client.get(url("detail", record)))
    # no edit control anywhere
    for action in ("fill", "sign", "withdraw"):
        assert f'data-action="{action}"' not in page
    assert "检查记录已签署，不得修改" in page
    signing = client.post(url("sign", record))
    assert signing.status_code == 409 and "检查记录已签署完毕。" in page_of(signing)
    withdrawing = client.post(url("withdraw", record))
    assert withdrawing.status_code == 409 and "只有待其他人员签名的检查可以撤回签名。" in page_of(withdrawing)
    assert client.get(url("sign", record)).status_code == 405
    # nothing written
    record.refresh_from_db()
    assert record.state == InspectionState.SIGNED and record.history.count() == history_before
    assert list(InspectionOfficer.objects.filter(inspection=record).values_list("signed_at", flat=True)) == (
        officers_before
    )


# Amendments (R-INS-6) ---------------------------------------------------------------------------------


def amend(client, inspection, **data):
    return client.post(url("amend", inspection), data)


def test_r_ins_6_amendment_of_a_signed_record(client, record, officer):
    point = record.answers.get(point__code="二.3").point
    client.force_login(officer)
    response = amend(
        client, record, field="verdict", point=point.pk, after="符合", reason="复核监控记录后确认"
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(inspection=record)
    assert (amendment.before, amendment.after, amendment.author) == ("不符合", "符合", officer)
    page = page_of(client.get(url("detail", record)))
    assert "复核监控记录后确认" in page and "<del>不符合</del>" in page
    # the record itself is as signed
    assert record.answers.get(point=point).verdict == "noncompliant"


def test_r_ins_6_amendment_refusals_come_back_in_chinese(client, record, draft, officer, legal_clerk):
    client.force_login(officer)
    response = amend(client, record, field="verdict", point="", after="符合", reason="  ")
    page = page_of(response)
    assert response.status_code == 400
    assert "更正检查结论或情况说明须指明检查要点。" in page or "请填写更正理由。" in page
    assert "符合</textarea>" in page  # what was typed is kept
    assert amend(client, draft, field="summary", after="x", reason="y").status_code == 409
    client.force_login(legal_clerk)
    refused = amend(client, record, field="summary", after="补充", reason="补记")
    assert refused.status_code == 403 and "执法大队负责人" in page_of(refused)
    assert not Amendment.objects.exists()


def test_r_ins_6_a_head_of_the_brigade_amends(client, record, enforcement_head):
    client.force_login(enforcement_head)
    page = page_of(client.get(url("detail", record)))
    assert 'data-form="amend"' in page
    assert amend(client, record, field="summary", after="现场检查正常", reason="补记小结").status_code == 302
    assert Amendment.objects.get().field == "检查情况小结"


# Photos: served to readers only, with their stored type -----------------------------------------------


def test_photo_is_served_inline_with_its_stored_type(client, draft, officers, town_a_liaison):
    photo = add_photo(draft, officers[0], code="一.1", content=png_bytes())
    client.force_login(town_a_liaison)
    assert client.get(url("photo", draft, photo.pk)).status_code == 404  # a draft is not the town's yet
    signed(draft, officers)
    for persona in (officers[1], town_a_liaison):
        client.force_login(persona)
        response = client.get(url("photo", draft, photo.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == "inline"
        assert b"".join(response.streaming_content) == png_bytes()


def test_photo_of_another_inspection_is_404(client, draft, record, officer):
    other = record.photos.get()
    client.force_login(officer)
    assert client.get(url("photo", draft, other.pk)).status_code == 404
    assert client.get(url("photo", record, other.pk)).status_code == 200


def test_pdf_is_served_for_readers(client, record, leader):
    client.force_login(leader)
    response = client.get(url("pdf", record))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert record.number in response["Content-Disposition"]


# Query budget ----------------------------------------------------------------------------------------


def test_detail_costs_the_same_however_many_answers_and_photos(
    client, record, officers, facility, django_assert_num_queries
):
    # given a second record of the same facility, with the first as its "last inspection", more photos
    follow = start(facility, officers)
    for code in ("一.1", "一.2", "二.1"):
        add_photo(follow, officers[0], code=code)
    add_photo(follow, officers[0])
    answer_all(follow, officers[0])
    client.force_login(officers[0])
    # Expect 14 queries: session, user with staff, the inspection with facility/town/key industry/
    # checklist/sources, officers, answers, photos, amendments, parts, points, the previous signed
    # inspection, its answers, findings with ledger/case/task, the guardian grant of the viewer
    # (user and group permissions).
    with django_assert_num_queries(14):
        response = client.get(url("detail", follow))
    assert response.status_code == 200 and page_of(response).count('data-photo="') == 4
    # Expect 13 queries for the first record of the facility: as above, without the previous answers.
    with django_assert_num_queries(13):
        response = client.get(url("detail", record))
    assert response.status_code == 200 and page_of(response).count('data-finding="') == 2


# What an officer's browser still holds (inspection-record.js) ------------------------------------------


def test_r_ins_6_the_record_page_loads_the_held_items_script_only_for_officers(
    client, draft, record, officers, enforcement_head, legal_clerk
):
    for persona, expected in (
        (officers[0], True),
        (officers[1], True),
        (enforcement_head, False),
        (legal_clerk, False),
    ):
        client.force_login(persona)
        for inspection in (draft, record):
            page = page_of(client.get(url("detail", inspection)))
            for marker in (
                "js/inspection-store.js",
                "js/inspection-record.js",
                'id="inspection-held-config"',
            ):
                assert (marker in page) is expected, (persona, inspection.state, marker)
            assert ("data-held-hint" in page) is expected and ("本机未能送达的内容" in page) is expected


def test_r_ins_6_the_held_items_config_names_the_points_and_the_state(client, record, officers):
    client.force_login(officers[0])
    response = client.get(url("detail", record))
    config = response.context["held_config"]
    assert (config["inspection"], config["draft"], config["signed"]) == (record.pk, False, True)
    assert len(config["codes"]) == 17 and "二.3" in config["codes"].values()
    assert config["verdicts"]["noncompliant"] == "不符合"
    assert config["photosUrl"] == reverse("api-inspection-photos", args=[record.pk])
