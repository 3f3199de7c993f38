"""Inspection coverage for section heads (R-INS-3, R-INS-4, R-INS-9, R-INS-5): what the year's plan
owes against what was done, how far checklist inspection has reached against its two targets, and the
share of random-check results published. Every figure is an aggregate computed by the database, in a
fixed number of queries whatever the number of facilities, over the facilities the viewer may see
(``bureau.access.Viewer``: a town sees its own jurisdiction only)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from bureau.access import Viewer
from inspections import plan_queries, rules
from inspections.models import (
    AnnualPlan,
    DrawItem,
    DrawState,
    Inspection,
    InspectionState,
    ItemState,
)
from permits.models import Facility, FacilityStatus

# R-INS-9 (000 一(二), 001 二, 002 一): checklist inspection of key industries complete by the end of
# 2023, of every unit by the end of 2025.
KEY_INDUSTRY_TARGET = date(2023, 12, 31)
ALL_UNITS_TARGET = date(2025, 12, 31)
LEVELS = (rules.KEY, rules.SIMPLIFIED, rules.REGISTERED)
UNCOVERED_KINDS = {"key_industry": "重点行业未覆盖单位", "all": "全部未覆盖单位"}


def share(done: int, owed: int) -> int | None:
    """``done`` of ``owed`` as a whole percentage, rounded down (100 only when all are done); None
    when nothing is owed."""
    if not owed:
        return None
    return min(100, done * 100 // owed)


@dataclass
class Tally:
    """Items owed by the plan for one management level or one town (R-INS-3/4)."""

    label: str
    level: str = ""
    town_id: int | None = None
    owed: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def share(self) -> int | None:
        return share(self.done, self.owed)


@dataclass
class PlanCoverage:
    year: int
    plan: AnnualPlan | None
    by_level: list[Tally]
    by_town: list[Tally]
    total: Tally
    registered_count: int
    registered_required: int
    registered_inspected: int
    registered_required_note: str

    @property
    def registered_share(self) -> int | None:
        return share(self.registered_inspected, self.registered_required)

    @property
    def registered_missing(self) -> int:
        return max(0, self.registered_required - self.registered_inspected)


@dataclass
class Target:
    """One R-INS-9 target: units in scope, those with a signed checklist inspection by the cut-off."""

    key: str
    label: str
    deadline: date
    total: int
    covered: int
    passed: bool = field(default=False)

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def share(self) -> int | None:
        return share(self.covered, self.total)


@dataclass
class Publication:
    """R-INS-5: drawn units whose result is due (inspection signed, or the inspection period ended)
    and those whose result is published."""

    drawn: int
    due: int
    published: int

    @property
    def share(self) -> int | None:
        return share(self.published, self.due)


def _facilities(viewer: Viewer, town_id: int | None) -> QuerySet[Facility]:
    facilities = viewer.within_jurisdiction(Facility.objects.all(), "town_id")
    return facilities.filter(town_id=town_id) if town_id else facilities


def plan_coverage(
    viewer: Viewer, *, year: int, town_id: int | None, today: date, towns: dict[int, str], share_setting: int
) -> PlanCoverage:
    """The year's plan items (not withdrawn) by management level and by town (in the order of
    ``towns``, id -> name): owed, done, open and
    overdue (open with the window ended before ``today``); the registered units' sample required (the
    plan's figure for the whole district, else 20% or the set share of the registered units in scope,
    rounded up) against the distinct registered units with a signed inspection in the year. Four
    queries: the items grouped by level and town, the plan, the registered units, those inspected."""
    # The items the viewer may see (R-INS-5: a draw's units stay hidden from most sections until its
    # inspection date), so each figure equals the list behind it.
    items = plan_queries.visible_items(viewer).filter(plan__year=year).exclude(state=ItemState.WITHDRAWN)
    if town_id:
        items = items.filter(facility__town_id=town_id)
    rows = (
        items.order_by()
        .values("facility__management_level", "facility__town_id")
        .annotate(
            owed=Count("pk"),
            done=Count("pk", filter=Q(state=ItemState.DONE)),
            open=Count("pk", filter=Q(state=ItemState.OPEN)),
            overdue=Count("pk", filter=Q(state=ItemState.OPEN, window_end__lt=today)),
        )
    )
    by_level = {level: Tally(rules.LEVEL_LABELS[level], level=level) for level in LEVELS}
    by_town: dict[int, Tally] = {}
    total = Tally("合计")
    for row in rows:
        level, town = row["facility__management_level"], row["facility__town_id"]
        tallies = [
            by_level.setdefault(level, Tally(level, level=level)),
            by_town.setdefault(town, Tally(towns.get(town, "—"), town_id=town)),
            total,
        ]
        for tally in tallies:
            for name in ("owed", "done", "open", "overdue"):
                setattr(tally, name, getattr(tally, name) + row[name])
    plan = AnnualPlan.objects.filter(year=year).first()
    registered_units = (
        _facilities(viewer, town_id)
        .filter(management_level=rules.REGISTERED)
        .exclude(status=FacilityStatus.CLOSED)
    )
    registered = {
        "count": registered_units.count(),
        "inspected": registered_units.filter(_signed(inspected_on__year=year)).count(),
    }
    if plan is not None and plan.computed_at and not town_id and not viewer.is_town:
        required = plan.registered_sample
        note = f"{year} 年度检查计划核定（{plan.registered_count} 家的 {share_setting}%，向上取整）"
    else:
        required = rules.registered_sample(registered["count"], share_setting)
        note = f"{registered['count']} 家的 {max(share_setting, rules.REGISTERED_MIN_SHARE)}%，向上取整"
    return PlanCoverage(
        year=year,
        plan=plan,
        by_level=list(by_level.values()),
        by_town=[by_town[pk] for pk in towns if pk in by_town],
        total=total,
        registered_count=registered["count"],
        registered_required=required,
        registered_inspected=registered["inspected"],
        registered_required_note=note,
    )


def _signed(**when) -> Exists:
    """The facility has a signed inspection on the dates ``when`` selects. Used in a WHERE only, where
    the database makes it a (hash) semi-join, or with ``~`` an anti-join, over the signed inspections'
    partial index. Not inside an aggregate's FILTER: there it is a subplan per facility, or, as
    ``pk IN (…)`` over more inspections than fit in work_mem, a re-scan per facility (minutes at
    1,000,000 inspections, issue 15); so a covered count is a query of its own."""
    return Exists(Inspection.objects.filter(facility=OuterRef("pk"), state=InspectionState.SIGNED, **when))


def _covered_by(cutoff: date) -> Exists:
    return _signed(inspected_on__lte=cutoff)


def _in_scope() -> Q:
    return ~Q(status=FacilityStatus.CLOSED)


def checklist_coverage(viewer: Viewer, *, year: int, town_id: int | None, today: date) -> list[Target]:
    """R-INS-9: facilities not closed of a key industry, and all facilities not closed, with at least
    one signed checklist inspection by the end of ``year`` (or ``today`` when earlier). Two queries:
    the facilities in scope, and those covered (a semi-join, see ``_signed``)."""
    cutoff = min(date(year, 12, 31), today)
    key = Q(key_industry__isnull=False)
    in_scope = _facilities(viewer, town_id).filter(_in_scope())
    counts = in_scope.aggregate(key_total=Count("pk", filter=key), all_total=Count("pk"))
    counts |= in_scope.filter(_covered_by(cutoff)).aggregate(
        key_covered=Count("pk", filter=key), all_covered=Count("pk")
    )
    return [
        Target(
            "key_industry",
            "重点行业排污单位",
            KEY_INDUSTRY_TARGET,
            counts["key_total"],
            counts["key_covered"],
            today > KEY_INDUSTRY_TARGET,
        ),
        Target(
            "all",
            "全部排污单位",
            ALL_UNITS_TARGET,
            counts["all_total"],
            counts["all_covered"],
            today > ALL_UNITS_TARGET,
        ),
    ]


def uncovered_facilities(viewer: Viewer, *, kind: str, year: int, town_id: int | None, today: date):
    """The facilities behind a target's 未覆盖 figure, by name, with their town (for a paginated list)."""
    cutoff = min(date(year, 12, 31), today)
    facilities = _facilities(viewer, town_id).filter(_in_scope()).filter(~_covered_by(cutoff))
    if kind == "key_industry":
        facilities = facilities.filter(key_industry__isnull=False)
    return facilities.select_related("town", "key_industry").order_by("name", "pk")


def publication(viewer: Viewer, *, year: int, town_id: int | None, today: date) -> Publication:
    """R-INS-5's published share for the draws of ``year`` (cancelled draws left out): units drawn,
    those whose result is due (inspection signed, or the inspection period ended before ``today``),
    and those published (``result_published_on`` set). One query."""
    # Only disclosed draws: who was drawn is not known outside 执法大队 before the inspection date.
    items = DrawItem.objects.filter(draw__year=year, draw__inspect_from__lte=today).exclude(
        draw__state=DrawState.CANCELLED
    )
    items = viewer.within_jurisdiction(items, "facility__town_id")
    if town_id:
        items = items.filter(facility__town_id=town_id)
    due = Q(inspection__state=InspectionState.SIGNED) | Q(draw__inspect_until__lt=today)
    counts = items.aggregate(
        drawn=Count("pk"),
        due=Count("pk", filter=due),
        published=Count("pk", filter=due & Q(result_published_on__isnull=False)),
    )
    return Publication(counts["drawn"], counts["due"], counts["published"])
