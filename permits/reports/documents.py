"""排污许可执行报告问题反馈意见单 as a PDF (R-REP-3; 003 第五条): every problem of one review told to the
facility at once, with its section and check point, the agreed time limit in working days and the
due date (暂定 while that year's work calendar is not confirmed, R-CAL-1), the bureau's contact, the
issue date and the document number. PDFs are made by ``bureau.documents.pdf.render_pdf`` only
(embedded CJK font, no network). The page (``permits:feedback-notice-pdf``) and the API action
(``/api/v1/feedback-notices/{id}/notice.pdf``) answer the same PDF."""

from django.http import HttpResponse

from bureau.documents.pdf import pdf_response, render_pdf
from permits.reports import queries
from permits.reports.models import FeedbackNotice
from permits.reports.services.common import SECTION_NAMES

TEMPLATE = "permits/reports/notice_pdf.html"
TITLE = "排污许可执行报告问题反馈意见单"
# The issuer as the system names the bureau everywhere else (the footer of every page, the login page).
ISSUER = "区生态环境局"
# 003 第五条, word for word: what the facility must do with the notice.
REQUEST = "排污单位应在约定的时间内修改执行报告或提交补充说明材料"


def notice_context(notice: FeedbackNotice) -> dict:
    """What the notice shows. ``notice`` comes with its report, permit and facility (one query, as
    ``queries.notice_for_user`` loads it); its problems with their parts cost one more, its reviewed
    version another."""
    report, facility = notice.report, notice.report.facility
    problems = list(notice.problems.select_related("part").order_by("part_id", "id"))
    return {
        "title": TITLE,
        "notice": notice,
        "number": notice.number,
        "document_number": notice.number,
        "document_number_label": "文书编号",
        "facility": facility,
        "permit_number": report.permit.number,
        "period_label": report.period.label,
        "version": notice.review.version.number,
        "rows": [
            {
                "section": SECTION_NAMES[p.part.section_code],
                "point": p.point_name,
                "description": p.description,
                # An adopted exceedance carries its figures in its description already.
                "figures": "" if p.figures in p.description else p.figures,
                "problem_class": p.get_problem_class_display(),
            }
            for p in problems
        ],
        "time_limit": f"{notice.time_limit_workdays} 个工作日",
        "due_on": f"{notice.due_on:%Y年%-m月%-d日}"
        + ("（暂定：工作日历尚未确认）" if notice.due_provisional else ""),
        "request": REQUEST,
        "contact": notice.contact,
        "issued_on": f"{notice.issued_on:%Y年%-m月%-d日}",
        "issuer": ISSUER,
    }


def render_notice_pdf(notice: FeedbackNotice) -> bytes:
    """The feedback notice as PDF bytes (R-REP-3)."""
    return render_pdf(TEMPLATE, notice_context(notice))


def notice_filenames(notice: FeedbackNotice) -> tuple[str, str]:
    """The notice's Chinese file name, and an ASCII one for clients that cannot read the first."""
    return f"{TITLE}-{notice.number}.pdf", f"report-feedback-notice-{notice.pk}.pdf"


def notice_response(notice: FeedbackNotice) -> HttpResponse:
    return pdf_response(render_notice_pdf(notice), notice_filenames(notice))


def notice_pdf_response(request, pk) -> HttpResponse:
    """The PDF of notice ``pk`` inline, under its Chinese name; 404 alike for a missing notice and one
    of a facility outside the user's jurisdiction (``queries.notice_for_user``). Who may print at all is
    the calling page's check."""
    return notice_response(queries.notice_for_user(request.user, pk))
