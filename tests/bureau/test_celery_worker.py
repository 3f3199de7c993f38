"""A real Celery worker process consumes a task through the configured broker.

With the defaults that is the file-system broker; in CI's second run it is Redis. The worker is a
separate process on the same test database, so the outcome it writes is read back here.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bureau.models import TodoItem
from bureau.tasks import check_calendar_coverage
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_consumes_a_task_through_the_broker(tmp_path):
    # given: a worker process listening on a queue of its own
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "DATA_DIR": str(tmp_path), "DEBUG": "1"}
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # Point this process's producer at the worker's broker folders in tmp_path.
        for sub in ("queue", "processed", "control"):
            (tmp_path / "broker" / sub).mkdir(parents=True, exist_ok=True)
        options = {
            "data_folder_in": str(tmp_path / "broker" / "queue"),
            "data_folder_out": str(tmp_path / "broker" / "queue"),
            "processed_folder": str(tmp_path / "broker" / "processed"),
            "control_folder": str(tmp_path / "broker" / "control"),
            "store_processed": False,
        }
    else:
        options = celery_app.conf.broker_transport_options
    log = open(tmp_path / "worker.log", "w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    original_options = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = options
    try:
        # when: the daily calendar job is sent through the broker
        with celery_app.connection_for_write() as conn:
            check_calendar_coverage.apply_async(kwargs={"today": "2026-11-22"}, queue=queue, connection=conn)
        # then: the worker writes the administrator's reminder into the shared database
        deadline = time.monotonic() + 90
        while (
            time.monotonic() < deadline
            and not TodoItem.objects.filter(key="calendar-confirm-2027:admin").exists()
        ):
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
    finally:
        celery_app.conf.broker_transport_options = original_options
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert TodoItem.objects.filter(key="calendar-confirm-2027:admin").exists(), worker_log
    assert "bureau.tasks.check_calendar_coverage" in worker_log and "succeeded" in worker_log
    transport = "redis" if settings.CELERY_BROKER_URL.startswith("redis") else "filesystem"
    assert f"Connected to {transport}://" in worker_log
