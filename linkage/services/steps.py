"""Helpers every step of a linkage task shares (linkage.services.tasks, .confirmation, .paper_files):
lock the task, check a step's date and signatories, record the step and the history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from bureau import history
from bureau.models import Role, Section, Staff, User
from linkage.models import LinkageTask, TaskStep


def _check_signatories(section: Section, handler: User, head: User, prefix: str = "") -> None:
    errors = {}
    staff = {s.user_id: s for s in Staff.objects.filter(user__in=[handler, head]).select_related("section")}
    if handler is None or staff.get(handler.pk) is None or staff[handler.pk].section_id != section.pk:
        errors[f"{prefix}handler"] = f"经办人应为{section.short_name}的工作人员。"
    if head is None or staff.get(head.pk) is None or staff[head.pk].section_id != section.pk:
        errors[f"{prefix}head"] = f"负责人应为{section.short_name}的工作人员。"
    elif staff[head.pk].role != Role.HEAD:
        errors[f"{prefix}head"] = f"负责人应为{section.short_name}的负责人（科长）。"
    if errors:
        raise ValidationError(errors)


def _log(task, action, *, by, section, on, note="", assignment=None):
    TaskStep.objects.create(
        task=task, assignment=assignment, action=action, section=section, actor=by, on=on, note=note
    )


def _fresh(task: LinkageTask) -> LinkageTask:
    """The task as it is now in the database, its row locked until the step is committed: a page may
    have loaded it minutes ago, and two departments feeding back at the same moment must not both
    decide, each from its own snapshot, that the other has not fed back yet (the task would stay
    办理中 with every department 已反馈). Every step locks the task first, then its assignments, so
    steps on one task run one after the other and each reads what the previous one committed."""
    return LinkageTask.objects.select_for_update(of=("self",)).select_related("initiator").get(pk=task.pk)


def _check_step_date(task: LinkageTask, on: date, field: str) -> None:
    """A step happens on or after the task was started and never in the future, paper or not."""
    if on < task.started_on:
        raise ValidationError({field: f"日期不能早于任务发起日期 {task.started_on:%Y-%m-%d}。"})
    if on > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})


def _snapshot(obj, by, reason):
    # The conditional update that won the step bypassed save(): write the history row now.
    history.snapshot(obj, by=by, reason=reason)
