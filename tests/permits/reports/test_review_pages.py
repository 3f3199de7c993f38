"""R-REP-2 through the pages: opening reviews, the review screen with its three parts, each section
filling and its head signing only its own part, the proposed exceedances, the notice issued from the
screen (R-REP-3), and the screen's query budget."""

from datetime import date

import pytest
from django.urls import reverse

from bureau import history
from permits.models import (
    EmissionLimit,
    FeedbackNotice,
    Outlet,
    PartResult,
    ProblemStatus,
    ReportReview,
    ReviewProblem,
)
from permits.reports import rules
from permits.reports.services import due, receipts, reviews
from tests.permits.reports.conftest import MARCH, fill_fine

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 6))]


def screen_url(review) -> str:
    return reverse("permits:review-detail", args=[review.pk])


def post_step(client, user, review, **data):
    client.force_login(user)
    return client.post(screen_url(review), data)


@pytest.fixture
def open_review(march_report, approval_clerk):
    return reviews.open_review(by=approval_clerk, report=march_report, today=date(2026, 4, 21))


def fill_data(code: str, result: str = rules.FINE, **overrides) -> dict:
    data = {"action": "fill", "part": code, f"{code}-note": "经核查"}
    for point in rules.CHECK_POINTS[code]:
        data[f"{code}-result_{point.code}"] = overrides.get(point.code, result)
        data[f"{code}-note_{point.code}"] = ""
    return data


# Opening -------------------------------------------------------------------------------------------------


