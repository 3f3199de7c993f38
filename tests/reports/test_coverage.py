"""监管覆盖率 (/reports/coverage/): inspections owed vs done by level and town (R-INS-3/4), the registered
units' sample, checklist coverage against its two targets (R-INS-9), enforcement monitoring owed vs
concluded (R-MON-1), the published share of random-check results (R-INS-5); who may see what, and a
fixed number of queries however many facilities there are."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.services import draws, planning
from monitoring.models import Basis, MonitoringTask, TaskKind, TaskState
from tests.factories.bureau import StaffFactory
from tests.factories.inspections import signed, start
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.today(date(2026, 6, 15))

URL = reverse("reports:coverage")
POWER, RETAIL = ("4411", "火力发电"), ("5211", "百货零售")


@pytest.fixture
def officers(officer):
    """执法大队's two officers (an inspection needs two)."""
    second = StaffFactory(username="enforcement2", section_code="enforcement", certificate_no="31010720002")
    return [officer, second.user]


def facility(n, town, level, industry, by):
    return FacilityFactory(
        n=n, town=town, management_level=level, industry_code=industry[0], industry_name=industry[1], by=by
    )


@pytest.fixture
def district(town_a, town_b, approval_clerk, officers):
    """Town A: a key-managed power plant inspected in March and a simplified retailer never inspected;
    town B: a registered retailer inspected in February and a key-managed power plant first issued a
    permit on 2026-01-05, never inspected (its new-permit check overdue since 2026-04-05). The year's
    plan is then computed."""
    plant_a = facility(1, town_a, "key", POWER, approval_clerk)
    PermitFactory(facility=plant_a, by=approval_clerk, issued_on=date(2024, 1, 10))
    shop_a = facility(2, town_a, "simplified", RETAIL, approval_clerk)
    shop_b = facility(3, town_b, "registered", RETAIL, approval_clerk)
    plant_b = facility(4, town_b, "key", POWER, approval_clerk)
    PermitFactory(facility=plant_b, by=approval_clerk, issued_on=date(2026, 1, 5))
    signed(start(plant_a, officers, on=date(2026, 3, 10)), officers)
    signed(start(shop_b, officers, on=date(2026, 2, 2)), officers)
    planning.sync_plan(year=2026, today=date(2026, 6, 15))
    return {"plant_a": plant_a, "shop_a": shop_a, "shop_b": shop_b, "plant_b": plant_b}


def monitoring_task(facility, n, kind, basis, state):
    return MonitoringTask.objects.create(
        number=f"JC-JM-{n}", year=2026, sequence=n, facility=facility, kind=kind, basis=basis, state=state
    )


@pytest.fixture
def monitored(district):
    """Plant A monitored (concluded), plant B dispatched, shop A drawn for the simplified sample and
    still planned, plant A's self-monitoring plan checked."""
    enforcement = TaskKind.ENFORCEMENT
    monitoring_task(district["plant_a"], 1, enforcement, Basis.KEY_ALL, TaskState.CONCLUDED)
    monitoring_task(district["plant_b"], 2, enforcement, Basis.KEY_ALL, TaskState.DISPATCHED)
    monitoring_task(district["shop_a"], 3, enforcement, Basis.SIMPLIFIED_SAMPLE, TaskState.PLANNED)
    monitoring_task(
        district["plant_a"], 4, TaskKind.SELF_MONITORING, Basis.SELF_MONITORING, TaskState.CONCLUDED
    )
    monitoring_task(
        district["shop_a"], 5, TaskKind.ONLINE_EQUIPMENT, Basis.ONLINE_EQUIPMENT, TaskState.WITHDRAWN
    )
    return district


def figures(response, section):
    return {
        row.label: (row.owed, row.done, row.open, row.overdue)
        for row in getattr(response.context["plan"], section)
    }


