"""Pages of the 固定污染源信息库: the facility list and detail, the rectification ledger, their Excel
exports, and the forms on the detail page (those that add checks, registrations, outlets, limits and
penalties post to ``permits.record_views``).

Views parse, check and call: reads are scoped by ``permits.queries`` (R-ORG-3, a town sees its own
facilities and a 404 for any other), writes go through ``permits.services``, whose errors come back
on the page in Chinese with the user's input kept: ValidationError on the fields (400), Conflict at the
top of the form (409), PermissionDenied as the page's alert (403).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import ALL_SECTIONS, section_code, section_required
from bureau.errors import Conflict
from bureau.models import SectionCode
from permits import exports, queries, rules
from permits.filters import FacilityFilter, RectificationFilter
from permits.forms import (
    EmissionLimitForm,
    FacilityPartForm,
    OutletForm,
    PenaltyForm,
    PermitEventForm,
    QualityCheckForm,
    RectificationCloseForm,
    RectificationProgressForm,
    RegistrationForm,
    add_service_errors,
    owned_fields,
)
from permits.models import (
    EmissionLimit,
    Facility,
    FindingCategory,
    Permit,
    PermitEvent,
    RectificationItem,
    RectificationProgress,
)
from permits.services import facilities as facility_services
from permits.services import permits as permit_services
from permits.services import quality as quality_services

# Every section reads the registry and the ledger; a town only its own jurisdiction (R-ORG-3).
REGISTRY_SECTIONS = ALL_SECTIONS
PAGE_SIZE = 50
HISTORY_LIMIT = 50
EXPORT_CHUNK = 2000
# The facility parts in the order the page shows them, each kept by one section (R-ORG-2).
PART_ORDER = ["approval", "pollution", "ecology", "legal"]
NO_PART_MESSAGE = "您所在的科室不维护排污单位的基本信息，只能查看，不能修改。"
FIX_BELOW = "未保存：请按下方标红的提示修改后再提交，您填写的内容已保留。"


# Reads ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitSummary:
    """A permit with its derived state (R-PER-1) and expiry flag (R-PER-2)."""

    permit: Permit
    state: str
    flag: str | None

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[self.state]


def _listed_permits(today: date):
    """Permits annotated with their state and whether a 延续 awaits its decision: one query for a
    whole page of facilities (prefetched), so the list never loads events."""
    return queries.with_pending_renewal(queries.with_state(Permit.objects.all(), today)).order_by(
        "-valid_until", "-id"
    )


def _current_permit(permits: list[Permit], today: date) -> PermitSummary | None:
    """The valid permit that runs longest, else the latest one; None for a facility without one."""
    if not permits:
        return None
    valid = [p for p in permits if p.state == "valid"]
    permit = valid[0] if valid else max(permits, key=lambda p: (p.issued_on, p.pk))
    flag = None
    if permit.state == "valid":
        flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=permit.renewal_pending)
    return PermitSummary(permit, permit.state, flag)


def _facility_filterset(request, today: date) -> FacilityFilter:
    queryset = (
        queries.visible_facilities(request.user)
        .select_related("town", "key_industry")
        .prefetch_related(Prefetch("permits", _listed_permits(today), to_attr="permit_rows"))
    )
    return _plain_choices(FacilityFilter(request.GET, queryset=queryset, request=request))


def _plain_choices(filterset):
    """Selects read 全部 for "any" (django-filter's defaults are ------ and 未知)."""
    for field in filterset.form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            # "unknown", not "": the widget tells the selected option by substring, and "" is in "true".
            field.widget.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = "全部"
        elif isinstance(field, forms.ChoiceField):
            field.widget.choices = [("", "全部"), *((v, label) for v, label in field.choices if v != "")]
    return filterset


def _active_filters(request, filterset, *, besides=("q",)) -> int:
    """How many filters other than ``besides`` the user has set (to open the filter panel)."""
    return sum(
        1
        for name in filterset.filters
        if name not in besides and request.GET.get(name, "").strip() not in ("", "unknown")
    )


def _with_current_permits(facilities, today: date):
    for facility in facilities:
        facility.current_permit = _current_permit(facility.permit_rows, today)
        yield facility


def _is_town(user) -> bool:
    return section_code(user) == SectionCode.TOWN


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# Facility list and export -----------------------------------------------------------------------------


@section_required(*REGISTRY_SECTIONS)
def facility_list(request):
    """固定污染源 list: filters, search, 50 a page, the current permit's state and expiry flag."""
    today = timezone.localdate()
    filterset = _facility_filterset(request, today)
    page = _paginate(request, filterset.qs)
    rows = list(_with_current_permits(page.object_list, today))
    return render(
        request,
        "permits/facility_list.html",
        {
            "filter": filterset,
            "page": page,
            "facilities": rows,
            "show_town_filter": not _is_town(request.user),
            "active_filters": _active_filters(request, filterset),
            "today": today,
        },
    )


@section_required(*REGISTRY_SECTIONS)
def facility_export(request):
    """The filtered list as Excel: same scope and filters as the page, all pages."""
    today = timezone.localdate()
    facilities = _facility_filterset(request, today).qs.iterator(chunk_size=EXPORT_CHUNK)
    output = exports.write_workbook(
        "排污单位", exports.FACILITY_COLUMNS, exports.facility_rows(_with_current_permits(facilities, today))
    )
    return _xlsx_response(output, f"固定污染源名录-{today:%Y%m%d}.xlsx")


def _xlsx_response(output, filename: str) -> FileResponse:
    return FileResponse(output, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)


# Facility detail --------------------------------------------------------------------------------------


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _parts(facility: Facility, section: str | None, user) -> list[dict]:
    """The facility's data grouped by the section that maintains it (R-ORG-2)."""
    parts = []
    for code in PART_ORDER:
        rows = []
        for name, owner in rules.FIELD_OWNERS.items():
            if owner == code:
                field = Facility._meta.get_field(name)
                rows.append((str(field.verbose_name), _display(field, getattr(facility, name))))
        is_mine = user.is_superuser or code == section
        parts.append({"code": code, "name": rules.SECTION_NAMES[code], "rows": rows, "is_mine": is_mine})
    return parts


def _history(facility: Facility) -> list[dict]:
    """The latest changes of the facility with who made them and each field's old → new (R-RET-1).

    One query: the 51st record is read only to diff the 50th against it; the historical rows carry
    their own town and key industry, selected with them.
    """
    records = list(
        facility.history.select_related("history_user", "town", "key_industry").order_by(
            "-history_date", "-history_id"
        )[: HISTORY_LIMIT + 1]
    )
    entries = []
    for newer, older in zip(records[:HISTORY_LIMIT], [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=True)
            for change in delta.changes:
                field = Facility._meta.get_field(change.field)
                changes.append(
                    {
                        "label": str(field.verbose_name),
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        entries.append(
            {
                "record": newer,
                "action": {"+": "新建", "~": "修改", "-": "删除"}[newer.history_type],
                "user": newer.history_user.display_name if newer.history_user else "系统",
                "changes": changes,
            }
        )
    return entries


def _permit_views(facility: Facility, today: date) -> list[dict]:
    views = []
    for permit in facility.permit_list:
        state = queries.permit_state_of(permit, today)
        events = queries.events_of(permit)
        flag = None
        if state == "valid":
            flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=rules.renewal_pending(events))
        outlets = [
            {"outlet": outlet, "limits": [_limit_view(limit) for limit in outlet.limits.all()]}
            for outlet in permit.outlets.all()
        ]
        views.append({"permit": permit, "summary": PermitSummary(permit, state, flag), "outlets": outlets})
    return views


def _number(value: Decimal | None) -> str:
    """20.500 → 20.5, 10.000 → 10 (never 1E+1)."""
    return "—" if value is None else format(value.normalize(), "f")


def _limit_view(limit: EmissionLimit) -> dict:
    concentration = _number(limit.concentration)
    return {
        "pollutant": limit.pollutant,
        "concentration": concentration if limit.concentration is None else f"{concentration} {limit.unit}",
        "annual_quantity": _number(limit.annual_quantity),
    }


def _timeline(facility: Facility) -> list[tuple[Permit, PermitEvent]]:
    pairs = [(permit, event) for permit in facility.permit_list for event in permit.events.all()]
    return sorted(pairs, key=lambda pair: (pair[1].occurred_on, pair[1].pk), reverse=True)


def _may_keep(user, record: str) -> bool:
    return rules.may_keep(section_code(user), record, is_superuser=user.is_superuser)


def _record_forms(user, facility: Facility, bound: dict) -> dict:
    """The forms that add records to the facility, each only for the section that keeps that record
    (R-ORG-2); an outlet needs a permit, a limit an outlet. Their choices come from what the page has
    already loaded, so they cost no query. A form that came back with errors is always shown, so no
    message is lost."""
    outlets = [outlet for permit in facility.permit_list for outlet in permit.outlets.all()]
    may_keep_permits = _may_keep(user, "permit")
    offered = {
        "check": (_may_keep(user, "quality_check"), lambda: QualityCheckForm(permits=facility.permit_list)),
        "registration": (_may_keep(user, "registration"), RegistrationForm),
        "outlet": (
            may_keep_permits and facility.permit_list,
            lambda: OutletForm(permits=facility.permit_list),
        ),
        "limit": (may_keep_permits and outlets, lambda: EmissionLimitForm(outlets=outlets)),
        "penalty": (_may_keep(user, "penalty"), PenaltyForm),
    }
    forms = {}
    for key, (allowed, unbound) in offered.items():
        if key in bound:
            forms[f"{key}_form"] = bound[key]
        elif allowed:
            forms[f"{key}_form"] = unbound()
    return forms


def _render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    """The detail page; ``bound`` holds forms that came back with errors, keyed as in the template."""
    user, bound = request.user, bound or {}
    today = timezone.localdate()
    facility = queries.facility_detail(user, pk)
    section = section_code(user)
    part_fields = owned_fields(user, section)
    facility_form = None
    if part_fields:
        facility_form = bound.get("facility") or FacilityPartForm(facility=facility, field_names=part_fields)
    event_form = None
    if _may_keep(user, "permit") and facility.permit_list:
        event_form = bound.get("event") or PermitEventForm(permits=facility.permit_list)
    may_rectify = _may_keep(user, "rectification")
    rectifications = []
    for item in facility.rectification_list:
        row = {"item": item, "overdue": item.is_overdue_on(today)}
        if may_rectify and item.closed_on is None:
            row["progress_form"] = bound.get(("progress", item.pk)) or RectificationProgressForm(
                item_pk=item.pk
            )
            row["close_form"] = bound.get(("close", item.pk)) or RectificationCloseForm(item_pk=item.pk)
        rectifications.append(row)
    context = {
        "facility": facility,
        "today": today,
        "parts": _parts(facility, section, user),
        "facility_form": facility_form,
        "permits": _permit_views(facility, today),
        "timeline": _timeline(facility),
        "event_form": event_form,
        "rectifications": rectifications,
        "open_count": sum(1 for row in rectifications if row["item"].closed_on is None),
        "history": _history(facility),
        "history_limit": HISTORY_LIMIT,
        "alert": alert,
        **_record_forms(user, facility, bound),
    }
    return render(request, "permits/facility_detail.html", context, status=status)


@section_required(*REGISTRY_SECTIONS)
def facility_detail(request, pk):
    """One facility with everything the registry knows of it (404 alike for missing and not yours)."""
    return _render_detail(request, pk)


def submit_detail_form(request, facility_pk, form, *, key, check, call, anchor: str):
    """Check the section, validate, call the service; on success say so and go back to the page,
    otherwise show the page again with the errors and the user's input. ``key`` names the form in
    ``_render_detail``'s ``bound``, so the page shows that form with what the user typed."""
    status, alert = 400, FIX_BELOW
    try:
        check()
        if form.is_valid():
            messages.success(request, call(form.cleaned_data))
            return redirect(reverse("permits:facility-detail", args=[facility_pk]) + f"#{anchor}")
    except ValidationError as exc:
        add_service_errors(form, exc)
    except Conflict as exc:
        form.add_error(None, str(exc))
        status, alert = 409, str(exc)
    except PermissionDenied as exc:
        # The form is not the user's to fill: show why, without it.
        return _render_detail(request, facility_pk, status=403, alert=str(exc) or NO_PART_MESSAGE)
    return _render_detail(request, facility_pk, bound={key: form}, status=status, alert=alert)


@section_required(*REGISTRY_SECTIONS)
@require_POST
def facility_update(request, pk):
    """「修改本科室维护的信息」: only the fields the user's section keeps (R-ORG-2). Any other field
    in the POST is refused by the service's own check, naming the section that keeps it."""
    facility = queries.facility_for_user(request.user, pk)
    owned = owned_fields(request.user, section_code(request.user))
    foreign = [name for name in rules.FIELD_OWNERS if name in request.POST and name not in owned]
    form = FacilityPartForm(request.POST, facility=facility, field_names=owned + foreign)

    def check():
        facility_services.assert_may_change(request.user, foreign)
        if not owned:
            raise PermissionDenied(NO_PART_MESSAGE)

    def call(data):
        # Only what the user changed: an untouched field never overwrites someone else's edit.
        changes = {name: data[name] for name in form.changed_data}
        if not changes:
            return "没有修改任何内容。"
        facility_services.update_facility(facility=facility, by=request.user, changes=changes)
        return f"已保存：{'、'.join(str(form.fields[name].label) for name in changes)}。"

    return submit_detail_form(
        request, facility.pk, form, key="facility", check=check, call=call, anchor="parts"
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def permit_event_create(request, pk):
    """登记许可证事项 (R-PER-1), for the approval section."""
    facility = queries.facility_for_user(request.user, pk)
    permits = list(queries.visible_permits(request.user).filter(facility=facility))
    form = PermitEventForm(request.POST, permits=permits)

    def call(data):
        event = permit_services.record_permit_event(
            by=request.user,
            permit=data["permit"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            document_no=data["document_no"],
            note=data["note"],
            new_valid_until=data["new_valid_until"],
        )
        return f"已登记许可证 {data['permit'].number} 的“{event.get_kind_display()}”事项。"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="event",
        check=lambda: permit_services.assert_keeps(request.user, "permit"),
        call=call,
        anchor="events",
    )


def _rectification_for_user(user, pk) -> RectificationItem:
    """The item, or 404 alike for "does not exist" and "not in your jurisdiction" (R-ORG-3)."""
    try:
        return queries.visible_rectifications(user).get(pk=pk)
    except RectificationItem.DoesNotExist:
        raise Http404("未找到该整改问题。") from None


@section_required(*REGISTRY_SECTIONS)
@require_POST
def rectification_progress(request, pk):
    """登记整改进展, for the approval section (R-PER-3)."""
    item = _rectification_for_user(request.user, pk)
    form = RectificationProgressForm(request.POST, item_pk=item.pk)

    def call(data):
        quality_services.note_rectification_progress(
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
    item = _rectification_for_user(request.user, pk)
    form = RectificationCloseForm(request.POST, request.FILES, item_pk=item.pk)

    def call(data):
        closed = quality_services.close_rectification(
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
    item = _rectification_for_user(request.user, pk)
    if not item.closing_file:
        raise Http404("该问题没有上传证明材料。")
    return FileResponse(
        item.closing_file.open("rb"), as_attachment=True, filename=PurePath(item.closing_file.name).name
    )


# Rectification ledger ---------------------------------------------------------------------------------


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


def _ledger_filterset(request, items) -> RectificationFilter:
    latest_first = RectificationProgress.objects.order_by("-noted_on", "-id")
    queryset = items.select_related("facility__town", "quality_check").prefetch_related(
        Prefetch("progress", latest_first, to_attr="progress_rows")
    )
    return _plain_choices(RectificationFilter(request.GET, queryset=queryset, request=request))


@section_required(*REGISTRY_SECTIONS)
def ledger(request):
    """限期整改问题台账: progress to zero per town, then the filtered items (R-PER-3, 000 二(二)3)."""
    today = timezone.localdate()
    items = queries.visible_rectifications(request.user)
    filterset = _ledger_filterset(request, items)
    page = _paginate(request, filterset.qs)
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
            "summary": _ledger_summary(items, today),
            "filter": filterset,
            "page": page,
            "rows": rows,
            "categories": FindingCategory.choices,
            "show_town_filter": not _is_town(request.user),
            "today": today,
        },
    )


@section_required(*REGISTRY_SECTIONS)
def ledger_export(request):
    """The filtered ledger as Excel: same scope and filters as the page, all pages."""
    today = timezone.localdate()
    items = _ledger_filterset(request, queries.visible_rectifications(request.user)).qs
    output = exports.write_workbook(
        "限期整改问题台账",
        exports.LEDGER_COLUMNS,
        exports.ledger_rows(items.iterator(chunk_size=EXPORT_CHUNK), today),
    )
    return _xlsx_response(output, f"限期整改问题台账-{today:%Y%m%d}.xlsx")
