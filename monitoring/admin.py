"""Administrator screens of enforcement monitoring, read-only: every step goes through the pages and
services, which check whose step it is (R-MON-1)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin
from monitoring.models import MonitoringPlan, MonitoringResult, MonitoringTask


class ResultInline(admin.TabularInline):
    model = MonitoringResult
    extra = 0
    can_delete = False
    fields = [
        "pollutant",
        "measured",
        "unit",
        "limit",
        "exceeded",
        "times_over",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonitoringPlan)
class MonitoringPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "state", "key_count", "simplified_count", "simplified_sample", "dispatched_on"]


@admin.register(MonitoringTask)
class MonitoringTaskAdmin(ReadOnlyAdmin):
    list_display = ["number", "facility", "kind", "basis", "state", "due_on", "conclusion"]
    list_filter = ["state", "kind", "basis", "conclusion"]
    search_fields = ["number", "facility__name", "facility__source_code"]
    list_select_related = ["facility"]
    inlines = [ResultInline]
