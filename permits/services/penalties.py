"""Penalty records of facilities, kept by 执法大队 (R-ORG-2, 003 第八条)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bureau import history
from bureau.models import User
from permits.models import Facility, PenaltyRecord
from permits.services.permits import assert_keeps


@transaction.atomic
def record_penalty(
    *,
    by: User,
    facility: Facility,
    decision_no: str,
    decided_on: date,
    violation: str,
    amount: Decimal | None = None,
) -> PenaltyRecord:
    """Record an administrative penalty decision against a facility; only 执法大队 keeps these."""
    assert_keeps(by, "penalty")
    errors = {}
    if not decision_no.strip():
        errors["decision_no"] = "请填写处罚决定书文号。"
    elif PenaltyRecord.objects.filter(decision_no=decision_no.strip()).exists():
        errors["decision_no"] = f"处罚决定书“{decision_no}”已登记。"
    if not violation.strip():
        errors["violation"] = "请填写违法行为。"
    if amount is not None and amount < 0:
        errors["amount"] = "罚款金额不能为负数。"
    if decided_on > timezone.localdate():
        errors["decided_on"] = "处罚日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    record = PenaltyRecord(
        facility=facility,
        decision_no=decision_no.strip(),
        decided_on=decided_on,
        violation=violation.strip(),
        amount=amount,
        recorded_by=by,
    )
    # Field lengths checked, and a decision number entered twice at the same moment answers in Chinese.
    return history.save_checked(record, by=by)
