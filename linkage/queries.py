"""Reads of 三监联动 shared by pages, API and PDFs, scoped to what the user may see, and how a task
reads to a department: its deadline in working days and whose turn it is (R-LNK-6, R-LNK-7), the
department's queues and the per-department summary. The page and the API show the same things
because both ask here."""

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Left
from django.http import Http404
from django.urls import reverse

from bureau import sections
from bureau.access import Viewer, in_sections
from bureau.calendar import WorkCalendar
from bureau.models import SectionCode
from bureau.todo import Line
from linkage import rules
from linkage.models import Assignment, LinkageTask, TaskStep
from linkage.overdue import overdue_text, overdue_workdays
from permits.models import AnomalyReport
from permits.queries import FACILITY_CODE_FIELDS

# Sections that see every task: 审批科 archives them, 局领导 reads everything.
SEE_ALL = frozenset({SectionCode.APPROVAL, SectionCode.LEADERSHIP})


def sees_all_tasks(user) -> bool:
    """审批科, leadership and the administrator see every task (the others: theirs, or their town's)."""
    viewer = Viewer.of(user)
    return viewer.is_superuser or viewer.section_code in SEE_ALL


def visible_tasks(user) -> QuerySet[LinkageTask]:
    """Tasks ``user`` may see: all for 审批科, leadership and the administrator; for another linkage
    department those it started, received or requested, and for 生态科 also every task addressed to
    监测站, which it follows (R-LNK-2); for a town those about its facilities (R-ORG-3)."""
    viewer = Viewer.of(user)
    tasks = LinkageTask.objects.all()
    if sees_all_tasks(viewer):
        return tasks
    if viewer.is_nobody or viewer.is_town:
        return viewer.within_jurisdiction(tasks, "facility__town_id")
    return tasks.filter(involves(viewer.section_id, viewer.section_code))


def involves(section_id: int, code: str | None) -> Q:
    """Tasks the section started, received or requested, or follows (生态科: 监测站's, R-LNK-2)."""
    condition = Q(initiator_id=section_id) | Q(requested_by_id=section_id) | received_by(section_id)
    followed = rules.followed_sections(code)
    if followed:
        condition |= ProbedExists(
            Assignment.objects.filter(task_id=OuterRef("pk"), section__code__in=followed)
        )
    return condition


class ProbedExists(Exists):
    """``Exists`` that PostgreSQL checks row by row, by index, as a page is read. Joined by OR to other
    conditions, a plain EXISTS is planned as a hashed subplan: every assignment of the department
    (49,000 for 执法大队 at city scale) is read and hashed before the first task of a page, 20–30 ms
    on every page of the task list, for 50 rows whose check by the task's index costs 0.5 ms (issue
    15). ``OFFSET 0`` keeps the planner from turning the EXISTS into that hashed form; the answer is
    the same on every database (SQLite reads it as written)."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def task_for_user(user, pk) -> LinkageTask:
    """One task with what its page, slip and API show; 404 alike for missing and not visible."""
    return task_in(visible_tasks(user), pk)


def task_in(tasks: QuerySet[LinkageTask], pk) -> LinkageTask:
    """The task ``pk`` among ``tasks`` with what its page shows; 404 when it is not there. The apps
    above that grant their own read access (a dispatch meeting reviewing a task) pass their set."""
    try:
        return (
            tasks.select_related(
                "initiator", "requested_by", "facility__town", "handler", "head", "closed_by", "archived_by"
            )
            .prefetch_related(
                Prefetch(
                    "assignments",
                    Assignment.objects.select_related(
                        "section", "execution_handler", "execution_head", "feedback_handler", "feedback_head"
                    ).order_by("id"),
                ),
                Prefetch("steps", TaskStep.objects.select_related("actor", "section").order_by("at", "id")),
            )
            .get(pk=pk)
        )
    except (LinkageTask.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该三监联动任务。") from None


def received_by(section_id: int, task_ref: str = "pk") -> Exists:
    """Whether the task named by ``OuterRef(task_ref)`` was sent to the section ``section_id``: a
    condition for querysets of this app and of the apps above that point at tasks."""
    return ProbedExists(Assignment.objects.filter(task_id=OuterRef(task_ref), section_id=section_id))


def overdue(tasks: QuerySet[LinkageTask], today: date) -> QuerySet[LinkageTask]:
    """Tasks past their deadline and not yet closed (R-LNK-6): the SQL twin of ``rules.is_overdue``."""
    return tasks.filter(state__in=rules.ACTIVE, deadline_on__lt=today)


# Deadlines and whose turn: what a row of a queue, the list and the API show --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A task's deadline as a department reads it: the date and, while the task is open, the working
    days left or overdue (R-LNK-7, R-CAL-1). ``workdays_left`` is None when the calendar does not
    know a year in between (the date is still shown)."""

    on: date
    is_active: bool
    is_overdue: bool
    workdays_left: int | None

    @property
    def text(self) -> str:
        if not self.is_active or self.workdays_left is None:
            return ""
        if self.is_overdue:
            return overdue_text(-self.workdays_left)
        if self.workdays_left == 0:
            return "今日到期"
        return f"剩余 {self.workdays_left} 个工作日"


