"""R-REP-3, R-REP-4 through the pages: the notice list and its filter, one notice with every problem,
its section, check point, ledger and escalation, the answer recorded by 审批科 as a new version, the
re-review by each section of its own problems, and the query budgets."""

from datetime import date

import pytest
from django.urls import reverse

from permits.models import FeedbackNotice, NoticeState, ProblemStatus, ReportVersion
from permits.reports import rules
from permits.reports.services import notices, receipts, reviews
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.permits.reports.conftest import MARCH, fill_fine

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 6))]


def notice_url(notice) -> str:
    return reverse("permits:feedback-notice", args=[notice.pk])


def make_notice(town, approval_clerk, ecology_clerk, pollution_clerk, heads) -> FeedbackNotice:
    """A March report of a new facility in ``town`` with one procedural problem of 审批科, noticed."""
    permit = PermitFactory(
        facility=FacilityFactory(town=town), issued_on=date(2025, 6, 1), report_frequency="monthly"
    )
    version = receipts.record_receipt(
        by=approval_clerk, permit=permit, period=MARCH, received_on=date(2026, 4, 10), today=date(2026, 4, 20)
    )
    review = reviews.open_review(by=approval_clerk, report=version.report, today=date(2026, 4, 21))
    parts = {p.section_code: p for p in review.parts.all()}
    fill_fine(parts["approval"], approval_clerk, except_point="attachments")
    reviews.add_problem(
        by=approval_clerk, part=parts["approval"], point="attachments", description="附件缺失",
        problem_class=rules.PROCEDURAL,
    )  # fmt: skip
    fill_fine(parts["ecology"], ecology_clerk)
    fill_fine(parts["pollution"], pollution_clerk)
    for code in rules.REVIEW_SECTIONS:
        reviews.sign_part(by=heads[code], part=parts[code], today=date(2026, 4, 22))
    review.refresh_from_db()
    return notices.issue_notice(
        by=approval_clerk,
        review=review,
        issued_on=date(2026, 4, 23),
        today=date(2026, 4, 23),
        contact="王 0000",
    )


# The notice ----------------------------------------------------------------------------------------------


def test_r_rep_3_notice_shows_every_problem_with_its_section_point_ledger_and_lead(
    client, issued_notice, officer
):
    client.force_login(officer)
    page = client.get(notice_url(issued_notice)).content.decode()
    assert issued_notice.number in page
    assert issued_notice.report.facility.name in page and "2026年3月执行报告" in page
    assert "10 个工作日" in page and "2026-05-11" in page and "王审批 021-00000000" in page
    assert page.count("<tr data-problem=") == 2
    assert "审批科 · 企业基本信息" in page and "生态科 · 实际排放情况及达标判定分析" in page
    assert "程序性问题（漏填、错填等）" in page and "实质性问题（未按证排污等）" in page
    substantive = issued_notice.problems.get(problem_class=rules.SUBSTANTIVE)
    assert f"?source_key={substantive.source_key.replace(':', '%3A')}" in page
    assert page.count("data-lead>") == 1 and substantive.lead.task_number in page
    assert reverse("permits:feedback-notice-pdf", args=[issued_notice.pk]) in page
    assert "data-answer-form" not in page


def test_r_rep_3_answer_is_recorded_by_approval_as_a_new_version_and_opens_the_rereview(
    client, issued_notice, approval_clerk
):
    client.force_login(approval_clerk)
    assert "data-answer-form" in client.get(notice_url(issued_notice)).content.decode()
    response = client.post(
        notice_url(issued_notice),
        {"received_on": "2026-05-06", "kind": "corrected", "platform_ref": "ZXBG-2", "note": "已补填"},
    )
    issued_notice.refresh_from_db()
    rereview = issued_notice.rereviews.get()
    assert response.status_code == 302 and response.url == reverse(
        "permits:review-detail", args=[rereview.pk]
    )
    assert issued_notice.state == NoticeState.ANSWERED
    assert list(ReportVersion.objects.order_by("number").values_list("number", "kind")) == [
        (1, "report"),
        (2, "corrected"),
    ]
    page = client.get(notice_url(issued_notice)).content.decode()
    assert "data-rereview-link" in page and "data-answer-form" not in page


