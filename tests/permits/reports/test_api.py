"""The execution-report API (/api/v1/execution-reports/, /api/v1/feedback-notices/): fields, filters
by period and receipt state (R-REP-1), the latest review with its three parts (R-REP-2), notices with
their problems (R-REP-3), scoping to the town (R-ORG-3), query budgets and the OpenAPI schema."""

from datetime import date

import pytest
from django.core.management import call_command

from permits.reports import rules
from permits.reports.services import due, receipts
from tests.factories.permits import FacilityFactory, PermitFactory
from tests.permits.reports.conftest import MARCH

TODAY = date(2026, 4, 23)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

REPORTS = "/api/v1/execution-reports/"
NOTICES = "/api/v1/feedback-notices/"
Q1 = rules.Period(rules.QUARTER, 2026, 1)


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def ok(response) -> dict:
    assert response.status_code == 200, response.content.decode()
    return response.json()


def quarterly_permit(town, n, **facility):
    facility = FacilityFactory(n=n, town=town, **facility)
    return PermitFactory(facility=facility, issued_on=date(2025, 1, 1), report_frequency="quarterly")


@pytest.fixture
def city(march_report, town_a, town_b, approval_clerk):
    """March (on time) of the monthly permit in 甲镇, three quarterly permits in 甲镇 (one simplified)
    and one in 乙镇; every report owed by 23 April 2026 made; 2026 Q1 received late for the first
    quarterly permit, not at all for the others."""
    quarterly = [
        quarterly_permit(town_a, 11),
        quarterly_permit(town_a, 12),
        quarterly_permit(town_a, 13, management_level="simplified"),
    ]
    b_permit = quarterly_permit(town_b, 21)
    due.make_owed_reports(today=TODAY)
    receipts.record_receipt(
        by=approval_clerk, permit=quarterly[0], period=Q1, received_on=date(2026, 4, 20), today=TODAY
    )
    return {"monthly": march_report.permit, "quarterly": quarterly, "b": b_permit}


def test_r_rep_1_a_report_shows_every_field(api_client, approval_clerk, march_report):
    # when
    row = ok(as_user(api_client, approval_clerk).get(f"{REPORTS}{march_report.pk}/"))

    # then
    permit = march_report.permit
    assert row == {
        "id": march_report.pk,
        "permit": permit.pk,
        "permit_number": permit.number,
        "facility": permit.facility_id,
        "facility_name": permit.facility.name,
        "period_type": "month",
        "period": "2026-03",
        "period_label": "2026年3月",
        "due_on": "2026-04-15",
        "due_provisional": False,
        "received_on": "2026-04-10",
        "version": 1,
        "state": "on_time",
        "requested_on": None,
        "review_state": None,
    }


def test_r_rep_1_receipt_state_is_derived_and_filters_in_the_database(api_client, approval_clerk, city):
    client = as_user(api_client, approval_clerk)

    # when
    q1 = ok(client.get(REPORTS, {"period": "2026-Q1"}))["results"]
    missing = ok(client.get(REPORTS, {"period": "2026年第1季度", "state": "missing"}))["results"]
    late = ok(client.get(REPORTS, {"state": "late"}))["results"]

    # then: the late receipt, and the two quarterly permits of 甲镇 and the one of 乙镇 that never filed
    assert {r["state"] for r in q1} == {"late", "missing"}
    assert len(q1) == 4
    assert {r["permit"] for r in missing} == {p.pk for p in city["quarterly"][1:]} | {city["b"].pk}
    assert [(r["permit"], r["period"], r["version"]) for r in late] == [
        (city["quarterly"][0].pk, "2026-Q1", 1)
    ]


def test_r_rep_1_filters_by_type_permit_facility_town_and_level(api_client, approval_clerk, town_b, city):
    client = as_user(api_client, approval_clerk)
    monthly = city["monthly"]

    months = ok(client.get(REPORTS, {"period_type": "month", "page_size": 100}))
    assert months["count"] == 10  # June 2025 to March 2026
    assert ok(client.get(REPORTS, {"permit": monthly.pk}))["count"] == 11  # and the year 2025
    assert ok(client.get(REPORTS, {"facility": monthly.facility_id, "period": "2025"}))["count"] == 1
    in_b = ok(client.get(REPORTS, {"town": town_b.pk}))["results"]
    assert {r["permit"] for r in in_b} == {city["b"].pk}
    simplified = ok(client.get(REPORTS, {"management_level": "simplified"}))["results"]
    assert {r["permit"] for r in simplified} == {city["quarterly"][2].pk}
    assert len(simplified) == 6


def test_r_rep_1_a_period_written_wrong_is_a_400_in_chinese(api_client, approval_clerk, city):
    response = as_user(api_client, approval_clerk).get(REPORTS, {"period": "2026-13"})
    assert response.status_code == 400
    assert "无法识别的报告期「2026-13」" in response.json()["period"][0]


