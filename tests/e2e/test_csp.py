"""The Content-Security-Policy holds on the main pages (no inline script, nothing from elsewhere): the
autouse ``fail_on_csp_violation`` fixture fails the test on any violation Chromium reports."""

from playwright.sync_api import Page, expect

PAGES = [
    ("/", "待办事项"),
    ("/reports/dashboard/", None),
    ("/calendar/", None),
    ("/accounts/tokens/", "接口令牌"),
]


def test_main_pages_keep_their_csp(page: Page, live_server, approval_clerk, log_in):
    log_in(approval_clerk)
    for path, heading in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "no-store" in response.headers["cache-control"], path
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # Issuing a token on the page, then the menu toggle script still works (static/js, not inline).
    page.get_by_label("用途").fill("对接脚本")
    page.get_by_role("button", name="签发").click()
    expect(page.locator(".token-plaintext")).to_contain_text("pwx_")


def test_swagger_ui_runs_under_the_csp(page: Page, live_server, approval_clerk, log_in):
    log_in(approval_clerk)
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible(timeout=20000)
