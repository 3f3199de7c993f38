"""Reads of the annual meeting of permit holders that its pages and the notice share (R-MTG-4):
every bureau section reads them, towns nothing; each page costs a fixed number of queries however
many holders were graded."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bureau.access import Viewer
from grading import rules
from grading.models import AnnualGrading
from grading.services import gradings
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, AttendanceStatus


def visible_annual_meetings(user) -> QuerySet[AnnualMeeting]:
    """Every bureau section reads the annual meetings; towns take no part in grading (R-ORG-1)."""
    if Viewer.of(user).is_bureau:
        return AnnualMeeting.objects.all()
    return AnnualMeeting.objects.none()


def _with_counts(queryset: QuerySet[AnnualMeeting]) -> QuerySet[AnnualMeeting]:
    return queryset.annotate(
        holder_count=Count("attendances"),
        attended_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)),
        absent_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
    )


def annual_rows(user) -> QuerySet[AnnualMeeting]:
    """The list: newest year first, with the number of holders, attended and absent (one query)."""
    return _with_counts(visible_annual_meetings(user).select_related("grading")).order_by("-year")


def annual_meeting_for_user(user, year) -> AnnualMeeting:
    """One year's meeting with its grading, who planned it and who recorded it, and its attendance
    counts (one query); 404 alike for missing and not visible."""
    try:
        return (
            _with_counts(visible_annual_meetings(user))
            .select_related("grading", "created_by", "recorded_by")
            .get(year=year)
        )
    except (AnnualMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该年度的持证单位年会。") from None


def attendance_rows(meeting: AnnualMeeting, *, status: str = "") -> QuerySet[AnnualMeetingAttendance]:
    """The meeting's holders in source-code order with their town, grade and who recorded them;
    ``status`` keeps one kind of row (到会/缺席/未登记)."""
    rows = meeting.attendances.select_related("facility__town", "facility_grade", "recorded_by")
    if status in AttendanceStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("facility__source_code", "pk")


def grade_counts(meeting: AnnualMeeting) -> list[tuple[str, int]]:
    """The grading's holders per final grade, as labels and counts (one query)."""
    counts = gradings.counts(meeting.grading)
    return [(rules.GRADE_LABELS[grade], counts[grade]) for grade in rules.GRADE_ORDER]


def grading_to_report(year: int) -> AnnualGrading | None:
    """The grading a meeting in ``year`` reports (that of ``year``-1), if drafted (one query)."""
    return AnnualGrading.objects.filter(year=year - 1).first()
