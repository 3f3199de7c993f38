"""Pages of holders' anomaly reports (R-ANM-1; 003 第九条): enter a report received by phone or letter,
list them, open one, start a linkage task from it, close it with its outcome.

生态科 and 污防科 (the 监管部门 第九条 names) enter and close reports; the other linkage departments
and leadership read them; a town reads those of its own facilities (R-ORG-3). Writes go through
``permits.services.anomalies``.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import in_sections, section_required
from bureau.documents import exports
from bureau.web import DATE_WIDGET, submit_step
from linkage import queries, rules
from linkage.services import leads
from permits.forms import FacilityField
from permits.models import AnomalyChannel, AnomalyKind
from permits.queries import visible_facilities
from permits.services import anomalies

READ_SECTIONS = rules.PAGE_SECTIONS
WRITE_SECTIONS = anomalies.RECEIVING_SECTIONS
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_ERRORS = {"required": "请填写时间。", "invalid": "请按“年-月-日 时:分”填写时间。"}
PAGE_SIZE = 50


class AnomalyForm(forms.Form):
    """异常情况报告: facility, kind (003 第九条), start, what was done, how and by whom it was reported."""

    facility = FacilityField(label="排污单位", error_messages={"required": "请填写排污单位。"})
    kind = forms.ChoiceField(label="异常类别", choices=AnomalyKind.choices)
    description = forms.CharField(
        label="异常情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "请填写异常情况。"},
    )
    started_at = forms.DateTimeField(
        label="异常开始时间", widget=DATETIME_WIDGET, error_messages=DATETIME_ERRORS
    )
    measures = forms.CharField(
        label="已采取的措施",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "请填写单位已采取的措施。"},
    )
    channel = forms.ChoiceField(label="报告方式", choices=AnomalyChannel.choices)
    reporter = forms.CharField(
        label="报告人及联系方式", max_length=200, error_messages={"required": "请填写报告人。"}
    )
    reported_at = forms.DateTimeField(
        label="报告时间",
        widget=DATETIME_WIDGET,
        error_messages=DATETIME_ERRORS,
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class AnomalyCloseForm(forms.Form):
    closed_on = forms.DateField(
        label="办结日期",
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        error_messages={"required": "请填写日期。", "invalid": "请按“年-月-日”填写日期。"},
    )
    outcome = forms.CharField(
        label="处理结果",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "请填写处理结果。"},
    )


def listed_anomalies(user, query) -> tuple[str, object]:
    """The tab (open, closed, all) of ``query`` and its reports ``user`` may see, newest first: what
    the page lists and its Excel export holds (``linkage.exports``)."""
    state = query.get("state", "open")
    reports = queries.visible_anomaly_reports(user)
    if state == "open":
        reports = reports.filter(closed_on__isnull=True)
    elif state == "closed":
        reports = reports.filter(closed_on__isnull=False)
    return state, reports.order_by("-reported_at", "-id")


@section_required(*READ_SECTIONS)
def anomaly_list(request):
    """异常情况报告: open ones first, then the closed, newest first; entering one for 生态科、污防科."""
    state, reports = listed_anomalies(request.user, request.GET)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "may_write": in_sections(request.user, WRITE_SECTIONS)}
    return render(request, "linkage/anomaly_list.html", context)


@section_required(*READ_SECTIONS)
def anomaly_export(request):
    """The tab's reports as Excel, all pages (``linkage.exports``)."""
    return exports.respond(request, "linkage.anomalies")


@section_required(*WRITE_SECTIONS)
def anomaly_new(request):
    """登记异常情况报告 (R-ANM-1): it goes at once onto 生态科's and 污防科's to-do lists."""
    facilities = visible_facilities(request.user)
    initial = {"facility": request.GET.get("facility", "")}
    form = AnomalyForm(request.POST or None, facilities=facilities, initial=initial)
    if request.method != "POST":
        return render(request, "linkage/anomaly_form.html", {"form": form})

    def call(data):
        report = anomalies.record_anomaly_report(by=request.user, **data)
        return (
            f"已登记异常情况报告 {report.number}，已列入生态科、污防科待办。",
            reverse("linkage:anomaly-detail", args=[report.pk]),
        )

    def render_again(*, form, status, alert):
        return render(
            request,
            "linkage/anomaly_form.html",
            {"form": form or AnomalyForm(facilities=facilities), "alert": alert},
            status=status,
        )

    return submit_step(request, form, call=call, render_again=render_again)


def _render_detail(request, report, *, close_form=None, status=200, alert=""):
    may_write = in_sections(request.user, WRITE_SECTIONS)
    context = {
        "report": report,
        "may_write": may_write,
        "may_start_task": rules.may_start(queries.Viewer.of(request.user).section_code)
        and not report.is_closed
        and not report.linkage_task_number,
        "close_form": close_form or (AnomalyCloseForm() if may_write and not report.is_closed else None),
        "alert": alert,
    }
    return render(request, "linkage/anomaly_detail.html", context, status=status)


@section_required(*READ_SECTIONS)
def anomaly_detail(request, pk):
    """One report with its outcome, the task started from it, and the close form."""
    return _render_detail(request, queries.anomaly_for_user(request.user, pk))


@section_required(*WRITE_SECTIONS)
@require_POST
def anomaly_close(request, pk):
    """办结 with the outcome (R-ANM-1): both sections' to-do items are done."""
    report = queries.anomaly_for_user(request.user, pk)
    form = AnomalyCloseForm(request.POST)

    def call(data):
        leads.close_anomaly_report(by=request.user, report=report, **data)
        return f"异常情况报告 {report.number} 已办结。"

    def render_again(*, form, status, alert):
        current = queries.anomaly_for_user(request.user, pk)
        return _render_detail(
            request, current, close_form=form if status == 400 else None, status=status, alert=alert
        )

    return submit_step(
        request,
        form,
        call=call,
        render_again=render_again,
        success_url=reverse("linkage:anomaly-detail", args=[report.pk]),
    )
