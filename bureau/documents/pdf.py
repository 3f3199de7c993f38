"""The one way the system makes a PDF: a Django template rendered by WeasyPrint with a CJK font.

One look for every document: each template extends ``documents/document.html``, which repeats on every
page a header with the bureau's name (``settings.BUREAU_NAME``, put into every context here) and the
document's number (the context value ``document_number``, which each document passes: the slip's task
number, the notice's number, the inspection's number, the meeting's date, the grading year, …), the
footer "第 X 页 共 Y 页", and tables whose rows never split across pages and whose header repeats.

The font is found through fontconfig by family name (``settings.PDF_CJK_FONT_FAMILY``) and embedded
(subset) in every PDF, so Chinese never turns into boxes on the reader's machine. The system check
``reports.E001`` stops start-up where no such font is installed. A character no installed font has
a glyph for prints as an empty box; WeasyPrint then logs a warning naming it (".notdef glyph rendered
…"), which the tests watch for.
"""

import subprocess
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from bureau.text import strip_control_characters

# Above this many table rows a document is made in the background (``bureau.documents.jobs``) and
# downloaded when ready; at or below it, at once. Measured (tests/bench/test_document_bench.py, on the
# 2-core test machine under load): the one-page transfer slip 0.4 s, a meeting pack of 100 rows of three
# lines (11 pages) 5.5 s, about 0.5 s a page whatever the document. A page holds 10 to 30 rows, so 50
# rows are two to five pages, one to two and a half seconds: the longest a person should wait on a
# click and a web worker be held. Beyond that a pack or a results list grows with the data (a
# quarter's tasks, a year's 不合格 holders) and would hold the worker for many seconds. (On a quiet
# machine on 2026-12-03 the same pack took 2.5 s, and 1.1 s once its decisions were laid out from their
# columns' widths, as the other documents' lists are: 0.1 s a page.)
SYNC_ROWS = 50


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes.

    Templates extend ``documents/document.html``, which sets A4 pages, the CJK font, the header (the
    bureau's name and ``context["document_number"]``) and the page numbers. Static files are resolved
    from ``STATIC_ROOT``/``STATICFILES_DIRS`` on disk, never fetched over the network.
    """
    context = {
        "cjk_font_family": settings.PDF_CJK_FONT_FAMILY,
        "bureau_name": settings.BUREAU_NAME,
        **(context or {}),
    }
    # A record stored before input was checked may hold a control character, which no PDF shows.
    html = strip_control_characters(render_to_string(template_name, context, request=request))
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf(
        font_config=FontConfiguration()
    )


def local_url_fetcher() -> URLFetcher:
    """Fetches local files and data URIs only: the intranet has no internet (see DESIGN.md)."""
    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=False)


def installed_cjk_families() -> set[str]:
    """Family names of the fonts fontconfig has for Chinese; empty when fontconfig is missing."""
    try:
        output = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in output.splitlines() for name in line.split(",") if name.strip()}


def pdf_response(pdf: bytes, filenames: tuple[str, str]) -> HttpResponse:
    """The PDF shown in the browser (inline) and saved under its Chinese name (RFC 6266, with the
    RFC 5987 ``filename*``); ``filename`` is the ASCII fallback."""
    name, ascii_name = filenames
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response
