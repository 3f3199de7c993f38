"""The annual meeting of permit holders: the writes (R-MTG-4; 003 第四条).

003 第四条: 每年上半年召开区内排污许可持证单位年会，持证单位主要负责人到会参加。会上，排污许可证后管理工作组
通报上年度排污许可工作整体开展情况与持证单位年度等级评定结果，对持证单位提出管理要求。年会前，排污许可证后管理
工作组对区内所有持证单位上年度"按证排污"情况进行等级评定. 审批科 organises it (003 第三条: 组织…持证单位年会).

- ``plan_annual_meeting``: 审批科 plans the year's meeting in its first half, once the work group has
  confirmed last year's grading; a row of attendance is made for every holder graded in it.
- ``update_plan``: date, place, notice number and draft report of a meeting not yet held.
- ``record_held``: the meeting was held: the day, the report of last year's work and the management
  requirements presented are kept.
- ``record_attendance``: whether each holder's principal came (absent: with the reason).

Every service takes the acting user keyword-only, checks that it is 审批科 (or the administrator),
and records who did what in the rows' history (R-RET-1). A refusal is in Chinese and leaves nothing
half-written.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history, sections
from bureau.access import Viewer
from bureau.errors import Conflict
from bureau.models import User
from grading.models import AnnualGrading, FacilityGrade
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, AttendanceStatus, MeetingStatus

ORGANISERS = frozenset({sections.APPROVAL})
NOT_ORGANISER = "持证单位年会由审批科组织：只有审批科可以安排年会、记录召开情况和到会情况，其他科室只能查看。"
HELD = "年会已召开，会议安排和会议记录不能再修改。"
PRINCIPAL_MAX, REASON_MAX = 50, 300


def may_organise(user) -> bool:
    return Viewer.of(user).in_sections(ORGANISERS)


def _require_organiser(by: User) -> None:
    if not may_organise(by):
        raise PermissionDenied(NOT_ORGANISER)


def meeting_url(meeting: AnnualMeeting) -> str:
    return reverse("meetings:annual-detail", args=[meeting.year])


# Pure checks ----------------------------------------------------------------------------------------------


def first_half_error(year: int, day: date, what: str) -> str | None:
    """``day`` is in the first half of ``year`` (1 January to 30 June), as 003 第四条 每年上半年 asks."""
    if day.year != year or day.month > 6:
        return f"{what}应在{year}年上半年（1月1日至6月30日）：持证单位年会每年上半年召开。"
    return None


def grading_error(grading: AnnualGrading | None, year: int) -> str | None:
    """The grading of the year before ``year`` exists and the work group's 组长 has confirmed it."""
    if grading is None or not grading.is_confirmed:
        state = "尚未起草" if grading is None else f"尚未确认（{grading.get_state_display()}）"
        return (
            f"{year - 1}年度持证单位等级评定{state}，不能安排{year}年度年会："
            "年会前，排污许可证后管理工作组对区内所有持证单位上年度“按证排污”情况进行等级评定，"
            "年会通报评定结果。请待工作组组长确认评定结果后再安排。"
        )
    return None


def agenda_of(meeting: AnnualMeeting) -> list[str]:
    """The meeting's agenda as 003 第四条 sets it."""
    graded = meeting.graded_year
    return [
        f"通报{graded}年度排污许可工作整体开展情况",
        f"通报{graded}年度持证单位等级评定结果",
        "对持证单位提出管理要求",
    ]


# Planning ------------------------------------------------------------------------------------------------


def _plan_errors(*, year: int, scheduled_on: date, location: str) -> dict[str, str]:
    errors = {}
    if message := first_half_error(year, scheduled_on, "会议日期"):
        errors["scheduled_on"] = message
    if not location.strip():
        errors["location"] = "请填写会议地点。"
    return errors


@transaction.atomic
def plan_annual_meeting(
    *, by: User, scheduled_on: date, location: str, notice_number: str = "", work_report: str = ""
) -> AnnualMeeting:
    """审批科 plans the annual meeting of ``scheduled_on``'s year (R-MTG-4): in the first half of the
    year, after the grading of the year before is confirmed, once a year (a second is ``Conflict``).
    Every holder graded in that grading gets an attendance row (one insert, with its history)."""
    _require_organiser(by)
    year = scheduled_on.year
    errors = _plan_errors(year=year, scheduled_on=scheduled_on, location=location)
    if errors:
        raise ValidationError(errors)
    if AnnualMeeting.objects.filter(year=year).exists():
        raise Conflict(f"{year}年度持证单位年会已经安排，每年召开一次，不能重复安排。")
    grading = AnnualGrading.objects.filter(year=year - 1).first()
    if message := grading_error(grading, year):
        raise ValidationError({"scheduled_on": message})
    meeting = AnnualMeeting(
        year=year,
        graded_year=grading.year,
        grading=grading,
        scheduled_on=scheduled_on,
        location=location.strip(),
        notice_number=notice_number.strip(),
        work_report=work_report.strip(),
        created_by=by,
    )
    try:
        with transaction.atomic():
            history.save(meeting, by=by, reason="安排持证单位年会")
    except IntegrityError:
        raise Conflict(f"{year}年度持证单位年会刚刚已由他人安排，请刷新后查看。") from None
    graded = FacilityGrade.objects.filter(grading=grading).values_list("pk", "facility_id").order_by("pk")
    history.bulk_create(
        [
            AnnualMeetingAttendance(meeting=meeting, facility_id=facility_id, facility_grade_id=grade_id)
            for grade_id, facility_id in graded
        ],
        AnnualMeetingAttendance,
        by=by,
        reason="按年度等级评定结果列入参会单位",
    )
    return meeting


