"""The figures of the dashboards (issue 13): what each section must act on and the whole bureau at a
glance. Every figure is an aggregate computed by the database through the owning app's models and
queries, over what the viewer may see (``bureau.access.Viewer``: a town only its own jurisdiction),
and carries the link to the list behind it, filtered to exactly the rows it counts.

Each panel costs a fixed number of queries whatever the number of facilities (named on each builder);
``tests/reports/test_dashboards.py`` counts them page by page."""

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from bureau import sections
from bureau.access import Viewer
from complaints import queries as complaint_queries
from complaints.models import ComplaintState
from grading import rules as grading_rules
from grading.models import AnnualGrading, FacilityGrade, GradingState
from inspections import coverage as inspection_coverage
from inspections.models import ItemState, PlanSettings
from inspections.rules import REGISTERED_MIN_SHARE
from linkage import queries as linkage_queries
from linkage import rules as linkage_rules
from permits import queries as permit_queries
from permits.filters import valid_permits_expiring
from permits.models import Permit
from permits.reports import queries as report_queries
from permits.reports import rules as report_rules
from reports import charts

EXPIRY_WINDOWS = (30, 90)

# The panels, and which each dashboard shows: what that section acts on (003 第三条, DESIGN.md's table
# of users). Leadership and the administrator see every panel.
LINKAGE, PLAN, CHECKLIST, REPORTS, LEDGER, EXPIRING, COMPLAINTS, GRADING = (
    "linkage",
    "plan",
    "checklist",
    "reports",
    "ledger",
    "expiring",
    "complaints",
    "grading",
)
ALL_PANELS = (LINKAGE, PLAN, CHECKLIST, REPORTS, LEDGER, EXPIRING, COMPLAINTS, GRADING)
SECTION_PANELS = {
    sections.APPROVAL: (LINKAGE, REPORTS, LEDGER, EXPIRING, PLAN, CHECKLIST, GRADING),
    sections.ECOLOGY: (LINKAGE, REPORTS, LEDGER, COMPLAINTS),
    sections.POLLUTION: (LINKAGE, REPORTS, LEDGER, EXPIRING),
    sections.LEGAL: (PLAN, CHECKLIST, GRADING, COMPLAINTS),
    sections.ENFORCEMENT: (LINKAGE, PLAN, CHECKLIST, COMPLAINTS, LEDGER),
    sections.MONITORING: (LINKAGE, PLAN),
    # A town reads its own facilities: no complaints, grading or plan items (bureau pages).
    sections.TOWN: (LINKAGE, CHECKLIST, LEDGER, EXPIRING, REPORTS),
    sections.LEADERSHIP: ALL_PANELS,
}


def panels_for(viewer: Viewer) -> tuple[str, ...]:
    """The panels of ``viewer``'s own section's dashboard (all of them for the administrator)."""
    if viewer.is_superuser:
        return ALL_PANELS
    return SECTION_PANELS.get(viewer.section_code, ())


# Period ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year: ``2026-06``, ``2026-Q2``, ``2026``."""

    code: str
    label: str
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    def months(self) -> list[tuple[date, date]]:
        """The first and last day of each month of the period, in order."""
        result, day = [], self.start
        while day <= self.end:
            last = date(day.year, day.month, monthrange(day.year, day.month)[1])
            result.append((day, last))
            day = last + timedelta(days=1)
        return result


_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")
FIRST_YEAR = 2020


def year_period(year: int) -> Period:
    return Period(str(year), f"{year} 年", date(year, 1, 1), date(year, 12, 31))


def parse_period(value: str | None, today: date) -> Period:
    """The period asked for; the current year when missing or malformed."""
    found = _PERIOD.match((value or "").strip())
    if not found or not FIRST_YEAR <= int(found[1]) <= today.year + 1:
        return year_period(today.year)
    year, part = int(found[1]), found[2]
    if part is None:
        return year_period(year)
    if part.startswith("Q"):
        quarter = int(part[1])
        first, last = 3 * quarter - 2, 3 * quarter
        end = date(year, last, monthrange(year, last)[1])
        return Period(f"{year}-{part}", f"{year} 年第 {quarter} 季度", date(year, first, 1), end)
    month = int(part)
    if not 1 <= month <= 12:
        return year_period(year)
    return Period(
        f"{year}-{month:02d}",
        f"{year} 年 {month} 月",
        date(year, month, 1),
        date(year, month, monthrange(year, month)[1]),
    )


