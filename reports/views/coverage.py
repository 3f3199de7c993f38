"""Coverage for section heads (R-INS-3, R-INS-9, R-MON-1, R-INS-5): for a year and a town, the
inspections the plan owes against those done, checklist inspection against its two targets, enforcement
monitoring owed against concluded, and the share of random-check results published. Every bureau
section chooses any town or all; a town sees its own jurisdiction only, whatever it asks for."""

from datetime import date

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from bureau.access import Viewer, section_required
from bureau.models import Town
from inspections import coverage as inspection_coverage
from monitoring import coverage as monitoring_coverage
from reports.dashboards import FIRST_YEAR, link, plan_links, registered_share, town_of

PAGE_SIZE = 50
MONITORING_TASKS = "/monitoring/tasks/"
PUBLIC_DRAWS = "/public/draws/"


def _year(value: str | None, today: date) -> int:
    try:
        year = int(value or today.year)
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


@section_required()
def coverage(request):
    """监管覆盖率. Costs a fixed number of queries however many facilities there are (tests/reports/
    test_coverage.py counts them); the list of facilities not yet covered (``?uncovered=``) adds two."""
    viewer, today = Viewer.of(request.user), timezone.localdate()
    year = _year(request.GET.get("year"), today)
    towns = dict(Town.objects.order_by("code").values_list("pk", "name"))
    town_id = town_of(request.GET.get("town"), viewer, towns)
    share_setting = registered_share()
    plan = inspection_coverage.plan_coverage(
        viewer, year=year, town_id=town_id, today=today, towns=towns, share_setting=share_setting
    )
    targets = inspection_coverage.checklist_coverage(viewer, year=year, town_id=town_id, today=today)
    monitoring = monitoring_coverage.monitoring_coverage(viewer, year=year, town_id=town_id)
    published = inspection_coverage.publication(viewer, year=year, town_id=town_id, today=today)
    links = viewer.is_bureau
    if links:
        plan_links(plan, year, town_id)
        for line in monitoring.lines:
            line.link = link(MONITORING_TASKS, **line.query)
            line.done_link = link(MONITORING_TASKS, **line.query, state="concluded")
    here = {"year": year, "town": town_id if not viewer.is_town else None}
    for target in targets:
        target.link = link("", **here, uncovered=target.key) + "#uncovered"
    uncovered_kind = request.GET.get("uncovered")
    page = None
    if uncovered_kind in inspection_coverage.UNCOVERED_KINDS:
        rows = inspection_coverage.uncovered_facilities(
            viewer, kind=uncovered_kind, year=year, town_id=town_id, today=today
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/coverage.html",
        {
            "year": year,
            "years": list(range(today.year + 1, FIRST_YEAR - 1, -1)),
            "towns": towns,
            "town_id": town_id,
            "town_name": towns.get(town_id, "全区") if town_id else "全区",
            "is_town": viewer.is_town,
            "links": links,
            "plan": plan,
            "targets": targets,
            "monitoring": monitoring,
            "published": published,
            "public_draws": link(PUBLIC_DRAWS, year=year),
            "uncovered_kind": uncovered_kind,
            "uncovered_label": inspection_coverage.UNCOVERED_KINDS.get(uncovered_kind, ""),
            "page": page,
            "today": today,
        },
    )
