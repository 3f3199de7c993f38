"""工作看板 and 领导看板 (issue 13): what a section must act on, and the whole bureau at a glance for
leadership. The figures are ``reports.dashboards``'; each links to the list behind it, filtered to the
rows it counts. Filters: the period (a month, a quarter or a year; the current year by default) and the
town (a town user is pinned to its own, whatever it asks for).

Who sees what: every section has its own dashboard (towns too, of their jurisdiction only). The
leadership dashboard is for 局领导 and the administrator, and for the heads of the bureau's sections:
as 副组长 of the work group (附件1) they answer for the whole of the post-permit work with the leaders,
and a head needs the other sections' overdue work in sight to coordinate it. Clerks and towns get 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from bureau import sections
from bureau.access import Viewer, section_required, staff_of
from bureau.models import Town
from bureau.sections import ALL_SECTIONS
from inspections.rules import REGISTERED_MIN_SHARE
from reports import dashboards

LEADERSHIP = frozenset({sections.LEADERSHIP})


def may_see_leadership_dashboard(user) -> bool:
    """局领导 and the administrator. A section head sees what the queries let its section see (its own
    三监联动 tasks, say), so a "whole bureau" page would show it partial figures under a whole-bureau
    title; heads use their section's dashboard."""
    viewer = Viewer.of(user)
    return viewer.is_superuser or viewer.section_code in LEADERSHIP


def _render(request, *, title: str, keys, leadership: bool):
    viewer, today = Viewer.of(request.user), timezone.localdate()
    period = dashboards.parse_period(request.GET.get("period"), today)
    # One query: the towns, for the filter and the plan's rows by town.
    towns = dict(Town.objects.order_by("code").values_list("pk", "name"))
    town_id = dashboards.town_of(request.GET.get("town"), viewer, towns)
    share_setting = REGISTERED_MIN_SHARE
    if dashboards.PLAN in keys:
        # One query: the registered units' share the plan uses (R-INS-4).
        share_setting = dashboards.registered_share()
    panels = dashboards.build(
        viewer, keys, town_id=town_id, period=period, today=today, towns=towns, share_setting=share_setting
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "title": title,
            "leadership": leadership,
            "panels": panels,
            "period": period,
            "periods": dashboards.period_choices(today),
            "towns": towns,
            "town_id": town_id,
            "town_name": towns.get(town_id, "全区") if town_id else "全区",
            "is_town": viewer.is_town,
            "may_see_leadership": not leadership and may_see_leadership_dashboard(request.user),
            "today": today,
        },
    )


@section_required(*ALL_SECTIONS)
def section_dashboard(request):
    """工作看板 of the user's own section: the panels it acts on (``dashboards.SECTION_PANELS``)."""
    viewer = Viewer.of(request.user)
    keys = dashboards.panels_for(viewer)
    staff = staff_of(request.user)
    name = "系统管理员" if viewer.is_superuser else staff.section.short_name
    if viewer.is_town and staff.town_id:
        name = staff.town.name
    return _render(request, title=f"工作看板 · {name}", keys=keys, leadership=False)


@section_required(*ALL_SECTIONS)
def leadership_dashboard(request):
    """领导看板: every panel over the whole bureau."""
    if not may_see_leadership_dashboard(request.user):
        raise PermissionDenied("领导看板仅供局领导查看。")
    return _render(request, title="领导看板", keys=dashboards.ALL_PANELS, leadership=True)
