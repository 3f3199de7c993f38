"""Every write of enforcement monitoring (R-MON-1; 003 第三条、第七条).

生态科, which leads the monitoring side of 三监联动, makes the year's plan (the simplified share drawn
with ``bureau.sampling``), dispatches its tasks to 监测站, adds tasks (临时增派), withdraws them and follows
them. 监测站 records the sampling, the results against the permit's limits and the conclusion. A result
over the limit or an anomaly starts, once, a lead to 执法大队 through ``linkage``'s service, and 生态科 is
told on its to-do list. Permissions are checked here; every write keeps who and why (R-RET-1).
"""

import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history, sampling, sections
from bureau import services as bureau_services
from bureau.access import section_code, staff_of
from bureau.errors import Conflict
from bureau.models import User
from bureau.numbers import next_in_series, reserve_in_series
from bureau.todo import add_todo, complete_todo, sync_todos, url_maker
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import start_linkage_task
from monitoring import rules
from monitoring.models import (
    Basis,
    Conclusion,
    MonitoringPlan,
    MonitoringPlanState,
    MonitoringResult,
    MonitoringTask,
    TaskKind,
    TaskState,
)
from permits.models import EmissionLimit, Facility, FacilityStatus, Outlet

TASK_SERIES = "monitoring-task"
ONLY_ECOLOGY = "执法监测计划和任务由生态科编制、下达和跟踪（003 第三条）。"
ONLY_STATION = "采样、监测结果和结论由环境监测站录入。"
# To-do keys (registered in MonitoringConfig.ready).
DISPATCHED_TODO = "monitoring-dispatched:"
RESULT_TODO = "monitoring-result:"
OVERDUE_TODO = "monitoring-overdue:"
OPEN_STATES = (TaskState.DISPATCHED, TaskState.SAMPLED)
NO_LIMIT = "无许可限值"


def task_number(year: int, sequence: int) -> str:
    return f"JM-{year}-{sequence:04d}"  # 执法监测; JC- is the inspections' (现场检查)


def task_url(task: MonitoringTask) -> str:
    return reverse("monitoring:task-detail", args=[task.pk])


def _require(user, code: str, message: str) -> None:
    if user is None or section_code(user) != code:
        raise PermissionDenied(message)


def _locked(task: MonitoringTask) -> MonitoringTask:
    return (
        MonitoringTask.objects.select_for_update(of=("self",))
        .select_related("facility", "outlet")
        .get(pk=task.pk)
    )


def _new_task(*, year: int, by, **values) -> MonitoringTask:
    sequence = next_in_series(TASK_SERIES, year)
    return MonitoringTask(
        number=task_number(year, sequence), year=year, sequence=sequence, created_by=by, **values
    )


# The plan ----------------------------------------------------------------------------------------------


def _plan_facilities() -> list[rules.PlanFacility]:
    rows = Facility.objects.filter(management_level__in=[rules.KEY, rules.SIMPLIFIED]).values_list(
        "id", "source_code", "management_level", "status", "is_confidential", "has_auto_monitoring"
    )
    automatic = (
        Facility.objects.filter(has_auto_monitoring=True)
        .exclude(management_level__in=[rules.KEY, rules.SIMPLIFIED])
        .values_list(
            "id", "source_code", "management_level", "status", "is_confidential", "has_auto_monitoring"
        )
    )
    return [
        rules.PlanFacility(pk, code, level, status == FacilityStatus.CLOSED, secret, auto)
        for pk, code, level, status, secret, auto in [*rows, *automatic]
    ]


