"""Pure rules of the platform: working-day arithmetic (R-CAL-1, 003 第十八条).

No database here: a calendar is passed in as a function ``is_workday(date) -> bool``.
"""

from collections.abc import Callable
from datetime import date, timedelta

IsWorkday = Callable[[date], bool]


def add_workdays(start: date, days: int, is_workday: IsWorkday) -> date:
    """The date ``days`` working days after ``start`` (before it, for a negative ``days``).

    ``start`` itself is not counted, so a time limit of 5 working days from 30 September 2025 ends on
    14 October 2025 (National Day holiday 1–8 October, Saturday 11 October a 调休 working day).
    With ``days == 0`` the answer is ``start`` itself.
    """
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    current = start
    while remaining:
        current += step
        if is_workday(current):
            remaining -= 1
    return current


def count_workdays(start: date, end: date, is_workday: IsWorkday) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    The inverse of ``add_workdays``: ``count_workdays(d, add_workdays(d, n), f) == n``.
    """
    if end < start:
        return -count_workdays(end, start, is_workday)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the month's last day when it has no such day:
    31 August + 3 months is 30 November, 30 November + 3 months is 28 (or 29) February. Periods are
    calendar periods (R-CAL-1), so the answer is never moved off a weekend or a holiday."""
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(start.day, (next_first - timedelta(days=1)).day))
