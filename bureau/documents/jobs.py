"""Documents made in the background (a long PDF, an export of 10,000+ rows), for the person who asked.

An app registers a ``DocumentKind`` (its key, its label, who may ask, and the builder); ``start`` records
a ``DocumentJob`` and queues ``bureau.tasks.build_document`` once the asking transaction commits; the
worker runs the builder with the asker's rights as they stand when it runs, reports ``done``/``total``
for the progress bar, and keeps the file for its asker alone (``bureau.views`` serves it, 404 to anyone
else). Running a job twice does nothing the second time: the first run claims it.
"""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bureau import background
from bureau.background import BUSY, CLAIMED, EXHAUSTED, GONE
from bureau.models import DocumentJob, DocumentJobState, User

log = logging.getLogger(__name__)

# ``progress(done, total)``: total may be None while it is not known yet.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Built:
    """What a builder made: the bytes or an open file (read from its start), its name and type."""

    content: bytes | IO[bytes]
    filename: str
    content_type: str


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    # (user, params, progress) -> Built; raises ValidationError/PermissionDenied with a Chinese message.
    build: Callable[[User, dict, Progress], Built]
    # Who may ask for it at all; the builder scopes what it holds to the asker's rights.
    may_request: Callable[[User], bool] = lambda user: user.is_authenticated


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    """Add a kind; registering the same key again replaces it (apps may be reloaded)."""
    _KINDS[kind.key] = kind