@transaction.atomic
def make_plan(*, by: User, year: int, today: date | None = None) -> MonitoringPlan:
    """Make (or make again) the draft plan of ``year`` (R-MON-1): every key-managed holder, the drawn
    simplified share, the checks (``rules.plan_contents``). The simplified pool's file, its SHA-256,
    a fresh seed and its commitment are stored, so the sample can be re-run by anyone
    (``bureau.sampling``); the seed is kept when the plan is made again, so the sample changes only if
    the pool does. Made again while a draft, the tasks are kept in step with the new contents:
    a task still planned stays (same number), a new one is added, one no longer planned is withdrawn;
    nothing is created twice. Refused once the plan is dispatched."""
    _require(by, sections.ECOLOGY, ONLY_ECOLOGY)
    today = today or timezone.localdate()
    # A past year's plan could never be dispatched (its tasks are due within its year).
    if year not in (today.year, today.year + 1):
        raise ValidationError({"year": f"只能编制本年（{today.year}）或下一年的执法监测计划。"})
    plan = MonitoringPlan.objects.select_for_update().filter(year=year).first()
    if plan is not None and plan.state != MonitoringPlanState.DRAFT:
        raise Conflict(f"{year} 年度执法监测计划已下达，不能重新编制；如需补充，请临时增派任务。")
    plan = plan or MonitoringPlan(year=year, created_by=by)
    facilities = _plan_facilities()
    units = rules.simplified_pool(facilities)
    pool = sampling.Pool(
        sample=rules.simplified_sample(len(units), plan.simplified_share), team=0, units=tuple(units)
    )
    # The seed is drawn once, when the plan is first made, and kept: making the draft again cannot
    # re-draw the sample until it suits (only a changed pool changes the selection, and the pool's
    # fingerprint before and after is in the plan's history).
    seed = plan.seed or sampling.new_seed()
    drawn = {pick.unit for pick in sampling.draw(pool, seed)} if units else set()
    plan.key_count = sum(1 for f in facilities if f.level == rules.KEY and not f.is_closed)
    plan.simplified_count = len(units)
    plan.simplified_sample = pool.sample
    plan.pool_text, plan.pool_hash = sampling.pool_text(pool), sampling.pool_hash(pool)
    plan.seed, plan.commitment = seed, sampling.commitment(seed)
    history.save_checked(
        plan,
        by=by,
        reason=f"编制执法监测计划：简化管理单位 {len(units)} 家中抽取 {pool.sample} 家",
        duplicate=f"{year} 年度执法监测计划刚刚已由他人编制，请刷新后查看。",
    )
    _sync_tasks(plan, rules.plan_contents(facilities, drawn), by=by)
    return plan


def _sync_tasks(plan: MonitoringPlan, contents: list[rules.PlannedTask], *, by) -> None:
    existing = {(t.facility_id, t.kind): t for t in MonitoringTask.objects.filter(plan=plan)}
    wanted = {(p.facility, p.kind): p for p in contents}
    for key, task in existing.items():
        if key not in wanted and task.state != TaskState.WITHDRAWN:
            task.state, task.withdrawn_reason = TaskState.WITHDRAWN, "重新编制计划时移出"
            history.save(task, by=by, reason="重新编制计划时移出")
        elif key in wanted and (task.state != TaskState.PLANNED or task.basis != wanted[key].basis):
            task.state, task.basis, task.withdrawn_reason = TaskState.PLANNED, wanted[key].basis, ""
            history.save(task, by=by, reason="重新编制计划时列入")
    added = [p for key, p in wanted.items() if key not in existing]
    first = reserve_in_series(TASK_SERIES, plan.year, len(added))  # one lock for the whole plan
    new = [
        MonitoringTask(
            number=task_number(plan.year, first + offset),
            year=plan.year,
            sequence=first + offset,
            created_by=by,
            plan=plan,
            facility_id=p.facility,
            kind=p.kind,
            basis=p.basis,
        )
        for offset, p in enumerate(added)
    ]
    history.bulk_create(new, MonitoringTask, by=by, reason="列入年度执法监测计划")


