"""The annual grading in a real browser (R-GRD-1…5): 审批科 drafts last year from 等级评定 and watches the
progress bar bring the draft in; a work-group member changes one grade with a written reason; the 组长
ticks the confirmation and confirms, and the grading is locked. Each person logs in through the login
form.

The Celery worker is played by the test: the task's ``delay`` collects what the server queues, and the
test runs it while the page is open, so the page's own script (polling the progress every second) is
what brings the draft onto the screen.
"""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from grading import tasks
from grading.models import AnnualGrading, FacilityGrade, FactKind, GradingState
from grading.services import facts

# The grading fixtures (a conftest reaches only its folder).
from tests.grading.conftest import make_holders, work_group  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 1, 20))


@pytest.fixture
def worker(monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(tasks.draft_grading, "delay", queued.append)

    def run() -> None:
        assert len(queued) == 1
        tasks.draft_grading(queued.pop())

    return run


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def test_r_grd_5_draft_change_one_grade_and_confirm(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    worker,
    make_holders,  # noqa: F811
    work_group,  # noqa: F811
    approval_clerk,
    pollution_clerk,
    officer,
    leader,
):
    holders = make_holders(12)
    facts.record_fact(
        by=pollution_clerk,
        facility=holders[0],
        kind=FactKind.COMMENDATION,
        occurred_on=date(2025, 6, 1),
        description="获市生态环境局表彰",
        evidence="沪环〔2025〕1号",
    )

    # 审批科 drafts last year from the grading's home page
    log_in(approval_clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="等级评定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("年度等级评定")
    expect(page.get_by_label("评定年度")).to_have_value("2025")
    page.get_by_role("button", name="起草年度等级评定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2025 年度持证单位等级评定")
    expect(page.locator(".messages")).to_contain_text("已开始起草 2025 年度等级评定")
    expect(page.locator("[data-grading-progress] progress")).to_be_visible()
    worker()
    # the page's script sees the draft done and reloads
    expect(page.locator("[data-grading-state]")).to_contain_text("待工作组审核", timeout=10_000)
    expect(page.locator("#grades tbody tr")).to_have_count(12)
    expect(page.locator(f'tr[data-facility="{holders[0].source_code}"]')).to_contain_text("优秀")
    page.screenshot(path=str(screenshot_dir / "1-draft.png"), full_page=True)
    _log_out(page)

    # a work-group member (执法大队) changes one grade with a written reason and the 附件2 三 condition
    log_in(officer)
    page.goto(live_server.url + f"/grading/2025/?q={holders[3].source_code}")
    row = page.locator(f'tr[data-facility="{holders[3].source_code}"]')
    row.get_by_text("调整等级", exact=True).click()
    row.get_by_label("调整为").select_option(label="不合格")
    row.get_by_label("不合格情形（调为不合格时必选）").select_option(value="u4")
    row.get_by_label("调整理由").fill("年度内两次拒绝执法人员进入现场检查")
    row.get_by_role("button", name="保存调整").click()
    expect(page.locator(".messages")).to_contain_text(f"已将{holders[3].name}的评定等级调整为“不合格”")
    row = page.locator(f'tr[data-facility="{holders[3].source_code}"]')
    expect(row.locator("[data-override]")).to_contain_text(
        "合格 → 不合格（附件2 三4 未能依法依规配合生态环境部门完成相关工作）：年度内两次拒绝执法人员进入现场检查"
    )
    expect(row.locator("[data-override]")).to_contain_text(officer.display_name)
    page.screenshot(path=str(screenshot_dir / "2-override.png"), full_page=True)
    _log_out(page)

    # the 组长 confirms after ticking the confirmation
    log_in(leader)
    page.goto(live_server.url + "/grading/2025/")
    page.get_by_role("button", name="确认评定结果").click()  # not ticked: the browser asks for it
    assert AnnualGrading.objects.get(year=2025).state == GradingState.DRAFT
    page.get_by_label("我已审核本年度全部评定结果，确认后锁定，不能再修改").check()
    page.get_by_role("button", name="确认评定结果").click()
    expect(page.locator("[data-locked]")).to_contain_text("已确认（锁定）")
    expect(page.locator("[data-locked]")).to_contain_text(leader.display_name)
    expect(page.locator('[data-form="override"]')).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "3-confirmed.png"), full_page=True)
    grading = AnnualGrading.objects.get(year=2025)
    assert (grading.state, grading.confirmed_by) == (GradingState.CONFIRMED, leader)
    assert FacilityGrade.objects.get(grading=grading, facility=holders[3]).grade == "unqualified"
