"""GET /healthz: 200 when the database and the broker answer, 503 otherwise; the state of each is named
only to signed-in staff and the administrator, anonymous callers learn ok or not ok (ASVS 14.3)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy(client, administrator):
    client.force_login(administrator)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_anonymous_and_non_staff_callers_learn_only_ok(client, approval_clerk):
    assert client.get("/healthz").json() == {"status": "ok"}
    client.force_login(approval_clerk)
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_broker_down_answers_503(client, administrator):
    client.force_login(administrator)
    # given: a broker address where nothing listens (the write URL: Celery lets the CELERY_BROKER_URL
    # environment variable override a changed broker_url)
    celery_app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_write_url = None
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


def test_database_down_answers_503(tmp_path):
    # A real process whose database server does not answer (nothing listens on port 9).
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); print(r.status_code, r.json())"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "CELERY_BROKER_URL": "filesystem://",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503 {'status': 'error'}"
