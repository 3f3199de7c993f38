"""Daily overdue reminders for linkage tasks (R-LNK-6, R-LNK-7): the head of each department that
still owes a step on an overdue task gets one to-do item per task, refreshed daily, never doubled;
where 监测站 owes it, 生态科's head too, since 生态科 follows 监测站's tasks (R-LNK-2).

What is owed is read in SQL (an active task past its stored ``deadline_on``: ``rules.is_overdue``;
who owes it: ``rules.owing``), and the items are written with ``bureau.todo.sync_todos``: a fixed
number of queries however many tasks there are, and nothing written on a day nothing changed."""

from datetime import date

from django.db import transaction

from bureau.models import Role, Section
from bureau.todo import sync_todos, url_maker
from linkage import rules
from linkage.models import Assignment, LinkageTask

PREFIX = "linkage-overdue:"


def _owed_steps(today: date) -> list[tuple[int, str, date, int, str]]:
    """(task id, number, deadline, section id, section code) of every step owed on an overdue task, in
    two queries: the initiator of a task awaiting its close, the receivers of an open task that have
    not fed back (``rules.owing``)."""
    overdue = {"state__in": rules.ACTIVE, "deadline_on__lt": today}
    closing = LinkageTask.objects.filter(**{**overdue, "state__in": [rules.AWAITING_CLOSE]}).values_list(
        "pk", "number", "deadline_on", "initiator_id", "initiator__code"
    )
    receiving = (
        Assignment.objects.filter(
            **{f"task__{name}": value for name, value in {**overdue, "state__in": [rules.OPEN]}.items()}
        )
        .exclude(state=rules.FED_BACK)
        .values_list("task_id", "task__number", "task__deadline_on", "section_id", "section__code")
    )
    return sorted([*closing.order_by(), *receiving.order_by()])


@transaction.atomic
def remind_overdue_tasks(*, today: date) -> int:
    """Put every overdue step on its department head's list; clear items of steps since taken.
    Returns the number of open reminders."""
    lead = Section.objects.get(code=rules.MONITORING_LEAD)
    items = []
    task_url = url_maker("linkage:task-detail")
    for task_id, number, deadline_on, section_id, code in _owed_steps(today):
        common = {"url": task_url(task_id), "due_on": deadline_on, "is_urgent": True, "role": Role.HEAD}
        items.append(
            {
                "key": f"{PREFIX}{task_id}:{code}",
                "title": f"三监联动任务 {number} 已逾期（期限 {deadline_on:%Y-%m-%d}），请督促办理",
                "section_id": section_id,
                **common,
            }
        )
        if code == rules.MONITORING_STATION:
            # 生态科 follows 监测站's steps (R-LNK-2, 003 第三条): its head is reminded too.
            items.append(
                {
                    "key": f"{PREFIX}{task_id}:{code}:{rules.MONITORING_LEAD}",
                    "title": f"三监联动任务 {number} 环境监测站办理已逾期（期限 {deadline_on:%Y-%m-%d}），请跟踪督促",
                    "section_id": lead.pk,
                    **common,
                }
            )
    sync_todos(prefix=PREFIX, items=items)
    return len(items)
