"""Celery tasks of the platform: thin, idempotent wrappers around services."""

from datetime import date

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
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


@shared_task(
    name="bureau.tasks.build_document",
    bind=True,
    acks_late=True,
    max_retries=None,
    soft_time_limit=settings.DOCUMENT_TIME_LIMIT_MINUTES * 60 - 60,
    time_limit=settings.DOCUMENT_TIME_LIMIT_MINUTES * 60,
)
def build_document(self, job_id: str) -> str:
    """A document asked for in the background (``bureau.documents.jobs.run``); safe to run twice. A run
    while another live run holds the job retries after ``JOB_STALE_SECONDS``."""
    from bureau.background import BUSY
    from bureau.documents import jobs

    outcome = jobs.run(job_id)
    if outcome == BUSY and self.request.id:
        raise self.retry(countdown=settings.JOB_STALE_SECONDS)
    return outcome


@shared_task(name="bureau.tasks.sweep_stuck_document_jobs")
def sweep_stuck_document_jobs() -> dict:
    """Every 2 minutes: queue again, or fail visibly, a document whose worker died
    (``bureau.documents.jobs.sweep_stuck_jobs``)."""
    from bureau.documents import jobs

    return jobs.sweep_stuck_jobs()


@shared_task(name="bureau.tasks.remove_expired_document_files")
def remove_expired_document_files() -> int:
    """Nightly: the files of documents older than ``DOCUMENT_KEEP_DAYS`` go, their rows stay
    (``bureau.documents.cleanup``); safe to run twice."""
    from bureau.documents import cleanup

    return cleanup.remove_expired_document_files()
