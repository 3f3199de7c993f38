"""Administrator screens of dispatch meetings and study sessions, read-only: minutes and decisions are
recorded through the pages and services, which check that 审批科 convenes (R-MTG-1)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin
from meetings.models import DispatchMeeting, StudySession


@admin.register(DispatchMeeting)
class DispatchMeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "scheduled_on", "held_on", "status"]


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "host", "topic"]
