"""Stored task deadlines when a year of the work calendar is confirmed (R-CAL-1, R-LNK-7)."""

from django.db import transaction

from bureau import calendar, history
from bureau.models import User
from linkage import rules
from linkage.models import LinkageTask


@transaction.atomic
def recompute_provisional_task_deadlines(*, year: int, by: User | None) -> int:
    """When the calendar of ``year`` is confirmed, count again the deadline of every task still under
    way whose deadline was provisional, by the confirmed calendar; history records the change and why.
    Closed and archived tasks keep the deadline they were closed against. Returns the number of tasks
    recomputed."""
    tasks = LinkageTask.objects.select_for_update().filter(state__in=rules.ACTIVE, deadline_provisional=True)
    work_calendar = calendar.WorkCalendar()
    recomputed = 0
    for task in tasks.order_by("pk"):
        deadline = work_calendar.deadline(task.started_on, task.deadline_workdays)
        before = task.deadline_on
        task.deadline_on, task.deadline_provisional = deadline.on, deadline.is_provisional
        history.save(task, by=by, reason=calendar.recompute_reason(year, before, deadline))
        recomputed += 1
    return recomputed
