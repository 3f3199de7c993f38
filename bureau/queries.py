"""Reads of the organisation and the calendar shared by pages and APIs."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from bureau.calendar import CalendarYearUnknown, package_day
from bureau.models import CalendarDay, Section, Staff, Town


def sections_with_staff() -> QuerySet[Section]:
    """Sections with their staff, users and towns: three queries for the whole directory."""
    return Section.objects.prefetch_related(
        Prefetch("staff", Staff.objects.select_related("user", "town").order_by("role", "user__username"))
    ).order_by("id")


def active_towns() -> QuerySet[Town]:
    return Town.objects.filter(is_active=True).order_by("code")


@dataclass(frozen=True)
class CalendarCell:
    day: date
    is_workday: bool | None  # None: the year is unknown to table and package
    note: str
    source: str  # "table", "package" or "unknown"

    @property
    def is_adjusted_workday(self) -> bool:
        return bool(self.is_workday) and self.day.weekday() >= 5

    @property
    def is_holiday(self) -> bool:
        return self.is_workday is False and self.day.weekday() < 5


def month_grid(year: int, month: int) -> list[list[CalendarCell | None]]:
    """The weeks (Monday first) of a month, each day with its working-day state: one query."""
    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year, date__month=month)}
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
            elif day in rows:
                cells.append(CalendarCell(day, rows[day].is_workday, rows[day].note, "table"))
            else:
                try:
                    is_workday, note = package_day(day)
                    cells.append(CalendarCell(day, is_workday, note, "package"))
                except CalendarYearUnknown:
                    cells.append(CalendarCell(day, None, "", "unknown"))
        weeks.append(cells)
    return weeks
