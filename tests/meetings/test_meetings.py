"""Dispatch meetings and study sessions (R-MTG-1…3, R-LNK-4; 003 第四条): the pure rules, the quarterly
job, the agenda built from the data, decisions on the to-do list, the meeting pack PDF, who may do
what, and the query budgets of the pages."""

import io
import logging
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pypdf import PdfReader

from bureau.calendar import package_day
from bureau.errors import Conflict
from bureau.models import SectionCode, TodoItem
from bureau.todo import complete_todo, todos_for
from linkage import agenda as linkage_agenda
from linkage.services.tasks import archive_task, close_task, feed_back_task, receive_task
from meetings import queries
from meetings import rules as r
from meetings import services as meetings
from meetings.agenda import headings
from meetings.models import DispatchMeeting, MeetingDecision, MeetingKind, MeetingStatus, StudySession
from meetings.tasks import create_quarterly_meeting
from permits.models import Facility, PermitEventKind
from permits.services.facilities import update_facility
from permits.services.permits import record_permit_event
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory, PermitFactory, RegistrationFactory


def workday(day: date) -> bool:
    """The chinese-calendar package's answer, as the bureau's calendar gives it without table rows."""
    return package_day(day)[0]


# R-MTG-1: quarterly meetings in the first ten days of February, May, August, November -------------------


def test_r_mtg_1_first_workday_of_may_2025_follows_the_labour_day_holiday():
    assert r.first_workday_of_month(2025, 5, workday) == date(2025, 5, 6)


def test_r_mtg_1_first_workday_of_february_2026_and_november_2025():
    assert r.first_workday_of_month(2026, 2, workday) == date(2026, 2, 2)  # 1 February is a Sunday
    assert r.first_workday_of_month(2025, 11, workday) == date(2025, 11, 3)  # 1 November is a Saturday
    assert r.first_workday_of_month(2025, 2, workday) == date(2025, 2, 5)  # Spring Festival until 4 February


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2025, 2, date(2025, 2, 5)),
        (2025, 5, date(2025, 5, 6)),
        (2025, 8, date(2025, 8, 5)),
        (2025, 11, date(2025, 11, 5)),
        (2026, 2, date(2026, 2, 5)),
        (2026, 5, date(2026, 5, 6)),
    ],
)
def test_r_mtg_1_default_date_is_a_working_day_within_the_first_ten_days(year, month, expected):
    day = r.default_meeting_date(year, month, workday)
    assert day == expected
    assert workday(day) and 1 <= day.day <= 10


def test_r_mtg_1_default_date_falls_back_to_the_first_working_day_when_5th_to_10th_are_off():
    # given: a month whose 5th to 12th are all rest days
    def calendar(day):
        return not 5 <= day.day <= 12

    assert r.default_meeting_date(2025, 8, calendar) == date(2025, 8, 1)


def test_r_mtg_1_the_quarter_is_due_from_its_first_working_day_to_the_end_of_the_month():
    assert r.quarter_due(date(2025, 4, 30), workday) is None
    assert r.quarter_due(date(2025, 5, 5), workday) is None  # still the Labour Day holiday
    assert r.quarter_due(date(2025, 5, 6), workday) == (2025, 5)
    assert r.quarter_due(date(2025, 5, 31), workday) == (2025, 5)
    assert r.quarter_due(date(2025, 6, 3), workday) is None
    assert [m for m in range(1, 13) if r.is_quarter_month(m)] == [2, 5, 8, 11]


def test_r_mtg_1_a_late_run_plans_the_meeting_from_today():
    assert r.scheduled_date(2025, 5, date(2025, 5, 6), workday) == date(2025, 5, 6)
    assert r.scheduled_date(2025, 11, date(2025, 11, 3), workday) == date(2025, 11, 5)
    # the job ran only on Saturday 15 November: the next working day
    assert r.scheduled_date(2025, 11, date(2025, 11, 15), workday) == date(2025, 11, 17)


def test_r_mtg_1_a_quarterly_meeting_after_the_10th_is_late_an_extra_one_never():
    assert not r.is_late(5, date(2025, 5, 10))
    assert r.is_late(5, date(2025, 5, 11))
    assert not r.is_late(None, date(2025, 5, 20))


def test_r_mtg_1_a_late_date_needs_a_reason():
    assert r.late_reason_error(5, date(2025, 5, 9), "") is None
    assert r.late_reason_error(5, date(2025, 5, 12), "会议室检修") is None
    assert r.late_reason_error(5, date(2025, 5, 12), "  ") == (
        "季度调度会应在5月上旬（1日至10日）召开；2025-05-12 已过上旬，请填写推迟召开的原因。"
    )


def test_r_mtg_1_a_quarterly_meeting_stays_in_its_month():
    assert r.month_error(2025, 5, date(2025, 5, 31), "召开日期") is None
    assert r.month_error(2025, 5, date(2025, 6, 1), "召开日期") == (
        "季度调度会应在 2025 年 5 月召开，召开日期不能是 2025-06-01。"
    )
    assert r.month_error(2025, None, date(2025, 6, 1), "召开日期") is None