def period_choices(today: date) -> list[tuple[str, str]]:
    """The periods offered in the filter: this year and the last, their quarters and months."""
    choices = []
    for year in (today.year, today.year - 1):
        choices.append((str(year), f"{year} 年"))
        choices += [(f"{year}-Q{q}", f"{year} 年第 {q} 季度") for q in range(1, 5)]
        choices += [(f"{year}-{m:02d}", f"{year} 年 {m} 月") for m in range(1, 13)]
    return choices


def link(base: str, **query) -> str:
    """``base`` with the query's non-empty values (the filters a figure's list is opened with)."""
    query = {k: v for k, v in query.items() if v not in (None, "", False)}
    return f"{base}?{urlencode(query)}" if query else base


def town_of(value: str | None, viewer: Viewer, towns: dict[int, str]) -> int | None:
    """The town to show: a town's own, always; for the bureau the one chosen, or all."""
    if viewer.is_town:
        return viewer.town_id
    try:
        town_id = int(value or 0)
    except (TypeError, ValueError):
        return None
    return town_id if town_id in towns else None


def registered_share() -> int:
    """The registered units' share the plan samples (R-INS-4): the setting, or the rule's minimum.
    One query."""
    return (
        PlanSettings.objects.order_by("pk").values_list("registered_share", flat=True).first()
        or REGISTERED_MIN_SHARE
    )


def plan_links(plan, year: int, town_id: int | None) -> None:
    """Each tally's links to the plan items behind its figures (inspections:plan-items filters)."""
    items = reverse("inspections:plan-items")
    for tally in [*plan.by_level, *plan.by_town, plan.total]:
        base = {"year": year, "level": tally.level, "town": tally.town_id or town_id}
        tally.links = {
            "owed": link(items, **base, state="owed"),
            "done": link(items, **base, state=ItemState.DONE),
            "open": link(items, **base, state=ItemState.OPEN),
            "overdue": link(items, **base, alert="overdue"),
        }


def _month_label(first: date) -> str:
    return f"{first.month}月" if first.month != 1 else f"{first.year}年1月"


# Panels ----------------------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: int | str
    link: str = ""


@dataclass
class Panel:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    # A table: headers and rows of (label, [Figure...]).
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)
    charts: list = field(default_factory=list)
    note: str = ""
    trend: dict = field(default_factory=dict)


