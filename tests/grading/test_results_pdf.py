"""The grading results as a PDF (R-GRD-4, R-GRD-5; 003 附件2): the text extracts back with the year, the
holders, the cap, the counts, the 优秀 and 不合格 holders with their reasons and the work group's
changes, the cap-exceeded reason; a draft says 草稿 and a confirmed grading names the 组长; the Chinese
font is embedded and no glyph is missing; the page serves it, towns excepted."""

import io
import logging
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from grading import documents, rules
from grading.models import AnnualGrading, FacilityGrade
from grading.services import gradings
from tests.grading import test_pages
from tests.inspections.test_pdf import squeezed
from tests.reports.test_pdf import fonts_of

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 1, 20))]

# The drafted year of the page tests: 12 holders, [0] 优秀, [1] a candidate beyond the cap, [2] 不合格.
holders = test_pages.holders
graded = test_pages.graded


def pdf_text(caplog, grading) -> str:
    with caplog.at_level(logging.DEBUG):
        pdf = documents.results_pdf(AnnualGrading.objects.get(pk=grading.pk))
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    reader = PdfReader(io.BytesIO(pdf))
    assert fonts_of(reader), "no embedded font"
    return squeezed("".join(page.extract_text() for page in reader.pages))


def test_r_grd_5_a_draft_prints_as_a_draft_with_both_lists_and_their_reasons(
    caplog,
    graded,
    holders,
    officer,
):
    # given: one change by the work group
    gradings.override(
        by=officer,
        grade=FacilityGrade.objects.get(grading=graded, facility=holders[5]),
        to_grade=rules.UNQUALIFIED,
        condition=rules.U_NOT_COOPERATING,
        reason="年度内多次拒绝现场检查",
    )
    # when
    text = pdf_text(caplog, graded)
    # then
    assert "2025年度持证单位等级评定结果" in text
    assert "草稿·未经组长确认" in text and "本结果尚未生效" in text
    assert "参评持证单位12家" in text and "优秀名额1个" in text
    assert "优秀1家；合格9家；不合格2家" in text
    assert "一、“优秀”单位（1家）" in text and holders[0].name in text and "获市生态环境局表彰" in text
    assert "二、“不合格”单位（2家）" in text and holders[2].name in text and "拒绝提供台账" in text
    assert (
        holders[5].name in text
        and "工作组调整：合格→不合格（附件2三4未能依法依规配合生态环境部门完成相关工作），理由：年度内多次拒绝现场检查"
        in text
    )
    assert holders[3].name not in text  # 合格 holders are counted, not listed
    assert "超出优秀名额的理由" not in text


def test_r_grd_4_a_confirmed_grading_names_the_leader_and_the_cap_reason(
    caplog,
    graded,
    holders,
    officer,
    leader,
):
    gradings.record_cap_exceedance(by=officer, grading=graded, reason="两家均获市级表彰")
    gradings.override(
        by=officer,
        grade=FacilityGrade.objects.get(grading=graded, facility=holders[1]),
        to_grade=rules.EXCELLENT,
        reason="先进事迹获央视报道",
    )
    gradings.confirm(by=leader, grading=graded)
    text = pdf_text(caplog, graded)
    assert "草稿" not in text
    confirmed_on = timezone.localtime(AnnualGrading.objects.get(pk=graded.pk).confirmed_at)
    assert (
        f"组长{leader.display_name}于{confirmed_on:%Y}年{confirmed_on.month}月{confirmed_on.day}日确认"
        in text
    )
    assert "超出优秀名额的理由两家均获市级表彰" in text
    assert "一、“优秀”单位（2家）" in text and holders[1].name in text


def test_the_pdf_page_serves_it_to_the_bureau_only(client, graded, ecology_clerk, town_a_liaison):
    url = reverse("grading:grading-results-pdf", args=[2025])
    client.force_login(ecology_clerk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "grading-results-2025.pdf" in response["Content-Disposition"]
    client.force_login(town_a_liaison)
    assert client.get(url).status_code == 403
