"""Pages of the annual meeting of permit holders (持证单位年会, R-MTG-4; 003 第四条).

Every bureau section reads them; 审批科 plans the meeting, records that it was held and who attended
(the services check it again). Towns see nothing of it. Views parse, check and call
``meetings.annual``; its refusals come back in Chinese with the user's input kept.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_SECTIONS, section_required
from bureau.documents import exports
from bureau.documents.pdf import pdf_response, render_pdf
from bureau.errors import Conflict
from bureau.web import FIX_BELOW, submit_step
from meetings import annual
from meetings import annual_queries as queries
from meetings.annual_forms import HeldForm, PlanForm, attendance_formset
from meetings.models import AttendanceStatus

READERS = BUREAU_SECTIONS
ORGANISERS = annual.ORGANISERS
PAGE_SIZE = 100  # rows of the attendance sheet per page: 4 fields a row stays under Django's 1,000


@section_required(*READERS)
def annual_list(request):
    """持证单位年会: one a year, newest first, with the holders who attended and were absent."""
    today = timezone.localdate()
    grading = queries.grading_to_report(today.year)
    rows = list(queries.annual_rows(request.user))
    return render(
        request,
        "meetings/annual_list.html",
        {
            "rows": rows,
            "may_organise": annual.may_organise(request.user),
            "this_year": next((m for m in rows if m.year == today.year), None),
            "year": today.year,
            "grading": grading,
        },
    )


def _render_new(request, *, form=None, status=200, alert=""):
    today = timezone.localdate()
    context = {
        "form": form or PlanForm(),
        "alert": alert,
        "year": today.year,
        "grading": queries.grading_to_report(today.year),
    }
    return render(request, "meetings/annual_new.html", context, status=status)


@section_required(*ORGANISERS)
def annual_new(request):
    """安排年会 (审批科): in the first half of the year, after last year's grading is confirmed."""
    if request.method != "POST":
        return _render_new(request)

    def call(data):
        meeting = annual.plan_annual_meeting(by=request.user, **data)
        return f"已安排{meeting.title}，参会单位 {meeting.attendances.count()} 家。", annual.meeting_url(
            meeting
        )

    def render_again(*, form, status, alert):
        return _render_new(request, form=form or PlanForm(request.POST), status=status, alert=alert)

    return submit_step(request, PlanForm(request.POST), call=call, render_again=render_again)


def _status_filter(query) -> str:
    value = query.get("status", "")
    return value if value in AttendanceStatus.values else ""


def listed_attendance(user, year, query):
    """The year's meeting ``user`` may see (404 otherwise), the attendance status ``query`` keeps and
    the holders' rows it lists: what the page lists and its Excel export holds (``meetings.exports``)."""
    meeting = queries.annual_meeting_for_user(user, year)
    shown = _status_filter(query)
    return meeting, shown, queries.attendance_rows(meeting, status=shown)


