"""Reads of the organisation and the calendar shared by pages and APIs."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from bureau.calendar import CalendarYearUnknown, WorkCalendar, package_day, package_knows, year_days
from bureau.models import CalendarDay, CalendarYear, Section, Staff, Town


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


@dataclass(frozen=True)
class CalendarYearState:
    """What the administrator sees of one year of the work calendar (R-CAL-1)."""

    year: int
    row: CalendarYear | None
    is_confirmed: bool
    package_knows: bool
    days_entered: int
    days_in_year: int
    special_days: list[CalendarDay]  # weekdays off and weekends worked, in date order

    @property
    def is_complete(self) -> bool:
        return self.days_entered == self.days_in_year

    @property
    def status_label(self) -> str:
        if self.row is not None:
            return self.row.get_status_display()
        return "已确认（chinese-calendar 已收录）" if self.is_confirmed else "未录入"


def calendar_year_state(year: int) -> CalendarYearState:
    """The year's confirmation, how many days the table holds and its holidays and 调休 days: four queries."""
    row = CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    special = [d for d in days if d.is_workday != (d.date.weekday() < 5)]
    return CalendarYearState(
        year=year,
        row=row,
        is_confirmed=WorkCalendar().is_confirmed(year),
        package_knows=package_knows(year),
        days_entered=len(days),
        days_in_year=len(year_days(year)),
        special_days=special,
    )