def linkage_panel(viewer: Viewer, *, town_id: int | None, period: Period, today: date) -> Panel:
    """三监联动 (R-LNK-6): per department the tasks it started or received that are not yet closed
    (未销号) and those of them overdue; the period's tasks started and closed per month, and those
    still open at each month's end. Two queries: the departments' counts, the months' counts."""
    tasks = linkage_queries.visible_tasks(viewer)
    if town_id:
        tasks = tasks.filter(facility__town_id=town_id)
    active = Q(state__in=linkage_rules.ACTIVE)
    late = active & Q(deadline_on__lt=today)
    counts = {}
    for code in linkage_rules.DEPARTMENT_ORDER:
        # One join on the assignments, counted distinct: cheaper than a subquery per department.
        involved = Q(initiator__code=code) | Q(assignments__section__code=code)
        counts[f"{code}_open"] = Count("pk", distinct=True, filter=active & involved)
        counts[f"{code}_overdue"] = Count("pk", distinct=True, filter=late & involved)
    # Every figure counts tasks not closed: the WHERE keeps the join to those (a tenth of them).
    found = tasks.filter(active).aggregate(**counts)
    base = reverse("linkage:task-list")
    panel = Panel(LINKAGE, "三监联动任务", headers=["部门", "未销号", "其中已逾期"])
    for code in linkage_rules.DEPARTMENT_ORDER:
        query = {"tab": "all", "department": code, "town": town_id}
        panel.rows.append(
            (
                sections.short_name(code),
                [
                    Figure("未销号", found[f"{code}_open"], link(base, **query, active="on")),
                    Figure("已逾期", found[f"{code}_overdue"], link(base, **query, overdue="on")),
                ],
            )
        )
    labels = [row[0] for row in panel.rows]
    panel.charts.append(
        charts.stacked_bar_svg(
            "各部门未销号任务",
            labels,
            {
                "未逾期": [row[1][0].value - row[1][1].value for row in panel.rows],
                "已逾期": [row[1][1].value for row in panel.rows],
            },
        )
    )
    # Months not begun yet have no figures (a line of today's open count repeated into December would
    # read as a forecast).
    months = [(first, min(last, today)) for first, last in period.months() if first <= today]
    monthly = {}
    for i, (first, last) in enumerate(months):
        monthly[f"s{i}"] = Count("pk", filter=Q(started_on__range=(first, last)))
        monthly[f"c{i}"] = Count("pk", filter=Q(closed_on__range=(first, last)))
        monthly[f"o{i}"] = Count(
            "pk", filter=Q(started_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))
        )
    trend = tasks.aggregate(**monthly)
    month_labels = [_month_label(first) for first, _ in months]
    started = [trend[f"s{i}"] for i in range(len(months))]
    closed = [trend[f"c{i}"] for i in range(len(months))]
    still_open = [trend[f"o{i}"] for i in range(len(months))]
    panel.trend = {"table": list(zip(month_labels, started, closed, still_open, strict=True))}
    panel.charts.append(
        charts.line_svg(
            f"{period.label}任务趋势",
            month_labels,
            {
                "新发起": started,
                "已销号": closed,
                "月末未销号": still_open,
            },
        )
    )
    return panel


def plan_panel(
    viewer: Viewer, *, town_id, period: Period, today: date, towns: dict, share_setting: int
) -> Panel:
    """Inspections the year's plan owes against those done, by management level and by town (R-INS-3/4),
    read from ``inspections.coverage.plan_coverage``: four queries (the items grouped, the plan, the
    registered units, those inspected)."""
    plan = inspection_coverage.plan_coverage(
        viewer, year=period.year, town_id=town_id, today=today, towns=towns, share_setting=share_setting
    )
    plan_links(plan, period.year, town_id)
    panel = Panel(
        PLAN,
        f"{period.year} 年度检查计划完成情况",
        headers=["管理类别/街镇", "应检", "已检", "未检", "已逾期"],
    )
    for tally in [*plan.by_level, *plan.by_town, plan.total]:
        panel.rows.append(
            (
                tally.label,
                [
                    Figure("应检", tally.owed, tally.links["owed"]),
                    Figure("已检", tally.done, tally.links["done"]),
                    Figure("未检", tally.open, tally.links["open"]),
                    Figure("已逾期", tally.overdue, tally.links["overdue"]),
                ],
            )
        )
    groups = plan.by_town if len(plan.by_town) > 1 else plan.by_level
    panel.charts.append(
        charts.bar_svg(
            "应检与已检",
            [t.label for t in groups],
            {"应检": [t.owed for t in groups], "已检": [t.done for t in groups]},
        )
    )
    return panel


def checklist_panel(viewer: Viewer, *, town_id, period: Period, today: date) -> Panel:
    """Checklist inspection against the 2023 and 2025 targets (R-INS-9), from
    ``inspections.coverage.checklist_coverage``: two queries. The 未覆盖 figures link to the coverage
    page's list of the units not yet covered."""
    targets = inspection_coverage.checklist_coverage(viewer, year=period.year, town_id=town_id, today=today)
    base = reverse("reports:coverage")
    here = {"year": period.year, "town": None if viewer.is_town else town_id}
    panel = Panel(
        CHECKLIST,
        "清单式执法检查覆盖率",
        headers=["范围", "目标时限", "应覆盖", "已覆盖", "未覆盖", "覆盖率"],
    )
    for target in targets:
        uncovered = link(base, **here, uncovered=target.key) + "#uncovered"
        panel.rows.append(
            (
                target.label,
                [
                    Figure("目标时限", f"{target.deadline:%Y-%m-%d}"),
                    Figure("应覆盖", target.total),
                    Figure("已覆盖", target.covered),
                    Figure("未覆盖", target.uncovered, uncovered),
                    Figure("覆盖率", "—" if target.share is None else f"{target.share}%"),
                ],
            )
        )
    panel.charts.append(
        charts.gauge_bar_svg(
            "清单式执法检查覆盖率",
            [t.label for t in targets],
            [t.share or 0 for t in targets],
            [100, 100],
        )
    )
    return panel


