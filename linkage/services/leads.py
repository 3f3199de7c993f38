"""Leads from the rest of the product become linkage tasks through ``start_linkage_task``.

Today: the permit checks' unlicensed-discharge leads (R-PER-2, 004 三(一)) and the execution reports'
leads (R-REP-1 missing reports, R-REP-4 problems) go to 执法大队, started by 审批科, which keeps the
permits and leads the report review. Inspections and monitoring use the same service with their own
``source_kind``.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse

from bureau.errors import Conflict
from linkage import rules
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import start_linkage_task
from permits import queries as permit_queries
from permits.models import AnomalyReport, LeadKind, UnlicensedDischargeLead
from permits.reports.services import leads as report_leads
from permits.services import anomalies, expiry


@transaction.atomic
def hand_over_unlicensed_lead(*, lead: UnlicensedDischargeLead, today: date) -> LinkageTask:
    """Turn an open unlicensed-discharge lead into a task from 审批科 to 执法大队. Idempotent: a lead
    already handed over returns its task."""
    lead = expiry.lock_open_lead(lead.pk)
    existing = LinkageTask.objects.filter(source_key=lead.source_key).first()
    if existing is not None:
        return existing
    # Started by the system (R-LNK-1): it says so, names the lead, and carries no 经办人 or 负责人
    # until 审批科's head confirms it.
    task = start_linkage_task(
        by=None,
        initiator="approval",
        receivers=["enforcement"],
        # The source code names the site: two sites of one unit share the credit code (R-FAC-1).
        description=(
            f"{lead.facility.name}（{permit_queries.facility_code(lead.facility)}）{lead.summary}，"
            "单位仍在生产，涉嫌无证排污，请现场核查并依法处理。"
        ),
        handler=None,
        head=None,
        started_on=today,
        facility=lead.facility,
        source_kind=SourceKind.EXPIRED_PERMIT,
        source_key=lead.source_key,
        source_url=reverse("permits:facility-detail", args=[lead.facility_id]),
        # The lead's own case (expired, renewal refused or undecided, 注销, 撤销, 吊销), in 004's words.
        source_label=f"无证排污线索：{lead.facility.name} {lead.summary}（{lead.detected_on:%Y-%m-%d} 发现）",
    )
    expiry.mark_lead_handed_over(lead=lead, on=today, task_number=task.number)
    return task


def hand_over_open_leads(*, today: date) -> list[str]:
    """Daily: every open lead becomes a task; returns the task numbers started."""
    numbers = []
    for lead in permit_queries.open_unlicensed_leads():
        numbers.append(hand_over_unlicensed_lead(lead=lead, today=today).number)
    return numbers


@transaction.atomic
def hand_over_report_lead(*, pk: int, today: date) -> str:
    """Turn an execution-report lead into a task from 审批科 to 执法大队 (R-REP-1, R-REP-4; 003 第五条
    "作为违法线索移交执法大队进行执法跟踪检查"), started by the system with the feedback notice (or, for a
    missing report, the facility's reports) as its source. Idempotent: a lead already taken over
    returns its task's number; one lead per problem means one task per problem. Registered with
    ``bureau.leads`` so that ``permits`` hands a lead over in the transaction that records it."""
    lead = report_leads.lock_open_lead(pk)
    if lead.task_number:
        return lead.task_number
    existing = LinkageTask.objects.filter(source_key=lead.source_key).first()
    if existing is None:
        if lead.kind == LeadKind.PROBLEM:
            notice = lead.problem.notice
            source_url = reverse("permits:feedback-notice", args=[notice.pk])
            source_label = f"执行报告问题反馈意见单 {notice.number}（{lead.problem.part.section.short_name}）"
            request = "请开展执法跟踪检查，依法处理，并将结果反馈审批科。"
        else:
            source_url = reverse("permits:facility-reports", args=[lead.facility_id])
            source_label = f"逾期未报执行报告：{lead.report.permit.number} {lead.report.period.label}"
            request = "请核实并依法处理，结果反馈审批科。"
        existing = start_linkage_task(
            by=None,
            initiator="approval",
            receivers=["enforcement"],
            description=f"{lead.summary}。{request}",
            handler=None,
            head=None,
            started_on=today,
            facility=lead.facility,
            source_kind=SourceKind.REPORT_REVIEW,
            source_key=lead.source_key,
            source_url=source_url,
            source_label=source_label[:200],
        )
    report_leads.mark_lead_handed_over(lead=lead, on=today, task_number=existing.number)
    return existing.number


@transaction.atomic
def start_task_from_anomaly(*, by, report: AnomalyReport, **task: object) -> LinkageTask:
    """Start a linkage task from a holder's anomaly report (R-ANM-1 → R-LNK-1): the task is about the
    report's facility, names the report and links to it; the report names the task. One task per
    report: a report that already names a task is refused, so its link is never overwritten."""
    # Locked so that two people starting a task from the same report at once cannot both pass.
    report = (
        AnomalyReport.objects.select_for_update(of=("self",)).select_related("facility").get(pk=report.pk)
    )
    if report.is_closed:
        raise Conflict(f"异常情况报告 {report.number} 已办结，不能再据此发起三监联动任务。")
    if report.linkage_task_number:
        raise Conflict(
            f"异常情况报告 {report.number} 已发起三监联动任务 {report.linkage_task_number}，不能重复发起。"
        )
    started = start_linkage_task(
        by=by,
        facility=report.facility,
        source_kind=SourceKind.HOLDER_ANOMALY,
        source_key=report.source_key,
        source_url=reverse("linkage:anomaly-detail", args=[report.pk]),
        source_label=f"异常情况报告 {report.number}（{report.get_kind_display()}）",
        **task,
    )
    anomalies.note_anomaly_task(report=report, task_number=started.number, by=by)
    return started


@transaction.atomic
def close_anomaly_report(*, by, report: AnomalyReport, closed_on: date, outcome: str) -> AnomalyReport:
    """办结 a holder's anomaly report (R-ANM-1) once the linkage task started from it, if any, is
    销号 (R-LNK-6: followed to closure): while the task is under way the report stays open and the
    refusal names the task."""
    open_task = LinkageTask.objects.filter(source_key=report.source_key, state__in=rules.ACTIVE).values_list(
        "number", flat=True
    )
    if number := open_task.first():
        raise Conflict(
            f"异常情况报告 {report.number} 的三监联动任务 {number} 尚未销号：请在任务销号后再办结本报告。"
        )
    return anomalies.close_anomaly_report(by=by, report=report, closed_on=closed_on, outcome=outcome)
