"""异常情况报告 (R-ANM-1; 003 第九条): a holder reports by phone or letter that its pollution-control
facilities do not run normally, its emissions are abnormal, its online monitoring equipment is faulty
or its self-monitoring cannot be done. Staff of 生态科 or 污防科 (the 监管部门 the text names) enter it;
it goes at once onto both sections' to-do lists and stays there until it is closed with its outcome.
A linkage task may be started from it (``linkage.services.leads.start_task_from_anomaly``).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history
from bureau.access import section_code
from bureau.errors import Conflict
from bureau.models import Section, User
from bureau.numbers import next_in_series
from bureau.todo import add_todo, complete_todo
from permits.models import AnomalyChannel, AnomalyKind, AnomalyReport, Facility

# 003 第九条: 立即向区生态环境局监管部门（生态科、污防科）报告.
RECEIVING_SECTIONS = ("ecology", "pollution")
SERIES = "anomaly-report"
TODO_PREFIX = "anomaly-report:"
NOT_RECEIVING = "异常情况报告由生态科、污防科登记和办结（003 第九条）。"


def todo_key(report: AnomalyReport, code: str) -> str:
    return f"{TODO_PREFIX}{report.pk}:{code}"


def _check_section(by: User) -> None:
    if not by.is_superuser and section_code(by) not in RECEIVING_SECTIONS:
        raise PermissionDenied(NOT_RECEIVING)


@transaction.atomic
def record_anomaly_report(
    *,
    by: User,
    facility: Facility,
    kind: str,
    description: str,
    started_at: datetime,
    measures: str,
    channel: str,
    reporter: str,
    reported_at: datetime,
) -> AnomalyReport:
    """Enter a holder's anomaly report and put it at once on 生态科's and 污防科's to-do lists
    (R-ANM-1). The report gets a gap-free yearly number 异常-YYYY-NNNN."""
    _check_section(by)
    now = timezone.now()
    errors = {}
    if kind not in AnomalyKind.values:
        errors["kind"] = "请选择异常类别。"
    if channel not in AnomalyChannel.values:
        errors["channel"] = "请选择报告方式。"
    if not description.strip():
        errors["description"] = "请填写异常情况。"
    if not measures.strip():
        errors["measures"] = (
            "请填写单位已采取的措施（003 第九条：应及时采取措施停止或减少对生态环境的影响）。"
        )
    if not reporter.strip():
        errors["reporter"] = "请填写报告人及联系方式。"
    if reported_at > now:
        errors["reported_at"] = "报告时间不能晚于现在。"
    if started_at > reported_at:
        errors["started_at"] = "异常开始时间不能晚于报告时间。"
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(reported_at).year
    report = AnomalyReport(
        number=f"异常-{year}-{next_in_series(SERIES, year):04d}",
        facility=facility,
        kind=kind,
        description=description.strip(),
        started_at=started_at,
        measures=measures.strip(),
        channel=channel,
        reporter=reporter.strip(),
        reported_at=reported_at,
        recorded_by=by,
    )
    history.save_checked(report, by=by, reason="登记异常情况报告")
    url = reverse("permits:facility-detail", args=[facility.pk]) + "#anomalies"
    for section in Section.objects.filter(code__in=RECEIVING_SECTIONS).order_by("code"):
        add_todo(
            key=todo_key(report, section.code),
            title=f"异常情况报告 {report.number}：{facility.name}{report.get_kind_display()}，请跟踪处理",
            url=url,
            due_on=timezone.localdate(reported_at),
            is_urgent=True,
            section=section,
        )
    return report


@transaction.atomic
def note_anomaly_task(*, report: AnomalyReport, task_number: str, by: User | None) -> AnomalyReport:
    """A linkage task ``task_number`` was started from the report: the report names it (R-ANM-1)."""
    report = AnomalyReport.objects.select_for_update().get(pk=report.pk)
    report.linkage_task_number = task_number
    return history.save(report, by=by, reason=f"发起三监联动任务 {task_number}")


@transaction.atomic
def close_anomaly_report(*, by: User, report: AnomalyReport, closed_on: date, outcome: str) -> AnomalyReport:
    """Close the report with its outcome (R-ANM-1): both sections' to-do items are done. Of two
    closing at once, one succeeds and the other gets ``Conflict``."""
    _check_section(by)
    report = AnomalyReport.objects.select_for_update().get(pk=report.pk)
    if report.closed_on is not None:
        raise Conflict(f"该报告已于 {report.closed_on:%Y-%m-%d} 办结。")
    errors = {}
    if not outcome.strip():
        errors["outcome"] = "请填写处理结果。"
    if closed_on > timezone.localdate():
        errors["closed_on"] = "办结日期不能晚于今天。"
    elif closed_on < timezone.localdate(report.reported_at):
        errors["closed_on"] = f"办结日期不能早于报告日期 {timezone.localdate(report.reported_at):%Y-%m-%d}。"
    if errors:
        raise ValidationError(errors)
    report.closed_on, report.outcome, report.closed_by = closed_on, outcome.strip(), by
    history.save(report, by=by, reason="异常情况报告办结")
    for code in RECEIVING_SECTIONS:
        complete_todo(key=todo_key(report, code), by=by)
    return report
