"""Dispatch meetings and study sessions: the writes (R-MTG-1…3, R-LNK-4; 003 第四条).

The pure rules (dates, rotation, the yearly minimum) are ``meetings.rules``; the reads are
``meetings.queries``; the agenda built from the data is ``meetings.agenda``. Services take the acting user keyword-only, check the
acting section, and record who did what in each record's history (R-RET-1).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history, todo
from bureau.access import BUREAU_SECTIONS, section_code, staff_of
from bureau.calendar import WorkCalendar
from bureau.errors import Conflict
from bureau.models import Section, SectionCode, User
from bureau.todo import add_todo, complete_todo
from meetings import rules as meeting_rules
from meetings.agenda import build_agenda
from meetings.models import DispatchMeeting, MeetingDecision, MeetingKind, MeetingStatus, StudySession

# 003 第四条: 审批科负责调度会的召集.
CONVENER = SectionCode.APPROVAL
NOT_CONVENER = "调度会由审批科召集：只有审批科可以召集会议、记录纪要和议定事项，其他科室只能查看。"


def check_convener(by: User | None) -> None:
    if by is not None and not by.is_superuser and section_code(by) != CONVENER:
        raise PermissionDenied(NOT_CONVENER)


def meeting_url(meeting: DispatchMeeting) -> str:
    return reverse("meetings:meeting-detail", args=[meeting.pk])


def convene_todo_key(meeting: DispatchMeeting) -> str:
    return f"meeting-convene:{meeting.pk}"


# Services: meetings -----------------------------------------------------------------------------------


@transaction.atomic
def create_quarterly_meeting(*, today: date) -> DispatchMeeting | None:
    """Daily job (R-MTG-1): from the first working day of February, May, August or November to the end
    of that month, the quarter's dispatch meeting exists, planned on its default day in the first ten
    days, and 审批科 has «召集调度会» on its to-do list. Returns the meeting created, None when there
    was nothing to create: running it twice creates nothing twice, and a to-do already done is never
    reopened. A year not yet confirmed counts weekends alone (R-CAL-1): the meeting is planned, never
    refused."""
    calendar = WorkCalendar()
    due = meeting_rules.quarter_due(today, calendar.is_workday)
    if due is None:
        return None
    year, month = due
    if DispatchMeeting.objects.filter(kind=MeetingKind.QUARTERLY, year=year, quarter_month=month).exists():
        return None
    scheduled_on = meeting_rules.scheduled_date(year, month, today, calendar.is_workday)
    meeting = DispatchMeeting(
        kind=MeetingKind.QUARTERLY,
        year=year,
        quarter_month=month,
        scheduled_on=scheduled_on,
        convener=Section.objects.get(code=CONVENER),
    )
    if meeting_rules.is_late(month, scheduled_on):
        # The job could not run in the first ten days (the system was down): say so, so the late date
        # never stands without a reason; 审批科 may replace it when it fixes the date.
        meeting.late_reason = f"系统至 {today:%Y-%m-%d} 才生成本季度调度会，上旬已过。"
    history.record(meeting, by=None, reason="定时任务创建季度调度会")
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        return None  # another run created it a moment ago (the unique constraint decided)
    _remind_to_convene(meeting)
    return meeting


def _remind_to_convene(meeting: DispatchMeeting) -> None:
    add_todo(
        key=convene_todo_key(meeting),
        title=f"召集{meeting.title}（拟于 {meeting.scheduled_on:%Y-%m-%d} 召开）",
        url=meeting_url(meeting),
        due_on=meeting.scheduled_on,
        section=meeting.convener,
    )


@transaction.atomic
def call_extra_meeting(
    *, by: User, scheduled_on: date, topic: str, location: str = "", attendees: str = ""
) -> DispatchMeeting:
    """An extra dispatch meeting called by 审批科 when the work calls for it (R-MTG-1, 003 第四条
    调度会也可在其他时间根据工作情况适时召开)."""
    check_convener(by)
    if not topic.strip():
        raise ValidationError({"topic": "请填写会议事由。"})
    meeting = DispatchMeeting(
        kind=MeetingKind.EXTRA,
        year=scheduled_on.year,
        topic=topic.strip(),
        scheduled_on=scheduled_on,
        location=location.strip(),
        attendees=attendees.strip(),
        convener=Section.objects.get(code=CONVENER),
        created_by=by,
    )
    history.record(meeting, by=by, reason="召集临时调度会")
    meeting.save()
    return meeting


def _check_quarter_date(
    meeting: DispatchMeeting, day: date, late_reason: str, *, field: str, what: str
) -> None:
    """A quarterly meeting's date is in its month, and after the 10th only with a reason (R-MTG-1)."""
    month = meeting_rules.month_error(meeting.year, meeting.quarter_month, day, what)
    if month:
        raise ValidationError({field: month})
    late = meeting_rules.late_reason_error(meeting.quarter_month, day, late_reason)
    if late:
        raise ValidationError({"late_reason": late})


