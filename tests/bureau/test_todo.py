"""The to-do list: any app contributes items; the home page shows them, most urgent first."""

from datetime import date

import pytest

from bureau import services
from bureau.models import Role, SectionCode, TodoItem
from bureau.todo import add_todo, complete_todo, todos_for

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


def test_home_page_costs_fixed_queries(client, approval_clerk, django_assert_num_queries):
    approval = services.section(SectionCode.APPROVAL)
    for n in range(60):
        add_todo(key=f"item-{n}", title=f"事项{n}", section=approval, due_on=date(2026, 12, 1 + n % 28))
    client.force_login(approval_clerk)
    # Expect 3 queries: session, user with staff/section/town, the to-do items.
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count('<li class="todo') == 60