def test_r_rep_1_list_is_paginated(api_client, approval_clerk, town_a, city):
    # given 11 + 3×6 in 甲镇 and 6 in 乙镇, and two more monthly permits of 11 reports each
    for n in (31, 32):
        PermitFactory(
            facility=FacilityFactory(n=n, town=town_a), issued_on=date(2025, 6, 1), report_frequency="monthly"
        )
    due.make_owed_reports(today=TODAY)
    client = as_user(api_client, approval_clerk)

    # when
    first = ok(client.get(REPORTS))
    second = ok(client.get(REPORTS, {"page": 2}))

    # then
    assert (first["count"], len(first["results"]), len(second["results"])) == (57, 50, 7)
    assert first["next"].endswith("?page=2") and second["next"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_r_org_3_a_town_sees_only_its_own_reports(api_client, town_b_liaison, city, march_report):
    client = as_user(api_client, town_b_liaison)
    listed = ok(client.get(REPORTS))
    assert listed["count"] == 6
    assert {r["permit"] for r in listed["results"]} == {city["b"].pk}
    assert client.get(f"{REPORTS}{march_report.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{march_report.pk}/review/").status_code == 404


def test_report_list_costs_two_queries(api_client, approval_clerk, city, django_assert_num_queries):
    client = as_user(api_client, approval_clerk)
    # Expect 2 queries: the count; the page of reports joined with permit and facility, the receipt
    # state and the latest review's state derived in the same SELECT.
    with django_assert_num_queries(2):
        response = client.get(REPORTS)
    assert len(response.json()["results"]) == 35


def test_report_list_of_a_town_costs_two_queries(api_client, town_a_liaison, city, django_assert_num_queries):
    client = as_user(api_client, town_a_liaison)
    # Expect 2 queries: the count of the town's reports; the page, as above.
    with django_assert_num_queries(2):
        response = client.get(REPORTS, {"state": "missing"})
    assert response.json()["count"] > 20


# Receipt over the API -----------------------------------------------------------------------------------


def test_r_rep_1_approval_records_a_receipt(api_client, approval_clerk, city):
    # when
    response = as_user(api_client, approval_clerk).post(
        REPORTS,
        {
            "permit": city["quarterly"][1].pk,
            "period": "2026-Q1",
            "received_on": "2026-04-22",
            "platform_ref": "ZXBG-2026-0099",
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.content.decode()
    assert (response.json()["state"], response.json()["version"]) == ("late", 1)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"period": "2026-03"}, "period", "月度"),  # a quarterly permit owes no monthly report
        ({"received_on": "2026-05-01"}, "received_on", "不能晚于今天"),
        ({"period": "第五季度"}, "period", "无法识别的报告期"),
        ({"permit": 999_999}, "permit", "未找到该许可证"),
        (
            {"emissions": [{"outlet": "DW009", "pollutant": "COD", "quantity": "1.5"}]},
            "emissions",
            "没有排放口",
        ),
    ],
)
def test_r_rep_1_a_bad_receipt_is_refused_with_field_messages(
    api_client, approval_clerk, city, body, field, message
):
    permit = city["quarterly"][1]
    response = as_user(api_client, approval_clerk).post(
        REPORTS,
        {"permit": permit.pk, "period": "2026-Q1", "received_on": "2026-04-22", **body},
        format="json",
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not permit.execution_reports.filter(received_on__isnull=False).exists()


def test_r_rep_1_only_approval_records_receipts(api_client, ecology_clerk, city):
    response = as_user(api_client, ecology_clerk).post(
        REPORTS,
        {"permit": city["quarterly"][1].pk, "period": "2026-Q1", "received_on": "2026-04-22"},
        format="json",
    )
    assert response.status_code == 403
    assert "审批科" in response.json()["detail"]


# The review ------------------------------------------------------------------------------------------


def test_r_rep_2_review_shows_three_parts_with_results_and_problems(api_client, ecology_clerk, issued_notice):
    # when
    review = ok(as_user(api_client, ecology_clerk).get(f"{REPORTS}{issued_notice.report_id}/review/"))

    # then
    assert (review["round"], review["state"]) == (1, "complete")
    parts = {p["section"]: p for p in review["parts"]}
    assert [p["section_name"] for p in review["parts"]] == ["审批科", "生态科", "污防科"]
    assert {s: len(p["results"]) for s, p in parts.items()} == {"approval": 5, "ecology": 6, "pollution": 7}
    assert all(p["signed_on"] == "2026-04-22" and p["signed_by"] for p in review["parts"])
    basic = parts["approval"]["results"][0]
    assert (basic["point"], basic["point_name"]) == ("basic_information", "企业基本信息")
    (procedural,) = parts["approval"]["problems"]
    assert procedural["description"] == "法定代表人漏填"
    assert (procedural["problem_class"], procedural["status"]) == ("procedural", "open")
    assert procedural["notice"] == issued_notice.pk
    (exceedance,) = parts["ecology"]["problems"]
    assert (exceedance["point_name"], exceedance["problem_class"]) == (
        "实际排放情况及达标判定分析",
        "substantive",
    )
    assert "超过许可浓度" in exceedance["figures"]
    (dismissed,) = parts["pollution"]["problems"]
    assert (dismissed["status"], dismissed["notice"]) == ("dismissed", None)


def test_r_rep_2_a_report_never_reviewed_has_no_review(api_client, approval_clerk, march_report):
    response = as_user(api_client, approval_clerk).get(f"{REPORTS}{march_report.pk}/review/")
    assert response.status_code == 404
    assert response.json()["detail"] == "该执行报告尚未审核。"


def test_review_costs_five_queries(api_client, approval_clerk, issued_notice, django_assert_num_queries):
    client = as_user(api_client, approval_clerk)
    url = f"{REPORTS}{issued_notice.report_id}/review/"
    # Expect 5 queries: the report, scoped to the user; its latest review; the three parts with who
    # filled and signed them; their 18 results; their problems.
    with django_assert_num_queries(5):
        review = client.get(url).json()
    assert sum(len(p["results"]) for p in review["parts"]) == 18


# Feedback notices -------------------------------------------------------------------------------------


def test_r_rep_3_a_notice_shows_every_field_and_problem(api_client, approval_clerk, issued_notice):
    # when
    row = ok(as_user(api_client, approval_clerk).get(f"{NOTICES}{issued_notice.pk}/"))

    # then
    report = issued_notice.report
    assert {k: v for k, v in row.items() if k != "problems"} == {
        "id": issued_notice.pk,
        "number": issued_notice.number,
        "report": report.pk,
        "facility": report.facility_id,
        "facility_name": report.facility.name,
        "permit_number": report.permit.number,
        "period_type": "month",
        "period": "2026-03",
        "issued_on": "2026-04-23",
        "time_limit_workdays": 10,
        "due_on": "2026-05-11",
        "due_provisional": False,
        "contact": "王审批 021-00000000",
        "state": "issued",
    }
    assert [(p["section_name"], p["point_name"]) for p in row["problems"]] == [
        ("审批科", "企业基本信息"),
        ("生态科", "实际排放情况及达标判定分析"),
    ]


def test_r_rep_3_notices_filter_by_state_and_town(api_client, approval_clerk, town_a, town_b, issued_notice):
    client = as_user(api_client, approval_clerk)
    assert ok(client.get(NOTICES, {"state": "issued", "town": town_a.pk}))["count"] == 1
    assert ok(client.get(NOTICES, {"state": "closed"}))["count"] == 0
    assert ok(client.get(NOTICES, {"town": town_b.pk}))["count"] == 0


def test_r_org_3_a_town_sees_no_other_towns_notice(api_client, town_b_liaison, issued_notice):
    client = as_user(api_client, town_b_liaison)
    assert ok(client.get(NOTICES))["count"] == 0
    assert client.get(f"{NOTICES}{issued_notice.pk}/").status_code == 404
    assert client.get(f"{NOTICES}{issued_notice.pk}/notice.pdf").status_code == 404


def test_r_rep_3_the_notice_pdf_is_served_under_its_chinese_name(api_client, town_a_liaison, issued_notice):
    response = as_user(api_client, town_a_liaison).get(f"{NOTICES}{issued_notice.pk}/notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''%E6%8E%92%E6%B1%A1" in response["Content-Disposition"]
    assert (
        api_client.get(f"{NOTICES}{issued_notice.pk}/notice.pdf", HTTP_ACCEPT="application/pdf").status_code
        == 200
    )


def test_notice_list_costs_three_queries(
    api_client, approval_clerk, issued_notice, django_assert_num_queries
):
    client = as_user(api_client, approval_clerk)
    # Expect 3 queries: the count; the page of notices joined with report, permit and facility; the
    # problems of the page with their parts.
    with django_assert_num_queries(3):
        response = client.get(NOTICES)
    assert len(response.json()["results"][0]["problems"]) == 2


# OpenAPI ----------------------------------------------------------------------------------------------


def test_the_execution_report_endpoints_are_in_the_openapi_schema(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--urlconf", "permits.api.urls", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    for path in (
        "/execution-reports/:",
        "/execution-reports/{id}/review/:",
        "/feedback-notices/{id}/:",
        "/feedback-notices/{id}/notice.pdf:",
    ):
        assert path in schema
    assert "summary: 执行报告的最近一轮审核" in schema
    assert "summary: 打印反馈意见单" in schema


# The period of an owed report, as the list writes it, round-trips through the filter.
def test_r_rep_1_period_codes_round_trip(api_client, approval_clerk, city):
    client = as_user(api_client, approval_clerk)
    for code in ("2025-06", "2025-Q3", "2025"):
        rows = ok(client.get(REPORTS, {"period": code}))["results"]
        assert rows and {r["period"] for r in rows} == {code}
    assert MARCH.code == "2026-03"
