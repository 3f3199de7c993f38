"""Periodic jobs are registered idempotently; the calendar coverage job (R-CAL-1)."""

from datetime import date

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bureau import services
from bureau.models import TodoItem
from bureau.periodic import collect_jobs, register_periodic_jobs
from bureau.tasks import check_calendar_coverage

pytestmark = pytest.mark.django_db


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


def test_r_cal_1_coverage_job_seeds_known_years_and_asks_for_unknown_ones(administrator, approval_clerk):
    # when: late November 2026, chinese-calendar knows 2026 but not 2027
    outcome = check_calendar_coverage(today="2026-11-22")
    # then
    assert outcome == {"2026": "seeded", "2027": "missing"}
    item = TodoItem.objects.get(key="calendar-missing-2027")
    assert "2027 年法定节假日" in item.title and item.for_superusers
    assert item.due_on == date(2026, 12, 15)
    # and running it again adds nothing
    assert check_calendar_coverage(today="2026-11-22") == {"2026": "complete", "2027": "missing"}
    assert TodoItem.objects.filter(key__startswith="calendar-missing").count() == 1


def test_r_cal_1_coverage_reminder_closes_once_the_year_is_entered(administrator):
    check_calendar_coverage(today="2026-11-22")
    services.draft_calendar_year(year=2027, by=administrator)
    assert check_calendar_coverage(today="2026-11-23") == {"2026": "complete", "2027": "complete"}
    assert TodoItem.objects.get(key="calendar-missing-2027").done_at is not None


def test_r_cal_1_next_year_is_not_asked_for_before_november():
    assert check_calendar_coverage(today="2026-06-01") == {"2026": "seeded", "2027": "not-yet"}
    assert not TodoItem.objects.exists()
