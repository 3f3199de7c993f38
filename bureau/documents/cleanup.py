"""Background documents are kept for ``settings.DOCUMENT_KEEP_DAYS`` days after they were made; then
their files go (a nightly job, ``bureau.tasks.remove_expired_document_files``). The ``DocumentJob``
row stays, with an empty file, so the asker's page says the file was cleaned up and may be made again;
the record a document was made from keeps the history, the file is only a copy of it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bureau.models import DocumentJob, DocumentJobState


def is_cleaned_up(job: DocumentJob) -> bool:
    """Whether ``job`` was made and its file has since been removed (a made job always has a file)."""
    return job.state == DocumentJobState.DONE and not job.file


def remove_expired_document_files(*, now: datetime | None = None) -> int:
    """Remove the files of documents finished more than ``DOCUMENT_KEEP_DAYS`` days before ``now``
    and empty their ``file``; return how many were removed. Running it twice removes nothing twice: a
    row is emptied only while it still names the file just removed, and a missing file is no error."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOCUMENT_KEEP_DAYS)
    expired = DocumentJob.objects.filter(finished_at__lt=cutoff).exclude(file="").only("pk", "file")
    removed = 0
    for job in expired.iterator():
        name = job.file.name
        job.file.storage.delete(name)
        removed += DocumentJob.objects.filter(pk=job.pk, file=name).update(file="")
    return removed
