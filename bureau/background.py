"""Background jobs that survive faults (README “后台任务的可靠性”): what every long Celery job shares.

- ``QueueUnavailable``: a job could not be queued (the broker is down; settings keep its timeouts
  short). The service that queued it has already failed or reverted its record; ``str()`` is the
  user's message in Chinese.
- ``heartbeat``: while a job runs, a thread touches a small file beside the uploaded files
  (MEDIA_ROOT, shared by web and worker) every ``JOB_HEARTBEAT_SECONDS``. A file, not a row: an
  import's apply is one long transaction that holds the row (PostgreSQL) or the whole database
  (SQLite), so no other connection could write its sign of life.
- ``last_sign``/``is_silent``: when a job last showed life (its row's time or its heartbeat file); the
  sweeps of ``bureau.documents.jobs`` and ``permits.imports.services`` queue again a job silent for
  ``JOB_STALE_SECONDS`` (its worker died) and fail it visibly after ``JOB_MAX_ATTEMPTS`` tries.

A job claims its record before it works (a conditional update on its state and its attempts), so a
message delivered twice, or queued again by the sweep, runs once: a second run finds the state moved
on, or the first still alive (and asks to be retried after the stale window).
"""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

QUEUE_DOWN = "后台任务队列暂时不可用，请稍后重试"

# What a claim found: the job is this run's, another live run has it, its state moved on, or it has
# been tried too often.
CLAIMED, BUSY, GONE, EXHAUSTED = "claimed", "busy", "gone", "exhausted"


class QueueUnavailable(Exception):
    """The broker could not be reached: the job was not queued. ``str()`` is the user's message."""

    def __init__(self, message: str = QUEUE_DOWN + "。"):
        super().__init__(message)
        self.message = message


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def heartbeat_path(key: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "heartbeat" / key


@contextmanager
def heartbeat(key: str):
    """Touch ``heartbeat_path(key)`` now and every ``JOB_HEARTBEAT_SECONDS`` until the block ends
    (then remove it). A worker killed mid-job stops touching it: the job falls silent."""
    path = heartbeat_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    stop = threading.Event()

    def beat():
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            try:
                path.touch()
            except OSError:  # pragma: no cover - a full disk must not kill the job
                log.warning("heartbeat %s could not be written", path)

    thread = threading.Thread(target=beat, name=f"heartbeat-{key}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        path.unlink(missing_ok=True)


def last_sign(key: str, *times: datetime | None) -> datetime | None:
    """The latest of ``times`` (from the job's row) and its heartbeat file's modification time."""
    signs = [t for t in times if t is not None]
    try:
        mtime = heartbeat_path(key).stat().st_mtime
    except OSError:
        pass
    else:
        signs.append(datetime.fromtimestamp(mtime, tz=timezone.get_current_timezone()))
    return max(signs) if signs else None


def is_silent(
    key: str, *times: datetime | None, now: datetime | None = None, after: timedelta | None = None
) -> bool:
    """Whether the job showed no life for ``after`` (default ``JOB_STALE_SECONDS``) before ``now``."""
    sign = last_sign(key, *times)
    return sign is None or sign < (now or timezone.now()) - (after or stale_after())


def is_beating(key: str, *, now: datetime | None = None) -> bool:
    """Whether a run of the job is alive: its heartbeat file exists (a run that ended removed it) and
    was touched within ``JOB_STALE_SECONDS`` (a killed worker's file stops being touched)."""
    return not is_silent(key, now=now) if heartbeat_path(key).exists() else False


def requeue_or_fail(
    label: str,
    attempts: int,
    *,
    fail: Callable[[], object],
    take: Callable[[], int],
    queue: Callable[[], object],
) -> str | None:
    """What a sweep does with one job found silent: ``fail`` it (visibly, with its reason) once it was
    tried ``JOB_MAX_ATTEMPTS`` times; otherwise ``take`` it (a conditional update on what the sweep read,
    0 rows when a worker or another sweep got there first) and ``queue`` it again. Returns "failed",
    "requeued", "not_queued" (the broker is down: the next sweep tries again) or None (not taken)."""
    if attempts >= settings.JOB_MAX_ATTEMPTS:
        fail()
        return "failed"
    if not take():
        return None
    try:
        queue()
    except Exception as exc:
        log.warning("%s could not be queued again: %s", label, exc)
        return "not_queued"
    log.warning("%s was stuck: queued again", label)
    return "requeued"
