"""Periodic jobs are registered idempotently; the calendar coverage job (R-CAL-1)."""

from datetime import date

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bureau import services
from bureau.models import TodoItem
from bureau.periodic import collect_jobs, register_periodic_jobs
from bureau.tasks import check_calendar_coverage

pytestmark = pytest.mark.django_db

NOTICE = "国务院办公厅关于 2027 年部分节假日安排的通知"


def test_registering_twice_creates_nothing_twice():
    # migrate already registered every job once
    names = [job.name for job in collect_jobs()]
    assert PeriodicTask.objects.filter(name__in=names).count() == len(names) >= 1
    tasks_before, schedules_before = PeriodicTask.objects.count(), CrontabSchedule.objects.count()
    assert register_periodic_jobs() == []
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == (tasks_before, schedules_before)


def test_registration_keeps_the_administrators_schedule():
    task = PeriodicTask.objects.get(task="bureau.tasks.check_calendar_coverage")
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="6", timezone="Asia/Shanghai")
    task.save()
    register_periodic_jobs()
    assert PeriodicTask.objects.get(pk=task.pk).crontab.hour == "6"


def test_r_cal_1_coverage_job_asks_to_confirm_next_year(administrator, approval_head):
    # when: late November 2026, 2026 is published (chinese-calendar knows it), 2027 is not
    outcome = check_calendar_coverage(today="2026-11-22")
    # then: the administrators are asked to confirm 2027, the heads not yet (from 1 December)
    assert outcome == {"2026": "confirmed", "2027": "missing"}
    item = TodoItem.objects.get(key="calendar-confirm-2027:admin")
    assert item.title == "确认 2027 年工作日历" and item.for_superusers
    assert item.due_on == date(2026, 12, 31) and item.url == "/calendar/2027/"
    # and running it again adds nothing
    assert check_calendar_coverage(today="2026-11-22") == {"2026": "confirmed", "2027": "missing"}
    assert TodoItem.objects.filter(key__startswith="calendar-confirm").count() == 1


def test_r_cal_1_coverage_reminder_closes_once_the_year_is_confirmed(administrator):
    check_calendar_coverage(today="2026-11-22")
    services.draft_calendar_year(year=2027, by=administrator)
    assert check_calendar_coverage(today="2026-11-23") == {"2026": "confirmed", "2027": "draft"}
    assert TodoItem.objects.get(key="calendar-confirm-2027:admin").done_at is None
    services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)
    assert check_calendar_coverage(today="2026-11-24") == {"2026": "confirmed", "2027": "confirmed"}
    assert TodoItem.objects.get(key="calendar-confirm-2027:admin").done_by == administrator
