"""The one way the system makes a PDF: a Django template rendered by WeasyPrint with a CJK font.

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


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes.

    Templates extend ``documents/document.html``, which sets A4 pages and the CJK font. Static files
    are resolved from ``STATIC_ROOT``/``STATICFILES_DIRS`` on disk, never fetched over the network.
    """
    context = {"cjk_font_family": settings.PDF_CJK_FONT_FAMILY, **(context or {})}
    html = render_to_string(template_name, context, request=request)
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
