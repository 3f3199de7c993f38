"""限期整改问题台账 (R-PER-3, 000 二(二)3): the ledger with its progress to zero per town, its Excel
export, and the steps of one item (progress, 销号 with evidence, the evidence file). The steps are forms
on the facility detail page, so their errors come back there."""

from datetime import date
from pathlib import PurePath

from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import section_required
from bureau.documents import exports
from permits import queries
from permits.filters import RectificationFilter
from permits.forms import RectificationCloseForm, RectificationProgressForm
from permits.models import FindingCategory, RectificationProgress
from permits.services import permits as permit_services
from permits.services import rectification as rectification_services
from permits.views.common import (
    REGISTRY_SECTIONS,
    is_town,
    paginate,
    plain_choices,
)
from permits.views.detail import submit_detail_form

# The ledger ---------------------------------------------------------------------------------------------


def _ledger_summary(items, today: date) -> dict:
    """Open, overdue and closed counts per town and in total, in one grouped query (R-PER-3)."""
    still_open = Q(closed_on__isnull=True)
    rows = list(
        items.values("facility__town__code", "facility__town__name")
        .annotate(
            open=Count("pk", filter=still_open),
            overdue=Count("pk", filter=still_open & Q(deadline_on__lt=today)),
            closed=Count("pk", filter=Q(closed_on__isnull=False)),
        )
        .order_by("facility__town__code")
    )
    total = {key: sum(row[key] for row in rows) for key in ("open", "overdue", "closed")}
    return {"towns": rows, "total": total}


# What each status filter lists, from the summary's counts (no status: every item, open or closed).
STATUS_COUNTS = {"": ("open", "closed"), "open": ("open",), "overdue": ("overdue",), "closed": ("closed",)}


def _listed_count(filterset: RectificationFilter, summary: dict) -> int | None:
    """How many items the page lists, read from the summary when nothing but town and status filters
    them (the summary counts exactly those), so the pager does not count them again; None otherwise."""
    if not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    if any(data.get(name) not in (None, "") for name in filterset.filters if name not in ("town", "status")):
        return None
    town = data.get("town")
    rows = [row for row in summary["towns"] if town is None or row["facility__town__code"] == town.code]
    return sum(row[key] for row in rows for key in STATUS_COUNTS[data.get("status") or ""])


def ledger_filterset(query, items) -> RectificationFilter:
    """``items`` (the visible ones, R-ORG-3) under the filters of ``query``, each with its progress
    notes latest first: what the page lists and its Excel export holds (``permits.exports``)."""
    latest_first = RectificationProgress.objects.order_by("-noted_on", "-id")
    queryset = items.select_related("facility__town").prefetch_related(
        Prefetch("progress", latest_first, to_attr="progress_rows")
    )
    return plain_choices(RectificationFilter(query, queryset=queryset))


@section_required(*REGISTRY_SECTIONS)
def ledger(request):
    """限期整改问题台账: progress to zero per town, then the filtered items (R-PER-3, 000 二(二)3)."""
    today = timezone.localdate()
    items = queries.visible_rectifications(request.user)
    filterset = ledger_filterset(request.GET, items)
    summary = _ledger_summary(items, today)
    page = paginate(request, filterset.qs, count=_listed_count(filterset, summary))
    rows = [
        {
            "item": item,
            "overdue": item.is_overdue_on(today),
            "overdue_days": (today - item.deadline_on).days,
            "latest": item.progress_rows[0] if item.progress_rows else None,
        }
        for item in page.object_list
    ]
    return render(
        request,
        "permits/ledger.html",
        {
            "summary": summary,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "categories": FindingCategory.choices,
            "show_town_filter": not is_town(request.user),
            "today": today,
        },
    )


@section_required(*REGISTRY_SECTIONS)
def ledger_export(request):
    """The filtered ledger as Excel: same scope and filters as the page, all pages (``permits.exports``)."""
    return exports.respond(request, "permits.ledger")


# One item ---------------------------------------------------------------------------------------------


@section_required(*REGISTRY_SECTIONS)
@require_POST
def rectification_progress(request, pk):
    """登记整改进展, for the approval section (R-PER-3)."""
    item = queries.rectification_for_user(request.user, pk)
    form = RectificationProgressForm(request.POST, item_pk=item.pk)

    def call(data):
        rectification_services.note_rectification_progress(
            by=request.user, item=item, noted_on=data["noted_on"], note=data["note"]
        )
        return "已登记整改进展。"

    return submit_detail_form(
        request,
        item.facility_id,
        form,
        key=("progress", item.pk),
        check=lambda: permit_services.assert_keeps(request.user, "rectification"),
        call=call,
        anchor=f"item-{item.pk}",
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def rectification_close(request, pk):
    """问题销号 with evidence text and an optional file, for the approval section (R-PER-3)."""
    item = queries.rectification_for_user(request.user, pk)
    form = RectificationCloseForm(request.POST, request.FILES, item_pk=item.pk)

    def call(data):
        closed = rectification_services.close_rectification(
            by=request.user,
            item=item,
            closed_on=data["closed_on"],
            evidence=data["closing_evidence"],
            evidence_file=data["closing_file"],
        )
        return f"该问题已于 {closed.closed_on:%Y-%m-%d} 销号。"

    return submit_detail_form(
        request,
        item.facility_id,
        form,
        key=("close", item.pk),
        check=lambda: permit_services.assert_keeps(request.user, "rectification"),
        call=call,
        anchor=f"item-{item.pk}",
    )


@section_required(*REGISTRY_SECTIONS)
def rectification_file(request, pk):
    """The closing evidence file, to those who may see the item (not through a public media URL)."""
    item = queries.rectification_for_user(request.user, pk)
    if not item.closing_file:
        raise Http404("该问题没有上传证明材料。")
    return FileResponse(
        item.closing_file.open("rb"), as_attachment=True, filename=PurePath(item.closing_file.name).name
    )
