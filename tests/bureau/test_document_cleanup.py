"""Background documents keep their files for DOCUMENT_KEEP_DAYS days (bureau.documents.cleanup): the
nightly job removes older files, keeps the rows, and the asker's pages say the file was cleaned up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bureau.documents import jobs
from bureau.models import DocumentJob
from bureau.periodic import collect_jobs
from bureau.tasks import remove_expired_document_files

pytestmark = pytest.mark.django_db


def _build(user, params, progress):
    return jobs.Built(b"%PDF-1.7 test", "会议材料.pdf", "application/pdf")


@pytest.fixture
def made(approval_clerk, settings):
    """Two documents of 审批科, made: one finished 8 days ago, one an hour ago (kept 7 days)."""
    settings.DOCUMENT_KEEP_DAYS = 7
    jobs.register(jobs.DocumentKind("tests.pack", "测试文档", _build))
    old, fresh = (
        jobs.start(kind="tests.pack", params={}, title=title, by=approval_clerk)
        for title in ("旧材料", "新材料")
    )
    for job in (old, fresh):
        assert jobs.run(job.pk) == "done"
    now = timezone.now()
    DocumentJob.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=8))
    DocumentJob.objects.filter(pk=fresh.pk).update(finished_at=now - timedelta(hours=1))
    return DocumentJob.objects.get(pk=old.pk), DocumentJob.objects.get(pk=fresh.pk)


def test_the_nightly_job_is_registered():
    assert "bureau.tasks.remove_expired_document_files" in {job.task for job in collect_jobs()}


def test_files_past_the_keeping_days_go_their_rows_stay_and_the_page_says_so(client, approval_clerk, made):
    old, fresh = made
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)
    # when the nightly job runs (twice: the second finds nothing left to remove)
    assert remove_expired_document_files() == 1
    assert remove_expired_document_files() == 0
    # then the old file is gone, its row stays, done, with no file
    assert not storage.exists(old_name)
    old.refresh_from_db()
    assert (old.state, old.file.name, old.filename) == ("done", "", "会议材料.pdf")
    # and its asker reads that it was cleaned up, where the download was
    client.force_login(approval_clerk)
    page = client.get(f"/documents/{old.pk}/").content.decode()
    assert "文件已清理" in page and "保留 7 天" in page and "下载 会议材料.pdf" not in page
    assert client.get(f"/documents/{old.pk}/download/").status_code == 404
    listing = client.get("/documents/").content.decode()
    assert listing.count("文件已清理") == 1
    # while the fresh one is kept and downloads
    assert storage.exists(fresh.file.name)
    assert "下载 会议材料.pdf" in client.get(f"/documents/{fresh.pk}/").content.decode()
    assert b"".join(client.get(f"/documents/{fresh.pk}/download/").streaming_content) == b"%PDF-1.7 test"
