"""R-REP-2: the reviewer's own queue on the home page's 待办: parts to fill for the section's clerks,
parts to sign for its head, notices to issue and answers to re-review for 审批科; a fixed number of
queries however many."""

from datetime import date

import pytest

from permits.reports import queries, rules
from permits.reports.services import notices, receipts, reviews
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.permits.reports.conftest import MARCH, fill_fine

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 6))]


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def open_reviews_of(n, town, approval_clerk):
    """``n`` open reviews of March reports of ``n`` facilities."""
    found = []
    for _ in range(n):
        permit = PermitFactory(
            facility=FacilityFactory(town=town), issued_on=date(2025, 6, 1), report_frequency="monthly"
        )
        version = receipts.record_receipt(
            by=approval_clerk,
            permit=permit,
            period=MARCH,
            received_on=date(2026, 4, 10),
            today=date(2026, 4, 20),
        )
        found.append(reviews.open_review(by=approval_clerk, report=version.report, today=date(2026, 4, 21)))
    return found


def test_r_rep_2_a_clerk_sees_the_parts_of_its_section_to_fill(
    client, march_report, approval_clerk, ecology_clerk
):
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    name = march_report.facility.name
    page = home(client, ecology_clerk)
    assert f"待审核：{name} 2026年3月执行报告（生态科部分）" in page
    assert f"/execution-reports/reviews/{review.pk}/" in page
    assert "（审批科部分）" not in page
    # once filled, it leaves the clerk's queue and waits for the head
    fill_fine(review.parts.get(section_code="ecology"), ecology_clerk)
    assert "生态科部分" not in home(client, ecology_clerk)


def test_r_rep_2_a_head_sees_the_parts_filled_and_awaiting_sign_off(
    client, march_report, approval_clerk, heads
):
    review = reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    assert "待签核" not in home(client, heads["approval"])
    fill_fine(review.parts.get(section_code="approval"), approval_clerk)
    page = home(client, heads["approval"])
    assert f"待签核：{march_report.facility.name} 2026年3月执行报告（审批科部分）" in page
    assert "生态科部分" not in page


def test_r_rep_3_approval_sees_notices_to_issue_and_answers_to_rereview(
    client, signed_review, approval_clerk, ecology_clerk
):
    name = signed_review.report.facility.name
    assert f"待出具反馈意见单：{name} 2026年3月执行报告" in home(client, approval_clerk)
    assert "待出具反馈意见单" not in home(client, ecology_clerk)
    notice = notices.issue_notice(
        by=approval_clerk,
        review=signed_review,
        issued_on=date(2026, 4, 23),
        today=date(2026, 4, 23),
        contact="王",
    )
    assert "待出具反馈意见单" not in home(client, approval_clerk)
    notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    page = home(client, approval_clerk)
    assert f"答复待复核：{notice.number} {name}" in page
    assert f"待复核：{name} 2026年3月执行报告（审批科部分）" in page
    assert f"待复核：{name} 2026年3月执行报告（生态科部分）" in home(client, ecology_clerk)


def test_r_rep_2_other_sections_have_no_review_queue_and_pay_no_query(
    march_report, approval_clerk, officer, town_a_liaison, django_assert_num_queries
):
    reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))
    with django_assert_num_queries(0):
        assert queries.review_queue(officer, date(2026, 5, 6)) == []
        assert queries.review_queue(town_a_liaison, date(2026, 5, 6)) == []


@pytest.mark.parametrize("size", [1, 6])
def test_r_rep_2_the_queue_costs_fixed_queries(
    town_a, approval_clerk, pollution_clerk, heads, django_assert_num_queries, size
):
    # given: open reviews, half of their 审批科 parts filled
    opened = open_reviews_of(size * 2, town_a, approval_clerk)
    for review in opened[:size]:
        fill_fine(review.parts.get(section_code=rules.APPROVAL), approval_clerk)
    # Expect 1 query for a clerk of 污防科: its unfilled parts with review, report and facility.
    with django_assert_num_queries(1):
        assert len(queries.review_queue(pollution_clerk, date(2026, 5, 6))) == 2 * size
    # Expect 2 queries for 审批科: its parts, the reviews to notice or to re-review.
    with django_assert_num_queries(2):
        assert len(queries.review_queue(approval_clerk, date(2026, 5, 6))) == size
    with django_assert_num_queries(2):
        assert len(queries.review_queue(heads["approval"], date(2026, 5, 6))) == size


@pytest.mark.parametrize("size", [1, 6])
def test_r_rep_2_home_page_costs_fixed_queries_for_a_reviewer(
    client, town_a, approval_clerk, ecology_clerk, django_assert_num_queries, size
):
    open_reviews_of(size, town_a, approval_clerk)
    client.force_login(ecology_clerk)
    # Expect 5 queries: session, user with staff/section/town, the to-do items, the linkage tasks
    # involving 生态科 (none, so no prefetch), the review parts of 生态科 to fill.
    with django_assert_num_queries(5):
        page = client.get("/").content.decode()
    assert page.count("（生态科部分）") == size
