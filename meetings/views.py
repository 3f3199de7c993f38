"""Pages of dispatch meetings (调度会) and study sessions (业务学习交流) (R-MTG-1…3, R-LNK-4).

Every bureau section reads the meetings, their agenda, minutes and decisions; 审批科 convenes them and
writes the minutes and decisions (003 第四条). Views parse, check and call ``meetings.services``; the
services' errors come back on the page in Chinese with the user's input kept: ValidationError on the
fields (400), Conflict at the top of the form (409), PermissionDenied as the page's alert (403).
The navigation entry is registered by ``MeetingsConfig.ready``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau import sections
from bureau.access import BUREAU_SECTIONS, section_code, section_required
from bureau.calendar import WorkCalendar
from bureau.documents import exports
from bureau.documents.pdf import pdf_response
from bureau.errors import Conflict
from bureau.models import SectionCode
from bureau.web import DATE_WIDGET, FIX_BELOW, add_service_errors, submit_step
from linkage import queries as linkage_queries
from linkage import rules as linkage_rules
from meetings import documents, queries
from meetings import rules as meeting_rules
from meetings import services as meetings
from meetings.documents import agenda_for_display
from meetings.models import DispatchMeeting

MEETING_SECTIONS = BUREAU_SECTIONS
CONVENER_SECTIONS = (SectionCode.APPROVAL,)
STUDY_RECORDERS = meeting_rules.STUDY_HOST_ROTATION
PAGE_SIZE = 50


# Forms: parse and validate only; every write is a service call ------------------------------------------


class ExtraMeetingForm(forms.Form):
    scheduled_on = forms.DateField(label="拟召开日期", widget=DATE_WIDGET, initial=timezone.localdate)
    topic = forms.CharField(label="会议事由", max_length=200)
    location = forms.CharField(label="会议地点", max_length=200, required=False)
    attendees = forms.CharField(label="参会人员", max_length=500, required=False)


LATE_REASON_HELP = (
    "季度调度会应在2、5、8、11月上旬（1日至10日）召开；安排或召开在10日以后的，须填写推迟原因。"
)


def late_reason_field():
    return forms.CharField(
        label="推迟召开原因",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LATE_REASON_HELP,
    )


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label="拟召开日期", widget=DATE_WIDGET)
    location = forms.CharField(label="会议地点", max_length=200, required=False)
    late_reason = late_reason_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_schedule_%s")
        super().__init__(*args, **kwargs)


class MinutesForm(forms.Form):
    held_on = forms.DateField(label="召开日期", widget=DATE_WIDGET)
    location = forms.CharField(label="会议地点", max_length=200, required=False)
    attendees = forms.CharField(label="参会人员", max_length=500, required=False)
    minutes = forms.CharField(
        label="会议纪要",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="首次保存即记为“已召开”，并按召开日期固定本次会议的议程数据。",
    )
    late_reason = late_reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_minutes_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    text = forms.CharField(label="议定事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label="责任人", coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(
        label="完成期限",
        widget=DATE_WIDGET,
        required=False,
        help_text="有责任人和完成期限的事项列入责任人的待办。",
    )

    def __init__(self, *args, owners, **kwargs):
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)
        self.owners = {user.pk: user for user in owners}
        self.fields["owner"].choices = [("", "（无）")] + [
            (user.pk, f"{user.display_name}（{user.staff.section.short_name}）") for user in owners
        ]

    def clean_owner(self):
        pk = self.cleaned_data["owner"]
        return self.owners[pk] if pk is not None else None


class StudyForm(forms.Form):
    held_on = forms.DateField(label="举办日期", widget=DATE_WIDGET, initial=timezone.localdate)
    host = forms.ChoiceField(label="主持部门")
    topic = forms.CharField(label="学习主题", max_length=200)
    speaker = forms.CharField(
        label="主讲人", max_length=100, required=False, help_text="可为本局人员或外请专家。"
    )
    meeting = forms.TypedChoiceField(label="所在调度会", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, hosts: list[str], meetings_: list[DispatchMeeting], **kwargs):
        super().__init__(*args, **kwargs)
        # Any host in the rotation validates, so the service answers «not your section» (403); the
        # select offers only the hosts this user may record.
        self.fields["host"].choices = [
            (c, sections.SHORT_NAMES[c]) for c in meeting_rules.STUDY_HOST_ROTATION
        ]
        self.fields["host"].widget.choices = [(code, sections.SHORT_NAMES[code]) for code in hosts]
        self.meetings = {m.pk: m for m in meetings_}
        self.fields["meeting"].choices = [("", "（不在调度会上）")] + [(m.pk, m.title) for m in meetings_]

    def clean_meeting(self):
        pk = self.cleaned_data["meeting"]
        return self.meetings[pk] if pk is not None else None


def _may_convene(user) -> bool:
    return user.is_superuser or section_code(user) == SectionCode.APPROVAL


# Meeting list and new meeting ---------------------------------------------------------------------------


@section_required(*MEETING_SECTIONS)
def meeting_list(request):
    """调度会 list: quarterly and extra meetings, newest first, with their open decisions."""
    today = timezone.localdate()
    page = Paginator(queries.meeting_rows(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "rows": list(page.object_list),
            "may_convene": _may_convene(request.user),
            "next_quarter": queries.next_quarter(today),
            "today": today,
        },
    )


@section_required(*MEETING_SECTIONS)
def meeting_export(request):
    """The meeting list as Excel, all pages (``meetings.exports``)."""
    return exports.respond(request, "meetings.meetings")


@section_required(*CONVENER_SECTIONS)
def meeting_new(request):
    """召集临时调度会 (R-MTG-1), for 审批科."""
    if request.method != "POST":
        return render(request, "meetings/new.html", {"form": ExtraMeetingForm()})

    def call(data):
        meeting = meetings.call_extra_meeting(by=request.user, **data)
        return f"已召集{meeting.title}。", meetings.meeting_url(meeting)

    def render_again(*, form, status, alert):
        context = {"form": form or ExtraMeetingForm(request.POST), "alert": alert}
        return render(request, "meetings/new.html", context, status=status)

    return submit_step(request, ExtraMeetingForm(request.POST), call=call, render_again=render_again)


# Meeting detail ---------------------------------------------------------------------------------------------


def _render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    """The meeting page; ``bound`` holds forms that came back with errors, keyed as in the template."""
    user, bound, today = request.user, bound or {}, timezone.localdate()
    meeting = queries.meeting_for_user(user, pk)
    may_convene = _may_convene(user)
    context = {
        "meeting": meeting,
        "agenda": agenda_for_display(queries.meeting_agenda(meeting, today=today)),
        "today": today,
        "may_convene": may_convene,
        "decisions": [
            {
                "decision": d,
                "overdue": d.is_overdue_on(today),
                "may_complete": meetings.may_complete_decision(user, d),
            }
            for d in meeting.decisions.all()
        ],
        "study_sessions": list(meeting.study_sessions.all()),
        "alert": alert,
    }
    if may_convene:
        context["minutes_form"] = bound.get("minutes") or MinutesForm(
            initial={
                "held_on": meeting.held_on or min(meeting.scheduled_on, today),
                "location": meeting.location,
                "attendees": meeting.attendees,
                "minutes": meeting.minutes,
                "late_reason": meeting.late_reason,
                "version": meeting.version,
            }
        )
        if not meeting.is_held:
            context["schedule_form"] = bound.get("schedule") or ScheduleForm(
                initial={
                    "scheduled_on": meeting.scheduled_on,
                    "location": meeting.location,
                    "late_reason": meeting.late_reason,
                }
            )
        context["decision_form"] = bound.get("decision") or DecisionForm(
            owners=list(queries.decision_owners())
        )
    return render(request, "meetings/detail.html", context, status=status)


@section_required(*MEETING_SECTIONS)
def meeting_detail(request, pk):
    """One meeting: its agenda from the data (R-MTG-2, R-LNK-4), minutes, decisions, study sessions."""
    return _render_detail(request, pk)


def _submit(request, pk, form, *, key: str, call, anchor: str):
    """Validate, call the service; on success say so and go back to the page, otherwise show the page
    again with the errors and the user's input."""

    def render_again(*, form, status, alert):
        return _render_detail(request, pk, bound={key: form} if form else None, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=call,
        success_url=reverse("meetings:meeting-detail", args=[pk]) + f"#{anchor}",
        render_again=render_again,
    )


