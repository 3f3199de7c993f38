"""R-LNK-2 in a real browser (003 第三条): 执法大队 sends a task to 监测站; 生态科, which leads the
monitoring side, finds it under 监测站任务 and follows it on the task page; then 生态科 dispatches a
monitoring task to 监测站 at 执法大队's request, recorded as such."""

import re

from playwright.sync_api import Page, expect

from linkage.models import LinkageTask


def test_r_lnk_2_ecology_follows_a_task_sent_to_the_monitoring_station(
    page: Page,
    live_server,
    log_in,
    work_calendar,
    officer,
    enforcement_head,
    ecology_clerk,
    ecology_head,
    monitoring_clerk,
):
    # 执法大队 asks 监测站 for enforcement monitoring.
    log_in(officer)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="三监联动").click()
    page.get_by_role("link", name="发起任务").click()
    page.get_by_label("环境监测站").check()
    page.get_by_label("问题描述").fill("群众反映夜间异味，请监测站开展夜间执法监测。")
    page.get_by_role("button", name="发起任务").click()
    task = LinkageTask.objects.get()
    expect(page.locator(".messages")).to_contain_text(f"已发起任务 {task.number}")
    page.get_by_role("button", name="退出").click()

    # 生态科 finds it under 监测站任务 and opens it.
    log_in(ecology_clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="三监联动").click()
    page.get_by_role("navigation", name="任务队列").get_by_role(
        "link", name=re.compile("^监测站任务")
    ).click()
    expect(page.locator("table.tasks")).to_contain_text(task.number)
    page.get_by_role("link", name=task.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"三监联动任务 {task.number}")
    expect(page.locator('#execution-block tr[data-assignment="monitoring"]')).to_contain_text("待接收")

    # 生态科 dispatches a monitoring task to 监测站 at 执法大队's request.
    page.get_by_role("link", name="‹ 返回任务列表").click()
    page.get_by_role("link", name="发起任务").click()
    page.get_by_label("环境监测站").check()
    page.get_by_label("提出需求部门（代为派发）").select_option(label="执法大队")
    page.get_by_label("问题描述").fill("执法大队请求对废气排放口开展比对监测。")
    page.get_by_role("button", name="发起任务").click()
    dispatched = LinkageTask.objects.order_by("-pk").first()
    expect(page.locator("[data-requested-by]")).to_contain_text("应其要求，由生态科派发")
    assert (dispatched.initiator.code, dispatched.requested_by.code) == ("ecology", "enforcement")
