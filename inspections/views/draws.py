"""双随机一公开 for 执法大队: draws, their selection, officers' conflicts (R-INS-5).

Every section of the bureau sees the draws and their published data (parameters, the pool's fingerprint,
the seed's commitment); the selection only 执法大队, 局领导 and the administrator until the inspection date
(``services.draws.may_see_selection``); the seed nobody until then. Only 执法大队 makes, runs and cancels
draws and records conflicts, checked here and again in the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau import sections
from bureau.access import section_code, section_required
from bureau.documents import exports
from bureau.errors import Conflict
from bureau.models import Town
from bureau.sections import BUREAU_SECTIONS
from bureau.web import submit_step
from inspections import draw_queries
from inspections.draw_forms import (
    CancelDrawForm,
    ConflictForm,
    DrawForm,
    EndConflictForm,
    draw_officers,
    enforcement_staff,
)
from inspections.models import DrawState, OfficerConflict
from inspections.services import draws as draw_services
from inspections.services.planning import plan_settings
from permits.queries import visible_facilities

PAGE_SIZE = 30
POOL_READERS = (sections.ENFORCEMENT, sections.LEADERSHIP)
STATE_BADGES = {
    DrawState.COMMITTED: "orange",
    DrawState.DRAWN: "green",
    DrawState.CANCELLED: "state-cancelled",
}
LABELS = {"sample": "抽取比例或数量", "pool": "抽取池"}


def draw_url(draw) -> str:
    return reverse("inspections:draw-detail", args=[draw.pk])


def public_url(draw) -> str:
    """The draw's public page (reports' ``public:`` pages); built as a string, the route is theirs."""
    return f"/public/draws/{draw.number}/"


def _require_enforcement(user) -> None:
    if section_code(user) != sections.ENFORCEMENT:
        raise PermissionDenied(draw_services.ONLY_ENFORCEMENT)


# The list ----------------------------------------------------------------------------------------------


@section_required(*BUREAU_SECTIONS)
def draw_list(request):
    """双随机抽查: every draw with its filter, sample, pool size, period and state; 30 a page."""
    page = Paginator(draw_queries.draws(), PAGE_SIZE).get_page(request.GET.get("page"))
    towns = draw_queries.town_names() if page.object_list else {}
    for draw in page.object_list:
        draw_queries.describe(draw, towns)
    context = {
        "page": page,
        "badges": STATE_BADGES,
        "may_create": section_code(request.user) == sections.ENFORCEMENT,
    }
    return render(request, "inspections/draw_list.html", context)


@section_required(*BUREAU_SECTIONS)
def draw_export(request):
    """Every draw as Excel (``inspections.exports``): the list has no filter, so all of them."""
    return exports.respond(request, "inspections.draws")


# 新建 --------------------------------------------------------------------------------------------------


@section_required(sections.ENFORCEMENT)
def draw_new(request):
    """新建双随机抽查 (执法大队): on success the draw is public (its pool's fingerprint and the seed's
    commitment) and waits to be run; every refusal comes back on its field, the pool's at the top."""
    _require_enforcement(request.user)
    staff, towns, settings_row = draw_officers(), list(Town.objects.order_by("code")), plan_settings()

    def make_form(data=None):
        return DrawForm(data, staff=staff, towns=towns, settings_row=settings_row)

    def render_again(*, form=None, status=200, alert=""):
        context = {"form": form or make_form(), "alert": alert, "sample": draw_queries.registered_owed()}
        return render(request, "inspections/draw_new.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        draw = draw_services.create_draw(by=request.user, **data)
        return f"已公示双随机抽查 {draw.number}，抽取池 {draw.unit_count} 家单位。", draw_url(draw)

    return submit_step(request, make_form(request.POST), call=call, render_again=render_again, labels=LABELS)


# One draw ----------------------------------------------------------------------------------------------


def _verification(draw, items) -> dict:
    """「系统复核」: the selection the pool file and the seed give now, against the stored one."""
    try:
        picks = draw_services.rerun(draw)
    except ValidationError as error:
        return {"same": False, "message": "；".join(error.messages)}
    stored = [
        (item.facility.source_code, sorted(o.certificate_no for o in item.officers.all())) for item in items
    ]
    again = [(pick.unit, sorted(pick.officers)) for pick in picks]
    return {"same": stored == again, "count": len(again)}


def _render_detail(request, draw, *, cancel_form=None, status=200, alert=""):
    user, today = request.user, timezone.localdate()
    is_enforcement = section_code(user) == sections.ENFORCEMENT
    may_see = draw_services.may_see_selection(user, draw, today)
    draw_queries.describe(draw, draw_queries.town_names())
    verify = draw.state == DrawState.DRAWN and bool(request.GET.get("verify"))
    items = draw_queries.selection(draw) if may_see or verify else []
    verification = _verification(draw, items) if verify else None
    committed = draw.state == DrawState.COMMITTED
    context = {
        "draw": draw,
        "badge": STATE_BADGES.get(draw.state, ""),
        "public_url": public_url(draw),
        "is_public": draw_services.is_public(draw, today),
        "may_see": may_see,
        "items": items if may_see else [],
        "officers": draw_queries.draw_officers(draw) if may_see or is_enforcement else None,
        "may_pool": user.is_superuser or section_code(user) in POOL_READERS,
        "may_act": is_enforcement and committed,
        # 登记现场检查 from a drawn unit, once its inspection period has begun.
        "may_start": is_enforcement and today >= draw.inspect_from,
        "cancel_form": cancel_form or (CancelDrawForm() if is_enforcement and committed else None),
        "verification": verification,
        "alert": alert,
    }
    return render(request, "inspections/draw_detail.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def draw_detail(request, pk):
    """One draw: parameters, pool size, officers, fingerprint, commitment, state, the public page; the
    selection to those who may see it; the seed once public; 「系统复核」 with ``?verify=1``."""
    return _render_detail(request, draw_queries.draw_detail(pk))


@section_required(sections.ENFORCEMENT)
@require_POST
def draw_run(request, pk):
    """执行抽取 (执法大队), while the draw is committed."""
    _require_enforcement(request.user)
    draw = draw_queries.draw_for_update(pk)
    try:
        draw = draw_services.run_draw(by=request.user, draw=draw)
    except Conflict as error:
        return _render_detail(request, draw_queries.draw_detail(pk), status=409, alert=str(error))
    except ValidationError as error:
        return _render_detail(
            request, draw_queries.draw_detail(pk), status=400, alert="；".join(error.messages)
        )
    messages.success(request, f"已完成抽取：{draw.number} 抽中 {draw.sample_size} 家单位。")
    return redirect(draw_url(draw))


@section_required(sections.ENFORCEMENT)
@require_POST
def draw_cancel(request, pk):
    """作废 (执法大队) a committed draw, with the reason; it stays listed as 已作废."""
    _require_enforcement(request.user)
    draw = draw_queries.draw_for_update(pk)

    def call(data):
        draw_services.cancel_draw(by=request.user, draw=draw, reason=data["reason"])
        return f"已作废双随机抽查 {draw.number}。"

    def render_again(*, form, status, alert):
        return _render_detail(
            request, draw_queries.draw_detail(pk), cancel_form=form, status=status, alert=alert
        )

    return submit_step(
        request,
        CancelDrawForm(request.POST),
        call=call,
        render_again=render_again,
        success_url=draw_url(draw),
    )


@section_required(*POOL_READERS)
def draw_pool(request, pk):
    """The pool file (UTF-8 text) whose SHA-256 is the published fingerprint: for 执法大队 and 局领导 at
    any time (the public gets it from the inspection date on the public page)."""
    draw = get_object_or_404(draw_queries.draws().only("number", "pool_text"), pk=pk)
    response = HttpResponse(draw.pool_text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{draw.number}-pool.txt"'
    return response


# Officers' conflicts -------------------------------------------------------------------------------------


@section_required(*POOL_READERS)
def conflict_list(request):
    """执法人员回避: the active and the ended, 50 a page; 执法大队 registers and ends them."""
    page = Paginator(draw_queries.conflicts(), 50).get_page(request.GET.get("page"))
    context = {"page": page, "may_edit": section_code(request.user) == sections.ENFORCEMENT}
    return render(request, "inspections/conflict_list.html", context)


@section_required(*POOL_READERS)
def conflict_export(request):
    """执法人员回避 as Excel, all pages, for the page's readers (``inspections.exports``)."""
    return exports.respond(request, "inspections.conflicts")


@section_required(sections.ENFORCEMENT)
def conflict_new(request):
    """登记执法人员回避 (执法大队): an officer and one unit, or the officer's own town, with the reason."""
    _require_enforcement(request.user)
    staff, facilities = enforcement_staff(), visible_facilities(request.user)

    def make_form(data=None):
        return ConflictForm(data, staff=staff, facilities=facilities)

    def render_again(*, form=None, status=200, alert=""):
        context = {"form": form or make_form(), "alert": alert}
        return render(request, "inspections/conflict_new.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        conflict = draw_services.declare_conflict(by=request.user, **data)
        return f"已登记 {conflict.officer.display_name} 的回避。", reverse("inspections:conflict-list")

    return submit_step(request, make_form(request.POST), call=call, render_again=render_again)


@section_required(sections.ENFORCEMENT)
@require_POST
def conflict_end(request, pk):
    """解除回避 (执法大队), with the reason."""
    _require_enforcement(request.user)
    conflict = get_object_or_404(OfficerConflict, pk=pk)
    form = EndConflictForm(request.POST)
    try:
        if form.is_valid():
            draw_services.end_conflict(by=request.user, conflict=conflict, reason=form.cleaned_data["reason"])
            messages.success(request, f"已解除 {conflict.officer.display_name} 的回避。")
        else:
            messages.error(request, "解除原因不能超过 200 字。")
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("inspections:conflict-list")
