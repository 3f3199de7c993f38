"""The dispatch meeting's agenda, filled from the data since the previous meeting (R-MTG-2, R-LNK-4;
003 第四条).

Who reports what (003 第四条): 审批科 the changes to permit holders; 生态科 and 监测站 self-monitoring and
monitoring-rule changes; 污防科 emission and facility rule changes; 执法大队 on-site inspections; and
the 三监联动 tasks archived, still open and overdue per department, since 审批科's archive is reviewed
at the meeting (R-LNK-4).

The agenda is plain data (strings, numbers, lists, dicts): the page, the PDF and the API render the
same structure, and a held meeting keeps it as JSON, so its record does not move with the data.
It costs a fixed number of queries (seven) however much happened in the period.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.urls import NoReverseMatch, reverse

from linkage import rules
from linkage.models import Assignment, LinkageTask, SourceKind, TaskState
from meetings import rules as meeting_rules
from meetings.models import DispatchMeeting, MeetingStatus
from permits.models import Facility, ManagementLevel, Permit, PermitEvent, PermitEventKind, Registration

LINKAGE_ORDER = ("approval", "ecology", "pollution", "monitoring", "enforcement")
MONITORING_SIDE = frozenset({"ecology", "monitoring"})
ACTIVE_STATES = (TaskState.OPEN, TaskState.AWAITING_CLOSE)
TABLE_LIMIT = 50
EVENT_LIMIT = 100

HEADINGS = {
    "approval": "一、持证单位基本信息更新情况",
    "monitoring": "二、自行监测落实及监测要求变化情况",
    "pollution": "三、污染物排放与污染防治设施管理要求变化情况",
    "enforcement": "四、排污许可现场检查情况",
    "linkage": "五、三监联动任务办理与归档情况",
}
TASK_COLUMNS = ["任务编号", "排污单位", "发起 → 接收", "来源", "发起日期", "办理期限", "状态"]
RULE_CHANGES_NOTE = "{what}发生变化的情况，由{who}在会上通报，记入会议纪要。"


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def _task_url(pk: int) -> str:
    try:
        return reverse("linkage:task-detail", args=[pk])
    except NoReverseMatch:  # the task pages are not installed
        return ""


@dataclass(frozen=True)
class _Task:
    """A task with what the agenda asks of it, computed once from the prefetched assignments."""

    task: LinkageTask
    receivers: tuple[str, ...]
    assignments: tuple[Assignment, ...]

    @property
    def involved(self) -> frozenset[str]:
        return frozenset({self.task.initiator.code, *self.receivers})

    @property
    def is_active(self) -> bool:
        return self.task.state in ACTIVE_STATES

    def is_overdue(self, as_of: date) -> bool:
        return rules.is_overdue(self.task.deadline_on, as_of, self.task.state)

    def owing(self) -> list[str]:
        """The departments that still owe a step: the receivers that have not fed back, or the
        initiator once all have (it closes the task)."""
        if self.task.state == TaskState.AWAITING_CLOSE:
            return [self.task.initiator.code]
        return [a.section.code for a in self.assignments if a.state != rules.FED_BACK]

    def row(self, as_of: date) -> dict:
        task = self.task
        state = rules.TASK_STATE_LABELS[task.state]
        if self.is_overdue(as_of):
            state = f"{state}（已逾期 {(as_of - task.deadline_on).days} 天）"
        return {
            "url": _task_url(task.pk),
            "cells": [
                task.number,
                task.facility.name if task.facility else "—",
                f"{_short(task.initiator.code)} → {'、'.join(_short(c) for c in self.receivers)}",
                task.get_source_kind_display(),
                _day(task.started_on),
                _day(task.deadline_on),
                state,
            ],
        }


def _short(code: str) -> str:
    return rules.SECTION_SHORT.get(code, code)


def _in(field: str, after: date, until: date) -> Q:
    return Q(**{f"{field}__gt": after, f"{field}__lte": until})


def _between(value: date | None, after: date, until: date) -> bool:
    return value is not None and after < value <= until


def _table(caption: str, columns: list[str], rows: list[dict], empty: str, limit: int = TABLE_LIMIT) -> dict:
    return {
        "caption": caption,
        "columns": columns,
        "rows": rows[:limit],
        "more": max(len(rows) - limit, 0),
        "empty": empty,
    }


def _plain_rows(rows) -> list[dict]:
    return [{"url": "", "cells": [str(cell) for cell in cells]} for cells in rows]


def previous_meeting(meeting: DispatchMeeting, as_of: date) -> DispatchMeeting | None:
    """The last meeting held before ``as_of``, other than ``meeting``: the agenda reports since it."""
    return (
        DispatchMeeting.objects.filter(status=MeetingStatus.HELD, held_on__lt=as_of)
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-id")
        .first()
    )


def build_agenda(meeting: DispatchMeeting, *, as_of: date) -> dict:
    """The agenda of ``meeting`` from the data in ``(previous meeting held, as_of]`` (R-MTG-2), with
    open and overdue linkage tasks as of ``as_of`` (R-LNK-4, R-LNK-6). Seven queries."""
    previous = previous_meeting(meeting, as_of)
    after, until = meeting_rules.agenda_period(as_of, previous.held_on if previous else None)
    tasks = _period_tasks(after, until)
    return {
        "as_of": _day(as_of),
        "after": _day(after),
        "until": _day(until),
        "period": f"{after:%Y-%m-%d}（不含）至 {until:%Y-%m-%d}",
        "previous": f"{previous.title}（{previous.held_on:%Y-%m-%d}）" if previous else "",
        "items": [
            _approval_item(after, until),
            _monitoring_item(tasks, after, until, as_of),
            _department_item("pollution", tasks, after, until, as_of),
            _department_item("enforcement", tasks, after, until, as_of),
            _linkage_item(tasks, after, until, as_of),
        ],
    }


def _period_tasks(after: date, until: date) -> list[_Task]:
    """Tasks started, closed or archived in the period, and every task still open: two queries."""
    queryset = (
        LinkageTask.objects.filter(started_on__lte=until)
        .filter(
            Q(state__in=ACTIVE_STATES)
            | _in("started_on", after, until)
            | _in("closed_on", after, until)
            | _in("archived_on", after, until)
        )
        .select_related("initiator", "facility")
        .prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("section").order_by("id"))
        )
        .order_by("started_on", "id")
    )
    tasks = []
    for task in queryset:
        assignments = tuple(task.assignments.all())
        tasks.append(_Task(task, tuple(a.section.code for a in assignments), assignments))
    return tasks


# 审批科 ------------------------------------------------------------------------------------------------


def _approval_item(after: date, until: date) -> dict:
    """Changes to permit holders (003 第四条 审批科…通报持证单位基本信息更新情况): permits issued,
    permit events by kind and one by one, registrations, facilities created and changed. Five queries."""
    issued = dict(
        Permit.objects.filter(_in("issued_on", after, until))
        .order_by()
        .values_list("management_level")
        .annotate(n=Count("pk"))
    )
    by_kind = dict(
        PermitEvent.objects.filter(_in("occurred_on", after, until))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    events = list(
        PermitEvent.objects.filter(_in("occurred_on", after, until))
        .select_related("permit__facility")
        .order_by("occurred_on", "id")[:EVENT_LIMIT]
    )
    registrations = Registration.objects.filter(_in("registered_on", after, until)).count()
    history = {
        row["history_type"]: row
        for row in Facility.history.filter(history_date__date__gt=after, history_date__date__lte=until)
        .order_by()
        .values("history_type")
        .annotate(records=Count("history_id"), facilities=Count("id", distinct=True))
    }
    created = history.get("+", {}).get("facilities", 0)
    changed = history.get("~", {})
    total_events = sum(by_kind.values())
    return {
        "key": "approval",
        "heading": HEADINGS["approval"],
        "reporters": "审批科",
        "figures": [
            {
                "label": "新核发排污许可证",
                "value": sum(issued.values()),
                "unit": "张",
                "detail": f"重点管理 {issued.get(ManagementLevel.KEY, 0)} 张，简化管理 {issued.get(ManagementLevel.SIMPLIFIED, 0)} 张",
            },
            {"label": "登记许可证事项", "value": total_events, "unit": "项", "detail": ""},
            {"label": "新增排污登记", "value": registrations, "unit": "家", "detail": ""},
            {"label": "新建档排污单位", "value": created, "unit": "家", "detail": ""},
            {
                "label": "基本信息变更的排污单位",
                "value": changed.get("facilities", 0),
                "unit": "家",
                "detail": f"共修改 {changed.get('records', 0)} 次" if changed else "",
            },
        ],
        "tables": [
            _table(
                "许可证事项（按事项分类）",
                ["事项", "件数"],
                _plain_rows(
                    (label, by_kind[kind]) for kind, label in PermitEventKind.choices if by_kind.get(kind)
                ),
                "期间无许可证事项。",
            ),
            _table(
                "许可证事项明细",
                ["日期", "许可证编号", "排污单位", "事项", "文号"],
                _plain_rows(
                    (
                        _day(e.occurred_on),
                        e.permit.number,
                        e.permit.facility.name,
                        e.get_kind_display(),
                        e.document_no or "—",
                    )
                    for e in events
                ),
                "期间无许可证事项。",
                limit=EVENT_LIMIT,
            )
            | {"more": max(total_events - len(events), 0)},
        ],
        "notes": [
            "排放标准、重点污染物总量控制要求或相关法律法规变化需变更排污许可证的，由审批科依法变更并告知排污单位。",
        ],
    }


# 生态科、监测站; 污防科; 执法大队 ------------------------------------------------------------------------


def _counts(tasks: list[_Task], code: str, after: date, until: date, as_of: date) -> dict:
    mine = [t for t in tasks if code in t.involved]
    return {
        "started": sum(
            1 for t in mine if t.task.initiator.code == code and _between(t.task.started_on, after, until)
        ),
        "received": sum(1 for t in mine if code in t.receivers and _between(t.task.started_on, after, until)),
        "fed_back": sum(
            1
            for t in mine
            for a in t.assignments
            if a.section.code == code and _between(a.fed_back_on, after, until)
        ),
        "archived": sum(1 for t in mine if _between(t.task.archived_on, after, until)),
        "active": sum(1 for t in mine if t.is_active),
        "overdue": sum(1 for t in mine if t.is_overdue(as_of)),
    }


def _reported(tasks: list[_Task], after: date, until: date) -> list[_Task]:
    """What a department reports: tasks started in the period, and those still open."""
    return [t for t in tasks if t.is_active or _between(t.task.started_on, after, until)]


def _monitoring_item(tasks: list[_Task], after: date, until: date, as_of: date) -> dict:
    """生态科 and 监测站 (003 第四条 …通报排污单位落实自行监测情况): the monitoring anomalies they
    handed on or received as linkage tasks. Execution reports and monitoring data come later."""
    anomalies = [
        t
        for t in _reported(tasks, after, until)
        if t.task.source_kind == SourceKind.MONITORING_ANOMALY and t.involved & MONITORING_SIDE
    ]
    return {
        "key": "monitoring",
        "heading": HEADINGS["monitoring"],
        "reporters": "生态科、监测站",
        "figures": [
            {
                "label": "期间发起的监测异常联动任务",
                "value": sum(1 for t in anomalies if _between(t.task.started_on, after, until)),
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
                "value": sum(1 for t in anomalies if t.is_overdue(as_of)),
                "unit": "项",
                "detail": "",
            },
        ],
        "tables": [
            _table(
                "监测异常转三监联动任务（生态科、监测站发起或接收）",
                TASK_COLUMNS,
                [t.row(as_of) for t in anomalies],
                "期间无监测异常转办任务。",
            )
        ],
        "notes": [
            "执行报告中自行监测内容的审核情况、执法监测数据，将在执行报告和执法监测模块上线后自动汇入本节；"
            "目前请生态科、监测站在会上口头通报。",
            RULE_CHANGES_NOTE.format(what="与监测有关的法律法规、标准和其他管理要求", who="生态科、监测站"),
        ],
    }


DEPARTMENT_NOTES = {
    "pollution": [
        RULE_CHANGES_NOTE.format(
            what="与污染物排放、污染防治设施运行等相关的法律法规、标准和其他管理要求", who="污防科"
        ),
    ],
    "enforcement": [
        "清单式执法检查、双随机抽查等现场检查情况，将在现场检查模块上线后自动汇入本节；"
        "目前请执法大队在会上通报期间检查户次和发现的问题，下表列出其参与的三监联动任务。",
    ],
}


def _department_item(code: str, tasks: list[_Task], after: date, until: date, as_of: date) -> dict:
    """污防科 or 执法大队: the linkage tasks it started or received, with the period's figures."""
    counts = _counts(tasks, code, after, until, as_of)
    mine = [t for t in _reported(tasks, after, until) if code in t.involved]
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
            if t.task.source_kind == SourceKind.EXPIRED_PERMIT and _between(t.task.started_on, after, until)
        )
        figures.insert(2, {"label": "其中无证排污线索移交", "value": leads, "unit": "项", "detail": ""})
    return {
        "key": code,
        "heading": HEADINGS[code],
        "reporters": _short(code),
        "figures": figures,
        "tables": [
            _table(
                f"{_short(code)}发起或接收的三监联动任务",
                TASK_COLUMNS,
                [t.row(as_of) for t in mine],
                "期间无相关任务。",
            )
        ],
        "notes": DEPARTMENT_NOTES[code],
    }


