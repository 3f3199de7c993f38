"""The 三监联动 task list's Excel export (issue 13), registered from ``LinkageConfig.ready``: the tasks
of the tab the list shows (a queue, or 全部任务 under its filters), read through the page's own
``listed_tasks`` and scoped by ``linkage.queries`` (R-ORG-3, R-LNK-6)."""

from functools import partial

from django.utils import timezone

from bureau.access import in_sections
from bureau.calendar import WorkCalendar
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from linkage import queries, rules
from linkage.anomaly_views import listed_anomalies
from linkage.task_views.lists import listed_tasks

TASK_COLUMNS = [
    ("任务编号", 16),
    ("据纸质转办单补录", 8),
    ("发起部门", 12),
    ("系统发起", 8),
    ("应要求发起", 12),
    ("排污单位", 32),
    ("问题描述", 48),
    ("接收部门及办理情况", 36),
    ("任务状态", 10),
    ("当前环节", 20),
    ("发起日期", 12),
    ("办理时限（工作日）", 10),
    ("办理期限", 12),
    ("期限暂定", 8),
    ("是否逾期", 8),
    ("期限说明", 18),
]


def task_rows(tasks, today):
    """One row per task, its receivers with their state and its deadline in working days (R-LNK-7)."""
    calendar = WorkCalendar()
    # A deadline reads only the task's state and due date: counted once per pair, not per task (the
    # working days to a due date three years back are a walk of a thousand days).
    deadlines = {}
    for task in tasks:
        key = (task.state, task.deadline_on)
        deadline = deadlines.get(key)
        if deadline is None:
            deadline = deadlines[key] = queries.deadline_of(task, today, calendar)
        yield [
            task.number,
            "是" if task.from_paper else "",
            task.initiator.short_name,
            "是" if task.started_by_system else "",
            task.requested_by.short_name if task.requested_by_id else "",
            task.facility.name if task.facility_id else "",
            task.description,
            "；".join(f"{a.section.short_name}（{a.get_state_display()}）" for a in task.assignments.all()),
            task.get_state_display(),
            queries.waiting_for(task),
            task.started_on,
            task.deadline_workdays,
            task.deadline_on,
            "是" if task.deadline_provisional else "",
            "已逾期" if deadline.is_overdue else "",
            deadline.text,
        ]


def task_source(user, query) -> Rows:
    today = timezone.localdate()
    tasks = listed_tasks(user, query, today).tasks
    if isinstance(tasks, list):
        # A queue is read whole by the page already (one query for every queue).
        return Rows(len(tasks), task_rows(tasks, today))
    return Rows(tasks.count(), task_rows(tasks.iterator(chunk_size=EXPORT_CHUNK), today))


ANOMALY_COLUMNS = [
    ("报告编号", 16),
    ("排污单位", 32),
    ("异常类别", 16),
    ("异常情况", 40),
    ("异常开始时间", 17),
    ("已采取的措施", 36),
    ("报告方式", 10),
    ("报告人及联系方式", 24),
    ("报告时间", 17),
    ("登记人", 10),
    ("三监联动任务编号", 16),
    ("状态", 8),
    ("办结日期", 12),
    ("处理结果", 36),
]


def anomaly_rows(reports):
    """One row per 异常情况报告 (003 第九条), the page's columns and what it was closed with."""
    for report in reports:
        yield [
            report.number,
            report.facility.name,
            report.get_kind_display(),
            report.description,
            report.started_at,
            report.measures,
            report.get_channel_display(),
            report.reporter,
            report.reported_at,
            report.recorded_by.display_name,
            report.linkage_task_number,
            "已办结" if report.closed_on else "办理中",
            report.closed_on,
            report.outcome,
        ]


def anomaly_source(user, query) -> Rows:
    _, reports = listed_anomalies(user, query)
    return Rows(reports.count(), anomaly_rows(reports.iterator(chunk_size=EXPORT_CHUNK)))


def register_exports() -> None:
    """Register the 三监联动 exports; who may ask is who may open the page."""
    may_read = partial(in_sections, codes=rules.PAGE_SECTIONS)
    register(Export("linkage.tasks", "三监联动任务", TASK_COLUMNS, task_source, may_read))
    register(Export("linkage.anomalies", "异常情况报告", ANOMALY_COLUMNS, anomaly_source, may_read))
