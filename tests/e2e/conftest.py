"""Real-browser tests: pytest-playwright driving Debian's Chromium, headless, against ``live_server``.

The machine has no internet and no Playwright-downloaded browsers: the system Chromium at
``/usr/bin/chromium`` is used, with the background-networking features switched off (otherwise it
keeps opening connections that are refused). When that browser is missing the tests fail loudly;
they are never skipped, so CI cannot go green without having run them.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it (SynchronousOnlyOperation) in fixtures and assertions.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e with ``e2e`` (so ``-m 'not e2e'`` leaves them out)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"浏览器测试需要 Debian 的 Chromium：{CHROMIUM} 不存在或不可执行。"
            "请安装（apt-get install chromium）；浏览器测试不允许跳过。",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def screenshot_dir(output_path):
    """The test's own output folder (under ``test-results/``), created on demand."""
    os.makedirs(output_path, exist_ok=True)
    return Path(output_path)


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """Same as pytest-playwright's fallback ``base_url`` fixture, as a plain function.

    pytest-playwright 0.10 defines its fallback as a method of a plugin class, which pytest 9 reports
    with a PytestRemovedIn10Warning on every run; the tests use ``live_server.url`` anyway.
    """
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


@pytest.fixture
def log_in(page, live_server, password):
    """Log a persona in through the real login page, as a person does: open the site, be sent to the
    login form, type the username and password, press 登录, land on the home page (待办事项).

    ``log_in(user)``; ``password=`` types another password, and ``lands_home=False`` leaves the
    browser where the form sent it (a refused login stays on the form).
    """

    def log_in(user, *, password=password, lands_home=True):
        page.goto(live_server.url + "/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="登录").click()
        if lands_home:
            expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")

    return log_in


@pytest.fixture(autouse=True)
def fail_on_csp_violation(request):
    """Every browser test fails when the page breaks its Content-Security-Policy (ASVS 14.4.3): Chromium
    reports each refused script, style, image or frame on the console."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert not violations, "违反内容安全策略（CSP）：\n" + "\n".join(violations)
