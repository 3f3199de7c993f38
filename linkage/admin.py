"""Administrator screens of 三监联动, read-only: every step goes through the pages and services, which
check whose step it is (R-LNK-2…4)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin
from linkage.models import Assignment, LinkageTask, TaskStep


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    fields = ["section", "state", "received_on", "executed_on", "fed_back_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = TaskStep
    extra = 0
    can_delete = False
    fields = ["action", "section", "actor", "on", "at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LinkageTask)
class LinkageTaskAdmin(ReadOnlyAdmin):
    list_display = ["number", "initiator", "facility", "state", "started_on", "deadline_on", "from_paper"]
    list_filter = ["state", "initiator", "source_kind", "from_paper"]
    search_fields = ["number", "description", "facility__name"]
    list_select_related = ["initiator", "facility"]
    inlines = [AssignmentInline, StepInline]