@section_required(*CONVENER_SECTIONS)
@require_POST
def meeting_schedule(request, pk):
    """调整会议安排 of a planned meeting (审批科)."""
    meeting = queries.meeting_for_user(request.user, pk)

    def call(data):
        moved = meetings.reschedule_meeting(by=request.user, meeting=meeting, **data)
        return f"会议安排已调整为 {moved.scheduled_on:%Y-%m-%d}。"

    return _submit(
        request, meeting.pk, ScheduleForm(request.POST), key="schedule", call=call, anchor="schedule"
    )


@section_required(*CONVENER_SECTIONS)
@require_POST
def meeting_minutes(request, pk):
    """记录会议纪要 (审批科): the meeting is held; its agenda is kept as of the day it was held."""
    meeting = queries.meeting_for_user(request.user, pk)

    def call(data):
        meetings.record_minutes(by=request.user, meeting=meeting, **data)
        return "会议纪要已保存。"

    return _submit(request, meeting.pk, MinutesForm(request.POST), key="minutes", call=call, anchor="minutes")


@section_required(*CONVENER_SECTIONS)
@require_POST
def decision_create(request, pk):
    """记录议定事项 (审批科); with an owner and a deadline it goes on the owner's to-do list."""
    meeting = queries.meeting_for_user(request.user, pk)
    form = DecisionForm(request.POST, owners=list(queries.decision_owners()))

    def call(data):
        decision = meetings.add_decision(by=request.user, meeting=meeting, **data)
        if decision.owner and decision.due_on:
            return f"已记录议定事项，并列入{decision.owner.display_name}的待办。"
        return "已记录议定事项。"

    return _submit(request, meeting.pk, form, key="decision", call=call, anchor="decisions")