def deadline_of(task: LinkageTask, today: date, calendar: WorkCalendar) -> Deadline:
    is_active = task.state in rules.ACTIVE
    left = None
    if rules.is_overdue(task.deadline_on, today, task.state):
        left = -overdue_workdays(task.deadline_on, today, task.state, calendar)
    elif is_active:
        left = calendar.count_workdays(today, task.deadline_on)
    return Deadline(task.deadline_on, is_active, rules.is_overdue(task.deadline_on, today, task.state), left)


def waiting_for(task: LinkageTask) -> str:
    """Whose step it is now, e.g. 「待执法大队接收」, read from the task and its assignments."""
    return waiting_text(
        task.state,
        lambda: task.initiator.short_name,
        lambda: ((a.section.short_name, a.state) for a in task.assignments.all()),
    )


def waiting_text(state: str, initiator, receivers) -> str:
    """``waiting_for`` from plain values: ``initiator()`` gives the initiator's short name and
    ``receivers()`` each receiving department's short name and state, asked only when the state
    needs them."""
    if state == rules.OPEN:
        waiting = [
            f"待{short_name}{'接收' if received == rules.PENDING else '反馈'}"
            for short_name, received in receivers()
            if received != rules.FED_BACK
        ]
        return "；".join(waiting)
    if state == rules.AWAITING_CLOSE:
        return f"待{initiator()}销号"
    if state == rules.CLOSED:
        return f"待{sections.SHORT_NAMES[rules.ARCHIVING_SECTION]}归档"
    return "已归档"


@dataclass
class Row:
    task: LinkageTask
    deadline: Deadline
    waiting_for: str


def rows_of(tasks, today: date, calendar: WorkCalendar) -> list[Row]:
    """A page's rows, the working days of its open tasks counted from their stored deadlines; the
    calendar's years they span are read in one query (none when no open task is on the page)."""
    tasks = list(tasks)
    deadlines = [task.deadline_on for task in tasks if task.state in rules.ACTIVE]
    if deadlines:
        calendar.read_years(range(min(*deadlines, today).year, max(*deadlines, today).year + 1))
    return [Row(task, deadline_of(task, today, calendar), waiting_for(task)) for task in tasks]


# The API list -----------------------------------------------------------------------------------------


