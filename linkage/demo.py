"""Demo 三监联动 tasks for ``seed_demo``: every state, some overdue, one entered from paper, the
expired-permit leads handed over. Deterministic; written through the services."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bureau.calendar import WorkCalendar
from bureau.models import User
from linkage.models import LinkageTask, SourceKind
from linkage.services import leads, reminders
from linkage.services.tasks import archive_task, close_task, feed_back_task, receive_task, start_linkage_task
from permits.models import Facility
from permits.services import anomalies

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
    # The execution-report demo (permits, seeded first) hands its leads to 执法大队 as tasks of its own.
    if LinkageTask.objects.exclude(source_kind=SourceKind.REPORT_REVIEW).exists():
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
    created += _seed_monitoring_request(today, facilities)
    _seed_anomalies(today, facilities)
    created += len(leads.hand_over_open_leads(today=today))
    reminders.remind_overdue_tasks(today=today)
    return created


def _last_workday(day: date) -> date:
    calendar = WorkCalendar()
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def _seed_monitoring_request(today: date, facilities) -> int:
    """生态科 dispatches a monitoring task to 监测站 at 执法大队's request (R-LNK-2)."""
    handler, head = _people("ecology")
    start_linkage_task(
        by=handler,
        initiator="ecology",
        receivers=["monitoring"],
        requested_by="enforcement",
        description="执法大队现场检查发现废气处理设施疑似不正常运行，请监测站开展执法监测。",
        handler=handler,
        head=head,
        started_on=_last_workday(today - timedelta(days=2)),
        facility=facilities[-1] if facilities else None,
        deadline_workdays=10,
    )
    return 1


def _seed_anomalies(today: date, facilities) -> None:
    """Two holders' anomaly reports (R-ANM-1): one being followed, one closed with its outcome."""
    if len(facilities) < 2:
        return
    clerk = User.objects.get(username="ecology")
    noon = timezone.make_aware(datetime.combine(_last_workday(today - timedelta(days=1)), time(10, 30)))
    anomalies.record_anomaly_report(
        by=clerk,
        facility=facilities[0],
        kind="online_equipment",
        description="废气排放口在线监测设备数据传输中断。",
        started_at=noon - timedelta(hours=2),
        measures="已通知运维单位抢修，期间按规定开展手工监测。",
        channel="phone",
        reporter="单位环保专员（电话）",
        reported_at=noon,
    )
    earlier = timezone.make_aware(datetime.combine(_last_workday(today - timedelta(days=20)), time(9, 0)))
    closed = anomalies.record_anomaly_report(
        by=User.objects.get(username="pollution"),
        facility=facilities[1],
        kind="facility_abnormal",
        description="活性炭吸附装置风机故障停机。",
        started_at=earlier - timedelta(hours=1),
        measures="相关生产线已停产检修。",
        channel="letter",
        reporter="单位书面报告",
        reported_at=earlier,
    )
    anomalies.close_anomaly_report(
        by=User.objects.get(username="pollution"),
        report=closed,
        closed_on=min(earlier.date() + timedelta(days=2), today),
        outcome="风机已更换，恢复正常运行后复产；已要求在执行报告中说明。",
    )


def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo)."""
    count = seed_linkage(today=today)
    return [f"{count} 项三监联动任务"] if count else []
