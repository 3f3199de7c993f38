"""Administrator screens of the grading, read-only: grades, overrides, the positive list, credit and
the work group change through the pages and services, which check who may (R-GRD-5, R-POS-1, R-CRD-1,
R-ORG-1) and keep the history."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin
from grading.models import (
    AnnualGrading,
    CreditRecord,
    GradeOverride,
    GradingFact,
    PositiveListEntry,
    PositiveListProposal,
    WorkGroupPost,
)


@admin.register(WorkGroupPost)
class WorkGroupPostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "holder", "is_active"]
    list_select_related = ["section", "holder__user", "holder__section"]


@admin.register(AnnualGrading)
class AnnualGradingAdmin(ReadOnlyAdmin):
    list_display = ["year", "state", "holders", "cap", "confirmed_at"]


@admin.register(GradeOverride)
class GradeOverrideAdmin(ReadOnlyAdmin):
    list_display = ["facility_grade", "from_grade", "to_grade", "by", "at"]
    list_select_related = ["facility_grade__grading", "facility_grade__facility", "by"]


@admin.register(GradingFact)
class GradingFactAdmin(ReadOnlyAdmin):
    list_display = ["facility", "kind", "occurred_on", "section", "withdrawn_at"]
    list_select_related = ["facility", "section"]


@admin.register(PositiveListEntry)
class PositiveListEntryAdmin(ReadOnlyAdmin):
    list_display = ["facility", "listed_on", "removed_on", "source", "removal_source"]
    list_select_related = ["facility"]


@admin.register(PositiveListProposal)
class PositiveListProposalAdmin(ReadOnlyAdmin):
    list_display = ["facility", "kind", "grading", "state"]
    list_select_related = ["facility", "grading"]


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["facility", "rated_on", "level", "source"]
    list_select_related = ["facility"]