def verify_plan(plan: MonitoringPlan) -> set[str]:
    """The simplified units the plan's stored pool and seed select (``bureau.sampling``), checked
    against the commitment: anyone re-running the draw gets the same set."""
    try:
        sampling.verify_seed(plan.seed, plan.commitment)
        pool = sampling.parse_pool(plan.pool_text)
        return {pick.unit for pick in sampling.draw(pool, plan.seed)} if pool.units else set()
    except sampling.DrawError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def dispatch_plan(
    *, by: User, plan: MonitoringPlan, due_on: date, today: date | None = None
) -> MonitoringPlan:
    """下达 the draft plan to 监测站 (003 第三条): its planned tasks become 已下达监测站 with ``due_on``
    (within the plan's year), and 监测站's to-do list says so. The seed is shown from now on."""
    _require(by, sections.ECOLOGY, ONLY_ECOLOGY)
    today = today or timezone.localdate()
    plan = MonitoringPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != MonitoringPlanState.DRAFT:
        raise Conflict(f"{plan.year} 年度执法监测计划已下达。")
    if due_on is None or due_on < today:
        raise ValidationError({"due_on": "完成期限不能早于今天。"})
    if due_on.year != plan.year:
        raise ValidationError({"due_on": f"完成期限应在 {plan.year} 年内。"})
    planned = MonitoringTask.objects.filter(plan=plan, state=TaskState.PLANNED)
    count = history.update_in_chunks(
        planned,
        values={"state": TaskState.DISPATCHED, "due_on": due_on, "dispatched_by": by, "dispatched_on": today},
        by=by,
        reason="下达监测站",
    )
    if not count:
        raise ValidationError({"due_on": "计划中没有待下达的任务。"})
    plan.state, plan.dispatched_by, plan.dispatched_on = MonitoringPlanState.DISPATCHED, by, today
    history.save(plan, by=by, reason=f"下达监测站 {count} 项任务，期限 {due_on}")
    add_todo(
        key=f"{DISPATCHED_TODO}plan:{plan.pk}",
        title=f"{plan.year} 年度执法监测计划已下达：{count} 项任务，{due_on} 前完成",
        url=reverse("monitoring:task-list") + "?state=dispatched",
        due_on=due_on,
        section=bureau_services.section(sections.MONITORING),
    )
    return plan


@transaction.atomic
def add_task(
    *, by: User, facility: Facility, kind: str, due_on: date, note: str = "", today: date | None = None
) -> MonitoringTask:
    """临时增派: 生态科 sends one task to 监测站 outside the year's plan (a complaint, a request),
    dispatched at once."""
    _require(by, sections.ECOLOGY, ONLY_ECOLOGY)
    today = today or timezone.localdate()
    errors = {}
    if kind not in TaskKind.values:
        errors["kind"] = "请选择任务类型。"
    if facility is None:
        errors["facility"] = "请选择排污单位。"
    elif facility.status == FacilityStatus.CLOSED:
        errors["facility"] = "该排污单位已关闭，不能派发监测任务。"
    if due_on is None or due_on < today:
        errors["due_on"] = "完成期限不能早于今天。"
    if errors:
        raise ValidationError(errors)
    task = _new_task(
        year=today.year,
        by=by,
        facility=facility,
        kind=kind,
        basis=Basis.ADDED,
        state=TaskState.DISPATCHED,
        due_on=due_on,
        dispatched_by=by,
        dispatched_on=today,
    )
    history.save_checked(task, by=by, reason=f"临时增派监测站{('：' + note.strip()) if note.strip() else ''}")
    add_todo(
        key=f"{DISPATCHED_TODO}{task.pk}",
        title=f"临时增派执法监测 {task.number}：{facility.name}（{task.get_kind_display()}）",
        url=task_url(task),
        due_on=due_on,
        section=bureau_services.section(sections.MONITORING),
    )
    return task


