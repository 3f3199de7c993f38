"""Reads of enforcement monitoring (R-MON-1) that pages and the coverage helper share. Monitoring is
read by the bureau's sections (towns are refused at the page); every read costs a fixed number of
queries however many tasks there are."""

from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from bureau import sections
from bureau.access import Viewer
from bureau.models import User
from monitoring import rules
from monitoring.models import Basis, MonitoringPlan, MonitoringResult, MonitoringTask, TaskState
from permits.models import EmissionLimit, Facility, Outlet

OPEN_STATES = (TaskState.DISPATCHED, TaskState.SAMPLED)
CHECK_KINDS = sorted(rules.CHECK_KINDS)


def _counts(prefix: str = "") -> dict:
    """Owed (planned, not withdrawn) and done (concluded) per part of the plan, as aggregates."""
    live = ~Q(**{f"{prefix}state": TaskState.WITHDRAWN})
    done = Q(**{f"{prefix}state": TaskState.CONCLUDED})
    key = Q(**{f"{prefix}basis": Basis.KEY_ALL})
    simplified = Q(**{f"{prefix}basis": Basis.SIMPLIFIED_SAMPLE})
    checks = Q(**{f"{prefix}kind__in": CHECK_KINDS})
    return {
        "key_owed": Count("pk" if not prefix else "tasks", filter=live & key),
        "key_done": Count("pk" if not prefix else "tasks", filter=done & key),
        "simplified_owed": Count("pk" if not prefix else "tasks", filter=live & simplified),
        "simplified_done": Count("pk" if not prefix else "tasks", filter=done & simplified),
        "checks_owed": Count("pk" if not prefix else "tasks", filter=live & checks),
        "checks_done": Count("pk" if not prefix else "tasks", filter=done & checks),
    }


def plan_progress(year: int, town_id: int | None = None) -> dict:
    """For the coverage page (R-INS-9, R-MON-1): the year's plan owed and done, ``key_owed, key_done,
    simplified_owed, simplified_done, checks_owed, checks_done`` (done = concluded; withdrawn tasks
    are not owed), in one query, optionally for one town."""
    tasks = MonitoringTask.objects.filter(plan__year=year)
    if town_id is not None:
        tasks = tasks.filter(facility__town_id=town_id)
    return tasks.aggregate(**_counts())


def plan_list() -> QuerySet[MonitoringPlan]:
    """Every year's plan with its counts (one query)."""
    return MonitoringPlan.objects.annotate(**_counts("tasks__")).order_by("-year")


def plan_of_year(year: int) -> MonitoringPlan | None:
    """The plan of ``year`` with its counts, or None (one query)."""
    return plan_list().filter(year=year).select_related("created_by", "dispatched_by").first()


def task_list(viewer) -> QuerySet[MonitoringTask]:
    """Tasks the viewer may see (the bureau's sections: all; towns and nobody: none), with what a row
    shows. 监测站 sees its open queue first."""
    viewer = Viewer.of(viewer)
    tasks = MonitoringTask.objects.select_related("facility__town", "linkage_task")
    if not viewer.is_bureau:
        return tasks.none()
    order = ["-year", "-sequence"]
    if viewer.section_code == sections.MONITORING:
        queue = Case(
            When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        tasks = tasks.annotate(queue=queue)
        order = ["queue", "due_on", "-year", "-sequence"]
    return tasks.order_by(*order)


def filter_tasks(tasks, *, state="", kind="", basis="", town=None, overdue=False, year=None, today: date):
    if state:
        tasks = tasks.filter(state=state)
    if kind:
        tasks = tasks.filter(kind=kind)
    if basis:
        tasks = tasks.filter(basis=basis)
    if town is not None:
        tasks = tasks.filter(facility__town=town)
    if year:
        tasks = tasks.filter(year=year)
    if overdue:
        tasks = tasks.filter(state__in=OPEN_STATES, due_on__lt=today)
    return tasks


def task_detail(viewer, pk: int) -> MonitoringTask | None:
    """One task with everything its page shows (two queries: the task, its results; the staff a third),
    or None when it does not exist or the viewer may not see it."""
    return (
        task_list(viewer)
        .select_related("outlet", "plan", "dispatched_by", "concluded_by", "created_by")
        .prefetch_related(
            Prefetch("results", queryset=MonitoringResult.objects.order_by("pollutant")),
            "staff",
        )
        .filter(pk=pk)
        .first()
    )


def facility_by_code(code: str):
    """The facility of a 污染源编码, or None."""
    return Facility.objects.filter(source_code=(code or "").strip().upper()).first()


def outlets_of(facility_id: int) -> list[Outlet]:
    """The outlets of the facility's permits, for the sampling form (one query)."""
    return list(Outlet.objects.filter(permit__facility_id=facility_id).order_by("code", "id"))


def station_staff() -> list[User]:
    """监测站's active members, who may be named as sampling staff (one query)."""
    return list(
        User.objects.filter(staff__section__code=sections.MONITORING, is_active=True)
        .select_related("staff__section")
        .order_by("username")
    )


def limited_pollutants(task: MonitoringTask) -> list[str]:
    """The pollutants the permit limits at the task's sampled outlet (one query; none before sampling)."""
    if task.outlet_id is None:
        return []
    return list(
        EmissionLimit.objects.filter(outlet_id=task.outlet_id, concentration__isnull=False)
        .order_by("pollutant")
        .values_list("pollutant", flat=True)
    )
