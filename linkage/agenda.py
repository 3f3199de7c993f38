"""The 三监联动 part of the dispatch meeting's agenda (R-MTG-2, R-LNK-4, R-LNK-6; 003 第四条), registered
with ``bureau.agenda`` by ``LinkageConfig.ready``: 生态科 and 监测站 on monitoring anomalies, 污防科 and
执法大队 on the tasks they started or received, and the tasks archived, open and overdue per department,
since 审批科's archive is reviewed at the meeting (R-LNK-4). The figures are database aggregates and
the tables read only the rows they show (at most ``TABLE_LIMIT`` each, ordered and cut in SQL): a fixed
number of queries, and no task made into a row unless it is shown, however many tasks there are.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from bureau import sections
from bureau.agenda import (
    RULE_CHANGES_NOTE,
    TABLE_LIMIT,
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
DEPARTMENTS = ("pollution", "enforcement")  # the departments with an item of their own
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
    """A task shown in a table, with what the agenda asks of it, computed from its prefetched assignments."""

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


# What the agenda reads, as filters: the same on the tasks and, through ``task__``, on their assignments.
# The tasks it reports on are those started, closed or archived in the period and every task still open
# (``_scope``); a department reports those started in the period and those still open (``_reported``).


def _scope(period: AgendaPeriod, to: str = "") -> Q:
    return Q(**{f"{to}started_on__lte": period.until}) & (
        Q(**{f"{to}state__in": rules.ACTIVE})
        | period.q(f"{to}started_on")
        | period.q(f"{to}closed_on")
        | period.q(f"{to}archived_on")
    )


def _reported(period: AgendaPeriod, to: str = "") -> Q:
    return Q(**{f"{to}state__in": rules.ACTIVE}) | period.q(f"{to}started_on")


def _overdue(period: AgendaPeriod, to: str = "") -> Q:
    """``rules.is_overdue`` as a filter: still open, its deadline passed before the agenda's day."""
    return Q(**{f"{to}state__in": rules.ACTIVE, f"{to}deadline_on__lt": period.as_of})


def _involving(codes) -> Q:
    """Tasks started by one of ``codes`` or sent to one of them."""
    codes = list(codes)
    sent = Assignment.objects.filter(task_id=OuterRef("pk"), section__code__in=codes)
    return Q(initiator__code__in=codes) | Q(Exists(sent))


def _figures(period: AgendaPeriod, to: str = "") -> dict:
    """The counts every department's figures are made of, as aggregates over the tasks in scope."""
    return {
        "started": Count("pk", filter=period.q(f"{to}started_on")),
        "archived": Count("pk", filter=period.q(f"{to}archived_on")),
        "active": Count("pk", filter=Q(**{f"{to}state__in": rules.ACTIVE})),
        "overdue": Count("pk", filter=_overdue(period, to)),
        "reported": Count("pk", filter=_reported(period, to)),
        "leads": Count(
            "pk", filter=Q(**{f"{to}source_kind": SourceKind.EXPIRED_PERMIT}) & period.q(f"{to}started_on")
        ),
    }


@dataclass(frozen=True)
class _Tally:
    """The period's figures: ``per_department[code]`` counts each task a department started or received
    once; ``total`` counts each task once; ``anomalies`` the monitoring anomalies of 生态科 and 监测站."""

    per_department: dict[str, dict[str, int]]
    total: dict[str, int]
    anomalies: dict[str, int]


def _tally(period: AgendaPeriod) -> _Tally:
    """Three aggregate queries, whatever the number of tasks: the tasks by initiator, the assignments
    by receiver (a receiver that also started the task counted once), the monitoring anomalies."""
    names = list(_figures(period))
    by_initiator = {
        row["initiator__code"]: row
        for row in LinkageTask.objects.filter(_scope(period))
        .order_by()
        .values("initiator__code")
        .annotate(**_figures(period))
    }
    also_started = Q(section_id=F("task__initiator_id"))
    received = {
        row["section__code"]: row
        for row in Assignment.objects.filter(_scope(period, "task__"))
        .order_by()
        .values("section__code")
        .annotate(
            received=Count("pk", filter=period.q("task__started_on")),
            fed_back=Count("pk", filter=period.q("fed_back_on")),
            **{
                f"sent_{name}": Count("pk", filter=aggregate.filter & ~also_started)
                for name, aggregate in _figures(period, "task__").items()
            },
        )
    }
    anomalies = (
        LinkageTask.objects.filter(_scope(period), _reported(period), _involving(MONITORING_SIDE))
        .filter(source_kind=SourceKind.MONITORING_ANOMALY)
        .aggregate(**{name: aggregate for name, aggregate in _figures(period).items() if name != "leads"})
    )
    per_department, total = {}, dict.fromkeys(names, 0)
    for code in rules.DEPARTMENT_ORDER:
        started, sent = by_initiator.get(code, {}), received.get(code, {})
        per_department[code] = {
            **{name: started.get(name, 0) + sent.get(f"sent_{name}", 0) for name in names},
            "initiated": started.get("started", 0),
            "received": sent.get("received", 0),
            "fed_back": sent.get("fed_back", 0),
        }
    for row in by_initiator.values():
        for name in names:
            total[name] += row[name]
    return _Tally(per_department, total, anomalies)


