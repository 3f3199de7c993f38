"""排污许可执行报告问题反馈意见单 as a PDF (R-REP-3; 003 第五条): its text extracts back with the number,
the facility, the report, each problem with its section and check point, the time limit and the
contact; the Chinese font is embedded; it prints only for those who may see the notice (R-ORG-3)."""

import io
import logging
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.http import Http404
from django.test import RequestFactory
from pypdf import PdfReader

from permits.models import Facility
from permits.reports import documents, queries
from tests.reports.test_pdf import fonts_of

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 4, 23))]


def squeezed(text: str) -> str:
    # Table cells wrap: the extracted text has line breaks inside words.
    return re.sub(r"\s+", "", text)


def pdf_of(caplog, user, notice) -> bytes:
    request = RequestFactory().get("/")
    request.user = user
    with caplog.at_level(logging.DEBUG):
        response = documents.notice_pdf_response(request, notice.pk)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_r_rep_3_notice_pdf_tells_every_problem_with_its_section_point_and_time_limit(
    caplog, approval_clerk, issued_notice
):
    # given the facility's address (set directly: the registry's services are not under test)
    Facility.objects.filter(pk=issued_notice.report.facility_id).update(address="甲镇工业路 8 号")

    # when
    pdf = pdf_of(caplog, approval_clerk, issued_notice)

    # then
    reader = PdfReader(io.BytesIO(pdf))
    text = squeezed("".join(page.extract_text() for page in reader.pages))
    facility = issued_notice.report.facility
    for expected in (
        "排污许可执行报告问题反馈意见单",
        f"文书编号：{issued_notice.number}",
        facility.name,
        facility.source_code,
        "生产经营场所地址甲镇工业路8号",
        issued_notice.report.permit.number,
        "2026年3月执行报告（第1版）",
        "序号科室检查要点问题描述问题性质",
        "1审批科企业基本信息法定代表人漏填程序性问题",
        "2生态科实际排放情况及达标判定分析",
        "超过许可浓度20.000mg/m³。实质性问题",
        "实质性问题",
        "排污单位应在约定的时间内修改执行报告或提交补充说明材料",
        "整改时限为10个工作日，请于2026年5月11日前完成",
        "联系人及电话：王审批021-00000000",
        "区生态环境局2026年4月23日",
    ):
        assert expected in text, expected
    # The problem 污防科 dismissed is not told to the facility.
    assert "污防科" not in text and "小时均值" not in text
    assert "暂定" not in text
    assert fonts_of(reader), "a font is embedded"


def test_r_rep_3_a_provisional_due_date_says_so(caplog, approval_clerk, issued_notice):
    # given a due date in a year whose calendar is not confirmed
    issued_notice.due_provisional = True  # shown as read, not saved: the PDF reads the row it is given
    # when
    text = squeezed(PdfReader(io.BytesIO(documents.render_notice_pdf(issued_notice))).pages[0].extract_text())
    # then
    assert "2026年5月11日（暂定：工作日历尚未确认）" in text


def test_r_rep_3_notice_pdf_has_a_chinese_file_name(caplog, approval_clerk, issued_notice):
    request = RequestFactory().get("/")
    request.user = approval_clerk
    response = documents.notice_pdf_response(request, issued_notice.pk)
    name = f"排污许可执行报告问题反馈意见单-{issued_notice.number}.pdf"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith('inline; filename="report-feedback-notice-')


def test_r_org_3_a_town_prints_only_notices_of_its_own_facilities(
    caplog, town_a_liaison, town_b_liaison, issued_notice
):
    assert pdf_of(caplog, town_a_liaison, issued_notice).startswith(b"%PDF")
    request = RequestFactory().get("/")
    request.user = town_b_liaison
    with pytest.raises(Http404):
        documents.notice_pdf_response(request, issued_notice.pk)


def test_notice_pdf_reads_three_queries(approval_clerk, issued_notice, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = approval_clerk
    # Expect 3 queries: the notice with its report, permit, facility and review, scoped to the user;
    # its problems with their parts; the reviewed version.
    with django_assert_num_queries(3):
        documents.notice_pdf_response(request, issued_notice.pk)
    assert queries.notice_for_user(approval_clerk, issued_notice.pk) == issued_notice