def reports_panel(viewer: Viewer, *, town_id, period: Period, today: date) -> Panel:
    """执行报告 (R-REP-1, R-REP-2) of the latest period whose due date passed by the end of ``period``:
    逾期未报, 逾期提交 and those whose latest review is 审核中. Two queries: the period, the counts."""
    as_of = min(today, period.end + timedelta(days=1))
    found = report_queries.latest_due_period(viewer, as_of)
    panel = Panel(REPORTS, "执行报告")
    if found is None:
        panel.note = "所选期间内没有已到截止日期的执行报告。"
        return panel
    reports = report_queries.board_reports(viewer, found, today, town=town_id)
    counts = reports.order_by().aggregate(
        total=Count("pk"),
        missing=Count("pk", filter=Q(receipt=report_rules.MISSING)),
        late=Count("pk", filter=Q(receipt=report_rules.LATE)),
        reviewing=Count("pk", filter=Q(review_state="open")),
    )
    base = reverse("permits:report-board")
    query = {"period": found.code, "town": None if viewer.is_town else town_id}
    panel.title = f"执行报告（{found.label}）"
    panel.figures = [
        Figure("应报", counts["total"], link(base, **query)),
        Figure("逾期未报", counts["missing"], link(base, **query, receipt=report_rules.MISSING)),
        Figure("逾期提交", counts["late"], link(base, **query, receipt=report_rules.LATE)),
        Figure("审核中", counts["reviewing"], link(base, **query, review="open")),
    ]
    return panel


def ledger_panel(viewer: Viewer, *, town_id, period: Period, today: date) -> Panel:
    """限期整改问题台账's way to zero (R-PER-3): open and overdue items now, and the items open at the
    end of each month of ``period``. One query."""
    items = permit_queries.visible_rectifications(viewer)
    if town_id:
        items = items.filter(facility__town_id=town_id)
    still_open = Q(closed_on__isnull=True)
    # Each month of the period begun by today, as of its last day (or today, for the current month).
    months = [(first, min(last, today)) for first, last in period.months() if first <= today]
    found = items.aggregate(
        open=Count("pk", filter=still_open),
        overdue=Count("pk", filter=still_open & Q(deadline_on__lt=today)),
        **{
            f"m{i}": Count("pk", filter=Q(found_on__lte=last) & (still_open | Q(closed_on__gt=last)))
            for i, (_, last) in enumerate(months)
        },
    )
    base = reverse("permits:ledger")
    town = None if viewer.is_town else town_id
    panel = Panel(LEDGER, "限期整改问题台账")
    panel.figures = [
        Figure("未销号", found["open"], link(base, status="open", town=town)),
        Figure("已逾期", found["overdue"], link(base, status="overdue", town=town)),
    ]
    shown = [(i, first) for i, (first, _) in enumerate(months)]
    panel.headers = ["月末", "未销号"]
    panel.rows = [(_month_label(first), [Figure("未销号", found[f"m{i}"])]) for i, first in shown]
    panel.charts.append(
        charts.line_svg(
            "月末未销号问题（清零进度）",
            [_month_label(first) for _, first in shown],
            {"未销号": [found[f"m{i}"] for i, _ in shown]},
        )
    )
    return panel


