"""Daily overdue reminders for linkage tasks (R-LNK-6, R-LNK-7): the head of each department that
still owes a step on an overdue task gets one to-do item per task, refreshed daily, never doubled;
where 监测站 owes it, 生态科's head too, since 生态科 follows 监测站's tasks (R-LNK-2)."""

from datetime import date

from django.db import transaction
from django.urls import reverse

from bureau.models import Role, Section
from bureau.todo import add_todo, complete_todo, open_keys
from linkage import rules
from linkage.models import LinkageTask


@transaction.atomic
def remind_overdue_tasks(*, today: date) -> int:
    """Put every overdue step on its department head's list; clear items of steps since taken.
    Returns the number of open reminders."""
    wanted = set()
    sections = {s.code: s for s in Section.objects.filter(code=rules.MONITORING_LEAD)}
    active = (
        LinkageTask.objects.filter(state__in=rules.ACTIVE)
        .select_related("initiator")
        .prefetch_related("assignments__section")
    )
    for task in active:
        if not rules.is_overdue(task.deadline_on, today, task.state):
            continue
        by_code = {task.initiator.code: task.initiator} | {
            a.section.code: a.section for a in task.assignments.all()
        }
        states = {a.section.code: a.state for a in task.assignments.all()}
        for code in rules.owing(task.state, task.initiator.code, states):
            key = f"linkage-overdue:{task.pk}:{code}"
            wanted.add(key)
            _remind(
                key,
                task,
                by_code[code],
                f"三监联动任务 {task.number} 已逾期（期限 {task.deadline_on:%Y-%m-%d}），请督促办理",
            )
            if code == rules.MONITORING_STATION:
                # 生态科 follows 监测站's steps (R-LNK-2, 003 第三条): its head is reminded too.
                key = f"linkage-overdue:{task.pk}:{code}:{rules.MONITORING_LEAD}"
                wanted.add(key)
                _remind(
                    key,
                    task,
                    sections[rules.MONITORING_LEAD],
                    f"三监联动任务 {task.number} 环境监测站办理已逾期（期限 {task.deadline_on:%Y-%m-%d}），请跟踪督促",
                )
    for key in sorted(open_keys("linkage-overdue:") - wanted):
        complete_todo(key=key)
    return len(wanted)


def _remind(key: str, task: LinkageTask, section, title: str) -> None:
    add_todo(
        key=key,
        title=title,
        url=reverse("linkage:task-detail", args=[task.pk]),
        due_on=task.deadline_on,
        is_urgent=True,
        section=section,
        role=Role.HEAD,
    )
