"""Celery tasks of dispatch meetings: thin, idempotent wrappers around ``meetings.services``.

The worker finds this module by autodiscovery. The task keeps the name it was registered under when
meetings were part of ``linkage``, so queued messages and the beat schedule stored in the database
still resolve.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from meetings import services as meetings


@shared_task(name="linkage.meeting_tasks.create_quarterly_meeting")
def create_quarterly_meeting(today: str | None = None) -> int | None:
    """Daily: see ``meetings.create_quarterly_meeting`` (R-MTG-1). Returns the id of the meeting
    created, None when it already existed or it is not a meeting month."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    meeting = meetings.create_quarterly_meeting(today=day)
    return meeting.pk if meeting else None
