"""R-CAL-1 (003 第十八条): working-day arithmetic as pure functions, no database."""

from datetime import date, timedelta

import pytest

from bureau import rules
from bureau.calendar import CalendarYearUnknown, package_day


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


def package(day: date) -> bool:
    return package_day(day)[0]


def test_r_cal_1_weekends_are_skipped():
    friday = date(2024, 3, 8)
    assert rules.add_workdays(friday, 1, weekdays_only) == date(2024, 3, 11)
    assert rules.add_workdays(friday, 5, weekdays_only) == date(2024, 3, 15)


def test_r_cal_1_zero_days_is_the_start_itself():
    assert rules.add_workdays(date(2025, 10, 1), 0, package) == date(2025, 10, 1)


def test_r_cal_1_national_day_2025_and_adjusted_saturday():
    # 2025 国庆中秋: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班。
    assert rules.add_workdays(date(2025, 9, 30), 5, package) == date(2025, 10, 14)
    assert rules.add_workdays(date(2025, 9, 30), 1, package) == date(2025, 10, 9)
    assert rules.add_workdays(date(2025, 10, 10), 1, package) == date(2025, 10, 11)


def test_r_cal_1_adjusted_sunday_before_national_day_counts():
    assert rules.add_workdays(date(2025, 9, 26), 1, package) == date(2025, 9, 28)


def test_r_cal_1_spring_festival_2026():
    # 2026 春节: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班。
    assert package(date(2026, 2, 14)) is True
    assert package(date(2026, 2, 16)) is False
    assert rules.add_workdays(date(2026, 2, 13), 2, package) == date(2026, 2, 24)


def test_r_cal_1_negative_days_go_back():
    assert rules.add_workdays(date(2025, 10, 14), -5, package) == date(2025, 9, 30)


@pytest.mark.parametrize("days", [0, 1, 5, 17, 60, 250])
def test_r_cal_1_count_is_the_inverse_of_add(days):
    start = date(2025, 9, 15)
    end = rules.add_workdays(start, days, package)
    assert rules.count_workdays(start, end, package) == days


def test_r_cal_1_count_across_national_day():
    assert rules.count_workdays(date(2025, 9, 30), date(2025, 10, 8), package) == 0
    assert rules.count_workdays(date(2025, 9, 30), date(2025, 10, 14), package) == 5
    assert rules.count_workdays(date(2025, 10, 14), date(2025, 9, 30), package) == -5


def test_r_cal_1_package_notes_name_holidays_and_adjusted_days():
    assert package_day(date(2025, 10, 1)) == (False, "国庆节")
    assert package_day(date(2025, 10, 11)) == (True, "调休上班（国庆节）")
    assert package_day(date(2025, 10, 15)) == (True, "")


def test_r_cal_1_unknown_year_is_an_error_naming_the_year():
    with pytest.raises(CalendarYearUnknown, match="2031 年"):
        package_day(date(2031, 5, 1))
    with pytest.raises(CalendarYearUnknown) as caught:
        rules.add_workdays(date(2026, 12, 28), 10, package)
    assert caught.value.year == 2027


def test_r_cal_1_a_long_span_never_loops_forever():
    start = date(2024, 1, 1)
    end = rules.add_workdays(start, 200, package)
    assert start + timedelta(days=200) < end < start + timedelta(days=320)
