"""Administrator screens of dispatch meetings, study sessions and annual meetings, read-only: minutes,
decisions and attendance are recorded through the pages and services, which check that 审批科
convenes (R-MTG-1, R-MTG-4)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, DispatchMeeting, StudySession


@admin.register(DispatchMeeting)
class DispatchMeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "scheduled_on", "held_on", "status"]


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "host", "topic"]


@admin.register(AnnualMeeting)
class AnnualMeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "scheduled_on", "held_on", "status", "location"]


@admin.register(AnnualMeetingAttendance)
class AnnualMeetingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "facility", "principal", "status"]
    list_filter = ["meeting", "status"]
    list_select_related = ["meeting", "facility"]
