"""Writes of the organisation and the calendar. Every function records the acting user in history."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from bureau import calendar, history, sections
from bureau.models import (
    CalendarDay,
    Role,
    Section,
    SectionCode,
    Staff,
    Town,
    TownKind,
    User,
)

# Model permissions each section's group holds (R-ORG-1: granted to sections, not individuals).
# Later apps extend this map with their own models' permissions.
SECTION_PERMISSIONS: dict[str, set[str]] = {
    code: {"bureau.view_calendarday", "bureau.view_section", "bureau.view_town"}
    for code in SectionCode.values
}
for _code in SectionCode.values:
    if _code != SectionCode.TOWN:
        SECTION_PERMISSIONS[_code].add("bureau.view_staff")


def _permissions(names: set[str]) -> list[Permission]:
    pairs = [name.split(".", 1) for name in names]
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in pairs}, codename__in={code for _, code in pairs}
    ).select_related("content_type")
    return [p for p in found if f"{p.content_type.app_label}.{p.codename}" in names]


@transaction.atomic
def ensure_sections() -> list[Section]:
    """Create the eight sections of DESIGN.md with their permission groups, keep their names as
    ``bureau.sections`` writes them, and grant each group its permissions. Idempotent: run after every
    migrate."""
    ensured = []
    for code, name in SectionCode.choices:
        section = Section.objects.filter(code=code).first()
        if section is None:
            group, _ = Group.objects.get_or_create(name=f"科室：{name}")
            section = Section(code=code, name=name, short_name=sections.SHORT_NAMES[code], group=group)
            history.record(section, by=None, reason="系统初始化科室")
            section.save()
        elif (section.name, section.short_name) != (name, sections.SHORT_NAMES[code]):
            section.name, section.short_name = name, sections.SHORT_NAMES[code]
            history.save(
                section,
                by=None,
                reason="按《规定》第三条的全称、简称更新科室名称",
                update_fields=["name", "short_name"],
            )
            Group.objects.filter(pk=section.group_id).update(name=f"科室：{name}")
        section.group.permissions.add(*_permissions(SECTION_PERMISSIONS[code]))
        ensured.append(section)
    return ensured


def section(code: str) -> Section:
    return Section.objects.select_related("group").get(code=code)


@transaction.atomic
def create_town(*, code: str, name: str, kind: str = TownKind.TOWN, by: User | None = None) -> Town:
    """Create a jurisdiction with its permission group. What its staff see is decided by
    ``bureau.access.Viewer`` (R-ORG-3), not by grants on the town."""
    if Town.objects.filter(code=code).exists() or Town.objects.filter(name=name).exists():
        raise ValidationError(f"街镇代码“{code}”或名称“{name}”已存在。")
    group = Group.objects.create(name=f"街镇：{name}")
    town = Town(code=code, name=name, kind=kind, group=group)
    history.record(town, by=by)
    town.save()
    return town


@transaction.atomic
def create_staff(
    *,
    username: str,
    password: str,
    section_code: str,
    full_name: str = "",
    role: str = Role.HANDLER,
    town: Town | None = None,
    certificate_no: str = "",
    phone: str = "",
    by: User | None = None,
) -> Staff:
    """Create a login and its staff record, and put the user in the groups of its section and town.

    Town staff must name their town; nobody else may have one (R-ORG-3). A leader belongs to the
    leadership section.
    """
    target = section(section_code)
    if section_code == SectionCode.TOWN and town is None:
        raise ValidationError("街镇工作人员必须指定所属街镇。")
    if section_code != SectionCode.TOWN and town is not None:
        raise ValidationError("只有街镇工作人员可以指定所属街镇。")
    if (role == Role.LEADER) != (section_code == SectionCode.LEADERSHIP):
        raise ValidationError("“局领导”角色只属于局领导科室。")
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用。")
    user = User(username=username, last_name=full_name[:1], first_name=full_name[1:])
    user.set_password(password)
    history.record(user, by=by)
    user.save()
    user.groups.add(target.group, *([town.group] if town else []))
    staff = Staff(user=user, section=target, town=town, role=role, certificate_no=certificate_no, phone=phone)
    history.record(staff, by=by)
    staff.full_clean()
    staff.save()
    return staff


@transaction.atomic
def seed_calendar_year(*, year: int, by: User | None = None) -> int:
    """Fill the calendar table for ``year`` from chinese-calendar, keeping every day already in the
    table (the administrator's entries win). Returns the number of days added. R-CAL-1.

    Raises ``CalendarYearUnknown`` when the package has no schedule for ``year``.
    """
    if not calendar.package_knows(year):
        raise calendar.CalendarYearUnknown(year)
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    new_days = []
    for day in calendar.year_days(year):
        if day not in existing:
            is_workday, note = calendar.package_day(day)
            new_days.append(CalendarDay(date=day, is_workday=is_workday, note=note))
    history.bulk_create(new_days, CalendarDay, by=by, reason=f"由 chinese-calendar 生成 {year} 年")
    return len(new_days)


@transaction.atomic
def draft_calendar_year(*, year: int, by: User | None = None) -> int:
    """Fill the missing days of ``year`` with weekends as rest days, for the administrator to then
    mark the holidays and 调休 weekends of a newly published schedule. Returns the days added."""
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    new_days = [
        CalendarDay(date=day, is_workday=day.weekday() < 5, note="待核对")
        for day in calendar.year_days(year)
        if day not in existing
    ]
    history.bulk_create(new_days, CalendarDay, by=by, reason=f"按周末生成 {year} 年草稿")
    return len(new_days)


@transaction.atomic
def set_calendar_day(*, day: date, is_workday: bool, note: str = "", by: User | None = None) -> CalendarDay:
    """Set one day of the calendar, keeping the previous value in history (R-CAL-1, R-RET-1)."""
    row = CalendarDay.objects.filter(date=day).first() or CalendarDay(date=day)
    row.is_workday = is_workday
    row.note = note
    history.record(row, by=by)
    row.save()
    return row


# The State Council publishes next year's holiday schedule in late autumn: from this month on, a
# missing next year is put on the administrator's to-do list.
NEXT_YEAR_REMINDER_MONTH = 11


def check_calendar_coverage(*, today: date) -> dict[int, str]:
    """Make sure this year and next year are in the calendar table (R-CAL-1).

    A year chinese-calendar knows is generated; a year it does not know goes on the administrators'
    to-do list (this year at once and urgent; next year from November). Returns per year one of
    ``complete``, ``seeded``, ``missing`` or ``not-yet``. Idempotent.
    """
    from bureau.todo import add_todo, complete_todo

    outcome = {}
    for year in (today.year, today.year + 1):
        key = f"calendar-missing-{year}"
        if calendar.year_is_complete(year):
            outcome[year] = "complete"
        elif calendar.package_knows(year):
            seed_calendar_year(year=year)
            outcome[year] = "seeded"
        elif year > today.year and today.month < NEXT_YEAR_REMINDER_MONTH:
            outcome[year] = "not-yet"
        else:
            add_todo(
                key=key,
                title=f"录入 {year} 年法定节假日及调休安排（工作日历）",
                url="/admin/bureau/calendarday/",
                due_on=today if year == today.year else date(year - 1, 12, 15),
                is_urgent=year == today.year,
                for_superusers=True,
            )
            outcome[year] = "missing"
            continue
        complete_todo(key=key)
    return outcome
