"""The API platform: token login, authentication by default, the working-day endpoint (R-CAL-1)."""

import pytest

pytestmark = pytest.mark.django_db

WORKDAYS = "/api/v1/calendar/workdays/"


def test_token_login_returns_a_token_that_authenticates(api_client, approval_clerk, password):
    # when
    response = api_client.post("/api/v1/auth/token/", {"username": "approval", "password": password})
    # then
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    answer = api_client.get(WORKDAYS, {"start": "2025-09-30", "days": 5})
    assert answer.status_code == 200


def test_token_login_with_a_wrong_password_is_refused_in_chinese(api_client, approval_clerk):
    response = api_client.post("/api/v1/auth/token/", {"username": "approval", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码错误。"}


def test_api_requires_authentication(api_client):
    response = api_client.get(WORKDAYS, {"start": "2025-09-30", "days": 5})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "身份认证信息未提供" in response.json()["detail"]


def test_r_cal_1_workdays_across_national_day(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)
    response = api_client.get(WORKDAYS, {"start": "2025-09-30", "days": 5})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-30",
        "days": 5,
        "date": "2025-10-14",
        "date_provisional": False,
    }


def test_r_cal_1_workdays_with_session_login(client, town_a_liaison):
    client.force_login(town_a_liaison)
    response = client.get(WORKDAYS, {"start": "2026-02-13", "days": 2})
    assert response.json()["date"] == "2026-02-24"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": 5}, "start", "请提供起始日期 start"),
        ({"start": "2025-09-30"}, "days", "请提供工作日数 days"),
        ({"start": "30/09/2025", "days": 5}, "start", "格式错误"),
        ({"start": "2025-02-30", "days": 5}, "start", "格式错误"),
        ({"start": "2025-09-30", "days": "five"}, "days", "应为整数"),
        ({"start": "2025-09-30", "days": -1}, "days", "不能小于 0"),
        ({"start": "2025-09-30", "days": 99999}, "days", "不能大于 3650"),
    ],
)
def test_r_cal_1_bad_parameters_answer_400_in_chinese(api_client, approval_clerk, params, field, message):
    api_client.force_authenticate(approval_clerk)
    response = api_client.get(WORKDAYS, params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_r_cal_1_an_unconfirmed_year_is_counted_on_weekends_and_provisional(api_client, approval_clerk):
    # 2027 is published by nobody yet: 10 working days from 28 December 2026 count weekends alone.
    api_client.force_authenticate(approval_clerk)
    response = api_client.get(WORKDAYS, {"start": "2026-12-28", "days": 10})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-12-28",
        "days": 10,
        "date": "2027-01-11",
        "date_provisional": True,
    }


def test_workdays_costs_fixed_queries(api_client, approval_clerk, django_assert_num_queries):
    api_client.force_authenticate(approval_clerk)
    # Expect 1 query: the calendar table rows of 2025 (force_authenticate needs no session lookup).
    with django_assert_num_queries(1):
        api_client.get(WORKDAYS, {"start": "2025-09-30", "days": 5})


def test_openapi_schema_and_docs_are_served_without_cdn(client, administrator):
    assert client.get("/api/schema/").status_code in (
        401,
        403,
    )  # behind login (tests/bureau/test_settings.py)
    client.force_login(administrator)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/calendar/workdays/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_the_whole_openapi_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/facilities/", "/api/v1/linkage/tasks/", "/api/v1/meetings/", "/api/v1/complaints/"):
        assert path in schema