def test_r_mtg_1_the_next_quarter_follows_once_this_one_is_held():
    assert r.next_quarter(date(2025, 5, 20), set()) == (2025, 5)
    assert r.next_quarter(date(2025, 5, 20), {(2025, 5)}) == (2025, 8)
    assert r.next_quarter(date(2025, 11, 3), {(2025, 11)}) == (2026, 2)
    assert r.next_quarter(date(2025, 12, 1), set()) == (2026, 2)
    assert r.next_quarter(date(2025, 3, 1), {(2025, 2)}) == (2025, 5)


def test_r_mtg_2_the_agenda_covers_the_time_since_the_previous_meeting():
    assert r.agenda_period(date(2025, 5, 8), date(2025, 2, 6)) == (date(2025, 2, 6), date(2025, 5, 8))
    # without a previous meeting: three months
    assert r.agenda_period(date(2025, 5, 31), None) == (date(2025, 2, 28), date(2025, 5, 31))
    assert r.months_before(date(2025, 2, 10), 3) == date(2024, 11, 10)


# R-MTG-3: study sessions rotate their host, at least two a year ----------------------------------------


def test_r_mtg_3_hosts_rotate_over_the_six_sections():
    assert r.next_study_host([]) == "approval"
    assert r.next_study_host(["approval"]) == "ecology"
    assert r.next_study_host(["approval", "ecology", "pollution", "legal", "enforcement"]) == "monitoring"
    assert r.next_study_host(list(r.STUDY_HOST_ROTATION)) == "approval"
    assert r.next_study_host([*r.STUDY_HOST_ROTATION, "approval"]) == "ecology"


def test_r_mtg_3_the_section_that_waited_longest_hosts_next():
    # 污防科 hosted out of turn: 生态科, which never hosted, comes first
    assert r.next_study_host(["approval", "pollution"]) == "ecology"
    # a host outside the rotation (an invited expert's session for 局领导) does not count
    assert r.next_study_host(["approval", "leadership"]) == "ecology"


def test_r_mtg_3_this_years_count_against_the_minimum_of_two():
    held = [date(2024, 11, 6), date(2025, 2, 6)]
    progress = r.study_progress(held, 2025)
    assert (progress.held, progress.minimum, progress.is_met, progress.remaining) == (1, 2, False, 1)
    assert progress.summary == "今年已举办 1 次，最少 2 次"
    assert r.study_progress([*held, date(2025, 8, 5)], 2025).is_met
    assert r.study_progress([], 2026).remaining == 2


def test_r_mtg_3_a_section_records_its_own_sessions_and_the_approval_section_any():
    assert r.may_record_study("ecology", "ecology")
    assert not r.may_record_study("ecology", "pollution")
    assert r.may_record_study("approval", "monitoring")
    assert not r.may_record_study("leadership", "leadership")  # not a host in the rotation
    assert not r.may_record_study("town", "town")


# The quarterly job ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_mtg_1_job_creates_the_quarters_meeting_once_and_puts_it_on_the_approval_list(approval_clerk):
    # when: the job runs on the first working day of May 2025, and again
    first = create_quarterly_meeting(today="2025-05-06")
    second = create_quarterly_meeting(today="2025-05-06")
    later = create_quarterly_meeting(today="2025-05-20")
    # then: one meeting, planned in the first ten days, convened by 审批科
    meeting = DispatchMeeting.objects.get()
    assert first == meeting.pk and second is None and later is None
    assert (meeting.kind, meeting.year, meeting.quarter_month) == (MeetingKind.QUARTERLY, 2025, 5)
    assert meeting.scheduled_on == date(2025, 5, 6) and meeting.status == MeetingStatus.PLANNED
    assert meeting.convener.code == SectionCode.APPROVAL and meeting.created_by is None
    assert meeting.title == "2025年5月排污许可证后监管工作调度会"
    # and 审批科 has it on its list, once
    item = TodoItem.objects.get(key=f"meeting-convene:{meeting.pk}")
    assert item in todos_for(approval_clerk)
    assert "召集2025年5月排污许可证后监管工作调度会" in item.title and item.due_on == date(2025, 5, 6)
    assert TodoItem.objects.filter(key__startswith="meeting-convene:").count() == 1


@pytest.mark.django_db
def test_r_mtg_1_job_creates_nothing_outside_the_quarter_months_or_before_their_first_workday():
    for day in ("2025-04-30", "2025-05-05", "2025-06-02", "2025-07-01", "2025-12-01", "2026-01-05"):
        assert create_quarterly_meeting(today=day) is None
    assert not DispatchMeeting.objects.exists()
    assert not TodoItem.objects.filter(key__startswith="meeting-convene:").exists()


@pytest.mark.django_db
def test_r_mtg_1_job_never_reopens_the_reminder_once_done():
    meeting = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-11-03"))
    complete_todo(key=f"meeting-convene:{meeting.pk}")
    assert create_quarterly_meeting(today="2025-11-04") is None
    assert TodoItem.objects.get(key=f"meeting-convene:{meeting.pk}").done_at is not None
    assert meeting.scheduled_on == date(2025, 11, 5)


@pytest.mark.django_db
def test_r_mtg_1_the_job_is_registered_daily_at_seven():
    task = PeriodicTask.objects.get(task="linkage.meeting_tasks.create_quarterly_meeting")
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_month) == ("7", "0", "*")
    # the worker imports each app's tasks.py (autodiscovery); the task keeps its registered name
    import meetings.tasks
    from config.celery import app

    assert meetings.tasks.create_quarterly_meeting.name in app.tasks


