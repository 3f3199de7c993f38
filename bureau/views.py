"""Pages of the platform: home (to-do list), work calendar, organisation directory, health."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from bureau import queries
from bureau.access import section_required, staff_of
from bureau.calendar import CalendarYearUnknown, WorkCalendar
from bureau.navigation import ORGANISATION_SECTIONS
from bureau.todo import home_lines

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


@login_required
def home(request):
    """待办: stored items and every step waiting for the user's section, most urgent first; the
    navigation's counts come with the page, so it needs no second request for them."""
    today = timezone.localdate()
    lines, counts = home_lines(request.user, today)
    return render(
        request,
        "bureau/home.html",
        {"todos": lines, "today": today, "staff": staff_of(request.user), "nav_counts": counts},
    )


@login_required
def todo_counts(request):
    """The navigation's counts for pages other than home (``static/js/app.js`` fills the badges), so
    that no other page pays for them in its queries."""
    _, counts = home_lines(request.user, timezone.localdate())
    response = JsonResponse(counts)
    response["Cache-Control"] = "private, no-store"
    return response


def _parse_month(value: str | None, today: date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@section_required()
def calendar_page(request):
    """The month view of the work calendar, with a working-day calculator (R-CAL-1)."""
    today = timezone.localdate()
    year, month = _parse_month(request.GET.get("month"), today)
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    context = {
        "year": year,
        "month": month,
        "weeks": queries.month_grid(year, month),
        "weekdays": WEEKDAYS,
        "previous": f"{previous[0]}-{previous[1]:02d}",
        "following": f"{following[0]}-{following[1]:02d}",
        "today": today,
    }
    if "start" in request.GET or "days" in request.GET:
        context.update(_calculate(request.GET.get("start", ""), request.GET.get("days", "")))
    return render(request, "bureau/calendar.html", context)


def _calculate(start_text: str, days_text: str) -> dict:
    result = {"calc_start": start_text, "calc_days": days_text}
    try:
        start = date.fromisoformat(start_text)
    except ValueError:
        return result | {"calc_error": "起始日期格式应为 YYYY-MM-DD，例如 2025-09-30。"}
    try:
        days = int(days_text)
    except ValueError:
        return result | {"calc_error": "工作日数应为整数。"}
    if not 0 <= days <= 3650:
        return result | {"calc_error": "工作日数应在 0 到 3650 之间。"}
    try:
        return result | {"calc_result": WorkCalendar().add_workdays(start, days)}
    except CalendarYearUnknown as exc:
        return result | {"calc_error": str(exc)}


@section_required(*ORGANISATION_SECTIONS)
def organisation(request):
    return render(
        request,
        "bureau/organisation.html",
        {"sections": queries.sections_with_staff(), "towns": queries.active_towns()},
    )


def csrf_failure(request, reason=""):
    """The page of a form refused by the CSRF check (settings.CSRF_FAILURE_VIEW): in Chinese, and
    saying what usually happened (the page was open too long, or cookies are off), never Django's
    English debug explanation."""
    return render(request, "403_csrf.html", status=403)
