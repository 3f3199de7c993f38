"""Issuing a permit in the browser (R-PER-1, R-FAC-3): the permit with its 首次申请 (or 重新申请),
its outlets and limits and its 整改要求, all or nothing, through the same services as the import and
the API."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from bureau.models import User
from permits.models import Facility, OutletKind, Permit, PermitEvent, PermitEventKind
from permits.services.permits import (
    add_outlet,
    assert_keeps,
    issue_permit,
    record_permit_event,
    set_emission_limit,
)
from permits.services.rectification import Requirement, record_permit_requirements

DEFAULT_UNITS = {OutletKind.GAS: "mg/m³", OutletKind.WATER: "mg/L"}


@dataclass(frozen=True)
class LimitInput:
    outlet_code: str
    pollutant: str
    concentration: Decimal | None
    unit: str
    annual_quantity: Decimal | None


@dataclass(frozen=True)
class OutletInput:
    code: str
    kind: str
    name: str = ""
    location: str = ""


@dataclass
class PermitContents:
    outlets: list[OutletInput] = field(default_factory=list)
    limits: list[LimitInput] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)


def _rows(prefix: str, exc: ValidationError, index: int) -> ValidationError:
    return ValidationError({f"{prefix}[{index}].{name}": m for name, m in exc.message_dict.items()})


@transaction.atomic
def issue_permit_with_contents(
    *,
    by: User,
    facility: Facility,
    number: str,
    management_level: str,
    issued_on: date,
    valid_from: date,
    valid_until: date,
    report_frequency: str,
    document_no: str = "",
    application: str = PermitEventKind.FIRST_APPLICATION,
    contents: PermitContents,
) -> Permit:
    """Record an issued permit, its outlets, their limits and the permit's 整改要求 (R-PER-1, R-PER-3);
    ``issue_permit`` makes the R-FAC-3 level check before any row is written. Errors of the ``n``-th row (from 1) are keyed
    ``outlets[n].<field>``, ``limits[n].<field>``, ``requirements[n].<field>``; nothing is written then.
    Only 审批科 issues permits (R-ORG-2)."""
    assert_keeps(by, "permit")
    codes = [o.code.strip().upper() for o in contents.outlets]
    errors = {}
    for index, limit in enumerate(contents.limits, 1):
        if limit.outlet_code.strip().upper() not in codes:
            errors[f"limits[{index}].outlet_code"] = f"排放口“{limit.outlet_code}”不在本许可证的排放口中。"
    if errors:
        raise ValidationError(errors)
    permit = issue_permit(
        by=by,
        facility=facility,
        number=number,
        management_level=management_level,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        report_frequency=report_frequency,
        application=application,
        document_no=document_no,
    )
    outlets = {}
    for index, outlet in enumerate(contents.outlets, 1):
        try:
            created = add_outlet(
                by=by,
                permit=permit,
                code=outlet.code,
                kind=outlet.kind,
                name=outlet.name,
                location=outlet.location,
            )
        except ValidationError as exc:
            raise _rows("outlets", exc, index) from None
        outlets[created.code] = created
    for index, limit in enumerate(contents.limits, 1):
        outlet = outlets[limit.outlet_code.strip().upper()]
        # A quantity-only limit names no unit; the row still keeps the usual one of its outlet's kind.
        unit = limit.unit.strip() or ("" if limit.concentration is not None else DEFAULT_UNITS[outlet.kind])
        try:
            set_emission_limit(
                by=by,
                outlet=outlet,
                pollutant=limit.pollutant,
                concentration=limit.concentration,
                unit=unit,
                annual_quantity=limit.annual_quantity,
            )
        except ValidationError as exc:
            raise _rows("limits", exc, index) from None
    if contents.requirements:
        record_permit_requirements(
            by=by, permit=permit, event=permit.events.get(), requirements=contents.requirements
        )
    return permit


@transaction.atomic
def record_permit_event_with_requirements(
    *, by: User, permit: Permit, requirements: list[Requirement], **event
) -> PermitEvent:
    """Record an event of ``permit`` (``services.permits.record_permit_event``) and the 整改要求 it
    carries on the one ledger (R-PER-1, R-PER-3), all or nothing."""
    recorded = record_permit_event(by=by, permit=permit, **event)
    if requirements:
        record_permit_requirements(by=by, permit=permit, event=recorded, requirements=requirements)
    return recorded
