"""Pages of the platform: home (to-do list), work calendar, organisation directory, health."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bureau import queries, services
from bureau.access import section_required, staff_of
from bureau.calendar import WorkCalendar
from bureau.navigation import ORGANISATION_SECTIONS
from bureau.todo import home_lines
from bureau.web import DATE_WIDGET, submit_step

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
        "year_confirmed": WorkCalendar().is_confirmed(year),
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
    deadline = WorkCalendar().deadline(start, days)
    return result | {"calc_result": deadline.on, "calc_provisional": deadline.is_provisional}


class CalendarDaysForm(forms.Form):
    """One day or a run of days of a published schedule: a holiday (休息日) or a 调休 working weekend."""

    first = forms.DateField(label="起始日期", widget=DATE_WIDGET)
    last = forms.DateField(label="结束日期（单日可不填）", widget=DATE_WIDGET, required=False)
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "休息日（法定节假日）"), ("1", "工作日（调休上班）")],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label="说明", max_length=50, required=False, help_text="如：春节、调休上班（春节）"
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last") or data.get("first")
        if first and last:
            if last < first:
                raise ValidationError("结束日期不能早于起始日期。")
            if first.year != self.year or last.year != self.year:
                raise ValidationError(f"只能录入 {self.year} 年的日期。")
            data["last"] = last
        return data


class ConfirmYearForm(forms.Form):
    source = forms.CharField(
        label="依据",
        max_length=100,
        required=False,
        help_text="如：国务院办公厅关于 2027 年部分节假日安排的通知",
    )


def _set_days(data: dict, by) -> str:
    day, count = data["first"], 0
    while day <= data["last"]:
        services.set_calendar_day(day=day, is_workday=data["is_workday"], note=data["note"], by=by)
        day += timedelta(days=1)
        count += 1
    kind = "工作日（调休上班）" if data["is_workday"] else "休息日"
    return f"已将 {data['first']:%Y-%m-%d} 起 {count} 天设为{kind}。"


def _confirm(year: int, data: dict, by) -> str:
    done = services.confirm_calendar_year(year=year, by=by, source=data["source"])
    counted = "、".join(f"{label} {n} 项" for label, n in done.recomputed.items() if n)
    return f"已确认 {year} 年工作日历。" + (f"已按确认的日历重算暂定期限：{counted}。" if counted else "")


def _fill(year: int, by) -> str:
    if queries.calendar_year_state(year).package_knows:
        return f"已从 chinese-calendar 载入 {year} 年 {services.seed_calendar_year(year=year, by=by)} 天。"
    added = services.draft_calendar_year(year=year, by=by)
    return f"已按周末生成 {year} 年 {added} 天草稿：请按国务院办公厅通知逐日录入节假日和调休，然后确认。"


@login_required
def calendar_year(request, year: int):
    """The administrator's page for one year of the work calendar (R-CAL-1): fill it from
    chinese-calendar or from weekends, enter holidays and 调休 days, confirm it."""
    if not request.user.is_superuser:
        raise PermissionDenied("只有系统管理员可以维护工作日历。")
    if not 2000 <= year <= 2100:
        raise PermissionDenied("年份超出范围。")
    action = request.POST.get("action") if request.method == "POST" else ""
    days_form = CalendarDaysForm(request.POST if action == "days" else None, year=year)
    confirm_form = ConfirmYearForm(request.POST if action == "confirm" else None)
    here = reverse("calendar-year", args=[year])

    def render_again(form=None, status=200, alert=""):
        context = {
            "state": queries.calendar_year_state(year),
            "days_form": form if action == "days" and form is not None else days_form,
            "confirm_form": form if action == "confirm" and form is not None else confirm_form,
            "alert": alert,
            "previous": year - 1,
            "following": year + 1,
        }
        return render(request, "bureau/calendar_year.html", context, status=status)

    if action == "days":
        return submit_step(
            request,
            days_form,
            call=lambda data: _set_days(data, request.user),
            render_again=render_again,
            success_url=here,
        )
    if action == "confirm":
        return submit_step(
            request,
            confirm_form,
            call=lambda data: _confirm(year, data, request.user),
            render_again=render_again,
            success_url=here,
        )
    if action == "fill":
        return submit_step(
            request,
            forms.Form(request.POST),
            call=lambda data: _fill(year, request.user),
            render_again=render_again,
            success_url=here,
        )
    return render_again()


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