# 三监联动 per department (R-LNK-4, R-LNK-6) ----------------------------------------------------------------


def _linkage_item(tasks: list[_Task], after: date, until: date, as_of: date) -> dict:
    """Per department: started, received, archived in the period, still open and overdue; then the
    tasks archived in the period (审批科's archive, reviewed at the meeting) and the overdue ones."""
    per_department = []
    for code in LINKAGE_ORDER:
        c = _counts(tasks, code, after, until, as_of)
        per_department.append(
            [_short(code), c["started"], c["received"], c["archived"], c["active"], c["overdue"]]
        )
    total = [
        "合计（按任务）",
        sum(1 for t in tasks if _between(t.task.started_on, after, until)),
        "—",
        sum(1 for t in tasks if _between(t.task.archived_on, after, until)),
        sum(1 for t in tasks if t.is_active),
        sum(1 for t in tasks if t.is_overdue(as_of)),
    ]
    archived = [t for t in tasks if _between(t.task.archived_on, after, until)]
    overdue = sorted((t for t in tasks if t.is_overdue(as_of)), key=lambda t: (t.task.deadline_on, t.task.pk))
    return {
        "key": "linkage",
        "heading": HEADINGS["linkage"],
        "reporters": "审批科（归档整理）及各联动部门",
        "figures": [
            {"label": "期间归档", "value": total[3], "unit": "项", "detail": ""},
            {"label": "尚未办结", "value": total[4], "unit": "项", "detail": ""},
            {"label": "其中已逾期", "value": total[5], "unit": "项", "detail": ""},
        ],
        "tables": [
            _table(
                "各部门任务情况（一项任务涉及多个部门的，分别计入各部门）",
                ["部门", "期间发起", "期间接收", "期间归档", "尚未办结", "其中逾期"],
                _plain_rows([*per_department, total]),
                "",
            ),
            _table(
                "期间归档的任务（归档材料会上审阅）",
                ["任务编号", "排污单位", "发起 → 接收", "销号日期", "归档日期"],
                [
                    {
                        "url": _task_url(t.task.pk),
                        "cells": [
                            t.task.number,
                            t.task.facility.name if t.task.facility else "—",
                            f"{_short(t.task.initiator.code)} → {'、'.join(_short(c) for c in t.receivers)}",
                            _day(t.task.closed_on),
                            _day(t.task.archived_on),
                        ],
                    }
                    for t in archived
                ],
                "期间没有归档的任务。",
            ),
            _table(
                "逾期未办结的任务",
                ["任务编号", "排污单位", "办理期限", "逾期天数", "待办部门"],
                [
                    {
                        "url": _task_url(t.task.pk),
                        "cells": [
                            t.task.number,
                            t.task.facility.name if t.task.facility else "—",
                            _day(t.task.deadline_on),
                            str((as_of - t.task.deadline_on).days),
                            "、".join(_short(c) for c in t.owing()),
                        ],
                    }
                    for t in overdue
                ],
                "没有逾期未办结的任务。",
            ),
        ],
        "notes": [],
    }
