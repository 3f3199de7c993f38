"""The 三监联动 part of the dispatch meeting's agenda (R-MTG-2, R-LNK-4, R-LNK-6; 003 第四条), registered
with ``bureau.agenda`` by ``LinkageConfig.ready``: 生态科 and 监测站 on monitoring anomalies, 污防科 and
执法大队 on the tasks they started or received, and the tasks archived, open and overdue per department,
since 审批科's archive is reviewed at the meeting (R-LNK-4). Two queries however many tasks there are.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse

from bureau import sections
from bureau.agenda import (
    RULE_CHANGES_NOTE,
    AgendaContribution,
    AgendaPeriod,
    day,
    deadline_day,
    plain_rows,
    table,
)
from bureau.calendar import WorkCalendar
from linkage import rules
from linkage.models import Assignment, LinkageTask, SourceKind
from linkage.overdue import overdue_text, overdue_workdays

MONITORING_SIDE = frozenset({"ecology", "monitoring"})
TASK_COLUMNS = ["任务编号", "排污单位", "发起 → 接收", "来源", "发起日期", "办理期限", "状态"]
TITLES = {
    "monitoring": "自行监测落实及监测要求变化情况",
    "pollution": "污染物排放与污染防治设施管理要求变化情况",
    "enforcement": "排污许可现场检查情况",
    "linkage": "三监联动任务办理与归档情况",
}


def _task_url(pk: int) -> str:
    try:
        return reverse("linkage:task-detail", args=[pk])
    except NoReverseMatch:  # the task pages are not mounted
        return ""


@dataclass(frozen=True)
class _Task:
    """A task with what the agenda asks of it, computed once from the prefetched assignments."""

    task: LinkageTask
    receivers: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    late: int | None = 0  # working days overdue as of the agenda (linkage.overdue)

    @property
    def involved(self) -> frozenset[str]:
        return frozenset({self.task.initiator.code, *self.receivers})

    @property
    def is_active(self) -> bool:
        return self.task.state in rules.ACTIVE

    def is_overdue(self, as_of: date) -> bool:
        return rules.is_overdue(self.task.deadline_on, as_of, self.task.state)

    def owing(self) -> list[str]:
        """The departments that still owe a step (``rules.owing``)."""
        return rules.owing(
            self.task.state, self.task.initiator.code, {a.section.code: a.state for a in self.assignments}
        )

    def row(self, as_of: date) -> dict:
        task = self.task
        state = rules.TASK_STATE_LABELS[task.state]
        if self.is_overdue(as_of):
            state = f"{state}（{overdue_text(self.late)}）"
        return {
            "url": _task_url(task.pk),
            "cells": [
                task.number,
                task.facility.name if task.facility else "—",
                f"{sections.short_name(task.initiator.code)} → {'、'.join(sections.short_name(c) for c in self.receivers)}",
                task.get_source_kind_display(),
                day(task.started_on),
                deadline_day(task.deadline_on, task.deadline_provisional),
                state,
            ],
        }


def _period_tasks(period: AgendaPeriod) -> list[_Task]:
    """Tasks started, closed or archived in the period, and every task still open: two queries."""
    queryset = (
        LinkageTask.objects.filter(started_on__lte=period.until)
        .filter(
            Q(state__in=rules.ACTIVE)
            | period.q("started_on")
            | period.q("closed_on")
            | period.q("archived_on")
        )
        .select_related("initiator", "facility")
        .prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("section").order_by("id"))
        )
        .order_by("started_on", "id")
    )
    tasks, calendar = [], WorkCalendar()
    for task in queryset:
        assignments = tuple(task.assignments.all())
        late = overdue_workdays(task.deadline_on, period.as_of, task.state, calendar)
        tasks.append(_Task(task, tuple(a.section.code for a in assignments), assignments, late))
    return tasks


def _counts(tasks: list[_Task], code: str, period: AgendaPeriod) -> dict:
    mine = [t for t in tasks if code in t.involved]
    return {
        "started": sum(
            1 for t in mine if t.task.initiator.code == code and period.contains(t.task.started_on)
        ),
        "received": sum(1 for t in mine if code in t.receivers and period.contains(t.task.started_on)),
        "fed_back": sum(
            1
            for t in mine
            for a in t.assignments
            if a.section.code == code and period.contains(a.fed_back_on)
        ),
        "archived": sum(1 for t in mine if period.contains(t.task.archived_on)),
        "active": sum(1 for t in mine if t.is_active),
        "overdue": sum(1 for t in mine if t.is_overdue(period.as_of)),
    }


def _reported(tasks: list[_Task], period: AgendaPeriod) -> list[_Task]:
    """What a department reports: tasks started in the period, and those still open."""
    return [t for t in tasks if t.is_active or period.contains(t.task.started_on)]


def _monitoring_item(tasks: list[_Task], period: AgendaPeriod) -> dict:
    """生态科 and 监测站 (003 第四条 …通报排污单位落实自行监测情况): the monitoring anomalies they
    handed on or received as linkage tasks. Execution reports and monitoring data come later."""
    anomalies = [
        t
        for t in _reported(tasks, period)
        if t.task.source_kind == SourceKind.MONITORING_ANOMALY and t.involved & MONITORING_SIDE
    ]
    return {
        "key": "monitoring",
        "reporters": "、".join(
            sections.short_name(code) for code in rules.DEPARTMENT_ORDER if code in MONITORING_SIDE
        ),
        "figures": [
            {
                "label": "期间发起的监测异常联动任务",
                "value": sum(1 for t in anomalies if period.contains(t.task.started_on)),
                "unit": "项",
                "detail": "",
            },
            {
                "label": "其中尚未办结",
                "value": sum(1 for t in anomalies if t.is_active),
                "unit": "项",
                "detail": "",
            },
            {
                "label": "其中已逾期",
                "value": sum(1 for t in anomalies if t.is_overdue(period.as_of)),
                "unit": "项",
                "detail": "",
            },
        ],
        "tables": [
            table(
                "监测异常转三监联动任务（生态科、监测站发起或接收）",
                TASK_COLUMNS,
                [t.row(period.as_of) for t in anomalies],
                "期间无监测异常转办任务。",
            )
        ],
        "notes": [
            "执行报告中自行监测内容的审核情况、执法监测数据，将在执行报告和执法监测模块上线后自动汇入本节；"
            "目前请生态科、监测站在会上口头通报。",
            RULE_CHANGES_NOTE.format(
                what="与监测有关的法律法规、标准和其他管理要求",
                who="、".join(
                    sections.short_name(code) for code in rules.DEPARTMENT_ORDER if code in MONITORING_SIDE
                ),
            ),
        ],
    }


DEPARTMENT_NOTES = {
    "pollution": [
        RULE_CHANGES_NOTE.format(
            what="与污染物排放、污染防治设施运行等相关的法律法规、标准和其他管理要求",
            who=sections.short_name("pollution"),
        ),
    ],
    "enforcement": [
        "清单式执法检查、双随机抽查等现场检查情况，将在现场检查模块上线后自动汇入本节；"
        "目前请执法大队在会上通报期间检查户次和发现的问题，下表列出其参与的三监联动任务。",
    ],
}


def _department_item(code: str, tasks: list[_Task], period: AgendaPeriod) -> dict:
    """污防科 or 执法大队: the linkage tasks it started or received, with the period's figures."""
    counts = _counts(tasks, code, period)
    mine = [t for t in _reported(tasks, period) if code in t.involved]
    figures = [
        {"label": "期间发起联动任务", "value": counts["started"], "unit": "项", "detail": ""},
        {"label": "期间接收联动任务", "value": counts["received"], "unit": "项", "detail": ""},
        {"label": "期间完成反馈", "value": counts["fed_back"], "unit": "项", "detail": ""},
        {"label": "尚未办结", "value": counts["active"], "unit": "项", "detail": ""},
        {"label": "其中已逾期", "value": counts["overdue"], "unit": "项", "detail": ""},
    ]
    if code == "enforcement":
        leads = sum(
            1
            for t in mine
            if t.task.source_kind == SourceKind.EXPIRED_PERMIT and period.contains(t.task.started_on)
        )
        figures.insert(2, {"label": "其中无证排污线索移交", "value": leads, "unit": "项", "detail": ""})
    return {
        "key": code,
        "reporters": sections.short_name(code),
        "figures": figures,
        "tables": [
            table(
                f"{sections.short_name(code)}发起或接收的三监联动任务",
                TASK_COLUMNS,
                [t.row(period.as_of) for t in mine],
                "期间无相关任务。",
            )
        ],
        "notes": DEPARTMENT_NOTES[code],
    }


