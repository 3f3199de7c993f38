"""PDFs embed a CJK font: the text extracts back and no glyph is missing (.notdef)."""

import io
import logging

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from pypdf import PdfReader

from bureau.documents.pdf import render_pdf

TITLE = "排污许可“三监联动”线下转办单"


def fonts_of(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    "font not embedded"
                )
    return names


def test_transfer_slip_title_renders_with_an_embedded_cjk_font(caplog):
    # when
    with caplog.at_level(logging.DEBUG):
        pdf = render_pdf(
            "documents/document.html",
            {"title": TITLE, "paragraphs": ["任务发起：行政审批服务科", "归档整理：审批科（生态环境局）"]},
        )
    # then
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert TITLE in text
    assert "归档整理：审批科（生态环境局）" in text
    assert any("WenQuanYi" in name for name in fonts_of(reader))
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_a_missing_glyph_would_be_noticed(caplog):
    """The guard the first test relies on (no ".notdef" warning) can fail: 𠀀 (U+20000, CJK Extension
    B) is a character no installed font has a glyph for, so it prints as an empty box."""
    # when
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf("documents/document.html", {"title": "排污单位：𠀀记化工", "paragraphs": []})
    # then: the document is still made, and the missing glyph is reported by name
    assert pdf.startswith(b"%PDF")
    warnings = [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert len(warnings) == 1
    assert "U+20000" in warnings[0]


def test_external_resources_are_refused():
    from bureau.documents.pdf import local_url_fetcher

    with pytest.raises(ValueError, match="disallowed protocol"):
        local_url_fetcher().fetch("https://cdn.example.com/font.woff2")


def test_system_check_fails_without_the_cjk_font():
    with override_settings(PDF_CJK_FONT_FAMILY="No Such CJK Font"):
        errors = [e for e in run_checks() if e.id == "reports.E001"]
    assert len(errors) == 1
    assert "未找到生成 PDF 所需的中文字体" in errors[0].msg
    assert "fonts-wqy-microhei" in errors[0].hint
    assert not [e for e in run_checks() if e.id == "reports.E001"]
