"""Celery tasks of inspections: thin, idempotent wrappers around the planning services."""

from datetime import date

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from inspections.services import planning


@shared_task(name="inspections.tasks.make_month_plan")
def make_month_plan(today: str | None = None) -> str:
    """Daily; acts on the month's first working day: see ``planning.run_monthly`` (R-INS-3, 002 十一)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    month_plan = planning.run_monthly(today=day)
    return str(month_plan) if month_plan else "not the first working day"


@shared_task(name="inspections.tasks.flag_plan_due")
def flag_plan_due(today: str | None = None) -> dict:
    """Daily: see ``planning.flag_due``."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return planning.flag_due(today=day)


@worker_ready.connect
def flag_plan_due_on_start(sender=None, **kwargs):
    """The 临期/逾期 flags and 执法大队's to-do lines do not wait for the first night after a start."""
    flag_plan_due.delay()
