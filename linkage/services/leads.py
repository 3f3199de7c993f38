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
from bureau.todo import url_maker
from linkage import rules
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import LeadTask, start_linkage_task, start_system_tasks
from permits import queries as permit_queries
from permits.models import AnomalyReport, LeadKind
from permits.reports.services import leads as report_leads
from permits.services import anomalies, expiry


@transaction.atomic
def hand_over_unlicensed_leads(*, pks: list[int], today: date) -> list[str]:
    """Turn the open unlicensed-discharge leads ``pks`` into tasks from 审批科 to 执法大队, started by
    the system (R-LNK-1): each task says so, names its lead, and carries no 经办人 or 负责人 until
    审批科's head confirms it. Returns the task numbers, in the leads' order. Idempotent: a lead
    already handed over is left as it is. In a number of queries that does not grow with the leads."""
    leads = expiry.lock_open_leads(pks)
    numbers = dict(
        LinkageTask.objects.filter(source_key__in=[lead.source_key for lead in leads]).values_list(
            "source_key", "number"
        )
    )
    facility_url = url_maker("permits:facility-detail")
    started = start_system_tasks(
        initiator="approval",
        receivers=["enforcement"],
        started_on=today,
        leads=[
            LeadTask(
                facility_id=lead.facility_id,
                # The source code names the site: two sites of one unit share the credit code (R-FAC-1).
                description=(
                    f"{lead.facility.name}（{permit_queries.facility_code(lead.facility)}）{lead.summary}，"
                    "单位仍在生产，涉嫌无证排污，请现场核查并依法处理。"
                ),
                source_kind=SourceKind.EXPIRED_PERMIT,
                source_key=lead.source_key,
                source_url=facility_url(lead.facility_id),
                # The lead's own case (expired, renewal refused or undecided, 注销, 撤销, 吊销), in 004's words.
                source_label=f"无证排污线索：{lead.facility.name} {lead.summary}（{lead.detected_on:%Y-%m-%d} 发现）",
            )
            for lead in leads
            if lead.source_key not in numbers
        ],
    )
    numbers.update((task.source_key, task.number) for task in started)
    task_numbers = {lead.pk: numbers[lead.source_key] for lead in leads}
    expiry.mark_leads_handed_over(leads=leads, on=today, task_numbers=task_numbers)
    return list(task_numbers.values())


def hand_over_open_leads(*, today: date, chunk: int = 2000) -> list[str]:
    """Daily: every open lead becomes a task, ``chunk`` leads a transaction; returns the numbers of
    the leads' tasks (started now, or already started for a lead not yet marked)."""
    pks = list(permit_queries.open_unlicensed_leads().values_list("pk", flat=True))
    numbers = []
    for start in range(0, len(pks), chunk):
        numbers += hand_over_unlicensed_leads(pks=pks[start : start + chunk], today=today)
    return numbers


@transaction.atomic
def hand_over_report_leads(*, pks: list[int], today: date) -> dict[int, str]:
    """Turn execution-report leads into tasks from 审批科 to 执法大队 (R-REP-1, R-REP-4; 003 第五条
    "作为违法线索移交执法大队进行执法跟踪检查"), started by the system with the feedback notice (or, for a
    missing report, the facility's reports) as their source; returns each lead's task number.
    Idempotent: a lead already taken over keeps its task; one lead per problem means one task per
    problem. In a number of queries that does not grow with the leads (``start_system_tasks``).
    Registered with ``bureau.leads`` so that ``permits`` hands leads over in the transaction that
    records them."""
    leads = report_leads.lock_open_leads(pks)
    pending = [lead for lead in leads if not lead.task_number]
    numbers = dict(
        LinkageTask.objects.filter(source_key__in=[lead.source_key for lead in pending]).values_list(
            "source_key", "number"
        )
    )
    notice_url, reports_url = url_maker("permits:feedback-notice"), url_maker("permits:facility-reports")
    started = start_system_tasks(
        initiator="approval",
        receivers=["enforcement"],
        started_on=today,
        leads=[
            _report_lead_task(lead, notice_url, reports_url)
            for lead in pending
            if lead.source_key not in numbers
        ],
    )
    numbers.update((task.source_key, task.number) for task in started)
    report_leads.mark_leads_handed_over(
        leads=pending, on=today, task_numbers={lead.pk: numbers[lead.source_key] for lead in pending}
    )
    return {lead.pk: lead.task_number for lead in leads}


def _report_lead_task(lead, notice_url, reports_url) -> LeadTask:
    """The task of one report lead: the feedback notice of a problem, or the facility's reports for a
    missing report, is its source (``notice_url``, ``reports_url``: pk -> address)."""
    if lead.kind == LeadKind.PROBLEM:
        notice = lead.problem.notice
        source_url = notice_url(notice.pk)
        source_label = f"执行报告问题反馈意见单 {notice.number}（{lead.problem.part.section.short_name}）"
        request = "请开展执法跟踪检查，依法处理，并将结果反馈审批科。"
    else:
        source_url = reports_url(lead.facility_id)
        source_label = f"逾期未报执行报告：{lead.report.permit.number} {lead.report.period.label}"
        request = "请核实并依法处理，结果反馈审批科。"
    return LeadTask(
        facility_id=lead.facility_id,
        description=f"{lead.summary}。{request}",
        source_kind=SourceKind.REPORT_REVIEW,
        source_key=lead.source_key,
        source_url=source_url,
        source_label=source_label[:200],
    )


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
