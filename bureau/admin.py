"""The administrator's screens: users and staff, towns, the work calendar, the to-do list.

Business records cannot be deleted here (R-RET-1); every change keeps its history (the 历史 button).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from bureau import calendar, services
from bureau.models import CalendarDay, CalendarYear, Section, Staff, TodoItem, Town, User


class NoDeleteAdmin(SimpleHistoryAdmin):
    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # A model without simple-history rows (the user) keeps Django's own history page, the admin's
        # log of its changes; simple-history's page would fail on it (500).
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            self.object_history_template = None

    def history_view(self, request, object_id, extra_context=None):
        if self.object_history_template is None:
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(NoDeleteAdmin):
    """Look, don't touch: edits here would bypass the services' rules (and the revert of history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffInline(admin.StackedInline):
    model = Staff
    can_delete = False
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["town"]


@admin.register(User)
class BureauUserAdmin(UserAdmin, NoDeleteAdmin):
    inlines = [StaffInline]
    list_display = ["username", "last_name", "first_name", "section", "is_active", "is_superuser"]
    list_select_related = ["staff__section"]
    list_filter = ["is_active", "is_superuser", "staff__section"]

    @admin.display(description="科室")
    def section(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.section.short_name if staff else "—"


@admin.register(Section)
class SectionAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "short_name"]
    readonly_fields = ["code", "group"]

    def has_add_permission(self, request):
        return False  # the eight sections of 003 第三条 are fixed


@admin.register(Town)
class TownAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["group"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            created = services.create_town(code=obj.code, name=obj.name, kind=obj.kind, by=request.user)
            obj.pk, obj.group = created.pk, created.group


@admin.register(Staff)
class StaffAdmin(NoDeleteAdmin):
    list_display = ["user", "section", "role", "town", "certificate_no"]
    list_select_related = ["user", "section", "town"]
    list_filter = ["section", "role", "town"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "certificate_no"]
    autocomplete_fields = ["town"]
    raw_id_fields = ["user"]


@admin.register(CalendarDay)
class CalendarDayAdmin(NoDeleteAdmin):
    list_display = ["date", "weekday", "is_workday", "note"]
    list_editable = ["is_workday", "note"]
    list_filter = ["is_workday", ("date", admin.DateFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["note"]
    actions = ["generate_next_year", "draft_next_year"]

    @admin.display(description="星期")
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def _next_year(self):
        return timezone.localdate().year + 1

    @admin.action(description="从 chinese-calendar 补齐下一年")
    def generate_next_year(self, request, queryset):
        year = self._next_year()
        try:
            added = services.seed_calendar_year(year=year, by=request.user)
        except calendar.CalendarYearUnknown as exc:
            self.message_user(request, str(exc) + " 可使用“按周末生成下一年草稿”后逐日修改。", messages.ERROR)
            return
        self.message_user(request, f"已补齐 {year} 年 {added} 天。", messages.SUCCESS)

    @admin.action(description="按周末生成下一年草稿（随后逐日标注节假日与调休，再确认）")
    def draft_next_year(self, request, queryset):
        year = self._next_year()
        try:
            added = services.draft_calendar_year(year=year, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(
            request,
            format_html(
                '已按周末生成 {} 年 {} 天草稿，请按国务院办公厅通知录入节假日和调休后<a href="{}">确认</a>。',
                year,
                added,
                reverse("calendar-year", args=[year]),
            ),
            messages.WARNING,
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Whether each year is confirmed (R-CAL-1). Confirming happens on the year page, through the
    service that recomputes provisional deadlines; here it is read, with its history."""

    list_display = ["year", "status", "source", "confirmed_by", "confirmed_at", "year_page"]
    list_filter = ["status"]
    list_select_related = ["confirmed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="维护")
    def year_page(self, obj):
        return format_html('<a href="{}">录入与确认</a>', reverse("calendar-year", args=[obj.year]))


@admin.register(TodoItem)
class TodoItemAdmin(NoDeleteAdmin):
    list_display = ["title", "due_on", "section", "user", "for_superusers", "done_at"]
    list_filter = ["section", "done_at"]
    search_fields = ["title", "key"]

    def has_add_permission(self, request):
        return False  # contributed by the apps, not typed in
