"""Linkage tasks: start, receive and execute, feed back, close or return, archive (R-LNK-1…7).

Every step is a conditional update of the state it leaves (``UPDATE … WHERE state = old``): of two
people taking the same step at the same moment exactly one succeeds, the other gets ``Conflict``.
Every step is written to ``TaskStep`` with who and when; the task's history keeps the rest.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import access, bulk, calendar, history, sections
from bureau.access import section_code
from bureau.errors import Conflict
from bureau.models import Role, Section, User
from bureau.numbers import next_in_series, reserve_in_series
from bureau.todo import add_todo, sync_todos, url_maker
from linkage import rules
from linkage.models import (
    Assignment,
    LinkageTask,
    SourceKind,
    TaskState,
    TaskStep,
)
from linkage.services.confirmation import CONFIRM_TODO
from linkage.services.paper_files import _checked_attachments, _keep_attachment
from linkage.services.steps import _check_signatories, _check_step_date, _fresh, _log, _snapshot
from permits.services import expiry

DEFAULT_DEADLINE_WORKDAYS = 15


@dataclass(frozen=True)
class Signatories:
    """经办人 and 负责人 of a step, each a member of the acting department."""

    handler: User
    head: User


def initiator_of(user) -> str:
    """The department ``user`` starts tasks for, or PermissionDenied in Chinese (R-LNK-1). The page,
    the API and the services ask this one function."""
    code = section_code(user)
    if not rules.may_start(code):
        raise PermissionDenied(rules.NOT_AN_INITIATOR)
    return code


# The number series of linkage tasks (bureau.numbers); its name is stored data, keep it.
TASK_SERIES = "linkage-task"


def _next_number(year: int) -> tuple[int, str]:
    """The next number of ``year``, gap-free: the counter row is locked until the task is committed,
    and rolls back with it if the task is not."""
    sequence = next_in_series(TASK_SERIES, year)
    return sequence, rules.task_number(year, sequence)


@transaction.atomic
def start_linkage_task(
    *,
    by: User | None,
    initiator: str,
    receivers: list[str],
    description: str,
    handler: User | None,
    head: User | None,
    started_on: date,
    facility=None,
    remarks: str = "",
    deadline_workdays: int = DEFAULT_DEADLINE_WORKDAYS,
    source_kind: str = SourceKind.MANUAL,
    source_key: str = "",
    source_url: str = "",
    source_label: str = "",
    from_paper: bool = False,
    requested_by: str | None = None,
    attachments: list | None = None,
) -> LinkageTask:
    """Start a task from any source (R-LNK-1) and send it to its receiving departments (R-LNK-2).

    ``by`` is the person entering it; a person may start tasks only for their own department.
    ``by=None`` is the system starting a task from a lead: it is marked 系统发起 and carries no 经办人
    or 负责人 (nobody signed it) until the initiating section's head confirms it
    (``confirm_system_task``), which is put on that head's to-do list now.
    ``requested_by`` is the section at whose request 生态科 dispatches a monitoring task to 监测站
    (R-LNK-2, 003 第三条). The deadline counts working days from ``started_on`` (R-LNK-7, R-CAL-1).
    ``from_paper`` marks a slip done on paper and entered afterwards, with the paper's dates; its
    ``attachments`` (``[(kind, upload)]``: the scan of the slip, records of online contact) are
    checked by content and size, and one refused file refuses the whole entry (R-LNK-5).
    """
    system = by is None
    if not system and not by.is_superuser and section_code(by) != initiator:
        raise PermissionDenied("只能以本部门名义发起三监联动任务。")
    error = rules.start_error(initiator, list(receivers)) or rules.request_error(
        initiator, list(receivers), requested_by
    )
    if error:
        raise ValidationError({"receivers": error})
    if system and (handler is not None or head is not None):
        # A system job cannot sign for anybody (R-LNK-1): the head signs on confirming.
        raise ValueError("系统发起的任务不能预填经办人或负责人。")
    errors = _task_errors(description, deadline_workdays, source_kind, started_on)
    checked = _checked_attachments(attachments or [], errors)
    if errors:
        raise ValidationError(errors)
    codes = [initiator, *receivers, *([requested_by] if requested_by else [])]
    by_code = {s.code: s for s in Section.objects.filter(code__in=codes)}
    if not system:
        _check_signatories(by_code[initiator], handler, head)
    deadline = calendar.deadline(started_on, deadline_workdays)
    sequence, number = _next_number(started_on.year)
    task = LinkageTask(
        number=number,
        year=started_on.year,
        sequence=sequence,
        initiator=by_code[initiator],
        facility=facility,
        description=description.strip(),
        handler=handler,
        head=head,
        started_on=started_on,
        remarks=remarks,
        source_kind=source_kind,
        source_key=source_key,
        source_url=source_url,
        source_label=source_label,
        deadline_workdays=deadline_workdays,
        deadline_on=deadline.on,
        deadline_provisional=deadline.is_provisional,
        from_paper=from_paper,
        started_by_system=system,
        requested_by=by_code[requested_by] if requested_by else None,
    )
    history.record(task, by=by, reason="系统发起" if system else "")
    task.save()
    for code in receivers:
        assignment = Assignment(task=task, section=by_code[code])
        history.record(assignment, by=by)
        assignment.save()
    for kind, upload, content_type in checked:
        _keep_attachment(task, kind, upload, content_type, by=by)
    notes = ["据纸质转办单补录" if from_paper else "", "系统发起" if system else ""]
    if requested_by:
        notes.append(f"应{by_code[requested_by].short_name}要求，由{by_code[initiator].short_name}派发")
    _log(
        task, "start", by=by, section=by_code[initiator], on=started_on, note="；".join(n for n in notes if n)
    )
    if system:
        add_todo(**_confirm_item(task, reverse("linkage:task-detail", args=[task.pk])))
    return task


def _task_errors(description: str, deadline_workdays: int, source_kind: str, started_on: date) -> dict:
    """What is wrong with a new task's own fields, by field, in Chinese (empty when nothing is)."""
    errors = {}
    if not description.strip():
        errors["description"] = "请填写问题描述。"
    if not 1 <= deadline_workdays <= 250:
        errors["deadline_workdays"] = "办理时限应为 1–250 个工作日。"
    if source_kind not in SourceKind.values:
        errors["source_kind"] = "未知的任务来源。"
    if started_on > timezone.localdate():
        errors["started_on"] = "发起日期不能晚于今天。"
    return errors


