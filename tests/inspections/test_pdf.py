"""现场检查记录 as a PDF (R-INS-6; 003 附件3): its text extracts back with the number, the facility,
every point with its 结论 and 说明, the officers' certificate numbers, the photos' hashes, the findings,
the amendments and the record's own SHA-256; the Chinese font is embedded and no glyph is missing; a
draft says so and has no hash; the photo is embedded as an image."""

import io
import logging
import re
from datetime import date
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from inspections import documents, queries
from inspections.models import Photo
from inspections.services.inspections import add_amendment
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, add_photo, answer_all, point, signed, start
from tests.reports.test_pdf import fonts_of

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 6, 15))]


def squeezed(text: str) -> str:
    # Table cells wrap: the extracted text has line breaks inside words.
    return re.sub(r"\s+", "", text)


def pdf_text(caplog, user, inspection) -> tuple[str, PdfReader]:
    with caplog.at_level(logging.DEBUG):
        pdf = documents.record_pdf(queries.inspection_detail(user, inspection.pk))
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    reader = PdfReader(io.BytesIO(pdf))
    return squeezed("".join(page.extract_text() for page in reader.pages)), reader


@pytest.fixture
def record(facility, officers):
    """Signed, with 二.3 on the ledger, a photo of 二.3 with its location, and an amendment."""
    inspection = start(facility, officers)
    answer_all(inspection, officers[0], 二_3=NONCOMPLIANT_RECTIFY)
    add_photo(
        inspection, officers[1], code="二.3", latitude="31.230416", longitude="121.473701", accuracy_m=8
    )
    inspection = signed(inspection, officers, 二_3=NONCOMPLIANT_RECTIFY)
    add_amendment(
        by=officers[0],
        inspection=inspection,
        field="note",
        point=point(inspection, "二.3"),
        after="危废贮存间地面未做防渗",
        reason="现场记录笔误",
    )
    return inspection


def test_r_ins_6_the_record_prints_every_point_the_officers_photos_and_its_hash(
    caplog, legal_clerk, officers, record
):
    # when
    text, reader = pdf_text(caplog, legal_clerk, record)
    # then
    record.refresh_from_db()
    photo = Photo.objects.get()
    full_text = squeezed(point(record, "二.3").text)
    assert full_text.startswith("固体废物产生量、贮存量是否与排污许可证要求一致")
    for expected in (
        "现场检查记录",
        f"检查编号：{record.number}",
        record.facility.name,
        record.facility.source_code,
        "年度计划检查",
        "2026年度执法检查计划",
        "排污许可持证单位现场检查要点（第1版）",
        full_text,
        "危废贮存间未设置防渗漏措施",  # the note as signed
        "违法类别：违反其他环境管理要求的行为；处理方式：限期整改，整改时限10个工作日，责任人王经理",
        "执法证号31010720001",
        "执法证号31010720002",
        "企业现场负责人李厂长",
        f"SHA-256：{photo.sha256}",
        "北纬31.230416，东经121.473701（精度约8米）",
        "列入整改台账，整改期限",
        "危废贮存间未设置防渗漏措施→危废贮存间地面未做防渗",  # the amendment, after the record
        "现场记录笔误",
        record.record_hash,
        "签署后的更正记录不在其内",
    ):
        assert expected in text, expected
    assert "草稿" not in text
    assert any("WenQuanYi" in name for name in fonts_of(reader)), "the CJK font is embedded"
    # WeasyPrint shares one resource dictionary between pages: the same image is listed on each.
    images = {image.name: image for page in reader.pages for image in page.images}
    (thumbnail,) = images.values()
    assert max(thumbnail.image.size) <= documents.THUMBNAIL_PX


def test_r_ins_6_a_draft_prints_as_a_draft_without_a_hash(caplog, officer, facility, officers):
    draft = start(facility, officers)
    text, _ = pdf_text(caplog, officer, draft)
    assert "草稿·未签署" in text and "未填" in text
    assert "检查记录SHA-256" not in text and "发现的问题" not in text


def test_the_record_has_a_chinese_file_name(record, facility, officers):
    name, ascii_name = documents.pdf_filenames(record)
    assert name == f"现场检查记录-{record.number}.pdf" and ascii_name == f"inspection-record-{record.pk}.pdf"
    assert documents.pdf_filenames(start(facility, officers))[0].endswith("（草稿）.pdf")


def test_the_record_pdf_over_the_api_costs_nine_queries(
    api_client, town_a_liaison, record, django_assert_num_queries
):
    api_client.force_authenticate(town_a_liaison)
    # Expect 9 queries, those of ``queries.inspection_detail``: the inspection with its facility,
    # version and sources, scoped to the town; officers; answers; photos; amendments; parts; points;
    # the facility's last signed inspection before it (none); findings. The photo files are read from
    # storage, not the database.
    with django_assert_num_queries(9):
        response = api_client.get(f"/api/v1/inspections/{record.pk}/record.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    name = quote(f"现场检查记录-{record.number}.pdf", safe="")
    assert response["Content-Disposition"] == (
        f"inline; filename=\"inspection-record-{record.pk}.pdf\"; filename*=UTF-8''{name}"
    )
