"""Celery tasks of the reports: thin, idempotent wrappers around the services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from reports import summary


@shared_task(name="reports.tasks.prepare_monthly_summary")
def prepare_monthly_summary(today: str | None = None) -> str:
    """Daily: from the first working day of the month, prepares last month's summary once (R-SUM-1);
    a month that has a summary, prepared by the job or by hand, is left as it is."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    prepared = summary.prepare_last_month(today=day)
    return f"{prepared.period_label}: prepared" if prepared else "nothing to prepare"
