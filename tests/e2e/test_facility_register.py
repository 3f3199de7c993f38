"""登记污染源 in a real browser (R-FAC-1): the approval clerk registers a new unit's site from the
facility list, then the unit's second site in another town from the first site's page."""

import re

from playwright.sync_api import Page, expect

from permits.models import Facility
from tests.factories.permits import credit_code


def fill_site(page: Page, *, name: str, town: str, address: str) -> None:
    page.get_by_label("污染源名称").fill(name)
    page.get_by_label("生产经营场所地址").fill(address)
    page.get_by_label("所属街镇").select_option(label=town)
    page.get_by_label("行业类别代码").fill("C2641")
    page.locator("#id_register_industry_name").fill("涂料制造")
    page.get_by_label("管理类别").select_option(label="重点管理")


def test_approval_clerk_registers_a_unit_and_its_second_site(
    page: Page, live_server, approval_clerk, log_in, town_a, town_b, screenshot_dir
):
    log_in(approval_clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="固定污染源").click()
    page.get_by_role("link", name="登记污染源").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记污染源")

    # a wrong check character is named and nothing typed is lost
    page.get_by_label("统一社会信用代码").fill(credit_code(41)[:17] + "0")
    fill_site(page, name="壬涂料有限公司", town="甲镇", address="甲镇工业路 41 号")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert").filter(has_text="校验位错误")).to_be_visible()
    expect(page.get_by_label("生产经营场所地址")).to_have_value("甲镇工业路 41 号")

    # corrected, the site is registered as site 001 of the new unit
    page.get_by_label("统一社会信用代码").fill(credit_code(41))
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text(f"已登记污染源 {credit_code(41)}001（壬涂料有限公司）。")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("壬涂料有限公司")

    # from its page, the unit's second site in another town
    page.get_by_role("link", name="为本单位登记另一个污染源").click()
    expect(page.get_by_label("统一社会信用代码")).to_have_value(credit_code(41))
    fill_site(page, name="壬涂料有限公司乙镇厂", town="乙镇", address="乙镇园区路 2 号")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text(f"已登记污染源 {credit_code(41)}002（壬涂料有限公司乙镇厂）。")).to_be_visible()
    expect(page.get_by_role("link", name="壬涂料有限公司", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "second-site.png"), full_page=True)

    sites = Facility.objects.order_by("site_number")
    assert [(f.source_code, f.town.name, f.industry_code) for f in sites] == [
        (f"{credit_code(41)}001", "甲镇", "2641"),
        (f"{credit_code(41)}002", "乙镇", "2641"),
    ]
    assert re.search(r"/facilities/\d+/$", page.url)
