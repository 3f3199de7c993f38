"""Imports that survive faults (README “后台任务的可靠性”): a worker killed mid-apply, a broker that is down.

The worker test starts real Celery worker processes on the test database (as
tests/bureau/test_celery_worker.py does): with the defaults through the file-system broker, in CI's
PostgreSQL run through Redis. The broker-down tests point the Celery app at a closed port.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from permits.imports import services as imports
from permits.imports import tasks as import_tasks
from permits.imports.models import ImportBatch, ImportStatus
from permits.models import Facility, Permit
from tests.factories.imports import key_row, workbook

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = 12


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Worker processes on a queue of their own, sharing the test database and MEDIA_ROOT."""

    def __init__(self, tmp_path: Path, media: Path):
        from django.conf import settings

        from config.celery import app

        self.app, self.tmp, self.queue = app, tmp_path, f"test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DATA_DIR": str(tmp_path),
            "MEDIA_ROOT": str(media),
            "DEBUG": "1",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "JOB_HEARTBEAT_SECONDS": "1",
            "JOB_STALE_SECONDS": "2",
        }
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            folders = {sub: tmp_path / "broker" / sub for sub in ("queue", "processed", "control")}
            for folder in folders.values():
                folder.mkdir(parents=True, exist_ok=True)
            self.options = {
                "data_folder_in": str(folders["queue"]),
                "data_folder_out": str(folders["queue"]),
                "processed_folder": str(folders["processed"]),
                "control_folder": str(folders["control"]),
                "store_processed": False,
            }
        else:
            self.options = app.conf.broker_transport_options
        self.original_options = app.conf.broker_transport_options
        app.conf.broker_transport_options = self.options
        self.processes: list[subprocess.Popen] = []

    def start(self, **env) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.processes)}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", self.queue],
            cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def send(self, task, *args) -> None:
        with self.app.connection_for_write() as conn:
            task.apply_async(args=args, queue=self.queue, connection=conn)

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("worker-*.log")))

    def stop(self) -> None:
        self.app.conf.broker_transport_options = self.original_options
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def wait_for(condition, workers: Workers, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, workers.logs()
        time.sleep(0.2)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_apply_writes_nothing_and_the_sweep_has_the_import_written_once(
    approval_clerk, town_a, tmp_path, settings
):
    # given: a previewed batch of new facilities, and a worker that writes one row every 0.4 s
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.JOB_STALE_SECONDS = 2
    batch = imports.start_import(
        by=approval_clerk,
        upload=ContentFile(workbook([key_row(n) for n in range(1, ROWS + 1)]), name="平台导出.xlsx"),
        queue_parse=lambda pk: None,
    )
    imports.parse_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY and batch.new_count == ROWS
    workers = Workers(tmp_path, Path(settings.MEDIA_ROOT))
    try:
        first = workers.start(IMPORT_APPLY_ROW_DELAY_MS="400")
        imports.confirm_batch(
            batch=batch, by=approval_clerk, queue_apply=lambda pk: workers.send(import_tasks.apply_import_batch, pk)
        )

        # when: the worker is killed (SIGKILL) in the middle of the apply
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).attempts == 1, workers)
        workers.start()  # the replacement, starting up meanwhile (it finds the queue empty)
        time.sleep(2)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        # then: the apply's transaction is rolled back: nothing written, the batch still 导入中
        batch.refresh_from_db()
        assert batch.status == ImportStatus.APPLYING, workers.logs()
        assert (Facility.objects.count(), Facility.history.count(), Permit.objects.count()) == (0, 0, 0)

        # when: the sweep finds the batch silent past JOB_STALE_SECONDS, with the new worker running
        wait_for(lambda: imports.is_stuck(ImportBatch.objects.get(pk=batch.pk)), workers, seconds=10)
        swept = imports.sweep_stuck_batches(
            queue_parse=lambda pk: None, queue_apply=lambda pk: workers.send(import_tasks.apply_import_batch, pk)
        )
        assert swept == {"requeued": 1}

        # then: the import completes, exactly once
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status != ImportStatus.APPLYING, workers)
        batch.refresh_from_db()
        assert batch.status == ImportStatus.DONE, (batch.error, workers.logs())
        assert batch.applied_rows == ROWS
        assert Facility.objects.count() == ROWS and Permit.objects.count() == ROWS
        assert Facility.history.filter(history_type="+").count() == ROWS  # each created once
        assert Permit.history.filter(history_type="+").count() == ROWS
        assert batch.attempts == 2  # the killed run and the one that wrote
        history = (Facility.history.count(), Permit.history.count())

        # and: the same message delivered once more (a late redelivery) does nothing
        workers.send(import_tasks.apply_import_batch, batch.pk)
        time.sleep(1)
        assert (Facility.history.count(), Permit.history.count()) == history
    finally:
        workers.stop()


