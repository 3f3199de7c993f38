"""Permits, their events and contents, and registrations (R-PER-1, 003 第十条, 002 四)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bureau import history
from bureau.access import section_code
from bureau.models import User
from permits import rules
from permits.models import (
    EmissionLimit,
    Facility,
    ManagementLevel,
    Outlet,
    OutletKind,
    Permit,
    PermitEvent,
    PermitEventKind,
    Registration,
    ReportFrequency,
)
from permits.queries import pending_renewals


def assert_keeps(user: User | None, record: str) -> None:
    """PermissionDenied unless the acting section keeps ``record`` (R-ORG-2). ``None``: a system job."""
    if user is None or rules.may_keep(section_code(user), record, is_superuser=user.is_superuser):
        return
    owner = rules.RECORD_OWNERS[record]
    raise PermissionDenied(f"该信息由{rules.SECTION_NAMES[owner]}维护，您所在的科室只能查看，不能修改。")


@transaction.atomic
def issue_permit(
    *,
    by: User | None,
    facility: Facility,
    number: str,
    management_level: str,
    issued_on: date,
    valid_from: date,
    valid_until: date,
    report_frequency: str,
    application: str = PermitEventKind.FIRST_APPLICATION,
    document_no: str = "",
) -> Permit:
    """Record an issued permit with its application event (首次申请 or 重新申请)."""
    assert_keeps(by, "permit")
    errors = {}
    if management_level not in (ManagementLevel.KEY, ManagementLevel.SIMPLIFIED):
        errors["management_level"] = (
            "排污许可证的管理类别应为重点管理或简化管理；登记管理的单位办理排污登记。"
        )
    if report_frequency not in ReportFrequency.values:
        errors["report_frequency"] = "执行报告频次应为 monthly（月度）、quarterly（季度）或 annual（年度）。"
    if valid_until <= valid_from:
        errors["valid_until"] = "有效期至应晚于有效期起。"
    if issued_on > valid_from:
        errors["issued_on"] = "发证日期不应晚于有效期起。"
    if not number.strip():
        errors["number"] = "请填写许可证编号。"
    elif Permit.objects.filter(number=number.strip()).exists():
        errors["number"] = f"许可证编号“{number}”已存在。"
    if application not in (PermitEventKind.FIRST_APPLICATION, PermitEventKind.REAPPLICATION):
        errors["application"] = "许可证应以首次申请或重新申请开始。"
    errors = {**rules.level_mismatch_errors(management_level, facility.management_level), **errors}
    if errors:
        raise ValidationError(errors)
    permit = history.save_checked(
        Permit(
            number=number.strip(),
            facility=facility,
            management_level=management_level,
            issued_on=issued_on,
            valid_from=valid_from,
            valid_until=valid_until,
            report_frequency=report_frequency,
        ),
        by=by,
    )
    history.save_checked(
        PermitEvent(
            permit=permit, kind=application, occurred_on=issued_on, document_no=document_no, recorded_by=by
        ),
        by=by,
    )
    return permit


@transaction.atomic
def record_permit_event(
    *,
    by: User | None,
    permit: Permit,
    kind: str,
    occurred_on: date,
    document_no: str = "",
    note: str = "",
    new_valid_until: date | None = None,
) -> PermitEvent:
    """Add an event to a permit's life, refusing what cannot happen (R-PER-1).

    The permit row is locked so two clerks cannot record conflicting events at once. A 延续 with
    ``new_valid_until`` is a granted renewal and moves the permit's validity.
    """
    assert_keeps(by, "permit")
    permit = Permit.objects.select_for_update().get(pk=permit.pk)
    events = [rules.Event(e.kind, e.occurred_on, e.new_valid_until) for e in permit.events.all()]
    if new_valid_until is not None and kind != PermitEventKind.RENEWAL:
        raise ValidationError({"new_valid_until": "只有“延续”可以填写延续后有效期。"})
    pending = pending_renewals().filter(permit=permit).first()
    if kind == PermitEventKind.RENEWAL and pending is not None:
        if new_valid_until is None:
            raise ValidationError(
                {
                    "kind": f"已有 {pending.occurred_on:%Y-%m-%d} 提交的延续申请待批准，请填写延续后有效期以办结。"
                }
            )
        # The decision on the pending application, not a second application.
        return grant_renewal(by=by, event=pending, new_valid_until=new_valid_until, document_no=document_no)
    error = rules.event_error(events, permit.valid_until, rules.Event(kind, occurred_on, new_valid_until))
    if error:
        raise ValidationError({"kind": error})
    event = history.save_checked(
        PermitEvent(
            permit=permit,
            kind=kind,
            occurred_on=occurred_on,
            document_no=document_no,
            note=note,
            new_valid_until=new_valid_until,
            recorded_by=by,
        ),
        by=by,
    )
    if new_valid_until is not None:
        permit.valid_until = new_valid_until
        history.save_checked(permit, by=by, reason=f"延续至 {new_valid_until:%Y-%m-%d}")
    return event


@transaction.atomic
def grant_renewal(
    *, by: User | None, event: PermitEvent, new_valid_until: date, document_no: str = ""
) -> PermitEvent:
    """Record the decision on a pending 延续 application: the permit is valid until ``new_valid_until``."""
    assert_keeps(by, "permit")
    event = PermitEvent.objects.select_for_update().select_related("permit").get(pk=event.pk)
    if event.kind != PermitEventKind.RENEWAL or event.new_valid_until is not None:
        raise ValidationError({"new_valid_until": "只能对尚未批准的延续申请填写延续后有效期。"})
    permit = Permit.objects.select_for_update().get(pk=event.permit_id)
    if new_valid_until <= permit.valid_until:
        raise ValidationError({"new_valid_until": "延续后的有效期应晚于当前有效期。"})
    event.new_valid_until = new_valid_until
    event.document_no = document_no or event.document_no
    history.save_checked(event, by=by, reason="延续批准")
    permit.valid_until = new_valid_until
    history.save_checked(permit, by=by, reason=f"延续至 {new_valid_until:%Y-%m-%d}")
    return event


@transaction.atomic
def add_outlet(
    *, by: User | None, permit: Permit, code: str, kind: str, name: str = "", location: str = ""
) -> Outlet:
    """Add a 排放口 to a permit: DA001… for gas, DW001… for water, each code once per permit."""
    assert_keeps(by, "permit")
    code = code.strip().upper()
    if kind not in OutletKind.values:
        raise ValidationError({"kind": "排放口类别应为 gas（废气）或 water（废水）。"})
    expected = "DA" if kind == OutletKind.GAS else "DW"
    if not (code.startswith(expected) and code[2:].isdigit() and len(code) == 5):
        raise ValidationError({"code": f"{OutletKind(kind).label}排放口编号应形如 {expected}001。"})
    if Outlet.objects.filter(permit=permit, code=code).exists():
        raise ValidationError({"code": f"该许可证已有排放口 {code}。"})
    return history.save_checked(
        Outlet(permit=permit, code=code, kind=kind, name=name, location=location), by=by
    )


@transaction.atomic
def set_emission_limit(
    *,
    by: User | None,
    outlet: Outlet,
    pollutant: str,
    concentration: Decimal | None,
    unit: str,
    annual_quantity: Decimal | None,
) -> EmissionLimit:
    """Set the permitted limit of one pollutant at one outlet (updates the existing one, with history).

    A limit is a concentration (with its unit), a yearly quantity, or both; one with neither limits
    nothing.
    """
    assert_keeps(by, "permit")
    if not pollutant.strip():
        raise ValidationError({"pollutant": "请填写污染物名称。"})
    for name, value in (("concentration", concentration), ("annual_quantity", annual_quantity)):
        if value is not None and value < 0:
            raise ValidationError({name: "限值不能为负数。"})
    if concentration is None and annual_quantity is None:
        raise ValidationError({"concentration": "请至少填写许可排放浓度或年许可排放量之一。"})
    if concentration is not None and not unit.strip():
        raise ValidationError({"unit": "填写许可排放浓度时请填写浓度单位（如 mg/m³、mg/L）。"})
    unit = unit.strip()
    limit = EmissionLimit.objects.filter(outlet=outlet, pollutant=pollutant.strip()).first() or EmissionLimit(
        outlet=outlet, pollutant=pollutant.strip()
    )
    limit.concentration, limit.unit, limit.annual_quantity = concentration, unit, annual_quantity
    return history.save_checked(limit, by=by)


@transaction.atomic
def record_registration(
    *,
    by: User | None,
    facility: Facility,
    receipt_no: str,
    registered_on: date,
    valid_until: date | None = None,
) -> Registration:
    """Record the 排污登记 of a registered unit; one receipt number, one registration. The same
    receipt number again updates its dates (with history)."""
    assert_keeps(by, "registration")
    if not receipt_no.strip():
        raise ValidationError({"receipt_no": "请填写登记回执编号。"})
    if valid_until is not None and valid_until <= registered_on:
        raise ValidationError({"valid_until": "有效期至应晚于登记日期。"})
    existing = Registration.objects.filter(receipt_no=receipt_no.strip()).first()
    if existing is not None:
        if existing.facility_id != facility.pk:
            raise ValidationError({"receipt_no": f"登记回执编号“{receipt_no}”已属于其他单位。"})
        existing.registered_on, existing.valid_until = registered_on, valid_until
        return history.save_checked(existing, by=by, reason="更新登记")
    return history.save_checked(
        Registration(
            facility=facility,
            receipt_no=receipt_no.strip(),
            registered_on=registered_on,
            valid_until=valid_until,
        ),
        by=by,
    )