def _confirm_item(task: LinkageTask, url: str) -> dict:
    """The initiating section's head's to-do item for a task the system started (``add_todo``'s
    arguments): confirm it (R-LNK-1)."""
    return {
        "key": f"{CONFIRM_TODO}{task.pk}",
        "title": f"系统发起的三监联动任务 {task.number}（{task.source_label or task.get_source_kind_display()}）待负责人确认",
        "url": url,
        "due_on": task.started_on,
        "section": task.initiator,
        "role": Role.HEAD,
    }


@dataclass(frozen=True)
class LeadTask:
    """What one task the system starts from a lead says (``start_system_tasks``)."""

    facility_id: int | None
    description: str
    source_kind: str
    source_key: str
    source_url: str
    source_label: str


@transaction.atomic
def start_system_tasks(
    *,
    initiator: str,
    receivers: list[str],
    started_on: date,
    leads: list[LeadTask],
) -> list[LinkageTask]:
    """``start_linkage_task(by=None, …)`` for many leads at once, in a number of queries that does not
    grow with the leads (issue 15: a bureau's first daily run can hand over tens of thousands of
    missing-report leads): the same checks, numbers reserved in one go in the leads' order, and the
    tasks, their assignments, steps, history rows and the head's to-do items written in bulk. One
    lead refused refuses them all, and nothing is written (ValidationError in Chinese)."""
    error = rules.start_error(initiator, list(receivers))
    if error:
        raise ValidationError({"receivers": error})
    for lead in leads:
        if errors := _task_errors(lead.description, DEFAULT_DEADLINE_WORKDAYS, lead.source_kind, started_on):
            raise ValidationError(errors)
    if not leads:
        return []
    by_code = {s.code: s for s in Section.objects.filter(code__in=[initiator, *receivers])}
    deadline = calendar.deadline(started_on, DEFAULT_DEADLINE_WORKDAYS)
    first = reserve_in_series(TASK_SERIES, started_on.year, len(leads))
    tasks = [
        LinkageTask(
            number=rules.task_number(started_on.year, first + n),
            year=started_on.year,
            sequence=first + n,
            initiator=by_code[initiator],
            facility_id=lead.facility_id,
            description=lead.description.strip(),
            started_on=started_on,
            source_kind=lead.source_kind,
            source_key=lead.source_key,
            source_url=lead.source_url,
            source_label=lead.source_label,
            deadline_workdays=DEFAULT_DEADLINE_WORKDAYS,
            deadline_on=deadline.on,
            deadline_provisional=deadline.is_provisional,
            started_by_system=True,
        )
        for n, lead in enumerate(leads)
    ]
    history.bulk_create(tasks, LinkageTask, by=None, reason="系统发起")
    history.bulk_create(
        [Assignment(task=task, section=by_code[code]) for task in tasks for code in receivers],
        Assignment,
        by=None,
        reason="",
    )
    bulk.create(
        TaskStep,
        [
            TaskStep(task=task, action="start", section=by_code[initiator], on=started_on, note="系统发起")
            for task in tasks
        ],
    )
    detail_url = url_maker("linkage:task-detail")
    sync_todos(
        prefix=CONFIRM_TODO,
        items=[_confirm_item(task, detail_url(task.pk)) for task in tasks],
        close_missing=False,
    )
    return tasks


