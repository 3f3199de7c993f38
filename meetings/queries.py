"""Reads of dispatch meetings and study sessions that pages, the API and the meeting pack share
(R-MTG-1…3, R-LNK-4): scoped to the bureau's sections (towns take no part), with a fixed number of
queries per page. The agenda built from the data is ``meetings.agenda``."""

from datetime import date
from urllib.parse import urlsplit

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import Resolver404, resolve, reverse

from bureau import sections
from bureau.access import Viewer
from bureau.models import SectionCode, User
from complaints.queries import visible_complaints
from linkage import queries as linkage_queries
from linkage.models import LinkageTask
from meetings import rules as meeting_rules
from meetings.agenda import build_agenda
from meetings.models import DispatchMeeting, MeetingDecision, MeetingKind, MeetingStatus, StudySession


def visible_meetings(user) -> QuerySet[DispatchMeeting]:
    """Every bureau section reads the meetings; towns do not take part in them."""
    if Viewer.of(user).is_bureau:
        return DispatchMeeting.objects.all()
    return DispatchMeeting.objects.none()


def meeting_rows(user) -> QuerySet[DispatchMeeting]:
    """The meeting list: newest first, with the count of decisions and of those still open."""
    return (
        visible_meetings(user)
        .select_related("convener")
        .annotate(
            decision_count=Count("decisions"),
            open_decision_count=Count("decisions", filter=Q(decisions__done_on__isnull=True)),
        )
        .order_by("-scheduled_on", "-id")
    )


