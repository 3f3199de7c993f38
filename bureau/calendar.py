"""The work calendar backed by the ``CalendarDay`` table and the chinese-calendar package (R-CAL-1).

A day in the table wins; a day not in the table is asked of chinese-calendar; a year that neither
knows is ``CalendarYearUnknown``, naming the year, never a guess that weekends are the only rest days.
"""

from datetime import date, timedelta

import chinese_calendar

from bureau import rules
from bureau.models import CalendarDay

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


class WorkCalendar:
    """A calendar that reads the table one year at a time (one query per year touched)."""

    def __init__(self):
        self._years: dict[int, dict[date, bool]] = {}

    def _table(self, year: int) -> dict[date, bool]:
        if year not in self._years:
            rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            self._years[year] = dict(rows)
        return self._years[year]

    def is_workday(self, day: date) -> bool:
        table = self._table(day.year)
        if day in table:
            return table[day]
        return package_day(day)[0]

    def add_workdays(self, start: date, days: int) -> date:
        return rules.add_workdays(start, days, self.is_workday)

    def count_workdays(self, start: date, end: date) -> int:
        return rules.count_workdays(start, end, self.is_workday)


def is_workday(day: date) -> bool:
    return WorkCalendar().is_workday(day)


def add_workdays(start: date, days: int) -> date:
    """``days`` working days after ``start`` by the bureau's calendar (R-CAL-1); see ``rules.add_workdays``."""
    return WorkCalendar().add_workdays(start, days)


def count_workdays(start: date, end: date) -> int:
    """Working days in (start, end] by the bureau's calendar (R-CAL-1); see ``rules.count_workdays``."""
    return WorkCalendar().count_workdays(start, end)


def year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def year_is_complete(year: int) -> bool:
    """Whether the table holds every day of ``year``."""
    return CalendarDay.objects.filter(date__year=year).count() == len(year_days(year))