def _late_reason(meeting: DispatchMeeting, day: date, late_reason: str) -> str:
    """The reason kept with the meeting: only a late date keeps one."""
    return late_reason.strip() if meeting_rules.is_late(meeting.quarter_month, day) else ""


def _locked(meeting: DispatchMeeting) -> DispatchMeeting:
    return DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def reschedule_meeting(
    *, by: User, meeting: DispatchMeeting, scheduled_on: date, location: str, late_reason: str = ""
) -> DispatchMeeting:
    """Move a planned meeting or set its place (审批科). A quarterly meeting stays in its month, and one
    planned after the 10th is recorded as late with its reason (R-MTG-1, 003 第四条 …上旬)."""
    check_convener(by)
    meeting = _locked(meeting)
    if meeting.is_held:
        raise Conflict("会议已召开，不能再调整会议安排。")
    _check_quarter_date(meeting, scheduled_on, late_reason, field="scheduled_on", what="拟召开日期")
    meeting.scheduled_on, meeting.location = scheduled_on, location.strip()
    meeting.late_reason = _late_reason(meeting, scheduled_on, late_reason)
    if meeting.kind == MeetingKind.EXTRA:
        meeting.year = scheduled_on.year
    history.record(meeting, by=by, reason="调整会议安排")
    meeting.save()
    if todo.is_open(convene_todo_key(meeting)):
        _remind_to_convene(meeting)  # the open reminder follows the new date; one done stays done
    return meeting


@transaction.atomic
def record_minutes(
    *,
    by: User,
    meeting: DispatchMeeting,
    held_on: date,
    minutes: str,
    location: str = "",
    attendees: str = "",
    late_reason: str = "",
    version: int,
) -> DispatchMeeting:
    """审批科 records that the meeting was held, with its minutes (R-MTG-2). A quarterly meeting is held
    in its month; held after the 10th it needs the reason it was late (R-MTG-1). The first time, the
    agenda is built from the data as of ``held_on`` and kept with the meeting, and 审批科's «召集» to-do
    is done. ``version`` is the one the clerk edited: if someone saved the minutes since, ``Conflict``."""
    check_convener(by)
    meeting = _locked(meeting)
    if meeting.version != version:
        raise Conflict("会议纪要刚刚已由他人修改，请刷新页面查看后再编辑。")
    late_reason = late_reason.strip() or meeting.late_reason  # the reason given when it was moved
    errors = {}
    if not minutes.strip():
        errors["minutes"] = "请填写会议纪要。"
    if held_on > timezone.localdate():
        errors["held_on"] = "召开日期不能晚于今天；会议召开后再记录纪要。"
    elif month := meeting_rules.month_error(meeting.year, meeting.quarter_month, held_on, "召开日期"):
        errors["held_on"] = month
    elif late := meeting_rules.late_reason_error(meeting.quarter_month, held_on, late_reason):
        errors["late_reason"] = late
    if errors:
        raise ValidationError(errors)
    first_time = meeting.agenda is None
    if first_time:
        meeting.agenda = build_agenda(meeting, as_of=held_on)
    meeting.held_on, meeting.status = held_on, MeetingStatus.HELD
    meeting.late_reason = _late_reason(meeting, held_on, late_reason)
    meeting.minutes, meeting.location, meeting.attendees = (
        minutes.strip(),
        location.strip(),
        attendees.strip(),
    )
    meeting.version += 1
    history.record(meeting, by=by, reason="记录会议纪要" if first_time else "修改会议纪要")
    meeting.save()
    complete_todo(key=convene_todo_key(meeting), by=by)
    return meeting