def list_values(tasks: QuerySet[LinkageTask]) -> QuerySet:
    """``tasks`` as the API list reads them (``task_serializers.task_row`` writes a row from them): plain
    values joined with the initiator and facility in one query; model instances with their departments
    cost three times the page's SQL (issue 15)."""
    return tasks.values(
        "id",
        "number",
        "description",
        "started_on",
        "deadline_workdays",
        "deadline_on",
        "deadline_provisional",
        "state",
        "source_kind",
        "from_paper",
        "facility_id",
        initiator_code=F("initiator__code"),
        initiator_name=F("initiator__name"),
        initiator_short_name=F("initiator__short_name"),
        facility_name=F("facility__name"),
        facility_source_code=F("facility__source_code"),
        facility_credit_code=F("facility__credit_code"),
    )


def assignments_of(task_ids) -> dict[int, list[dict]]:
    """Each task's receiving departments as plain values, in the order they were added (one query)."""
    found: dict[int, list[dict]] = {}
    rows = (
        Assignment.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "id")
        .values(
            "id",
            "task_id",
            "state",
            section_code=F("section__code"),
            section_name=F("section__name"),
            section_short_name=F("section__short_name"),
        )
    )
    for row in rows:
        found.setdefault(row["task_id"], []).append(row)
    return found


# Queue page -------------------------------------------------------------------------------------------


def with_assignments(tasks):
    return tasks.select_related("initiator", "requested_by", "facility").prefetch_related(
        Prefetch("assignments", Assignment.objects.select_related("section").order_by("id"))
    )


@dataclass
class Queue:
    """One tab of a department's queues: what it holds (``tasks``, an unevaluated queryset in
    deadline order, read a page at a time) and how many (``count``, from the one aggregate of
    ``queues_for``)."""

    key: str
    label: str
    hint: str
    tasks: QuerySet[LinkageTask]
    count: int = 0


QUEUE_LABELS = {
    "receive": ("待接收", "发给本部门、尚未接收的任务。"),
    "doing": ("办理中", "本部门已接收、尚待反馈结果的任务。"),
    "close": ("待销号", "本部门发起、各接收部门均已反馈，待本部门销号或退回。"),
    "started": ("本部门发起", "本部门发起、尚未销号的任务。"),
    "overdue": ("已逾期", "涉及本部门、已过办理期限仍未销号的任务。"),
    "follow": (
        "监测站任务",
        "发给环境监测站、尚未销号的任务：生态科牵头监测工作，跟踪督促并接收反馈结果（003 第三条）。",
    ),
    "archive": ("待归档", "已销号、待审批科归档整理的任务。"),
}


def queue_conditions(section_id: int, code: str | None, today: date) -> dict[str, Q]:
    """What puts a task in each queue of the department (R-LNK-6), as SQL conditions, in tab order:
    待接收 and 办理中, its assignment pending or received while the task is open; 待销号 and 本部门发起,
    the tasks it started awaiting 销号, or not yet closed; 已逾期, those that involve it past their
    deadline and not closed (``overdue``); for 生态科 the open tasks sent to 监测站 (R-LNK-2); for 审批科
    the closed tasks it archives (R-LNK-4). Each lies within what the department sees
    (``visible_tasks``), so no visibility condition is added."""

    def mine(state: str) -> Q:
        return Q(
            Exists(Assignment.objects.filter(task_id=OuterRef("pk"), section_id=section_id, state=state))
        )

    active = Q(state__in=rules.ACTIVE)
    conditions = {
        "receive": Q(state=rules.OPEN) & mine(rules.PENDING),
        "doing": Q(state=rules.OPEN) & mine(rules.RECEIVED),
        "close": Q(initiator_id=section_id, state=rules.AWAITING_CLOSE),
        "started": Q(initiator_id=section_id) & active,
        "overdue": Q(involves(section_id, code)) & active & Q(deadline_on__lt=today),
    }
    followed = rules.followed_sections(code)
    if followed:
        followed_tasks = Assignment.objects.filter(task_id=OuterRef("pk"), section__code__in=followed)
        conditions["follow"] = active & Q(Exists(followed_tasks))
    if code == rules.ARCHIVING_SECTION:
        conditions["archive"] = Q(state=rules.CLOSED)
    return conditions


