"""Demo dispatch meeting and study sessions for ``seed_demo``, written through the services."""

from datetime import date, timedelta

from django.db import transaction

from bureau.calendar import WorkCalendar
from bureau.models import User
from meetings import rules as meeting_rules
from meetings import services as meetings
from meetings.models import DispatchMeeting


@transaction.atomic
def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo): once, when there is no meeting yet."""
    if DispatchMeeting.objects.exists():
        return []
    _meetings(today, WorkCalendar())
    return ["调度会与业务学习记录"]


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
