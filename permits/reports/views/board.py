"""The 执行报告 period board and its export (R-REP-1), the bureau's report settings with the city's dates
for single periods (R-REP-1), and the reproducible samples for content review (R-REP-2)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from bureau.access import Viewer, section_code, section_required
from bureau.documents import exports
from bureau.models import Town
from bureau.sections import BUREAU_SECTIONS
from bureau.web import submit_step
from permits.models import ManagementLevel
from permits.reports import queries, rules
from permits.reports.forms import AnnounceForm, BoardFilterForm, SampleForm, SettingsForm
from permits.reports.models import AnnouncedDueDate, NoticeState, ReviewState
from permits.reports.services import due, reviews
from permits.reports.services.common import may_approve, require_approval
from permits.reports.views import REPORT_SECTIONS
from permits.views.common import paginate

REVIEW_NAMES = dict(ReviewState.choices)
NOTICE_NAMES = dict(NoticeState.choices)
LEVEL_NAMES = dict(ManagementLevel.choices)


# The board --------------------------------------------------------------------------------------------


def _default_period(user, today) -> rules.Period:
    """The latest period whose due date has passed among the visible reports, else last month."""
    return queries.latest_due_period(user, today) or rules.Period.containing(
        rules.MONTH, today.replace(day=1) - timedelta(days=1)
    )


def board(user, query, today):
    """The filter form, the period shown, and the visible reports of that period filtered by town and
    level (before the receipt and review filters, which the counts leave out), and those two filters."""
    viewer = Viewer.of(user)
    towns = [] if viewer.is_town else list(Town.objects.order_by("code"))
    form = BoardFilterForm(query or None, towns=towns)
    # A field that does not parse falls back to its default (its error shows); the others still apply.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    period = data.get("period")
    if period is None:
        wanted = data.get("type")
        period = _default_period(user, today)
        if wanted and period.type != wanted:
            # The latest period of the kind asked for whose nominal due date has passed.
            period = rules.Period.containing(wanted, today)
            while rules.nominal_due_on(period) >= today:
                period = rules.Period.containing(wanted, period.start - timedelta(days=1))
    reports = queries.board_reports(
        user, period, today, town=data.get("town"), level=data.get("level") or None
    )
    return form, towns, period, reports, (data.get("receipt") or "", data.get("review") or "")


def filtered(reports, narrowing: tuple[str, str]):
    """The reports with the given receipt state and latest review state (either may be empty)."""
    receipt, review = narrowing
    if receipt:
        reports = reports.filter(receipt=receipt)
    return reports.filter(review_state=review) if review else reports


@section_required(*REPORT_SECTIONS)
def report_board(request):
    """执行报告 of one period (R-REP-1): counts by receipt state and the paged, filtered reports."""
    today = timezone.localdate()
    form, towns, period, reports, narrowing = board(request.user, request.GET, today)
    receipt = narrowing[0]
    by_town = [
        {**row, "level": LEVEL_NAMES.get(row["permit__management_level"], "")}
        for row in queries.receipt_counts_by_town(reports)
    ]
    counts = queries.receipt_totals(by_town)
    # The counters already hold the number of rows unless the review filter narrows them.
    listed = None if narrowing[1] else counts[receipt or "total"]
    page = paginate(request, filtered(reports, narrowing), count=listed)
    query = request.GET.copy()
    for row in by_town:
        # The counts in the order of the header (rules.RECEIPT_NAMES).
        row["cells"] = [(state, row[state]) for state in rules.RECEIPT_NAMES]
    query["period"] = period.code
    query.pop("type", None)
    query.pop("page", None)
    return render(
        request,
        "permits/reports/board.html",
        {
            "form": form,
            "towns": towns,
            "period": period,
            "counts": counts,
            "by_town": by_town,
            "states": list(rules.RECEIPT_NAMES),
            "count_cards": [
                (state, rules.RECEIPT_NAMES[state], counts[state]) for state in rules.RECEIPT_NAMES
            ],
            "receipt": receipt,
            "receipt_label": rules.RECEIPT_NAMES.get(receipt, ""),
            "page": page,
            "receipt_names": rules.RECEIPT_NAMES,
            "review_names": REVIEW_NAMES,
            "notice_names": NOTICE_NAMES,
            "level_names": LEVEL_NAMES,
            "may_open_reviews": may_approve(request.user),
            # Samples and settings are the bureau's own pages; a town reads its reports and notices.
            "is_bureau": Viewer.of(request.user).is_bureau,
            "export_query": query.urlencode(),
            "neighbours": (
                rules.Period.containing(period.type, period.start - timedelta(days=1)),
                period.following(),
            ),
        },
    )


@section_required(*REPORT_SECTIONS)
def board_export(request):
    """The board's filtered reports as Excel (R-REP-1): same scope and filters as the page, all pages,
    read in chunks (``permits.exports``)."""
    return exports.respond(request, "permits.report-board")


# Settings ---------------------------------------------------------------------------------------------


SETTING_FIELDS = (
    "days_after_period",
    "annual_due_month",
    "annual_due_day",
    "leads_from",
    "grace_days",
    "feedback_workdays",
    "contact",
)


@section_required(*BUREAU_SECTIONS)
def report_settings(request):
    """执行报告设置 (R-REP-1): 审批科 and the administrator change the due dates, the grace period, the
    notice's default time limit and contact, and record the city's date for a period; others read."""
    row = due.report_settings()
    may_edit = may_approve(request.user)
    settings_form = SettingsForm(initial={name: getattr(row, name) for name in SETTING_FIELDS})
    announce_form = AnnounceForm()
    url = reverse("permits:report-settings")

    def render_again(*, form=None, status=200, alert=""):
        nonlocal settings_form, announce_form
        if isinstance(form, SettingsForm):
            settings_form = form
        elif isinstance(form, AnnounceForm):
            announce_form = form
        return render(
            request,
            "permits/reports/settings.html",
            {
                "row": row,
                "settings_form": settings_form,
                "announce_form": announce_form,
                "announced": AnnouncedDueDate.objects.order_by("-period_start", "period_type"),
                "may_edit": may_edit,
                "alert": alert,
            },
            status=status,
        )

    if request.method != "POST":
        return render_again()
    if request.POST.get("action") == "announce":
        form = AnnounceForm(request.POST)

        def call(data):
            found = due.announce_due_date(
                by=request.user, period=data["period"], due_on=data["due_on"], notice=data["notice"]
            )
            return f"已登记市级公布的{found.period.label}执行报告截止日期 {found.due_on:%Y-%m-%d}。"

        return submit_step(request, form, call=call, render_again=render_again, success_url=url)
    form = SettingsForm(request.POST)

    def call(data):
        due.update_report_settings(by=request.user, **{name: data[name] for name in SETTING_FIELDS})
        return "已保存执行报告设置，尚未收到的报告截止日期已随之更新。"

    return submit_step(request, form, call=call, render_again=render_again, success_url=url)


# Samples ----------------------------------------------------------------------------------------------


@section_required(*BUREAU_SECTIONS)
def report_samples(request):
    """执行报告抽查 (R-REP-2): the samples drawn, and for a reviewer of 审批科、生态科、污防科 a new draw
    of a period's received reports at the share the section sets, with the seed kept."""
    may_draw = section_code(request.user) in rules.REVIEW_SECTIONS

    def render_again(*, form=None, status=200, alert=""):
        return render(
            request,
            "permits/reports/samples.html",
            {
                "form": form if form is not None else SampleForm(),
                "samples": paginate(request, queries.visible_samples()),
                "may_draw": may_draw,
                "alert": alert,
            },
            status=status,
        )

    if request.method != "POST":
        return render_again()

    def call(data):
        sample = reviews.draw_review_sample(
            by=request.user, period=data["period"], share=data["share"], today=timezone.localdate()
        )
        message = (
            f"已从{sample.period.label}的 {sample.population} 份报告中随机抽取 {sample.reports.count()} 份。"
        )
        return message, reverse("permits:report-sample", args=[sample.pk])

    def check():
        if not may_draw:
            raise PermissionDenied("执行报告抽查由审批科、生态科、污防科办理。")

    return submit_step(request, SampleForm(request.POST), call=call, render_again=render_again, check=check)