@pytest.mark.django_db
def test_r_mtg_1_a_quarter_meeting_exists_once_even_when_written_directly(approval_clerk):
    meeting = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-08-05"))
    duplicate = DispatchMeeting(
        kind="quarterly", year=2025, quarter_month=8, scheduled_on=date(2025, 8, 6), convener=meeting.convener
    )
    with pytest.raises(ValidationError, match="该季度的调度会已经存在"):
        duplicate.validate_constraints()
    with pytest.raises(ValidationError, match="季度调度会应在"):
        DispatchMeeting(
            kind="quarterly",
            year=2025,
            quarter_month=6,
            scheduled_on=date(2025, 6, 6),
            convener=meeting.convener,
        ).validate_constraints()


# The agenda from the data (R-MTG-2, R-LNK-4) ---------------------------------------------------------------


def start(personas, heads, initiator, receivers, started_on, **kwargs):
    return LinkageTaskFactory(
        by=personas[initiator],
        initiator=initiator,
        receivers=receivers,
        description=kwargs.pop("description", "监测发现废气排放超标"),
        head=heads[initiator],
        started_on=started_on,
        **kwargs,
    )


def finish(personas, heads, task, code, on, *, archived_on):
    """Receive, feed back, close and archive ``task`` (one receiver ``code``)."""
    receive_task(
        by=personas[code],
        task=task,
        execution="已现场核查",
        handler=personas[code],
        head=heads[code],
        executed_on=on,
    )
    feed_back_task(
        by=personas[code],
        task=task,
        result="已责令整改",
        handler=personas[code],
        head=heads[code],
        fed_back_on=on,
    )
    close_task(by=personas[task.initiator.code], task=task, closed_on=on)
    return archive_task(by=personas["approval"], task=task, archived_on=archived_on)


def backdate(facility, history_type, day):
    """The facility's history rows of ``history_type`` written on ``day`` (the registry writes them now)."""
    when = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
    Facility.history.filter(id=facility.pk, history_type=history_type).update(history_date=when)


def held(meeting_pk, personas, held_on, minutes="会议通报了各部门工作。"):
    meeting = DispatchMeeting.objects.get(pk=meeting_pk)
    return meetings.record_minutes(
        by=personas["approval"], meeting=meeting, held_on=held_on, minutes=minutes, version=meeting.version
    )


@pytest.fixture
def quarter(personas, heads, town_a):
    """February 2025's meeting held on 6 February; May's planned; the quarter's data in between."""
    held(create_quarterly_meeting(today="2025-02-05"), personas, date(2025, 2, 6))
    may = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))
    clerk = personas["approval"]
    # permit holders: one permit before the last meeting, two since; events on both sides
    old = FacilityFactory(town=town_a, by=clerk, name="旧厂有限公司")
    new = FacilityFactory(town=town_a, by=clerk, name="新厂有限公司")
    small = FacilityFactory(town=town_a, by=clerk, management_level="simplified", name="小厂有限公司")
    backdate(old, "+", date(2024, 12, 1))
    backdate(new, "+", date(2025, 3, 3))
    backdate(small, "+", date(2025, 3, 4))
    update_facility(facility=new, by=clerk, changes={"contact_person": "李四"})
    update_facility(facility=new, by=clerk, changes={"contact_person": "王五"})
    backdate(new, "~", date(2025, 3, 10))
    old_permit = PermitFactory(facility=old, by=clerk, issued_on=date(2024, 7, 1), number="P-OLD-001")
    new_permit = PermitFactory(facility=new, by=clerk, issued_on=date(2025, 3, 5), number="P-NEW-001")
    PermitFactory(facility=small, by=clerk, issued_on=date(2025, 4, 1), number="P-SMALL-001")
    record_permit_event(
        by=clerk, permit=old_permit, kind=PermitEventKind.CHANGE, occurred_on=date(2025, 3, 20)
    )
    record_permit_event(
        by=clerk, permit=new_permit, kind=PermitEventKind.REPLACEMENT, occurred_on=date(2025, 4, 10)
    )
    # a registered unit (R-FAC-3: not the permitted one), on the registry before the last meeting
    garage = FacilityFactory(town=town_a, by=clerk, management_level="registered", name="汽修店")
    backdate(garage, "+", date(2024, 12, 1))
    RegistrationFactory(by=clerk, facility=garage, receipt_no="REG-2025-01", registered_on=date(2025, 4, 2))
    # linkage tasks
    tasks = {
        "old": finish(
            personas,
            heads,
            start(personas, heads, "ecology", ["approval"], date(2025, 1, 6)),
            "approval",
            date(2025, 1, 10),
            archived_on=date(2025, 1, 20),
        ),
        "anomaly": start(
            personas,
            heads,
            "monitoring",
            ["enforcement"],
            date(2025, 3, 10),
            deadline_workdays=5,
            source_kind="monitoring_anomaly",
            facility=new,
        ),
        "archived": finish(
            personas,
            heads,
            start(personas, heads, "pollution", ["enforcement"], date(2025, 2, 20)),
            "enforcement",
            date(2025, 2, 26),
            archived_on=date(2025, 4, 20),
        ),
        "fresh": start(personas, heads, "enforcement", ["approval"], date(2025, 4, 28)),
    }
    return {"may": may, "tasks": tasks, "new_permit": new_permit}


