"""R-REP-1 details the review of the first version found: reminders only for ended periods, the
bureau's date from which missing reports become leads, the board's per-town table, a sample's reviews."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permits.models import ExecutionReport, ReportLead, ReviewSample
from permits.reports import rules
from permits.reports.services import due, receipts, reviews
from tests.permits.reports.conftest import MARCH

pytestmark = pytest.mark.django_db


def test_r_rep_1_no_reminder_for_a_period_not_yet_ended(monthly_permit, approval_clerk):
    with pytest.raises(ValidationError, match="尚未结束"):
        receipts.request_report(
            by=approval_clerk,
            permit=monthly_permit,
            period=rules.Period(rules.MONTH, 2026, 5),
            requested_on=date(2026, 5, 20),
            today=date(2026, 5, 20),
        )
    assert not ExecutionReport.objects.exists()


def test_r_rep_1_missing_reports_due_before_the_bureaus_start_date_make_no_lead(
    monthly_permit, approval_clerk
):
    # given: the bureau starts leads with reports due from 1 March 2026
    due.update_report_settings(by=approval_clerk, leads_from=date(2026, 3, 1))
    # when: the daily job runs with the permit's reports since June 2025 all missing
    due.check_reports_due(today=date(2026, 5, 20))
    # then: only reports due on or after 1 March 2026 and past the 30-day grace became leads
    due_dates = sorted(lead.report.due_on for lead in ReportLead.objects.filter(kind="missing"))
    assert due_dates and min(due_dates) >= date(2026, 3, 1)
    assert max(due_dates) <= date(2026, 4, 19)


def test_r_rep_2_the_sample_page_opens_reviews_of_the_reports_drawn(client, march_report, approval_clerk):
    sample = reviews.draw_review_sample(by=approval_clerk, period=MARCH, share=100, today=date(2026, 4, 20))
    client.force_login(approval_clerk)
    response = client.post(f"/execution-reports/samples/{sample.pk}/", follow=True)
    assert "已对抽中的 1 份报告发起审核" in response.content.decode()
    assert march_report.reviews.get().sample == ReviewSample.objects.get()


def test_r_rep_2_only_approval_opens_a_samples_reviews(client, march_report, approval_clerk, ecology_clerk):
    sample = reviews.draw_review_sample(by=ecology_clerk, period=MARCH, share=100, today=date(2026, 4, 20))
    client.force_login(ecology_clerk)
    assert client.post(f"/execution-reports/samples/{sample.pk}/").status_code == 403
    assert not march_report.reviews.exists()


def test_r_rep_1_the_per_town_table_puts_each_count_under_its_heading(
    client, monthly_permit, town_b, approval_clerk, today
):
    # given: March filed on time in town A; a second monthly permit in town B that never filed
    from tests.factories.permits import FacilityFactory, PermitFactory

    other = PermitFactory(
        facility=FacilityFactory(town=town_b, management_level="key"),
        issued_on=date(2025, 6, 1),
        report_frequency="monthly",
    )
    receipts.record_receipt(
        by=approval_clerk,
        permit=monthly_permit,
        period=MARCH,
        received_on=date(2026, 4, 10),
        today=date(2026, 4, 20),
    )
    due.get_or_make_report(other, MARCH, by=None)
    client.force_login(approval_clerk)
    # when
    page = client.get("/execution-reports/", {"period": MARCH.code}).content.decode()
    # then: each town's row has one cell per state, and the counts sit under their own state
    import re

    heading = re.search(r'<details id="board-by-town">.*?</details>', page, re.S).group(0)
    names = re.findall(r"<th>([^<]+)</th>", heading)[3:]
    assert names == list(rules.RECEIPT_NAMES.values())
    row_a = re.search(rf'<tr data-town="{monthly_permit.facility.town.code}".*?</tr>', heading, re.S).group(0)
    row_b = re.search(rf'<tr data-town="{town_b.code}".*?</tr>', heading, re.S).group(0)
    assert re.search(r'data-receipt="on_time"[^>]*><a[^>]*>1</a>', row_a)
    assert re.search(r'data-receipt="missing"[^>]*><a[^>]*>1</a>', row_b)
    assert re.search(r'data-receipt="missing"[^>]*><a[^>]*>0</a>', row_a)


def test_r_rep_1_a_receipt_updates_the_late_line_at_once(monthly_permit, approval_clerk):
    from bureau.models import TodoItem

    # given: the daily job flagged March (and the other missing months) as late
    due.check_reports_due(today=date(2026, 4, 20))
    line = TodoItem.objects.get(key="report-late:2026-03")
    assert line.title == "2026年3月执行报告逾期未报 1 份，请催报或核实" and line.due_on == date(2026, 4, 15)
    # when: March arrives late
    receipts.record_receipt(
        by=approval_clerk,
        permit=monthly_permit,
        period=MARCH,
        received_on=date(2026, 4, 20),
        today=date(2026, 4, 20),
    )
    # then: the line is done without waiting for the next run
    line.refresh_from_db()
    assert line.done_at is not None


def test_r_org_3_a_town_reads_reports_and_notices_but_not_samples_or_settings(client, town_a_liaison):
    client.force_login(town_a_liaison)
    page = client.get("/execution-reports/").content.decode()
    assert "/execution-reports/notices/" in page and "/execution-reports/samples/" not in page
    assert client.get("/execution-reports/settings/").status_code == 403
    assert client.get("/execution-reports/samples/").status_code == 403


def test_r_rep_3_the_review_api_shows_the_full_review_with_rereview_decisions(
    api_client, issued_notice, approval_clerk
):
    from permits.reports.services import notices

    notices.record_answer(
        by=approval_clerk,
        notice=issued_notice,
        received_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
        platform_ref="ZXBG-2026-0002",
    )
    problem = issued_notice.problems.get(part__section_code="approval")
    notices.decide_problem(
        by=approval_clerk, problem=problem, is_fixed=True, reason="已补填", today=date(2026, 5, 7)
    )
    api_client.force_authenticate(approval_clerk)
    data = api_client.get(f"/api/v1/execution-reports/{issued_notice.report_id}/review/").json()
    assert data["round"] == 1 and len(data["parts"]) == 3
    (decided,) = [p for part in data["parts"] for p in part["problems"] if p["id"] == problem.pk]
    assert (decided["status"], decided["decision_note"], decided["decided_on"]) == (
        "closed",
        "已补填",
        "2026-05-07",
    )
