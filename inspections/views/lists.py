"""现场检查 list (an officer's own inspections by default: today, drafts, to sign, signed; every
section's 全部检查 with filters) and 登记现场检查 (R-INS-6)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, section_code, section_required
from bureau.documents import exports
from bureau.paging import page_of
from bureau.web import record_id, submit_step
from inspections import draw_queries, queries, rules
from inspections.forms import InspectionFilterForm, InspectionStartForm, inspecting_staff
from inspections.models import InspectionOfficer, InspectionState, Reason
from inspections.services import inspections as inspection_services

PAGE_SIZE = 50
# What a link to 登记现场检查 may fill in (a complaint, a task, a lead, a to-do), as typed.
PREFILLED = ("facility", "reason", "source_reference", "complaint", "linkage_task", "report_lead", "permit")


def _my_tabs(user, today) -> list[dict]:
    """The officer's own queues (R-INS-6: who signs is the officers of an inspection), each with the
    filter that makes it; the three working ones counted in one query. 已签署 (every signed
    inspection of a career, 130,000 at city scale) shows no count on its tab: its page says how many.

    Counted from the officer's rows of the inspections dated today or not yet signed, which the
    indexes on ``inspected_on`` and ``state`` find (18 ms at 1,000,000 inspections, against 2 s for
    counting the officer's every inspection). The tabs are for 执法大队, who read every inspection
    (``queries.visible_inspections``), so no jurisdiction narrows them."""
    mine = Q(officers__officer=user)
    to_sign = Q(state=InspectionState.SIGNING, officers__officer=user, officers__signed_at__isnull=True)
    tabs = [
        {"key": "today", "label": "今日检查", "filter": mine & Q(inspected_on=today)},
        {"key": "draft", "label": "填写中", "filter": mine & Q(state=InspectionState.DRAFT)},
        {"key": "to_sign", "label": "待我签名", "filter": to_sign},
        {"key": "signed", "label": "已签署", "filter": mine & Q(state=InspectionState.SIGNED)},
    ]
    working = (InspectionState.DRAFT, InspectionState.SIGNING)
    counts = (
        InspectionOfficer.objects.filter(officer=user)
        .filter(Q(inspection__inspected_on=today) | Q(inspection__state__in=working))
        .aggregate(
            today=Count("pk", filter=Q(inspection__inspected_on=today)),
            draft=Count("pk", filter=Q(inspection__state=InspectionState.DRAFT)),
            to_sign=Count("pk", filter=Q(inspection__state=InspectionState.SIGNING, signed_at__isnull=True)),
        )
    )
    for tab in tabs:
        tab["count"] = counts.get(tab["key"])
    return tabs


def listed_inspections(user, query, today):
    """The tab ``query`` asks for (an officer's own queues, else 全部检查 under its filters), the
    officer's tabs, the filter form and the inspections listed, newest first: what the page lists and
    its Excel export holds (``inspections.exports``)."""
    is_officer = section_code(user) == rules.INSPECTING_SECTION
    tabs = _my_tabs(user, today) if is_officer else []
    keys = [tab["key"] for tab in tabs]
    tab = query.get("tab") or ("today" if is_officer else "all")
    if tab not in keys:
        tab = "all"
    rows = queries.inspection_list(user)
    form = None
    if tab == "all":
        form = InspectionFilterForm(query)
        rows = form.filter(rows)
    else:
        rows = rows.filter(next(t["filter"] for t in tabs if t["key"] == tab))
    return tab, tabs, form, rows.order_by("-inspected_on", "-id")


@section_required(*BUREAU_SECTIONS)
def inspection_list(request):
    """现场检查: for an officer of 执法大队 the tabs of their own inspections (今日检查 by default), and
    for every section of the bureau 全部检查 with filters; 50 a page, each row with its officers and
    the number of findings, in a fixed number of queries."""
    user, today = request.user, timezone.localdate()
    is_officer = section_code(user) == rules.INSPECTING_SECTION
    tab, tabs, form, rows = listed_inspections(user, request.GET, today)
    page = page_of(request, rows, per_page=PAGE_SIZE)
    return render(
        request,
        "inspections/list.html",
        {
            "tabs": tabs,
            "tab": tab,
            "form": form,
            "page": page,
            "today": today,
            "may_start": is_officer,
        },
    )


@section_required(*BUREAU_SECTIONS)
def inspection_export(request):
    """The tab's inspections as Excel, all pages (``inspections.exports``)."""
    return exports.respond(request, "inspections.inspections")


def _initial(request, item=None) -> dict:
    """What a link may pre-fill: ``?facility=`` (a code), ``?reason=``, a source by its number, and
    ``?follow_up_of=<id>`` (the to-do of a follow-up: the facility, 整改复查 and that inspection)."""
    initial = {name: request.GET[name] for name in PREFILLED if request.GET.get(name)}
    follow_up = request.GET.get("follow_up_of", "")
    if follow_up.isdigit():
        try:
            previous = queries.inspection_for_user(request.user, follow_up)
        except Http404:  # a stale or foreign link pre-fills nothing; it does not fail
            previous = None
        if previous is not None:
            initial |= {
                "facility": previous.facility,
                "reason": Reason.FOLLOW_UP,
                "follow_up_of": previous.number,
            }
    if item is not None:  # a drawn unit (R-INS-5): the unit, 双随机抽查, the two officers drawn
        initial |= {
            "facility": item.facility,
            "reason": Reason.RANDOM_DRAW,
            "officers": [o.user_id for o in item.officers.all()],
            "source_reference": f"{item.draw.number} {item.draw.title}"[:200],
            "draw_item": item.pk,
        }
    return initial


def _draw_item(data):
    """The drawn unit ``?draw_item=`` names, when it has no inspection yet (None otherwise)."""
    pk = record_id(data.get("draw_item"))
    return draw_queries.item_for_inspection(pk) if pk else None


def _for_draw(form: InspectionStartForm, item) -> InspectionStartForm:
    """The reason for changing the drawn officers is asked only of an inspection of a drawn unit."""
    if item is None:
        form.fields.pop("officer_change_reason", None)
    return form


@section_required(rules.INSPECTING_SECTION)
def inspection_new(request):
    """登记现场检查 for 执法大队 (R-INS-6): on success the officer goes on to the phone form; every
    refusal of the service comes back on its field, with what was typed kept."""
    user = request.user
    if section_code(user) != rules.INSPECTING_SECTION:
        raise PermissionDenied(inspection_services.ONLY_ENFORCEMENT)
    staff = inspecting_staff(user)
    if request.method != "POST":
        form = InspectionStartForm(user=user, staff=staff)
        item = _draw_item(request.GET)
        form.initial.update(_initial(request, item))
        context = {"form": _for_draw(form, item), "draw_item": item}
        return render(request, "inspections/new.html", context)
    form = InspectionStartForm(request.POST, user=user, staff=staff)

    def call(data):
        inspection = inspection_services.start_inspection(
            by=user,
            facility=data["facility"],
            inspected_on=data["inspected_on"],
            officers=data["officers"],
            reason=data["reason"],
            source_reference=data["source_reference"],
            complaint=data["complaint"],
            linkage_task=data["linkage_task"],
            report_lead=data["report_lead"],
            permit=data["permit"],
            follow_up_of=data["follow_up_of"],
            checklist_version=data["checklist_version"],
            draw_item=data["draw_item"],
            officer_change_reason=data.get("officer_change_reason", ""),
        )
        return (
            f"已登记现场检查 {inspection.number}，请逐项填写检查清单。",
            reverse("inspections:inspection-form", args=[inspection.pk]),
        )

    def render_again(*, form, status, alert):
        shown = form or InspectionStartForm(request.POST, user=user, staff=staff)
        item = _draw_item(request.POST)
        context = {"form": _for_draw(shown, item), "alert": alert, "draw_item": item}
        return render(request, "inspections/new.html", context, status=status)

    return submit_step(request, form, call=call, render_again=render_again)