def test_r_rep_3_another_section_may_not_record_the_answer(client, issued_notice, ecology_clerk):
    client.force_login(ecology_clerk)
    response = client.post(notice_url(issued_notice), {"received_on": "2026-05-06", "kind": "corrected"})
    assert response.status_code == 403 and "审批科" in response.content.decode()
    assert ReportVersion.objects.count() == 1


def test_r_rep_3_an_answer_dated_in_the_future_is_refused(client, issued_notice, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(notice_url(issued_notice), {"received_on": "2026-05-07", "kind": "corrected"})
    assert response.status_code == 400 and "答复日期不能晚于今天" in response.content.decode()
    issued_notice.refresh_from_db()
    assert issued_notice.state == NoticeState.ISSUED and ReportVersion.objects.count() == 1


def test_r_rep_3_an_answer_file_of_the_wrong_type_is_refused(client, issued_notice, approval_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(approval_clerk)
    upload = SimpleUploadedFile("答复.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(
        notice_url(issued_notice), {"received_on": "2026-05-06", "kind": "corrected", "file": upload}
    )
    assert response.status_code == 400 and "只接受" in response.content.decode()
    assert ReportVersion.objects.count() == 1


def test_a_town_sees_only_its_own_notices(client, issued_notice, town_b_liaison, town_a_liaison):
    client.force_login(town_b_liaison)
    assert client.get(notice_url(issued_notice)).status_code == 404
    assert issued_notice.number not in client.get(reverse("permits:notice-list")).content.decode()
    client.force_login(town_a_liaison)
    assert issued_notice.number in client.get(reverse("permits:notice-list")).content.decode()


# The re-review -------------------------------------------------------------------------------------------


@pytest.fixture
def rereview(issued_notice, approval_clerk):
    return notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )


def test_r_rep_3_each_section_rereviews_its_own_problems_and_its_head_signs(
    client, rereview, issued_notice, approval_clerk, ecology_clerk, heads
):
    url = reverse("permits:review-detail", args=[rereview.pk])
    ecology_problem = issued_notice.problems.get(part__section_code="ecology")
    approval_problem = issued_notice.problems.get(part__section_code="approval")
    # 审批科 may not decide 生态科's problem
    client.force_login(approval_clerk)
    page = client.get(url).content.decode()
    assert page.count('data-form="decide"') == 1
    refused = client.post(
        url, {"action": "decide", "problem": ecology_problem.pk, "is_fixed": "1", "reason": "x"}
    )
    assert refused.status_code == 403
    ecology_problem.refresh_from_db()
    assert ecology_problem.decided_on is None
    # each section decides its own
    ok = client.post(
        url, {"action": "decide", "problem": approval_problem.pk, "is_fixed": "1", "reason": "已补填"}
    )
    assert ok.status_code == 302
    client.force_login(ecology_clerk)
    kept = client.post(
        url, {"action": "decide", "problem": ecology_problem.pk, "is_fixed": "0", "reason": "仍超标"}
    )
    assert kept.status_code == 302
    # both heads sign; the notice is closed
    for code in ("approval", "ecology"):
        client.force_login(heads[code])
        assert client.post(url, {"action": "sign", "part": code}).status_code == 302
    issued_notice.refresh_from_db()
    approval_problem.refresh_from_db()
    ecology_problem.refresh_from_db()
    assert issued_notice.state == NoticeState.CLOSED
    assert (approval_problem.status, ecology_problem.status) == (ProblemStatus.CLOSED, ProblemStatus.OPEN)


def test_r_rep_3_a_head_may_not_sign_the_rereview_before_every_problem_is_decided(client, rereview, heads):
    client.force_login(heads["ecology"])
    response = client.post(
        reverse("permits:review-detail", args=[rereview.pk]), {"action": "sign", "part": "ecology"}
    )
    assert response.status_code == 400 and "的问题尚未复核" in response.content.decode()


def test_r_rep_3_rereview_screen_costs_fixed_queries(
    client, rereview, ecology_clerk, django_assert_num_queries
):
    client.force_login(ecology_clerk)
    # Expect 7 queries: session, user with staff/section/town, the review with its report, version and
    # the notice it answers, its parts, their results, their problems (none: they are the first
    # round's), the notice's problems with their parts, sections, leads and deciders.
    with django_assert_num_queries(7):
        page = client.get(reverse("permits:review-detail", args=[rereview.pk])).content.decode()
    assert page.count("<li data-problem=") == 2 and page.count('data-form="decide"') == 1


# Budgets -------------------------------------------------------------------------------------------------


def test_r_rep_3_notice_page_costs_fixed_queries(
    client, issued_notice, approval_clerk, django_assert_num_queries
):
    # given: the notice answered, so the page also shows the re-review
    notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    client.force_login(approval_clerk)
    # Expect 5 queries: session, user with staff/section/town, the notice with its report, permit,
    # facility, town, review and signer, its problems with parts, sections, leads and deciders, the
    # latest re-review with its version.
    with django_assert_num_queries(5):
        page = client.get(notice_url(issued_notice)).content.decode()
    assert page.count("<tr data-problem=") == 2 and "data-rereview-link" in page


def test_r_rep_3_notice_list_costs_fixed_queries_and_filters_by_state(
    client, town_a, town_b, approval_clerk, ecology_clerk, pollution_clerk, heads, django_assert_num_queries,
    work_calendar,
):  # fmt: skip
    # given: six notices of six facilities in two towns, one of them answered
    made = [
        make_notice(town, approval_clerk, ecology_clerk, pollution_clerk, heads)
        for town in (town_a, town_b) * 3
    ]
    notices.record_answer(
        platform_ref="ZXBG-DA-0001",
        by=approval_clerk,
        notice=made[0],
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    client.force_login(approval_clerk)
    # Expect 4 queries: session, user with staff/section/town, the count for the pager, the page of
    # notices with report, permit, facility, town and their problem counts.
    with django_assert_num_queries(4):
        page = client.get(reverse("permits:notice-list")).content.decode()
    assert page.count("<tr class=") == 6 and all(n.number in page for n in made)
    answered = client.get(reverse("permits:notice-list"), {"state": "answered"}).content.decode()
    assert answered.count("<tr class=") == 1 and made[0].number in answered


def test_r_rep_3_the_answer_carries_the_corrected_reports_emissions(client, issued_notice, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(
        f"/execution-reports/notices/{issued_notice.pk}/",
        {
            "received_on": "2026-05-06",
            "kind": "corrected",
            "platform_ref": "ZXBG-2026-0002",
            "emission-TOTAL_FORMS": "3",
            "emission-INITIAL_FORMS": "0",
            "emission-0-outlet": "DA001",
            "emission-0-pollutant": "颗粒物",
            "emission-0-concentration": "18.5",
        },
    )
    assert response.status_code == 302
    version = issued_notice.report.versions.get(number=2)
    assert [(e.outlet.code, e.pollutant, str(e.concentration)) for e in version.emissions.all()] == [
        ("DA001", "颗粒物", "18.500")
    ]


def test_r_rep_3_an_answer_with_an_unknown_outlet_writes_nothing(client, issued_notice, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(
        f"/execution-reports/notices/{issued_notice.pk}/",
        {
            "received_on": "2026-05-06",
            "kind": "corrected",
            "platform_ref": "ZXBG-2026-0002",
            "emission-TOTAL_FORMS": "1",
            "emission-INITIAL_FORMS": "0",
            "emission-0-outlet": "DA009",
            "emission-0-pollutant": "颗粒物",
            "emission-0-concentration": "18.5",
        },
    )
    assert response.status_code == 400
    assert "没有排放口“DA009”" in response.content.decode()
    issued_notice.refresh_from_db()
    assert issued_notice.state == "issued" and issued_notice.report.versions.count() == 1


def test_r_rep_3_an_answer_names_its_file_or_platform_reference(client, issued_notice, approval_clerk):
    client.force_login(approval_clerk)
    response = client.post(notice_url(issued_notice), {"received_on": "2026-05-06", "kind": "corrected"})
    assert response.status_code == 400
    assert "请上传答复文件或填写平台报告编号" in response.content.decode()
    assert issued_notice.report.versions.count() == 1


def test_r_rep_3_notice_list_costs_the_same_with_1_and_with_6_notices(
    client, town_a, town_b, approval_clerk, ecology_clerk, pollution_clerk, heads, work_calendar,
):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(approval_clerk)

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("permits:notice-list")).status_code == 200
        return len(captured.captured_queries)

    make_notice(town_a, approval_clerk, ecology_clerk, pollution_clerk, heads)
    few = cost()
    for town in (town_b, town_a) * 3:
        make_notice(town, approval_clerk, ecology_clerk, pollution_clerk, heads)
    # Expect 4 queries either way: session, user, the one count for the pager, the page of notices.
    assert few == cost() == 4
