"""三监联动 in a real browser (R-LNK-1…6): the monitoring station starts a task to the enforcement
brigade, the brigade receives it and feeds back, the station closes it, the approval section archives
it and prints the transfer slip. Each person logs in through the login form."""

import re

from playwright.sync_api import Page, expect

from linkage.models import LinkageTask
from tests.factories.permits import FacilityFactory


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def _open_queue(page: Page, tab: str, number: str, shot=None) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="三监联动").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("三监联动任务")
    page.get_by_role("navigation", name="任务队列").get_by_role("link", name=re.compile(f"^{tab}")).click()
    expect(page.locator("table.tasks")).to_contain_text(number)
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"三监联动任务 {number}")


def test_monitoring_to_enforcement_task_closed_and_archived(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    work_calendar,
    town_a,
    monitoring_clerk,
    monitoring_head,
    officer,
    enforcement_head,
    approval_clerk,
):
    facility = FacilityFactory(n=7, town=town_a, name="甲镇浩源电镀有限公司")

    # The monitoring station starts the task (R-LNK-1): its own handler and head are the defaults.
    log_in(monitoring_clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="三监联动").click()
    page.get_by_role("link", name="发起任务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("发起三监联动任务")
    page.get_by_label("执法大队").check()
    page.get_by_label("排污单位（可选）").fill(facility.credit_code)
    page.get_by_label("问题描述").fill("执法监测发现总镍超标 2.3 倍，请执法大队现场核查并依法处理。")
    page.get_by_label("任务来源").select_option(label="监测异常")
    expect(page.get_by_label("负责人")).to_have_value(str(monitoring_head.pk))
    page.screenshot(path=str(screenshot_dir / "1-new-task.png"), full_page=True)
    page.get_by_role("button", name="发起任务").click()

    task = LinkageTask.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"三监联动任务 {task.number}")
    expect(page.locator(".messages")).to_contain_text(f"已发起任务 {task.number}，已发送至执法大队")
    expect(page.locator("#initiation")).to_contain_text("总镍超标")
    expect(page.locator('#execution-block tr[data-assignment="enforcement"]')).to_contain_text("待接收")
    _log_out(page)

    # The enforcement brigade finds it under 待接收, receives it and feeds back (R-LNK-2, R-LNK-3).
    log_in(officer)
    _open_queue(page, "待接收", task.number, shot=screenshot_dir / "2-enforcement-queue.png")
    # The form fits a phone too: officers receive tasks in the field.
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_dir / "3-receive-form-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    receive = page.locator('form[data-form="receive"]')
    receive.get_by_label("接收与执行情况").fill("已接收，当日派两名执法人员现场检查，调取在线监测记录。")
    expect(receive.get_by_label("负责人")).to_have_value(str(enforcement_head.pk))
    receive.get_by_role("button", name="接收并记录执行情况").click()
    expect(page.locator(".messages")).to_contain_text(f"已接收任务 {task.number}")
    feedback = page.locator('form[data-form="feedback"]')
    feedback.get_by_label("结果反馈").fill("确认超标排放，已立案查处并责令限期整改。")
    feedback.get_by_role("button", name="反馈结果").click()
    expect(page.locator(".messages")).to_contain_text("已向监测站反馈")
    expect(page.locator('#feedback-block tr[data-assignment="enforcement"]')).to_contain_text("已立案查处")
    page.screenshot(path=str(screenshot_dir / "4-fed-back.png"), full_page=True)
    _log_out(page)

    # The station closes the task (问题销号, R-LNK-6).
    log_in(monitoring_clerk)
    _open_queue(page, "待销号", task.number)
    page.locator('form[data-form="close"]').get_by_role("button", name="确认销号").click()
    expect(page.locator(".messages")).to_contain_text(f"任务 {task.number} 已销号")
    expect(page.locator(".task-flags")).to_contain_text("已销号")
    _log_out(page)

    # The approval section archives it (R-LNK-4) and prints the slip (R-LNK-5).
    log_in(approval_clerk)
    _open_queue(page, "待归档", task.number)
    page.locator('form[data-form="archive"]').get_by_role("button", name="归档").click()
    expect(page.locator(".messages")).to_contain_text(f"任务 {task.number} 已归档。")
    expect(page.locator(".task-flags")).to_contain_text("已归档")
    expect(page.locator("form[data-form]")).to_have_count(0)
    slip = page.get_by_role("link", name="打印转办单")
    href = slip.get_attribute("href")
    assert href == f"/linkage/tasks/{task.pk}/slip.pdf"
    pdf = page.request.get(live_server.url + href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    task.refresh_from_db()
    assert task.state == "archived" and task.archived_by == approval_clerk
    steps = [step.action for step in task.steps.order_by("at", "id")]
    assert steps == ["start", "receive", "feedback", "close", "archive"]
    page.screenshot(path=str(screenshot_dir / "5-archived.png"), full_page=True)

    # On a phone the task reads as cards and never scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(page.locator("#blocks")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot = screenshot_dir / "6-detail-375.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0
