"""R-CAL-1: the calendar table overrides chinese-calendar; the administrator can enter a new year."""

from datetime import date

import pytest

from bureau import calendar, services
from bureau.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_r_cal_1_table_overrides_the_package(administrator):
    # given: a day the package calls a working day is declared a rest day by the administrator
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    # when / then
    assert calendar.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 15)
    assert calendar.count_workdays(date(2025, 9, 30), date(2025, 10, 15)) == 5


def test_r_cal_1_a_year_entered_by_hand_is_used(administrator):
    # given: 2027 is unknown to chinese-calendar
    with pytest.raises(calendar.CalendarYearUnknown, match="2027"):
        calendar.add_workdays(date(2027, 1, 4), 3)
    # when: the administrator drafts 2027 and marks a holiday
    added = services.draft_calendar_year(year=2027, by=administrator)
    services.set_calendar_day(day=date(2027, 1, 5), is_workday=False, note="演示假日", by=administrator)
    # then
    assert added == 365
    assert calendar.add_workdays(date(2027, 1, 4), 3) == date(2027, 1, 8)


def test_r_cal_1_part_of_an_unknown_year_is_not_a_guess(administrator):
    services.set_calendar_day(day=date(2027, 1, 1), is_workday=False, note="元旦", by=administrator)
    with pytest.raises(calendar.CalendarYearUnknown, match="2027 年"):
        calendar.add_workdays(date(2026, 12, 31), 3)


def test_r_cal_1_seeding_is_idempotent_and_keeps_manual_edits(administrator):
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    assert services.seed_calendar_year(year=2025) == 364
    assert services.seed_calendar_year(year=2025) == 0
    assert CalendarDay.objects.filter(date__year=2025).count() == 365
    kept = CalendarDay.objects.get(date=date(2025, 10, 9))
    assert (kept.is_workday, kept.note) == (False, "临时休息")
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).note == "调休上班（国庆节）"


def test_r_cal_1_seeding_a_year_the_package_does_not_know_names_it():
    with pytest.raises(calendar.CalendarYearUnknown, match="2030 年"):
        services.seed_calendar_year(year=2030)


def test_r_cal_1_calendar_change_keeps_history(administrator):
    services.seed_calendar_year(year=2025)
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    row = CalendarDay.objects.get(date=date(2025, 10, 9))
    latest, previous = row.history.all()[:2]
    assert (latest.history_user, latest.is_workday) == (administrator, False)
    assert previous.is_workday is True


def test_r_cal_1_one_query_per_year_touched(django_assert_num_queries):
    # Expect 2 queries: the table rows of 2025, then of 2026.
    with django_assert_num_queries(2):
        assert calendar.add_workdays(date(2025, 12, 30), 3) == date(2026, 1, 5)
