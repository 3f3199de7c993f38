"""Background documents that survive faults (bureau.background, bureau.documents.jobs): a job left
running by a dead worker is taken over once, a live one is not run twice, the sweep re-queues or fails
it visibly. Tests with a real worker killed mid-job are in tests/permits/test_import_faults.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bureau import background
from bureau.documents import jobs
from bureau.models import DocumentJob

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=1)


@pytest.fixture
def pdf_kind(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.JOB_STALE_SECONDS = 60
    built = []

    def build(user, params, progress):
        built.append(params)
        return jobs.Built(b"%PDF", "a.pdf", "application/pdf")

    jobs.register(jobs.DocumentKind("tests.faults", "测试", build))
    return built


def job_of(user, **fields) -> DocumentJob:
    job = DocumentJob.objects.create(kind="tests.faults", title="测试文档", requested_by=user)
    DocumentJob.objects.filter(pk=job.pk).update(**fields)
    return job


def test_a_job_whose_worker_died_is_taken_over_once_and_a_live_one_is_left_alone(approval_clerk, pdf_kind):
    dead = job_of(approval_clerk, state="running", attempts=1, started_at=LONG_AGO)
    alive = job_of(approval_clerk, state="running", attempts=1, started_at=timezone.now())
    key = f"document-{alive.pk}"
    background.heartbeat_path(key).parent.mkdir(parents=True, exist_ok=True)
    background.heartbeat_path(key).touch()

    assert jobs.run(dead.pk) == "done"
    assert jobs.run(dead.pk) == "done"  # a second delivery does nothing
    assert jobs.run(alive.pk) == background.BUSY

    assert len(pdf_kind) == 1
    dead.refresh_from_db()
    assert dead.attempts == 2


def test_the_sweep_requeues_a_silent_job_and_fails_one_tried_too_often(
    approval_clerk, pdf_kind, monkeypatch
):
    from bureau import tasks

    queued = []
    monkeypatch.setattr(tasks.build_document, "delay", queued.append)
    silent = job_of(approval_clerk, state="running", attempts=1, started_at=LONG_AGO, heartbeat_at=LONG_AGO)
    worn = job_of(approval_clerk, state="running", attempts=3, started_at=LONG_AGO, heartbeat_at=LONG_AGO)
    waiting = job_of(approval_clerk, state="queued")  # just asked for: not stuck

    assert jobs.sweep_stuck_jobs() == {"requeued": 1, "failed": 1}
    assert queued == [str(silent.pk)]
    worn.refresh_from_db()
    assert worn.state == "failed" and "后台生成已中断 3 次" in worn.error
    waiting.refresh_from_db()
    assert waiting.state == "queued"
    assert jobs.sweep_stuck_jobs() == {}  # the re-queued job is given time again
