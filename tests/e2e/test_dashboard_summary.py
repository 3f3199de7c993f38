"""A section head's month in a real browser (issue 13): 审批科's head opens 工作看板 from the navigation,
reads how many permits expire within 90 days, follows the figure to the facility list and finds
exactly those units there, then opens 工作小结, opens last month's summary and downloads its PDF.
"""

import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reports import summary
from tests.factories.permits import FacilityFactory, PermitFactory

TODAY = date(2026, 6, 15)
pytestmark = pytest.mark.today(TODAY)


def test_a_section_head_follows_a_figure_and_downloads_the_monthly_summary(
    page: Page, live_server, log_in, screenshot_dir, approval_head, approval_clerk, town_a, town_b
):
    # given: two permits expire within 90 days (one in each town), one later, one already expired
    for n, town, days in ((1, town_a, 20), (2, town_b, 80), (3, town_a, 200), (4, town_b, -5)):
        facility = FacilityFactory(n=n, town=town, by=approval_clerk, name=f"第{n}化工厂")
        PermitFactory(facility=facility, by=approval_clerk, valid_until=TODAY + timedelta(days=days))
    summary.prepare(year=2026, month=5, by=None, today=TODAY)

    # when: the head opens the dashboard from the navigation
    log_in(approval_head)
    page.get_by_role("navigation").get_by_role("link", name="工作看板").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("看板")
    figure = page.locator('[data-figure="expiring/90 天内到期"]')
    expect(figure).to_have_text("2")
    page.screenshot(path=screenshot_dir / "dashboard.png", full_page=True)

    # then: the figure opens the facility list filtered to exactly those two units
    figure.click()
    expect(page).to_have_url(re.compile(r"/facilities/\?.*expiring_within=90"))
    expect(page.get_by_text("第1化工厂")).to_be_visible()
    expect(page.get_by_text("第2化工厂")).to_be_visible()
    expect(page.get_by_text("第3化工厂")).to_have_count(0)
    expect(page.get_by_text("第4化工厂")).to_have_count(0)

    # when: the head opens last month's summary and downloads its PDF
    page.get_by_role("navigation").get_by_role("link", name="工作小结").click()
    page.get_by_role("link", name="2026年5月").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026年5月")
    pdf_link = page.locator("[data-summary-pdf]")
    response = page.context.request.get(live_server.url + pdf_link.get_attribute("href"))

    # then: a PDF of the month, in Chinese, with the bureau's header and page numbers
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "2026年5月" in text and "第 1 页" in text
    assert "检查" in text and "三监联动" in text
