"""The slip's QR code is built from the configured site address (settings.SITE_URL, env SITE_URL,
default http://127.0.0.1:8000); a malformed value stops start-up with a Chinese message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings


def _settings_with(site_url: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"DEBUG": "1"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    code = "import config.settings as s; print(s.SITE_URL)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=django_settings.BASE_DIR,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "http://127.0.0.1:8000"), ("https://pwxk.example.gov.cn/", "https://pwxk.example.gov.cn")],
)
def test_r_lnk_5_site_url_comes_from_the_environment(value, expected):
    result = _settings_with(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["pwxk.example.gov.cn", "ftp://host", "https://host/linkage/"])
def test_r_lnk_5_a_malformed_site_url_stops_start_up(value):
    result = _settings_with(value)
    assert result.returncode != 0
    assert "环境变量 SITE_URL" in result.stderr
