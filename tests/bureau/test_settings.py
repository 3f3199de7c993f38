"""Settings come from the environment; a malformed value stops start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(env_overrides: dict, code: str = "import django; django.setup(); print('started')"):
    ours = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "CELERY_BROKER_URL", "PORT", "DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
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
