"""The to-do list: any app contributes items; the home page shows them, most urgent first."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from bureau import services
from bureau.models import Role, SectionCode, TodoItem
from bureau.todo import add_todo, complete_todo, todos_for
from complaints.services import answer_complaint
from linkage.services.tasks import archive_task, close_task, feed_back_task, receive_task
from tests.factories.complaints import ComplaintFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory
from tests.permits.test_rectification import open_inspection_item

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def titles(user):
    return [item.title for item in todos_for(user, today=TODAY)]


def test_items_are_addressed_by_user_section_role_and_town(
    approval_clerk, approval_head, officer, town_a_liaison, town_b_liaison, town_a, administrator
):
    approval = services.section(SectionCode.APPROVAL)
    towns = services.section(SectionCode.TOWN)
    add_todo(key="k1", title="审批科全体", section=approval)
    add_todo(key="k2", title="审批科负责人", section=approval, role=Role.HEAD)
    add_todo(key="k3", title="给执法员本人", user=officer)
    add_todo(key="k4", title="甲镇", section=towns, town=town_a)
    add_todo(key="k5", title="系统管理员", for_superusers=True)
    assert titles(approval_clerk) == ["审批科全体"]
    assert sorted(titles(approval_head)) == ["审批科全体", "审批科负责人"]
    assert titles(officer) == ["给执法员本人"]
    assert titles(town_a_liaison) == ["甲镇"]
    assert titles(town_b_liaison) == []
    assert titles(administrator) == ["系统管理员"]


def test_most_urgent_first(approval_clerk):
    approval = services.section(SectionCode.APPROVAL)
    add_todo(key="a", title="无期限", section=approval)
    add_todo(key="b", title="下月到期", section=approval, due_on=date(2026, 12, 20))
    add_todo(key="c", title="已逾期", section=approval, due_on=date(2026, 11, 1))
    add_todo(key="d", title="紧急", section=approval, due_on=date(2026, 12, 30), is_urgent=True)
    add_todo(key="e", title="明天到期", section=approval, due_on=date(2026, 11, 21))
    assert titles(approval_clerk) == ["已逾期", "紧急", "明天到期", "下月到期", "无期限"]


def test_adding_the_same_key_twice_keeps_one_item(approval_clerk):
    approval = services.section(SectionCode.APPROVAL)
    add_todo(key="permit-expiry:1", title="旧标题", section=approval)
    add_todo(key="permit-expiry:1", title="新标题", section=approval)
    assert TodoItem.objects.filter(key="permit-expiry:1").count() == 1
    assert titles(approval_clerk) == ["新标题"]


def test_adding_an_unchanged_item_again_writes_nothing(approval_clerk, town_a, django_assert_num_queries):
    # given: an open item, as the daily job adds it
    approval = services.section(SectionCode.APPROVAL)
    item = dict(
        key="permit-expiry:2", title="许可证将到期", section=approval, town=town_a, due_on=date(2026, 12, 31)
    )
    add_todo(**item)
    history = TodoItem.history.filter(key="permit-expiry:2")
    assert history.count() == 1
    # when: the next day's job adds it again unchanged, and then a day when its due date moved
    with django_assert_num_queries(3) as queries:  # the savepoint, one read, its release
        add_todo(**item)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SAVEPOINT", "SELECT", "RELEASE"]
    add_todo(**{**item, "due_on": date(2027, 1, 4)})
    # then: one history row for the unchanged day (none), one for the change
    assert history.count() == 2
    assert TodoItem.objects.get(key="permit-expiry:2").due_on == date(2027, 1, 4)


def test_completed_items_leave_the_list_but_are_kept(approval_clerk):
    approval = services.section(SectionCode.APPROVAL)
    add_todo(key="x", title="办完", section=approval)
    assert complete_todo(key="x", by=approval_clerk) is True
    assert complete_todo(key="x", by=approval_clerk) is False
    assert titles(approval_clerk) == []
    assert TodoItem.objects.get(key="x").done_by == approval_clerk


def test_an_item_needs_an_addressee():
    with pytest.raises(ValueError, match="必须指定"):
        add_todo(key="nobody", title="无人")


def test_home_page_lists_items_with_overdue_flag(client, approval_clerk):
    approval = services.section(SectionCode.APPROVAL)
    add_todo(key="late", title="逾期事项", section=approval, due_on=date(2020, 1, 1), url="/calendar/")
    add_todo(key="fine", title="普通事项", section=approval, due_on=date(2099, 1, 1))
    client.force_login(approval_clerk)
    page = client.get("/").content.decode()
    assert page.index("逾期事项") < page.index("普通事项")
    assert "已逾期" in page
    assert 'href="/calendar/"' in page


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def lines_of(page: str, kind: str) -> int:
    return page.count(f'<span class="badge kind" data-todo-kind>{kind}</span>')


def nav_count(page: str, key: str) -> str | None:
    """The badge of the navigation entry ``key`` as the page shows it, None when it has none."""
    start = page.index(f'data-nav="{key}"')
    link = page[start : page.index("</a>", start)]
    if 'class="nav-count"' not in link:
        return None
    return link.split('class="nav-count"')[1].split(">")[1].split("<")[0]


def test_r_lnk_6_every_step_of_a_task_shows_on_the_home_page_of_the_section_that_owes_it(
    client, work_calendar, today, monitoring_clerk, monitoring_head, officer, enforcement_head, approval_clerk
):
    # given: 监测站 sends a task to 执法大队
    task = LinkageTaskFactory(
        initiator=SectionCode.MONITORING, by=monitoring_clerk, head=monitoring_head, receivers=["enforcement"]
    )
    task_url = reverse("linkage:task-detail", args=[task.pk])

    # then: 执法大队 sees it to receive, linked to the task's page, and the bar counts it
    page = home(client, officer)
    assert lines_of(page, "三监联动·待接收") == 1
    assert f'href="{task_url}">{task.number} ' in page
    assert nav_count(page, "linkage") == "1"
    assert lines_of(home(client, monitoring_clerk), "三监联动·待接收") == 0

    # when received, it waits for the feedback
    signed = {"handler": officer, "head": enforcement_head}
    receive_task(by=officer, task=task, execution="已赴现场核查。", executed_on=today, **signed)
    page = home(client, officer)
    assert (lines_of(page, "三监联动·待接收"), lines_of(page, "三监联动·待反馈")) == (0, 1)

    # when fed back, the initiator closes it (销号)
    feed_back_task(by=officer, task=task, result="已立案查处。", fed_back_on=today, **signed)
    assert lines_of(home(client, officer), "三监联动·待反馈") == 0
    assert lines_of(home(client, monitoring_clerk), "三监联动·待销号") == 1

    # when closed, 审批科 archives it
    close_task(by=monitoring_clerk, task=task, closed_on=today)
    assert lines_of(home(client, monitoring_clerk), "三监联动·待销号") == 0
    page = home(client, approval_clerk)
    assert lines_of(page, "三监联动·待归档") == 1
    assert nav_count(page, "linkage") == "1"

    # when archived, nobody owes anything
    archive_task(by=approval_clerk, task=task, archived_on=today)
    page = home(client, approval_clerk)
    assert lines_of(page, "三监联动·待归档") == 0
    assert nav_count(page, "linkage") is None


def test_r_cmp_1_complaints_to_answer_are_on_the_home_page_of_enforcement_only(
    client, today, officer, legal_clerk, leader
):
    facility = FacilityFactory(name="城东化工有限公司")
    waiting = ComplaintFactory(facility=facility)
    answered = ComplaintFactory(content="噪声扰民")
    answer_complaint(
        by=officer,
        complaint=answered,
        investigation="属实",
        is_substantiated=True,
        answer="已整改",
        answered_on=today,
    )
    page = home(client, officer)
    assert lines_of(page, "信访投诉·待答复") == 1
    assert (
        f'href="{reverse("complaints:complaint-detail", args=[waiting.pk])}">{waiting.number} 城东化工有限公司'
        in page
    )
    assert nav_count(page, "complaints") == "1"
    for other in (legal_clerk, leader):
        page = home(client, other)
        assert lines_of(page, "信访投诉·待答复") == 0
        assert nav_count(page, "complaints") is None


def test_r_org_3_a_town_sees_the_overdue_ledger_items_of_its_own_facilities(
    client, work_calendar, today, town_a, town_b, town_a_liaison, town_b_liaison
):
    ours = FacilityFactory(town=town_a, name="甲镇印染厂")
    theirs = FacilityFactory(town=town_b, name="乙镇电镀厂")
    late = open_inspection_item(ours, found_on=today - timedelta(days=60), deadline_workdays=5)
    open_inspection_item(ours, found_on=today, deadline_workdays=20, description="尚未到期的问题")
    open_inspection_item(theirs, found_on=today - timedelta(days=60), deadline_workdays=5)

    page = home(client, town_a_liaison)
    assert lines_of(page, "整改台账·已逾期") == 1
    assert f'href="/facilities/{ours.pk}/#item-{late.pk}">甲镇印染厂：' in page
    assert "尚未到期的问题" not in page
    assert nav_count(page, "ledger") == "1"
    page = home(client, town_b_liaison)
    assert lines_of(page, "整改台账·已逾期") == 1 and "乙镇电镀厂" in page and "甲镇印染厂" not in page


def test_the_counts_endpoint_gives_the_badges_of_other_pages(client, officer):
    ComplaintFactory()
    ComplaintFactory()
    add_todo(key="mine", title="给执法员本人", user=officer)
    client.force_login(officer)
    assert client.get("/todo/counts.json").json() == {"complaints": 2, "home": 3}
    # any other page asks for them, and does not pay for them itself
    page = client.get("/calendar/").content.decode()
    assert 'data-counts-url="/todo/counts.json"' in page and 'class="nav-count"' not in page


def _stored_items(section_code: str, n: int) -> None:
    section = services.section(section_code)
    for i in range(n):
        add_todo(key=f"item-{i}", title=f"事项{i}", section=section, due_on=date(2026, 12, 1 + i % 28))


@pytest.mark.parametrize("size", [1, 12])
def test_home_page_costs_fixed_queries_for_a_linkage_department(
    client, work_calendar, today, approval_clerk, officer, enforcement_head, django_assert_num_queries, size
):
    # given: stored items and, for 审批科, tasks to archive and tasks it started waiting for 执法大队
    _stored_items(SectionCode.APPROVAL, 5 * size)
    for _ in range(size):
        LinkageTaskFactory(initiator=SectionCode.APPROVAL, by=approval_clerk)
    client.force_login(approval_clerk)
    # Expect 6 queries: session, user with staff/section/town, the to-do items, the linkage tasks
    # waiting for 审批科 (one query), its execution-report review parts to fill, the reviews to
    # notice or re-review (R-REP-2).
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.content.decode().count('<li class="todo') == 5 * size


@pytest.mark.parametrize("size", [1, 12])
def test_home_page_costs_fixed_queries_for_enforcement(
    client, work_calendar, officer, django_assert_num_queries, size
):
    # given: tasks to receive and complaints to answer
    _stored_items(SectionCode.ENFORCEMENT, size)
    for _ in range(size):
        LinkageTaskFactory(facility=FacilityFactory())
        ComplaintFactory(facility=FacilityFactory())
    client.force_login(officer)
    # Expect 6 queries: session, user with staff/section/town, the to-do items, the linkage tasks
    # waiting for 执法大队 (one query), the complaints to answer with their facilities, the officer's
    # inspections still being filled.
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.content.decode().count('<li class="todo') == 3 * size


@pytest.mark.parametrize("size", [1, 12])
def test_home_page_costs_fixed_queries_for_a_town(
    client, work_calendar, today, town_a, town_a_liaison, django_assert_num_queries, size
):
    for _ in range(size):
        open_inspection_item(
            FacilityFactory(town=town_a), found_on=today - timedelta(days=60), deadline_workdays=5
        )
    client.force_login(town_a_liaison)
    # Expect 4 queries: session, user with staff/section/town, the to-do items, the town's overdue
    # ledger items with their facilities.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert response.content.decode().count('<li class="todo') == size


def test_counts_endpoint_costs_fixed_queries(client, officer, django_assert_num_queries):
    for _ in range(10):
        ComplaintFactory()
    client.force_login(officer)
    # Expect 6 queries: session, user with staff/section/town, the to-do items, the linkage tasks
    # waiting for 执法大队, the complaints to answer, the officer's drafts.
    with django_assert_num_queries(6):
        assert client.get("/todo/counts.json").json()["complaints"] == 10


def test_the_counts_need_a_login(client):
    response = client.get("/todo/counts.json")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_stored_items_and_waiting_steps_share_one_order_most_urgent_first(
    client, work_calendar, today, town_a, town_a_liaison
):
    # given: a stored item without deadline, one due next month, and an overdue ledger item of the town
    towns = services.section(SectionCode.TOWN)
    add_todo(key="plain", title="无期限事项", section=towns, town=town_a)
    add_todo(key="later", title="下月到期事项", section=towns, town=town_a, due_on=today + timedelta(days=30))
    open_inspection_item(FacilityFactory(town=town_a, name="甲镇逾期厂"), found_on=today - timedelta(days=60))
    # then: the overdue step leads, then by due date, then the item without one
    page = home(client, town_a_liaison)
    assert page.index("甲镇逾期厂") < page.index("下月到期事项") < page.index("无期限事项")
    assert nav_count(page, "home") == "3"


def test_sync_todos_creates_changes_and_closes_a_kind_in_bulk_with_history_for_real_changes_only(
    approval_clerk, django_assert_num_queries
):
    from bureau.todo import sync_todos

    # given: a kind with three items, one of them done by a person
    approval = services.section(SectionCode.APPROVAL)
    item = {"section": approval, "due_on": date(2026, 12, 31)}
    sync_todos(prefix="k:", items=[{"key": f"k:{n}", "title": f"事项{n}", **item} for n in range(3)])
    complete_todo(key="k:2", by=approval_clerk)
    history = TodoItem.history.filter(key__startswith="k:")
    assert history.count() == 3
    # when: k:0 unchanged, k:1 retitled, k:2 (done) not asked again, k:3 new, and k:0's twin gone
    synced = sync_todos(
        prefix="k:",
        items=[
            {"key": "k:0", "title": "事项0", **item},
            {"key": "k:1", "title": "事项一", **item},
            {"key": "k:3", "title": "事项3", **item},
        ],
    )
    # then: one created, one changed, none closed (k:2 was done already), one unchanged
    assert (synced.created, synced.updated, synced.closed, synced.unchanged) == (1, 1, 0, 1)
    assert history.count() == 5
    assert {(row.key, row.history_type, row.history_user) for row in history.order_by("history_id")[3:]} == {
        ("k:1", "~", None),
        ("k:3", "+", None),
    }
    assert titles(approval_clerk) == ["事项0", "事项一", "事项3"]
    # and a second run writes nothing: the savepoint, one read, its release
    with django_assert_num_queries(3):
        again = sync_todos(
            prefix="k:",
            items=[
                {"key": "k:0", "title": "事项0", **item},
                {"key": "k:1", "title": "事项一", **item},
                {"key": "k:3", "title": "事项3", **item},
            ],
        )
    assert again.written == 0
    # when the matter of k:0 is settled, the next run closes it, by the system
    sync_todos(
        prefix="k:",
        items=[{"key": "k:1", "title": "事项一", **item}, {"key": "k:3", "title": "事项3", **item}],
    )
    closed = TodoItem.objects.get(key="k:0")
    assert closed.done_at is not None and closed.done_by is None
    assert history.filter(key="k:0").latest("history_id").history_change_reason == "事项已不再需要办理"


def test_sync_todos_reopens_done_items_unless_told_not_to(approval_clerk):
    from bureau.todo import sync_todos

    approval = services.section(SectionCode.APPROVAL)
    sync_todos(prefix="q:", items=[{"key": "q:1", "title": "质量检查", "section": approval}])
    complete_todo(key="q:1", by=approval_clerk)
    sync_todos(prefix="q:", items=[{"key": "q:1", "title": "质量检查", "section": approval}], reopen=False)
    assert titles(approval_clerk) == []
    sync_todos(prefix="q:", items=[{"key": "q:1", "title": "质量检查", "section": approval}])
    assert titles(approval_clerk) == ["质量检查"]
    with pytest.raises(ValueError, match="必须指定"):
        sync_todos(prefix="q:", items=[{"key": "q:2", "title": "无人"}])
