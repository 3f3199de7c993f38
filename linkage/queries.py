"""Reads of 三监联动 shared by pages, API and PDFs, scoped to what the user may see, and how a task
reads to a department: its deadline in working days and whose turn it is (R-LNK-6, R-LNK-7), the
department's queues and the per-department summary. The page and the API show the same things
because both ask here."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
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
        condition |= Exists(Assignment.objects.filter(task_id=OuterRef("pk"), section__code__in=followed))
    return condition


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
    return Exists(Assignment.objects.filter(task_id=OuterRef(task_ref), section_id=section_id))


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
    if task.state == rules.OPEN:
        waiting = [
            f"待{a.section.short_name}{'接收' if a.state == rules.PENDING else '反馈'}"
            for a in task.assignments.all()
            if a.state != rules.FED_BACK
        ]
        return "；".join(waiting)
    if task.state == rules.AWAITING_CLOSE:
        return f"待{task.initiator.short_name}销号"
    if task.state == rules.CLOSED:
        return f"待{sections.SHORT_NAMES[rules.ARCHIVING_SECTION]}归档"
    return "已归档"


@dataclass
class Row:
    task: LinkageTask
    deadline: Deadline
    waiting_for: str


def rows_of(tasks, today: date, calendar: WorkCalendar) -> list[Row]:
    return [Row(task, deadline_of(task, today, calendar), waiting_for(task)) for task in tasks]


# Queue page -------------------------------------------------------------------------------------------


def with_assignments(tasks):
    return tasks.select_related("initiator", "requested_by", "facility").prefetch_related(
        Prefetch("assignments", Assignment.objects.select_related("section").order_by("id"))
    )


@dataclass
class Queue:
    key: str
    label: str
    hint: str
    tasks: list


def queues_for(user, today: date) -> list[Queue]:
    """The department's queues (R-LNK-6) from one read of the tasks that involve it and are still
    under way (plus, for 审批科, every closed task waiting to be archived), split here."""
    viewer = Viewer.of(user)
    section_id, code = viewer.section_id, viewer.section_code
    wanted = involves(section_id, code) & Q(state__in=rules.ACTIVE)
    if code == rules.ARCHIVING_SECTION:
        wanted |= Q(state=rules.CLOSED)
    tasks = with_assignments(visible_tasks(user).filter(wanted)).order_by("deadline_on", "pk")
    queues = {
        "receive": Queue("receive", "待接收", "发给本部门、尚未接收的任务。", []),
        "doing": Queue("doing", "办理中", "本部门已接收、尚待反馈结果的任务。", []),
        "close": Queue("close", "待销号", "本部门发起、各接收部门均已反馈，待本部门销号或退回。", []),
        "started": Queue("started", "本部门发起", "本部门发起、尚未销号的任务。", []),
        "overdue": Queue("overdue", "已逾期", "涉及本部门、已过办理期限仍未销号的任务。", []),
    }
    followed = rules.followed_sections(code)
    if followed:
        queues["follow"] = Queue(
            "follow",
            "监测站任务",
            "发给环境监测站、尚未销号的任务：生态科牵头监测工作，跟踪督促并接收反馈结果（003 第三条）。",
            [],
        )
    if code == rules.ARCHIVING_SECTION:
        queues["archive"] = Queue("archive", "待归档", "已销号、待审批科归档整理的任务。", [])
    for task in tasks:
        mine = next((a for a in task.assignments.all() if a.section_id == section_id), None)
        is_initiator = task.initiator_id == section_id
        if task.state == rules.OPEN and mine is not None and mine.state != rules.FED_BACK:
            queues["receive" if mine.state == rules.PENDING else "doing"].tasks.append(task)
        if is_initiator and task.state == rules.AWAITING_CLOSE:
            queues["close"].tasks.append(task)
        if is_initiator and task.state in rules.ACTIVE:
            queues["started"].tasks.append(task)
        follows = any(a.section.code in followed for a in task.assignments.all())
        if follows:
            queues["follow"].tasks.append(task)
        involved = is_initiator or mine is not None or follows or task.requested_by_id == section_id
        if involved and rules.is_overdue(task.deadline_on, today, task.state):
            queues["overdue"].tasks.append(task)
        if task.state == rules.CLOSED and "archive" in queues:
            queues["archive"].tasks.append(task)
    return list(queues.values())


# The queues whose tasks wait for a step of the department itself, and how the home page names them.
WAITING_STEPS = {"receive": "待接收", "doing": "待反馈", "close": "待销号", "archive": "待归档"}


def waiting_steps(user, today: date) -> list[Line]:
    """The home page's 待办 of a linkage department (R-LNK-2…4, R-LNK-6): each task waiting for it to
    receive, to feed back, to close (销号) or, for 审批科, to archive, linked to the task's page where
    the step is taken. Read from ``queues_for``, so the home page and the queue page always agree;
    no query for a user outside the five departments."""
    if Viewer.of(user).section_code not in rules.LINKAGE_SECTIONS:
        return []
    lines = []
    for queue in queues_for(user, today):
        label = WAITING_STEPS.get(queue.key)
        if label is None:
            continue
        for task in queue.tasks:
            about = task.facility.name if task.facility_id else task.description[:30]
            lines.append(
                Line(
                    kind=f"三监联动·{label}",
                    title=f"{task.number} {about}",
                    url=reverse("linkage:task-detail", args=[task.pk]),
                    due_on=task.deadline_on,
                    is_overdue=rules.is_overdue(task.deadline_on, today, task.state),
                    due_provisional=task.deadline_provisional,
                )
            )
    return lines


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
