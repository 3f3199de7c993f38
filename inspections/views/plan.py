"""The inspection plan: year, month, items, one facility's explanation, settings (R-INS-3, R-INS-4;
003 第六条, 002 十一). Every bureau section reads; towns are told 403 (the plan spans every town).
法制科 (and the administrator) compute, adopt and change the settings; 法制科 and 执法大队 make the
month's plan. The services check the same, and a refusal comes back in Chinese on the page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_SECTIONS, section_code, section_required
from bureau.documents import exports
from bureau.web import record_id, submit_step
from inspections import plan_queries, rules
from inspections.models import ItemKind, ItemState, Reason
from inspections.plan_forms import AdoptForm, AllItemsFilterForm, ItemFilterForm, PlanSettingsForm
from inspections.services import planning
from permits.models import Facility

PAGE_SIZE = 50
MONTH_MAKERS = (planning.PLAN_SECTION, rules.INSPECTING_SECTION)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("年份不正确。")
    return year


def _inspect_link(item, permits: dict) -> str:
    """登记现场检查 pre-filled for ``item`` (``inspection-new`` reads these from the query string)."""
    values = {"facility": item.facility.source_code}
    if item.kind == ItemKind.NEW_PERMIT:
        values["reason"] = "new_permit"
        number = permits.get((item.facility_id, item.key))
        if number:
            values["permit"] = number
    else:
        values["reason"] = "routine_plan"
        values["source_reference"] = f"{item.plan.year} 年度检查计划：{item.reason}"[:200]
    return f"{reverse('inspections:inspection-new')}?{urlencode(values)}"


def _rows(items, user) -> list[dict]:
    """The page's items with, for 执法大队, the link that starts their inspection (a drawn item links
    to its draw instead; one more query for the permits of new-permit items)."""
    is_officer = section_code(user) == rules.INSPECTING_SECTION
    items = list(items)
    permits = plan_queries.new_permit_numbers(items) if is_officer else {}
    rows = []
    for item in items:
        draw = (
            getattr(getattr(item, "draw_item", None), "draw", None)
            if item.kind == ItemKind.RANDOM_DRAW
            else None
        )
        link = ""
        if is_officer and draw is None and item.state == ItemState.OPEN:
            link = _inspect_link(item, permits)
        rows.append({"item": item, "draw": draw, "inspect_url": link})
    return rows


# --- the year ---------------------------------------------------------------------------------------


def _year_page(request, year: int, *, adopt_form=None, alert: str = "", status: int = 200):
    summary = plan_queries.year_summary(year)
    plan = summary.plan
    context = {
        "year": year,
        "summary": summary,
        "plan": plan,
        "may_plan": planning.may_plan(request.user),
        "adopt_form": adopt_form or AdoptForm(),
        "alert": alert,
        "years": [year - 1, year + 1],
    }
    return render(request, "inspections/plan_year.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def plan_home(request):
    """检查计划 in the navigation: this year's plan, answered in place (every link of the bar opens
    with 200; the year's own address is ``plan-year``)."""
    return _year_page(request, timezone.localdate().year)


@section_required(*BUREAU_SECTIONS)
def plan_year(request, year):
    """The year's plan (R-INS-3): state, totals by management level, the registered sample, the
    twelve months; 法制科's buttons to compute and to adopt. Five queries after the session's two."""
    return _year_page(request, _year(year))


@require_POST
@section_required(*BUREAU_SECTIONS)
def plan_recompute(request, year):
    """「生成年度检查计划」/「重新计算」 (法制科, the administrator)."""
    year = _year(year)
    try:
        plan = planning.recompute_plan(by=request.user, year=year)
    except PermissionDenied as exc:
        return _year_page(request, year, alert=str(exc), status=403)
    except ValidationError as exc:
        return _year_page(request, year, alert="；".join(exc.messages), status=400)
    messages.success(request, f"已按规则计算 {year} 年度检查计划：纳入 {plan.facility_count} 家单位。")
    return redirect("inspections:plan-year", year=year)


@require_POST
@section_required(*BUREAU_SECTIONS)
def plan_adopt(request, year):
    """「纳入年度执法计划」 with its 文号 and 备注 (法制科, 003 第四条)."""
    year = _year(year)
    form = AdoptForm(request.POST)

    def call(data):
        planning.adopt_plan(by=request.user, year=year, document_no=data["document_no"], note=data["note"])
        return f"{year} 年度检查计划已纳入年度执法计划。"

    def render_again(*, form, status, alert):
        return _year_page(request, year, adopt_form=form, alert=alert, status=status)

    return submit_step(
        request,
        form,
        call=call,
        render_again=render_again,
        success_url=reverse("inspections:plan-year", args=[year]),
    )


# --- the month --------------------------------------------------------------------------------------