def item(agenda, key):
    return next(i for i in agenda["items"] if i["key"] == key)


def figure(agenda, key, label):
    return next(f["value"] for f in item(agenda, key)["figures"] if f["label"] == label)


def table(agenda, key, caption_start):
    return next(t for t in item(agenda, key)["tables"] if t["caption"].startswith(caption_start))


def first_cells(t):
    return [row["cells"][0] for row in t["rows"]]


def test_r_mtg_2_agenda_reports_the_approval_sections_changes_to_permit_holders(quarter):
    # when
    agenda = queries.meeting_agenda(quarter["may"], today=date(2025, 5, 8))
    # then: since the meeting held on 6 February
    assert (agenda["after"], agenda["until"]) == ("2025-02-06", "2025-05-08")
    assert agenda["previous"] == "2025年2月排污许可证后监管工作调度会（2025-02-06）"
    assert [i["heading"] for i in agenda["items"]] == list(headings().values())
    assert figure(agenda, "approval", "新核发排污许可证") == 2
    assert item(agenda, "approval")["figures"][0]["detail"] == "重点管理 1 张，简化管理 1 张"
    assert figure(agenda, "approval", "登记许可证事项") == 4
    assert figure(agenda, "approval", "新增排污登记") == 1
    assert figure(agenda, "approval", "新建档排污单位") == 2
    assert figure(agenda, "approval", "基本信息变更的排污单位") == 1
    assert item(agenda, "approval")["figures"][4]["detail"] == "共修改 2 次"
    by_kind = {
        row["cells"][0]: row["cells"][1]
        for row in table(agenda, "approval", "许可证事项（按事项分类）")["rows"]
    }
    assert by_kind == {"首次申请": "2", "变更": "1", "遗失补办": "1"}
    listed = table(agenda, "approval", "许可证事项明细")["rows"]
    assert [(row["cells"][1], row["cells"][3]) for row in listed] == [
        ("P-NEW-001", "首次申请"),
        ("P-OLD-001", "变更"),
        ("P-SMALL-001", "首次申请"),
        ("P-NEW-001", "遗失补办"),
    ]


def test_r_mtg_2_agenda_reports_monitoring_pollution_and_enforcement_items(quarter):
    tasks = quarter["tasks"]
    agenda = queries.meeting_agenda(quarter["may"], today=date(2025, 5, 8))
    # 生态科、监测站: the monitoring anomaly handed to 执法大队; the later modules are announced
    assert first_cells(table(agenda, "monitoring", "监测异常")) == [tasks["anomaly"].number]
    assert figure(agenda, "monitoring", "其中已逾期") == 1
    assert any("执法监测模块上线后自动汇入" in note for note in item(agenda, "monitoring")["notes"])
    # 污防科: its task, archived in the period
    assert first_cells(table(agenda, "pollution", "污防科")) == [tasks["archived"].number]
    assert figure(agenda, "pollution", "期间发起联动任务") == 1
    # 执法大队: the tasks it received or started; inspections come with a later module
    assert first_cells(table(agenda, "enforcement", "执法大队")) == [
        tasks["archived"].number,
        tasks["anomaly"].number,
        tasks["fresh"].number,
    ]
    assert figure(agenda, "enforcement", "期间接收联动任务") == 2
    assert figure(agenda, "enforcement", "期间完成反馈") == 1
    assert any("现场检查模块上线后" in note for note in item(agenda, "enforcement")["notes"])


def test_r_lnk_4_agenda_reviews_tasks_archived_open_and_overdue_per_department(quarter):
    tasks = quarter["tasks"]
    agenda = queries.meeting_agenda(quarter["may"], today=date(2025, 5, 8))
    rows = {row["cells"][0]: row["cells"][1:] for row in table(agenda, "linkage", "各部门任务情况")["rows"]}
    # started, received, archived in the period, still open, overdue
    assert rows == {
        "审批科": ["0", "1", "0", "1", "0"],
        "生态科": ["0", "0", "0", "0", "0"],
        "污防科": ["1", "0", "1", "0", "0"],
        "监测站": ["1", "0", "0", "1", "1"],
        "执法大队": ["1", "2", "1", "2", "1"],
        "合计（按任务）": ["3", "—", "1", "2", "1"],
    }
    # the archive reviewed at the meeting: archived since February only
    assert first_cells(table(agenda, "linkage", "期间归档")) == [tasks["archived"].number]
    overdue = table(agenda, "linkage", "逾期未办结")["rows"]
    assert [row["cells"][0] for row in overdue] == [tasks["anomaly"].number]
    assert overdue[0]["cells"][4] == "执法大队"


