"""Celery tasks of the facility import: thin wrappers around ``permits.imports.services``, taking a
batch id.

Both are safe to run twice: each acts only on a batch still in the state it expects (解析中 for
parsing, 导入中 for applying) and the apply step is one transaction. Their registered names are fixed
(they predate this module's path), so messages already queued still resolve. ``permits.tasks`` imports this module so that the worker, which discovers
``<app>.tasks``, registers them. The views queue them by passing ``.delay`` to the services.
"""

from celery import shared_task

from permits.imports import services


@shared_task(name="permits.imports.parse_batch")
def parse_import_batch(batch_id: int) -> None:
    """Read, check and compare an uploaded file; see ``services.parse_batch``."""
    services.parse_batch(batch_id=batch_id)


@shared_task(name="permits.imports.apply_batch")
def apply_import_batch(batch_id: int) -> None:
    """Write a confirmed batch in one transaction; see ``services.apply_batch``."""
    services.apply_batch(batch_id=batch_id)
