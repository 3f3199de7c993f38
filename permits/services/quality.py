"""核发质量检查 of permits and registrations (R-PER-3, 002 五, 001 一): each finding is opened on the
rectification ledger through ``services.rectification``."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history
from bureau.models import User
from bureau.todo import complete_todo
from permits.models import (
    CheckMethod,
    CheckSelection,
    Facility,
    FindingCategory,
    Permit,
    QualityCheck,
    RectificationSource,
)
from permits.queries import ROLLING_CHECK_EVENTS
from permits.services.permits import assert_keeps
from permits.services.rectification import MAX_DEADLINE_WORKDAYS, open_rectification_item

QUALITY_OWED_TODO = "permit-quality-owed:"
NOTHING_RECORDED = "请至少填写一项发现的问题；未发现问题的，请在检查结论中写明（如“未发现问题”）。"


@dataclass(frozen=True)
class Finding:
    category: str
    description: str
    deadline_workdays: int
    responsible_person: str
    responsible_phone: str = ""


@transaction.atomic
def record_quality_check(
    *,
    by: User,
    facility: Facility,
    permit: Permit | None,
    checked_on: date,
    method: str,
    selection: str,
    summary: str = "",
    findings: list[Finding],
) -> QualityCheck:
    """Record a quality check; every finding becomes a rectification item whose deadline counts
    working days from the check (R-PER-3, R-CAL-1). All or nothing.

    A check records either its findings or, when it found nothing, a conclusion that says so: an
    empty check would count as checked without telling anyone what was looked at. Errors of the
    ``index``-th finding (from 1) are keyed ``findings[index].<field>``.
    """
    assert_keeps(by, "quality_check")
    errors = {}
    if not findings and not summary.strip():
        errors["findings"] = NOTHING_RECORDED
    if method not in CheckMethod.values:
        errors["method"] = "检查方式应为 on_site（现场核查）或 off_site（非现场核查）。"
    if selection not in CheckSelection.values:
        errors["selection"] = "选取方式应为 random（随机抽查）或 targeted（靶向核查）。"
    if permit is not None and permit.facility_id != facility.pk:
        errors["permit"] = "所选许可证不属于该排污单位。"
    if checked_on > timezone.localdate():
        errors["checked_on"] = "检查日期不能晚于今天。"
    for index, finding in enumerate(findings, 1):
        if finding.category not in FindingCategory.values:
            errors[f"findings[{index}].category"] = (
                "问题类别应为应发尽发、应登尽登、违规降低管理级别或实际排放与许可不符之一。"
            )
        if not finding.description.strip():
            errors[f"findings[{index}].description"] = "请填写问题描述。"
        if not 1 <= finding.deadline_workdays <= MAX_DEADLINE_WORKDAYS:
            errors[f"findings[{index}].deadline_workdays"] = f"整改时限应为 1–{MAX_DEADLINE_WORKDAYS} 个工作日。"
        if not finding.responsible_person.strip():
            errors[f"findings[{index}].responsible_person"] = "请填写整改责任人。"
    if errors:
        raise ValidationError(errors)
    check = QualityCheck(
        facility=facility,
        permit=permit,
        checked_on=checked_on,
        checked_by=by,
        method=method,
        selection=selection,
        summary=summary.strip(),
    )
    history.record(check, by=by)
    check.save()
    for index, finding in enumerate(findings, 1):
        try:
            open_rectification_item(
                by=by,
                facility=facility,
                source_kind=RectificationSource.QUALITY_CHECK,
                source_key=f"permits.quality_check:{check.pk}",
                source_label=f"{checked_on:%Y-%m-%d} {check.get_method_display()}",
                quality_check=check,
                source_url=reverse("permits:facility-detail", args=[facility.pk]) + f"#check-{check.pk}",
                category=finding.category,
                category_label=FindingCategory(finding.category).label,
                description=finding.description,
                found_on=checked_on,
                deadline_workdays=finding.deadline_workdays,
                responsible_person=finding.responsible_person,
                responsible_phone=finding.responsible_phone,
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"findings[{index}].{name}": messages for name, messages in exc.message_dict.items()}
            ) from None
    if permit is not None:
        # The rolling checks this one covers are done (R-PER-3): events of its permit up to the check.
        for event_pk in permit.events.filter(
            kind__in=ROLLING_CHECK_EVENTS, occurred_on__lte=checked_on
        ).values_list("pk", flat=True):
            complete_todo(key=f"{QUALITY_OWED_TODO}{event_pk}", by=by)
    return check
