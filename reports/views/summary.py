"""工作小结 (R-SUM-1, 001 二): the months and their summaries with the day each is due by, one summary
with its charts and figures, its PDF, preparing any month or a year by hand, and recording that it was
sent. Every bureau section reads; 审批科 prepares and sends (the services check it again); towns may not
open any of it (403)."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_SECTIONS, section_required
from bureau.documents.pdf import pdf_response
from bureau.web import submit_step
from reports import rules
from reports import summary as summaries
from reports.dashboards import FIRST_YEAR
from reports.models import SummaryState

LIST_MONTHS = 12
MONTH_CHOICES = [(rules.YEAR, "全年（年终小结）"), *((m, f"{m}月") for m in range(1, 13))]


class PrepareForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=2100)
    month = forms.TypedChoiceField(label="月份", choices=MONTH_CHOICES, coerce=int)


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label="审批科补充说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label="报送日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sent_to = forms.CharField(label="报送单位", max_length=100, initial=rules.RECIPIENT)


def _prepare_form(today: date, data=None) -> PrepareForm:
    year, month = rules.previous_month(today)
    return PrepareForm(data, initial={"year": year, "month": month})


def _render_list(request, *, form=None, status=200, alert=""):
    today = timezone.localdate()
    may_prepare = summaries.may_prepare(request.user)
    return render(
        request,
        "reports/summary_list.html",
        {
            "rows": summaries.period_rows(today, months=LIST_MONTHS),
            "may_prepare": may_prepare,
            "prepare_form": (form or _prepare_form(today)) if may_prepare else None,
            "alert": alert,
            "today": today,
        },
        status=status,
    )


@section_required(*BUREAU_SECTIONS)
def summary_list(request):
    """The last twelve months and every period that has a summary, newest first: state, version, due by."""
    return _render_list(request)


@section_required(*BUREAU_SECTIONS)
def summary_prepare(request):
    """GET: the form to prepare any ended month or year by hand. POST: prepare it (a draft is counted
    again, a sent one kept and a new version drafted) and open it."""
    today = timezone.localdate()
    if request.method != "POST":
        return _render_list(request)

    def call(data):
        prepared = summaries.prepare(year=data["year"], month=data["month"], by=request.user, today=today)
        url = reverse("reports:summary-detail", args=[prepared.pk])
        return f"已生成{summaries.title(prepared)}（第{prepared.version}版），请核对后报送。", url

    return submit_step(
        request,
        _prepare_form(today, request.POST),
        call=call,
        render_again=lambda form=None, status=400, alert="": _render_list(
            request, form=form, status=status, alert=alert
        ),
        labels={"year": "年度", "month": "月份"},
        check=lambda: _check_preparer(request.user),
    )


def _render_detail(request, summary, *, form=None, remarks_form=None, status=200, alert=""):
    today = timezone.localdate()
    may_send = summary.state == SummaryState.DRAFT and summaries.may_prepare(request.user)
    remarks_form = remarks_form or RemarksForm(initial={"remarks": summary.remarks})
    return render(
        request,
        "reports/summary_detail.html",
        {
            "summary": summary,
            "title": summaries.title(summary),
            "document_number": summaries.document_number(summary),
            "bureau_name": settings.BUREAU_NAME,
            "period": rules.month_bounds(summary.year, summary.month),
            "due_line": rules.due_line(summary.year, summary.month, sent_on=summary.sent_on, today=today),
            "versions": summaries.period_versions(summary),
            "sections": summaries.sections(summary, summaries.figure_links(summary)),
            "charts": summaries.summary_charts(summary),
            "may_prepare": summaries.may_prepare(request.user),
            "send_form": (form or SendForm(initial={"sent_on": today})) if may_send else None,
            "remarks_form": remarks_form if may_send else None,
            "alert": alert,
        },
        status=status,
    )


@section_required(*BUREAU_SECTIONS)
def summary_detail(request, pk):
    """One summary: period, state, due by, the charts and figures, the other versions of its period."""
    return _render_detail(request, summaries.get_summary(pk))


@section_required(*BUREAU_SECTIONS)
def summary_pdf(request, pk):
    """The summary as PDF: one or two pages, rendered at once."""
    summary = summaries.get_summary(pk)
    return pdf_response(summaries.pdf(summary), summaries.pdf_filenames(summary))


@require_POST
@section_required(*BUREAU_SECTIONS)
def summary_send(request, pk):
    """Record the day 审批科 sent the summary and to whom."""
    summary = summaries.get_summary(pk)

    def call(data):
        sent = summaries.mark_sent(
            summary=summary, sent_on=data["sent_on"], sent_to=data["sent_to"], by=request.user
        )
        return f"已登记：{sent.sent_on:%Y-%m-%d} 报送{sent.sent_to}。"

    return submit_step(
        request,
        SendForm(request.POST),
        call=call,
        render_again=lambda form=None, status=400, alert="": _render_detail(
            request, summary, form=form, status=status, alert=alert
        ),
        success_url=reverse("reports:summary-detail", args=[summary.pk]),
        check=lambda: _check_preparer(request.user),
    )


@require_POST
@section_required(*BUREAU_SECTIONS)
def summary_remarks(request, pk):
    """Keep 审批科's remarks on a draft."""
    summary = summaries.get_summary(pk)

    def call(data):
        summaries.save_remarks(summary=summary, remarks=data["remarks"], by=request.user)
        return "已保存补充说明。"

    return submit_step(
        request,
        RemarksForm(request.POST),
        call=call,
        render_again=lambda form=None, status=400, alert="": _render_detail(
            request, summary, remarks_form=form, status=status, alert=alert
        ),
        success_url=reverse("reports:summary-detail", args=[summary.pk]),
        check=lambda: _check_preparer(request.user),
    )


def _check_preparer(user) -> None:
    if not summaries.may_prepare(user):
        raise PermissionDenied(summaries.NOT_PREPARER)