def _render_detail(request, year, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    bound = bound or {}
    meeting, shown, rows = listed_attendance(request.user, year, request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_organise = annual.may_organise(request.user)
    context = {
        "meeting": meeting,
        "grade_counts": queries.grade_counts(meeting),
        "page": page,
        "rows": list(page.object_list),
        "shown": shown,
        "statuses": AttendanceStatus.choices,
        "pending_count": meeting.holder_count - meeting.attended_count - meeting.absent_count,
        "may_organise": may_organise,
        "agenda": annual.agenda_of(meeting),
        "alert": alert,
    }
    if may_organise and not meeting.is_held:
        context["plan_form"] = bound.get("plan") or PlanForm(
            initial={
                "scheduled_on": meeting.scheduled_on,
                "location": meeting.location,
                "notice_number": meeting.notice_number,
                "work_report": meeting.work_report,
            }
        )
        context["held_form"] = bound.get("held") or HeldForm(
            initial={
                "held_on": min(meeting.scheduled_on, timezone.localdate()),
                "work_report": meeting.work_report,
            }
        )
    return render(request, "meetings/annual_detail.html", context, status=status)


@section_required(*READERS)
def annual_detail(request, year):
    """One year's meeting: the plan, the notice, the grading results, what was presented, attendance."""
    return _render_detail(request, year)


@section_required(*READERS)
def annual_export(request, year):
    """The year's attendance as Excel, all pages (``meetings.exports``); the year travels with the
    filters, so a background job reads the same meeting."""
    queries.annual_meeting_for_user(request.user, year)  # 404 before anything is written
    request.GET = request.GET.copy()
    request.GET["year"] = str(year)
    return exports.respond(request, "meetings.annual-attendance")


def _submit(request, year, form, *, key: str, call, anchor: str):
    def render_again(*, form, status, alert):
        return _render_detail(request, year, bound={key: form} if form else None, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=call,
        success_url=reverse("meetings:annual-detail", args=[year]) + f"#{anchor}",
        render_again=render_again,
    )


@section_required(*ORGANISERS)
@require_POST
def annual_plan(request, year):
    """调整年会安排 (审批科), before the meeting is held."""
    meeting = queries.annual_meeting_for_user(request.user, year)

    def call(data):
        moved = annual.update_plan(by=request.user, meeting=meeting, **data)
        return f"年会安排已保存：{moved.scheduled_on:%Y-%m-%d}，{moved.location}。"

    return _submit(request, meeting.year, PlanForm(request.POST), key="plan", call=call, anchor="plan")


@section_required(*ORGANISERS)
@require_POST
def annual_held(request, year):
    """记录年会召开情况 (审批科): the day, last year's work reported, the requirements presented."""
    meeting = queries.annual_meeting_for_user(request.user, year)

    def call(data):
        annual.record_held(by=request.user, meeting=meeting, **data)
        return "已记录年会召开情况。"

    return _submit(request, meeting.year, HeldForm(request.POST), key="held", call=call, anchor="held")


def _attendance_page(request, meeting):
    return Paginator(queries.attendance_rows(meeting), PAGE_SIZE).get_page(request.GET.get("page"))


def _render_attendance(request, meeting, page, formset, *, status=200, alert=""):
    context = {"meeting": meeting, "page": page, "formset": formset, "alert": alert}
    return render(request, "meetings/annual_attendance.html", context, status=status)


@section_required(*ORGANISERS)
def annual_attendance(request, year):
    """登记到会情况 (审批科): one page of the sheet at a time, each holder's principal and whether the
    principal came; a fixed number of queries whatever the page holds."""
    meeting = queries.annual_meeting_for_user(request.user, year)
    page = _attendance_page(request, meeting)
    rows = list(page.object_list)
    if request.method != "POST":
        return _render_attendance(request, meeting, page, attendance_formset(rows=rows))
    formset = attendance_formset(request.POST, rows=rows)
    status, alert = 400, FIX_BELOW
    try:
        if formset.is_valid():
            changed = annual.record_attendance(by=request.user, meeting=meeting, entries=formset.entries())
            messages.success(request, f"已保存到会情况（本页更新 {changed} 家）。")
            url = reverse("meetings:annual-attendance", args=[meeting.year])
            return redirect(f"{url}?page={page.number}" if page.number > 1 else url)
    except ValidationError as exc:
        unplaced = [
            message
            for name, errors in exc.message_dict.items()
            for message in errors
            if not formset.add_service_error(name, message)
        ]
        alert = " ".join([FIX_BELOW, *unplaced])
    except PermissionDenied as exc:
        status, alert = 403, str(exc)
    except Conflict as exc:
        status, alert = 409, str(exc)
    return _render_attendance(request, meeting, page, formset, status=status, alert=alert)


@section_required(*READERS)
def annual_notice_pdf(request, year):
    """关于召开持证单位年会的通知 (PDF): to every permit holder, the day, the place, the principal to
    attend, the agenda (003 第四条)."""
    meeting = queries.annual_meeting_for_user(request.user, year)
    pdf = render_pdf(
        "documents/annual_meeting_notice.html",
        {
            "title": f"关于召开{meeting.title}的通知",
            "meeting": meeting,
            "agenda": annual.agenda_of(meeting),
            # The notice's own 文号 once 审批科 gave it one; until then the year the meeting is for.
            "document_number": meeting.notice_number or f"{meeting.year} 年度",
            "document_number_label": "文号" if meeting.notice_number else "年会年度",
        },
    )
    return pdf_response(pdf, (f"{meeting.title}通知.pdf", f"annual-meeting-{meeting.year}-notice.pdf"))
