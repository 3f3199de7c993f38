"""Periodic jobs (Celery beat, django-celery-beat's database scheduler).

Each app lists its jobs in ``<app>/jobs.py`` as ``JOBS``. Registration creates a job only when no job
of that name exists, so running it twice creates nothing twice and the administrator's edits to a
schedule in the admin are never overwritten.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from bureau.plugins import project_modules


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    description: str = ""
    minute: str = "0"
    hour: str = "1"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"


def collect_jobs() -> list[PeriodicJob]:
    return [job for module in project_modules("jobs") for job in module.JOBS]


@transaction.atomic
def register_periodic_jobs(jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Create the missing periodic tasks; return the names created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    for job in collect_jobs() if jobs is None else jobs:
        if PeriodicTask.objects.filter(name=job.name).exists():
            continue
        fields = {
            "minute": job.minute,
            "hour": job.hour,
            "day_of_month": job.day_of_month,
            "month_of_year": job.month_of_year,
            "day_of_week": job.day_of_week,
            "timezone": settings.TIME_ZONE,
        }
        schedule = CrontabSchedule.objects.filter(**fields).first() or CrontabSchedule.objects.create(
            **fields
        )
        PeriodicTask.objects.create(
            name=job.name, task=job.task, crontab=schedule, description=job.description
        )
        created.append(job.name)
    return created


def register_after_migrate(sender, **kwargs):
    """post_migrate: the fixed sections and the periodic jobs exist on every database."""
    from bureau.services import ensure_sections

    using = kwargs.get("using", "default")
    if using != "default":
        return
    ensure_sections()
    register_periodic_jobs()
