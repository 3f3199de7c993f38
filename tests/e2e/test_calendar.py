"""R-CAL-1 in a real browser: the administrator follows the to-do 「确认 2027 年工作日历」, drafts the year,
enters New Year's Day and confirms; a task whose deadline ran into 2027 loses its 暂定 badge."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from bureau import services
from tests.factories.linkage import LinkageTaskFactory

pytestmark = pytest.mark.today(date(2026, 12, 24))


def test_r_cal_1_administrator_confirms_next_year_from_the_to_do(
    page: Page, live_server, administrator, log_in, screenshot_dir
):
    # given: a task of ten working days started on 24 December 2026 and the daily reminder
    task = LinkageTaskFactory(deadline_workdays=10)
    services.check_calendar_coverage(today=date(2026, 12, 24))
    log_in(administrator)
    # the task page shows the provisional deadline with its explanation
    page.goto(f"{live_server.url}/linkage/tasks/{task.pk}/")
    badge = page.locator("[data-provisional]")
    expect(badge).to_have_text("暂定")
    expect(badge).to_have_attribute(
        "title", "工作日历尚未确认：期限暂按双休日推算，确认后自动重算（R-CAL-1）"
    )
    expect(page.locator("dd", has_text="2027-01-07")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "task-provisional.png"), full_page=True)

    # when: the administrator opens the to-do, drafts the year, enters 元旦 and confirms
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="确认 2027 年工作日历").click()
    expect(page.locator("[data-year-status]")).to_have_text("未录入")
    page.get_by_role("button", name="按双休日生成 2027 年草稿").click()
    expect(page.locator("[data-year-status]")).to_have_text("草稿")
    page.get_by_label("起始日期").fill("2027-01-01")
    page.get_by_label("类型").select_option("0")
    page.get_by_label("说明").fill("元旦")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-special='2027-01-01']")).to_contain_text("元旦")
    page.get_by_label("依据").fill("国务院办公厅关于 2027 年部分节假日安排的通知")
    page.screenshot(path=str(screenshot_dir / "year-draft.png"), full_page=True)
    page.get_by_role("button", name="确认 2027 年工作日历").click()

    # then: confirmed, the task counted again without the badge, the to-do done
    expect(page.locator("[data-year-status]")).to_have_text("已确认")
    expect(page.get_by_text("已按确认的日历重算暂定期限：三监联动任务 1 项")).to_be_visible()
    page.goto(f"{live_server.url}/linkage/tasks/{task.pk}/")
    expect(page.locator("dd", has_text="2027-01-08")).to_be_visible()
    expect(page.locator("[data-provisional]")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="确认 2027 年工作日历")).to_have_count(0)