def _shown_tasks(period: AgendaPeriod) -> list[_Task]:
    """The tasks the agenda's tables show, no more: the first ``TABLE_LIMIT`` of each table, picked and
    ordered in SQL, with their initiator, facility and assignments (two queries, and the work calendar
    of the years their deadlines fall in)."""
    scope = LinkageTask.objects.filter(_scope(period))
    by_start = ("started_on", "id")
    tables = [
        scope.filter(_reported(period), _involving(MONITORING_SIDE))
        .filter(source_kind=SourceKind.MONITORING_ANOMALY)
        .order_by(*by_start),
        *(scope.filter(_reported(period), _involving([code])).order_by(*by_start) for code in DEPARTMENTS),
        # In the order they were archived, read from that date's index: by start date, PostgreSQL walked
        # every task started before the period's first archived one (170,000 of 200,000, 50 ms).
        scope.filter(period.q("archived_on")).order_by("archived_on", "id"),
        scope.filter(_overdue(period)).order_by("deadline_on", "id"),
    ]
    queryset = (
        LinkageTask.objects.filter(pk__in=_first_of_each(tables))
        .select_related("initiator", "facility")
        .prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("section").order_by("id"))
        )
        .order_by(*by_start)
    )
    tasks, calendar = [], WorkCalendar()
    for task in queryset:
        assignments = tuple(task.assignments.all())
        late = overdue_workdays(task.deadline_on, period.as_of, task.state, calendar)
        tasks.append(_Task(task, tuple(a.section.code for a in assignments), assignments, late))
    return tasks


def _first_of_each(querysets: list[QuerySet[LinkageTask]]) -> QuerySet[LinkageTask]:
    """The ids of the first ``TABLE_LIMIT`` rows of each of ``querysets``, as one ``UNION``. One
    ``pk__in`` per table joined by OR made PostgreSQL test every task in scope against each list
    instead of fetching the few hundred ids (80 ms at 200,000 tasks). Each member picks its rows in a
    subquery of its own: SQLite allows no LIMIT on the members of a UNION."""
    first = [
        LinkageTask.objects.filter(pk__in=queryset.values("pk")[:TABLE_LIMIT]).order_by().values("pk")
        for queryset in querysets
    ]
    return first[0].union(*first[1:])


def _reported_rows(tasks: list[_Task], period: AgendaPeriod) -> list[_Task]:
    """Of the tasks shown, what a department reports: tasks started in the period, and those still open."""
    return [t for t in tasks if t.is_active or period.contains(t.task.started_on)]


def _limited(t: dict, total: int) -> dict:
    """A table of the first rows, saying how many of ``total`` are left out."""
    return t | {"more": max(total - len(t["rows"]), 0)}