# 三监联动 per department (R-LNK-4, R-LNK-6) ----------------------------------------------------------------


def _linkage_item(tasks: list[_Task], period: AgendaPeriod) -> dict:
    """Per department: started, received, archived in the period, still open and overdue; then the
    tasks archived in the period (审批科's archive, reviewed at the meeting) and the overdue ones."""
    per_department = []
    for code in rules.DEPARTMENT_ORDER:
        c = _counts(tasks, code, period)
        per_department.append(
            [sections.short_name(code), c["started"], c["received"], c["archived"], c["active"], c["overdue"]]
        )
    total = [
        "合计（按任务）",
        sum(1 for t in tasks if period.contains(t.task.started_on)),
        "—",
        sum(1 for t in tasks if period.contains(t.task.archived_on)),
        sum(1 for t in tasks if t.is_active),
        sum(1 for t in tasks if t.is_overdue(period.as_of)),
    ]
    archived = [t for t in tasks if period.contains(t.task.archived_on)]
    overdue = sorted(
        (t for t in tasks if t.is_overdue(period.as_of)), key=lambda t: (t.task.deadline_on, t.task.pk)
    )
    return {
        "key": "linkage",
        "reporters": "审批科（归档整理）及各联动部门",
        "figures": [
            {"label": "期间归档", "value": total[3], "unit": "项", "detail": ""},
            {"label": "尚未办结", "value": total[4], "unit": "项", "detail": ""},
            {"label": "其中已逾期", "value": total[5], "unit": "项", "detail": ""},
        ],
        "tables": [
            table(
                "各部门任务情况（一项任务涉及多个部门的，分别计入各部门）",
                ["部门", "期间发起", "期间接收", "期间归档", "尚未办结", "其中逾期"],
                plain_rows([*per_department, total]),
                "",
            ),
            table(
                "期间归档的任务（归档材料会上审阅）",
                ["任务编号", "排污单位", "发起 → 接收", "销号日期", "归档日期"],
                [
                    {
                        "url": _task_url(t.task.pk),
                        "cells": [
                            t.task.number,
                            t.task.facility.name if t.task.facility else "—",
                            f"{sections.short_name(t.task.initiator.code)} → {'、'.join(sections.short_name(c) for c in t.receivers)}",
                            day(t.task.closed_on),
                            day(t.task.archived_on),
                        ],
                    }
                    for t in archived
                ],
                "期间没有归档的任务。",
            ),
            table(
                "逾期未办结的任务",
                ["任务编号", "排污单位", "办理期限", "逾期工作日", "待办部门"],
                [
                    {
                        "url": _task_url(t.task.pk),
                        "cells": [
                            t.task.number,
                            t.task.facility.name if t.task.facility else "—",
                            deadline_day(t.task.deadline_on, t.task.deadline_provisional),
                            "—" if t.late is None else str(t.late),
                            "、".join(sections.short_name(c) for c in t.owing()),
                        ],
                    }
                    for t in overdue
                ],
                "没有逾期未办结的任务。",
            ),
        ],
        "notes": [],
    }


def agenda_items(period: AgendaPeriod) -> list[dict]:
    """The four items of 三监联动, built from one list of tasks (two queries)."""
    tasks = _period_tasks(period)
    return [
        _monitoring_item(tasks, period),
        _department_item("pollution", tasks, period),
        _department_item("enforcement", tasks, period),
        _linkage_item(tasks, period),
    ]


CONTRIBUTION = AgendaContribution(name="linkage", order=20, titles=TITLES, build=agenda_items)
