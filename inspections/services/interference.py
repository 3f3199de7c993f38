"""插手干预记录 (R-INS-11; 002 十九; 000 五3): any officer of the bureau records an attempt to interfere
with enforcement; the record is written once and never changed or deleted, and only 局领导 and 法制科
read it (``inspections.queries.visible_interference``). Whoever records it does not see it afterwards
unless they belong to one of those two: nothing in the product tells anyone else that it exists."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bureau.access import Viewer
from bureau.models import User
from inspections.models import Case, Inspection, InterferenceRecord


@transaction.atomic
def record_interference(
    *,
    by: User,
    occurred_on: date,
    interferer: str,
    method: str,
    detail: str,
    inspection: Inspection | None = None,
    case: Case | None = None,
) -> InterferenceRecord:
    """Record an attempt to interfere: who, how, when, on which inspection or case. By any member of
    a section of the bureau (not a town, not the administrator, who holds no section)."""
    viewer = Viewer.of(by)
    if viewer.is_superuser or viewer.is_nobody or viewer.is_town:
        raise PermissionDenied("插手干预记录由局机关工作人员填写。")
    errors = {}
    if occurred_on is None:
        errors["occurred_on"] = "请填写发生日期。"
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "发生日期不能晚于今天。"
    for field, value, label, limit in (
        ("interferer", interferer, "干预人（姓名、单位、职务）", 200),
        ("method", method, "干预方式", 100),
        ("detail", detail, "干预情况", 5000),
    ):
        if not (value or "").strip():
            errors[field] = f"请填写{label}。"
        elif len(value.strip()) > limit:
            errors[field] = f"{label}不能超过 {limit} 个字。"
    if inspection is not None and case is not None and case.facility_id != inspection.facility_id:
        errors["case"] = "所选案件与现场检查不属于同一排污单位。"
    if errors:
        raise ValidationError(errors)
    record = InterferenceRecord(
        occurred_on=occurred_on,
        interferer=interferer.strip(),
        method=method.strip(),
        detail=detail.strip(),
        inspection=inspection,
        case=case,
        recorded_by=by,
    )
    record.save()
    return record