@transaction.atomic
def withdraw_task(*, by: User, task: MonitoringTask, reason: str) -> MonitoringTask:
    """撤回 a task not yet concluded, with the reason (the row stays, R-RET-1)."""
    _require(by, sections.ECOLOGY, ONLY_ECOLOGY)
    task = _locked(task)
    if task.state in (TaskState.CONCLUDED, TaskState.WITHDRAWN):
        raise Conflict(f"任务 {task.number} {task.get_state_display()}，不能撤回。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤回原因。"})
    task.state, task.withdrawn_reason = TaskState.WITHDRAWN, reason.strip()[:300]
    history.save(task, by=by, reason=f"撤回：{task.withdrawn_reason}")
    _close_todos(task, by=by)
    return task


def _close_todos(task: MonitoringTask, *, by) -> None:
    """A task no longer open leaves 监测站's and 生态科's lists; the plan's item goes once the last
    of its tasks is done."""
    complete_todo(key=f"{DISPATCHED_TODO}{task.pk}", by=by)
    complete_todo(key=f"{OVERDUE_TODO}{task.pk}", by=by)
    if (
        task.plan_id
        and not MonitoringTask.objects.filter(plan_id=task.plan_id, state__in=OPEN_STATES).exists()
    ):
        complete_todo(key=f"{DISPATCHED_TODO}plan:{task.plan_id}", by=by)


def acknowledge_result(*, by: User, task: MonitoringTask) -> bool:
    """生态科 has taken note of a task's conclusion (003 第三条: 接收反馈结果): the item leaves its
    to-do list. Returns whether there was one."""
    _require(by, sections.ECOLOGY, ONLY_ECOLOGY)
    if task.state != TaskState.CONCLUDED:
        raise Conflict(f"任务 {task.number} 尚未出具结论。")
    return complete_todo(key=f"{RESULT_TODO}{task.pk}", by=by)


# 监测站's work ------------------------------------------------------------------------------------------


def _require_open(task: MonitoringTask) -> None:
    if task.state not in OPEN_STATES:
        raise Conflict(f"任务 {task.number} {task.get_state_display()}，不能再修改。")


@transaction.atomic
def record_sampling(
    *,
    by: User,
    task: MonitoringTask,
    sampled_on: date,
    outlet: Outlet | None,
    staff: list[User],
    note: str = "",
    today: date | None = None,
) -> MonitoringTask:
    """登记采样 (R-MON-1): the date (not in the future, not before dispatch), the outlet (one of the
    facility's permits'), the staff (members of 监测站). May be corrected until results are entered."""
    _require(by, sections.MONITORING, ONLY_STATION)
    today = today or timezone.localdate()
    task = _locked(task)
    _require_open(task)
    errors = {}
    if sampled_on is None or sampled_on > today:
        errors["sampled_on"] = "采样日期不能晚于今天。"
    elif task.dispatched_on and sampled_on < task.dispatched_on:
        errors["sampled_on"] = f"采样日期不能早于任务下达日期 {task.dispatched_on}。"
    if outlet is None:
        errors["outlet"] = "请选择采样的排放口。"
    elif not Outlet.objects.filter(pk=outlet.pk, permit__facility_id=task.facility_id).exists():
        errors["outlet"] = "该排放口不属于本任务排污单位的许可证。"
    wrong = [
        u.display_name
        for u in staff
        if (s := staff_of(u)) is None or s.section.code != sections.MONITORING or not u.is_active
    ]
    if not staff:
        errors["staff"] = "请选择采样人员。"
    elif wrong:
        errors["staff"] = "采样人员须为环境监测站在岗人员：" + "、".join(wrong)
    if task.outlet_id and outlet is not None and outlet.pk != task.outlet_id and task.results.exists():
        errors["outlet"] = "已录入监测结果，不能更换排放口。"
    if errors:
        raise ValidationError(errors)
    task.sampled_on, task.outlet, task.sampling_note = sampled_on, outlet, note.strip()
    task.state = TaskState.SAMPLED
    history.save(task, by=by, reason=f"登记采样：{sampled_on} {outlet.code}")
    task.staff.set(staff)
    return task