def _assignments(task: LinkageTask) -> dict[str, Assignment]:
    return {a.section.code: a for a in task.assignments.select_related("section")}


def _check(action: str, by: User, task: LinkageTask, assignments: dict[str, Assignment]) -> str:
    actor = section_code(by)
    error = rules.step_error(
        action,
        actor=actor,
        initiator=task.initiator.code,
        task_state=task.state,
        assignments={code: a.state for code, a in assignments.items()},
        awaiting_confirmation=task.started_by_system and task.head_id is None,
    )
    if error is None:
        return actor
    raise PermissionDenied(error.message) if error.kind == "forbidden" else Conflict(error.message)


def _move_assignment(assignment: Assignment, old: str, new: str, **fields) -> None:
    updated = Assignment.objects.filter(pk=assignment.pk, state=old).update(state=new, **fields)
    if not updated:
        raise Conflict("该步骤刚刚已由他人办理，请刷新后查看。")
    for name, value in {"state": new, **fields}.items():
        setattr(assignment, name, value)


def _move_task(task: LinkageTask, old: str, new: str, **fields) -> None:
    updated = LinkageTask.objects.filter(pk=task.pk, state=old).update(state=new, **fields)
    if not updated:
        raise Conflict("该任务刚刚已由他人办理，请刷新后查看。")
    for name, value in {"state": new, **fields}.items():
        setattr(task, name, value)


def _record_receipt(task, assignment, *, by, execution, handler, head, on, remarks, note, reason) -> None:
    """Move one assignment to received with its 接收与执行 row, keep the step and the history."""
    _move_assignment(
        assignment,
        rules.PENDING,
        rules.RECEIVED,
        received_on=on,
        execution=execution.strip(),
        execution_handler=handler,
        execution_head=head,
        executed_on=on,
        execution_remarks=remarks,
    )
    _snapshot(assignment, by, reason)
    _log(task, rules.RECEIVE, by=by, section=assignment.section, on=on, note=note, assignment=assignment)


def _record_feedback(task, assignment, assignments, *, by, result, handler, head, on, remarks, note, reason):
    """Move one assignment to fed back with its 任务反馈 row; when it was the last one, the task waits
    for the initiator to close it (R-LNK-3)."""
    _move_assignment(
        assignment,
        rules.RECEIVED,
        rules.FED_BACK,
        feedback=result.strip(),
        feedback_handler=handler,
        feedback_head=head,
        fed_back_on=on,
        feedback_remarks=remarks,
    )
    _snapshot(assignment, by, reason)
    _log(task, rules.FEEDBACK, by=by, section=assignment.section, on=on, note=note, assignment=assignment)
    after = {code: a.state for code, a in assignments.items()}
    new_state = rules.task_state_after(rules.FEEDBACK, task.state, after)
    if new_state != task.state:
        _move_task(task, task.state, new_state)
        _snapshot(task, by, "各部门均已反馈")


@transaction.atomic
def receive_task(
    *,
    by: User,
    task: LinkageTask,
    execution: str,
    handler: User,
    head: User,
    executed_on: date,
    remarks: str = "",
) -> Assignment:
    """The receiving department records receipt and execution (R-LNK-2, 附件5 任务接收与执行)."""
    task = _fresh(task)
    _check_step_date(task, executed_on, "executed_on")
    assignments = _assignments(task)
    actor = _check(rules.RECEIVE, by, task, assignments)
    assignment = assignments[actor]
    if not execution.strip():
        raise ValidationError({"execution": "请填写接收与执行情况。"})
    _check_signatories(assignment.section, handler, head)
    _record_receipt(
        task,
        assignment,
        by=by,
        execution=execution,
        handler=handler,
        head=head,
        on=executed_on,
        remarks=remarks,
        note=execution.strip(),
        reason="接收与执行",
    )
    return assignment


