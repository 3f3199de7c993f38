"""A facility's execution reports (R-REP-1) with 审批科's receipt and 催报 forms, and one report with its
versions, emissions against the permit's limits (R-REP-2), reviews, notices and leads, per role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau import history
from permits.models import Outlet
from permits.reports import rules
from permits.reports.models import ExecutionReport, ReportLead, ReportVersion
from permits.reports.services import due, receipts, reviews
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2026, 5, 20))

TODAY = date(2026, 5, 20)
MARCH = rules.Period(rules.MONTH, 2026, 3)
APRIL = rules.Period(rules.MONTH, 2026, 4)
PDF = b"%PDF-1.4\n% test\n"


def page_url(permit):
    return reverse("permits:facility-reports", args=[permit.facility_id])


def detail_url(report):
    return reverse("permits:report-detail", args=[report.pk])


def receipt_data(permit, **overrides):
    data = {
        "action": "receipt",
        "receipt-permit": permit.pk,
        "receipt-period": "2026-04",
        "receipt-received_on": "2026-05-12",
        "receipt-platform_ref": "ZXBG-2026-0404",
        "receipt-note": "",
        "emission-TOTAL_FORMS": 3,
        "emission-INITIAL_FORMS": 0,
        "emission-MIN_NUM_FORMS": 0,
        "emission-MAX_NUM_FORMS": 50,
    }
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# A facility's reports -------------------------------------------------------------------------------


def test_r_rep_1_the_page_lists_every_report_the_permit_owes(client, approval_clerk, march_report):
    permit = march_report.permit
    client.force_login(approval_clerk)

    response = client.get(page_url(permit))

    page = response.content.decode()
    # issued 1 June 2025, monthly: June 2025 … April 2026 (11 months) and the year 2025
    assert page.count("<tr data-period=") == 12
    assert 'data-period="2026-03" data-state="on_time"' in page
    assert 'data-period="2026-04" data-state="missing"' in page  # due 15 May
    assert 'data-period="2025" data-state="missing"' in page
    assert 'data-form="receipt"' in page and 'data-form="request"' in page
    assert reverse("permits:report-detail", args=[march_report.pk]) in page


def test_r_rep_1_the_facility_detail_page_links_to_its_reports(client, approval_clerk, monthly_permit):
    client.force_login(approval_clerk)

    page = client.get(reverse("permits:facility-detail", args=[monthly_permit.facility_id])).content.decode()

    assert page_url(monthly_permit) in page and "执行报告" in page


def test_r_rep_1_approval_records_a_receipt_with_its_file_and_emissions(
    client, approval_clerk, monthly_permit, media
):
    client.force_login(approval_clerk)
    data = receipt_data(
        monthly_permit,
        **{
            "receipt-file": SimpleUploadedFile("april.pdf", PDF, content_type="application/pdf"),
            "emission-0-outlet": "DA001",
            "emission-0-pollutant": "颗粒物",
            "emission-0-concentration": "18.5",
            "emission-1-outlet": "da001",
            "emission-1-pollutant": "二氧化硫",
            "emission-1-quantity": "0.8",
        },
    )

    response = client.post(page_url(monthly_permit), data)

    report = ExecutionReport.objects.get(permit=monthly_permit, period_start=APRIL.start)
    assert response.status_code == 302 and response.url == detail_url(report)
    assert report.received_on == date(2026, 5, 12) and report.version_count == 1
    version = report.versions.get()
    assert version.platform_ref == "ZXBG-2026-0404" and version.file.name.endswith(".pdf")
    assert {(e.pollutant, e.concentration, e.quantity) for e in version.emissions.all()} == {
        ("颗粒物", Decimal("18.500"), None),
        ("二氧化硫", None, Decimal("0.8000")),
    }
    download = client.get(reverse("permits:report-version-file", args=[report.pk, 1]))
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"receipt-received_on": "2026-05-21"}, "不能晚于今天"),
        ({"receipt-period": "2026-Q1"}, "不需提交季度执行报告"),
        ({"receipt-period": "2025-03"}, "不在许可证"),
        ({"receipt-period": "2026-13"}, "无法识别的报告期"),
        (
            {"emission-0-outlet": "DA009", "emission-0-pollutant": "颗粒物", "emission-0-concentration": "1"},
            "没有排放口",
        ),
        (
            {
                "emission-0-outlet": "DA001",
                "emission-0-pollutant": "颗粒物",
                "emission-0-concentration": "abc",
            },
            "输入一个数字",
        ),
    ],
)
def test_r_rep_1_a_bad_receipt_shows_the_message_and_writes_nothing(
    client, approval_clerk, monthly_permit, media, overrides, message
):
    client.force_login(approval_clerk)

    response = client.post(page_url(monthly_permit), receipt_data(monthly_permit, **overrides))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="ZXBG-2026-0404"' in page  # what was typed is kept
    assert not ReportVersion.objects.exists()
    assert not ExecutionReport.objects.filter(received_on__isnull=False).exists()


def test_r_rep_1_a_file_of_the_wrong_type_is_refused(client, approval_clerk, monthly_permit, media):
    client.force_login(approval_clerk)
    data = receipt_data(
        monthly_permit,
        **{
            "receipt-file": SimpleUploadedFile(
                "april.exe", b"MZ\x90\x00", content_type="application/octet-stream"
            )
        },
    )

    response = client.post(page_url(monthly_permit), data)

    assert response.status_code == 400
    assert "报告文件只接受" in response.content.decode()
    assert not ReportVersion.objects.exists()


def test_r_rep_1_ecology_may_not_record_a_receipt(client, ecology_clerk, monthly_permit, media):
    client.force_login(ecology_clerk)

    page = client.get(page_url(monthly_permit)).content.decode()
    refused = client.post(page_url(monthly_permit), receipt_data(monthly_permit))
    reminder = client.post(
        page_url(monthly_permit),
        {
            "action": "request",
            "request-permit": monthly_permit.pk,
            "request-period": "2026-04",
            "request-requested_on": "2026-05-18",
        },
    )

    assert 'data-form="receipt"' not in page and "<tr data-period=" in page
    assert refused.status_code == 403 and "由审批科办理" in refused.content.decode()
    assert reminder.status_code == 403
    assert not ReportVersion.objects.exists()
    assert not ExecutionReport.objects.filter(requested_on__isnull=False).exists()


def test_r_rep_1_approval_records_a_reminder(client, approval_clerk, monthly_permit):
    client.force_login(approval_clerk)
    data = {
        "action": "request",
        "request-permit": monthly_permit.pk,
        "request-period": "2026-04",
        "request-requested_on": "2026-05-18",
        "request-note": "电话催报",
    }

    response = client.post(page_url(monthly_permit), data)

    assert response.status_code == 302
    report = ExecutionReport.objects.get(permit=monthly_permit, period_start=APRIL.start)
    assert report.requested_on == date(2026, 5, 18) and report.request_note == "电话催报"
    page = client.get(page_url(monthly_permit)).content.decode()
    assert "2026-05-18" in page


def test_r_rep_1_a_reminder_for_a_received_report_is_refused(client, approval_clerk, march_report):
    client.force_login(approval_clerk)
    data = {
        "action": "request",
        "request-permit": march_report.permit_id,
        "request-period": "2026-03",
        "request-requested_on": "2026-05-18",
    }

    response = client.post(page_url(march_report.permit), data)

    assert response.status_code == 400 and "无需催报" in response.content.decode()
    march_report.refresh_from_db()
    assert march_report.requested_on is None


def test_r_org_3_a_town_sees_only_its_own_facilitys_reports(
    client, town_a_liaison, town_b_liaison, march_report
):
    client.force_login(town_a_liaison)
    own = client.get(page_url(march_report.permit))
    own_detail = client.get(detail_url(march_report))
    client.force_login(town_b_liaison)
    other = client.get(page_url(march_report.permit))
    other_detail = client.get(detail_url(march_report))

    assert own.status_code == own_detail.status_code == 200
    assert 'data-form="receipt"' not in own.content.decode()
    assert other.status_code == other_detail.status_code == 404


def test_r_rep_1_facility_page_costs_fixed_queries(
    client, approval_clerk, monthly_permit, approval_head, django_assert_num_queries
):
    # given: the monthly permit with every month received, and a second, quarterly permit of the same
    # facility whose reports are not made yet (their due dates are computed for the page): an N+1 on
    # permits, events, reports or the calendar would show
    for period in due.owed_periods_of(monthly_permit, ended_by=TODAY):
        receipts.record_receipt(
            by=approval_clerk, permit=monthly_permit, period=period, received_on=_after(period), today=TODAY
        )
    PermitFactory(facility=monthly_permit.facility, issued_on=date(2024, 1, 10), report_frequency="quarterly")
    due.report_settings()
    client.force_login(approval_clerk)
    # Expect 10 queries: session, user with staff, the facility with town, its permits, their events,
    # their reports, the report settings, the city's announced dates, and the work calendar once per
    # year a computed due date falls in (2025, 2026), however many periods. The quarterly permit's
    # periods before the daily job's window (2024) have no report and are not listed.
    with django_assert_num_queries(10):
        response = client.get(page_url(monthly_permit))
    page = response.content.decode()
    assert page.count("<tr data-period=") == 12 + 6  # 2025-Q1…2026-Q1 and the 2025 annual report
    assert page.count('data-state="on_time"') == 12
    assert ExecutionReport.objects.count() == 12


def _after(period):
    return min(period.following().start.replace(day=5), TODAY)


# One report -------------------------------------------------------------------------------------------


def test_r_rep_2_the_report_shows_its_emissions_beside_the_limits(client, approval_clerk, march_report):
    client.force_login(approval_clerk)

    page = client.get(detail_url(march_report)).content.decode()

    assert "ZXBG-2026-0001" in page and "第 1 版" in page
    assert "超标" in page and "20.000 mg/m³" in page
    assert "DA001 颗粒物 实际浓度 25.000 mg/m³，超过许可浓度 20.000 mg/m³" in page
    assert reverse("permits:review-open", args=[march_report.pk]) in page  # 发起审核


def test_r_rep_3_the_report_links_its_reviews_notices_and_leads(
    client, approval_clerk, officer, issued_notice
):
    report = issued_notice.report
    client.force_login(approval_clerk)

    page = client.get(detail_url(report)).content.decode()

    assert reverse("permits:review-detail", args=[issued_notice.review_id]) in page
    assert (
        reverse("permits:feedback-notice", args=[issued_notice.pk]) in page and issued_notice.number in page
    )
    for lead in ReportLead.objects.filter(report=report):
        assert lead.summary in page
        if lead.task_number:
            assert lead.task_number in page


def test_r_rep_2_only_approval_is_offered_to_open_a_review(client, ecology_clerk, march_report):
    client.force_login(ecology_clerk)

    page = client.get(detail_url(march_report)).content.decode()

    assert "ZXBG-2026-0001" in page
    assert reverse("permits:review-open", args=[march_report.pk]) not in page


def test_r_rep_3_report_detail_costs_fixed_queries(
    client, approval_clerk, march_report, django_assert_num_queries
):
    # given: a second outlet, and a corrected second version with three emissions, and a review
    permit = march_report.permit
    history.save(Outlet(permit=permit, code="DA002", kind="gas", name="二号排口"), by=None)
    receipts.record_receipt(
        by=approval_clerk,
        permit=permit,
        period=MARCH,
        received_on=date(2026, 4, 25),
        today=TODAY,
        emissions=[
            receipts.Emission("DA001", "颗粒物", concentration=Decimal("19")),
            receipts.Emission("DA002", "颗粒物", concentration=Decimal("5")),
            receipts.Emission("DA002", "氮氧化物", quantity=Decimal("1")),
        ],
    )
    reviews.open_review(by=approval_clerk, report=march_report, today=TODAY)
    client.force_login(approval_clerk)
    # Expect 9 queries: session, user with staff, the report with permit, facility and town, its
    # versions, their emissions with outlets, its reviews, its notices, its leads, the permit's limits.
    with django_assert_num_queries(9):
        response = client.get(detail_url(march_report))
    page = response.content.decode()
    assert page.count("<tr data-emission=") == 4
    assert page.count('data-review="') == 1
    assert "第 2 版 · 修改后的执行报告" in page


def test_r_rep_1_unknown_report_is_404(client, approval_clerk, db):
    client.force_login(approval_clerk)

    assert client.get(reverse("permits:report-detail", args=[999999])).status_code == 404


def test_r_rep_1_a_facility_without_permits_owes_nothing(client, approval_clerk, town_a):
    facility = FacilityFactory(town=town_a)
    client.force_login(approval_clerk)

    response = client.get(reverse("permits:facility-reports", args=[facility.pk]))

    assert response.status_code == 200
    assert "无需提交执行报告" in response.content.decode()