@section_required(*BUREAU_SECTIONS)
def report_sample(request, pk):
    """One sample (R-REP-2): its seed, population and reports, and the check that redrawing from the
    kept seed gives the same reports."""
    sample = get_object_or_404(queries.visible_samples(), pk=pk)
    if request.method == "POST":
        # 对抽中的报告发起审核: 审批科 opens the content review of each report drawn (R-REP-2).
        require_approval(request.user)
        opened, skipped = reviews.open_reviews(
            by=request.user,
            reports=list(sample.reports.order_by("pk")),
            today=timezone.localdate(),
            sample=sample,
        )
        if opened:
            messages.success(request, f"已对抽中的 {len(opened)} 份报告发起审核。")
        for reason in skipped:
            messages.warning(request, reason)
        return redirect("permits:report-sample", pk=sample.pk)
    drawn = list(sample.reports.select_related("permit", "facility__town").order_by("pk"))
    redrawn = rules.draw_sample(sample.population_ids, Decimal(sample.share), sample.seed)
    return render(
        request,
        "permits/reports/sample.html",
        {
            "sample": sample,
            "drawn": drawn,
            "redrawn": redrawn,
            "is_reproduced": redrawn == [r.pk for r in drawn],
            "may_open_reviews": may_approve(request.user),
        },
    )
