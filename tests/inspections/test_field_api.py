"""The endpoints the officer's form writes through (R-INS-6): answers saved point by point, idempotent,
refused in Chinese by field, never after a signature; photos received one by one with a receipt, the
same photo twice the same receipt, never replaced, checked by content and size, EXIF time kept."""

import uuid
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Answer, Photo
from inspections.services.inspections import sign_inspection, update_inspection_details
from tests.factories.inspections import (
    NONCOMPLIANT_RECTIFY,
    add_photo,
    answer_all,
    jpeg_bytes,
    png_bytes,
    point,
    start,
)

pytestmark = pytest.mark.today(date(2026, 6, 15))


@pytest.fixture
def draft(facility, officers):
    return start(facility, officers)


def answers_url(inspection) -> str:
    return reverse("api-inspection-answers", args=[inspection.pk])


def photos_url(inspection) -> str:
    return reverse("api-inspection-photos", args=[inspection.pk])


def post_photo(api_client, inspection, content: bytes, *, client_id=None, name="IMG_0001.jpg", **extra):
    body = {
        "client_id": str(client_id or uuid.uuid4()),
        "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        **extra,
    }
    return api_client.post(photos_url(inspection), body, format="multipart")


# Answers ------------------------------------------------------------------------------------------------


def test_r_ins_6_an_officer_saves_an_answer_and_the_same_again_changes_nothing(api_client, draft, officer):
    api_client.force_authenticate(officer)
    body = {"point": point(draft, "二.3").pk, **NONCOMPLIANT_RECTIFY}
    first = api_client.post(answers_url(draft), body, format="json")
    assert first.status_code == 200
    assert first.json()["point_code"] == "二.3" and first.json()["deadline_workdays"] == 10
    again = api_client.post(answers_url(draft), body, format="json")
    assert again.status_code == 200 and again.json()["updated_at"] == first.json()["updated_at"]
    answer = Answer.objects.get(inspection=draft)
    assert answer.history.count() == 1 and answer.responsible_person == "王经理"
    listed = api_client.get(answers_url(draft)).json()
    assert [a["point_code"] for a in listed] == ["二.3"]


def test_r_ins_6_noncompliant_without_note_is_refused_in_chinese(api_client, draft, officer):
    api_client.force_authenticate(officer)
    response = api_client.post(
        answers_url(draft),
        {"point": point(draft, "二.3").pk, "verdict": "noncompliant", "note": "  "},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"note": ["第 二.3 项为“不符合”，须填写情况说明。"]}
    assert not Answer.objects.exists()


def test_answers_refuse_bad_input_by_field(api_client, draft, officer, facility, officers):
    api_client.force_authenticate(officer)
    other = start(facility, officers)  # same version: its point is fine; a point of no version is not
    bad = [
        ({"verdict": "compliant"}, "point", "请指明检查要点（point）。"),
        ({"point": 999999, "verdict": "compliant"}, "point", "该检查要点不属于本次检查所用的清单版本。"),
        (
            {"point": point(other, "一.1").pk, "verdict": "maybe"},
            "verdict",
            "检查结论应为符合、不符合或不适用。",
        ),
        (
            {"point": point(other, "一.1").pk, "verdict": "compliant", "colour": "red"},
            "colour",
            "没有名为“colour”的可写字段。",
        ),
        (
            {"point": point(other, "一.1").pk, **NONCOMPLIANT_RECTIFY, "deadline_workdays": "十"},
            "deadline_workdays",
            "整改时限应为整数（工作日）。",
        ),
    ]
    for body, field, message in bad:
        response = api_client.post(answers_url(draft), body, format="json")
        assert response.status_code == 400 and response.json()[field] == [message], body
    assert not Answer.objects.exists()


def test_r_ins_6_after_signing_an_answer_is_refused_with_409(api_client, draft, officers):
    answer_all(draft, officers[0])
    update_inspection_details(by=officers[0], inspection=draft, representative_name="李厂长")
    sign_inspection(by=officers[0], inspection=draft)
    api_client.force_authenticate(officers[1])
    body = {"point": point(draft, "一.1").pk, "verdict": "not_applicable"}
    response = api_client.post(answers_url(draft), body, format="json")
    assert response.status_code == 409 and "检查记录已锁定" in response.json()["detail"]
    sign_inspection(by=officers[1], inspection=draft)
    response = api_client.post(answers_url(draft), body, format="json")
    assert response.status_code == 409 and "检查记录已签署，不得修改" in response.json()["detail"]
    assert Answer.objects.get(inspection=draft, point__code="一.1").verdict == "compliant"