def test_r_lnk_4_the_archive_is_listed_in_the_order_it_was_archived_and_the_rest_counted(
    quarter, personas, heads, monkeypatch
):
    # given: besides the quarter's archived task (污防科 → 执法大队, started 20 February, archived 20
    # April), one started earlier and archived later, and one started later and archived earlier that no
    # other table of the agenda lists (生态科 → 审批科), so only the archive's own pick can bring it
    later = finish(
        personas,
        heads,
        start(personas, heads, "pollution", ["enforcement"], date(2025, 2, 10)),
        "enforcement",
        date(2025, 2, 12),
        archived_on=date(2025, 4, 25),
    )
    earlier = finish(
        personas,
        heads,
        start(personas, heads, "ecology", ["approval"], date(2025, 3, 3)),
        "approval",
        date(2025, 3, 5),
        archived_on=date(2025, 3, 10),
    )
    # when: the agenda is built whole, and with each table cut at two rows
    full = table(queries.meeting_agenda(quarter["may"], today=date(2025, 5, 8)), "linkage", "期间归档")
    monkeypatch.setattr(linkage_agenda, "TABLE_LIMIT", 2)
    cut = table(queries.meeting_agenda(quarter["may"], today=date(2025, 5, 8)), "linkage", "期间归档")
    # then: the period's archive in the order it was archived; cut, the first two and one more counted
    archived = quarter["tasks"]["archived"]
    assert (first_cells(full), full["more"]) == ([earlier.number, archived.number, later.number], 0)
    assert (first_cells(cut), cut["more"]) == ([earlier.number, archived.number], 1)


def test_r_mtg_2_recording_the_minutes_keeps_the_agenda_as_it_was_on_the_day(quarter, personas, heads):
    # given: the May meeting held on 8 May
    may = held(quarter["may"].pk, personas, date(2025, 5, 8))
    assert may.status == MeetingStatus.HELD and may.version == 1
    # when: a task dated before the meeting is entered afterwards
    late = start(personas, heads, "pollution", ["enforcement"], date(2025, 5, 7))
    # then: the meeting's record does not move; a fresh build would show it
    may.refresh_from_db()
    kept = queries.meeting_agenda(may, today=date(2025, 6, 1))
    assert late.number not in first_cells(table(kept, "pollution", "污防科"))
    assert kept["as_of"] == "2025-05-08"
    assert TodoItem.objects.get(key=f"meeting-convene:{may.pk}").done_at is not None


def test_minutes_saved_over_someone_elses_edit_are_refused(quarter, personas, heads):
    may = held(quarter["may"].pk, personas, date(2025, 5, 8))
    with pytest.raises(Conflict, match="刚刚已由他人修改"):
        meetings.record_minutes(
            by=personas["approval"], meeting=may, held_on=date(2025, 5, 8), minutes="另一版本", version=0
        )


def test_agenda_page_shows_the_sections_and_links_the_tasks(client, quarter, personas):
    client.force_login(personas["ecology"])
    page = client.get(reverse("meetings:meeting-detail", args=[quarter["may"].pk])).content.decode()
    for heading in headings().values():
        assert heading in page
    assert quarter["tasks"]["anomaly"].number in page
    assert 'data-form="minutes"' not in page and 'data-form="decision"' not in page


def test_r_mtg_1_approval_moves_a_planned_meeting_within_its_month(client, may, personas):
    client.force_login(personas["approval"])
    url = reverse("meetings:meeting-schedule", args=[may.pk])
    # when
    moved = client.post(url, {"scheduled_on": "2025-05-08", "location": "局三楼会议室"})
    refused = client.post(url, {"scheduled_on": "2025-06-03", "location": ""})
    # then: the reminder follows; a quarterly meeting stays in its month
    assert moved.status_code == 302 and refused.status_code == 400
    assert "季度调度会应在 2025 年 5 月召开" in refused.content.decode()
    may.refresh_from_db()
    assert (may.scheduled_on, may.location) == (date(2025, 5, 8), "局三楼会议室")
    assert TodoItem.objects.get(key=f"meeting-convene:{may.pk}").due_on == date(2025, 5, 8)
    client.force_login(personas["pollution"])
    assert client.post(url, {"scheduled_on": "2025-05-09"}).status_code == 403


# Decisions become to-do items ------------------------------------------------------------------------------


@pytest.fixture
def may(db):
    return DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))


