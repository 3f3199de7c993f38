"""Demo dispatch meeting, study sessions and annual meeting of permit holders for ``seed_demo``, written
through the services."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bureau.calendar import WorkCalendar
from bureau.models import User
from grading.models import AnnualGrading
from meetings import annual
from meetings import rules as meeting_rules
from meetings import services as meetings
from meetings.models import AnnualMeeting, AttendanceStatus, DispatchMeeting


@transaction.atomic
def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): each part once, when there is none yet. It runs after
    grading's demo (apps seed in layer order), which confirms last year's grading."""
    made = []
    calendar = WorkCalendar()
    if not DispatchMeeting.objects.exists():
        _meetings(today, calendar)
        made.append("调度会与业务学习记录")
    if _annual_meeting(today, calendar) is not None:
        made.append("持证单位年会")
    return made


def _meetings(today: date, calendar: WorkCalendar) -> None:
    """A past dispatch meeting with minutes and decisions, and this year's study sessions."""
    approval = User.objects.get(username="approval")
    meeting = meetings.create_quarterly_meeting(today=today)
    if meeting is not None and meeting.is_late:
        # Shown after the first ten days, the quarter's meeting was held in them, as it should be (R-MTG-1).
        on_time = meeting_rules.default_meeting_date(meeting.year, meeting.quarter_month, calendar.is_workday)
        meeting = meetings.reschedule_meeting(by=approval, meeting=meeting, scheduled_on=on_time, location="")
    if meeting is None or meeting.scheduled_on > today:
        held = previous_workday(today - timedelta(days=20), calendar)
        meeting = meetings.call_extra_meeting(
            by=approval, scheduled_on=held, topic="排污许可证后管理工作调度"
        )
    meetings.record_minutes(
        by=approval,
        meeting=meeting,
        held_on=meeting.scheduled_on,
        location="局三楼会议室",
        attendees="审批科、生态科、污防科、法制科、执法大队、环境监测站",
        minutes="一、审批科通报本季度持证单位变更情况。二、监测站通报执法监测发现的超标问题。"
        "三、执法大队通报现场检查情况。四、审议归档的三监联动任务，督办逾期任务。",
        version=meeting.version,
    )
    for username, text, days in (
        ("enforcement_head", "对逾期未反馈的三监联动任务逐项督办", 15),
        ("monitoring_head", "对超标单位开展复测", 20),
    ):
        meetings.add_decision(
            by=approval,
            meeting=meeting,
            text=text,
            owner=User.objects.get(username=username),
            due_on=meeting.scheduled_on + timedelta(days=days),
        )
    for host, topic, ago in (
        ("approval", "排污许可证申请与核发技术规范解读", 200),
        ("enforcement", "清单式执法检查要点交流", 60),
    ):
        held = previous_workday(today - timedelta(days=ago), calendar)
        if held.year == today.year:
            meetings.record_study_session(by=approval, held_on=held, host=host, topic=topic)


def previous_workday(day: date, calendar: WorkCalendar) -> date:
    """``day``, or the working day before it: nobody meets or studies on a weekend or a holiday."""
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


PRINCIPALS = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴芳")


def _annual_meeting(today: date, calendar: WorkCalendar) -> AnnualMeeting | None:
    """This year's annual meeting of permit holders (R-MTG-4), once last year's grading is confirmed:
    held in March with its record and attendance when that is past, otherwise planned ahead."""
    year = today.year
    grading = AnnualGrading.objects.filter(year=year - 1).first()
    if AnnualMeeting.objects.filter(year=year).exists() or grading is None or not grading.is_confirmed:
        return None
    approval = User.objects.get(username="approval")
    in_march = previous_workday(date(year, 3, 20), calendar)
    held = in_march < today
    scheduled_on = in_march if held else _next_workday(today + timedelta(days=15), calendar)
    if scheduled_on > date(year, 6, 30):
        return None
    meeting = annual.plan_annual_meeting(
        by=approval,
        scheduled_on=scheduled_on,
        location="区政务服务中心二楼报告厅",
        notice_number=f"区环许〔{year}〕3号",
    )
    # Planned (and the notice dated) three weeks ahead, after the grading was confirmed: the service
    # stamps the real time of seeding.
    planned_on = min(
        today, max(scheduled_on - timedelta(days=21), timezone.localtime(grading.confirmed_at).date())
    )
    AnnualMeeting.objects.filter(pk=meeting.pk).update(
        created_at=datetime.combine(planned_on, time(10), tzinfo=timezone.get_current_timezone())
    )
    meeting.refresh_from_db()
    if not held:
        return meeting
    meeting = annual.record_held(
        by=approval,
        meeting=meeting,
        held_on=scheduled_on,
        work_report=f"{year - 1}年，全区持证单位按证排污情况总体平稳：完成排污许可执行报告审核，"
        "开展清单式执法检查和执法监测，三监联动任务按期办结，限期整改问题逐项销号。",
        requirements="一、严格按证排污，落实自行监测和信息公开。二、按时提交排污许可执行报告。"
        "三、规范环境管理台账，确保污染防治设施正常运行。四、评为不合格的单位限期整改。",
    )
    rows = list(meeting.attendances.order_by("facility__source_code", "pk"))
    entries = [
        annual.AttendanceEntry(
            id=row.pk,
            principal=PRINCIPALS[i % len(PRINCIPALS)],
            status=AttendanceStatus.ABSENT if i % 9 == 4 else AttendanceStatus.ATTENDED,
            absence_reason="外地出差，已委托分管环保的副总经理参会" if i % 9 == 4 else "",
        )
        for i, row in enumerate(rows)
    ]
    annual.record_attendance(by=approval, meeting=meeting, entries=entries)
    return meeting


def _next_workday(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day
