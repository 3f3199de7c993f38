"""Reads of the inspection plan that its pages and API share (R-INS-3, R-INS-4; 002 十一): the year's
summary, the month's selection (the stored month plan, or its preview), the items with filters, one
facility's stored items. Every read is scoped to the viewer (R-ORG-3: a town sees its own facilities)
and costs a fixed number of queries however many rows it shows; the aggregates run in the database."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bureau.access import Viewer
from inspections import rules
from inspections.models import (
    AnnualPlan,
    Inspection,
    InspectionState,
    ItemKind,
    ItemState,
    MonthPlan,
    MonthPlanEntry,
    PlanItem,
)
from inspections.services.draws import SELECTION_READERS
from permits.models import Permit

LEVELS = (rules.KEY, rules.SIMPLIFIED, rules.REGISTERED)


def _counts(prefix: str = "") -> dict:
    """Owed / done / open / withdrawn (and open overdue) counted in one aggregate."""
    return {
        "owed": Count("id", filter=~Q(state=ItemState.WITHDRAWN)),
        "done": Count("id", filter=Q(state=ItemState.DONE)),
        "open": Count("id", filter=Q(state=ItemState.OPEN)),
        "withdrawn": Count("id", filter=Q(state=ItemState.WITHDRAWN)),
        # Overdue as of today, whether or not the daily job has flagged it yet.
        "overdue": Count("id", filter=Q(state=ItemState.OPEN, window_end__lt=timezone.localdate())),
    }


def _undisclosed_draws_hidden(items: QuerySet[PlanItem], viewer) -> QuerySet[PlanItem]:
    """Who was drawn is known only to 执法大队 and leadership until the inspection date (R-INS-5): for
    everyone else the drawn items of a draw not yet disclosed do not exist."""
    viewer = Viewer.of(viewer)
    if viewer.in_sections(SELECTION_READERS):
        return items
    return items.exclude(kind=ItemKind.RANDOM_DRAW, draw_item__draw__inspect_from__gt=timezone.localdate())


def visible_items(viewer) -> QuerySet[PlanItem]:
    """Plan items the viewer may see, each with its facility, town and (for drawn ones) its draw:
    everything for the bureau, a town's own facilities for a town, nothing for nobody (R-ORG-3); the
    units of a draw not yet disclosed only for those who see its selection (R-INS-5)."""
    items = PlanItem.objects.select_related("facility__town", "draw_item__draw")
    return _undisclosed_draws_hidden(
        Viewer.of(viewer).within_jurisdiction(items, "facility__town_id"), viewer
    )


@dataclass
class YearSummary:
    year: int
    plan: AnnualPlan | None
    levels: list[dict]  # one per management level: label, owed, done, open, withdrawn
    months: list[dict]  # twelve: month, planned, done, open, overdue, month_plan (made or None)
    registered_inspected: int  # distinct registered units inspected (signed) this year


def year_summary(year: int) -> YearSummary:
    """The year's plan at a glance, in five queries: the plan with who adopted it, the totals by
    management level, the twelve months, the month plans made, the registered units inspected."""
    plan = AnnualPlan.objects.select_related("adopted_by").filter(year=year).first()
    if plan is None:
        return YearSummary(year, None, [], [], 0)
    items = PlanItem.objects.filter(plan=plan)
    by_level = {
        row["facility__management_level"]: row
        for row in items.values("facility__management_level").annotate(**_counts())
    }
    levels = [
        {
            "level": level,
            "label": rules.LEVEL_LABELS[level],
            **by_level.get(level, dict.fromkeys(_counts(), 0)),
        }
        for level in LEVELS
    ]
    totals = {name: sum(row[name] for row in levels) for name in _counts()}
    levels.append({"level": "", "label": "合计", **totals})
    by_month = {
        row["planned_month"].month: row
        for row in items.filter(planned_month__year=year).values("planned_month").annotate(**_counts())
    }
    made = {row.month: row for row in MonthPlan.objects.filter(year=year).select_related("made_by")}
    months = [
        {"month": m, **by_month.get(m, dict.fromkeys(_counts(), 0)), "month_plan": made.get(m)}
        for m in range(1, 13)
    ]
    registered_inspected = (
        Inspection.objects.filter(
            state=InspectionState.SIGNED,
            inspected_on__year=year,
            facility__management_level=rules.REGISTERED,
        )
        .values("facility_id")
        .distinct()
        .count()
    )
    return YearSummary(year, plan, levels, months, registered_inspected)


def month_plan(year: int, month: int) -> MonthPlan | None:
    return MonthPlan.objects.select_related("made_by").filter(year=year, month=month).first()


def month_items(viewer, year: int, month: int, made: MonthPlan | None) -> QuerySet[PlanItem]:
    """The month's items (按月细化, 002 十一): the entries of the month plan ``made`` when there is one;
    otherwise the preview ``make_month_plan`` would start from: open items planned for this month or
    earlier whose window is still open at its start, plus items done within the month."""
    items = visible_items(viewer)
    if made is not None:
        entries = MonthPlanEntry.objects.filter(month_plan=made).values("item_id")
        return items.filter(pk__in=entries)
    period = rules.month_period(year, month)
    return items.filter(
        Q(state=ItemState.OPEN, planned_month__lte=period.start, window_end__gte=period.start)
        | Q(state=ItemState.DONE, done_on__range=(period.start, period.end))
    )


def new_permit_numbers(items) -> dict[tuple[int, str], str]:
    """The permit behind each new-permit item of ``items`` (one query), keyed by the facility and the
    item's key (``new:<issue date>``), for the link to 登记现场检查 (its source must be the permit)."""
    facility_ids = {item.facility_id for item in items if item.kind == ItemKind.NEW_PERMIT}
    if not facility_ids:
        return {}
    permits = Permit.objects.filter(facility_id__in=facility_ids).values_list(
        "facility_id", "issued_on", "number"
    )
    return {
        (facility_id, f"new:{issued_on.isoformat()}"): number for facility_id, issued_on, number in permits
    }


def facility_items(viewer, facility_id: int, year: int) -> QuerySet[PlanItem]:
    """One facility's stored items of the year's plan, with their draws (one query)."""
    items = PlanItem.objects.filter(plan__year=year, facility_id=facility_id).select_related(
        "draw_item__draw"
    )
    return _undisclosed_draws_hidden(items, viewer).order_by("window_start", "key")
