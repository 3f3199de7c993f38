"""Celery tasks of 三监联动: thin, idempotent wrappers around services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from linkage.services import leads, reminders


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="linkage.tasks.remind_overdue_tasks")
def remind_overdue_tasks(today: str | None = None) -> int:
    """Daily: see ``services.reminders.remind_overdue_tasks`` (R-LNK-6)."""
    return reminders.remind_overdue_tasks(today=_day(today))


@shared_task(name="linkage.tasks.hand_over_open_leads")
def hand_over_open_leads(today: str | None = None) -> list[str]:
    """Daily: see ``services.leads.hand_over_open_leads`` (R-PER-2 → R-LNK-1)."""
    return leads.hand_over_open_leads(today=_day(today))
