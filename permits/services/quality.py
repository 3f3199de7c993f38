"""Permit quality checks and the rectification ledger (R-PER-3, 002 五, 001 一, 000 二(二)3)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from bureau.calendar import CalendarYearUnknown, WorkCalendar
from bureau.errors import Conflict
from bureau.models import User
from permits.models import (
    CheckMethod,
    CheckSelection,
    Facility,
    FindingCategory,
    Permit,
    QualityCheck,
    RectificationItem,
    RectificationProgress,
)
from permits.services.permits import assert_keeps

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
    for index, finding in enumerate(findings, 1):
        if finding.category not in FindingCategory.values:
            errors[f"findings[{index}].category"] = (
                "问题类别应为应发尽发、应登尽登、违规降低管理级别或实际排放与许可不符之一。"
            )
        if not finding.description.strip():
            errors[f"findings[{index}].description"] = "请填写问题描述。"
        if not 1 <= finding.deadline_workdays <= 250:
            errors[f"findings[{index}].deadline_workdays"] = "整改时限应为 1–250 个工作日。"
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
    check._history_user = by
    check.save()
    calendar = WorkCalendar()
    for index, finding in enumerate(findings, 1):
        try:
            deadline = calendar.add_workdays(checked_on, finding.deadline_workdays)
        except CalendarYearUnknown as exc:
            raise ValidationError({f"findings[{index}].deadline_workdays": str(exc)}) from None
        item = RectificationItem(
            quality_check=check,
            facility=facility,
            category=finding.category,
            description=finding.description.strip(),
            deadline_workdays=finding.deadline_workdays,
            deadline_on=deadline,
            responsible_person=finding.responsible_person.strip(),
            responsible_phone=finding.responsible_phone.strip(),
        )
        item._history_user = by
        item.save()
    return check


@transaction.atomic
def note_rectification_progress(
    *, by: User, item: RectificationItem, noted_on: date, note: str
) -> RectificationProgress:
    assert_keeps(by, "rectification")
    if not note.strip():
        raise ValidationError({"note": "请填写进展情况。"})
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.closed_on is not None:
        raise Conflict("该问题已销号，不能再登记进展。")
    progress = RectificationProgress(item=item, noted_on=noted_on, note=note.strip(), recorded_by=by)
    progress._history_user = by
    progress.save()
    return progress


EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".zip"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _check_evidence_file(upload) -> None:
    """Evidence is a document or a picture of at most 20 MB: nothing a browser would run."""
    name = getattr(upload, "name", "") or ""
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {"closing_file": "证明材料只接受 PDF、图片（JPG/PNG）、Word、Excel 或 ZIP 文件。"}
        )
    if getattr(upload, "size", 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"closing_file": "证明材料不能超过 20 MB。"})


@transaction.atomic
def close_rectification(
    *, by: User, item: RectificationItem, closed_on: date, evidence: str, evidence_file=None
) -> RectificationItem:
    """问题销号: close an item with its evidence. Exactly one of two simultaneous closes succeeds."""
    assert_keeps(by, "rectification")
    if not evidence.strip():
        raise ValidationError({"closing_evidence": "销号须填写整改完成证明。"})
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.closed_on is not None:
        raise Conflict(f"该问题已于 {item.closed_on:%Y-%m-%d} 销号。")
    check_date = item.quality_check.checked_on
    if closed_on < check_date:
        raise ValidationError({"closed_on": "销号日期不能早于检查日期。"})
    item.closed_on, item.closing_evidence, item.closed_by = closed_on, evidence.strip(), by
    if evidence_file is not None:
        _check_evidence_file(evidence_file)
        item.closing_file = evidence_file
    item._history_user = by
    item.save()
    return item
