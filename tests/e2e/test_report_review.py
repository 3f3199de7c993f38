"""An execution report from review to 执法大队 in a real browser (R-REP-2, R-REP-3, R-REP-4): the heads
of 审批科, 生态科 and 污防科 each review and sign their own part, 审批科 issues the one feedback notice, the
substantive problem goes to 执法大队 at once, the procedural one when its time limit has passed, and
the brigade finds both tasks on its home page and in its queue."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from linkage.models import LinkageTask
from permits.models import FeedbackNotice, ReportLead
from permits.reports import rules
from permits.reports.services import due, receipts

# The execution-report fixtures, shared with tests/permits/reports (a conftest reaches only its folder).
from tests.permits.reports.conftest import monthly_permit  # noqa: F401

pytestmark = pytest.mark.today(date(2026, 11, 30))
OCTOBER = rules.Period(rules.MONTH, 2026, 10)


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def _fill_part(page: Page, section: str, *, skip: str = "") -> None:
    """Every check point of ``section``'s part 无问题 except ``skip``, saved."""
    form = page.locator(f'#part-{section} form[data-form="fill"]')
    expect(form).to_be_visible()
    for fieldset in form.locator("fieldset.point").all():
        if fieldset.get_attribute("data-point") != skip:
            fieldset.get_by_label("无问题").check()
            expect(fieldset.get_by_label("无问题")).to_be_checked()
    form.get_by_role("button", name="保存本科室审核结果").click()
    expect(page.locator(".messages")).to_contain_text("审核部分")


def _sign(page: Page, section: str, name: str) -> None:
    page.locator(f'#part-{section} form[data-form="sign"]').get_by_role(
        "button", name=f"{name}负责人签核"
    ).click()
    expect(page.locator(f"#part-{section} [data-signed]")).to_be_visible()


def test_r_rep_4_three_sections_review_notice_goes_out_and_enforcement_gets_the_tasks(
    page: Page,
    monkeypatch,
    live_server,
    log_in,
    screenshot_dir,
    monthly_permit,  # noqa: F811
    approval_clerk,
    heads,
    officer,  # noqa: F811
):
    receipts.record_receipt(
        by=approval_clerk,
        permit=monthly_permit,
        period=OCTOBER,
        received_on=date(2026, 11, 12),
        today=date(2026, 11, 30),
        platform_ref="ZXBG-2026-1001",
        emissions=[receipts.Emission("DA001", "颗粒物", concentration=Decimal("26.5"))],
    )

    # 审批科's head finds the report on the period board and opens the review.
    log_in(heads["approval"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="执行报告").click()
    page.get_by_role("textbox", name="报告期").fill(OCTOBER.code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026年10月")
    page.get_by_role("link", name=monthly_permit.facility.name).first.click()
    page.get_by_role("button", name="发起审核").click()
    expect(page.locator(".messages")).to_contain_text("已发起2026年10月执行报告的第1轮审核")
    # 审批科's part: basic information has a gap the facility must fill in at once (procedural).
    _fill_part(page, "approval", skip="basic_information")
    problem_form = page.locator("#add-problem-approval")
    problem_form.locator("summary").click()
    problem_form.get_by_label("检查要点").select_option(label="企业基本信息")
    problem_form.get_by_label("问题描述").fill("排污单位基本信息表漏填生产经营场所中心经纬度")
    problem_form.get_by_label("程序性问题（漏填、错填等）").check()
    problem_form.get_by_role("button", name="登记问题").click()
    expect(page.locator("#part-approval")).to_contain_text("漏填生产经营场所中心经纬度")
    _sign(page, "approval", "审批科")
    review_url = page.url
    _log_out(page)

    # 生态科 adopts the proposed exceedance (26.5 > 20 mg/m³) as substantive and signs.
    log_in(heads["ecology"])
    page.goto(review_url)
    expect(page.locator("#part-ecology")).to_contain_text("超过许可浓度 20.000 mg/m³")
    _fill_part(page, "ecology", skip="actual_emissions")
    page.locator('#part-ecology form[data-form="adopt"]').get_by_role("button", name="采纳").click()
    expect(page.locator(".messages")).to_contain_text("已采纳超标提示")
    _sign(page, "ecology", "生态科")
    # It may not sign 污防科's part: the button is not there for it.
    expect(page.locator('#part-pollution form[data-form="sign"]')).to_have_count(0)
    _log_out(page)

    # 污防科 finds its copy of the proposal settled by 生态科's adoption, fills and signs: complete.
    log_in(heads["pollution"])
    page.goto(review_url)
    expect(page.locator("#part-pollution")).to_contain_text("已由生态科采纳为问题，不重复列入")
    _fill_part(page, "pollution")
    _sign(page, "pollution", "污防科")
    _log_out(page)

    # 审批科 issues the one notice, time limit one working day; the substantive problem goes at once.
    log_in(heads["approval"])
    page.goto(review_url)
    issue = page.locator("#issue")
    issue.get_by_label("整改时限（工作日）").fill("1")
    issue.get_by_label("联系人及电话").fill("王审批 021-59700000")
    page.screenshot(path=str(screenshot_dir / "1-review-complete.png"), full_page=True)
    issue.get_by_role("button", name="出具反馈意见单").click()
    notice = FeedbackNotice.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(notice.number)
    expect(page.locator("main")).to_contain_text("漏填生产经营场所中心经纬度")
    page.screenshot(path=str(screenshot_dir / "2-notice.png"), full_page=True)
    assert ReportLead.objects.filter(kind="problem").count() == 1
    _log_out(page)

    # The time limit passes with the procedural problem still open: the daily job hands it over too.
    later = notice.due_on + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda value=None, timezone=None: later)
    due.check_reports_due(today=later)
    # (The same run hands over the months this permit never filed, each its own missing-report task.)
    problem_leads = [lead.source_key for lead in ReportLead.objects.filter(kind="problem")]
    tasks = LinkageTask.objects.filter(source_key__in=problem_leads).order_by("number")
    assert tasks.count() == 2

    # 执法大队 finds both tasks on its home page and in its queue.
    log_in(officer)
    for task in tasks:
        expect(page.locator("main")).to_contain_text(task.number)
    page.screenshot(path=str(screenshot_dir / "3-enforcement-home.png"), full_page=True)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="三监联动").click()
    for task in tasks:
        expect(page.locator("table.tasks")).to_contain_text(task.number)
    page.get_by_role("link", name=tasks[0].number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(tasks[0].number))
    expect(page.locator("main")).to_contain_text(notice.number)
