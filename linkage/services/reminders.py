"""Daily overdue reminders for linkage tasks (R-LNK-6, R-LNK-7): the head of each department that
still owes a step on an overdue task gets one to-do item per task, refreshed daily, never doubled."""

from datetime import date

from django.db import transaction
from django.urls import reverse

from bureau.models import Role, TodoItem
from bureau.todo import add_todo, complete_todo
from linkage import rules
from linkage.models import AssignmentState, LinkageTask, TaskState


@transaction.atomic
def remind_overdue_tasks(*, today: date) -> int:
    """Put every overdue step on its department head's list; clear items of steps since taken.
    Returns the number of open reminders."""
    wanted = set()
    active = (
        LinkageTask.objects.filter(state__in=[TaskState.OPEN, TaskState.AWAITING_CLOSE])
        .select_related("initiator")
        .prefetch_related("assignments__section")
    )
    for task in active:
        if not rules.is_overdue(task.deadline_on, today, task.state):
            continue
        if task.state == TaskState.AWAITING_CLOSE:
            owing = [task.initiator]
        else:
            owing = [a.section for a in task.assignments.all() if a.state != AssignmentState.FED_BACK]
        for section in owing:
            key = f"linkage-overdue:{task.pk}:{section.code}"
            wanted.add(key)
            add_todo(
                key=key,
                title=f"三监联动任务 {task.number} 已逾期（期限 {task.deadline_on:%Y-%m-%d}），请督促办理",
                url=reverse("linkage:task-detail", args=[task.pk]),
                due_on=task.deadline_on,
                is_urgent=True,
                section=section,
                role=Role.HEAD,
            )
    stale = TodoItem.objects.filter(key__startswith="linkage-overdue:", done_at__isnull=True).exclude(
        key__in=wanted
    )
    for key in stale.values_list("key", flat=True):
        complete_todo(key=key)
    return len(wanted)
