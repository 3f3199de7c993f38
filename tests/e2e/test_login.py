"""Logging in through a real browser: the Chinese login page, the home page, the phone-width menu."""

import re

from playwright.sync_api import Page, expect


def test_login_lands_on_home_page(page: Page, live_server, approval_clerk, log_in, screenshot_dir):
    page.goto(live_server.url + "/")

    # An anonymous visitor is sent to the login page, which is in Chinese.
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html[lang=zh-CN]")).to_have_count(1)
    expect(page).to_have_title(re.compile("^登录 · 排污许可证后管理系统$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()

    log_in(approval_clerk)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="首页", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="首页", exact=True)).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="工作日历", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="系统管理")).to_have_count(0)
    expect(nav).not_to_contain_text("系统管理")
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()  # desktop width: no toggle
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    shot = screenshot_dir / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0


def test_phone_width_menu_toggle(page: Page, approval_clerk, log_in, screenshot_dir):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(approval_clerk)
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")

    toggle = page.get_by_role("button", name="菜单")
    nav = page.locator("#main-nav")
    calendar_link = nav.get_by_role("link", name="工作日历", exact=True)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(calendar_link).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "phone-closed.png"), full_page=True)

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(calendar_link).to_be_visible()
    expect(nav.get_by_role("link", name="首页", exact=True)).to_be_visible()
    # The page must not scroll sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    shot = screenshot_dir / "phone-menu-open.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0

    toggle.click()
    expect(calendar_link).to_be_hidden()


def test_wrong_password_shows_chinese_error(page: Page, approval_clerk, log_in, screenshot_dir):
    log_in(approval_clerk, password="not-the-password", lands_home=False)

    expect(page).to_have_url(re.compile(r"/login/"))
    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_have_text("请输入一个正确的用户名和密码。注意，两者都区分大小写。")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    # The username is kept, the password is not.
    expect(page.locator("#id_username")).to_have_value(approval_clerk.username)
    expect(page.locator("#id_password")).to_have_value("")

    page.screenshot(path=str(screenshot_dir / "login-error.png"), full_page=True)