def kind_of(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ValidationError(f"未知的文档类型“{key}”。") from None


def start(*, kind: str, params: dict, title: str, by: User) -> DocumentJob:
    """Record a job for ``by`` and queue it when the current transaction commits. Refuses (403) someone
    who may not ask for this kind; a broker that cannot be reached fails the job visibly. Asking again
    for the same document while it is still being made (a reload, a second click) gives that job."""
    document_kind = kind_of(kind)
    if not document_kind.may_request(by):
        raise PermissionDenied("您无权生成该文档。")
    waiting = DocumentJob.objects.filter(
        kind=kind,
        params=params,
        title=title[:200],
        requested_by=by,
        state__in=[DocumentJobState.QUEUED, DocumentJobState.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    job = DocumentJob.objects.create(kind=kind, params=params, title=title[:200], requested_by=by)
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id) -> None:
    from bureau.tasks import build_document

    try:
        build_document.delay(str(job_id))
    except Exception:  # the broker is down: say so on the job rather than leave it queued for ever
        log.exception("document job %s could not be queued", job_id)
        DocumentJob.objects.filter(pk=job_id, state=DocumentJobState.QUEUED).update(
            state=DocumentJobState.FAILED,
            error="后台任务队列暂不可用，文档未能开始生成，请稍后重试。",
            finished_at=timezone.now(),
        )


def claim(job_id) -> str:
    """Claim a job for this run (queued → running, attempts + 1; see ``bureau.background``): also a job
    left running by a worker that died (silent for ``JOB_STALE_SECONDS``). BUSY while another run shows
    life; GONE once done or failed; EXHAUSTED (failed visibly) after ``JOB_MAX_ATTEMPTS`` tries."""
    row = DocumentJob.objects.filter(pk=job_id).values("state", "attempts").first()
    if row is None or row["state"] not in (DocumentJobState.QUEUED, DocumentJobState.RUNNING):
        return GONE
    if row["state"] == DocumentJobState.RUNNING and background.is_beating(f"document-{job_id}"):
        return BUSY
    if row["attempts"] >= settings.JOB_MAX_ATTEMPTS:
        _interrupted(job_id, row["state"], row["attempts"])
        return EXHAUSTED
    now = timezone.now()
    claimed = DocumentJob.objects.filter(pk=job_id, state=row["state"], attempts=row["attempts"]).update(
        state=DocumentJobState.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now
    )
    return CLAIMED if claimed else BUSY


def _interrupted(job_id, state: str, attempts: int) -> None:
    DocumentJob.objects.filter(pk=job_id, state=state, attempts=attempts).update(
        state=DocumentJobState.FAILED,
        error=f"后台生成已中断 {attempts} 次（处理进程意外退出或超时），已停止；请稍后重新生成，如反复出现请联系系统管理员。",
        finished_at=timezone.now(),
    )


def run(job_id) -> str:
    """Build the job's document once: claim it (queued → running), build, keep the file, end done or
    failed with the reason in Chinese. Returns the state the job ends in, or BUSY while another live
    run holds it (the task retries later)."""
    outcome = claim(job_id)
    job = DocumentJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if outcome == BUSY:
        return BUSY
    if outcome != CLAIMED:
        return job.state

    def progress(done: int, total: int | None) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        with background.heartbeat(f"document-{job.pk}"):
            _build(job, progress)
    except SoftTimeLimitExceeded:
        _fail(
            job,
            f"生成超过 {settings.DOCUMENT_TIME_LIMIT_MINUTES} 分钟仍未完成，已停止；请缩小范围后重新生成，或联系系统管理员。",
        )
    except (ValidationError, PermissionDenied) as error:
        _fail(job, "；".join(getattr(error, "messages", None) or [str(error)]))
    except Exception:
        log.exception("document job %s (%s) failed", job.pk, job.kind)
        _fail(job, "生成过程中出现系统错误，已记录日志，请稍后重试或联系系统管理员。")
    return job.state


def _build(job: DocumentJob, progress: Progress) -> None:
    document_kind = kind_of(job.kind)
    user = job.requested_by
    if not (user.is_active and document_kind.may_request(user)):
        raise PermissionDenied("您已无权生成该文档。")
    built = document_kind.build(user, job.params, progress)
    content = ContentFile(built.content) if isinstance(built.content, bytes) else File(built.content)
    job.refresh_from_db(fields=["done", "total"])
    job.file.save(built.filename, content, save=False)
    job.filename, job.content_type = built.filename, built.content_type
    job.state, job.finished_at = DocumentJobState.DONE, timezone.now()
    if job.total:
        job.done = job.total
    job.save()


def sweep_stuck_jobs(*, now=None) -> dict[str, int]:
    """Every 2 minutes (``bureau.tasks.sweep_stuck_document_jobs``): a job running whose worker shows no
    life for ``JOB_STALE_SECONDS`` (a queued one: for ``DOCUMENT_TIME_LIMIT_MINUTES``) is queued again,
    or failed visibly once tried ``JOB_MAX_ATTEMPTS`` times; its asker sees it in 我的文档."""
    from bureau.tasks import build_document

    now = now or timezone.now()
    queued_limit = timedelta(minutes=settings.DOCUMENT_TIME_LIMIT_MINUTES)
    counts: Counter = Counter()
    waiting = DocumentJob.objects.filter(state__in=[DocumentJobState.QUEUED, DocumentJobState.RUNNING])
    for job in waiting.only("pk", "state", "attempts", "created_at", "started_at", "heartbeat_at"):
        key = f"document-{job.pk}"
        if job.state == DocumentJobState.QUEUED:
            if not background.is_silent(key, job.created_at, job.heartbeat_at, now=now, after=queued_limit):
                continue
        elif not background.is_silent(key, job.started_at, job.heartbeat_at, now=now):
            continue
        outcome = background.requeue_or_fail(
            f"document job {job.pk}",
            job.attempts,
            fail=partial(_interrupted, job.pk, job.state, job.attempts),
            take=partial(
                DocumentJob.objects.filter(
                    pk=job.pk, state=job.state, attempts=job.attempts, heartbeat_at=job.heartbeat_at
                ).update,
                heartbeat_at=now,
            ),
            queue=partial(build_document.delay, str(job.pk)),
        )
        if outcome:
            counts[outcome] += 1
    return dict(counts)


def _fail(job: DocumentJob, message: str) -> None:
    DocumentJob.objects.filter(pk=job.pk).update(
        state=DocumentJobState.FAILED, error=message, finished_at=timezone.now()
    )
    job.state = DocumentJobState.FAILED


def job_for(user: User, job_id) -> DocumentJob | None:
    """The job if ``user`` asked for it; None otherwise (the same answer for "not yours" and "none")."""
    return DocumentJob.objects.filter(pk=job_id, requested_by=user).first()


def jobs_of(user: User, limit: int = 50):
    return DocumentJob.objects.filter(requested_by=user).order_by("-created_at")[:limit]


def progress_of(job: DocumentJob) -> dict:
    return {
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
    }