def meeting_for_user(user, pk) -> DispatchMeeting:
    """One meeting with its decisions (owner and the owner's section) and study sessions; 404 alike for
    missing and not visible."""
    try:
        return (
            visible_meetings(user)
            .select_related("convener", "created_by")
            .prefetch_related(
                Prefetch(
                    "decisions",
                    MeetingDecision.objects.select_related("owner__staff__section", "done_by").order_by("id"),
                ),
                Prefetch(
                    "study_sessions", StudySession.objects.select_related("host").order_by("held_on", "id")
                ),
            )
            .get(pk=pk)
        )
    except (DispatchMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该调度会。") from None


def decision_for_user(user, pk) -> MeetingDecision:
    try:
        return MeetingDecision.objects.filter(meeting__in=visible_meetings(user)).get(pk=pk)
    except (MeetingDecision.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该议定事项。") from None


def meeting_agenda(meeting: DispatchMeeting, *, today: date) -> dict:
    """The agenda of ``meeting`` (R-MTG-2): the one kept when the minutes were recorded, else built
    now from the data up to ``today``."""
    agenda = meeting.agenda if meeting.agenda is not None else build_agenda(meeting, as_of=today)
    return _tasks_through_meeting(meeting, agenda)


def _tasks_through_meeting(meeting: DispatchMeeting, agenda: dict) -> dict:
    """The agenda with each task linked through the meeting, so every attendee section can open it
    (R-LNK-4), on the page, in the API and in the pack alike."""
    items = [
        {
            **item,
            "tables": [
                {
                    **t,
                    "rows": [
                        {**row, "url": reviewed_task_url(meeting, row.get("url", ""))} for row in t["rows"]
                    ],
                }
                for t in item["tables"]
            ],
        }
        for item in agenda["items"]
    ]
    return {**agenda, "items": items}


def next_quarter(today: date) -> str:
    """The next quarterly meeting for the list's line (R-MTG-1): this quarter's while its meeting is not
    held, then the next quarter's (one query)."""
    held = set(
        DispatchMeeting.objects.filter(
            kind=MeetingKind.QUARTERLY, status=MeetingStatus.HELD, year__in=[today.year, today.year + 1]
        ).values_list("year", "quarter_month")
    )
    year, month = meeting_rules.next_quarter(today, held)
    return f"{year}年{month}月上旬"


def decision_owners() -> QuerySet[User]:
    """Who may own a decision: active staff of the bureau's sections, by section."""
    return (
        User.objects.filter(is_active=True, staff__isnull=False)
        .exclude(staff__section__code=SectionCode.TOWN)
        .select_related("staff__section")
        .order_by("staff__section_id", "username")
    )


def study_overview(*, today: date) -> dict:
    """Every study session (few a year: one query), this year's count against the minimum of two, and
    the suggested next host in the rotation (R-MTG-3)."""
    sessions = list(
        StudySession.objects.select_related("host", "meeting", "recorded_by").order_by("-held_on", "-id")
    )
    chronological = sorted(sessions, key=lambda s: (s.held_on, s.pk))
    next_host = meeting_rules.next_study_host([s.host.code for s in chronological])
    return {
        "sessions": sessions,
        "progress": meeting_rules.study_progress([s.held_on for s in sessions], today.year),
        "next_host": next_host,
        "next_host_name": sections.SHORT_NAMES[next_host],
        "year": today.year,
    }


# Tasks under review at a meeting (R-LNK-4, R-MTG-2) ------------------------------------------------------
# The agenda lists 三监联动 tasks that every attendee section reviews, while the linkage pages show a
# department only the tasks it started or received. A task on a meeting's agenda is therefore read
# through the meeting (``/meetings/<id>/tasks/<task>/``): read-only, for the sections that attend.


def _resolved(url: str):
    try:
        return resolve(urlsplit(url).path)
    except Resolver404:
        return None


# The addresses of a task: its linkage page, as the agenda is built, and its page through a meeting.
TASK_LINKS = {"linkage:task-detail": "pk", "meetings:meeting-task": "task_pk"}


def linked_task_pk(url: str) -> int | None:
    """The task an agenda row links to, or None."""
    match = _resolved(url) if url else None
    if match is None or match.view_name not in TASK_LINKS:
        return None
    return int(match.kwargs[TASK_LINKS[match.view_name]])


def agenda_task_ids(agenda: dict) -> set[int]:
    """Every task the agenda links to: the tasks under review at the meeting."""
    return {
        pk
        for item in agenda["items"]
        for t in item["tables"]
        for row in t["rows"]
        if (pk := linked_task_pk(row.get("url", ""))) is not None
    }


def reviewed_task_url(meeting: DispatchMeeting, url: str) -> str:
    """An agenda row's link as the meeting page gives it: a task through the meeting, the rest as is."""
    pk = linked_task_pk(url)
    return reverse("meetings:meeting-task", args=[meeting.pk, pk]) if pk is not None else url


def reviewed_task(user, meeting: DispatchMeeting, task_pk, *, today: date) -> LinkageTask:
    """A task on ``meeting``'s agenda, for any section that attends (``meeting`` is already scoped to
    ``user``); 404 alike for a missing task and one the agenda does not list."""
    try:
        pk = int(task_pk)
    except (TypeError, ValueError):
        raise Http404("未找到该三监联动任务。") from None
    if pk not in agenda_task_ids(meeting_agenda(meeting, today=today)):
        raise Http404("本次调度会议程中没有该三监联动任务。")
    return linkage_queries.task_in(LinkageTask.objects.all(), pk)


def source_link(user, task: LinkageTask) -> str:
    """The task's source link if it opens for ``user``, else "": a complaint opens only for those who
    may read complaints (R-CMP-1), a holder's anomaly report only for the sections that read the
    三监联动 pages (not 法制科, who attends the meeting), so others see where the task came from
    without a dead link (R-MTG-2)."""
    match = _resolved(task.source_url) if task.source_url else None
    if match is None:
        return ""
    if match.view_name == "complaints:complaint-detail":
        return task.source_url if visible_complaints(user).filter(pk=match.kwargs["pk"]).exists() else ""
    if match.view_name == "linkage:anomaly-detail":
        return task.source_url if linkage_queries.may_open_anomaly_report(user, match.kwargs["pk"]) else ""
    return task.source_url