def queues_for(user, today: date) -> list[Queue]:
    """The department's queues (R-LNK-6): each a queryset of its tasks in deadline order, read by
    the page a page at a time, and their counts from one aggregate query over the tasks still under
    way (plus, for 审批科, the closed ones waiting to be archived), whatever the number of tasks."""
    viewer = Viewer.of(user)
    conditions = queue_conditions(viewer.section_id, viewer.section_code, today)
    states = [*rules.ACTIVE, rules.CLOSED] if "archive" in conditions else list(rules.ACTIVE)
    counts = LinkageTask.objects.filter(state__in=states).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    queues = []
    for key, condition in conditions.items():
        label, hint = QUEUE_LABELS[key]
        tasks = with_assignments(LinkageTask.objects.filter(condition)).order_by("deadline_on", "pk")
        queues.append(Queue(key, label, hint, tasks, counts[key]))
    return queues


# The queues whose tasks wait for a step of the department itself, and how the home page names them.
WAITING_STEPS = {"receive": "待接收", "doing": "待反馈", "close": "待销号", "archive": "待归档"}


def waiting_steps(user, today: date) -> list[Line]:
    """The home page's 待办 of a linkage department (R-LNK-2…4, R-LNK-6): each task waiting for it to
    receive, to feed back, to close (销号) or, for 审批科, to archive, linked to the task's page where
    the step is taken, queue by queue in deadline order. Read with the conditions of ``queues_for``,
    so the home page and the queue page always agree, in one query of the few columns a line shows;
    no query for a user outside the five departments."""
    viewer = Viewer.of(user)
    if viewer.section_code not in rules.LINKAGE_SECTIONS:
        return []
    conditions = queue_conditions(viewer.section_id, viewer.section_code, today)
    waiting = {key: conditions[key] for key in WAITING_STEPS if key in conditions}
    # A task waits for at most one step of one department: its assignment's, or its initiator's.
    step = Case(*(When(condition, then=Value(order)) for order, condition in enumerate(waiting.values())))
    rows = (
        LinkageTask.objects.filter(reduce(operator.or_, waiting.values()))
        .annotate(step=step, about=Left("description", 30))
        .order_by("step", "deadline_on", "pk")
        .values_list(
            "pk", "number", "facility__name", "about", "deadline_on", "deadline_provisional", "state", "step"
        )
    )
    labels = [WAITING_STEPS[key] for key in waiting]
    return [
        Line(
            kind=f"三监联动·{labels[order]}",
            title=f"{number} {facility or about}",
            url=reverse("linkage:task-detail", args=[pk]),
            due_on=deadline_on,
            is_overdue=rules.is_overdue(deadline_on, today, state),
            due_provisional=provisional,
        )
        for pk, number, facility, about, deadline_on, provisional, state, order in rows
    ]


def involving(tasks: QuerySet[LinkageTask], code: str) -> QuerySet[LinkageTask]:
    """Tasks the department ``code`` started or received (the page's and the API's 部门 filter)."""
    received = Assignment.objects.filter(task=OuterRef("pk"), section__code=code)
    return tasks.filter(Q(initiator__code=code) | Exists(received))


def filtered_tasks(user, filters: dict | None, today: date):
    """The 全部任务 list: what ``user`` may see, filtered by department, state, not yet closed,
    overdue, facility and town (``filters`` is the filter form's cleaned data, None when it did not
    validate)."""
    tasks = visible_tasks(user)
    if filters:
        if filters["department"]:
            tasks = involving(tasks, filters["department"])
        if filters["state"]:
            tasks = tasks.filter(state=filters["state"])
        if filters.get("active"):
            tasks = tasks.filter(state__in=rules.ACTIVE)
        if filters.get("town"):
            tasks = tasks.filter(facility__town_id=filters["town"])
        if filters["overdue"]:
            tasks = overdue(tasks, today)
        if filters["facility"].strip():
            value = filters["facility"].strip()
            # A chosen suggestion reads 「代码 名称」 (permits.queries.facility_label): its code alone
            # names the facility, whichever code the label puts first.
            code = value.split()[0].upper()
            by_code = Q()
            for name in FACILITY_CODE_FIELDS:
                by_code |= Q(**{f"facility__{name}": code})
            tasks = tasks.filter(by_code | Q(facility__name__icontains=value))
    return with_assignments(tasks).order_by("-year", "-sequence")