@transaction.atomic
def feed_back_task(
    *,
    by: User,
    task: LinkageTask,
    result: str,
    handler: User,
    head: User,
    fed_back_on: date,
    remarks: str = "",
) -> Assignment:
    """The receiving department feeds its result back to the initiator (R-LNK-3). When the last one
    has, the task waits for the initiator to close it."""
    task = _fresh(task)
    _check_step_date(task, fed_back_on, "fed_back_on")
    assignments = _assignments(task)
    actor = _check(rules.FEEDBACK, by, task, assignments)
    assignment = assignments[actor]
    if not result.strip():
        raise ValidationError({"result": "请填写结果反馈。"})
    _check_signatories(assignment.section, handler, head)
    _record_feedback(
        task,
        assignment,
        assignments,
        by=by,
        result=result,
        handler=handler,
        head=head,
        on=fed_back_on,
        remarks=remarks,
        note=result.strip(),
        reason="结果反馈",
    )
    return assignment


PAPER_NOTE = "据纸质转办单补录（录入人：{name}）"


def _paper_row_errors(
    assignment: Assignment,
    *,
    execution: str,
    execution_handler,
    execution_head,
    executed_on,
    feedback: str,
    feedback_handler,
    feedback_head,
    fed_back_on,
    feedback_remarks: str,
) -> dict:
    """What is missing or inconsistent in a paper row, field by field. A row not yet received needs
    its 接收与执行 half; a received one (its first half entered already) only the 任务反馈 half."""
    errors = {}
    pending = assignment.state == rules.PENDING
    if pending:
        if not execution.strip():
            errors["execution"] = "请按纸质转办单填写接收与执行情况。"
        if executed_on is None:
            errors["executed_on"] = "请填写纸质转办单上接收与执行的日期。"
    elif execution.strip() or execution_handler or execution_head or executed_on:
        errors["execution"] = f"{assignment.section.short_name}的接收与执行已录入，本次只能补录结果反馈。"
    gave_feedback = bool(feedback.strip())
    if gave_feedback and fed_back_on is None:
        errors["fed_back_on"] = "请填写纸质转办单上结果反馈的日期。"
    if not gave_feedback and (feedback_handler or feedback_head or fed_back_on or feedback_remarks.strip()):
        errors["feedback"] = "请填写结果反馈，或清空反馈的经办人、负责人、日期和备注。"
    if not pending and not gave_feedback:
        errors["feedback"] = "请按纸质转办单填写结果反馈。"
    return errors


@transaction.atomic
def enter_paper_rows(
    *,
    by: User,
    task: LinkageTask,
    section_code: str,
    execution: str,
    execution_handler: User | None,
    execution_head: User | None,
    executed_on: date | None,
    execution_remarks: str = "",
    feedback: str = "",
    feedback_handler: User | None = None,
    feedback_head: User | None = None,
    fed_back_on: date | None = None,
    feedback_remarks: str = "",
) -> Assignment:
    """Enter afterwards one receiving department's rows of a slip done on paper (R-LNK-5, 附件5):
    任务接收与执行 and, when the paper has it, 任务反馈, with the paper's dates.

    The slip went round and was signed on paper, so one person may enter it all: someone of the
    initiating department, of 审批科 (who archives the slips, 附件5 说明（4）) or of the receiving
    department itself (``rules.paper_entry_error``). The 经办人 and 负责人 are those who signed the
    paper: staff of the receiving department. The steps name the person entering as actor and the
    receiving department as section, and say they were entered from paper and by whom.
    """
    task = _fresh(task)
    actor = access.section_code(by)
    error = rules.paper_entry_error(actor, task.initiator.code, section_code, task.from_paper)
    if error is not None:
        raise PermissionDenied(error.message) if error.kind == "forbidden" else Conflict(error.message)
    assignments = _assignments(task)
    assignment = assignments.get(section_code)
    if assignment is None:
        name = sections.SHORT_NAMES.get(section_code)
        raise ValidationError({"section": f"本任务未发给{name}。" if name else "请选择接收部门。"})
    short = assignment.section.short_name
    if task.state != TaskState.OPEN:
        state = rules.TASK_STATE_LABELS[task.state]
        raise Conflict(f"任务{state}，不能再补录{short}的接收与执行、结果反馈。")
    if assignment.state == rules.FED_BACK:
        raise Conflict(f"{short}的接收与执行、结果反馈均已录入。")
    errors = _paper_row_errors(
        assignment,
        execution=execution,
        execution_handler=execution_handler,
        execution_head=execution_head,
        executed_on=executed_on,
        feedback=feedback,
        feedback_handler=feedback_handler,
        feedback_head=feedback_head,
        fed_back_on=fed_back_on,
        feedback_remarks=feedback_remarks,
    )
    if errors:
        raise ValidationError(errors)
    receiving = assignment.state == rules.PENDING
    if receiving:
        _check_step_date(task, executed_on, "executed_on")
        _check_signatories(assignment.section, execution_handler, execution_head, "execution_")
        after_receipt = executed_on
    else:
        after_receipt = assignment.executed_on
    giving_feedback = bool(feedback.strip())
    if giving_feedback:
        _check_step_date(task, fed_back_on, "fed_back_on")
        if after_receipt and fed_back_on < after_receipt:
            raise ValidationError(
                {"fed_back_on": f"结果反馈日期不能早于接收与执行日期 {after_receipt:%Y-%m-%d}。"}
            )
        _check_signatories(assignment.section, feedback_handler, feedback_head, "feedback_")
    note = PAPER_NOTE.format(name=by.display_name)
    if receiving:
        _record_receipt(
            task,
            assignment,
            by=by,
            execution=execution,
            handler=execution_handler,
            head=execution_head,
            on=executed_on,
            remarks=execution_remarks,
            note=note,
            reason=f"接收与执行（{note}）",
        )
    if giving_feedback:
        _record_feedback(
            task,
            assignment,
            assignments,
            by=by,
            result=feedback,
            handler=feedback_handler,
            head=feedback_head,
            on=fed_back_on,
            remarks=feedback_remarks,
            note=note,
            reason=f"结果反馈（{note}）",
        )
    return assignment


