"""The execution-report review on a phone (R-REP-2, R-REP-3): the 生态科 clerk finds the part to review
on the home page's 待办, fills it on a 375 px screen without sideways scrolling, adopts the proposed
exceedance; the notice page fits the same screen."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from permits.models import ProblemStatus, ReviewPart
from permits.reports.services import reviews

# The execution-report fixtures, shared with tests/permits/reports (a conftest reaches only its folder).
from tests.permits.reports.conftest import (  # noqa: F401
    issued_notice,  # noqa: F811
    march_report,  # noqa: F811
    monthly_permit,
    signed_review,
)

pytestmark = pytest.mark.today(date(2026, 5, 6))

PHONE = {"width": 375, "height": 740}


def test_r_rep_2_a_section_reviews_its_part_on_a_phone(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    march_report,  # noqa: F811
    approval_clerk,
    ecology_clerk,
):
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    page.set_viewport_size(PHONE)
    log_in(ecology_clerk)
    page.get_by_role("link", name="待审核：", exact=False).first.click()
    expect(page.locator("#part-ecology")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "1-review-375.png"), full_page=True)
    # when: every point 无问题 but the emissions, where the exceedance is adopted
    fill = page.locator('form[data-form="fill"]')
    for fieldset in fill.locator("fieldset.point").all():
        if fieldset.get_attribute("data-point") != "actual_emissions":
            fieldset.get_by_label("无问题").check()
    fill.get_by_role("button", name="保存本科室审核结果").click()
    expect(page.locator(".messages")).to_contain_text("已保存生态科的审核部分")
    page.locator('form[data-form="adopt"]').get_by_role("button", name="采纳").click()
    expect(page.locator(".messages")).to_contain_text("已采纳超标提示")
    # then: nothing is missing, and the part waits for its head
    part = ReviewPart.objects.get(review=review, section_code="ecology")
    assert part.results.count() == 6 and part.problems.get().status == ProblemStatus.OPEN
    expect(page.locator("#part-ecology [data-gaps]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_r_rep_3_the_notice_and_the_complete_review_fit_a_phone(
    page: Page,
    live_server,
    log_in,
    screenshot_dir,
    issued_notice,  # noqa: F811
    approval_clerk,
):
    page.set_viewport_size(PHONE)
    log_in(approval_clerk)
    page.goto(f"{live_server.url}/execution-reports/notices/{issued_notice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(issued_notice.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "2-notice-375.png"), full_page=True)
    page.goto(f"{live_server.url}/execution-reports/reviews/{issued_notice.review_id}/")
    expect(page.locator("[data-signed]")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
