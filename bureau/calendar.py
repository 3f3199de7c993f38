"""The work calendar (R-CAL-1, 003 第十八条): the ``CalendarDay`` table of the years the administrator
has confirmed, chinese-calendar for published years not in the table, weekends alone for the rest.

A year the administrator enters counts by its table only once confirmed (``CalendarYear``, 已确认),
after the State Council published its schedule. A year not confirmed (a draft, or a year nobody has
published yet) never blocks work: its working days are Monday to Friday, and a deadline that falls
in it, or is counted across it, is provisional (暂定) until the year is confirmed. Confirming a year
recomputes the stored provisional deadlines of open items through the recomputers the apps register
(``register_provisional_deadlines``).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.db.models import OuterRef, Subquery
from django.db.models.functions import ExtractYear

from bureau import rules
from bureau.models import CalendarDay, CalendarYear, CalendarYearStatus

PROVISIONAL_HINT = "该年度工作日历尚未确认，期限暂按双休日推算，确认后自动重算。"

# chinese-calendar names holidays in English; the calendar shows the official Chinese names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarYearUnknown(ValueError):
    """Neither the calendar table nor chinese-calendar knows the holidays of ``year``."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"工作日历中没有 {year} 年的节假日安排，无法计算工作日。"
            f"请系统管理员在“工作日历”中录入 {year} 年的安排后再试。"
        )


def package_day(day: date) -> tuple[bool, str]:
    """(is working day, note) for ``day`` according to chinese-calendar; raises for unknown years."""
    return _package_year(day.year)[day]


@functools.cache
def _package_year(year: int) -> dict[date, tuple[bool, str]]:
    """chinese-calendar's answer for every day of ``year``, worked out once per process: the package's
    data is fixed for the installed version, and each of its calls scans every year it knows (about
    0.5 ms), which made counting three years of working days take a second."""
    return {day: _package_day_uncached(day) for day in year_days(year)}


def _package_day_uncached(day: date) -> tuple[bool, str]:
    try:
        is_workday = chinese_calendar.is_workday(day)
        _, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise CalendarYearUnknown(day.year) from None
    name = HOLIDAY_NAMES.get(getattr(holiday, "value", holiday) or "", "")
    if is_workday and day.weekday() >= 5:
        return True, f"调休上班（{name}）" if name else "调休上班"
    if not is_workday and day.weekday() < 5:
        return False, name or "法定节假日"
    return is_workday, name if not is_workday and name else ""


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def weekends_only(day: date) -> bool:
    """A working day of a year not confirmed: Monday to Friday."""
    return day.weekday() < 5


@dataclass(frozen=True)
class WorkdayDate:
    """A date counted in working days, and whether it is provisional (暂定): counted across a year
    whose calendar is not confirmed, so on weekends alone (R-CAL-1)."""

    on: date
    is_provisional: bool


