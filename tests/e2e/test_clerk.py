"""What a clerk expects every day, in a real browser: the home page's 待办 shows a new 三监联动 task to
the receiving section (picked facility by search-as-you-type), and on a 375-px phone the facility page
and the task pages are readable with tap targets of at least 44 px."""

import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import Page, expect

from linkage.models import LinkageTask
from permits.services.penalties import record_penalty
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, build_rich_facility


def test_the_home_page_shows_a_new_task_to_the_receiving_section(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    work_calendar,
    town_a,
    monitoring_clerk,
    monitoring_head,
    officer,
):
    FacilityFactory(n=11, town=town_a, name="甲镇浩源电镀有限公司")
    FacilityFactory(n=12, town=town_a, name="甲镇恒通印染有限公司")

    # 监测站 starts a task, picking the facility by typing part of its name and choosing the suggestion
    log_in(monitoring_clerk)
    page.goto(live_server.url + "/linkage/new/")
    page.get_by_label("执法大队").check()
    field = page.get_by_label("排污单位（可选）")
    field.press_sequentially("浩源", delay=30)
    suggestions = page.get_by_role("listbox")
    suggestion = suggestions.get_by_role("option", name=re.compile("甲镇浩源电镀有限公司"))
    expect(suggestion).to_be_visible()
    expect(suggestions.get_by_role("option")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "1-suggestions.png"))
    suggestion.click()
    expect(field).to_have_value(re.compile(r"^\w{21} 甲镇浩源电镀有限公司$"))
    page.get_by_label("问题描述").fill("执法监测发现总镍超标，请执法大队现场核查。")
    page.get_by_role("button", name="发起任务").click()
    task = LinkageTask.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"三监联动任务 {task.number}")
    assert task.facility.name == "甲镇浩源电镀有限公司"
    page.get_by_role("button", name="退出").click()

    # 执法大队 logs in: the task is on its 待办, counted in the bar, and the line opens the task
    log_in(officer)
    line = page.locator("li.todo", has_text=task.number)
    expect(line).to_contain_text("三监联动·待接收")
    expect(line).to_contain_text("甲镇浩源电镀有限公司")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.locator('a[data-nav="linkage"] .nav-count')).to_have_text("1")
    page.screenshot(path=str(screenshot_dir / "2-home.png"), full_page=True)
    line.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"三监联动任务 {task.number}")
    # another page gets the counts too, from the small JSON endpoint
    expect(nav.locator('a[data-nav="linkage"] .nav-count')).to_have_text("1")


# A 375-px phone ------------------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 812}

# Elements that stick out of the viewport without a visible way to scroll them into view, tables with
# a hidden cell, and tap targets lower than 44 px.
LAYOUT_PROBLEMS = """
() => {
  const width = document.documentElement.clientWidth;
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\\s+/g, ".") : ""} «${(el.innerText || el.value || "").trim().slice(0, 30)}»`;
  const scrolledBy = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if ((box.right > width + 1 || box.left < -1) && !scrolledBy(el)) overflowing.push(name(el));
  }
  const hiddenCells = [];
  for (const table of document.querySelectorAll("table")) {
    if (!shown(table)) continue;
    for (const cell of table.querySelectorAll("tbody td")) if (!shown(cell) && cell.innerText.trim()) hiddenCells.push(name(cell));
  }
  const small = [];
  const targets = document.querySelectorAll(
    "button, .button, select, textarea, summary, nav a, input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
  );
  for (const el of targets) if (shown(el) && el.getBoundingClientRect().height < 44) small.push(`${name(el)} ${Math.round(el.getBoundingClientRect().height)}px`);
  for (const box of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    const label = box.closest("label");
    if (shown(box) && (!label || label.getBoundingClientRect().height < 44)) small.push(`${name(label || box)} (choice)`);
  }
  return { pageWider: document.documentElement.scrollWidth > width, overflowing, hiddenCells, small };
}
"""


def assert_readable_on_a_phone(page: Page, url: str, shot) -> None:
    page.goto(url)
    page.get_by_role("button", name="菜单").click()  # the bar's links are tap targets too
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    for details in page.locator("details").all():  # the step forms' controls are measured open
        details.evaluate("el => el.open = true")
    page.screenshot(path=str(shot), full_page=True)
    problems = page.evaluate(LAYOUT_PROBLEMS)
    assert problems == {"pageWider": False, "overflowing": [], "hiddenCells": [], "small": []}, url


def test_a_phone_reads_the_facility_page_and_the_task_pages(
    browser, live_server, password, screenshot_dir, work_calendar, town_a, approval_clerk, officer, today
):
    # given: a facility with permits, outlets and limits, a penalty and an open task about it
    facility = build_rich_facility(town=town_a, by=approval_clerk)
    record_penalty(
        by=officer,
        facility=facility,
        decision_no="普环罚〔2025〕第 0012 号",
        decided_on=today - timedelta(days=40),
        violation="超过许可排放浓度排放大气污染物（颗粒物）",
        amount=Decimal("120000"),
    )
    task = LinkageTaskFactory(facility=facility)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待办事项")

    # then: the tables are stacked cards with every column's name, nothing sticks out, taps are 44 px
    assert_readable_on_a_phone(
        page, f"{live_server.url}/facilities/{facility.pk}/", screenshot_dir / "facility.png"
    )
    limits = page.locator("table.limits tbody tr").first
    expect(limits.locator('td[data-label="许可排放浓度"]')).to_be_visible()
    assert "许可排放浓度" in limits.locator('td[data-label="许可排放浓度"]').evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    expect(page.locator("table.penalties")).to_contain_text("普环罚〔2025〕第 0012 号")
    assert_readable_on_a_phone(page, f"{live_server.url}/linkage/", screenshot_dir / "tasks.png")
    assert_readable_on_a_phone(page, f"{live_server.url}/linkage/?tab=all", screenshot_dir / "all-tasks.png")
    assert_readable_on_a_phone(
        page, f"{live_server.url}/linkage/tasks/{task.pk}/", screenshot_dir / "task.png"
    )
    assert_readable_on_a_phone(page, f"{live_server.url}/linkage/new/", screenshot_dir / "new-task.png")
    assert_readable_on_a_phone(page, f"{live_server.url}/", screenshot_dir / "home.png")
    context.close()
