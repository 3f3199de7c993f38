"""Celery tasks of grading: thin, idempotent wrappers around the services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from grading.models import AnnualGrading, GradingState
from grading.services import gradings


@shared_task(name="grading.tasks.draft_grading")
def draft_grading(grading_id: int) -> str:
    """The work of one draft (R-GRD-1…4); the grading row shows its progress."""
    grading = gradings.draft(grading_id)
    return f"{grading.year}: {grading.get_state_display()}"


@shared_task(name="grading.tasks.january_draft")
def january_draft(today: str | None = None) -> str:
    """Daily in January: drafts last year's grading once, when none was made (or the last one failed).
    A draft 审批科 made, reviewed or confirmed is left as it is."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    if day.month != 1:
        return "not January"
    year = day.year - 1
    existing = AnnualGrading.objects.filter(year=year).first()
    if existing and existing.state != GradingState.FAILED:
        return f"{year}: {existing.get_state_display()}"
    grading = gradings.start_draft(year=year, by=None, queue=draft_grading.delay, today=day)
    return f"{grading.year}: queued"