class WorkCalendar:
    """The calendar of one request or job: one query per year touched, which answers both the year's
    table days and whether the year is confirmed.

    A year counts by its table once confirmed. A year with no day in the table counts by chinese-calendar
    when the package knows it (the package holds only published schedules), and on weekends alone
    otherwise. A year whose table is a draft counts on weekends alone, whatever the package says.
    """

    def __init__(self):
        self._years: dict[int, tuple[bool, dict[date, bool]]] = {}
        # Per year, the working days from 1 January up to each day of the year (index: day of year - 1).
        self._running: dict[int, list[int]] = {}

    def _year(self, year: int) -> tuple[bool, dict[date, bool]]:
        """(confirmed, the table's days when confirmed)."""
        if year not in self._years:
            self.read_years([year])
        return self._years[year]

    def read_years(self, years) -> None:
        """Read the days and the status of ``years`` not read yet, in one query: a page counting
        working days over several years reads them at once rather than one query per year."""
        wanted = sorted(set(years) - set(self._years))
        if not wanted:
            return
        status = CalendarYear.objects.filter(year=ExtractYear(OuterRef("date"))).values("status")[:1]
        found: dict[int, list] = {year: [] for year in wanted}
        for day, work, year_status in (
            CalendarDay.objects.filter(date__gte=date(wanted[0], 1, 1), date__lt=date(wanted[-1] + 1, 1, 1))
            .annotate(year_status=Subquery(status))
            .values_list("date", "is_workday", "year_status")
        ):
            if day.year in found:
                found[day.year].append((day, work, year_status))
        for year, rows in found.items():
            if rows:
                status = rows[0][2]
                # Days entered without a year row (through the admin's day list) change a published year
                # and leave an unpublished one unconfirmed.
                confirmed = status == CalendarYearStatus.CONFIRMED or (status is None and package_knows(year))
                self._years[year] = (confirmed, {day: work for day, work, _ in rows} if confirmed else {})
            else:
                self._years[year] = (package_knows(year), {})

    def is_confirmed(self, year: int) -> bool:
        """Whether ``year`` counts by its published schedule; a draft or unknown year does not."""
        return self._year(year)[0]

    def is_workday(self, day: date) -> bool:
        confirmed, table = self._year(day.year)
        if day in table:
            return table[day]
        if confirmed:
            return package_day(day)[0]
        return weekends_only(day)

    def add_workdays(self, start: date, days: int) -> date:
        return rules.add_workdays(start, days, self.is_workday)

    def count_workdays(self, start: date, end: date) -> int:
        """Working days in (start, end], as ``rules.count_workdays``, from running totals per year: a
        page counting the working days to (or past) fifty deadlines walks each year once, not each
        span day by day. Reads the same years as counting day by day would."""
        if end < start:
            return -self.count_workdays(end, start)
        if end == start:
            return 0
        first = start + timedelta(days=1)
        try:
            whole_years = sum(self._running_of(year)[-1] for year in range(first.year, end.year))
            return (
                whole_years + self._running_to(end) - self._running_to(first - timedelta(days=1), first.year)
            )
        except CalendarYearUnknown:
            # A confirmed year missing days the package does not know: count the span alone, as before.
            return rules.count_workdays(start, end, self.is_workday)

    def _running_of(self, year: int) -> list[int]:
        """Working days of ``year`` from 1 January up to each of its days."""
        if year not in self._running:
            total, running = 0, []
            for day in year_days(year):
                total += self.is_workday(day)
                running.append(total)
            self._running[year] = running
        return self._running[year]

    def _running_to(self, day: date, year: int | None = None) -> int:
        """Working days of ``year`` (``day``'s by default) from 1 January up to ``day`` included: 0
        for a day before the year."""
        if year is not None and day.year < year:
            return 0
        return self._running_of(day.year)[day.timetuple().tm_yday - 1]

    def is_provisional(self, start: date, end: date) -> bool:
        """Whether a period from ``start`` to ``end`` touches a year that is not confirmed."""
        first, last = sorted((start, end))
        return not all(self.is_confirmed(year) for year in range(first.year, last.year + 1))

    def deadline(self, start: date, days: int) -> WorkdayDate:
        """``days`` working days after ``start``, with whether the answer is provisional."""
        end = self.add_workdays(start, days)
        return WorkdayDate(end, self.is_provisional(start, end))


def is_workday(day: date) -> bool:
    return WorkCalendar().is_workday(day)


def add_workdays(start: date, days: int) -> date:
    """``days`` working days after ``start`` by the bureau's calendar (R-CAL-1); see ``rules.add_workdays``."""
    return WorkCalendar().add_workdays(start, days)


def count_workdays(start: date, end: date) -> int:
    """Working days in (start, end] by the bureau's calendar (R-CAL-1); see ``rules.count_workdays``."""
    return WorkCalendar().count_workdays(start, end)


def deadline(start: date, days: int) -> WorkdayDate:
    """``days`` working days after ``start`` and whether that is provisional (R-CAL-1)."""
    return WorkCalendar().deadline(start, days)


def is_confirmed(year: int) -> bool:
    return WorkCalendar().is_confirmed(year)


def year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def year_is_complete(year: int) -> bool:
    """Whether the table holds every day of ``year``."""
    return CalendarDay.objects.filter(date__year=year).count() == len(year_days(year))


# Stored deadlines ------------------------------------------------------------------------------------

# Called as ``recompute(year=..., by=...)`` and returning the number of items recomputed: an app that
# stores deadlines counted in working days recomputes, when ``year`` is confirmed, those of its open
# items that were provisional.
Recompute = Callable[..., int]

_RECOMPUTERS: dict[str, Recompute] = {}


def register_provisional_deadlines(label: str, recompute: Recompute) -> None:
    """Register, from an app's ``AppConfig.ready``, how its provisional deadlines are recomputed;
    ``label`` names the items (三监联动任务, 整改问题). Registering a label again replaces it."""
    _RECOMPUTERS[label] = recompute


def recomputers() -> dict[str, Recompute]:
    return dict(_RECOMPUTERS)


def recompute_reason(year: int, before: date, deadline: WorkdayDate) -> str:
    """The history reason of a deadline counted again when ``year`` was confirmed."""
    after = f"{deadline.on:%Y-%m-%d}" + ("（仍暂定）" if deadline.is_provisional else "")
    return f"{year} 年工作日历已确认，期限按确认的日历重算：{before:%Y-%m-%d} → {after}"
