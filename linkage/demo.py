"""Demo 三监联动 tasks for ``seed_demo``: every state, some overdue, one entered from paper, the
expired-permit leads handed over. Deterministic; written through the services."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from bureau.calendar import WorkCalendar
from bureau.models import User
from linkage import complaints, meetings
from linkage.models import LinkageTask
from linkage.services import leads, reminders
from linkage.services.tasks import archive_task, close_task, feed_back_task, receive_task, start_linkage_task
from permits.models import Facility

SCENARIOS = [
    # initiator, receivers, description, days ago started, how far it went
    (
        "monitoring",
        ["enforcement"],
        "执法监测发现 DA001 排放口非甲烷总烃浓度 86 mg/m³，超过许可限值 50 mg/m³。",
        60,
        "archive",
    ),
    (
        "ecology",
        ["monitoring", "enforcement"],
        "自行监测数据连续两月缺失，请监测站核查联网情况，执法大队现场检查。",
        45,
        "close",
    ),
    ("pollution", ["enforcement"], "重点监管单位废气治理设施活性炭未按期更换。", 40, "feedback"),
    (
        "enforcement",
        ["approval"],
        "现场检查发现实际排放口多于许可证载明，请审批科核实是否需要变更许可证。",
        30,
        "receive",
    ),
    (
        "approval",
        ["ecology", "pollution"],
        "执行报告中自行监测频次与许可证要求不一致，请生态科、污防科核实。",
        25,
        "start",
    ),
    ("monitoring", ["enforcement", "pollution"], "废水总排口化学需氧量监测结果异常。", 8, "start"),
    ("enforcement", ["monitoring"], "群众反映夜间异味，请监测站夜间执法监测。", 3, "receive"),
]


def _people(code):
    handler = User.objects.get(username=code)
    head = User.objects.get(username=f"{code}_head")
    return handler, head


@transaction.atomic
def seed_linkage(*, today: date | None = None) -> int:
    """Create the demo tasks once; returns how many were created (0 when present)."""
    if LinkageTask.objects.exists():
        return 0
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    facilities = list(Facility.objects.exclude(management_level="registered").order_by("id")[:10])
    created = 0
    for index, (initiator, receivers, description, ago, reach) in enumerate(SCENARIOS):
        started = today - timedelta(days=ago)
        while not calendar.is_workday(started):
            started -= timedelta(days=1)
        handler, head = _people(initiator)
        task = start_linkage_task(
            by=handler,
            initiator=initiator,
            receivers=receivers,
            description=description,
            handler=handler,
            head=head,
            started_on=started,
            facility=facilities[index] if facilities else None,
            deadline_workdays=10,
            source_kind="monitoring_anomaly" if initiator == "monitoring" else "manual",
            from_paper=index == 1,
        )
        created += 1
        step_day = min(started + timedelta(days=3), today)
        if reach in ("receive", "feedback", "close", "archive"):
            for code in receivers:
                h, hd = _people(code)
                receive_task(
                    by=h,
                    task=task,
                    execution="已接收，安排人员现场核查。",
                    handler=h,
                    head=hd,
                    executed_on=step_day,
                )
        if reach in ("feedback", "close", "archive"):
            for code in receivers:
                h, hd = _people(code)
                feed_back_task(
                    by=h,
                    task=task,
                    result="已核查处理，企业已整改到位。",
                    handler=h,
                    head=hd,
                    fed_back_on=min(step_day + timedelta(days=2), today),
                )
        if reach in ("close", "archive"):
            close_task(by=handler, task=task, closed_on=min(step_day + timedelta(days=3), today))
        if reach == "archive":
            archiver = User.objects.get(username="approval")
            archive_task(by=archiver, task=task, archived_on=min(step_day + timedelta(days=4), today))
    created += len(leads.hand_over_open_leads(today=today))
    reminders.remind_overdue_tasks(today=today)
    _meetings(today, calendar)
    _complaints(today, facilities)
    return created


def _meetings(today: date, calendar: WorkCalendar) -> None:
    """A past dispatch meeting with minutes and decisions, and this year's study sessions."""
    approval = User.objects.get(username="approval")
    meeting = meetings.create_quarterly_meeting(today=today)
    if meeting is None or meeting.scheduled_on > today:
        held = today - timedelta(days=20)
        while not calendar.is_workday(held):
            held -= timedelta(days=1)
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
        held = today - timedelta(days=ago)
        if held.year == today.year:
            meetings.record_study_session(by=approval, held_on=held, host=host, topic=topic)


def _complaints(today: date, facilities) -> None:
    """Complaints from several channels, one of them investigated through a linkage task."""
    officer = User.objects.get(username="enforcement")
    head = User.objects.get(username="enforcement_head")
    hotline = complaints.receive_complaint(
        by=officer,
        channel="hotline",
        received_on=today - timedelta(days=12),
        content="夜间厂区排放刺激性气味，影响周边居民休息。",
        facility=facilities[2] if facilities else None,
        reporter=complaints.ReporterInput(name="张建国", phone="13812345678", address="真南路 500 弄 3 号"),
    )
    complaints.start_task_from_complaint(
        by=officer,
        complaint=hotline,
        receivers=["monitoring"],
        handler=officer,
        head=head,
        started_on=today - timedelta(days=11),
    )
    complaints.receive_complaint(
        by=officer,
        channel="web",
        received_on=today - timedelta(days=4),
        content="河道排口疑似偷排废水。",
        reporter=complaints.ReporterInput(is_anonymous=True, phone="13900001111"),
    )
