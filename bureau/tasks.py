"""Celery tasks of the platform: thin, idempotent wrappers around services."""

from datetime import date

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from bureau import services


@shared_task(name="bureau.tasks.check_calendar_coverage")
def check_calendar_coverage(today: str | None = None) -> dict:
    """Daily and when the worker starts: see ``services.check_calendar_coverage`` (R-CAL-1)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return {str(year): state for year, state in services.check_calendar_coverage(today=day).items()}


@worker_ready.connect
def check_calendar_on_start(sender=None, **kwargs):
    """The reminder to confirm next year's calendar does not wait for the first night after a start."""
    check_calendar_coverage.delay()


@shared_task(name="bureau.tasks.build_document", acks_late=True)
def build_document(job_id: str) -> str:
    """A document asked for in the background (``bureau.documents.jobs.run``); safe to run twice."""
    from bureau.documents import jobs

    return jobs.run(job_id)


@shared_task(name="bureau.tasks.remove_expired_document_files")
def remove_expired_document_files() -> int:
    """Nightly: the files of documents older than ``DOCUMENT_KEEP_DAYS`` go, their rows stay
    (``bureau.documents.cleanup``); safe to run twice."""
    from bureau.documents import cleanup

    return cleanup.remove_expired_document_files()
