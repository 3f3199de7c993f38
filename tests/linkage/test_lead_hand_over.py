"""Leads become system-started tasks in bulk (R-LNK-1, R-REP-1, R-PER-2; issue 15): a bureau's first
daily run can hand tens of thousands of missing-report leads to 执法大队, so the hand-over costs the
same number of queries for 3 leads as for 12, and still writes what a hand-over of one writes: the
task with consecutive numbers in the leads' order, its assignment, its 系统发起 step, the head's
to-do item, and every row's history naming the lead's own task."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import TodoItem
from linkage.models import Assignment, LinkageTask, TaskStep
from linkage.services import leads
from linkage.services.tasks import LeadTask, start_system_tasks
from permits.models import LeadStatus, ReportLead, UnlicensedDischargeLead
from permits.reports.services import due
from permits.reports.services import leads as report_leads
from permits.services import expiry
from tests.factories.permits import FacilityFactory, PermitFactory

TODAY = date(2026, 5, 20)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY), pytest.mark.usefixtures("work_calendar")]


def missing_report_leads(town, permits: int) -> list[ReportLead]:
    """``permits`` monthly permits issued on 1 January 2026 that sent nothing: on 20 May each has
    three reports missing past the 30 days of grace (January to March), three leads."""
    for _ in range(permits):
        PermitFactory(
            facility=FacilityFactory(town=town, management_level="key"),
            issued_on=date(2026, 1, 1),
            report_frequency="monthly",
        )
    due.make_owed_reports(today=TODAY)
    report_leads.record_missing_report_leads(today=TODAY)
    return list(ReportLead.objects.filter(task_number="").order_by("pk"))


def hand_over_queries(town, permits: int) -> int:
    missing_report_leads(town, permits)
    with CaptureQueriesContext(connection) as queries:
        report_leads.hand_over_open_leads(today=TODAY)
    assert not ReportLead.objects.filter(task_number="").exists()
    return len(queries)


def test_issue_15_handing_over_report_leads_costs_the_same_queries_for_3_leads_as_for_12(town_a):
    hand_over_queries(town_a, 1)  # the year's number series is made by the first task
    assert hand_over_queries(town_a, 1) == hand_over_queries(town_a, 4) == 25


def test_issue_15_unlicensed_leads_are_handed_over_in_the_same_queries_however_many(town_a):
    def lapsed(count):
        for _ in range(count):
            PermitFactory(facility=FacilityFactory(town=town_a), valid_until=date(2026, 5, 1))
        expiry.check_permit_expiry(today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            numbers = leads.hand_over_open_leads(today=TODAY)
        assert len(numbers) == count
        return len(queries)

    lapsed(1)  # the year's number series is made by the first task
    assert lapsed(2) == lapsed(8) == 28
    assert not UnlicensedDischargeLead.objects.filter(status=LeadStatus.OPEN).exists()
    # each lead's history names the task that took it over
    for task in LinkageTask.objects.all():
        lead = UnlicensedDischargeLead.objects.get(pk=task.source_key.rsplit(":", 1)[1])
        assert lead.history.first().history_change_reason == f"转为三监联动任务 {task.number}"


def test_r_lnk_1_a_bulk_hand_over_writes_what_one_hand_over_writes(town_a):
    # given: six missing-report leads
    pending = missing_report_leads(town_a, 2)
    # when
    report_leads.hand_over_open_leads(today=TODAY)
    # then: one task per lead, numbered in the leads' order without a gap
    tasks = list(LinkageTask.objects.order_by("sequence"))
    handed = [ReportLead.objects.get(pk=lead.pk) for lead in pending]
    assert [lead.task_number for lead in handed] == [task.number for task in tasks]
    assert [task.sequence for task in tasks] == list(range(tasks[0].sequence, tasks[0].sequence + 6))
    assert [task.source_key for task in tasks] == [lead.source_key for lead in pending]
    task = tasks[0]
    assert task.started_by_system and (task.handler, task.head) == (None, None)
    assert task.description == f"{pending[0].summary}。请核实并依法处理，结果反馈审批科。"
    assert task.source_url == reverse("permits:facility-reports", args=[pending[0].facility_id])
    # its assignment, its step and 审批科's head's to-do item, as for one task started alone
    assert list(Assignment.objects.filter(task=task).values_list("section__code", flat=True)) == [
        "enforcement"
    ]
    step = TaskStep.objects.get(task=task)
    assert (step.action, step.note, step.actor, step.on) == ("start", "系统发起", None, TODAY)
    item = TodoItem.objects.get(key=f"linkage-confirm:{task.pk}")
    assert (item.section.code, item.role, item.url) == (
        "approval",
        "head",
        reverse("linkage:task-detail", args=[task.pk]),
    )
    # and every row's history, the lead's holding its own task's number
    assert [h.history_change_reason for h in task.history.all()] == ["系统发起"]
    assert Assignment.history.filter(task_id=task.pk).count() == 1
    for lead, its_task in zip(handed, tasks, strict=True):
        last = lead.history.order_by("history_id").last()
        assert (last.history_change_reason, last.task_number) == ("移交三监联动任务", its_task.number)


def test_r_lnk_1_a_lead_refused_refuses_the_whole_hand_over_and_writes_nothing(town_a):
    good, empty = (
        LeadTask(None, description, "report_review", f"k:{n}", source_url="", source_label="")
        for n, description in enumerate(("线索一", "  "))
    )
    with pytest.raises(ValidationError) as refused:
        start_system_tasks(
            initiator="approval", receivers=["enforcement"], started_on=TODAY, leads=[good, empty]
        )
    assert refused.value.message_dict == {"description": ["请填写问题描述。"]}
    assert not LinkageTask.objects.exists() and not TodoItem.objects.exists()
