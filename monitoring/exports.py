"""The 执法监测任务 list's Excel export (issue 13), registered from ``MonitoringConfig.ready``: the
tasks the list shows under its filters, read through the page's own ``listed_tasks`` (towns see no
task, as on the page)."""

from functools import partial

from django.utils import timezone

from bureau.access import in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from bureau.sections import BUREAU_SECTIONS
from monitoring.models import TaskState
from monitoring.views import listed_tasks

OPEN_STATES = (TaskState.DISPATCHED, TaskState.SAMPLED)

TASK_COLUMNS = [
    ("任务编号", 16),
    ("年度", 6),
    ("排污单位", 32),
    ("所属街镇", 12),
    ("任务类型", 14),
    ("列入依据", 16),
    ("下达日期", 12),
    ("完成期限", 12),
    ("是否超期", 8),
    ("状态", 10),
    ("采样日期", 12),
    ("结论", 10),
    ("结论说明", 36),
    ("出具日期", 12),
    ("移交三监联动任务", 16),
]


def task_rows(tasks, today):
    for task in tasks:
        overdue = bool(task.due_on and task.due_on < today and task.state in OPEN_STATES)
        yield [
            task.number,
            task.year,
            task.facility.name,
            task.facility.town.name if task.facility.town_id else "",
            task.get_kind_display(),
            task.get_basis_display(),
            task.dispatched_on,
            task.due_on,
            "超期" if overdue else "",
            task.get_state_display(),
            task.sampled_on,
            task.get_conclusion_display(),
            task.conclusion_text,
            task.concluded_on,
            task.linkage_task.number if task.linkage_task_id else "",
        ]


def task_source(user, query) -> Rows:
    today = timezone.localdate()
    _, tasks = listed_tasks(user, query, today)
    return Rows(tasks.count(), task_rows(tasks.iterator(chunk_size=EXPORT_CHUNK), today))


def register_exports() -> None:
    register(
        Export(
            "monitoring.tasks",
            "执法监测任务",
            TASK_COLUMNS,
            task_source,
            partial(in_sections, codes=BUREAU_SECTIONS),
        )
    )
