"""Celery tasks of the facility import: thin wrappers around ``permits.imports.services``, taking a
batch id.

Both are safe to run twice (README “后台任务的可靠性”): each first claims the batch in the state it
expects (解析中 for parsing, 导入中 for applying; ``services.claim``), so a message delivered again
after its worker died runs once more, a duplicate does nothing, and a run while another live run holds
the batch retries after ``JOB_STALE_SECONDS``. The apply step is one transaction: a worker killed
mid-apply writes nothing, and the next run writes the batch once. Both have a soft and a hard time
limit (``IMPORT_TIME_LIMIT_MINUTES``). Their registered names are fixed (they predate this module's
path), so messages already queued still resolve. ``permits.tasks`` imports this module so that the
worker, which discovers ``<app>.tasks``, registers them. The views queue them by passing ``.delay`` to
the services.
"""

from celery import shared_task
from django.conf import settings

from bureau.background import BUSY
from permits.imports import apply, services

HARD_LIMIT = settings.IMPORT_TIME_LIMIT_MINUTES * 60
LIMITS = {"soft_time_limit": HARD_LIMIT - 60, "time_limit": HARD_LIMIT}


@shared_task(name="permits.imports.parse_batch", bind=True, max_retries=None, **LIMITS)
def parse_import_batch(self, batch_id: int) -> str:
    """Read, check and compare an uploaded file; see ``services.parse_batch``."""
    outcome = services.parse_batch(batch_id=batch_id)
    if outcome == BUSY and self.request.id:
        raise self.retry(countdown=settings.JOB_STALE_SECONDS)
    return outcome


@shared_task(name="permits.imports.apply_batch", bind=True, max_retries=None, **LIMITS)
def apply_import_batch(self, batch_id: int) -> str:
    """Write a confirmed batch in one transaction; see ``apply.apply_batch``."""
    outcome = apply.apply_batch(batch_id=batch_id)
    if outcome == BUSY and self.request.id:
        raise self.retry(countdown=settings.JOB_STALE_SECONDS)
    return outcome


@shared_task(name="permits.imports.sweep_stuck_batches")
def sweep_stuck_imports() -> dict:
    """Every 2 minutes: queue again, or fail visibly, a batch whose worker died (``services.sweep_stuck_batches``)."""
    return services.sweep_stuck_batches(
        queue_parse=parse_import_batch.delay, queue_apply=apply_import_batch.delay
    )