def _locked(meeting: AnnualMeeting) -> AnnualMeeting:
    return AnnualMeeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def update_plan(
    *,
    by: User,
    meeting: AnnualMeeting,
    scheduled_on: date,
    location: str,
    notice_number: str = "",
    work_report: str = "",
) -> AnnualMeeting:
    """Change the date, place, notice number or draft report of a meeting not yet held (审批科); the
    date stays in the first half of the meeting's year (R-MTG-4)."""
    _require_organiser(by)
    meeting = _locked(meeting)
    if meeting.is_held:
        raise Conflict(HELD)
    errors = _plan_errors(year=meeting.year, scheduled_on=scheduled_on, location=location)
    if errors:
        raise ValidationError(errors)
    meeting.scheduled_on, meeting.location = scheduled_on, location.strip()
    meeting.notice_number, meeting.work_report = notice_number.strip(), work_report.strip()
    return history.save(meeting, by=by, reason="调整年会安排")


@transaction.atomic
def record_held(
    *, by: User, meeting: AnnualMeeting, held_on: date, work_report: str, requirements: str
) -> AnnualMeeting:
    """The meeting was held (审批科, R-MTG-4): on ``held_on`` (in the first half of its year, not in
    the future), where the work group reported last year's permit work (``work_report``) and presented
    its management requirements to the holders (``requirements``), both kept with the meeting. Once."""
    _require_organiser(by)
    meeting = _locked(meeting)
    if meeting.is_held:
        raise Conflict(HELD)
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "召开日期不能晚于今天；年会召开后再记录。"
    elif message := first_half_error(meeting.year, held_on, "召开日期"):
        errors["held_on"] = message
    if not work_report.strip():
        errors["work_report"] = "请填写会上通报的上年度排污许可工作整体开展情况。"
    if not requirements.strip():
        errors["requirements"] = "请填写会上对持证单位提出的管理要求。"
    if errors:
        raise ValidationError(errors)
    meeting.status, meeting.held_on = MeetingStatus.HELD, held_on
    meeting.work_report, meeting.requirements = work_report.strip(), requirements.strip()
    meeting.recorded_by, meeting.recorded_at = by, timezone.now()
    return history.save(meeting, by=by, reason="记录年会召开情况")


# Attendance ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """What the clerk entered for one attendance row."""

    id: int
    principal: str
    status: str
    absence_reason: str = ""


def row_key(pk: int) -> str:
    """The key of one row's error in the ``ValidationError`` ``record_attendance`` raises."""
    return f"attendance-{pk}"


def _entry_error(entry: AttendanceEntry, meeting_started: bool) -> str | None:
    if entry.status not in AttendanceStatus.values:
        return "到会情况只能是未登记、到会或缺席。"
    if len(entry.principal.strip()) > PRINCIPAL_MAX:
        return f"主要负责人姓名不超过{PRINCIPAL_MAX}个字。"
    if len(entry.absence_reason.strip()) > REASON_MAX:
        return f"缺席原因不超过{REASON_MAX}个字。"
    if entry.status != AttendanceStatus.PENDING and not meeting_started:
        return "年会尚未召开，召开后再登记到会情况（会前可先填写主要负责人）。"
    if entry.status == AttendanceStatus.ABSENT and not entry.absence_reason.strip():
        return "主要负责人缺席的，请写明原因。"
    return None


@transaction.atomic
def record_attendance(*, by: User, meeting: AnnualMeeting, entries: list[AttendanceEntry]) -> int:
    """审批科 records, for each holder, its principal's name and whether the principal came to the
    meeting (R-MTG-4: 持证单位主要负责人到会参加); an absence needs its reason. Whether someone came
    is recorded from the meeting's day on; the names may be entered before. ``entries`` name rows of
    this meeting only. All rows are checked first: one wrong row saves none. Only changed rows are
    written, in a fixed number of queries however many there are, each with its history row. Returns
    the number of rows changed."""
    _require_organiser(by)
    meeting = _locked(meeting)
    started = meeting.is_held or meeting.scheduled_on <= timezone.localdate()
    rows = {
        row.pk: row
        for row in AnnualMeetingAttendance.objects.filter(
            meeting=meeting, pk__in=[e.id for e in entries]
        ).select_related("facility")
    }
    errors = {}
    for entry in entries:
        row = rows.get(entry.id)
        if row is None:
            errors[row_key(entry.id)] = "该单位不在本次年会的参会单位中。"
        elif message := _entry_error(entry, started):
            errors[row_key(entry.id)] = f"{row.facility.name}：{message}"
    if errors:
        raise ValidationError(errors)
    now, changed = timezone.now(), []
    for entry in entries:
        row = rows[entry.id]
        reason = entry.absence_reason.strip() if entry.status == AttendanceStatus.ABSENT else ""
        values = (entry.principal.strip(), entry.status, reason)
        if values != (row.principal, row.status, row.absence_reason):
            row.principal, row.status, row.absence_reason = values
            row.recorded_by, row.recorded_at = by, now
            changed.append(row)
    if changed:
        fields = ["principal", "status", "absence_reason", "recorded_by", "recorded_at"]
        AnnualMeetingAttendance.objects.bulk_update(changed, fields, batch_size=500)
        AnnualMeetingAttendance.history.bulk_history_create(
            changed, update=True, default_user=by, default_change_reason="登记年会到会情况"
        )
    return len(changed)