def _monitoring_item(tally: _Tally, tasks: list[_Task], period: AgendaPeriod) -> dict:
    """生态科 and 监测站 (003 第四条 …通报排污单位落实自行监测情况): the monitoring anomalies they
    handed on or received as linkage tasks. Execution reports and monitoring data come later."""
    anomalies = [
        t
        for t in _reported_rows(tasks, period)
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
                "value": tally.anomalies["started"],
                "unit": "项",
                "detail": "",
            },
            {
                "label": "其中尚未办结",
                "value": tally.anomalies["active"],
                "unit": "项",
                "detail": "",
            },
            {
                "label": "其中已逾期",
                "value": tally.anomalies["overdue"],
                "unit": "项",
                "detail": "",
            },
        ],
        "tables": [
            _limited(
                table(
                    "监测异常转三监联动任务（生态科、监测站发起或接收）",
                    TASK_COLUMNS,
                    [t.row(period.as_of) for t in anomalies[:TABLE_LIMIT]],
                    "期间无监测异常转办任务。",
                ),
                tally.anomalies["reported"],
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


def _department_item(code: str, tally: _Tally, tasks: list[_Task], period: AgendaPeriod) -> dict:
    """污防科 or 执法大队: the linkage tasks it started or received, with the period's figures."""
    counts = tally.per_department[code]
    mine = [t for t in _reported_rows(tasks, period) if code in t.involved]
    figures = [
        {"label": "期间发起联动任务", "value": counts["initiated"], "unit": "项", "detail": ""},
        {"label": "期间接收联动任务", "value": counts["received"], "unit": "项", "detail": ""},
        {"label": "期间完成反馈", "value": counts["fed_back"], "unit": "项", "detail": ""},
        {"label": "尚未办结", "value": counts["active"], "unit": "项", "detail": ""},
        {"label": "其中已逾期", "value": counts["overdue"], "unit": "项", "detail": ""},
    ]
    if code == "enforcement":
        figures.insert(
            2, {"label": "其中无证排污线索移交", "value": counts["leads"], "unit": "项", "detail": ""}
        )
    return {
        "key": code,
        "reporters": sections.short_name(code),
        "figures": figures,
        "tables": [
            _limited(
                table(
                    f"{sections.short_name(code)}发起或接收的三监联动任务",
                    TASK_COLUMNS,
                    [t.row(period.as_of) for t in mine[:TABLE_LIMIT]],
                    "期间无相关任务。",
                ),
                counts["reported"],
            )
        ],
        "notes": DEPARTMENT_NOTES[code],
    }


# 三监联动 per department (R-LNK-4, R-LNK-6) ----------------------------------------------------------------


def _linkage_item(tally: _Tally, tasks: list[_Task], period: AgendaPeriod) -> dict:
    """Per department: started, received, archived in the period, still open and overdue; then the
    tasks archived in the period (审批科's archive, reviewed at the meeting) and the overdue ones."""
    per_department = []
    for code in rules.DEPARTMENT_ORDER:
        c = tally.per_department[code]
        per_department.append(
            [
                sections.short_name(code),
                c["initiated"],
                c["received"],
                c["archived"],
                c["active"],
                c["overdue"],
            ]
        )
    total = tally.total
    archived = sorted(
        (t for t in tasks if period.contains(t.task.archived_on)),
        key=lambda t: (t.task.archived_on, t.task.pk),
    )[:TABLE_LIMIT]
    overdue = sorted(
        (t for t in tasks if t.is_overdue(period.as_of)), key=lambda t: (t.task.deadline_on, t.task.pk)
    )[:TABLE_LIMIT]
    return {
        "key": "linkage",
        "reporters": "审批科（归档整理）及各联动部门",
        "figures": [
            {"label": "期间归档", "value": total["archived"], "unit": "项", "detail": ""},
            {"label": "尚未办结", "value": total["active"], "unit": "项", "detail": ""},
            {"label": "其中已逾期", "value": total["overdue"], "unit": "项", "detail": ""},
        ],
        "tables": [
            table(
                "各部门任务情况（一项任务涉及多个部门的，分别计入各部门）",
                ["部门", "期间发起", "期间接收", "期间归档", "尚未办结", "其中逾期"],
                plain_rows(
                    [
                        *per_department,
                        [
                            "合计（按任务）",
                            total["started"],
                            "—",
                            total["archived"],
                            total["active"],
                            total["overdue"],
                        ],
                    ]
                ),
                "",
            ),
            _limited(
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
                total["archived"],
            ),
            _limited(
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
                total["overdue"],
            ),
        ],
        "notes": [],
    }


def agenda_items(period: AgendaPeriod) -> list[dict]:
    """The four items of 三监联动: the figures from three aggregate queries, the tables from the tasks
    they show (two queries, and the work calendar), whatever the number of tasks."""
    tally, tasks = _tally(period), _shown_tasks(period)
    return [
        _monitoring_item(tally, tasks, period),
        _department_item("pollution", tally, tasks, period),
        _department_item("enforcement", tally, tasks, period),
        _linkage_item(tally, tasks, period),
    ]


CONTRIBUTION = AgendaContribution(name="linkage", order=20, titles=TITLES, build=agenda_items)
