"""Issuing a permit in a real browser (R-PER-1, R-FAC-3): the approval clerk opens a facility, fills
the permit with an outlet, its limit and a 整改要求, fixes a refused row and sees the permit, its
timeline and the ledger item on the facility page."""

import re

from playwright.sync_api import Page, expect

from permits.models import Permit, RectificationItem
from tests.factories.permits import FacilityFactory


def test_approval_clerk_issues_a_permit_in_the_browser(
    page: Page, approval_clerk, town_a, log_in, screenshot_dir
):
    # given
    facility = FacilityFactory(town=town_a, name="新建涂料有限公司")
    log_in(approval_clerk)
    page.goto(f"{page.url.rstrip('/')}/facilities/{facility.pk}/")
    # when: the clerk opens the issuing page from the facility
    page.get_by_role("link", name="登记核发排污许可证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记核发排污许可证")
    page.get_by_label("许可证编号").fill("91310107TESTE2E001P")
    page.get_by_label("发证日期").fill("2026-03-02")
    page.get_by_label("有效期起").fill("2026-03-02")
    page.get_by_label("有效期至").fill("2031-03-01")
    outlet = page.locator("[data-row='outlets-1']")
    outlet.get_by_label("排放口编号").fill("DA001")
    outlet.get_by_label("类别").select_option(label="废气")
    limit = page.locator("[data-row='limits-1']")
    limit.get_by_label("排放口编号").fill("DA002")  # not an outlet of this permit
    limit.get_by_label("污染物").fill("颗粒物")
    limit.get_by_label("许可排放浓度").fill("20")
    limit.get_by_label("浓度单位").fill("mg/m³")
    requirement = page.locator("[data-row='requirements-1']")
    requirement.get_by_label("整改要求").fill("2026 年 6 月底前完成废气收集改造")
    requirement.get_by_label("整改期限").fill("2026-06-30")
    requirement.get_by_label("整改责任人").fill("王厂长")
    page.get_by_role("button", name="登记许可证").click()
    # then: the refused row says why, and nothing typed is lost
    expect(page.get_by_role("alert").first).to_contain_text("未保存")
    expect(limit).to_contain_text("排放口“DA002”不在本许可证的排放口中。")
    expect(requirement.get_by_label("整改要求")).to_have_value("2026 年 6 月底前完成废气收集改造")
    page.screenshot(path=str(screenshot_dir / "issue-refused.png"), full_page=True)
    # when: the clerk fixes the row
    limit.get_by_label("排放口编号").fill("DA001")
    page.get_by_role("button", name="登记许可证").click()
    # then: back on the facility page with the permit, its outlet and limit, and the ledger item
    expect(page).to_have_url(re.compile(rf"/facilities/{facility.pk}/#permits$"))
    expect(page.get_by_text("已登记排污许可证 91310107TESTE2E001P（首次申请）。")).to_be_visible()
    expect(page.locator("#permits")).to_contain_text("DA001")
    expect(page.locator("#rectifications")).to_contain_text("2026 年 6 月底前完成废气收集改造")
    page.screenshot(path=str(screenshot_dir / "issued.png"), full_page=True)
    assert Permit.objects.get().outlets.get().limits.get().pollutant == "颗粒物"
    assert RectificationItem.objects.get().source_kind == "permit"
