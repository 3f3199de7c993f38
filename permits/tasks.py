"""Celery tasks of the registry: thin, idempotent wrappers around services.

The worker discovers ``<app>.tasks`` only, so the import's tasks (``permits.imports.tasks``) are
imported here to be registered with it.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from permits.imports.tasks import apply_import_batch, parse_import_batch, sweep_stuck_imports
from permits.reports.services import due
from permits.services import expiry

__all__ = [
    "apply_import_batch",
    "check_permit_expiry",
    "check_reports_due",
    "parse_import_batch",
    "sweep_stuck_imports",
]


@shared_task(name="permits.tasks.check_permit_expiry")
def check_permit_expiry(today: str | None = None) -> dict:
    """Daily: see ``services.expiry.check_permit_expiry`` (R-PER-2)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return expiry.check_permit_expiry(today=day)


@shared_task(name="permits.tasks.check_reports_due")
def check_reports_due(today: str | None = None) -> dict:
    """Daily: see ``reports.services.due.check_reports_due`` (R-REP-1, R-REP-4)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return due.check_reports_due(today=day)