@section_required(*MEETING_SECTIONS)
@require_POST
def decision_done(request, pk):
    """办结议定事项: its owner or 审批科."""
    decision = queries.decision_for_user(request.user, pk)
    url = reverse("meetings:meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}"
    try:
        meetings.complete_decision(by=request.user, decision=decision, done_on=timezone.localdate())
    except (Conflict, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    except PermissionDenied as exc:
        return _render_detail(request, decision.meeting_id, status=403, alert=str(exc))
    else:
        messages.success(request, "该议定事项已办结。")
    return redirect(url)


@section_required(*MEETING_SECTIONS)
def meeting_pdf(request, pk):
    """The meeting pack as a PDF: agenda with its figures, study sessions, minutes and decisions. A
    long pack (more than ``SYNC_ROWS`` table rows) is made in the background: the button leads to its
    progress page, and the file is downloaded from there when ready."""
    meeting = queries.meeting_for_user(request.user, pk)
    context = documents.pack_context(meeting, today=timezone.localdate())
    if documents.is_long(context):
        job = documents.start_pack(meeting=meeting, rows=documents.table_rows(context), by=request.user)
        return redirect("document-detail", pk=job.pk)
    return pdf_response(documents.pack_pdf(context), documents.pack_filenames(meeting))


@section_required(*MEETING_SECTIONS)
def meeting_task(request, pk, task_pk):
    """A 三监联动 task under review at the meeting, read-only for every section that attends (R-LNK-4,
    R-MTG-2): the slip's blocks and the step log as the linkage page shows them; steps are taken on
    the linkage page by the departments involved."""
    user, today = request.user, timezone.localdate()
    meeting = queries.meeting_for_user(user, pk)
    task = queries.reviewed_task(user, meeting, task_pk, today=today)
    context = {
        "meeting": meeting,
        "task": task,
        "assignments": list(task.assignments.all()),
        "steps": [
            {"step": s, "label": linkage_rules.ACTION_LABELS.get(s.action, s.action)}
            for s in task.steps.all()
        ],
        "deadline": linkage_queries.deadline_of(task, today, WorkCalendar()),
        "waiting_for": linkage_queries.waiting_for(task),
        "side": linkage_rules.SIDES.get(task.initiator.code, ""),
        "source_url": queries.source_link(user, task),
        "opens_in_linkage": linkage_queries.visible_tasks(user).filter(pk=task.pk).exists(),
    }
    return render(request, "meetings/task.html", context)


# Study sessions ------------------------------------------------------------------------------------------


def _study_hosts(user) -> list[str]:
    """The hosts ``user`` may record: their own section, or any for 审批科 (R-MTG-3)."""
    code = section_code(user)
    return [
        host
        for host in meeting_rules.STUDY_HOST_ROTATION
        if meeting_rules.may_record_study(code, host, is_superuser=user.is_superuser)
    ]


def _recent_meetings() -> list[DispatchMeeting]:
    return list(DispatchMeeting.objects.order_by("-scheduled_on", "-id")[:8])


def _render_study(request, *, form=None, status: int = 200, alert: str = ""):
    today = timezone.localdate()
    hosts = _study_hosts(request.user)
    overview = queries.study_overview(today=today)
    if form is None and hosts:
        initial = {"host": overview["next_host"] if overview["next_host"] in hosts else hosts[0]}
        form = StudyForm(initial=initial, hosts=hosts, meetings_=_recent_meetings())
    return render(
        request,
        "meetings/study_list.html",
        {**overview, "form": form, "alert": alert, "today": today},
        status=status,
    )


@section_required(*MEETING_SECTIONS)
def study_list(request):
    """业务学习交流: every session, this year's count against two, the next host in the rotation."""
    return _render_study(request)


@section_required(*STUDY_RECORDERS)
@require_POST
def study_create(request):
    """记录业务学习交流: a section its own, 审批科 any section's (R-MTG-3)."""
    hosts = _study_hosts(request.user)
    form = StudyForm(request.POST, hosts=hosts, meetings_=_recent_meetings())
    status, alert = 400, FIX_BELOW
    try:
        if form.is_valid():
            session = meetings.record_study_session(by=request.user, **form.cleaned_data)
            messages.success(request, f"已记录 {session.held_on:%Y-%m-%d} 的业务学习交流。")
            return redirect("meetings:study-list")
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        status, alert = 403, str(exc)
    return _render_study(request, form=form, status=status, alert=alert)
