"""Documents made in the background (a long PDF, an export of 10,000+ rows), for the person who asked.

An app registers a ``DocumentKind`` (its key, its label, who may ask, and the builder); ``start`` records
a ``DocumentJob`` and queues ``bureau.tasks.build_document`` once the asking transaction commits; the
worker runs the builder with the asker's rights as they stand when it runs, reports ``done``/``total``
for the progress bar, and keeps the file for its asker alone (``bureau.views`` serves it, 404 to anyone
else). Running a job twice does nothing the second time: the first run claims it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

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


def run(job_id) -> str:
    """Build the job's document once: claim it (queued → running), build, keep the file, end done or
    failed with the reason in Chinese. Returns the state the job ends in."""
    claimed = DocumentJob.objects.filter(pk=job_id, state=DocumentJobState.QUEUED).update(
        state=DocumentJobState.RUNNING
    )
    job = DocumentJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job.state if job else "missing"

    def progress(done: int, total: int | None) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
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
    except (ValidationError, PermissionDenied) as error:
        _fail(job, "；".join(getattr(error, "messages", None) or [str(error)]))
    except Exception:
        log.exception("document job %s (%s) failed", job.pk, job.kind)
        _fail(job, "生成过程中出现系统错误，已记录日志，请稍后重试或联系系统管理员。")
    return job.state


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
