"""Settings come from the environment; a malformed value stops start-up with a clear message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


ENGLISH_DEBUG_PAGE = (
    "Traceback",
    "Page not found",
    "Request Method",
    "DEBUG = True",
    "CSRF verification failed",
)


def start(
    env_overrides: dict, code: str = "import django; django.setup(); print('started')", timeout: int = 60
):
    ours = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "CELERY_BROKER_URL", "PORT", "DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = start({"DEBUG": "0", "DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "未设置环境变量 SECRET_KEY" in result.stderr


def test_starts_in_production_mode_with_a_secret_key(tmp_path):
    result = start({"DEBUG": "0", "SECRET_KEY": "x" * 50, "DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' 无法识别"),
        ({"DEBUG": "1", "PORT": "eighty"}, "PORT='eighty' 不是整数"),
        ({"DEBUG": "1", "PORT": "70000"}, "PORT=70000 超出范围"),
        ({"DEBUG": "1", "DATABASE_URL": "oracle-ish://nowhere"}, "DATABASE_URL"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "kafka://nowhere"}, "CELERY_BROKER_URL"),
    ],
)
def test_malformed_values_stop_start_up(tmp_path, overrides, message):
    result = start({"DATA_DIR": str(tmp_path), **overrides})
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_are_sqlite_and_a_serverless_broker(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL, "
        "s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ)"
    )
    result = start({"DEBUG": "1", "DATA_DIR": str(tmp_path)}, code)
    assert result.returncode == 0, result.stderr
    engine, name, broker, language, zone, use_tz = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "db.sqlite3")
    assert broker == "filesystem://"
    assert (language, zone, use_tz) == ("zh-hans", "Asia/Shanghai", "True")


# make run serves like production --------------------------------------------------------------------------

SERVE_AS_PRODUCTION = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

client = Client()
answers = {"storage": settings.STORAGES["staticfiles"]["BACKEND"], "debug": settings.DEBUG}
for name in ("css/app.css", "js/app.js", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"):
    url = static(name)
    response = client.get(url)
    answers[name] = [url, response.status_code, response.headers.get("Cache-Control", "")]
for key, response in {
    "404": client.get("/no-such-page/"),
    "400": client.get("/login/", HTTP_HOST="not-ours.example"),
}.items():
    answers[key] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def test_make_run_serves_static_files_and_chinese_error_pages_with_debug_off(tmp_path):
    # given: the environment make run gives the app (DEBUG off, a secret key, its own data directory)
    env = {"DEBUG": "0", "SECRET_KEY": "k" * 50, "DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "testserver"}
    # when: static files are collected and requests arrive
    result = start(env, SERVE_AS_PRODUCTION, timeout=300)  # collectstatic compresses every file
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    # then: the app itself serves the hashed static files (WhiteNoise, manifest storage), for ever cacheable
    assert answers["debug"] is False
    assert answers["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    for name in ("css/app.css", "js/app.js", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"):
        url, status, cache = answers[name]
        stem = name.rsplit(".", 1)[0]
        assert url.startswith(f"/static/{stem}.") and url != f"/static/{name}", url  # hashed name
        assert status == 200, name
        assert "max-age=315360000" in cache and "immutable" in cache, cache
    # and the error pages are the project's Chinese ones, never Django's debug page
    status, page = answers["404"]
    assert status == 404 and "页面不存在" in page
    status, page = answers["400"]
    assert status == 400 and "请求有误" in page
    for _status, page in (answers["404"], answers["400"]):
        assert not any(english in page for english in ENGLISH_DEBUG_PAGE)


@pytest.mark.django_db
@pytest.mark.urls("tests.bureau.error_urls")
def test_a_failing_page_answers_the_chinese_500_page(client, approval_clerk, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(approval_clerk)
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统错误" in page and "联系系统管理员" in page
    assert not any(english in page for english in ENGLISH_DEBUG_PAGE)


@pytest.mark.django_db
def test_missing_and_forbidden_pages_are_chinese(client, town_a_liaison, settings):
    settings.DEBUG = False
    client.force_login(town_a_liaison)
    missing = client.get("/facilities/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    forbidden = client.get("/organisation/")
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_gets_a_chinese_page(approval_clerk, settings, password):
    from django.test import Client

    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": approval_clerk.username, "password": password})
    page = response.content.decode()
    assert response.status_code == 403
    assert "提交未成功：页面已过期" in page and "刷新页面" in page
    assert not any(english in page for english in ENGLISH_DEBUG_PAGE)


@pytest.mark.django_db
def test_api_docs_are_behind_login_and_load_nothing_from_outside(client, api_client, approval_clerk):
    # anonymous: the pages send to the login page, the schema refuses
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get("/api/redoc/").status_code == 404  # Redoc's bundle fetches a logo from its CDN
    assert client.get("/api/schema/").status_code in (401, 403)
    # logged in: the page and the schema, its scripts from this server
    client.force_login(approval_clerk)
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html.lower()
    assert "https://" not in html and "http://" not in html and "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
    assert b"/api/v1/calendar/workdays/" in client.get("/api/schema/").content


@pytest.mark.django_db
def test_an_address_that_only_takes_a_form_opened_directly_gets_a_chinese_page(client, officer, api_client):
    # given: a task's 销号 address, which only takes the form's submission (require_POST)
    client.force_login(officer)
    # when: it is opened from the address bar
    response = client.get("/linkage/tasks/25/close/")
    # then: a Chinese page with the way back to the task, still a 405 with its Allow header
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "请从页面提交" in page and 'href="/linkage/tasks/25/"' in page
    # and the API's own 405 answers are left as they are
    api_client.force_authenticate(officer)
    api = api_client.delete("/api/v1/calendar/workdays/")
    assert api.status_code == 405 and "请从页面提交" not in api.content.decode()