# The broker is down ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_broker_down_an_upload_is_refused_in_chinese_and_nothing_is_left_parsing(
    client, approval_clerk, town_a, tmp_path, settings, broker_down
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(approval_clerk)

    started = time.monotonic()
    response = client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("平台导出.xlsx", workbook([key_row(1)]), XLSX)},
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert "后台任务队列暂时不可用，请稍后重试；您上传的文件未丢失" in response.content.decode()
    assert elapsed < 10, elapsed
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and "后台任务队列暂时不可用" in batch.error
    assert not ImportBatch.objects.filter(status__in=[ImportStatus.PARSING, ImportStatus.APPLYING]).exists()


@pytest.mark.django_db(transaction=True)
def test_broker_down_a_confirmation_leaves_the_batch_awaiting_confirmation(
    client, approval_clerk, town_a, tmp_path, settings, broker_down
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    batch = imports.start_import(
        by=approval_clerk,
        upload=ContentFile(workbook([key_row(1)]), name="平台导出.xlsx"),
        queue_parse=lambda pk: None,
    )
    imports.parse_batch(batch_id=batch.pk)
    client.force_login(approval_clerk)

    started = time.monotonic()
    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert "后台任务队列暂时不可用，请稍后重试；该批次未能开始写入，仍为“待确认”" in response.content.decode()
    assert elapsed < 10, elapsed
    batch.refresh_from_db()
    assert (batch.status, batch.confirmed_by, batch.confirmed_at) == (ImportStatus.READY, None, None)
    assert Facility.objects.count() == 0


@pytest.mark.django_db
def test_broker_down_healthz_answers_503(client, broker_down):
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert time.monotonic() - started < 10


# The sweep and the owner's cancel, without a worker -------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_fails_visibly_a_batch_tried_too_often_and_its_owner_may_cancel_a_stuck_apply(
    approval_clerk, town_a, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.JOB_STALE_SECONDS = 2
    stuck = []
    for _ in range(2):
        batch = imports.start_import(
            by=approval_clerk,
            upload=ContentFile(workbook([key_row(1)]), name="平台导出.xlsx"),
            queue_parse=lambda pk: None,
        )
        imports.parse_batch(batch_id=batch.pk)
        imports.confirm_batch(batch=batch, by=approval_clerk, queue_apply=lambda pk: None)
        stuck.append(batch)
    long_ago = batch.created_at.replace(year=2020)
    ImportBatch.objects.filter(pk=stuck[0].pk).update(attempts=3, started_at=long_ago, heartbeat_at=long_ago)
    ImportBatch.objects.filter(pk=stuck[1].pk).update(attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    requeued = []

    swept = imports.sweep_stuck_batches(queue_parse=requeued.append, queue_apply=requeued.append)

    assert swept == {"failed": 1, "requeued": 1} and requeued == [stuck[1].pk]
    stuck[0].refresh_from_db()
    assert stuck[0].status == ImportStatus.FAILED and "后台写入已中断 3 次" in stuck[0].error
    # the re-queued one is not swept again before it has been silent once more
    assert imports.sweep_stuck_batches(queue_parse=requeued.append, queue_apply=requeued.append) == {}
    # its owner cancels it once it is silent again
    ImportBatch.objects.filter(pk=stuck[1].pk).update(heartbeat_at=long_ago)
    imports.cancel_batch(batch=stuck[1], by=approval_clerk)
    assert stuck[1].status == ImportStatus.CANCELLED
    # and an apply that comes back to life afterwards finds it cancelled and writes nothing
    assert import_tasks.apply_import_batch(stuck[1].pk) == "gone"
    assert Facility.objects.count() == 0
