"""The second factor through a real browser: 局领导 logs in, is sent to enrol, scans (here: reads) the
key, confirms with a code, keeps the recovery codes, logs out, and logs in again with a code."""

import re
from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect


def _code(secret_text: str, steps_ahead: int = 0) -> str:
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_leader_enrols_then_logs_in_with_a_code(page: Page, live_server, leader, log_in, settings, screenshot_dir):
    settings.SECOND_FACTOR_REQUIRED = True

    # The password is right; 局领导 must enrol before anything else.
    log_in(leader, lands_home=False)
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("动态口令（双因素认证）")
    expect(page.get_by_role("img", name="动态口令绑定二维码")).to_be_visible()
    secret = page.locator("[data-secret]").inner_text()
    page.screenshot(path=str(screenshot_dir / "enrol.png"), full_page=True)

    page.get_by_label("验证器显示的 6 位数字").fill(_code(secret))
    page.get_by_role("button", name="绑定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("动态口令已绑定")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")

    # The next login asks for the code after the password.
    log_in(leader, lands_home=False)
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/verify/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("动态口令验证")
    # django-otp learned the clock drift from the enrolment code (a slow machine may cross a step)
    drift = TOTPDevice.objects.get(user=leader).drift
    page.get_by_label("动态口令或恢复码").fill(_code(secret, steps_ahead=drift + 1))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")