def expiring_panel(viewer: Viewer, *, town_id, today: date) -> Panel:
    """Facilities whose valid permit expires within 30 and 90 days (R-PER-1), counted from the
    permits expiring within the longer window (a few), not over every facility. One query."""
    permits = viewer.within_jurisdiction(Permit.objects.all(), "facility__town_id")
    if town_id:
        permits = permits.filter(facility__town_id=town_id)
    soon = valid_permits_expiring(permits, today, max(EXPIRY_WINDOWS))
    found = soon.aggregate(
        **{
            f"d{days}": Count(
                "facility_id", distinct=True, filter=Q(valid_until__lte=today + timedelta(days=days))
            )
            for days in EXPIRY_WINDOWS
        }
    )
    base = reverse("permits:facility-list")
    town = None if viewer.is_town else town_id
    panel = Panel(EXPIRING, "排污许可证即将到期")
    panel.figures = [
        Figure(f"{days} 天内到期", found[f"d{days}"], link(base, expiring_within=days, town=town))
        for days in EXPIRY_WINDOWS
    ]
    return panel


def complaints_panel(viewer: Viewer, *, town_id, today: date) -> Panel:
    """信访投诉 not yet answered: 已受理 and 调查处理中 (R-CMP-1). One query."""
    complaints = complaint_queries.visible_complaints(viewer)
    if town_id:
        complaints = complaints.filter(facility__town_id=town_id)
    states = (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING)
    found = complaints.aggregate(**{state: Count("pk", filter=Q(state=state)) for state in states})
    base = reverse("complaints:complaint-list")
    panel = Panel(COMPLAINTS, "信访投诉（未答复）")
    panel.figures = [
        Figure(ComplaintState(state).label, found[state], link(base, state=state, town=town_id))
        for state in states
    ]
    return panel


def grading_panel(*, period: Period, town_id: int | None) -> Panel:
    """The annual grading of the year before ``period`` (drafted each January, R-GRD-1): its state
    and how many holders (of the chosen town, or all) each grade has so far, each linked to the
    grading's list filtered the same way. Two queries: the grading, the grades counted."""
    year = period.year - 1
    grading = AnnualGrading.objects.filter(year=year).only("state").first()
    panel = Panel(GRADING, f"{year} 年度等级评定")
    if grading is None:
        panel.note = "尚未起草。"
        return panel
    grades = FacilityGrade.objects.filter(grading=grading)
    if town_id:
        grades = grades.filter(facility__town_id=town_id)
    found = grades.aggregate(
        total=Count("pk"),
        **{grade: Count("pk", filter=Q(grade=grade)) for grade in grading_rules.GRADE_ORDER},
    )
    detail = reverse("grading:grading-detail", args=[year])
    panel.note = f"状态：{GradingState(grading.state).label}"
    panel.figures = [
        Figure("参评持证单位", found["total"], link(detail, town=town_id)),
        *(
            Figure(grading_rules.GRADE_LABELS[g], found[g], link(detail, grade=g, town=town_id))
            for g in grading_rules.GRADE_ORDER
        ),
    ]
    return panel


def build(viewer: Viewer, keys, *, town_id, period: Period, today: date, towns: dict, share_setting: int):
    """The panels ``keys`` in order, each computed in its fixed number of queries."""
    panels = []
    for key in keys:
        if key == LINKAGE:
            panels.append(linkage_panel(viewer, town_id=town_id, period=period, today=today))
        elif key == PLAN:
            panels.append(
                plan_panel(
                    viewer,
                    town_id=town_id,
                    period=period,
                    today=today,
                    towns=towns,
                    share_setting=share_setting,
                )
            )
        elif key == CHECKLIST:
            panels.append(checklist_panel(viewer, town_id=town_id, period=period, today=today))
        elif key == REPORTS:
            panels.append(reports_panel(viewer, town_id=town_id, period=period, today=today))
        elif key == LEDGER:
            panels.append(ledger_panel(viewer, town_id=town_id, period=period, today=today))
        elif key == EXPIRING:
            panels.append(expiring_panel(viewer, town_id=town_id, today=today))
        elif key == COMPLAINTS:
            panels.append(complaints_panel(viewer, town_id=town_id, today=today))
        elif key == GRADING:
            panels.append(grading_panel(period=period, town_id=town_id))
    return panels