def department_summary(today: date) -> list[dict]:
    """Per linkage department, the steps it still owes and how many are overdue (R-LNK-6): receipt
    or feedback of open tasks sent to it, 销号 of tasks it started, 归档 for 审批科."""
    late = Q(task__deadline_on__lt=today)
    owed = {
        row["section__code"]: row
        for row in Assignment.objects.filter(
            task__state=rules.OPEN, state__in=[rules.PENDING, rules.RECEIVED]
        )
        .values("section__code")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=late))
    }
    closing = {
        row["initiator__code"]: row
        for row in LinkageTask.objects.filter(state__in=[rules.AWAITING_CLOSE, rules.CLOSED])
        .values("initiator__code")
        .annotate(
            to_close=Count("pk", filter=Q(state=rules.AWAITING_CLOSE)),
            overdue=Count("pk", filter=Q(state=rules.AWAITING_CLOSE, deadline_on__lt=today)),
            to_archive=Count("pk", filter=Q(state=rules.CLOSED)),
        )
    }
    to_archive = sum(row["to_archive"] for row in closing.values())
    summary = []
    for code in rules.DEPARTMENT_ORDER:
        name = sections.name(code)
        steps, close = owed.get(code, {}), closing.get(code, {})
        summary.append(
            {
                "code": code,
                "name": name,
                "open": steps.get("open", 0),
                "to_close": close.get("to_close", 0),
                "to_archive": to_archive if code == rules.ARCHIVING_SECTION else None,
                "overdue": steps.get("overdue", 0) + close.get("overdue", 0),
            }
        )
    return summary


# Holders' anomaly reports (R-ANM-1) -----------------------------------------------------------------


def visible_anomaly_reports(user):
    """Anomaly reports ``user`` may see, with their facility: the bureau sees all, a town those of
    its own facilities (R-ORG-3)."""
    return Viewer.of(user).within_jurisdiction(
        AnomalyReport.objects.select_related("facility", "recorded_by", "closed_by"), "facility__town_id"
    )


def may_open_anomaly_report(user, pk) -> bool:
    """Whether ``user`` may open report ``pk``'s page: a section that reads the 三监联动 pages
    (``rules.PAGE_SECTIONS``, as the page itself requires) and the report within its jurisdiction.
    A page linking to a report (a meeting's agenda, R-MTG-2) asks this before it shows the link."""
    return in_sections(user, rules.PAGE_SECTIONS) and visible_anomaly_reports(user).filter(pk=pk).exists()


def anomaly_for_user(user, pk) -> AnomalyReport:
    """One report, or 404 alike for missing and not visible."""
    try:
        return visible_anomaly_reports(user).get(pk=pk)
    except (AnomalyReport.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该异常情况报告。") from None


def period_counts(start: date, end: date) -> dict[str, int]:
    """What the monthly summary (R-SUM-1, R-LNK-6) counts of 三监联动 from ``start`` to ``end`` (both
    included), over the whole district: tasks started and closed (销号) in the period, and those still
    open at its end, overdue among them. One query."""
    open_at_end = Q(started_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    return LinkageTask.objects.aggregate(
        started=Count("pk", filter=Q(started_on__range=(start, end))),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_at_end=Count("pk", filter=open_at_end),
        overdue_at_end=Count("pk", filter=open_at_end & Q(deadline_on__lt=end)),
    )