def test_a_decision_with_owner_and_deadline_goes_on_the_owners_list_until_done(client, may, personas):
    owner = personas["pollution"]
    client.force_login(personas["approval"])
    # when: 审批科 records it on the page
    response = client.post(
        reverse("meetings:meeting-decision-create", args=[may.pk]),
        {"text": "污防科核查辖区重点单位治污设施运行情况", "owner": owner.pk, "due_on": "2025-06-30"},
    )
    # then
    assert response.status_code == 302
    decision = MeetingDecision.objects.get()
    item = TodoItem.objects.get(key=f"meeting-decision:{decision.pk}")
    assert item.user == owner and item.due_on == date(2025, 6, 30)
    assert item in todos_for(owner) and "污防科核查辖区重点单位" in item.title
    # and another section may not mark it done
    client.force_login(personas["ecology"])
    assert client.post(reverse("meetings:meeting-decision-done", args=[decision.pk])).status_code == 403
    # the owner does
    client.force_login(owner)
    client.post(reverse("meetings:meeting-decision-done", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.done_on == timezone.localdate() and decision.done_by == owner
    assert TodoItem.objects.get(key=f"meeting-decision:{decision.pk}").done_at is not None
    assert item not in todos_for(owner)
    with pytest.raises(Conflict):
        meetings.complete_decision(by=owner, decision=decision, done_on=timezone.localdate())


def test_a_decision_without_a_deadline_is_not_a_todo(may, personas):
    decision = meetings.add_decision(by=personas["approval"], meeting=may, text="各部门加强沟通协作")
    assert not TodoItem.objects.filter(key=f"meeting-decision:{decision.pk}").exists()
    with pytest.raises(ValidationError, match="请指定责任人"):
        meetings.add_decision(by=personas["approval"], meeting=may, text="按期完成", due_on=date(2025, 6, 1))


def test_a_town_liaison_cannot_own_a_decision(may, personas, town_a_liaison):
    with pytest.raises(ValidationError, match="本局在职工作人员"):
        meetings.add_decision(
            by=personas["approval"], meeting=may, text="核查", owner=town_a_liaison, due_on=date(2025, 6, 1)
        )


# The meeting pack PDF --------------------------------------------------------------------------------------


def test_meeting_pack_prints_agenda_figures_minutes_and_decisions(client, quarter, personas, heads, caplog):
    # given: the May meeting held, with minutes, a decision and a study session
    may = held(quarter["may"].pk, personas, date(2025, 5, 8), minutes="会议审阅了一季度归档的联动任务。")
    meetings.add_decision(
        by=personas["approval"],
        meeting=may,
        text="执法大队加快办理逾期任务",
        owner=personas["enforcement"],
        due_on=date(2025, 5, 30),
    )
    meetings.record_study_session(
        by=personas["approval"],
        held_on=date(2025, 5, 8),
        host="ecology",
        topic="自行监测技术指南解读",
        meeting=may,
    )
    client.force_login(personas["monitoring"])
    # when
    with caplog.at_level(logging.DEBUG):
        response = client.get(reverse("meetings:meeting-pdf", args=[may.pk]))
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "")
    for heading in [may.title, "会议议程", *headings().values(), "业务学习交流", "会议纪要", "议定事项"]:
        assert heading in text, heading
    assert "会议审阅了一季度归档的联动任务。" in text
    assert "执法大队加快办理逾期任务" in text and "自行监测技术指南解读" in text
    assert quarter["tasks"]["archived"].number in text
    assert not [rec for rec in caplog.records if ".notdef" in rec.getMessage()]


# Who may do what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [c for c in SectionCode.values if c != SectionCode.TOWN])
def test_every_bureau_section_reads_meetings_and_study_sessions(client, personas, may, code):
    client.force_login(personas[code])
    assert client.get(reverse("meetings:meeting-list")).status_code == 200
    assert client.get(reverse("meetings:meeting-detail", args=[may.pk])).status_code == 200
    assert client.get(reverse("meetings:study-list")).status_code == 200
    page = client.get(reverse("meetings:meeting-list")).content.decode()
    assert 'data-nav="meetings"' in page


def test_towns_get_403_everywhere(client, town_a_liaison, may, api_client):
    client.force_login(town_a_liaison)
    for url in [
        reverse("meetings:meeting-list"),
        reverse("meetings:meeting-new"),
        reverse("meetings:meeting-detail", args=[may.pk]),
        reverse("meetings:meeting-pdf", args=[may.pk]),
        reverse("meetings:study-list"),
    ]:
        assert client.get(url).status_code == 403, url
    assert 'data-nav="meetings"' not in client.get(reverse("home")).content.decode()
    api_client.force_authenticate(town_a_liaison)
    assert api_client.get("/api/v1/meetings/").status_code == 403


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("approval", 302),
        ("ecology", 403),
        ("pollution", 403),
        ("legal", 403),
        ("enforcement", 403),
        ("monitoring", 403),
        ("leadership", 403),
        ("town", 403),
    ],
)
def test_only_the_approval_section_calls_meetings(client, personas, code, status):
    client.force_login(personas[code])
    response = client.post(
        reverse("meetings:meeting-new"), {"scheduled_on": "2025-06-16", "topic": "夏季臭氧污染防治调度"}
    )
    assert response.status_code == status
    assert DispatchMeeting.objects.filter(kind=MeetingKind.EXTRA).count() == (1 if status == 302 else 0)


def test_only_the_approval_section_records_minutes_and_decisions(client, personas, may):
    for code in ("ecology", "enforcement", "leadership", "town"):
        client.force_login(personas[code])
        minutes = client.post(
            reverse("meetings:meeting-minutes", args=[may.pk]),
            {"held_on": "2025-05-06", "minutes": "纪要", "version": 0},
        )
        decision = client.post(reverse("meetings:meeting-decision-create", args=[may.pk]), {"text": "事项"})
        assert (minutes.status_code, decision.status_code) == (403, 403), code
    with pytest.raises(PermissionDenied, match="只有审批科"):
        meetings.record_minutes(
            by=personas["pollution"], meeting=may, held_on=date(2025, 5, 6), minutes="纪要", version=0
        )
    # 审批科 does
    client.force_login(personas["approval"])
    response = client.post(
        reverse("meetings:meeting-minutes", args=[may.pk]),
        {
            "held_on": "2025-05-06",
            "location": "局三楼会议室",
            "minutes": "会议通报了一季度工作。",
            "version": 0,
        },
    )
    assert response.status_code == 302
    may.refresh_from_db()
    assert may.is_held and may.location == "局三楼会议室" and may.agenda is not None
    # a stale form is a conflict, shown on the page
    stale = client.post(
        reverse("meetings:meeting-minutes", args=[may.pk]),
        {"held_on": "2025-05-06", "minutes": "覆盖", "version": 0},
    )
    assert stale.status_code == 409 and "刚刚已由他人修改" in stale.content.decode()


