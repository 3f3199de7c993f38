"""R-LNK-2 (003 第三条: 生态科……牵头解决“三监联动”中监测相关问题，及时将监测任务分解到环境监测站并定期
跟踪、接收反馈结果): 生态科 follows every task addressed to 监测站 (its queue, the task page, overdue
reminders) and dispatches monitoring tasks to 监测站 at another section's request, recorded as such."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau.todo import todos_for
from linkage.models import LinkageTask
from linkage.services import reminders
from linkage.services.tasks import start_linkage_task
from tests.factories.linkage import LinkageTaskFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("work_calendar"),
    pytest.mark.today(date(2025, 10, 20)),
]
DAY = date(2025, 9, 30)
LIST = reverse("linkage:task-list")


def start(personas, heads, initiator, receivers, **kwargs):
    return LinkageTaskFactory(
        by=personas[initiator],
        initiator=initiator,
        receivers=receivers,
        head=heads[initiator],
        started_on=kwargs.pop("started_on", DAY),
        **kwargs,
    )


def queue(response, key) -> list[str]:
    return [t.number for q in response.context["queues"] if q.key == key for t in q.tasks]


def test_r_lnk_2_ecology_follows_a_task_enforcement_sent_to_the_monitoring_station(client, personas, heads):
    # given: 执法大队 asks 监测站 directly; a task between two other departments too
    to_station = start(personas, heads, "enforcement", ["monitoring"])
    elsewhere = start(personas, heads, "enforcement", ["pollution"])
    client.force_login(personas["ecology"])
    # when
    response = client.get(LIST, {"tab": "follow"})
    # then: 生态科 has it in its 监测站任务 queue and may open it, not the other one
    assert response.status_code == 200
    assert queue(response, "follow") == [to_station.number]
    assert "监测站任务" in response.content.decode()
    assert client.get(reverse("linkage:task-detail", args=[to_station.pk])).status_code == 200
    assert client.get(reverse("linkage:task-detail", args=[elsewhere.pk])).status_code == 404


def test_r_lnk_2_other_departments_have_no_monitoring_follow_queue(client, personas, heads):
    start(personas, heads, "enforcement", ["monitoring"])
    client.force_login(personas["pollution"])
    response = client.get(LIST)
    assert [q.key for q in response.context["queues"]] == ["receive", "doing", "close", "started", "overdue"]


def test_r_lnk_2_overdue_steps_of_the_station_reach_the_ecology_head_too(personas, heads):
    # given: a task to 监测站 and 污防科, past its deadline, 污防科 done
    task = start(personas, heads, "enforcement", ["monitoring", "pollution"], deadline_workdays=5)
    # when
    reminders.remind_overdue_tasks(today=date(2025, 10, 15))
    # then: 监测站's head and 生态科's head are reminded; 生态科's title says it follows the station
    assert [t.title for t in todos_for(heads["monitoring"])] == [
        f"三监联动任务 {task.number} 已逾期（期限 2025-10-14），请督促办理"
    ]
    assert [t.title for t in todos_for(heads["ecology"])] == [
        f"三监联动任务 {task.number} 环境监测站办理已逾期（期限 2025-10-14），请跟踪督促"
    ]
    assert len(todos_for(heads["pollution"])) == 1
    assert list(todos_for(personas["ecology"])) == []  # heads' lists, not clerks'


def test_r_lnk_2_the_ecology_reminder_goes_once_the_station_has_fed_back(personas, heads):
    from linkage.services.tasks import feed_back_task, receive_task

    task = start(personas, heads, "enforcement", ["monitoring", "pollution"], deadline_workdays=5)
    reminders.remind_overdue_tasks(today=date(2025, 10, 15))
    receive_task(
        by=personas["monitoring"],
        task=task,
        execution="已采样",
        handler=personas["monitoring"],
        head=heads["monitoring"],
        executed_on=date(2025, 10, 15),
    )
    feed_back_task(
        by=personas["monitoring"],
        task=task,
        result="颗粒物超标 1.3 倍",
        handler=personas["monitoring"],
        head=heads["monitoring"],
        fed_back_on=date(2025, 10, 15),
    )
    reminders.remind_overdue_tasks(today=date(2025, 10, 16))
    assert list(todos_for(heads["ecology"])) == []
    assert list(todos_for(heads["monitoring"])) == []


def test_r_lnk_2_ecology_dispatches_a_monitoring_task_at_the_enforcement_request(client, personas, heads):
    # given: 执法大队 asked 生态科 for enforcement monitoring
    client.force_login(personas["ecology"])
    page = client.get(reverse("linkage:task-new")).content.decode()
    assert "提出需求部门（代为派发）" in page
    # when
    response = client.post(
        reverse("linkage:task-new"),
        {
            "receivers": ["monitoring"],
            "requested_by": "enforcement",
            "facility": "",
            "description": "执法大队请求对某厂废气排放口开展执法监测",
            "handler": personas["ecology"].pk,
            "head": heads["ecology"].pk,
            "started_on": "2025-10-20",
            "deadline_workdays": 10,
            "source_kind": "manual",
            "remarks": "",
        },
        follow=True,
    )
    # then: recorded as requested by 执法大队, dispatched by 生态科; the brigade sees it too
    task = LinkageTask.objects.get()
    assert (task.initiator.code, task.requested_by.code) == ("ecology", "enforcement")
    text = response.content.decode()
    assert "提出需求部门" in text and "应执法大队要求，由生态科派发" in text
    assert task.steps.get().note == "应执法大队要求，由生态科派发"
    client.force_login(personas["enforcement"])
    assert client.get(reverse("linkage:task-detail", args=[task.pk])).status_code == 200


def test_r_lnk_2_only_ecology_dispatches_on_behalf_and_only_to_the_station(personas, heads):
    def try_start(initiator, receivers, requested_by):
        return start_linkage_task(
            by=personas[initiator],
            initiator=initiator,
            receivers=receivers,
            description="监测",
            started_on=DAY,
            handler=personas[initiator],
            head=heads[initiator],
            requested_by=requested_by,
        )

    with pytest.raises(ValidationError, match="只有生态科可以代其他部门"):
        try_start("pollution", ["monitoring"], "enforcement")
    with pytest.raises(ValidationError, match="只能发给环境监测站"):
        try_start("ecology", ["monitoring", "enforcement"], "approval")
    with pytest.raises(ValidationError, match="提出需求部门应为"):
        try_start("ecology", ["monitoring"], "monitoring")
    assert LinkageTask.objects.count() == 0
    assert try_start("ecology", ["monitoring"], "pollution").requested_by.code == "pollution"


def test_r_lnk_2_the_other_sections_start_form_has_no_on_behalf_field(client, personas):
    client.force_login(personas["enforcement"])
    assert "提出需求部门" not in client.get(reverse("linkage:task-new")).content.decode()
