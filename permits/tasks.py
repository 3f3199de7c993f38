"""Celery tasks of the registry: thin, idempotent wrappers around services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from permits.services import expiry


@shared_task(name="permits.tasks.check_permit_expiry")
def check_permit_expiry(today: str | None = None) -> dict:
    """Daily: see ``services.expiry.check_permit_expiry`` (R-PER-2)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return expiry.check_permit_expiry(today=day)


# The import tasks live beside the import services; importing them here registers them in the worker.
from permits.import_tasks import apply_import_batch, parse_import_batch  # noqa: E402,F401