def test_api_lists_meetings_with_decisions_and_only_the_approval_section_calls_one(api_client, personas, may):
    meetings.add_decision(
        by=personas["approval"], meeting=may, text="各部门报送材料", owner=personas["legal"]
    )
    api_client.force_authenticate(personas["leadership"])
    listed = api_client.get("/api/v1/meetings/").json()["results"]
    assert [m["title"] for m in listed] == [may.title]
    assert listed[0]["decisions"][0]["text"] == "各部门报送材料"
    detail = api_client.get(f"/api/v1/meetings/{may.pk}/").json()
    assert [i["key"] for i in detail["agenda"]["items"]] == list(headings())
    body = {"scheduled_on": "2025-06-16", "topic": "夏季臭氧污染防治调度"}
    refused = api_client.post("/api/v1/meetings/", body, format="json")
    assert refused.status_code == 403 and "只有审批科" in refused.json()["detail"]
    api_client.force_authenticate(personas["approval"])
    created = api_client.post("/api/v1/meetings/", body, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "extra"


# Study sessions -------------------------------------------------------------------------------------------


def test_r_mtg_3_study_page_shows_the_count_and_the_next_host(client, personas):
    today = timezone.localdate()
    meetings.record_study_session(
        by=personas["approval"], held_on=today, host="approval", topic="排污许可管理条例"
    )
    client.force_login(personas["ecology"])
    page = client.get(reverse("meetings:study-list")).content.decode()
    assert "今年已举办 1 次，最少 2 次" in page and "还差 1 次" in page
    assert 'data-next-host="ecology"' in page
    # 生态科 records its own session
    response = client.post(
        reverse("meetings:study-create"),
        {"held_on": today.isoformat(), "host": "ecology", "topic": "自行监测技术指南", "speaker": "外请专家"},
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:study-list")).content.decode()
    assert "今年已举办 2 次，最少 2 次" in page and "已达标" in page
    assert 'data-next-host="pollution"' in page


def test_r_mtg_3_a_section_may_not_record_anothers_session(client, personas):
    today = timezone.localdate().isoformat()
    client.force_login(personas["ecology"])
    refused = client.post(
        reverse("meetings:study-create"), {"held_on": today, "host": "pollution", "topic": "x"}
    )
    assert refused.status_code == 403 and "只能记录本部门主持" in refused.content.decode()
    client.force_login(personas["leadership"])
    assert (
        client.post(
            reverse("meetings:study-create"), {"held_on": today, "host": "approval", "topic": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas["approval"])
    ok = client.post(
        reverse("meetings:study-create"), {"held_on": today, "host": "legal", "topic": "行政处罚法"}
    )
    assert ok.status_code == 302
    assert list(StudySession.objects.values_list("host__code", flat=True)) == ["legal"]


# Query budgets ---------------------------------------------------------------------------------------------


@pytest.fixture
def busy_meeting(quarter, personas, heads, town_a):
    """The May meeting with 12 decisions (owners in several sections), 3 study sessions, 30 more
    permit events and 12 more tasks: an N+1 on any of them would show."""
    may, clerk = quarter["may"], personas["approval"]
    owners = [personas[c] for c in ("pollution", "ecology", "enforcement", "monitoring")]
    for n in range(12):
        meetings.add_decision(
            by=clerk, meeting=may, text=f"议定事项{n}", owner=owners[n % 4], due_on=date(2025, 6, 1 + n)
        )
    for host in ("approval", "ecology", "pollution"):
        meetings.record_study_session(
            by=clerk, held_on=date(2025, 5, 6), host=host, topic=f"{host}学习", meeting=may
        )
    for n in range(10):
        facility = FacilityFactory(town=town_a, by=clerk)
        permit = PermitFactory(
            facility=facility, by=clerk, issued_on=date(2025, 3, 1), number=f"P-BUSY-{n:03d}"
        )
        record_permit_event(
            by=clerk, permit=permit, kind=PermitEventKind.CHANGE, occurred_on=date(2025, 3, 2)
        )
        record_permit_event(
            by=clerk, permit=permit, kind=PermitEventKind.REPLACEMENT, occurred_on=date(2025, 3, 3)
        )
    for n in range(12):
        start(
            personas,
            heads,
            ("monitoring", "pollution", "ecology")[n % 3],
            ["enforcement", "approval"],
            date(2025, 4, 1 + n),
        )
    return may


@pytest.mark.today(date(2025, 5, 8))
def test_meeting_detail_costs_fixed_queries(client, busy_meeting, personas, django_assert_num_queries):
    client.force_login(personas["approval"])
    # Expect 27 queries: session, user with staff/section/town, the meeting with convener and creator,
    # its decisions with owner/staff/section and closer, its study sessions with host, the previous
    # meeting held; the agenda: permits issued by level, permit events by kind, the events listed with
    # permit and facility, registrations, facility history by type; the linkage figures as aggregates
    # (tasks by initiator, assignments by receiver, the monitoring anomalies), the tasks the tables show
    # with initiator and facility, their assignments with section, the work calendar of 2025 (overdue
    # working days);
    # each section's registry updates: the facilities created (a count), the history of the facilities
    # changed, compared; then the history of
    # permits, permit events, registrations, outlets, limits, penalties and complaints by type (7);
    # the owners offered by the decision form.
    with django_assert_num_queries(27):
        response = client.get(reverse("meetings:meeting-detail", args=[busy_meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-decision="') == 12 and page.count('data-study="') == 3


def more_tasks(personas, heads, count):
    """``count`` more tasks started in April 2025 by three departments, sent to two: overdue by May."""
    for n in range(count):
        start(
            personas,
            heads,
            ("monitoring", "pollution", "ecology")[n % 3],
            ["enforcement", "approval"],
            date(2025, 4, 1 + n % 20),
            source_kind=("monitoring_anomaly", "manual")[n % 2],
        )


def page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.today(date(2025, 5, 8))
def test_meeting_detail_costs_the_same_queries_with_few_and_many_tasks(client, quarter, personas, heads):
    client.force_login(personas["ecology"])
    more_tasks(personas, heads, 3)
    few = page_queries(client, quarter["may"])
    more_tasks(personas, heads, 30)
    assert page_queries(client, quarter["may"]) == few


@pytest.mark.today(date(2025, 5, 8))
def test_api_meeting_costs_fixed_queries(api_client, busy_meeting, personas, django_assert_num_queries):
    api_client.force_authenticate(personas["monitoring"])
    # Expect 24 queries: the meeting with convener and creator, its decisions with owner/staff/section
    # and closer, its study sessions with host, the previous meeting held; the agenda as on the page:
    # permits 5, linkage 6 (three aggregates, the tasks shown, their assignments, the calendar of 2025),
    # each section's registry updates 9 (facilities created, facilities changed, seven histories).
    with django_assert_num_queries(24):
        response = api_client.get(reverse("api-meeting-detail", args=[busy_meeting.pk]))
    assert response.status_code == 200 and len(response.json()["agenda"]["items"]) == len(headings())


def test_agenda_tables_show_their_first_rows_in_order_and_count_the_rest(busy_meeting, monkeypatch):
    # given: the agenda with every task shown
    full = queries.meeting_agenda(busy_meeting, today=date(2025, 5, 8))
    # when: each table is cut at two rows (picked and ordered by the database)
    monkeypatch.setattr(linkage_agenda, "TABLE_LIMIT", 2)
    cut = queries.meeting_agenda(busy_meeting, today=date(2025, 5, 8))
    # then: the same two first rows, the rest counted, the figures unchanged
    checked = 0
    for key in ("monitoring", "pollution", "enforcement", "linkage"):
        assert item(cut, key)["figures"] == item(full, key)["figures"]
        for whole, first in zip(item(full, key)["tables"], item(cut, key)["tables"], strict=True):
            if whole["caption"].startswith("各部门任务情况"):
                assert first == whole
                continue
            assert whole["more"] == 0
            assert first["rows"] == whole["rows"][:2]
            assert first["more"] == max(len(whole["rows"]) - 2, 0)
            checked += len(whole["rows"]) > 2
    assert checked >= 3, "the busy meeting fills most tables beyond two rows"


def test_held_meeting_detail_reads_its_kept_agenda(
    client, busy_meeting, personas, heads, django_assert_num_queries
):
    held(busy_meeting.pk, personas, date(2025, 5, 8))
    client.force_login(personas["ecology"])
    # Expect 5 queries: session, user, the meeting, its decisions, its study sessions (the agenda is kept
    # with the meeting; no forms for a section that does not convene).
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:meeting-detail", args=[busy_meeting.pk]))
    assert response.status_code == 200 and response.content.decode().count('data-decision="') == 12


def test_meeting_list_costs_fixed_queries(client, personas, django_assert_num_queries):
    for n in range(55):
        meeting = meetings.call_extra_meeting(
            by=personas["approval"], scheduled_on=date(2025, 1, 1 + n % 28), topic=f"临时{n}"
        )
        meetings.add_decision(by=personas["approval"], meeting=meeting, text="事项")
    client.force_login(personas["monitoring"])
    # Expect 5 queries: session, user, the count of meetings, the page of 50 with convener and
    # decision counts, the quarters held (the next-meeting line).
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:meeting-list"))
    assert response.content.decode().count('<tr data-meeting="') == 50


def test_study_list_costs_fixed_queries(client, personas, may, django_assert_num_queries):
    for n in range(20):
        meetings.record_study_session(
            by=personas["approval"],
            held_on=date(2025, 1, 1 + n),
            host=r.STUDY_HOST_ROTATION[n % 6],
            topic=f"学习{n}",
            meeting=may,
        )
    client.force_login(personas["approval"])
    # Expect 4 queries: session, user, every session with host, meeting and recorder, the recent
    # meetings offered by the form.
    with django_assert_num_queries(4):
        response = client.get(reverse("meetings:study-list"))
    assert response.content.decode().count('<tr data-study="') == 20