@transaction.atomic
def _pollutant_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def record_result(
    *, by: User, task: MonitoringTask, pollutant: str, measured: Decimal, unit: str
) -> MonitoringResult:
    """录入 one pollutant's result. The permit's limit for that outlet and pollutant is looked up and
    kept on the result (a later change of the permit does not rewrite it) and compared by
    ``rules.compare``. A pollutant the permit sets no concentration for is recorded 无许可限值, not
    compared: it may still be an anomaly, which 监测站 says in its conclusion."""
    _require(by, sections.MONITORING, ONLY_STATION)
    task = _locked(task)
    _require_open(task)
    if task.state != TaskState.SAMPLED or task.outlet_id is None:
        raise ValidationError({"pollutant": "请先登记采样情况（日期、排放口、人员）。"})
    pollutant, unit = (pollutant or "").strip(), (unit or "").strip()
    errors = {}
    if not pollutant:
        errors["pollutant"] = "请填写污染物。"
    if not unit:
        errors["unit"] = "请填写浓度单位。"
    try:
        measured = Decimal(measured)
    except (InvalidOperation, TypeError, ValueError):
        errors["measured"] = "请填写监测浓度（数字）。"
    else:
        if measured < 0:
            errors["measured"] = "监测浓度不能为负数。"
    # The permit's name for the pollutant, however it was typed (全角/半角, case, spaces).
    limits = {
        _pollutant_key(row.pollutant): row for row in EmissionLimit.objects.filter(outlet_id=task.outlet_id)
    }
    limit = limits.get(_pollutant_key(pollutant))
    if limit is not None:
        pollutant = limit.pollutant
    if pollutant and task.results.filter(pollutant=pollutant).exists():
        errors["pollutant"] = f"已录入{pollutant}的结果。"
    if errors:
        raise ValidationError(errors)
    result = MonitoringResult(task=task, pollutant=pollutant, measured=measured, unit=unit, recorded_by=by)
    if limit is not None and limit.concentration is not None:
        comparison = rules.compare(measured, limit.concentration, unit, limit.unit)
        if comparison.error:
            raise ValidationError(
                {comparison.field if comparison.field != "limit" else "pollutant": comparison.error}
            )
        result.emission_limit, result.limit = limit, limit.concentration
        result.exceeded, result.times_over = comparison.exceeded, comparison.times_over
    verdict = (
        f"超标 {result.times_over} 倍"
        if result.exceeded and result.times_over is not None
        else "超标"
        if result.exceeded
        else NO_LIMIT
        if result.limit is None
        else "达标"
    )
    return history.save_checked(
        result, by=by, reason=f"录入监测结果：{pollutant} {measured} {unit}，{verdict}"
    )


@transaction.atomic
def conclude(
    *, by: User, task: MonitoringTask, conclusion: str, text: str = "", today: date | None = None
) -> MonitoringTask:
    """出具结论: 达标, 超标 or 存在异常 (``rules.conclusion_error``); the task is then locked. A result
    over the limit or an anomaly starts the lead to 执法大队 (``start_lead``, once), and 生态科, which
    follows the task, finds the result on its to-do list."""
    _require(by, sections.MONITORING, ONLY_STATION)
    today = today or timezone.localdate()
    task = _locked(task)
    _require_open(task)
    results = list(task.results.all())
    any_exceeded = any(r.exceeded for r in results)
    error = rules.conclusion_error(
        conclusion,
        kind=task.kind,
        sampled=task.sampled_on is not None,
        results=len(results),
        any_exceeded=any_exceeded,
        text=text,
    )
    if error:
        raise ValidationError({error[0]: error[1]})
    task.conclusion, task.conclusion_text = conclusion, text.strip()
    task.concluded_by, task.concluded_on, task.state = by, today, TaskState.CONCLUDED
    history.save(task, by=by, reason=f"出具结论：{Conclusion(conclusion).label}")
    if rules.needs_lead(conclusion, any_exceeded):
        task.linkage_task = start_lead(task=task, today=today, results=results)
    add_todo(
        key=f"{RESULT_TODO}{task.pk}",
        title=f"执法监测 {task.number} 已出具结论：{task.facility.name} {Conclusion(conclusion).label}",
        url=task_url(task),
        is_urgent=rules.needs_lead(conclusion, any_exceeded),
        section=bureau_services.section(sections.ECOLOGY),
    )
    _close_todos(task, by=by)
    return task


