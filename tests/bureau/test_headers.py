"""Headers and deployment (ASVS 14, 等保 8.1.4.7): ``check --deploy`` is clean under the production
environment, the CSP forbids inline script (and the templates have none), signed-in pages, API answers
and downloads are ``no-store``, and gunicorn does not name itself."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from bureau.headers import needs_no_store

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Hq-only-for-this-test-" + "k" * 40,
    "ALLOWED_HOSTS": "pwxk.example.gov.cn",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "USE_X_FORWARDED_PROTO": "1",
}


def _environment(tmp_path, **extra) -> dict:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "DATABASE_URL")}
    return {**keep, "DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def _check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_under_the_production_environment(tmp_path):
    result = _check_deploy(_environment(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_settings_are_left_off(tmp_path):
    bare = {k: v for k, v in PRODUCTION.items() if k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    result = _check_deploy(_environment(tmp_path, **bare))
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_templates_have_no_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in inline_script.finditer(text)]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in handler.finditer(text)]
    assert found == []


@pytest.mark.django_db
def test_pages_carry_the_csp_and_signed_in_answers_are_not_stored(client, api_client, approval_clerk):
    # given: anonymous
    login_page = client.get("/login/")
    policy = login_page["Content-Security-Policy"]
    for directive in (
        "default-src 'self'", "script-src 'self'", "img-src 'self' data: blob:", "frame-ancestors 'none'",
        "form-action 'self'", "object-src 'none'",
    ):
        assert directive in policy
    assert "no-store" in api_client.get("/api/v1/calendar/workdays/")["Cache-Control"]  # a 401
    # when: signed in
    client.force_login(approval_clerk)
    for url in ("/", "/calendar/", "/accounts/tokens/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    api_client.force_authenticate(approval_clerk)
    answer = api_client.get("/api/v1/calendar/workdays/", {"start": "2025-09-30", "days": 5})
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]


def test_downloads_are_never_stored_and_anonymous_pages_keep_their_caching():
    anonymous = RequestFactory().get("/public/")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    assert not needs_no_store(anonymous, HttpResponse("公开"))
    attachment = HttpResponse(b"x")
    attachment["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    assert needs_no_store(anonymous, attachment)
    assert needs_no_store(anonymous, FileResponse(open(__file__, "rb")))  # noqa: SIM115 - closed by the response


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_does_not_name_itself(tmp_path):
    port = _free_port()
    env = _environment(tmp_path, DEBUG="1", CELERY_BROKER_URL="filesystem://")
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py", "config.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        headers = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    headers = response.headers
                    break
            except OSError:
                time.sleep(0.5)
        assert headers is not None, "gunicorn 未启动"
        assert "Server" not in headers
        assert "Content-Security-Policy" in headers
    finally:
        server.terminate()
        server.wait(timeout=30)
