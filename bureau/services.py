"""Writes of the organisation and the calendar. Every function records the acting user in history."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import calendar, history, sections, todo
from bureau.errors import Conflict
from bureau.models import (
    CalendarDay,
    CalendarYear,
    CalendarYearStatus,
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


def _calendar_year(year: int, *, by: User | None, source: str) -> CalendarYear:
    """The year's row, made when the year has none: confirmed for a year chinese-calendar knows (the
    package holds only schedules the State Council published, and counted before any entry), a draft
    for any other year."""
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is not None:
        return row
    if calendar.package_knows(year):
        row = CalendarYear(
            year=year,
            status=CalendarYearStatus.CONFIRMED,
            source="chinese-calendar",
            confirmed_at=timezone.now(),
        )
        reason = f"chinese-calendar 已收录国务院办公厅发布的 {year} 年安排，按已确认记录"
    else:
        row = CalendarYear(year=year, status=CalendarYearStatus.DRAFT, source=source)
        reason = f"开始录入 {year} 年工作日历（草稿）"
    return history.save(row, by=by, reason=reason)


def _require_administrator(by: User | None) -> None:
    if by is not None and not by.is_superuser:
        raise PermissionDenied("只有系统管理员可以修改工作日历。")


@transaction.atomic
def seed_calendar_year(*, year: int, by: User | None = None) -> int:
    """Fill the calendar table for ``year`` from chinese-calendar, keeping every day already in the
    table (the administrator's entries win). Returns the number of days added. R-CAL-1.

    The package holds only published schedules, so the year is confirmed by it (see ``_calendar_year``).
    Raises ``CalendarYearUnknown`` when the package has no schedule for ``year``.
    """
    _require_administrator(by)
    if not calendar.package_knows(year):
        raise calendar.CalendarYearUnknown(year)
    _calendar_year(year, by=by, source="chinese-calendar")
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
    _require_administrator(by)
    if calendar.package_knows(year):
        raise ValidationError(
            f"chinese-calendar 已收录 {year} 年的节假日安排，请直接从 chinese-calendar 载入。"
        )
    _calendar_year(year, by=by, source="按周末生成后逐日录入")
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    new_days = [
        CalendarDay(date=day, is_workday=calendar.weekends_only(day), note="")
        for day in calendar.year_days(year)
        if day not in existing
    ]
    history.bulk_create(new_days, CalendarDay, by=by, reason=f"按周末生成 {year} 年草稿")
    return len(new_days)


@transaction.atomic
def set_calendar_day(*, day: date, is_workday: bool, note: str = "", by: User | None = None) -> CalendarDay:
    """Set one day of the calendar, keeping the previous value in history (R-CAL-1, R-RET-1).

    A day of a year with no row yet starts that year as a draft."""
    _require_administrator(by)
    if calendar.package_knows(day.year):
        # A year counted by the package is copied whole first, so the one day changed is all that differs.
        seed_calendar_year(year=day.year, by=by)
    _calendar_year(day.year, by=by, source="逐日录入")
    row = CalendarDay.objects.filter(date=day).first() or CalendarDay(date=day)
    row.is_workday = is_workday
    row.note = note.strip()[:50]
    history.record(row, by=by)
    row.save()
    return row


@dataclass(frozen=True)
class Confirmation:
    year: int
    recomputed: dict[str, int]  # label of the items (三监联动任务 …) -> how many deadlines were counted again


@transaction.atomic
def confirm_calendar_year(*, year: int, by: User | None, source: str = "") -> Confirmation:
    """The administrator confirms ``year`` after the State Council published its schedule (R-CAL-1).

    From then on the year counts by its table days; every open item whose stored deadline was
    provisional is counted again by the registered recomputers (history names the reason), and the
    reminders to confirm the year are done. The table must hold every day of the year. Raises
    ``Conflict`` when the year is confirmed already, ValidationError without the notice it rests on.
    """
    _require_administrator(by)
    row = _calendar_year(year, by=by, source=source)
    if row.is_confirmed:
        raise Conflict(f"{year} 年工作日历已于 {timezone.localtime(row.confirmed_at):%Y-%m-%d %H:%M} 确认。")
    missing = len(calendar.year_days(year)) - CalendarDay.objects.filter(date__year=year).count()
    if missing:
        raise ValidationError(
            f"{year} 年工作日历还缺 {missing} 天，不能确认：请先从 chinese-calendar 载入或按周末生成后逐日核对。"
        )
    if not source.strip():
        raise ValidationError(
            {"source": "请填写确认依据：国务院办公厅关于该年节假日安排的通知（名称或文号）。"}
        )
    row.source = source.strip()[:100]
    row.status = CalendarYearStatus.CONFIRMED
    row.confirmed_by = by
    row.confirmed_at = timezone.now()
    history.save(row, by=by, reason=f"确认 {year} 年工作日历（国务院办公厅节假日安排已发布）")
    recomputed = {label: recompute(year=year, by=by) for label, recompute in calendar.recomputers().items()}
    for key in todo.open_keys(f"{CALENDAR_TODO_PREFIX}{year}"):
        todo.complete_todo(key=key, by=by)
    return Confirmation(year, recomputed)


CALENDAR_TODO_PREFIX = "calendar-confirm-"

# The State Council publishes next year's schedule in late autumn; from 1 December the section heads,
# whose deadlines it moves, are reminded too (the administrator is reminded all year).
HEADS_REMINDED_FROM_MONTH = 12


def _remind_to_confirm(year: int, today: date) -> None:
    title = f"确认 {year} 年工作日历"
    # The administrator enters and confirms on the year page; a head reads the month view, which says
    # that the year's deadlines are provisional meanwhile.
    url = f"{reverse('calendar')}?month={year}-01"
    urgent = year <= today.year
    due_on = today if urgent else date(year - 1, 12, 31)
    todo.add_todo(
        key=f"{CALENDAR_TODO_PREFIX}{year}:admin",
        title=title,
        url=reverse("calendar-year", args=[year]),
        due_on=due_on,
        is_urgent=urgent,
        for_superusers=True,
    )
    if urgent or today.month >= HEADS_REMINDED_FROM_MONTH:
        for target in Section.objects.filter(code__in=HEAD_REMINDED_SECTIONS).order_by("id"):
            todo.add_todo(
                key=f"{CALENDAR_TODO_PREFIX}{year}:{target.code}",
                title=title,
                url=url,
                due_on=due_on,
                is_urgent=urgent,
                section=target,
                role=Role.HEAD,
            )


# Every department of the bureau has a head; 局领导 are leaders and towns are not departments.
HEAD_REMINDED_SECTIONS = sorted(sections.BUREAU_SECTIONS - {sections.LEADERSHIP})


def check_calendar_coverage(*, today: date) -> dict[int, str]:
    """Remind to confirm this year and next year until each is confirmed (R-CAL-1). Daily and at start.

    A year counts as confirmed when the administrator confirmed its table, or when nothing was entered
    for it and chinese-calendar knows it. Any other year puts 「确认 YYYY 年工作日历」 on the
    administrators' to-do list, and from 1 December (at once for this year) on every section head's.
    Nothing waits for it meanwhile: its deadlines are provisional.
    Returns per year ``confirmed``, ``draft`` or ``missing``. Idempotent.
    """
    outcome = {}
    for year in (today.year, today.year + 1):
        # Reminders of an earlier version of this job.
        todo.complete_todo(key=f"calendar-missing-{year}")
        if calendar.is_confirmed(year):
            for key in todo.open_keys(f"{CALENDAR_TODO_PREFIX}{year}"):
                todo.complete_todo(key=key)
            outcome[year] = "confirmed"
            continue
        _remind_to_confirm(year, today)
        outcome[year] = "draft" if CalendarYear.objects.filter(year=year).exists() else "missing"
    return outcome
