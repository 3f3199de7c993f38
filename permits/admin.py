"""Administrator screens of the registry. Daily work happens on the pages, through the services that
enforce the rules (R-ORG-2, R-PER-1); here the administrator keeps the key-industry list (R-FAC-2)
and can look into any other record and its history, read-only."""

from django.contrib import admin, messages

from bureau.admin import NoDeleteAdmin, ReadOnlyAdmin
from permits.models import (
    EmissionLimit,
    Facility,
    KeyIndustry,
    Outlet,
    PenaltyRecord,
    Permit,
    PermitEvent,
    QualityCheck,
    RectificationItem,
    Registration,
    Unit,
    UnlicensedDischargeLead,
)
from permits.services.facilities import refresh_key_industries


@admin.register(KeyIndustry)
class KeyIndustryAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "source", "is_active"]
    list_editable = ["is_active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = refresh_key_industries(by=request.user)
        self.message_user(request, f"已按新名录重新标记 {changed} 家排污单位。", messages.INFO)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["credit_code", "name", "created_at"]
    search_fields = ["credit_code", "name"]


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ["name", "source_code", "town", "management_level", "key_industry", "status"]
    list_filter = ["town", "management_level", "status", "key_industry"]
    search_fields = ["name", "source_code"]
    list_select_related = ["town", "key_industry"]
    readonly_fields = ["unit", "site_number", "source_code", "credit_code", "key_industry"]


class PermitEventInline(admin.TabularInline):
    model = PermitEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "occurred_on",
        "document_no",
        "note",
        "renewal_application",
        "renewal_granted",
        "previous_valid_until",
        "new_valid_until",
        "is_bureau_initiated",
        "notice_no",
        "notice_on",
        "notice_file",
        "recorded_by",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False  # events go through the page, which checks what may happen (R-PER-1)


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ["number", "facility", "management_level", "valid_from", "valid_until", "report_frequency"]
    search_fields = ["number", "facility__name", "facility__credit_code"]
    list_select_related = ["facility"]
    raw_id_fields = ["facility"]
    inlines = [PermitEventInline]


for model, fields in [
    (Registration, ["receipt_no", "facility", "registered_on", "valid_until"]),
    (Outlet, ["code", "kind", "permit", "name"]),
    (EmissionLimit, ["outlet", "pollutant", "concentration", "unit", "annual_quantity"]),
    (QualityCheck, ["facility", "checked_on", "checked_by", "method", "selection"]),
    (RectificationItem, ["facility", "source_kind", "category_label", "deadline_on", "closed_on"]),
    (PenaltyRecord, ["decision_no", "facility", "decided_on", "amount"]),
    (UnlicensedDischargeLead, ["facility", "permit", "case", "expired_on", "detected_on", "status"]),
]:
    admin.site.register(
        model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields})
    )
