"""The department queues of 三监联动 at scale (R-LNK-6, R-LNK-7, R-CAL-1; issue 15): each tab reads one
page of its tasks in deadline order, the tabs' counts come from one aggregate, the pager never counts
the same rows twice, the query count does not grow with the tasks, and the working days left or
overdue are counted by the work calendar across a 调休 weekend.

Data is made through the services, as in production.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from bureau.calendar import WorkCalendar
from bureau.models import Section, SectionCode
from linkage.models import Assignment, LinkageTask
from linkage.queries import visible_tasks
from linkage.services import tasks as services
from tests.factories.linkage import LinkageTaskFactory

# 2025: National Day and Mid-autumn 1–8 October; Sunday 28 September and Saturday 11 October are
# 调休 working days.
TODAY = date(2025, 9, 29)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_calendar"), pytest.mark.today(TODAY)]

LIST = reverse("linkage:task-list")


def start(team, initiator, receivers, **kwargs):
    by, head = team[initiator]
    return LinkageTaskFactory(by=by, head=head, initiator=initiator, receivers=receivers, **kwargs)


def receive(task, by, head):
    services.receive_task(by=by, task=task, execution="已接收", handler=by, head=head, executed_on=TODAY)


def feed_back(task, by, head):
    services.feed_back_task(by=by, task=task, result="已办结", handler=by, head=head, fed_back_on=TODAY)


@pytest.fixture
def team(monitoring_clerk, monitoring_head, officer, enforcement_head, approval_clerk, approval_head):
    return {
        "monitoring": (monitoring_clerk, monitoring_head),
        "enforcement": (officer, enforcement_head),
        "approval": (approval_clerk, approval_head),
    }


def rows(response) -> list[str]:
    return [row.task.number for row in response.context["rows"]]


def tab_counts(response) -> dict[str, int]:
    return {q.key: q.count for q in response.context["queues"]}


def spread(team, size: int) -> list:
    """``size`` tasks of the monitoring station to 执法大队, in every state 执法大队 and 审批科 see:
    pending (half of them long overdue), received, closed awaiting 归档, awaiting 销号."""
    enforcement, monitoring = team["enforcement"], team["monitoring"]
    made = []
    for n in range(size):
        started = TODAY - timedelta(days=40) if n % 8 == 0 else TODAY - timedelta(days=n % 5)
        task = start(team, "monitoring", ["enforcement"], started_on=started, deadline_workdays=10)
        if n % 4 >= 1:
            receive(task, *enforcement)
        if n % 4 >= 2:
            feed_back(task, *enforcement)
        if n % 4 == 2:
            services.close_task(by=monitoring[0], task=task, closed_on=TODAY)
        made.append(task)
    return made


# Paging and counts ----------------------------------------------------------------------------------


def test_r_lnk_6_a_queue_pages_in_deadline_order_and_counts_once(client, team):
    # given: 55 tasks waiting for 执法大队 to receive them, started on different days
    made = [
        start(team, "monitoring", ["enforcement"], started_on=TODAY - timedelta(days=n % 11))
        for n in range(55)
    ]
    expected = [t.number for t in sorted(made, key=lambda t: (t.deadline_on, t.pk))]
    client.force_login(team["enforcement"][0])
    # when
    first = client.get(LIST, {"tab": "receive"})
    second = client.get(LIST, {"tab": "receive", "page": "2"})
    # then: 50 and 5 rows, in deadline order, none twice, the tab counting all 55
    assert rows(first) == expected[:50] and rows(second) == expected[50:]
    assert tab_counts(first)["receive"] == 55 and first.context["page"].paginator.count == 55
    page = first.content.decode()
    assert page.count("<tr data-task=") == 50
    assert 'data-tab="receive" class="active" aria-current="page">待接收<span class="count">55</span>' in page
    assert "第 1 / 2 页" in page and "?tab=receive&amp;page=2" in page
    assert "第 2 / 2 页" in second.content.decode()
    # a page past the end shows the last one, as on 全部任务
    assert rows(client.get(LIST, {"tab": "receive", "page": "9"})) == expected[50:]


def test_r_lnk_6_tab_counts_match_the_tabs_rows(client, team):
    # given
    made = spread(team, 16)
    client.force_login(team["enforcement"][0])
    # when
    response = client.get(LIST)
    counts = tab_counts(response)
    # then: each tab lists as many rows as its count says, and the default tab is the first with any
    assert counts == {"receive": 4, "doing": 4, "close": 0, "started": 0, "overdue": 2}
    assert response.context["tab"] == "receive"
    for key, count in counts.items():
        assert len(rows(client.get(LIST, {"tab": key}))) == count, key
    late = {t.number for t in made if t.deadline_on < TODAY and t.started_on < TODAY - timedelta(days=30)}
    assert set(rows(client.get(LIST, {"tab": "overdue"}))) == late
    # 审批科: the closed tasks wait for its archiving
    client.force_login(team["approval"][0])
    response = client.get(LIST)
    assert response.context["tab"] == "archive" and tab_counts(response)["archive"] == 4
    assert len(rows(response)) == 4
    assert '<span class="count">4</span>' in response.content.decode()


# Query budgets that do not grow with the tasks ------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_r_lnk_6_each_tab_costs_the_same_queries_with_3_and_30_tasks(
    client, team, size, django_assert_num_queries
):
    spread(team, size)
    client.force_login(team["enforcement"][0])
    # Expect 6 queries on a tab with rows: session, user with staff/section/town, the tabs' counts (one
    # aggregate), the tab's page of tasks with initiator and facility, their assignments with
    # section, the work calendar of the years the deadlines span (one query). On an empty tab (本部门
    # 发起: 执法大队 started none) 3: session, user, the tabs' counts; no page is read.
    for tab, expected in {"receive": 6, "doing": 6, "overdue": 6, "started": 3}.items():
        with django_assert_num_queries(expected):
            response = client.get(LIST, {"tab": tab})
        assert response.status_code == 200
    client.force_login(team["approval"][0])
    # Expect 5 queries for 待归档: session, user, the tabs' counts, the page, its assignments (a
    # closed task counts no working days).
    with django_assert_num_queries(5):
        response = client.get(LIST, {"tab": "archive"})
    assert len(rows(response)) == (size + 1) // 4
    # Expect 9 queries for 全部任务: session, user, the tabs' counts, count of the filtered tasks, the
    # page, its assignments, the work calendar of 2025, the steps owed per department, the tasks to
    # close or archive per initiator.
    with django_assert_num_queries(9):
        response = client.get(LIST, {"tab": "all"})
    assert len(rows(response)) == size


@pytest.mark.parametrize("size", [3, 30])
def test_r_lnk_6_home_page_lines_cost_one_query_with_3_and_30_tasks(
    client, team, size, django_assert_num_queries
):
    spread(team, size)
    client.force_login(team["enforcement"][0])
    # Expect 6 queries: session, user with staff/section/town, the to-do items, the linkage tasks
    # waiting for 执法大队 (one query), the complaints to answer, the officer's inspections in draft.
    with django_assert_num_queries(6):
        response = client.get("/")
    waiting = size - size // 4 - (size + 1) // 4  # pending and received, not fed back or closed
    assert response.content.decode().count("三监联动·") == waiting


# Working days across a 调休 weekend (R-LNK-7, R-CAL-1) -------------------------------------------------


def test_r_lnk_7_working_days_left_and_overdue_across_a_tiaoxiu_weekend(client, team):
    # given: one task due Friday 26 September, one due today, one started today with 5 working days
    late = start(team, "monitoring", ["enforcement"], started_on=date(2025, 9, 1), deadline_workdays=19)
    due = start(team, "monitoring", ["enforcement"], started_on=date(2025, 9, 22), deadline_workdays=6)
    fresh = start(team, "monitoring", ["enforcement"], started_on=TODAY, deadline_workdays=5)
    assert late.deadline_on == date(2025, 9, 26) and due.deadline_on == TODAY
    # Tuesday 30 September, 9 and 10 October, Saturday 11 October (调休), Monday 13 October
    assert fresh.deadline_on == date(2025, 10, 13)
    client.force_login(team["enforcement"][0])
    # when
    response = client.get(LIST, {"tab": "receive"})
    # then: Sunday 28 September (调休) and Monday 29 September are the two working days past the deadline
    text = {row.task.number: row.deadline.text for row in response.context["rows"]}
    assert text == {late.number: "已逾期 2 个工作日", due.number: "今日到期", fresh.number: "剩余 5 个工作日"}
    assert rows(response) == [late.number, due.number, fresh.number]
    page = response.content.decode()
    assert f'<tr data-task="{late.pk}" class="overdue">' in page and "已逾期 2 个工作日" in page
    assert tab_counts(response)["overdue"] == 1
    assert rows(client.get(LIST, {"tab": "overdue"})) == [late.number]


def test_r_cal_1_counting_working_days_by_running_totals_matches_counting_day_by_day():
    from bureau import rules

    calendar, reference = WorkCalendar(), WorkCalendar()
    days = [
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 9, 26),
        TODAY,
        date(2025, 10, 11),
        date(2026, 2, 1),
    ]
    for start_on in days:
        for end_on in days:
            expected = rules.count_workdays(start_on, end_on, reference.is_workday)
            assert calendar.count_workdays(start_on, end_on) == expected, (start_on, end_on)


@pytest.mark.postgresql  # the plan is PostgreSQL's; SQLite reads the EXISTS as written
def test_issue_15_a_department_page_checks_its_assignments_task_by_task_not_all_at_once(officer):
    # given: 2,000 tasks, every other one sent to 执法大队, and the planner's statistics
    sections = dict(Section.objects.values_list("code", "pk"))
    LinkageTask.objects.bulk_create(
        LinkageTask(
            number=f"LD-Q{n:05d}",
            year=2025,
            sequence=n,
            initiator_id=sections[SectionCode.APPROVAL],
            description="任务",
            started_on=TODAY,
            deadline_workdays=10,
            deadline_on=TODAY,
        )
        for n in range(1, 2001)
    )
    Assignment.objects.bulk_create(
        Assignment(task=task, section_id=sections[SectionCode.ENFORCEMENT])
        for task in LinkageTask.objects.filter(sequence__gt=1000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE linkage_linkagetask, linkage_assignment")
    # when: 执法大队's first page of its tasks is planned
    plan = visible_tasks(officer).order_by("-year", "-sequence")[:50].explain()
    # then: each task of the page is checked by index; no hash of every assignment first
    assert "SubPlan" in plan and "hashed SubPlan" not in plan, plan