def test_r_ins_3_owed_and_done_by_level_and_town(client, leader, district):
    # when
    client.force_login(leader)
    response = client.get(URL, {"year": 2026})
    # then: owed, done, open, overdue
    assert response.status_code == 200
    assert figures(response, "by_level") == {
        "重点管理": (5, 1, 4, 1),  # plant A's two half years (H1 done), plant B's new permit + two half years
        "简化管理": (1, 0, 1, 0),
        "登记管理": (0, 0, 0, 0),  # left to the 20% sample
    }
    assert figures(response, "by_town") == {"甲镇": (3, 1, 2, 0), "乙镇": (3, 0, 3, 1)}
    plan = response.context["plan"]
    assert (plan.total.owed, plan.total.done, plan.total.overdue) == (6, 1, 1)
    assert (plan.registered_count, plan.registered_required, plan.registered_inspected) == (1, 1, 1)
    page = response.content.decode()
    assert "逾期" in page and "登记管理单位抽查：应抽查" in page
    overdue = plan.by_town[1].links["overdue"]
    assert overdue.startswith(reverse("inspections:plan-items")) and "alert=overdue" in overdue
    assert f"town={district['plant_b'].town_id}" in overdue and "year=2026" in overdue


def test_r_ins_3_a_town_sees_its_own_jurisdiction_only(client, town_a_liaison, district):
    client.force_login(town_a_liaison)
    response = client.get(URL, {"year": 2026, "town": district["plant_b"].town_id})
    assert response.status_code == 200
    assert response.context["town_id"] == district["plant_a"].town_id
    assert figures(response, "by_town") == {"甲镇": (3, 1, 2, 0)}
    targets = {t.key: (t.total, t.covered) for t in response.context["targets"]}
    assert targets == {"key_industry": (1, 1), "all": (2, 1)}
    page = response.content.decode()
    assert "乙镇" not in page and "测试单位004" not in page
    # the plan-items and monitoring lists are the bureau's: a town gets figures without those links
    assert reverse("inspections:plan-items") not in page and "/monitoring/tasks/" not in page


def test_r_ins_3_bureau_chooses_a_town(client, pollution_clerk, district):
    client.force_login(pollution_clerk)
    response = client.get(URL, {"year": 2026, "town": district["plant_b"].town_id})
    assert figures(response, "by_level")["重点管理"] == (3, 0, 3, 1)
    assert list(figures(response, "by_town")) == ["乙镇"]


def test_r_ins_9_checklist_coverage_against_both_targets(client, legal_clerk, district):
    client.force_login(legal_clerk)
    response = client.get(URL, {"year": 2026})
    targets = {t.key: t for t in response.context["targets"]}
    assert district["plant_a"].key_industry_id and not district["shop_a"].key_industry_id
    key, everyone = targets["key_industry"], targets["all"]
    assert (key.total, key.covered, key.uncovered, key.share, key.passed) == (2, 1, 1, 50, True)
    assert (everyone.total, everyone.covered, everyone.share, everyone.deadline) == (
        4,
        2,
        50,
        date(2025, 12, 31),
    )
    assert "已过期限，未完成" in response.content.decode()


def test_r_ins_9_the_units_not_covered_are_listed(client, legal_clerk, district):
    client.force_login(legal_clerk)
    response = client.get(URL, {"year": 2026, "uncovered": "all"})
    names = [f.name for f in response.context["page"].object_list]
    assert names == ["测试单位002有限公司", "测试单位004有限公司"]
    response = client.get(URL, {"year": 2026, "uncovered": "key_industry"})
    assert [f.name for f in response.context["page"].object_list] == ["测试单位004有限公司"]


def test_r_ins_9_an_earlier_year_counts_inspections_up_to_its_end(client, legal_clerk, district):
    client.force_login(legal_clerk)
    response = client.get(URL, {"year": 2025})
    assert [(t.total, t.covered) for t in response.context["targets"]] == [(2, 0), (4, 0)]


def test_r_mon_1_monitoring_owed_and_concluded(client, ecology_clerk, monitored):
    client.force_login(ecology_clerk)
    response = client.get(URL, {"year": 2026})
    lines = {line.key: (line.owed, line.done) for line in response.context["monitoring"].lines}
    assert lines == {
        "key": (2, 1),
        "simplified": (1, 0),
        "self_monitoring": (1, 1),
        "online_equipment": (0, 0),
    }
    page = response.content.decode()
    assert "/monitoring/tasks/?year=2026&amp;kind=enforcement&amp;basis=key_all" in page


