"""Enforcement-monitoring coverage for section heads (R-MON-1; 003 第三条、第七条): key-managed holders
(all owed), the drawn share of simplified-managed ones, and the checks of self-monitoring plans and
online equipment, owed against concluded in the year. Aggregates in the database, in a fixed number of
queries, over the facilities the viewer may see (``bureau.access.Viewer``)."""

import math
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from bureau.access import Viewer
from monitoring.models import Basis, MonitoringPlan, MonitoringTask, TaskKind, TaskState
from permits.models import Facility, FacilityStatus, ManagementLevel

SIMPLIFIED_MIN_SHARE = 30  # percent of simplified-managed holders monitored a year, rounded up


@dataclass
class Line:
    """One line of the monitoring coverage: what is owed, what is concluded, and the task-list filter
    that shows the tasks behind it (``query``, the GET parameters of ``/monitoring/tasks/``)."""

    key: str
    label: str
    owed: int
    done: int
    note: str
    query: dict

    @property
    def share(self) -> int | None:
        if not self.owed:
            return None
        return min(100, self.done * 100 // self.owed)


@dataclass
class MonitoringCoverage:
    year: int
    plan: MonitoringPlan | None
    lines: list[Line]


def _task_counts(tasks) -> dict[tuple[str, str], tuple[int, int]]:
    rows = (
        tasks.exclude(state=TaskState.WITHDRAWN)
        .order_by()
        .values("kind", "basis")
        .annotate(owed=Count("pk"), done=Count("pk", filter=Q(state=TaskState.CONCLUDED)))
    )
    return {(row["kind"], row["basis"]): (row["owed"], row["done"]) for row in rows}


def monitoring_coverage(viewer: Viewer, *, year: int, town_id: int | None) -> MonitoringCoverage:
    """R-MON-1 for ``year``, in three queries (the plan, the holders, the tasks by kind and basis):

    - 重点管理: owed, every key-managed holder not closed; done, those with a concluded enforcement-
      monitoring task of the year;
    - 简化管理: owed, the plan's drawn sample (its tasks; with no plan yet, 30% of the holders rounded
      up); done, concluded enforcement tasks drawn for the sample;
    - 自行监测方案检查 and 在线监测设备运维检查: the plan's tasks of those kinds against those concluded.
    """
    facilities = viewer.within_jurisdiction(Facility.objects.all(), "town_id")
    tasks = viewer.within_jurisdiction(MonitoringTask.objects.filter(year=year), "facility__town_id")
    if town_id:
        facilities = facilities.filter(town_id=town_id)
        tasks = tasks.filter(facility__town_id=town_id)
    plan = MonitoringPlan.objects.filter(year=year).first()
    monitored = Exists(
        MonitoringTask.objects.filter(
            facility=OuterRef("pk"), year=year, kind=TaskKind.ENFORCEMENT, state=TaskState.CONCLUDED
        )
    )
    key = Q(management_level=ManagementLevel.KEY)
    simplified = Q(management_level=ManagementLevel.SIMPLIFIED)
    holders = facilities.exclude(status=FacilityStatus.CLOSED).aggregate(
        key=Count("pk", filter=key),
        key_done=Count("pk", filter=key & Q(monitored)),
        simplified=Count("pk", filter=simplified),
    )
    counts = _task_counts(tasks)
    sample_owed, sample_done = counts.get((TaskKind.ENFORCEMENT, Basis.SIMPLIFIED_SAMPLE), (0, 0))
    minimum = math.ceil(holders["simplified"] * SIMPLIFIED_MIN_SHARE / 100)
    if sample_owed:
        sample_note = f"年度计划抽测 {sample_owed} 家（{holders['simplified']} 家的至少 30% 为 {minimum} 家）"
    else:
        sample_owed = minimum
        sample_note = f"尚未抽测：按 {holders['simplified']} 家的 30% 向上取整计 {minimum} 家"

    def checks(kind: str) -> tuple[int, int]:
        owed = sum(n for (k, _), (n, _) in counts.items() if k == kind)
        done = sum(d for (k, _), (_, d) in counts.items() if k == kind)
        return owed, done

    self_owed, self_done = checks(TaskKind.SELF_MONITORING)
    online_owed, online_done = checks(TaskKind.ONLINE_EQUIPMENT)
    town = {"town": town_id} if town_id else {}
    lines = [
        Line(
            "key",
            "重点管理单位执法监测",
            holders["key"],
            holders["key_done"],
            "每年至少监测一次，全覆盖",
            {"year": year, "kind": TaskKind.ENFORCEMENT, "basis": Basis.KEY_ALL, **town},
        ),
        Line(
            "simplified",
            "简化管理单位抽测",
            sample_owed,
            min(sample_done, sample_owed),
            sample_note,
            {"year": year, "kind": TaskKind.ENFORCEMENT, "basis": Basis.SIMPLIFIED_SAMPLE, **town},
        ),
        Line(
            "self_monitoring",
            "自行监测方案检查",
            self_owed,
            self_done,
            "年度计划所列",
            {"year": year, "kind": TaskKind.SELF_MONITORING, **town},
        ),
        Line(
            "online_equipment",
            "在线监测设备运维检查",
            online_owed,
            online_done,
            "年度计划所列",
            {"year": year, "kind": TaskKind.ONLINE_EQUIPMENT, **town},
        ),
    ]
    return MonitoringCoverage(year, plan, lines)
