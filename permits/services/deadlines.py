"""Stored rectification deadlines when a year of the work calendar is confirmed (R-CAL-1)."""

from django.db import transaction

from bureau import calendar, history
from bureau.models import User
from permits.models import RectificationItem


@transaction.atomic
def recompute_provisional_rectification_deadlines(*, year: int, by: User | None) -> int:
    """When the calendar of ``year`` is confirmed (R-CAL-1), count again the deadline of every open item
    whose deadline was provisional, by the confirmed calendar; history records the change and why.
    Closed items keep the deadline they were closed against. Returns the number of items recomputed."""
    items = RectificationItem.objects.select_for_update().filter(
        closed_on__isnull=True, deadline_provisional=True, deadline_workdays__isnull=False
    )
    work_calendar = calendar.WorkCalendar()
    recomputed = 0
    for item in items.order_by("pk"):
        deadline = work_calendar.deadline(item.found_on, item.deadline_workdays)
        before = item.deadline_on
        item.deadline_on, item.deadline_provisional = deadline.on, deadline.is_provisional
        history.save(item, by=by, reason=calendar.recompute_reason(year, before, deadline))
        recomputed += 1
    return recomputed
