"""Celery tasks of the platform: thin, idempotent wrappers around services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from bureau import services


@shared_task(name="bureau.tasks.check_calendar_coverage")
def check_calendar_coverage(today: str | None = None) -> dict:
    """Daily: see ``services.check_calendar_coverage`` (R-CAL-1)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return {str(year): state for year, state in services.check_calendar_coverage(today=day).items()}