@transaction.atomic
def close_task(*, by: User, task: LinkageTask, closed_on: date, note: str = "") -> LinkageTask:
    """问题销号 by the initiator once every department has fed back (R-LNK-6). ``closed_on`` may be
    a past day: a slip done on paper is closed with the paper's date (R-LNK-5)."""
    task = _fresh(task)
    _check_step_date(task, closed_on, "closed_on")
    assignments = _assignments(task)
    _check(rules.CLOSE, by, task, assignments)
    last = max((a.fed_back_on for a in assignments.values() if a.fed_back_on), default=None)
    if last and closed_on < last:
        # A slip entered from paper keeps the paper's 销号 date, which comes after its feedback.
        raise ValidationError({"closed_on": f"销号日期不能早于最后一次结果反馈的日期 {last:%Y-%m-%d}。"})
    _move_task(task, TaskState.AWAITING_CLOSE, TaskState.CLOSED, closed_on=closed_on, closed_by=by)
    _snapshot(task, by, "问题销号")
    _log(task, rules.CLOSE, by=by, section=task.initiator, on=closed_on, note=note)
    if task.source_key.startswith(expiry.LEAD_KEY_PREFIX):
        # The loop is closed (R-LNK-6): the lead the task came from is closed with it.
        expiry.close_lead_with_task(
            lead_pk=int(task.source_key.removeprefix(expiry.LEAD_KEY_PREFIX)),
            on=closed_on,
            task_number=task.number,
            by=by,
        )
    return task


@transaction.atomic
def return_task(*, by: User, task: LinkageTask, reason: str, returned_on: date) -> LinkageTask:
    """The initiator returns the task with a reason: every department feeds back again."""
    task = _fresh(task)
    _check_step_date(task, returned_on, "returned_on")
    assignments = _assignments(task)
    _check(rules.RETURN, by, task, assignments)
    if not reason.strip():
        raise ValidationError({"reason": "退回时请说明理由。"})
    _move_task(task, TaskState.AWAITING_CLOSE, TaskState.OPEN)
    for assignment in assignments.values():
        _move_assignment(assignment, rules.FED_BACK, rules.RECEIVED)
        _snapshot(assignment, by, f"退回：{reason.strip()}")
    _snapshot(task, by, f"退回：{reason.strip()}")
    _log(task, rules.RETURN, by=by, section=task.initiator, on=returned_on, note=reason.strip())
    return task


@transaction.atomic
def archive_task(*, by: User, task: LinkageTask, archived_on: date) -> LinkageTask:
    """归档整理 of a closed task by 审批科 (R-LNK-4)."""
    task = _fresh(task)
    _check_step_date(task, archived_on, "archived_on")
    _check(rules.ARCHIVE, by, task, _assignments(task))
    _move_task(task, TaskState.CLOSED, TaskState.ARCHIVED, archived_on=archived_on, archived_by=by)
    _snapshot(task, by, "归档整理")
    _log(task, rules.ARCHIVE, by=by, section=by.staff.section, on=archived_on)
    return task
