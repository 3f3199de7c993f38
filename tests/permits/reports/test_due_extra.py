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
