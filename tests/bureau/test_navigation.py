"""R-ORG-1 / R-ORG-3: the navigation depends on the section, and the server enforces the same rule."""

import pytest

from bureau.models import SectionCode
from bureau.navigation import entries_for, links_for

pytestmark = pytest.mark.django_db


def keys(user):
    return [entry.key for entry in entries_for(user)]


COMMON = ["home", "dashboard", "facilities", "ledger", "execution-reports"]
PLAN = ["inspection-plan", "inspections", "draws"]
TAIL = ["calendar", "organisation", "api-tokens"]
EXPECTED_NAVIGATION = {
    SectionCode.APPROVAL: [
        *COMMON,
        "imports",
        "linkage",
        *PLAN,
        "monitoring",
        "coverage",
        "summary",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.ECOLOGY: [
        *COMMON,
        "linkage",
        *PLAN,
        "monitoring",
        "coverage",
        "summary",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.POLLUTION: [
        *COMMON,
        "linkage",
        *PLAN,
        "monitoring",
        "coverage",
        "summary",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.LEGAL: [
        *COMMON,
        *PLAN,
        "cases",
        "interference",
        "monitoring",
        "coverage",
        "summary",
        "typical-cases",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.ENFORCEMENT: [
        *COMMON,
        "linkage",
        *PLAN,
        "cases",
        "monitoring",
        "coverage",
        "summary",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.MONITORING: [
        *COMMON,
        "linkage",
        *PLAN,
        "monitoring",
        "coverage",
        "summary",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
    SectionCode.LEADERSHIP: [
        "home",
        "dashboard",
        "dashboard-leadership",
        *COMMON[2:],
        "linkage",
        *PLAN,
        "cases",
        "interference",
        "monitoring",
        "coverage",
        "summary",
        "typical-cases",
        "meetings",
        "grading",
        "complaints",
        *TAIL,
    ],
}


@pytest.mark.parametrize("section", list(EXPECTED_NAVIGATION))
def test_r_org_1_navigation_depends_on_the_section(personas, client, section):
    user = personas[section]
    assert keys(user) == EXPECTED_NAVIGATION[section]
    client.force_login(user)
    assert client.get("/organisation/").status_code == 200
    assert client.get("/admin/").status_code == 302  # Django admin: not staff, back to its login


@pytest.mark.parametrize("section", list(EXPECTED_NAVIGATION))
def test_r_org_1_every_link_in_the_bar_opens(personas, client, section):
    client.force_login(personas[section])
    for link in links_for(personas[section]):
        assert client.get(link["url"]).status_code == 200, link


def test_r_org_3_town_staff_see_no_organisation_page(town_a_liaison, client):
    assert keys(town_a_liaison) == [
        "home",
        "dashboard",
        "facilities",
        "ledger",
        "execution-reports",
        "linkage",
        "coverage",
        "calendar",
        "api-tokens",
    ]
    client.force_login(town_a_liaison)
    for link in links_for(town_a_liaison):
        assert client.get(link["url"]).status_code == 200, link
    client.force_login(town_a_liaison)
    response = client.get("/organisation/")
    assert response.status_code == 403
    assert "您所在的科室无权访问此页面" in response.content.decode()


def test_administrator_sees_everything(administrator):
    assert keys(administrator) == [
        "home",
        "dashboard",
        "dashboard-leadership",
        "facilities",
        "ledger",
        "execution-reports",
        "imports",
        "linkage",
        "inspection-plan",
        "inspections",
        "draws",
        "cases",
        "monitoring",
        "coverage",
        "summary",
        "typical-cases",
        "meetings",
        "grading",
        "complaints",
        "calendar",
        "organisation",
        "checklists",
        "api-tokens",
        "login-log",
        "api-docs",
        "admin",
    ]


def test_navigation_is_rendered_per_user(client, town_a_liaison, approval_clerk):
    client.force_login(town_a_liaison)
    page = client.get("/").content.decode()
    assert 'data-nav="calendar"' in page and 'data-nav="organisation"' not in page
    assert "甲镇" in page  # the town's name shows next to the user
    client.force_login(approval_clerk)
    page = client.get("/").content.decode()
    assert 'data-nav="organisation"' in page and "审批科" in page
    assert approval_clerk.get_full_name() in page and approval_clerk.get_full_name().startswith("测试人员")


def test_pages_require_login(client):
    for url in ["/", "/calendar/", "/organisation/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_login_page_is_chinese(client):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-CN">' in page
    assert "登录" in page and "用户名" in page and "密码" in page


def test_user_without_section_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "尚未分配科室" in response.content.decode()
    assert client.get("/organisation/").status_code == 403


def test_organisation_page_costs_fixed_queries(client, personas, django_assert_num_queries):
    # given: more staff, so an N+1 would show
    from tests.factories.bureau import StaffFactory

    StaffFactory.create_batch(30, section_code=SectionCode.ENFORCEMENT)
    client.force_login(personas[SectionCode.APPROVAL])
    # Expect 5 queries: session, user with staff/section/town, sections, their staff with users and
    # towns (prefetch), active towns.
    with django_assert_num_queries(5):
        response = client.get("/organisation/")
    assert response.content.decode().count("<tr>") >= 38


def test_calendar_page_shows_holidays_and_adjusted_days(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get("/calendar/", {"month": "2025-10"}).content.decode()
    assert 'class="holiday" data-date="2025-10-01"' in page
    assert 'class="adjusted" data-date="2025-10-11"' in page
    assert "调休上班（国庆节）" in page


def test_r_cal_1_calendar_page_calculator(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get("/calendar/", {"start": "2025-09-30", "days": "5"}).content.decode()
    assert "2025年10月14日" in page
    provisional = client.get("/calendar/", {"start": "2026-12-28", "days": "10"}).content.decode()
    assert "2027年1月11日" in provisional and "暂定" in provisional
