"""Dispatch meetings and study sessions as pure functions (R-MTG-1, R-MTG-3, R-CAL-1; 003 第四条).

No database here: the work calendar comes in as a function ``is_workday(date) -> bool`` and past
study-session hosts as a list of section codes, so the rules test in microseconds.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

IsWorkday = Callable[[date], bool]

# 003 第四条: 每年 2 月、5 月、8 月、11 月的上旬召开调度会.
QUARTER_MONTHS = (2, 5, 8, 11)
# 上旬: the first ten days of a month.
LAST_DAY_OF_FIRST_TEN = 10
# The default meeting day is the first working day from the 5th: a few days after the job puts the
# meeting on the approval section's list, so the departments can prepare what they report.
PREFERRED_FIRST_DAY = 5
# Without an earlier meeting the agenda covers the three months since the quarter before.
FIRST_AGENDA_MONTHS = 3

# 003 第四条: 局机关相关业务科室、执法大队、环境监测站轮流主持业务学习交流, in this order.
STUDY_HOST_ROTATION = ("approval", "ecology", "pollution", "legal", "enforcement", "monitoring")
STUDY_SESSIONS_MINIMUM = 2


def is_quarter_month(month: int) -> bool:
    return month in QUARTER_MONTHS


def first_workday_of_month(year: int, month: int, is_workday: IsWorkday) -> date:
    """The first working day of ``year``-``month`` by the calendar given (R-CAL-1): the first working
    day of May 2025 is 6 May, after the Labour Day holiday of 1–5 May."""
    day = date(year, month, 1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def first_workday_on_or_after(day: date, is_workday: IsWorkday) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def default_meeting_date(year: int, month: int, is_workday: IsWorkday) -> date:
    """The default day of the quarterly meeting in the first ten days (上旬) of ``month`` (R-MTG-1):
    the first working day on or after the 5th if that is still within the 10th, else the first
    working day of the month."""
    preferred = first_workday_on_or_after(date(year, month, PREFERRED_FIRST_DAY), is_workday)
    if preferred.day <= LAST_DAY_OF_FIRST_TEN:
        return preferred
    return first_workday_of_month(year, month, is_workday)


def quarter_due(today: date, is_workday: IsWorkday) -> tuple[int, int] | None:
    """``(year, month)`` of the quarterly meeting that should exist on ``today``, or None: from the
    first working day of February, May, August or November to the end of that month (R-MTG-1)."""
    if not is_quarter_month(today.month):
        return None
    if today < first_workday_of_month(today.year, today.month, is_workday):
        return None
    return today.year, today.month


def scheduled_date(year: int, month: int, today: date, is_workday: IsWorkday) -> date:
    """The date a quarterly meeting created on ``today`` is planned for: the default date, or, when
    the job runs only after it (the system was down), the first working day from ``today``."""
    default = default_meeting_date(year, month, is_workday)
    if today <= default:
        return default
    return first_workday_on_or_after(today, is_workday)


def is_late(quarter_month: int | None, day: date) -> bool:
    """Whether a meeting on ``day`` is late (R-MTG-1, 003 第四条 每年 2 月、5 月、8 月、11 月的上旬): a
    quarterly meeting after the 10th of its month. An extra meeting (``quarter_month`` None) is never
    late: it is called when the work needs it."""
    return quarter_month is not None and day.day > LAST_DAY_OF_FIRST_TEN


def late_reason_error(quarter_month: int | None, day: date, reason: str) -> str | None:
    """The Chinese message refusing a late quarterly date without a reason (R-MTG-1), or None."""
    if not is_late(quarter_month, day) or reason.strip():
        return None
    return (
        f"季度调度会应在{quarter_month}月上旬（1日至10日）召开；"
        f"{day:%Y-%m-%d} 已过上旬，请填写推迟召开的原因。"
    )


def month_error(year: int, quarter_month: int | None, day: date, what: str) -> str | None:
    """A quarterly meeting is held in its own month (R-MTG-1): the message refusing ``day`` in another
    month, or None. ``what`` names the date (拟召开日期, 召开日期)."""
    if quarter_month is None or (day.year, day.month) == (year, quarter_month):
        return None
    return f"季度调度会应在 {year} 年 {quarter_month} 月召开，{what}不能是 {day:%Y-%m-%d}。"


def next_quarter(today: date, held: set[tuple[int, int]]) -> tuple[int, int]:
    """``(year, month)`` of the next quarterly meeting to hold (R-MTG-1): this quarter's month while
    its meeting is not held, else the next quarter month. ``held`` holds the quarters whose meeting
    was held."""
    for year in (today.year, today.year + 1):
        for month in QUARTER_MONTHS:
            if (year, month) >= (today.year, today.month) and (year, month) not in held:
                return year, month
    raise AssertionError("unreachable")


def agenda_period(as_of: date, previous_held_on: date | None) -> tuple[date, date]:
    """The period ``(after, until]`` the agenda reports on (R-MTG-2): since the previous meeting held
    (its day excluded, it reported on that day's data) up to ``as_of``; without one, the three months
    before ``as_of``."""
    if previous_held_on is not None and previous_held_on < as_of:
        return previous_held_on, as_of
    return months_before(as_of, FIRST_AGENDA_MONTHS), as_of


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_study_host(past_hosts: Sequence[str]) -> str:
    """The section to host the next study session (R-MTG-3): the one in the rotation that has gone
    longest without hosting, sections that never hosted first, in rotation order. ``past_hosts`` are
    section codes in the order the sessions were held; hosts outside the rotation are ignored."""
    last_hosted = {code: -1 for code in STUDY_HOST_ROTATION}
    for index, code in enumerate(past_hosts):
        if code in last_hosted:
            last_hosted[code] = index
    return min(STUDY_HOST_ROTATION, key=lambda code: (last_hosted[code], STUDY_HOST_ROTATION.index(code)))


@dataclass(frozen=True)
class StudyProgress:
    """Study sessions held in a year against the minimum (R-MTG-3)."""

    held: int
    minimum: int

    @property
    def is_met(self) -> bool:
        return self.held >= self.minimum

    @property
    def remaining(self) -> int:
        return max(self.minimum - self.held, 0)

    @property
    def summary(self) -> str:
        return f"今年已举办 {self.held} 次，最少 {self.minimum} 次"


def study_progress(
    held_on: Sequence[date], year: int, minimum: int = STUDY_SESSIONS_MINIMUM
) -> StudyProgress:
    """How many of the sessions held on ``held_on`` fall in ``year``, against the minimum of two a
    year (R-MTG-3, 003 第四条 学习交流原则上每年不少于两次)."""
    return StudyProgress(held=sum(1 for day in held_on if day.year == year), minimum=minimum)


def may_record_study(actor: str | None, host: str, *, is_superuser: bool = False) -> bool:
    """A section records the sessions it hosts; 审批科, which convenes the meetings, records any."""
    if host not in STUDY_HOST_ROTATION:
        return False
    return is_superuser or actor == "approval" or actor == host