def test_r_mon_1_without_a_sample_thirty_percent_is_owed(client, ecology_clerk, district):
    client.force_login(ecology_clerk)
    response = client.get(URL, {"year": 2026})
    simplified = response.context["monitoring"].lines[1]
    assert (simplified.owed, simplified.done) == (1, 0)  # 30% of one simplified holder, rounded up
    assert "30%" in simplified.note


def test_r_ins_5_published_share_of_random_check_results(client, leader, officers, district):
    # given: a draw of the registered unit (inspected, signed: published) and one of the simplified
    # retailer whose inspection period ended in May without an inspection (due, not published)
    officer = officers[0]
    first = draws.create_draw(
        by=officer,
        title="登记管理单位抽查",
        levels=["registered"],
        officers=officers,
        inspect_from=date(2026, 6, 1),
        inspect_until=date(2026, 6, 30),
        sample_size=1,
        exclude_recent_days=0,
        today=date(2026, 5, 20),
    )
    draws.run_draw(by=officer, draw=first, today=date(2026, 5, 21))
    second = draws.create_draw(
        by=officer,
        title="简化管理单位抽查",
        levels=["simplified"],
        officers=officers,
        inspect_from=date(2026, 5, 4),
        inspect_until=date(2026, 5, 29),
        sample_size=1,
        today=date(2026, 4, 20),
    )
    draws.run_draw(by=officer, draw=second, today=date(2026, 4, 21))
    item = first.items.get()
    signed(
        start(district["shop_b"], officers, on=date(2026, 6, 12), reason="random_draw", draw_item=item),
        officers,
    )
    # when
    client.force_login(leader)
    response = client.get(URL, {"year": 2026})
    # then
    published = response.context["published"]
    assert (published.drawn, published.due, published.published, published.share) == (2, 2, 1, 50)
    page = response.content.decode()
    assert "未达 100%" in page and "/public/draws/?year=2026" in page


@pytest.mark.parametrize("persona", ["approval_clerk", "officer", "monitoring_clerk", "administrator"])
def test_every_bureau_section_may_see_it(client, request, persona, district):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_bad_year_and_town_fall_back(client, leader, district):
    client.force_login(leader)
    response = client.get(URL, {"year": "abc", "town": "x", "page": "9", "uncovered": "all"})
    assert response.status_code == 200
    assert (response.context["year"], response.context["town_id"]) == (2026, None)


def _page_queries(client, django_assert_num_queries, expected):
    # Expect: the session, the user with staff/section/town, the towns, the plan settings' share, the
    # plan items by level and town, the annual plan, the registered units and those inspected, the
    # checklist targets' units and those covered (each covered count a semi-join of its own), the
    # monitoring plan, the monitored holders, the monitoring tasks by kind and basis, the drawn items.
    with django_assert_num_queries(expected):
        assert client.get(URL, {"year": 2026}).status_code == 200


def test_the_page_costs_the_same_queries_for_3_and_30_facilities(
    client, leader, monitored, approval_clerk, town_a, django_assert_num_queries
):
    client.force_login(leader)
    _page_queries(client, django_assert_num_queries, 14)
    for n in range(10, 37):
        facility(n, town_a, ("key", "simplified", "registered")[n % 3], POWER, approval_clerk)
    planning.sync_plan(year=2026, today=date(2026, 6, 15))
    _page_queries(client, django_assert_num_queries, 14)
    # the list of units not covered adds its count and its page
    with django_assert_num_queries(16):
        assert client.get(URL, {"year": 2026, "uncovered": "all"}).status_code == 200


def test_a_towns_page_costs_the_same_queries(client, town_a_liaison, monitored, django_assert_num_queries):
    client.force_login(town_a_liaison)
    _page_queries(client, django_assert_num_queries, 14)