def lead_description(task: MonitoringTask, results: list[MonitoringResult]) -> str:
    """The lead's text, with the figures: pollutant, measured, limit, unit, times over, outlet, date."""
    facility = task.facility
    head = f"{facility.name}（{facility.source_code}）执法监测 {task.number}"
    if task.sampled_on and task.outlet_id:
        head += f"，{task.sampled_on:%Y-%m-%d} 于排放口 {task.outlet.code} 采样"
    lines = [head + "："]
    for r in results:
        if r.exceeded:
            times = f"，超标 {r.times_over} 倍" if r.times_over is not None else "，超标"
            lines.append(
                f"{r.pollutant} 监测浓度 {r.measured.normalize():f} {r.unit}，许可排放浓度 {r.limit.normalize():f} {r.unit}{times}；"
            )
    if task.conclusion == Conclusion.ANOMALY or task.conclusion_text:
        lines.append(f"监测站结论：{task.get_conclusion_display()}。{task.conclusion_text}")
    lines.append("请执法大队依法核查处理。")
    return "\n".join(lines)


def start_lead(
    *, task: MonitoringTask, today: date, results: list[MonitoringResult] | None = None
) -> LinkageTask:
    """The lead to 执法大队 (R-MON-1, R-LNK-1): a task started by the system on the monitoring side
    (initiator 生态科), naming this monitoring task as its source. One per monitoring task: the task
    row is locked by the caller and a task already started is returned."""
    task = _locked(task)
    if task.linkage_task_id:
        return task.linkage_task
    existing = LinkageTask.objects.filter(source_key=task.source_key).first()
    if existing is None:
        results = results if results is not None else list(task.results.all())
        existing = start_linkage_task(
            by=None,
            initiator=sections.ECOLOGY,
            receivers=[sections.ENFORCEMENT],
            description=lead_description(task, results),
            handler=None,
            head=None,
            started_on=today,
            facility=task.facility,
            source_kind=SourceKind.MONITORING_ANOMALY,
            source_key=task.source_key,
            source_url=task_url(task),
            source_label=f"执法监测 {task.number}（{task.facility.name}）",
        )
    task.linkage_task = existing
    history.save(task, by=None, reason=f"移交执法大队：三监联动任务 {existing.number}")
    return existing


# The daily job -----------------------------------------------------------------------------------------


def flag_overdue(*, today: date | None = None) -> int:
    """Daily: every dispatched task past its due date is on 生态科's to-do list (one item per task,
    refreshed, never duplicated); returns how many."""
    today = today or timezone.localdate()
    overdue = list(
        MonitoringTask.objects.filter(state__in=OPEN_STATES, due_on__lt=today)
        .order_by("due_on", "id")
        .values_list("pk", "number", "due_on", "facility__name")
    )
    if not overdue:
        return 0
    ecology = bureau_services.section(sections.ECOLOGY)
    url = url_maker("monitoring:task-detail")
    sync_todos(
        prefix=OVERDUE_TODO,
        items=[
            {
                "key": f"{OVERDUE_TODO}{pk}",
                "title": f"执法监测 {number} 已超期：{facility_name}（期限 {due_on}）",
                "url": url(pk),
                "due_on": due_on,
                "section": ecology,
            }
            for pk, number, due_on, facility_name in overdue
        ],
        close_missing=False,  # done when the result is recorded or the task withdrawn
    )
    return len(overdue)
