"""Feedback notices (R-REP-3; 003 第五条): the list with its state filter, one 排污许可执行报告问题反馈
意见单 with every problem, its section and check point, the ledger and, once escalated, the lead and the
linkage task; the facility's answer recorded by 审批科 (a new version of the report and a re-review);
the PDF (``permits.reports.documents``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bureau.access import section_required
from bureau.documents import exports
from bureau.web import submit_step
from permits.reports import queries
from permits.reports.forms import EmissionFormSet, emissions_of
from permits.reports.models import NoticeState
from permits.reports.services import notices
from permits.reports.services.common import SECTION_NAMES, may_approve, require_approval
from permits.reports.views import REPORT_SECTIONS
from permits.reports.views.review_forms import AnswerForm
from permits.views.common import paginate


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *NoticeState.choices], required=False)


def listed_notices(user, query):
    """The filter form of ``query`` and the notices ``user`` may see in its state, newest first: what
    the page lists and its Excel export holds (``permits.exports``)."""
    form = NoticeFilterForm(query)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    return form, queries.notice_rows(user, state)


@section_required(*REPORT_SECTIONS)
def notice_list(request):
    """排污许可执行报告问题反馈意见单 list (R-REP-3): what the user may see, by state, newest first."""
    form, notices = listed_notices(request.user, request.GET)
    page = paginate(request, notices)
    return render(
        request,
        "permits/reports/notice_list.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@section_required(*REPORT_SECTIONS)
def notice_export(request):
    """The notices of the list as Excel, all pages (``permits.exports``)."""
    return exports.respond(request, "permits.notices")


def _may_answer(user, notice) -> bool:
    return may_approve(user) and notice.state == NoticeState.ISSUED


def _render(request, notice, *, form=None, emissions=None, status=200, alert=""):
    problems = queries.notice_problems(notice)
    rereview = (
        notice.rereviews.select_related("version").order_by("-round").first()
        if notice.state != NoticeState.ISSUED
        else None
    )
    if form is None and _may_answer(request.user, notice):
        form = AnswerForm(initial={"received_on": timezone.localdate()})
    if emissions is None:
        emissions = EmissionFormSet(prefix="emission")
    context = {
        "notice": notice,
        "report": notice.report,
        "problems": [
            {"problem": p, "section": SECTION_NAMES[p.part.section_code], "lead": getattr(p, "lead", None)}
            for p in problems
        ],
        "rereview": rereview,
        "answer_form": form if _may_answer(request.user, notice) else None,
        "emission_forms": emissions,
        "alert": alert,
    }
    return render(request, "permits/reports/notice.html", context, status=status)


@section_required(*REPORT_SECTIONS)
def feedback_notice(request, pk):
    """One notice (R-REP-3); 审批科 posts the facility's answer here (a new version of the report, and
    the re-review opens)."""
    notice = queries.notice_page(request.user, pk)
    if request.method != "POST":
        return _render(request, notice)
    form = AnswerForm(request.POST, request.FILES)
    # The page always sends the emission rows; a post without them (a script) answers without figures.
    emissions = (
        EmissionFormSet(request.POST, prefix="emission") if "emission-TOTAL_FORMS" in request.POST else None
    )

    def call(data):
        if emissions is not None and not emissions.is_valid():
            raise ValidationError("实际排放情况有误，请按下方标红的提示修改。")
        review = notices.record_answer(
            by=request.user,
            notice=notice,
            received_on=data["received_on"],
            today=timezone.localdate(),
            kind=data["kind"],
            platform_ref=data["platform_ref"],
            file=data["file"],
            note=data["note"],
            emissions=[] if emissions is None else emissions_of(emissions),
        )
        return (
            f"已登记 {notice.number} 的答复（第{review.version.number}版），请相关科室复核。",
            reverse("permits:review-detail", args=[review.pk]),
        )

    def render_again(*, form, status, alert):
        current = notice if status == 400 else queries.notice_page(request.user, pk)
        return _render(request, current, form=form, emissions=emissions, status=status, alert=alert)

    return submit_step(
        request, form, call=call, check=lambda: require_approval(request.user), render_again=render_again
    )


@section_required(*REPORT_SECTIONS)
def notice_pdf(request, pk):
    """The notice as a PDF with the Chinese font embedded (R-REP-3), made by ``permits.reports.documents``."""
    from permits.reports.documents import notice_pdf_response

    return notice_pdf_response(request, pk)
