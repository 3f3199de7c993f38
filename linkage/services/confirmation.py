"""Confirmation of a task the system started from a lead by the initiating section's head (R-LNK-1)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from bureau import access
from bureau.errors import Conflict
from bureau.models import Role, User
from bureau.todo import complete_todo
from linkage import rules
from linkage.models import LinkageTask, TaskState
from linkage.services.steps import _check_signatories, _check_step_date, _fresh, _log, _snapshot

# The key prefix of the head's to-do item (bureau.todo); stored data, keep it.
CONFIRM_TODO = "linkage-confirm:"


@transaction.atomic
def confirm_system_task(*, by: User, task: LinkageTask, handler: User, confirmed_on: date) -> LinkageTask:
    """The initiating section's head confirms a task the system started from a lead (R-LNK-1): only
    now does the task carry a 负责人 (the head who confirmed) and a 经办人 (whom the head names).
    The head's to-do item is done. Only a head of the initiating section may confirm, once, and
    only while the task is not yet 销号 or 归档 (which wait for this confirmation)."""
    task = _fresh(task)
    staff = access.staff_of(by)
    if staff is None or staff.section_id != task.initiator_id or staff.role != Role.HEAD:
        raise PermissionDenied(f"只有{task.initiator.short_name}的负责人（科长）可以确认系统发起的任务。")
    if not task.started_by_system:
        raise Conflict("本任务由工作人员发起，已有经办人和负责人签字，无需确认。")
    if task.state in (TaskState.CLOSED, TaskState.ARCHIVED):
        raise Conflict(f"任务{task.get_state_display()}，不能再确认。")
    if task.head_id is not None:
        raise Conflict(f"本任务已于 {task.head_confirmed_on:%Y-%m-%d} 由负责人确认。")
    _check_step_date(task, confirmed_on, "confirmed_on")
    _check_signatories(task.initiator, handler, by)
    updated = LinkageTask.objects.filter(pk=task.pk, head__isnull=True).update(
        head=by, handler=handler, head_confirmed_on=confirmed_on
    )
    if not updated:
        raise Conflict("该任务刚刚已由他人确认，请刷新后查看。")
    _snapshot(task, by, "负责人确认系统发起的任务")
    _log(
        task,
        rules.CONFIRM,
        by=by,
        section=task.initiator,
        on=confirmed_on,
        note=f"经办人：{handler.display_name}",
    )
    complete_todo(key=f"{CONFIRM_TODO}{task.pk}", by=by)
    return task