# Services: decisions -----------------------------------------------------------------------------------


def _check_owner(owner: User | None) -> None:
    staff = staff_of(owner) if owner is not None else None
    if owner is not None and (
        staff is None or staff.section.code not in BUREAU_SECTIONS or not owner.is_active
    ):
        raise ValidationError({"owner": "责任人应为本局在职工作人员。"})


@transaction.atomic
def add_decision(
    *, by: User, meeting: DispatchMeeting, text: str, owner: User | None = None, due_on: date | None = None
) -> MeetingDecision:
    """A decision of the meeting (会议议定事项), recorded by 审批科. With an owner and a deadline it
    goes on the owner's to-do list until it is marked done."""
    check_convener(by)
    errors = {}
    if not text.strip():
        errors["text"] = "请填写议定事项。"
    if due_on is not None and owner is None:
        errors["owner"] = "有完成期限的事项请指定责任人。"
    if errors:
        raise ValidationError(errors)
    _check_owner(owner)
    decision = MeetingDecision(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on, created_by=by)
    history.record(decision, by=by)
    decision.save()
    if owner is not None and due_on is not None:
        add_todo(
            key=decision.todo_key,
            title=f"调度会议定事项：{decision.text[:80]}",
            url=f"{meeting_url(meeting)}#decision-{decision.pk}",
            due_on=due_on,
            user=owner,
        )
    return decision


def may_complete_decision(user: User, decision: MeetingDecision) -> bool:
    return user.is_superuser or user.pk == decision.owner_id or section_code(user) == CONVENER


@transaction.atomic
def complete_decision(*, by: User, decision: MeetingDecision, done_on: date) -> MeetingDecision:
    """The owner (or 审批科) marks a decision done; its to-do item is done with it. Of two people
    marking it at once, one succeeds and the other gets ``Conflict``."""
    if not may_complete_decision(by, decision):
        raise PermissionDenied("只有该事项的责任人或审批科可以办结议定事项。")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    updated = MeetingDecision.objects.filter(pk=decision.pk, done_on__isnull=True).update(
        done_on=done_on, done_by=by
    )
    if not updated:
        raise Conflict("该议定事项已办结。")
    history.snapshot(decision, by=by, reason="办结")
    complete_todo(key=decision.todo_key, by=by)
    return decision


# Services: study sessions ------------------------------------------------------------------------------


@transaction.atomic
def record_study_session(
    *,
    by: User,
    held_on: date,
    host: str,
    topic: str,
    speaker: str = "",
    meeting: DispatchMeeting | None = None,
) -> StudySession:
    """Record a business study session (R-MTG-3): a section records the ones it hosts, 审批科 any."""
    if not meeting_rules.may_record_study(section_code(by), host, is_superuser=by.is_superuser):
        if host not in meeting_rules.STUDY_HOST_ROTATION:
            raise ValidationError({"host": "主持部门应为局机关相关业务科室、执法大队或环境监测站。"})
        raise PermissionDenied("只能记录本部门主持的业务学习交流；审批科可以记录各部门的。")
    errors = {}
    if not topic.strip():
        errors["topic"] = "请填写学习主题。"
    if held_on > timezone.localdate():
        errors["held_on"] = "举办日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    session = StudySession(
        held_on=held_on,
        host=Section.objects.get(code=host),
        topic=topic.strip(),
        speaker=speaker.strip(),
        meeting=meeting,
        recorded_by=by,
    )
    history.record(session, by=by)
    session.save()
    return session
