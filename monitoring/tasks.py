"""Celery tasks of monitoring: thin, idempotent wrappers around the services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from monitoring import services


@shared_task(name="monitoring.tasks.flag_overdue")
def flag_overdue(today: str | None = None) -> int:
    """Daily: see ``services.flag_overdue``."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.flag_overdue(today=day)
