"""``GET /api/v1/inspection-plan/?year=&month=`` (R-INS-3, R-INS-4, 按月细化): what is owed that month per
facility with the reason and window; towns are refused, as on the pages; bad input is a Chinese 400."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from inspections.services import planning
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2025, 3, 10))

URL = "/api/v1/inspection-plan/"


@pytest.fixture
def plan(facility, town_b, approval_clerk):
    """Town A: the key facility of the conftest, permitted 2024. Town B: a simplified facility newly
    permitted on 31 May 2025 (new-permit window to 31 August). The year's plan computed."""
    newcomer = FacilityFactory(n=2, town=town_b, by=approval_clerk, management_level="simplified")
    PermitFactory(facility=newcomer, by=approval_clerk, issued_on=date(2025, 5, 31))
    planning.sync_plan(year=2025)
    return newcomer


def get(api_client, user, **params):
    api_client.force_authenticate(user)
    return api_client.get(URL, params)


def test_r_ins_3_july_lists_each_facility_with_reason_and_window(
    api_client, plan, facility, leader, django_assert_num_queries
):
    # Expect 4 queries: the month plan, the count of facilities, the page of facility ids, their items
    # with facility and town.
    with django_assert_num_queries(4):
        response = get(api_client, leader, year=2025, month=8)
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["month"], body["month_plan"], body["previous"]) == (2025, 8, None, None)
    by_code = {row["facility"]["source_code"]: row for row in body["results"]}
    newcomer = by_code[plan.source_code]
    assert newcomer["facility"] == {
        "id": plan.pk,
        "source_code": plan.source_code,
        "name": plan.name,
        "town": plan.town.name,
        "management_level": "simplified",
    }
    new_permit = next(i for i in newcomer["items"] if i["kind"] == "new_permit")
    assert new_permit == {
        "kind": "new_permit",
        "kind_display": "新发证检查",
        "reason": "新发证（首次申请 2025-05-31），须于 2025-08-31 前完成首次检查",
        "window_start": "2025-05-31",
        "window_end": "2025-08-31",
        "planned_month": "2025-06-01",
        "state": "open",
        "done_on": None,
        "alert": "",
    }
    assert body["count"] == len(body["results"])


def test_r_ins_3_the_made_month_plan_is_what_is_listed(api_client, plan, officer):
    made = planning.make_month_plan(year=2025, month=12, by=officer)
    body = get(api_client, officer, year=2025, month=12).json()
    assert body["month_plan"]["made_by"] == (officer.get_full_name() or officer.username)
    assert sum(len(row["items"]) for row in body["results"]) == made.item_count > 0


def test_r_ins_5_a_town_is_refused_the_plan_as_on_the_pages(api_client, plan, town_a_liaison):
    # Who will be inspected when is the bureau's plan; a town reads its units' signed inspections only.
    response = get(api_client, town_a_liaison, year=2025, month=8)
    assert response.status_code == 403 and "街镇" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"month": 7}, "year", "请提供年度 year，例如 2025。"),
        ({"year": "二〇二五", "month": 7}, "year", "年度 year 应为整数，例如 2025。"),
        ({"year": 2025}, "month", "请提供月份 month（1–12）。"),
        ({"year": 2025, "month": 13}, "month", "月份 month 应为 1 至 12 的整数。"),
    ],
)
def test_missing_or_malformed_year_or_month_is_a_chinese_400(api_client, leader, params, field, message):
    response = get(api_client, leader, **params)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_no_staff_record_is_refused(api_client, db):
    nobody = get_user_model().objects.create_user("nobody", "nobody@example.invalid", "x")
    response = get(api_client, nobody, year=2025, month=7)
    assert response.status_code == 403 and "人员档案" in response.json()["detail"]


def test_anonymous_is_refused(api_client, db):
    assert api_client.get(URL, {"year": 2025, "month": 7}).status_code in (401, 403)
