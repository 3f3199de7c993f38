"""Services of 三监联动: R-LNK-1…7 and R-PER-2 → R-LNK-1 (leads become tasks)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from bureau.errors import Conflict
from bureau.models import NumberSeries, TodoItem
from bureau.todo import todos_for
from linkage.models import LinkageTask, TaskStep
from linkage.services import leads, reminders
from linkage.services.tasks import (
    archive_task,
    close_task,
    feed_back_task,
    receive_task,
    return_task,
    start_linkage_task,
)
from permits.models import LeadStatus
from permits.services import expiry
from tests.factories.bureau import StaffFactory
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = pytest.mark.django_db
DAY = date(2025, 9, 30)


def start(personas, heads, initiator="monitoring", receivers=("enforcement",), **kwargs):
    return LinkageTaskFactory(
        by=personas[initiator],
        initiator=initiator,
        receivers=receivers,
        description="监测发现非甲烷总烃超标",
        head=heads[initiator],
        started_on=kwargs.pop("started_on", DAY),
        **kwargs,
    )


def receive(personas, heads, task, code="enforcement", on=date(2025, 10, 9)):
    return receive_task(
        by=personas[code],
        task=task,
        execution="已现场检查并取样",
        handler=personas[code],
        head=heads[code],
        executed_on=on,
    )


def feed_back(personas, heads, task, code="enforcement", on=date(2025, 10, 10)):
    return feed_back_task(
        by=personas[code],
        task=task,
        result="已立案查处，责令整改",
        handler=personas[code],
        head=heads[code],
        fed_back_on=on,
    )


def test_r_lnk_1_a_task_has_a_gap_free_number_per_year(personas, heads):
    first = start(personas, heads)
    second = start(personas, heads, initiator="enforcement", receivers=["monitoring", "pollution"])
    with pytest.raises(ValidationError):
        start(personas, heads, receivers=["legal"])  # refused: its number is not used up
    third = start(personas, heads)
    next_year = start(personas, heads, started_on=date(2026, 1, 5))
    assert [first.number, second.number, third.number] == ["LD-2025-0001", "LD-2025-0002", "LD-2025-0003"]
    assert next_year.number == "LD-2026-0001"
    assert NumberSeries.objects.get(series="linkage-task", year=2025).last == 3


def test_r_lnk_7_the_deadline_counts_working_days(personas, heads):
    task = start(personas, heads, deadline_workdays=5)
    assert task.deadline_on == date(2025, 10, 14)  # National Day holiday skipped, 11 October worked


def test_r_lnk_1_signatories_belong_to_the_initiating_department(personas):
    with pytest.raises(ValidationError) as caught:
        start_linkage_task(
            by=personas["monitoring"],
            initiator="monitoring",
            receivers=["enforcement"],
            description="x",
            handler=personas["approval"],
            head=personas["monitoring"],
            started_on=DAY,
        )
    assert caught.value.message_dict == {
        "handler": ["经办人应为监测站的工作人员。"],
        "head": ["负责人应为监测站的负责人（科长）。"],
    }


def test_r_lnk_1_a_person_starts_tasks_only_for_their_department(personas, heads):
    with pytest.raises(PermissionDenied, match="只能以本部门名义"):
        start_linkage_task(
            by=personas["approval"],
            initiator="monitoring",
            receivers=["enforcement"],
            description="x",
            handler=personas["monitoring"],
            head=heads["monitoring"],
            started_on=DAY,
        )


def test_r_lnk_6_the_whole_loop_with_every_step_kept(personas, heads):
    # given
    task = start(personas, heads, receivers=["enforcement", "pollution"])
    # when
    receive(personas, heads, task)
    receive(personas, heads, task, "pollution")
    feed_back(personas, heads, task)
    assert LinkageTask.objects.get(pk=task.pk).state == "open"
    feed_back(personas, heads, task, "pollution")
    assert LinkageTask.objects.get(pk=task.pk).state == "awaiting_close"
    close_task(by=personas["monitoring"], task=task, closed_on=date(2025, 10, 11))
    archive_task(by=personas["approval"], task=task, archived_on=date(2025, 11, 5))
    # then
    task.refresh_from_db()
    assert (task.state, task.closed_by, task.archived_by) == (
        "archived",
        personas["monitoring"],
        personas["approval"],
    )
    steps = list(TaskStep.objects.filter(task=task).values_list("action", "section__code", "actor__username"))
    assert steps == [
        ("start", "monitoring", "monitoring"),
        ("receive", "enforcement", "enforcement"),
        ("receive", "pollution", "pollution"),
        ("feedback", "enforcement", "enforcement"),
        ("feedback", "pollution", "pollution"),
        ("close", "monitoring", "monitoring"),
        ("archive", "approval", "approval"),
    ]
    assert task.history.first().history_user == personas["approval"]


def test_r_lnk_6_return_sends_everyone_back_to_feed_back_again(personas, heads):
    task = start(personas, heads)
    receive(personas, heads, task)
    feed_back(personas, heads, task)
    with pytest.raises(ValidationError, match="退回时请说明理由"):
        return_task(by=personas["monitoring"], task=task, reason=" ", returned_on=date(2025, 10, 11))
    return_task(by=personas["monitoring"], task=task, reason="未附检测报告", returned_on=date(2025, 10, 11))
    task.refresh_from_db()
    assert task.state == "open"
    assert task.assignments.get().state == "received"
    feed_back(personas, heads, task, on=date(2025, 10, 13))
    assert LinkageTask.objects.get(pk=task.pk).state == "awaiting_close"


def test_r_lnk_2_the_wrong_department_is_refused_and_out_of_order_is_a_conflict(personas, heads):
    task = start(personas, heads)
    with pytest.raises(PermissionDenied, match="本任务未发给污防科"):
        receive(personas, heads, task, "pollution")
    with pytest.raises(Conflict, match="请先接收任务"):
        feed_back(personas, heads, task)
    with pytest.raises(Conflict, match="尚有部门未反馈"):
        close_task(by=personas["monitoring"], task=task, closed_on=DAY)
    with pytest.raises(PermissionDenied, match="只有审批科可以归档"):
        archive_task(by=personas["monitoring"], task=task, archived_on=DAY)


def test_r_lnk_2_a_stale_page_cannot_take_a_step_twice(personas, heads):
    task = start(personas, heads)
    stale = LinkageTask.objects.get(pk=task.pk)
    receive(personas, heads, task)
    with pytest.raises(Conflict, match="本部门已接收该任务"):
        receive(personas, heads, stale)
    assert TaskStep.objects.filter(task=task, action="receive").count() == 1


@pytest.mark.django_db(transaction=True)
def test_r_lnk_2_two_people_taking_the_same_step_at_once(personas, heads):
    # given: two officers of the enforcement brigade open the same task
    task = start(personas, heads)
    second = StaffFactory(username="enforcement_h2", section_code="enforcement").user
    outcomes, barrier = [], threading.Barrier(2)

    def take(user):
        barrier.wait()
        try:
            receive_task(
                by=user,
                task=task,
                execution="已检查",
                handler=user,
                head=heads["enforcement"],
                executed_on=date(2025, 10, 9),
            )
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=take, args=(u,)) for u in (personas["enforcement"], second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then: exactly one succeeds; the other is told clearly
    assert sorted(outcomes)[0] == "ok" and len(outcomes) == 2
    assert outcomes.count("ok") == 1
    assert any("已接收" in o or "他人" in o for o in outcomes)
    assert TaskStep.objects.filter(task=task, action="receive").count() == 1


def test_r_lnk_5_a_paper_slip_entered_afterwards_keeps_its_dates(personas, heads):
    task = start(personas, heads, started_on=date(2025, 3, 3), from_paper=True)
    assert (task.from_paper, task.started_on, task.number) == (True, date(2025, 3, 3), "LD-2025-0001")
    assert TaskStep.objects.get(task=task).note == "据纸质转办单补录"


def test_r_per_2_unlicensed_leads_become_tasks_to_the_enforcement_brigade(
    town_a, approval_clerk, approval_head
):
    # given: an operating facility whose permit expired without renewal; 审批科's clerk and head sign the task
    facility = FacilityFactory(town=town_a, name="过期在产厂")
    PermitFactory(facility=facility, valid_until=date(2025, 9, 1), number="P-EXP")
    expiry.check_permit_expiry(today=date(2025, 9, 10))
    # when
    numbers = leads.hand_over_open_leads(today=date(2025, 9, 10))
    again = leads.hand_over_open_leads(today=date(2025, 9, 11))
    # then
    assert (numbers, again) == (["LD-2025-0001"], [])
    task = LinkageTask.objects.get()
    assert (task.initiator.code, task.source_kind, task.facility) == ("approval", "expired_permit", facility)
    assert list(task.assignments.values_list("section__code", flat=True)) == ["enforcement"]
    assert "P-EXP" in task.description and task.source_url == f"/facilities/{facility.pk}/"
    lead = facility.leads.get()
    assert (lead.status, task.source_key) == (LeadStatus.HANDED_OVER, lead.source_key)
    assert TodoItem.objects.get(key=f"unlicensed-lead:{lead.pk}").done_at is not None


def test_r_lnk_6_overdue_steps_remind_the_owing_heads_once(personas, heads):
    # given: a task to two departments, one of which has fed back
    task = start(personas, heads, receivers=["enforcement", "pollution"], deadline_workdays=5)
    receive(personas, heads, task, "pollution")
    feed_back(personas, heads, task, "pollution")
    # when: past the deadline, the job runs twice on the same day and again the next day
    assert reminders.remind_overdue_tasks(today=date(2025, 10, 15)) == 1
    reminders.remind_overdue_tasks(today=date(2025, 10, 15))
    reminders.remind_overdue_tasks(today=date(2025, 10, 16))
    # then: one open item, on the enforcement head's list only
    assert TodoItem.objects.filter(key__startswith="linkage-overdue", done_at__isnull=True).count() == 1
    assert [t.title for t in todos_for(heads["enforcement"])] == [
        "三监联动任务 LD-2025-0001 已逾期（期限 2025-10-14），请督促办理"
    ]
    assert list(todos_for(personas["enforcement"])) == []
    assert list(todos_for(heads["pollution"])) == []
    # and once the brigade feeds back, the initiator's head is reminded instead
    receive(personas, heads, task)
    feed_back(personas, heads, task)
    reminders.remind_overdue_tasks(today=date(2025, 10, 17))
    assert list(todos_for(heads["enforcement"])) == []
    assert len(todos_for(heads["monitoring"])) == 1
    close_task(by=personas["monitoring"], task=task, closed_on=date(2025, 10, 17))
    assert reminders.remind_overdue_tasks(today=date(2025, 10, 18)) == 0
    assert list(todos_for(heads["monitoring"])) == []


def test_r_ret_1_tasks_are_never_deleted(personas, heads):
    from bureau.models import HardDeleteForbidden

    task = start(personas, heads)
    with pytest.raises(HardDeleteForbidden):
        task.delete()
    with pytest.raises(HardDeleteForbidden):
        TaskStep.objects.first().delete()


def test_r_lnk_5_steps_keep_real_dates(personas, heads):
    task = start(personas, heads)
    with pytest.raises(ValidationError, match="不能早于任务发起日期 2025-09-30"):
        receive(personas, heads, task, on=date(2025, 9, 29))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        receive(personas, heads, task, on=date(2999, 1, 1))
    with pytest.raises(ValidationError, match="发起日期不能晚于今天"):
        start(personas, heads, started_on=date(2999, 1, 4), from_paper=True)
