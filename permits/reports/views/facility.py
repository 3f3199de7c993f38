"""A facility's execution reports (R-REP-1): every report each of its permits owes with its state, and
for 审批科 the receipt recorded by hand and the reminder (催报); one report with its versions, their
emissions against the permit's limits (R-REP-2), its reviews, notices and leads (R-REP-3, R-REP-4)."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from bureau import calendar
from bureau.access import section_required
from bureau.web import submit_step
from permits import queries as permit_queries
from permits.reports import queries, rules
from permits.reports.forms import EmissionFormSet, ReceiptForm, RequestForm, emissions_of
from permits.reports.models import ReviewState
from permits.reports.services import due, receipts
from permits.reports.services import reviews as reviews_service
from permits.reports.services.common import may_approve
from permits.reports.views import REPORT_SECTIONS

RECEIPT_LABELS = {"emissions": "实际排放情况", "period": "报告期", "source": "登记方式"}


def _owed_rows(permit, today, policy, work) -> list[dict]:
    """Every report ``permit`` owes for periods ended by ``today`` merged with the reports recorded
    for it (a receipt or a reminder may name a period before the daily job makes it), newest first."""
    recorded = {(r.period_type, r.period_start): r for r in permit.execution_reports.all()}
    rows = []
    # The same window as the daily job (``due.periods_to_make``): earlier periods show only when a
    # report of them was recorded, so this page, the board and the API count the same reports.
    window = due.window_start(today)
    for period in due.owed_periods_of(permit, ended_by=today):
        if period.start < window and (period.type, period.start) not in recorded:
            continue
        report = recorded.pop((period.type, period.start), None)
        if report is None:
            day = due.due_date(period, policy, work)
            due_on, provisional = day.on, day.is_provisional
        else:
            due_on, provisional = report.due_on, report.due_provisional
        rows.append(_row(period, report, due_on, provisional, today))
    # A recorded report of a period still running (a reminder ahead of time) shows as well.
    for report in recorded.values():
        rows.append(_row(report.period, report, report.due_on, report.due_provisional, today))
    return sorted(
        rows, key=lambda row: (row["period"].end, rules.PERIOD_TYPES.index(row["period"].type)), reverse=True
    )


def _row(period, report, due_on, provisional, today) -> dict:
    received_on = report.received_on if report else None
    state = rules.receipt_state(due_on=due_on, received_on=received_on, today=today)
    return {
        "period": period,
        "report": report,
        "due_on": due_on,
        "due_provisional": provisional,
        "state": state,
        "state_label": rules.RECEIPT_NAMES[state],
    }


@section_required(*REPORT_SECTIONS)
def facility_reports(request, pk):
    """一家单位的执行报告 (R-REP-1), with 审批科's receipt and 催报 forms (POST ``action`` receipt or
    request): errors come back next to the fields, with what was typed kept."""
    facility = permit_queries.facility_for_user(request.user, pk)
    today = timezone.localdate()
    permits = queries.facility_permits_with_reports(facility)
    may_record = may_approve(request.user)
    url = reverse("permits:facility-reports", args=[facility.pk])
    forms = {
        "receipt": ReceiptForm(permits=permits, initial={"received_on": today}),
        "emissions": EmissionFormSet(prefix="emission"),
        "request": RequestForm(permits=permits),
    }

    def render_again(*, form=None, status=200, alert=""):
        if form is not None:
            forms["request" if isinstance(form, RequestForm) else "receipt"] = form
        policy, work = due.due_policy(), calendar.WorkCalendar()
        blocks = [{"permit": p, "rows": _owed_rows(p, today, policy, work)} for p in permits]
        return render(
            request,
            "permits/reports/facility.html",
            {
                "facility": facility,
                "blocks": blocks,
                "forms": forms,
                "may_record": may_record and bool(permits),
                "alert": alert,
                "today": today,
            },
            status=status,
        )

    if request.method != "POST":
        return render_again()
    by_pk = {p.pk: p for p in permits}
    if request.POST.get("action") == "request":
        form = RequestForm(request.POST, permits=permits)

        def call(data):
            report = receipts.request_report(
                by=request.user,
                permit=by_pk[data["permit"]],
                period=data["period"],
                requested_on=data["requested_on"],
                note=data["note"],
                today=today,
            )
            return f"已登记催报：{report.permit.number} {report.period.label}执行报告。"

        return submit_step(
            request, form, call=call, render_again=render_again, success_url=url, labels=RECEIPT_LABELS
        )

    form = ReceiptForm(request.POST, request.FILES, permits=permits)
    formset = forms["emissions"] = EmissionFormSet(request.POST, prefix="emission")

    def call(data):
        if not formset.is_valid():
            raise ValidationError("实际排放情况有误，请按下方标红的提示修改。")
        version = receipts.record_receipt(
            by=request.user,
            permit=by_pk[data["permit"]],
            period=data["period"],
            received_on=data["received_on"],
            today=today,
            platform_ref=data["platform_ref"],
            file=data["file"],
            note=data["note"],
            emissions=emissions_of(formset),
        )
        report = version.report
        return (
            f"已登记 {report.permit.number} {report.period.label}执行报告第 {version.number} 版。",
            reverse("permits:report-detail", args=[report.pk]),
        )

    return submit_step(
        request, form, call=call, render_again=render_again, success_url=url, labels=RECEIPT_LABELS
    )


@section_required(*REPORT_SECTIONS)
def report_detail(request, pk):
    """One execution report (R-REP-1…4): its period, due date, receipt and 催报; every version with its
    emissions beside the permit's limits (超标 marked); its reviews, notices and leads."""
    report = queries.report_detail(request.user, pk)
    limits = queries.permit_limits(report.permit_id)
    versions = []
    for version in report.versions.all():
        emissions = []
        for emission in version.emissions.all():
            limit = limits.get((emission.outlet_id, emission.pollutant))
            over = reviews_service.emission_exceedances(emission, limit, report.period_type)
            emissions.append({"emission": emission, "limit": limit, "exceedances": over})
        versions.append({"version": version, "emissions": emissions})
    today = timezone.localdate()
    reviews = list(report.reviews.all())
    has_open_review = any(r.state == ReviewState.OPEN for r in reviews)
    return render(
        request,
        "permits/reports/report_detail.html",
        {
            "report": report,
            "state": rules.RECEIPT_NAMES[report.receipt_state(today)],
            "versions": versions,
            "reviews": reviews,
            "may_open_review": may_approve(request.user)
            and report.received_on is not None
            and not has_open_review,
        },
    )


@section_required(*REPORT_SECTIONS)
def report_version_file(request, pk, number):
    """The file of one version, to those who may see the report (not through a public media URL)."""
    report = queries.report_for_user(request.user, pk)
    version = get_object_or_404(report.versions.all(), number=number)
    if not version.file:
        raise Http404("该版本没有上传报告文件。")
    return FileResponse(
        version.file.open("rb"), as_attachment=True, filename=PurePath(version.file.name).name
    )