def test_r_ins_6_only_the_officers_write_and_a_town_sees_only_its_own(
    api_client, draft, enforcement_head, leader, town_a_liaison, town_b_liaison
):
    body = {"point": point(draft, "一.1").pk, "verdict": "compliant"}
    for user in (enforcement_head, leader):
        api_client.force_authenticate(user)
        response = api_client.post(answers_url(draft), body, format="json")
        assert response.status_code == 403 and "只有本次检查的执法人员" in response.json()["detail"]
        assert post_photo(api_client, draft, jpeg_bytes()).status_code == 403
    # a town reads only signed records of its own facilities: a draft is not there for it, nor for town B
    for town in (town_a_liaison, town_b_liaison):
        api_client.force_authenticate(town)
        for url in (answers_url(draft), photos_url(draft)):
            assert api_client.get(url).status_code == 404
            assert api_client.post(url, body, format="json").status_code == 404
    assert not Answer.objects.exists() and not Photo.objects.exists()


# Photos -------------------------------------------------------------------------------------------------


def test_r_ins_6_a_photo_gets_a_receipt_and_the_same_photo_twice_the_same_receipt(api_client, draft, officer):
    api_client.force_authenticate(officer)
    content = jpeg_bytes(taken=datetime(2026, 6, 15, 9, 30), offset="+08:00")
    client_id = uuid.uuid4()
    extra = {
        "point": point(draft, "二.5").pk,
        "latitude": "31.230416",
        "longitude": "121.473701",
        "accuracy_m": "12.4",
    }
    first = post_photo(api_client, draft, content, client_id=client_id, **extra)
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["client_id"] == str(client_id) and len(receipt["sha256"]) == 64
    assert receipt["size"] == len(content) and receipt["point_code"] == "二.5"
    assert receipt["taken_at"] == "2026-06-15T09:30:00+08:00" and receipt["taken_at_source"] == "exif"
    again = post_photo(api_client, draft, content, client_id=client_id, **extra)
    assert again.status_code == 200 and again.json() == receipt
    photo = Photo.objects.get()
    assert (str(photo.latitude), photo.accuracy_m) == ("31.230416", 12)
    assert api_client.get(photos_url(draft)).json() == [receipt]


def test_r_ins_6_a_photo_without_exif_takes_the_files_time(api_client, draft, officer):
    api_client.force_authenticate(officer)
    response = post_photo(
        api_client, draft, png_bytes(), name="x.png", file_modified_at="2026-06-15T01:20:00.000Z"
    )
    assert response.status_code == 201
    assert response.json()["taken_at"] == "2026-06-15T09:20:00+08:00"
    assert response.json()["taken_at_source"] == "browser" and response.json()["point"] is None


def test_r_ins_6_a_photo_is_never_replaced_under_its_id(api_client, draft, officer):
    api_client.force_authenticate(officer)
    client_id = uuid.uuid4()
    assert post_photo(api_client, draft, jpeg_bytes(), client_id=client_id).status_code == 201
    response = post_photo(api_client, draft, jpeg_bytes(color=(0, 0, 255)), client_id=client_id)
    assert response.status_code == 409 and "照片一经接收不得替换" in response.json()["detail"]
    assert Photo.objects.count() == 1


def test_r_ins_6_a_file_that_is_not_an_image_is_refused_by_content(api_client, draft, officer):
    api_client.force_authenticate(officer)
    response = post_photo(api_client, draft, b"%PDF-1.4 not a photo", name="photo.jpg")
    assert response.status_code == 400 and "按文件内容判断" in response.json()["file"][0]
    response = post_photo(api_client, draft, jpeg_bytes(), client_id="abc")
    assert response.json() == {"client_id": ["照片编号应为 UUID。"]}
    assert not Photo.objects.exists()


def test_r_ins_6_a_60_mb_file_is_refused(api_client, draft, officer):
    api_client.force_authenticate(officer)
    response = post_photo(api_client, draft, b"\xff\xd8\xff" + bytes(60 * 1024 * 1024))
    assert response.status_code == 400 and response.json()["file"] == [
        "照片不能超过 20 MB（该文件 60.0 MB）。"
    ]
    assert not Photo.objects.exists()


# Query budgets ------------------------------------------------------------------------------------------


def test_field_api_lists_cost_fixed_queries(api_client, draft, officers, django_assert_num_queries):
    # given: every point answered, three photos
    answer_all(draft, officers[0])
    for code in ("一.1", "二.1", None):
        add_photo(draft, officers[1], code=code)
    api_client.force_login(officers[0])
    # Expect 4 queries: session, user with staff/section/town, the inspection, its answers with points.
    with django_assert_num_queries(4):
        assert len(api_client.get(answers_url(draft)).json()) == 17
    # Expect 4 queries: session, user with staff/section/town, the inspection, its photos with points.
    with django_assert_num_queries(4):
        assert len(api_client.get(photos_url(draft)).json()) == 3
