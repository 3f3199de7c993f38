"""R-LNK-1: a task the system starts from a lead says 系统发起, names the lead with a link, and carries
no 经办人 or 负责人 until the initiating section's head confirms it. R-LNK-6: the lead is closed when
its task is 销号. (Leads: R-PER-2, 004 三(一).)"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bureau.errors import Conflict
from bureau.todo import todos_for
from linkage import slips
from linkage.models import LinkageTask
from linkage.queries import task_for_user
from linkage.services import leads
from linkage.services.confirmation import confirm_system_task
from linkage.services.tasks import archive_task, close_task, feed_back_task, receive_task
from permits.models import LeadStatus
from permits.services import expiry
from tests.factories.permits import FacilityFactory, PermitEventFactory, PermitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("work_calendar"),
    pytest.mark.today(date(2025, 10, 20)),
]
DAY = date(2025, 9, 10)


@pytest.fixture
def lead_task(town_a, heads):
    facility = FacilityFactory(town=town_a, name="过期在产厂")
    PermitFactory(facility=facility, valid_until=date(2025, 9, 1), number="P-EXP")
    expiry.check_permit_expiry(today=DAY)
    leads.hand_over_open_leads(today=DAY)
    return LinkageTask.objects.get()


def test_r_lnk_1_a_system_task_says_so_and_carries_no_signature(lead_task, heads):
    lead = lead_task.facility.leads.get()
    assert lead_task.started_by_system
    assert (lead_task.handler, lead_task.head, lead_task.head_confirmed_on) == (None, None, None)
    assert (
        lead_task.source_label
        == "无证排污线索：过期在产厂 排污许可证 P-EXP 有效期至 2025-09-01，有效期届满未申请延续（2025-09-10 发现）"
    )
    assert lead_task.source_key == lead.source_key
    assert lead_task.steps.get().note == "系统发起"
    # 审批科's head has it on the list to confirm
    assert [t.title for t in todos_for(heads["approval"])] == [
        f"系统发起的三监联动任务 {lead_task.number}（{lead_task.source_label}）待负责人确认"
    ]


def test_d4_r_lnk_1_a_revoked_permit_task_names_its_own_case_and_the_site(town_a, heads):
    # given: a permit valid until 2027 was revoked (吊销) on 2025-09-05
    facility = FacilityFactory(town=town_a, name="吊销在产厂")
    permit = PermitFactory(facility=facility, valid_until=date(2027, 9, 1), number="P-REV")
    PermitEventFactory(permit=permit, kind="revocation", occurred_on=date(2025, 9, 5))
    # when
    expiry.check_permit_expiry(today=DAY)
    leads.hand_over_open_leads(today=DAY)
    # then: the task says what happened, not 到期未延续, and names the site by its source code
    task = LinkageTask.objects.get()
    assert (
        task.source_label
        == "无证排污线索：吊销在产厂 排污许可证 P-REV 已于 2025-09-05 被吊销（2025-09-10 发现）"
    )
    assert "到期未延续" not in task.source_label
    assert task.description.startswith(
        f"吊销在产厂（{facility.source_code}）排污许可证 P-REV 已于 2025-09-05 被吊销"
    )
    assert task.get_source_kind_display() == "无证排污线索"


def test_r_lnk_1_the_task_page_names_the_lead_with_its_link_and_no_head(client, lead_task, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("linkage:task-detail", args=[lead_task.pk])).content.decode()
    assert "data-system>系统发起</span>" in page
    assert "待审批科负责人确认" in page
    # D15: the site is named by its source code, which tells two sites of one unit apart
    assert f'<small class="mono">{lead_task.facility.source_code}</small>' in page
    link = f'<a href="/facilities/{lead_task.facility_id}/" data-source>{lead_task.source_label}</a>'
    assert link in page
    assert (
        '<td data-label="负责人" data-signature="head"><span class="muted">待负责人确认</span></td>' in page
    )
    assert '<td data-label="经办人" data-signature="handler">系统发起</td>' in page
    # a clerk sees no confirm form: only a head confirms
    assert 'data-form="confirm"' not in page


def test_r_lnk_1_the_slip_prints_no_head_before_confirmation(lead_task, approval_clerk, heads):
    task = task_for_user(approval_clerk, lead_task.pk)
    first = slips.task_slip_context(task)["blocks"][0]["rows"][0]
    assert (first.handler, first.head) == ("", "")
    assert first.department.endswith("（系统发起）")


def test_r_lnk_1_the_initiating_head_confirms_and_only_then_signs(client, lead_task, approval_clerk, heads):
    # given: the head of 审批科 opens the task
    head = heads["approval"]
    client.force_login(head)
    url = reverse("linkage:task-detail", args=[lead_task.pk])
    assert 'data-form="confirm"' in client.get(url).content.decode()
    # when: the head confirms, naming the clerk as 经办人
    response = client.post(
        reverse("linkage:task-confirm", args=[lead_task.pk]),
        {"handler": approval_clerk.pk, "confirmed_on": "2025-10-20"},
        follow=True,
    )
    # then
    page = response.content.decode()
    assert f"已确认系统发起的任务 {lead_task.number}" in page
    lead_task.refresh_from_db()
    assert (lead_task.head, lead_task.handler, lead_task.head_confirmed_on) == (
        head,
        approval_clerk,
        date(2025, 10, 20),
    )
    assert f'<td data-label="负责人" data-signature="head">{head.display_name}</td>' in page
    assert list(todos_for(head)) == []
    assert lead_task.history.first().history_user == head
    with pytest.raises(Conflict, match="已于 2025-10-20 由负责人确认"):
        confirm_system_task(by=head, task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 20))


def test_r_lnk_1_a_clerk_or_another_sections_head_may_not_confirm(client, lead_task, approval_clerk, heads):
    with pytest.raises(PermissionDenied, match="只有审批科的负责人"):
        confirm_system_task(
            by=approval_clerk, task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 20)
        )
    with pytest.raises(PermissionDenied):
        confirm_system_task(
            by=heads["enforcement"], task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 20)
        )
    client.force_login(approval_clerk)
    response = client.post(
        reverse("linkage:task-confirm", args=[lead_task.pk]),
        {"handler": approval_clerk.pk, "confirmed_on": "2025-10-20"},
    )
    assert response.status_code == 403
    assert "只有审批科的负责人（科长）可以确认系统发起的任务" in response.content.decode()
    lead_task.refresh_from_db()
    assert lead_task.head is None


def _handle(task, officer, heads):
    """The brigade receives the task and feeds back: it awaits 销号."""
    receive_task(
        by=officer,
        task=task,
        execution="现场核查在产",
        handler=officer,
        head=heads["enforcement"],
        executed_on=date(2025, 10, 9),
    )
    feed_back_task(
        by=officer,
        task=task,
        result="已立案查处",
        handler=officer,
        head=heads["enforcement"],
        fed_back_on=date(2025, 10, 10),
    )


def test_r_lnk_1_an_unconfirmed_system_task_is_not_closed(client, lead_task, officer, heads, approval_clerk):
    # given: the task is handled but 审批科's head has not confirmed it
    _handle(lead_task, officer, heads)
    # when / then: 销号 is refused, by the service and by the page
    with pytest.raises(Conflict, match="系统发起的任务须经发起部门负责人确认后方可销号"):
        close_task(by=approval_clerk, task=lead_task, closed_on=date(2025, 10, 11))
    client.force_login(approval_clerk)
    response = client.post(
        reverse("linkage:task-close", args=[lead_task.pk]), {"note": "", "closed_on": "2025-10-11"}
    )
    assert response.status_code == 409
    assert "系统发起的任务须经发起部门负责人确认后方可销号" in response.content.decode()
    lead_task.refresh_from_db()
    assert lead_task.state == "awaiting_close"
    # once the head confirms, the task is closed and nothing is left on the head's list
    confirm_system_task(
        by=heads["approval"], task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 20)
    )
    close_task(by=approval_clerk, task=lead_task, closed_on=date(2025, 10, 20))
    lead_task.refresh_from_db()
    assert lead_task.state == "closed"
    assert list(todos_for(heads["approval"])) == []


def test_r_lnk_1_an_unconfirmed_closed_task_is_not_archived_nor_confirmed_after(
    lead_task, officer, heads, approval_clerk
):
    # given: a system task closed without confirmation before the rule held (data already stored)
    _handle(lead_task, officer, heads)
    LinkageTask.objects.filter(pk=lead_task.pk).update(state="closed", closed_on=date(2025, 10, 11))
    # then: 审批科 may not archive it unsigned
    with pytest.raises(Conflict, match="系统发起的任务须经发起部门负责人确认后方可归档"):
        archive_task(by=approval_clerk, task=lead_task, archived_on=date(2025, 10, 20))
    # and an archived task is not signed afterwards
    LinkageTask.objects.filter(pk=lead_task.pk).update(state="archived", archived_on=date(2025, 10, 12))
    with pytest.raises(Conflict, match="任务已归档，不能再确认"):
        confirm_system_task(
            by=heads["approval"], task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 20)
        )
    lead_task.refresh_from_db()
    assert lead_task.head is None


def test_r_lnk_6_the_lead_closes_when_its_task_is_closed(lead_task, officer, heads, approval_clerk):
    # given: the brigade has handled the task and 审批科's head has confirmed it (R-LNK-1)
    lead = lead_task.facility.leads.get()
    assert lead.status == LeadStatus.HANDED_OVER
    confirm_system_task(
        by=heads["approval"], task=lead_task, handler=approval_clerk, confirmed_on=date(2025, 10, 9)
    )
    receive_task(
        by=officer,
        task=lead_task,
        execution="现场核查在产",
        handler=officer,
        head=heads["enforcement"],
        executed_on=date(2025, 10, 9),
    )
    feed_back_task(
        by=officer,
        task=lead_task,
        result="已立案查处",
        handler=officer,
        head=heads["enforcement"],
        fed_back_on=date(2025, 10, 10),
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDED_OVER  # not before 销号
    # when
    close_task(by=approval_clerk, task=lead_task, closed_on=date(2025, 10, 11))
    # then
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CLOSED
    assert (
        lead.history.first().history_change_reason
        == f"三监联动任务 {lead_task.number} 于 2025-10-11 销号，线索办结"
    )
    assert lead.history.first().history_user == approval_clerk


def test_r_lnk_1_the_api_shows_no_head_before_confirmation(api_client, lead_task, approval_clerk):
    api_client.force_authenticate(approval_clerk)
    response = api_client.get(reverse("api-linkage-task-detail", args=[lead_task.pk]))
    assert response.status_code == 200
    data = response.json()
    assert (data["handler"], data["head"], data["started_by_system"]) == (None, None, True)
    assert data["source_label"] == lead_task.source_label
