"""Demo enforcement monitoring for ``seed_demo``, after the registry and linkage demos: the demo year's
plan made by 生态科 (李生态, ``ecology``) and dispatched to 监测站 (吴监测, ``monitoring``), with tasks in
each state: most 已下达监测站; one 已采样 with a result; one 达标; one 超标 whose lead went to 执法大队
through 三监联动; an online-equipment check found 存在异常 (also a lead); one withdrawn. Every write goes
through the services. Idempotent: nothing is done when a plan exists.
"""

from datetime import date, timedelta
from decimal import Decimal

from bureau.models import User
from monitoring import services
from monitoring.models import MonitoringPlan, MonitoringTask, TaskKind, TaskState
from permits.models import EmissionLimit


def _due(today: date) -> date:
    return min(today + timedelta(days=90), date(today.year, 12, 31))


def _with_limits(tasks: list[MonitoringTask]) -> list[tuple[MonitoringTask, EmissionLimit]]:
    """Enforcement tasks whose facility has an outlet with a concentration limit, with that limit."""
    limits = {}
    for limit in EmissionLimit.objects.filter(
        concentration__isnull=False, outlet__permit__facility_id__in=[t.facility_id for t in tasks]
    ).select_related("outlet__permit"):
        limits.setdefault(limit.outlet.permit.facility_id, limit)
    return [(t, limits[t.facility_id]) for t in tasks if t.facility_id in limits]


def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): once, when there is no monitoring plan yet."""
    if MonitoringPlan.objects.exists():
        return []
    ecology = User.objects.filter(username="ecology").first()
    station = User.objects.filter(username="monitoring").first()
    station_head = User.objects.filter(username="monitoring_head").first()
    if ecology is None or station is None:
        return []
    plan = services.make_plan(by=ecology, year=today.year, today=today)
    if not MonitoringTask.objects.filter(plan=plan).exists():
        return [f"{plan}（无任务）"]
    services.dispatch_plan(by=ecology, plan=plan, due_on=_due(today), today=today)
    staff = [u for u in (station, station_head) if u is not None]
    tasks = list(MonitoringTask.objects.filter(plan=plan).order_by("sequence"))
    enforcement = _with_limits([t for t in tasks if t.kind == TaskKind.ENFORCEMENT])
    made = [str(plan)]
    if enforcement:
        task, limit = enforcement[0]
        services.record_sampling(
            by=station,
            task=task,
            sampled_on=today,
            outlet=limit.outlet,
            staff=staff,
            note="正常生产工况下采样",
            today=today,
        )
        services.record_result(
            by=station,
            task=task,
            pollutant=limit.pollutant,
            measured=(limit.concentration * Decimal("1.8")).quantize(Decimal("0.001")),
            unit=limit.unit,
        )
        task = services.conclude(
            by=station, task=task, conclusion="exceeded", text="废气排放浓度超过许可排放限值。", today=today
        )
        made.append(f"超标监测任务 {task.number}，移交执法大队 {task.linkage_task.number}")
    if len(enforcement) > 1:
        task, limit = enforcement[1]
        services.record_sampling(
            by=station, task=task, sampled_on=today, outlet=limit.outlet, staff=staff, today=today
        )
        services.record_result(
            by=station,
            task=task,
            pollutant=limit.pollutant,
            measured=(limit.concentration * Decimal("0.4")).quantize(Decimal("0.001")),
            unit=limit.unit,
        )
        services.conclude(by=station, task=task, conclusion="compliant", today=today)
        made.append(f"达标监测任务 {task.number}")
    if len(enforcement) > 2:
        task, limit = enforcement[2]
        services.record_sampling(
            by=station, task=task, sampled_on=today, outlet=limit.outlet, staff=staff, today=today
        )
        services.record_result(
            by=station,
            task=task,
            pollutant=limit.pollutant,
            measured=(limit.concentration * Decimal("0.7")).quantize(Decimal("0.001")),
            unit=limit.unit,
        )
        made.append(f"已采样监测任务 {task.number}")
    online = [t for t in tasks if t.kind == TaskKind.ONLINE_EQUIPMENT]
    if online:
        task = services.conclude(
            by=station,
            task=online[0],
            conclusion="anomaly",
            text="在线监测设备数据连续两日缺失，运维记录未载明原因。",
            today=today,
        )
        made.append(f"在线监测设备异常 {task.number}")
    left = MonitoringTask.objects.filter(plan=plan, state=TaskState.DISPATCHED).order_by("-sequence").first()
    if left is not None and len(tasks) > 4:
        services.withdraw_task(by=ecology, task=left, reason="单位已停产，改为复产后监测。")
    return made
