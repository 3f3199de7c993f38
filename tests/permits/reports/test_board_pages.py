"""The 执行报告 period board and its export (R-REP-1), the settings page (R-REP-1) and the samples
(R-REP-2), as each role sees them."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from permits.reports import rules
from permits.reports.models import AnnouncedDueDate, ReportSettings, ReviewSample
from permits.reports.services import due, receipts
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2026, 5, 20))

BOARD = reverse("permits:report-board")
EXPORT = reverse("permits:report-board-export")
SETTINGS = reverse("permits:report-settings")
SAMPLES = reverse("permits:report-samples")
MARCH = rules.Period(rules.MONTH, 2026, 3)
APRIL = rules.Period(rules.MONTH, 2026, 4)


def owed(permit, period):
    with transaction.atomic():
        return due.get_or_make_report(permit, period, by=None)


def receive(permit, period, received_on, by):
    return receipts.record_receipt(
        by=by, permit=permit, period=period, received_on=received_on, today=date(2026, 5, 20)
    ).report


@pytest.fixture
def march_board(town_a, town_b, approval_clerk, work_calendar):
    """33 monthly permits owing March 2026 (due 15 April): in 甲镇 11 on time, 11 late (one simplified);
    in 乙镇 11 missing, one of them asked for (催报). Each also owes April (due 15 May, all missing)."""
    permits = {"on_time": [], "late": [], "missing": []}
    for n in range(1, 34):
        state = ("on_time", "late", "missing")[(n - 1) // 11]
        level = "simplified" if n == 12 else "key"
        facility = FacilityFactory(n=n, town=town_b if state == "missing" else town_a, management_level=level)
        permit = PermitFactory(
            facility=facility, number=f"P{n:03d}", issued_on=date(2025, 6, 1), report_frequency="monthly"
        )
        permits[state].append(permit)
        if state == "on_time":
            receive(permit, MARCH, date(2026, 4, 10), approval_clerk)
        elif state == "late":
            receive(permit, MARCH, date(2026, 4, 28), approval_clerk)
        else:
            owed(permit, MARCH)
    receipts.request_report(
        by=approval_clerk,
        permit=permits["missing"][0],
        period=MARCH,
        requested_on=date(2026, 4, 20),
        today=date(2026, 5, 20),
    )
    return permits


def rows_of(response):
    return response.content.decode().count("<tr data-report=")


def test_r_rep_1_board_counts_each_receipt_state_of_the_period(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-03"})

    assert response.status_code == 200
    assert response.context["counts"] == {
        "total": 33,
        "on_time": 11,
        "late": 11,
        "missing": 11,
        "not_due": 0,
    }
    page = response.content.decode()
    assert "执行报告 · 2026年3月" in page and rows_of(response) == 33
    assert "2026-04-20" in page  # 已催报
    by_town = {
        (r["facility__town__name"], r["permit__management_level"]): r for r in response.context["by_town"]
    }
    assert by_town[("甲镇", "simplified")]["late"] == 1
    assert by_town[("甲镇", "key")]["on_time"] == 11 and by_town[("甲镇", "key")]["late"] == 10
    assert by_town[("乙镇", "key")]["missing"] == 11


def test_r_rep_1_board_opens_on_the_latest_period_whose_due_date_passed(client, approval_clerk, march_board):
    # given: March (due 15 April) has passed; April is due 15 May, passed on 20 May
    for permit in march_board["on_time"][:2]:
        owed(permit, APRIL)
    client.force_login(approval_clerk)

    response = client.get(BOARD)

    assert response.context["period"] == APRIL
    assert response.context["counts"]["missing"] == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"receipt": "late"}, 11),
        ({"receipt": "missing"}, 11),
        ({"receipt": "on_time", "level": "key"}, 11),
        ({"receipt": "late", "level": "simplified"}, 1),
        ({"receipt": "not_due"}, 0),
    ],
)
def test_r_rep_1_board_filters_by_receipt_state_and_level(
    client, approval_clerk, march_board, query, expected
):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-03", **query})

    assert response.context["page"].paginator.count == expected
    assert {r.receipt for r in response.context["page"].object_list} <= {query["receipt"]}


def test_r_rep_1_board_filters_by_town(client, approval_clerk, march_board, town_b):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-03", "town": town_b.pk})

    assert response.context["counts"]["total"] == 11 == response.context["counts"]["missing"]


def test_r_org_3_a_town_sees_only_its_own_facilities_on_the_board(client, town_a_liaison, march_board):
    client.force_login(town_a_liaison)

    response = client.get(BOARD, {"period": "2026-03"})

    assert response.context["counts"]["total"] == 22
    assert response.context["counts"]["missing"] == 0
    page = response.content.decode()
    assert "测试单位023有限公司" not in page and "测试单位001有限公司" in page
    assert 'name="report"' not in page  # only 审批科 opens reviews


def test_r_rep_1_board_offers_approval_to_open_reviews_of_received_reports(
    client, approval_clerk, march_board
):
    client.force_login(approval_clerk)

    page = client.get(BOARD, {"period": "2026-03"}).content.decode()

    assert reverse("permits:reviews-open-many") in page
    assert page.count('name="report"') == 22  # the received ones, not the missing


def test_r_rep_1_board_refuses_a_period_it_cannot_read(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-13"})

    assert response.status_code == 200
    assert "无法识别的报告期" in response.content.decode()


def test_r_rep_1_board_period_must_match_the_type(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-03", "type": "quarter"})

    assert "与报告类型（季度）不符" in response.content.decode()


def test_r_rep_1_a_bad_filter_leaves_the_others_in_force(client, approval_clerk, march_board, town_b):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"period": "2026-03", "town": town_b.pk, "receipt": "nonsense"})

    assert response.context["period"] == MARCH
    assert response.context["page"].paginator.count == 11


def test_r_rep_1_board_type_alone_opens_that_kinds_latest_due_period(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.get(BOARD, {"type": "quarter"})

    assert response.context["period"] == rules.Period(rules.QUARTER, 2026, 1)


def test_r_rep_1_board_costs_fixed_queries(client, approval_clerk, march_board, django_assert_num_queries):
    client.force_login(approval_clerk)
    # Expect 5 queries: session, user with staff/section/town, the towns of the town filter, the
    # counts per town and level (one grouped query, whose sums are the totals and the number listed:
    # no other count), the page of reports with permit, facility, town and the latest review and
    # notice states (subqueries).
    with django_assert_num_queries(5):
        response = client.get(BOARD, {"period": "2026-03"})
    assert rows_of(response) == 33


def test_r_rep_1_board_for_a_town_costs_fixed_queries(
    client, town_a_liaison, march_board, django_assert_num_queries
):
    client.force_login(town_a_liaison)
    # Expect 5 queries: session, user with staff, the latest period due (no period asked for), counts
    # per town and level (the totals and the number listed), page (no town filter for a town).
    with django_assert_num_queries(5):
        response = client.get(BOARD)
    assert response.context["period"] == MARCH


def test_r_rep_1_export_holds_the_filtered_rows(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.get(EXPORT, {"period": "2026-03", "receipt": "late"})

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["排污单位", "污染源编码", "许可证编号"]
    assert len(rows) == 12
    assert {row[9] for row in rows[1:]} == {"逾期提交"}
    assert {row[5] for row in rows[1:]} == {"2026年3月"}
    assert "P012" in {row[2] for row in rows[1:]}


def test_r_org_3_export_of_a_town_holds_only_its_own(client, town_b_liaison, march_board):
    client.force_login(town_b_liaison)

    response = client.get(EXPORT, {"period": "2026-03"})

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert len(rows) == 11 and {row[4] for row in rows} == {"乙镇"}
    assert [row[13].date() for row in rows if row[13]] == [date(2026, 4, 20)]  # 催报日期


# Settings ---------------------------------------------------------------------------------------------


def test_r_rep_1_approval_changes_the_settings(client, approval_clerk, work_calendar):
    client.force_login(approval_clerk)

    response = client.post(
        SETTINGS,
        {
            "settings-days_after_period": 20,
            "settings-annual_due_month": 3,
            "settings-annual_due_day": 31,
            "settings-grace_days": 15,
            "settings-feedback_workdays": 10,
            "settings-contact": "王审批 021-00000000",
        },
    )

    assert response.status_code == 302
    row = ReportSettings.objects.get()
    assert (row.days_after_period, row.annual_due_month, row.grace_days) == (20, 3, 15)


def test_r_rep_1_settings_refuse_an_impossible_date_and_keep_the_input(client, approval_clerk, work_calendar):
    client.force_login(approval_clerk)

    response = client.post(
        SETTINGS,
        {
            "settings-days_after_period": 20,
            "settings-annual_due_month": 2,
            "settings-annual_due_day": 30,
            "settings-grace_days": 15,
            "settings-feedback_workdays": 10,
            "settings-contact": "",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "年度报告截止日不是有效的日期" in page and 'value="20"' in page
    assert not ReportSettings.objects.filter(days_after_period=20).exists()


def test_r_rep_1_others_read_the_settings_but_may_not_change_them(client, ecology_clerk, work_calendar):
    client.force_login(ecology_clerk)

    page = client.get(SETTINGS).content.decode()
    refused = client.post(
        SETTINGS,
        {
            "settings-days_after_period": 20,
            "settings-annual_due_month": 1,
            "settings-annual_due_day": 31,
            "settings-grace_days": 15,
            "settings-feedback_workdays": 10,
        },
    )

    assert "期末后" in page and 'name="settings-days_after_period"' not in page
    assert refused.status_code == 403 and "审批科" in refused.content.decode()
    assert not ReportSettings.objects.filter(days_after_period=20).exists()


def test_r_rep_1_approval_records_the_citys_date_for_a_period(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.post(
        SETTINGS,
        {
            "action": "announce",
            "announce-period": "2026-04",
            "announce-due_on": "2026-05-29",
            "announce-notice": "沪环评〔2026〕1号",
        },
    )

    assert response.status_code == 302
    assert AnnouncedDueDate.objects.get().due_on == date(2026, 5, 29)
    board = client.get(BOARD, {"period": "2026-04"})
    assert board.status_code == 200


def test_r_rep_1_a_citys_date_before_the_period_ends_is_refused(client, approval_clerk, work_calendar):
    client.force_login(approval_clerk)

    response = client.post(
        SETTINGS,
        {
            "action": "announce",
            "announce-period": "2026-04",
            "announce-due_on": "2026-04-20",
            "announce-notice": "通知",
        },
    )

    assert response.status_code == 400
    assert "截止日期应在报告期（2026年4月）结束之后" in response.content.decode()
    assert not AnnouncedDueDate.objects.exists()


# Samples ----------------------------------------------------------------------------------------------


def test_r_rep_2_a_reviewer_draws_a_sample_that_the_seed_reproduces(client, ecology_clerk, march_board):
    client.force_login(ecology_clerk)

    response = client.post(SAMPLES, {"period": "2026-03", "share": "10"})

    sample = ReviewSample.objects.get()
    assert response.status_code == 302 and response.url == reverse("permits:report-sample", args=[sample.pk])
    assert sample.population == 22 and sample.reports.count() == 3  # 10% of 22, rounded up
    page = client.get(response.url).content.decode()
    assert str(sample.seed) in page and "按种子复核：一致" in page
    assert page.count("<tr data-report=") == 3
    listing = client.get(SAMPLES).content.decode()
    assert str(sample.seed) in listing


def test_r_rep_2_a_sample_of_a_period_with_nothing_received_is_refused(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.post(SAMPLES, {"period": "2026-04", "share": "10"})

    assert response.status_code == 400
    assert "尚无已收到的执行报告" in response.content.decode()
    assert not ReviewSample.objects.exists()


def test_r_rep_2_a_bad_share_is_refused(client, approval_clerk, march_board):
    client.force_login(approval_clerk)

    response = client.post(SAMPLES, {"period": "2026-03", "share": "0"})

    assert response.status_code == 400 and not ReviewSample.objects.exists()
    assert "抽查比例" in response.content.decode()


def test_r_rep_2_only_the_three_sections_draw_samples(client, legal_clerk, town_a_liaison, march_board):
    client.force_login(legal_clerk)
    refused = client.post(SAMPLES, {"period": "2026-03", "share": "10"})
    page = client.get(SAMPLES).content.decode()
    client.force_login(town_a_liaison)
    town = client.get(SAMPLES)

    assert refused.status_code == 403 and "由审批科、生态科、污防科办理" in refused.content.decode()
    assert 'name="share"' not in page
    assert town.status_code == 403
    assert not ReviewSample.objects.exists()


def test_r_rep_2_sample_pages_cost_fixed_queries(
    client, pollution_clerk, march_board, django_assert_num_queries
):
    client.force_login(pollution_clerk)
    for _ in range(3):
        client.post(SAMPLES, {"period": "2026-03", "share": "50"})
    sample = ReviewSample.objects.first()
    # Expect 4 queries: session, user, count of samples, the page of samples with section, drawer and
    # the number drawn.
    with django_assert_num_queries(4):
        client.get(SAMPLES)
    # Expect 4 queries: session, user, the sample with section and drawer, its reports with permit,
    # facility and town.
    with django_assert_num_queries(4):
        response = client.get(reverse("permits:report-sample", args=[sample.pk]))
    assert response.context["is_reproduced"]
    assert len(response.context["drawn"]) == 11
    assert sample.share == Decimal("50")


def _owing_march(town_a, town_b, approval_clerk, numbers):
    """Monthly permits owing March 2026: received on time in 甲镇, missing in 乙镇."""
    for n in numbers:
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        permit = PermitFactory(
            facility=facility, number=f"P{n:03d}", issued_on=date(2025, 6, 1), report_frequency="monthly"
        )
        if n % 2:
            receive(permit, MARCH, date(2026, 4, 10), approval_clerk)
        else:
            owed(permit, MARCH)


@pytest.mark.parametrize(
    ("params", "budget", "counts"),
    [
        # Expect 5 queries: session, user with staff/section/town, the towns of the town filter, the
        # counts per town and level (the totals and the number listed, also under a receipt filter),
        # the page of reports.
        ({"period": "2026-03"}, 5, 1),
        ({"period": "2026-03", "receipt": "missing"}, 5, 1),
        # Expect 5: the review filter narrows what the counters count, so the pager counts the rows;
        # none is under review, so there is no page to read.
        ({"period": "2026-03", "review": "open"}, 5, 2),
    ],
)
def test_r_rep_1_board_costs_the_same_with_3_and_with_33_reports(
    client, approval_clerk, town_a, town_b, work_calendar, params, budget, counts
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(approval_clerk)

    def measured():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(BOARD, params)
        sqls = [q["sql"] for q in captured.captured_queries]
        return response, len(sqls), sum(1 for sql in sqls if "COUNT(" in sql.upper())

    _owing_march(town_a, town_b, approval_clerk, range(1, 4))
    few = measured()
    _owing_march(town_a, town_b, approval_clerk, range(4, 34))
    many = measured()
    assert few[1:] == many[1:] == (budget, counts)
    # and the pager's total is the number of rows the filters list
    page = many[0].context["page"]
    expected = {"": 33, "missing": 16}.get(params.get("receipt", ""), 33) if "review" not in params else 0
    assert page.paginator.count == expected