def _month_page(request, year: int, month: int, *, alert: str = "", status: int = 200):
    made = plan_queries.month_plan(year, month)
    form = ItemFilterForm(request.GET)
    items = form.filter(plan_queries.month_items(request.user, year, month, made))
    items = items.select_related("plan").order_by(
        "facility__town__code", "facility__source_code", "window_end"
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    context = {
        "year": year,
        "month": month,
        "made": made,
        "form": form,
        "page": page,
        "rows": _rows(page.object_list, user),
        "may_make": user.is_superuser or section_code(user) in MONTH_MAKERS,
        "is_past": bool(planning.month_plan_error(year, month, timezone.localdate())),
        "alert": alert,
    }
    return render(request, "inspections/plan_month.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def plan_month(request, year, month):
    """The month's plan for 执法大队 (按月细化, 002 十一): the stored entries, or a preview of them with
    the button that makes the plan; filters, 50 a page, each row linked to its explanation and (for
    执法大队) to 登记现场检查 or to its draw."""
    if not 1 <= month <= 12:
        raise Http404("月份不正确。")
    return _month_page(request, _year(year), month)


@require_POST
@section_required(*BUREAU_SECTIONS)
def plan_month_make(request, year, month):
    """「编制月度计划」 (法制科, 执法大队): a month already past is refused with the service's message."""
    if not 1 <= month <= 12:
        raise Http404("月份不正确。")
    year = _year(year)
    try:
        made = planning.make_month_plan(year=year, month=month, by=request.user)
    except PermissionDenied as exc:
        return _month_page(request, year, month, alert=str(exc), status=403)
    except ValidationError as exc:
        return _month_page(request, year, month, alert="；".join(exc.messages), status=400)
    messages.success(request, f"已编制 {year} 年 {month} 月检查计划，共 {made.item_count} 项。")
    return redirect("inspections:plan-month", year=year, month=month)


# --- all items, one facility, settings --------------------------------------------------------------


def listed_items(user, query):
    """The filter form of ``query`` and the plan items ``user`` may see under it (R-ORG-3, R-INS-5):
    what the page lists and its Excel export holds (``inspections.exports``)."""
    form = AllItemsFilterForm(query)
    items = form.filter(plan_queries.visible_items(user)).select_related("plan")
    return form, items.order_by("window_end", "facility__source_code", "key")


@section_required(*BUREAU_SECTIONS)
def plan_items_export(request):
    """The filtered plan items as Excel, all pages (``inspections.exports``)."""
    return exports.respond(request, "inspections.plan-items")


@section_required(*BUREAU_SECTIONS)
def plan_items(request):
    """计划检查事项 with filters (year, month, alert, state, kind, level, town), 50 a page; the to-do
    lines of the daily job (逾期, 临期) link here."""
    form, items = listed_items(request.user, request.GET)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/plan_items.html",
        {"form": form, "page": page, "rows": _rows(page.object_list, request.user)},
    )


@section_required(*BUREAU_SECTIONS)
def plan_facility(request, pk):
    """One facility's plan explained (R-INS-3, R-INS-4: every number the rules used): the rules run live
    over its facts, beside the stored items."""
    if record_id(pk) is None:
        raise Http404
    facility = get_object_or_404(Facility.objects.select_related("town"), pk=pk)
    year_text = request.GET.get("year", "")
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    planned, owed = planning.owed_for(rules.year_period(year), facility_ids=[facility.pk])
    facts = planned.facts.get(facility.pk)
    frequency = owed.get(facility.pk)
    context = {
        "facility": facility,
        "year": year,
        "facts": facts,
        "visits": sorted(facts.visits, key=lambda v: v.on) if facts else [],
        "frequency": frequency,
        "owed": frequency.items if frequency else (),
        "stored": list(plan_queries.facility_items(request.user, facility.pk, year)),
        "level_label": rules.LEVEL_LABELS.get(facility.management_level, facility.management_level),
        "reason_labels": dict(Reason.choices),
        "kind_labels": dict(ItemKind.choices),
    }
    return render(request, "inspections/plan_facility.html", context)


@section_required(*BUREAU_SECTIONS)
def plan_settings(request):
    """The planning settings (R-INS-4 multipliers, the routine cap, the registered share, reminders,
    draws): 法制科 and the administrator edit, other sections read."""
    user = request.user
    may_edit = planning.may_plan(user)
    row = planning.plan_settings()
    if request.method != "POST":
        form = PlanSettingsForm(instance=row, may_edit=may_edit)
        return render(
            request, "inspections/plan_settings.html", {"form": form, "may_edit": may_edit, "row": row}
        )
    form = PlanSettingsForm(request.POST, instance=row, may_edit=may_edit)

    def check():
        if not may_edit:
            raise PermissionDenied(planning.ONLY_LEGAL)

    def call(data):
        planning.update_plan_settings(by=user, **{name: data[name] for name in planning.SETTING_FIELDS})
        return "检查计划设置已保存。"

    def render_again(*, form, status, alert):
        shown = form or PlanSettingsForm(instance=planning.plan_settings(), may_edit=False)
        context = {"form": shown, "may_edit": may_edit and form is not None, "row": row, "alert": alert}
        return render(request, "inspections/plan_settings.html", context, status=status)

    return submit_step(
        request,
        form,
        call=call,
        render_again=render_again,
        check=check,
        success_url=reverse("inspections:plan-settings"),
    )
