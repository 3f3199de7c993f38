"""The facility detail page: everything the registry knows of one facility, and the forms that change
it, each offered only to the section that keeps that record (R-ORG-2).

Every form on the page posts to its own view (``facilities``, ``permit_events``, ``records``,
``ledger``), which calls ``submit_detail_form``: on an error the page is rendered again with that
form bound, so the user's input and the service's Chinese message are kept.
"""

from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bureau.access import section_code
from bureau.web import submit_step
from permits import queries, rules
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
    owned_fields,
)
from permits.models import EmissionLimit, Facility, Permit, PermitEvent
from permits.services.rectification import CLOSED_AT_SOURCE
from permits.views.common import PermitSummary, may_keep

HISTORY_LIMIT = 50
# The facility parts in the order the page shows them, each kept by one section (R-ORG-2).
PART_ORDER = ["approval", "pollution", "ecology", "legal"]
NO_PART_MESSAGE = "您所在的科室不维护排污单位的基本信息，只能查看，不能修改。"


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
    """Every event of the facility's permits, newest first; a 延续 application no decision names yet
    is marked ``is_pending`` (R-PER-2), from the events already loaded."""
    pairs = [(permit, event) for permit in facility.permit_list for event in permit.events.all()]
    decided = {event.renewal_application_id for _, event in pairs if event.renewal_application_id}
    for _, event in pairs:
        event.is_pending = event.kind == "renewal" and event.pk not in decided
    return sorted(pairs, key=lambda pair: (pair[1].occurred_on, pair[1].pk), reverse=True)


def _unlicensed_periods(facility: Facility, today: date) -> list[tuple[date, date | None]]:
    """The days since its first permit that no permit of the facility covered (R-PER-1, R-PER-2):
    a late 延续 grant's gap stays here. A unit under 登记管理 needs no permit."""
    if facility.management_level == "registered":
        return []
    validities = [(p.valid_from, queries.events_of(p), p.valid_until) for p in facility.permit_list]
    return rules.uncovered_periods(validities, today)


def _record_forms(user, facility: Facility, bound: dict) -> dict:
    """The forms that add records to the facility, each only for the section that keeps that record
    (R-ORG-2); an outlet needs a permit, a limit an outlet. Their choices come from what the page has
    already loaded, so they cost no query. A form that came back with errors is always shown, so no
    message is lost."""
    outlets = [outlet for permit in facility.permit_list for outlet in permit.outlets.all()]
    may_keep_permits = may_keep(user, "permit")
    offered = {
        "check": (may_keep(user, "quality_check"), lambda: QualityCheckForm(permits=facility.permit_list)),
        "registration": (may_keep(user, "registration"), RegistrationForm),
        "outlet": (
            may_keep_permits and facility.permit_list,
            lambda: OutletForm(permits=facility.permit_list),
        ),
        "limit": (may_keep_permits and outlets, lambda: EmissionLimitForm(outlets=outlets)),
        "penalty": (may_keep(user, "penalty"), PenaltyForm),
    }
    forms = {}
    for key, (allowed, unbound) in offered.items():
        if key in bound:
            forms[f"{key}_form"] = bound[key]
        elif allowed:
            forms[f"{key}_form"] = unbound()
    return forms


def render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
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
    if may_keep(user, "permit") and facility.permit_list:
        event_form = bound.get("event") or PermitEventForm(permits=facility.permit_list)
    may_rectify = may_keep(user, "rectification")
    rectifications = []
    for item in facility.rectification_list:
        row = {"item": item, "overdue": item.is_overdue_on(today)}
        if may_rectify and item.closed_on is None:
            row["progress_form"] = bound.get(("progress", item.pk)) or RectificationProgressForm(
                item_pk=item.pk
            )
            if item.source_kind in CLOSED_AT_SOURCE:
                row["closes_at_source"] = True
            else:
                row["close_form"] = bound.get(("close", item.pk)) or RectificationCloseForm(item_pk=item.pk)
        rectifications.append(row)
    context = {
        "facility": facility,
        "today": today,
        "parts": _parts(facility, section, user),
        "facility_form": facility_form,
        "permits": _permit_views(facility, today),
        "timeline": _timeline(facility),
        "unlicensed_periods": _unlicensed_periods(facility, today),
        "may_issue": may_keep(user, "permit"),
        "event_form": event_form,
        "rectifications": rectifications,
        "open_count": sum(1 for row in rectifications if row["item"].closed_on is None),
        "history": _history(facility),
        "history_limit": HISTORY_LIMIT,
        "alert": alert,
        "may_register": may_keep(user, "permit"),
        **_record_forms(user, facility, bound),
    }
    return render(request, "permits/facility_detail.html", context, status=status)


# The facility's fields by name, to say which one a service's message is about when the form lacks it.
FACILITY_LABELS = {f.name: str(f.verbose_name) for f in Facility._meta.fields}


def submit_detail_form(request, facility_pk, form, *, key, check, call, anchor: str):
    """Check the section, validate, call the service; on success say so and go back to the page,
    otherwise show the page again with the errors and the user's input. ``key`` names the form in
    ``render_detail``'s ``bound``, so the page shows that form with what the user typed."""

    def render_again(*, form, status, alert):
        if form is None:  # the form is not the user's to fill: show why, without it
            return render_detail(request, facility_pk, status=403, alert=alert or NO_PART_MESSAGE)
        return render_detail(request, facility_pk, bound={key: form}, status=status, alert=alert)

    return submit_step(
        request,
        form,
        check=check,
        call=call,
        success_url=reverse("permits:facility-detail", args=[facility_pk]) + f"#{anchor}",
        render_again=render_again,
        labels=FACILITY_LABELS,
    )