def test_r_rep_2_approval_opens_a_review_and_lands_on_its_screen(client, march_report, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(reverse("permits:review-open", args=[march_report.pk]))
    review = ReportReview.objects.get(report=march_report)
    assert response.status_code == 302 and response.url == screen_url(review)
    assert sorted(review.parts.values_list("section_code", flat=True)) == sorted(rules.REVIEW_SECTIONS)


def test_r_rep_2_another_section_may_not_open_a_review(client, march_report, ecology_clerk):
    client.force_login(ecology_clerk)
    response = client.post(reverse("permits:review-open", args=[march_report.pk]))
    assert response.status_code == 403
    assert "审批科" in response.content.decode()
    assert not ReportReview.objects.exists()


def test_r_rep_2_opening_twice_says_why_and_writes_nothing(client, open_review, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(reverse("permits:review-open", args=[open_review.report_id]), follow=True)
    assert "已有进行中的审核" in response.content.decode()
    assert ReportReview.objects.count() == 1


def test_r_rep_2_open_many_reports_names_those_skipped(client, monthly_permit, march_report, approval_clerk):
    # given: March received, April owed but not received
    april = due.get_or_make_report(monthly_permit, rules.Period(rules.MONTH, 2026, 4), by=approval_clerk)
    client.force_login(approval_clerk)
    # when
    response = client.post(
        reverse("permits:reviews-open-many"), {"report": [march_report.pk, april.pk]}, follow=True
    )
    # then
    page = response.content.decode()
    assert response.redirect_chain[0][0] == reverse("permits:report-board")
    assert "已发起 1 份执行报告的审核" in page
    assert "未发起" in page and "尚未收到" in page
    assert list(ReportReview.objects.values_list("report_id", flat=True)) == [march_report.pk]


def test_r_rep_2_open_many_is_for_approval_only(client, march_report, pollution_clerk):
    client.force_login(pollution_clerk)
    response = client.post(reverse("permits:reviews-open-many"), {"report": [march_report.pk]})
    assert response.status_code == 403
    assert not ReportReview.objects.exists()


# Each section its own part -------------------------------------------------------------------------------


def test_r_rep_2_each_section_gets_the_form_of_its_own_part_only(client, open_review, ecology_clerk):
    client.force_login(ecology_clerk)
    page = client.get(screen_url(open_review)).content.decode()
    assert page.count('data-form="fill"') == 1
    ecology = page[page.index('id="part-ecology"') : page.index('id="part-pollution"')]
    assert 'data-form="fill"' in ecology and 'data-form="adopt"' in ecology
    for point in rules.CHECK_POINTS["ecology"]:
        assert point.name in ecology
    assert 'data-form="sign"' not in page


def test_r_rep_2_a_section_fills_its_part_through_the_page(client, open_review, ecology_clerk):
    response = post_step(client, ecology_clerk, open_review, **fill_data("ecology"))
    assert response.status_code == 302
    part = open_review.parts.get(section_code="ecology")
    assert part.results.count() == 6 and part.note == "经核查" and part.filled_by == ecology_clerk


def test_r_rep_2_another_section_posting_a_part_gets_403_and_writes_nothing(
    client, open_review, approval_clerk
):
    response = post_step(client, approval_clerk, open_review, **fill_data("ecology"))
    assert response.status_code == 403
    assert "这是生态科的审核部分，只能由生态科填写" in response.content.decode()
    assert not PartResult.objects.exists()


def test_r_rep_2_a_problem_written_on_the_page_marks_its_point(client, open_review, approval_clerk):
    response = post_step(
        client,
        approval_clerk,
        open_review,
        action="problem",
        part="approval",
        **{
            "problem-approval-point": "basic_information",
            "problem-approval-description": "法定代表人漏填",
            "problem-approval-problem_class": rules.PROCEDURAL,
        },
    )
    assert response.status_code == 302
    problem = ReviewProblem.objects.get(part__section_code="approval")
    assert problem.status == ProblemStatus.OPEN and problem.problem_class == rules.PROCEDURAL
    assert PartResult.objects.get(part=problem.part, point="basic_information").result == rules.PROBLEM


def test_r_rep_2_a_problem_under_another_sections_point_is_refused(client, open_review, approval_clerk):
    response = post_step(
        client,
        approval_clerk,
        open_review,
        action="problem",
        part="approval",
        **{
            "problem-approval-point": "self_monitoring",
            "problem-approval-description": "x",
            "problem-approval-problem_class": rules.PROCEDURAL,
        },
    )
    assert response.status_code == 400
    assert not ReviewProblem.objects.exclude(status=ProblemStatus.PROPOSED).exists()


def test_r_rep_2_dismissing_a_proposal_needs_a_reason(client, open_review, pollution_clerk):
    proposal = open_review.problems.get(part__section_code="pollution")
    response = post_step(
        client, pollution_clerk, open_review, action="proposal", problem=proposal.pk, adopt="0", reason=""
    )
    assert response.status_code == 400
    assert "不予采纳须说明理由" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProblemStatus.PROPOSED


def test_r_rep_2_a_section_adopts_its_proposal_and_not_anothers(
    client, open_review, ecology_clerk, pollution_clerk
):
    ecology = open_review.problems.get(part__section_code="ecology")
    refused = post_step(
        client, pollution_clerk, open_review, action="proposal", problem=ecology.pk, adopt="1",
        problem_class=rules.SUBSTANTIVE,
    )  # fmt: skip
    assert refused.status_code == 403
    ecology.refresh_from_db()
    assert ecology.status == ProblemStatus.PROPOSED
    adopted = post_step(
        client, ecology_clerk, open_review, action="proposal", problem=ecology.pk, adopt="1",
        problem_class=rules.SUBSTANTIVE,
    )  # fmt: skip
    assert adopted.status_code == 302
    ecology.refresh_from_db()
    assert ecology.status == ProblemStatus.OPEN and ecology.recorded_by == ecology_clerk


def test_r_rep_2_only_the_sections_head_signs_its_part(
    client, open_review, ecology_clerk, pollution_clerk, heads
):
    # given: 生态科 filled, the exceedance dismissed
    part = open_review.parts.get(section_code="ecology")
    fill_fine(part, ecology_clerk)
    reviews.decide_proposal(by=ecology_clerk, problem=part.problems.get(), adopt=False, reason="日均值达标")
    # then: neither the clerk nor another section's head may sign; the head gets the button and signs
    for user, message in ((ecology_clerk, "负责人签核"), (heads["pollution"], "这是生态科的审核部分")):
        response = post_step(client, user, open_review, action="sign", part="ecology")
        assert response.status_code == 403 and message in response.content.decode()
    part.refresh_from_db()
    assert not part.is_signed
    client.force_login(heads["ecology"])
    assert client.get(screen_url(open_review)).content.decode().count('data-form="sign"') == 1
    assert post_step(client, heads["ecology"], open_review, action="sign", part="ecology").status_code == 302
    part.refresh_from_db()
    assert part.signed_by == heads["ecology"] and part.signed_on == date(2026, 5, 6)


def test_r_rep_2_signing_with_gaps_shows_what_is_missing(client, open_review, heads):
    response = post_step(client, heads["approval"], open_review, action="sign", part="approval")
    assert response.status_code == 400
    page = response.content.decode()
    assert "不能签核" in page and "「企业基本信息」尚未填写检查结果" in page


def test_r_rep_2_a_town_reads_its_own_review_and_nothing_of_another_town(
    client, open_review, town_a_liaison, town_b_liaison
):
    client.force_login(town_a_liaison)
    page = client.get(screen_url(open_review))
    assert page.status_code == 200 and 'data-form="' not in page.content.decode()
    client.force_login(town_b_liaison)
    assert client.get(screen_url(open_review)).status_code == 404


# The notice from the screen ------------------------------------------------------------------------------


def test_r_rep_3_approval_issues_the_notice_from_the_complete_review(client, signed_review, approval_clerk):
    due.report_settings()
    client.force_login(approval_clerk)
    assert "data-issue-form" in client.get(screen_url(signed_review)).content.decode()
    response = client.post(
        screen_url(signed_review),
        {"action": "issue", "issued_on": "2026-04-23", "time_limit_workdays": "10", "contact": "王审批 0000"},
    )
    notice = FeedbackNotice.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "permits:feedback-notice", args=[notice.pk]
    )
    assert notice.problems.count() == 2 and notice.due_on == date(2026, 5, 11)


def test_r_rep_3_another_section_may_not_issue_the_notice(client, signed_review, ecology_clerk):
    client.force_login(ecology_clerk)
    assert "data-issue-form" not in client.get(screen_url(signed_review)).content.decode()
    response = client.post(
        screen_url(signed_review),
        {"action": "issue", "issued_on": "2026-04-23", "time_limit_workdays": "10", "contact": "x"},
    )
    assert response.status_code == 403
    assert not FeedbackNotice.objects.exists()


def test_r_rep_3_a_notice_dated_in_the_future_is_refused(client, signed_review, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(
        screen_url(signed_review),
        {"action": "issue", "issued_on": "2026-05-07", "time_limit_workdays": "10", "contact": "x"},
    )
    assert response.status_code == 400 and "反馈日期不能晚于今天" in response.content.decode()
    assert not FeedbackNotice.objects.exists()


# Query budget --------------------------------------------------------------------------------------------


def test_r_rep_2_review_screen_costs_fixed_queries(
    client, signed_review, approval_clerk, django_assert_num_queries
):
    # given: a complete review, 18 check-point results, two problems and a dismissed proposal
    due.report_settings()
    client.force_login(approval_clerk)
    # Expect 7 queries: session, user with staff/section/town, the review with its report, permit,
    # facility, town, version, notice and opener, its parts with section and signers, their results,
    # their problems with who decided them, the report settings (the notice form's defaults).
    with django_assert_num_queries(7):
        response = client.get(screen_url(signed_review))
    page = response.content.decode()
    assert page.count("<li data-point=") == 18
    assert page.count("data-problem=") == 2 and page.count("data-signed") == 3


def test_r_rep_2_open_review_screen_costs_the_same_with_many_proposals(
    client, monthly_permit, approval_clerk, ecology_clerk, django_assert_num_queries
):
    # given: a report with six outlets' figures over the limits, so twelve proposals across two parts
    emissions = []
    for n in range(2, 7):
        outlet = history.save(
            Outlet(permit=monthly_permit, code=f"DA00{n}", kind="gas", name="排口"), by=None
        )
        history.save(
            EmissionLimit(outlet=outlet, pollutant="颗粒物", concentration=20, unit="mg/m³"), by=None
        )
        emissions.append(receipts.Emission(f"DA00{n}", "颗粒物", concentration=30))
    version = receipts.record_receipt(
        by=approval_clerk, permit=monthly_permit, period=MARCH, received_on=date(2026, 4, 10),
        today=date(2026, 4, 20), emissions=[receipts.Emission("DA001", "颗粒物", concentration=25), *emissions],
    )  # fmt: skip
    review = reviews.open_review(by=approval_clerk, report=version.report, today=date(2026, 4, 21))
    fill_fine(review.parts.get(section_code="approval"), approval_clerk)
    client.force_login(ecology_clerk)
    # Expect 6 queries: session, user with staff/section/town, the review with its report and the
    # rest, its parts, their results, their problems.
    with django_assert_num_queries(6):
        page = client.get(screen_url(review)).content.decode()
    assert page.count("data-proposal=") == 12 and page.count('data-form="adopt"') == 6
