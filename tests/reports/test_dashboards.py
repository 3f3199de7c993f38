"""工作看板 and 领导看板 (issue 13, R-LNK-6, R-INS-9, R-PER-3): each figure matches a count made here
from a small district with rows that must not be counted (another town, closed, outside the period);
each figure's link opens the list behind it showing exactly that many rows; who may open which
dashboard; and a fixed number of queries however many rows there are."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from complaints.models import Complaint
from inspections.models import ItemState, PlanItem
from inspections.services import planning
from linkage.models import LinkageTask
from linkage.services import tasks as linkage_services
from permits.models import RectificationSource
from permits.reports.models import ExecutionReport
from permits.reports.services import due
from permits.services import rectification
from tests.factories.complaints import ComplaintFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitFactory

TODAY = date(2026, 6, 15)
pytestmark = pytest.mark.today(TODAY)

SECTION = reverse("reports:dashboard")
LEADERSHIP = reverse("reports:dashboard-leadership")
MONITORING, ENFORCEMENT = "monitoring", "enforcement"
_FIGURE = r'<(?:a|span|td)(?P<attrs>[^>]*)data-figure="{key}"[^>]*>(?P<value>[^<]*)<'


def figure(page: str, key: str) -> tuple[str, str]:
    """The value a figure shows and the link it carries ("" when none)."""
    found = re.search(_FIGURE.format(key=re.escape(key)), page)
    assert found, f"no figure {key}"
    href = re.search(r'href="([^"]*)"', found["attrs"])
    return found["value"].strip(), html.unescape(href[1]) if href else ""


def listed(client, url: str) -> int:
    """How many rows the list at ``url`` says it shows (共 N …, or the coverage page's N 家)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    found = re.search(r"<h3>[^<（]*（(\d+) 家）</h3>", page) or re.search(r"共 (\d+) ", page)
    assert found, url
    return int(found[1])


def ledger_item(facility, by, *, found_on, workdays=5):
    return rectification.open_rectification_item(
        by=by,
        facility=facility,
        source_kind=RectificationSource.INSPECTION,
        source_key=f"inspections.finding:{facility.pk}-{found_on}",
        source_label="现场检查发现",
        category="unlicensed_discharge",
        category_label="无证排污",
        description="废气处理设施未运行即生产",
        found_on=found_on,
        deadline_workdays=workdays,
        responsible_person="王厂长",
        responsible_phone="13800000000",
    )


def close_linkage(task, personas, heads, on):
    code = ENFORCEMENT
    linkage_services.receive_task(
        by=personas[code],
        task=task,
        execution="已现场检查。",
        handler=personas[code],
        head=heads[code],
        executed_on=on,
    )
    linkage_services.feed_back_task(
        by=personas[code],
        task=task,
        result="已整改到位。",
        handler=personas[code],
        head=heads[code],
        fed_back_on=on,
    )
    linkage_services.close_task(by=personas[MONITORING], task=task, closed_on=on)


@pytest.fixture
def district(town_a, town_b, personas, heads, approval_clerk, officer, work_calendar):
    """甲镇: a key-managed plant (permit expiring in 20 days), a simplified shop (permit expiring in 60
    days) and an old works (permit expired); 乙镇: a plant (permit expiring in 10 days).

    三监联动 (监测站 → 执法大队): about 甲镇's plant one task started 2026-03-02 (overdue), one today
    (in time), one started and closed in February; about 乙镇's plant one started 2026-05-04 (overdue).
    Ledger: 甲镇's plant one item found 2026-01-10 still open (overdue), one found 2026-03-02 closed on
    2026-04-10; 乙镇's plant one open item. Complaints received: one about 甲镇's plant, one about 乙镇's,
    one about no facility. The year's inspection plan is computed."""
    by = approval_clerk
    plant_a = FacilityFactory(n=1, town=town_a, management_level="key", by=by)
    shop_a = FacilityFactory(n=2, town=town_a, management_level="simplified", by=by)
    works_a = FacilityFactory(n=3, town=town_a, management_level="simplified", by=by)
    plant_b = FacilityFactory(n=4, town=town_b, management_level="key", by=by)
    PermitFactory(facility=plant_a, by=by, valid_until=TODAY + timedelta(days=20))
    PermitFactory(facility=shop_a, by=by, valid_until=TODAY + timedelta(days=60))
    PermitFactory(facility=works_a, by=by, valid_until=TODAY - timedelta(days=5))
    PermitFactory(facility=plant_b, by=by, valid_until=TODAY + timedelta(days=10))

    def task(facility, on):
        return LinkageTaskFactory(
            by=personas[MONITORING],
            head=heads[MONITORING],
            facility=facility,
            started_on=on,
            receivers=[ENFORCEMENT],
        )

    task(plant_a, date(2026, 3, 2))
    task(plant_a, TODAY)
    close_linkage(task(plant_a, date(2026, 2, 2)), personas, heads, date(2026, 2, 20))
    task(plant_b, date(2026, 5, 4))

    ledger_item(plant_a, by, found_on=date(2026, 1, 10))
    closed = ledger_item(plant_a, by, found_on=date(2026, 3, 2))
    rectification.close_rectification(
        by=by, item=closed, closed_on=date(2026, 4, 10), evidence="已整改，附照片。"
    )
    ledger_item(plant_b, by, found_on=date(2026, 5, 4))

    ComplaintFactory(by=officer, facility=plant_a)
    ComplaintFactory(by=officer, facility=plant_b)
    ComplaintFactory(by=officer)
    planning.sync_plan(year=2026, today=TODAY)
    due.make_owed_reports(today=TODAY)
    return {"plant_a": plant_a, "plant_b": plant_b}


def page_of(client, user, url=LEADERSHIP, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


# Figures against counts made here -------------------------------------------------------------------


def test_r_lnk_6_linkage_open_and_overdue_per_department_and_their_trend(client, leader, district, town_a):
    # given: the counts, made from the tasks themselves
    tasks = LinkageTask.objects.all()
    in_a = tasks.filter(facility__town=town_a)
    open_a = [t for t in in_a if t.closed_on is None]
    overdue_a = [t for t in open_a if t.deadline_on < TODAY]
    assert (len(open_a), len(overdue_a)) == (2, 1)
    # when: the leadership dashboard for the whole district, then for 甲镇
    everywhere = page_of(client, leader)
    only_a = page_of(client, leader, town=town_a.pk)
    # then: 监测站 started them and 执法大队 received them; the others have none
    for code in ("监测站", "执法大队"):
        assert figure(everywhere, f"linkage/{code}/未销号")[0] == "3"
        assert figure(everywhere, f"linkage/{code}/已逾期")[0] == "2"
        assert figure(only_a, f"linkage/{code}/未销号")[0] == str(len(open_a))
        assert figure(only_a, f"linkage/{code}/已逾期")[0] == str(len(overdue_a))
    assert figure(only_a, "linkage/污防科/未销号")[0] == "0"
    # the trend over 2026: started and closed per month, and still open at each month's end
    assert figure(only_a, "linkage/2月/新发起")[0] == "1"
    assert figure(only_a, "linkage/2月/已销号")[0] == "1"
    assert figure(only_a, "linkage/2月/月末未销号")[0] == "0"
    assert figure(only_a, "linkage/3月/月末未销号")[0] == "1"
    assert figure(everywhere, "linkage/5月/月末未销号")[0] == "2"
    assert figure(everywhere, "linkage/6月/新发起")[0] == "1"
    # a quarter's trend has its three months only
    second_quarter = page_of(client, leader, period="2026-Q2")
    assert "2026 年第 2 季度" in second_quarter
    assert 'data-figure="linkage/2月/新发起"' not in second_quarter
    assert figure(second_quarter, "linkage/5月/新发起")[0] == "1"


def test_r_per_3_the_ledgers_way_to_zero(client, leader, district, town_a):
    only_a = page_of(client, leader, town=town_a.pk)
    assert figure(only_a, "ledger/未销号")[0] == "1"
    assert figure(only_a, "ledger/已逾期")[0] == "1"
    assert [
        figure(only_a, f"ledger/{m}/未销号")[0] for m in ("2026年1月", "2月", "3月", "4月", "5月", "6月")
    ] == [
        "1",
        "1",
        "2",
        "1",
        "1",
        "1",
    ]
    everywhere = page_of(client, leader)
    assert figure(everywhere, "ledger/未销号")[0] == "2"
    assert figure(everywhere, "ledger/5月/未销号")[0] == "2"
    assert 'data-figure="ledger/7月/未销号"' not in everywhere  # July has not begun


def test_r_per_1_permits_expiring_within_30_and_90_days(client, leader, district, town_a):
    everywhere = page_of(client, leader)
    assert figure(everywhere, "expiring/30 天内到期")[0] == "2"
    assert figure(everywhere, "expiring/90 天内到期")[0] == "3"
    only_a = page_of(client, leader, town=town_a.pk)
    assert figure(only_a, "expiring/30 天内到期")[0] == "1"
    assert figure(only_a, "expiring/90 天内到期")[0] == "2"  # not the expired works


def test_complaints_unanswered_and_the_plan_owed(client, leader, district, town_a):
    everywhere = page_of(client, leader)
    assert figure(everywhere, "complaints/已受理")[0] == str(
        Complaint.objects.filter(state="received").count()
    )
    assert figure(page_of(client, leader, town=town_a.pk), "complaints/已受理")[0] == "1"
    owed = PlanItem.objects.filter(plan__year=2026).exclude(state=ItemState.WITHDRAWN)
    assert owed.count() > 0
    assert figure(everywhere, "plan/合计/应检")[0] == str(owed.count())
    assert figure(everywhere, "plan/合计/已检")[0] == "0"
    assert figure(everywhere, "plan/甲镇/应检")[0] == str(owed.filter(facility__town=town_a).count())
    assert figure(everywhere, "checklist/全部排污单位/未覆盖")[0] == "4"
    assert "2025 年度等级评定" in everywhere and "尚未起草" in everywhere


def test_r_rep_1_execution_reports_missing_of_the_latest_period_due(client, leader, district, town_a):
    # given: the latest period whose reports fell due before today, none of them received
    latest = ExecutionReport.objects.filter(due_on__lt=TODAY).order_by("-due_on").first()
    of_period = ExecutionReport.objects.filter(
        period_type=latest.period_type, period_start=latest.period_start
    )
    assert of_period.count() > of_period.filter(facility__town=town_a).count() > 0
    # then
    everywhere = page_of(client, leader)
    assert figure(everywhere, "reports/应报")[0] == str(of_period.count())
    assert figure(everywhere, "reports/逾期未报")[0] == str(of_period.count())
    assert figure(everywhere, "reports/逾期提交")[0] == "0"
    assert figure(everywhere, "reports/审核中")[0] == "0"
    only_a = page_of(client, leader, town=town_a.pk)
    assert figure(only_a, "reports/逾期未报")[0] == str(of_period.filter(facility__town=town_a).count())


# Every figure's link opens its list, showing exactly the rows it counts ---------------------------


LINKED = [
    "linkage/监测站/未销号",
    "linkage/执法大队/已逾期",
    "ledger/未销号",
    "ledger/已逾期",
    "expiring/30 天内到期",
    "expiring/90 天内到期",
    "complaints/已受理",
    "plan/合计/应检",
    "plan/甲镇/未检",
    "checklist/全部排污单位/未覆盖",
    "reports/应报",
    "reports/逾期未报",
    "reports/审核中",
]


@pytest.mark.parametrize("town", [False, True], ids=["district", "town-a"])
def test_each_figure_links_to_a_list_of_exactly_its_rows(client, leader, district, town_a, town):
    page = page_of(client, leader, **({"town": town_a.pk} if town else {}))
    for key in LINKED:
        if town and key == "plan/甲镇/未检":
            continue
        value, url = figure(page, key)
        assert url, key
        assert listed(client, url) == int(value), key


def test_a_withdrawn_plan_item_is_neither_owed_nor_listed_as_owed(client, leader, district):
    # given: one of the year's items withdrawn
    item = PlanItem.objects.filter(plan__year=TODAY.year).exclude(state=ItemState.WITHDRAWN).first()
    PlanItem.objects.filter(pk=item.pk).update(state=ItemState.WITHDRAWN)
    owed = PlanItem.objects.filter(plan__year=TODAY.year).exclude(state=ItemState.WITHDRAWN).count()
    # when / then: 应检 leaves it out, and so does the list behind the figure
    value, url = figure(page_of(client, leader), "plan/合计/应检")
    assert int(value) == owed
    assert listed(client, url) == owed


def test_the_linkage_trend_stops_at_this_month(client, leader, district):
    page = page_of(client, leader)
    assert figure(page, "linkage/6月/月末未销号")
    assert 'data-figure="linkage/7月/月末未销号"' not in page
    assert 'data-figure="linkage/12月/新发起"' not in page


@pytest.mark.parametrize(
    "url", ["/complaints/", "/complaints/export.xlsx", "/linkage/?tab=all", "/linkage/export.xlsx?tab=all"]
)
def test_a_town_id_past_any_id_is_ignored_not_a_server_error(client, leader, url):
    client.force_login(leader)
    joiner = "&" if "?" in url else "?"
    assert client.get(f"{url}{joiner}town=99999999999999999999999").status_code == 200


def test_a_town_sees_its_own_figures_and_their_lists(client, town_a_liaison, district, town_b):
    # when: 甲镇 asks for 乙镇's
    page = page_of(client, town_a_liaison, SECTION, town=town_b.pk)
    # then: it is pinned to its own jurisdiction, with no town to choose
    assert "工作看板 · 甲镇" in page and 'name="town"' not in page
    assert figure(page, "linkage/监测站/未销号")[0] == "2"
    assert figure(page, "ledger/未销号")[0] == "1"
    assert figure(page, "expiring/30 天内到期")[0] == "1"
    for key in (
        "linkage/监测站/未销号",
        "ledger/未销号",
        "expiring/90 天内到期",
        "checklist/全部排污单位/未覆盖",
    ):
        value, url = figure(page, key)
        assert listed(client, url) == int(value), key
    # no panel of bureau-only pages
    assert 'data-panel="complaints"' not in page and 'data-panel="grading"' not in page


# Who sees which dashboard ---------------------------------------------------------------------------


EXPECTED_PANELS = {
    "approval": ["linkage", "reports", "ledger", "expiring", "plan", "checklist", "grading"],
    "ecology": ["linkage", "reports", "ledger", "complaints"],
    "pollution": ["linkage", "reports", "ledger", "expiring"],
    "legal": ["plan", "checklist", "grading", "complaints"],
    "enforcement": ["linkage", "plan", "checklist", "complaints", "ledger"],
    "monitoring": ["linkage", "plan"],
    "leadership": ["linkage", "plan", "checklist", "reports", "ledger", "expiring", "complaints", "grading"],
    "town": ["linkage", "checklist", "ledger", "expiring", "reports"],
}


@pytest.mark.parametrize("section", list(EXPECTED_PANELS))
def test_each_section_has_its_own_dashboard(client, personas, section):
    page = page_of(client, personas[section], SECTION)
    assert re.findall(r'data-panel="([a-z]+)"', page) == EXPECTED_PANELS[section]


def test_leadership_dashboard_is_for_leaders_and_the_administrator(
    client, leader, administrator, approval_head, monitoring_head, personas, town_a_liaison
):
    for user in (leader, administrator):
        page = page_of(client, user)
        assert "<h1>领导看板" in page
    # a head sees its section's figures on its own dashboard, and is not offered the whole bureau's
    # (its queries would give it partial figures under a whole-bureau title)
    assert f'href="{LEADERSHIP}"' not in page_of(client, approval_head, SECTION)
    for user in (
        approval_head,
        monitoring_head,
        personas["approval"],
        personas["enforcement"],
        town_a_liaison,
    ):
        client.force_login(user)
        response = client.get(LEADERSHIP)
        assert response.status_code == 403
        assert "领导看板仅供局领导查看" in response.content.decode()


def test_dashboards_require_login(client):
    for url in (SECTION, LEADERSHIP):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_user_without_section_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get(SECTION).status_code == 403
    assert client.get(LEADERSHIP).status_code == 403


def test_malformed_period_falls_back_to_the_current_year(client, leader):
    page = page_of(client, leader, period="2026-13")
    assert "2026 年 ·" in page


# Query budgets --------------------------------------------------------------------------------------


@pytest.fixture
def many(district, town_a, town_b, approval_clerk, officer):
    """Twenty more facilities with permits, ledger items and complaints, so an N+1 would show."""
    for n in range(10, 30):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b, by=approval_clerk)
        PermitFactory(facility=facility, by=approval_clerk, valid_until=TODAY + timedelta(days=n))
        ledger_item(facility, approval_clerk, found_on=date(2026, 2, n - 5))
        ComplaintFactory(by=officer, facility=facility)
    planning.sync_plan(year=2026, today=TODAY)
    due.make_owed_reports(today=TODAY)


def test_leadership_dashboard_costs_fixed_queries(client, leader, many, django_assert_num_queries):
    client.force_login(leader)
    # Expect 18 queries: the session; the user with staff, section and town; the towns; the plan
    # settings; 三监联动 per department, per month (2); the plan's items grouped, the plan, the
    # registered units, those inspected (4); checklist coverage: units, those covered (2); execution reports' latest period due, its counts
    # (2); the ledger (1); permits expiring (1); complaints (1); the grading of last year (1; its
    # grades counted make one more once it is drafted).
    with django_assert_num_queries(QUERIES_LEADERSHIP):
        response = client.get(LEADERSHIP)
    assert response.status_code == 200


def test_town_dashboard_costs_fixed_queries(client, town_a_liaison, many, django_assert_num_queries):
    client.force_login(town_a_liaison)
    # Expect 11 queries: the session; the user with staff, section and town; the towns; 三监联动 per
    # department, per month (2); checklist coverage: units, those covered (2); execution reports' period, counts (2); the
    # ledger (1); permits expiring (1).
    with django_assert_num_queries(QUERIES_TOWN):
        response = client.get(SECTION)
    assert response.status_code == 200


QUERIES_LEADERSHIP = 18
QUERIES_TOWN = 11
