"""Permits, their events and contents, and registrations (R-PER-1, 003 第十条, 002 四)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau import history
from bureau.access import section_code
from bureau.models import SectionCode, User
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from permits import queries, rules
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
from permits.uploads import check_upload


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
    """Record an issued permit with its application event (首次申请 or 重新申请). Refuses a level other
    than the facility's (R-FAC-3) and a national-platform number whose first 21 characters are not the
    facility's source code (R-FAC-1); a free-form local number is taken as written."""
    permit, event = checked_new_permit(
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
        is_taken=lambda taken: Permit.objects.filter(number=taken).exists(),
    )
    history.save_checked(permit, by=by)
    event.permit = permit
    history.save_checked(event, by=by)
    return permit


def checked_new_permit(
    *,
    by: User | None,
    facility: Facility,
    number: str,
    management_level: str,
    issued_on: date,
    valid_from: date,
    valid_until: date,
    report_frequency: str,
    application: str,
    document_no: str = "",
    is_taken,
) -> tuple[Permit, PermitEvent]:
    """The checks of ``issue_permit``, without writing: the permit and its application event, unsaved
    and with their fields checked, or ValidationError / PermissionDenied as ``issue_permit`` raises
    them. ``is_taken(number)`` says whether a permit already has the number (the import answers from
    what it loaded for the whole file instead of one query per row)."""
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
    if issued_on > timezone.localdate():
        errors["issued_on"] = "发证日期不能晚于今天。"
    elif issued_on > valid_from:
        errors["issued_on"] = "发证日期不应晚于有效期起。"
    if not number.strip():
        errors["number"] = "请填写许可证编号。"
    elif is_taken(number.strip()):
        errors["number"] = f"许可证编号“{number}”已存在。"
    elif error := rules.permit_number_mismatch_error(number, facility.source_code):
        errors["number"] = error
    if application not in (PermitEventKind.FIRST_APPLICATION, PermitEventKind.REAPPLICATION):
        errors["application"] = "许可证应以首次申请或重新申请开始。"
    errors = {**rules.level_mismatch_errors(management_level, facility.management_level), **errors}
    if errors:
        raise ValidationError(errors)
    permit = Permit(
        number=number.strip(),
        facility=facility,
        management_level=management_level,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        report_frequency=report_frequency,
    )
    history.check_fields(permit)
    event = PermitEvent(
        permit=permit, kind=application, occurred_on=issued_on, document_no=document_no, recorded_by=by
    )
    history.check_fields(event)
    return permit, event


RENEWAL_TODO = "permit-renewal-decision:"


def renewal_todo(application: PermitEvent, permit: Permit, today: date) -> None:
    """Put a pending 延续 on 审批科's to-do list for a decision before expiry (R-PER-2)."""
    add_todo(**renewal_todo_item(application, permit, today, section(SectionCode.APPROVAL)))


def renewal_todo_item(application: PermitEvent, permit: Permit, today: date, approval) -> dict:
    """The to-do item of a pending 延续, as ``add_todo`` and ``sync_todos`` take it."""
    return {
        "key": f"{RENEWAL_TODO}{application.pk}",
        "title": (
            f"{permit.facility.name} 排污许可证 {permit.number} 的延续申请（{application.occurred_on:%Y-%m-%d} 提交）"
            f"待作出延续决定，许可证有效期至 {permit.valid_until:%Y-%m-%d}"
        ),
        "url": reverse("permits:facility-detail", args=[permit.facility_id]) + "#events",
        "due_on": permit.valid_until,
        "is_urgent": (permit.valid_until - today).days <= rules.EXPIRY_RED_DAYS,
        "section": approval,
    }


def _notice_errors(
    *,
    kind: str,
    is_bureau_initiated: bool,
    occurred_on: date,
    notice_no: str,
    notice_on: date | None,
    notice_file,
) -> dict[str, str]:
    """A 变更 initiated by 审批科 (依职权变更, R-PER-1) carries its notice to the unit."""
    if not is_bureau_initiated:
        if notice_no.strip() or notice_on is not None or notice_file:
            return {"notice_no": "只有审批科依职权办理的变更登记告知书。"}
        return {}
    if kind != PermitEventKind.CHANGE:
        return {"is_bureau_initiated": "只有“变更”可以由审批科依职权办理。"}
    errors = {}
    if not notice_no.strip():
        errors["notice_no"] = "依职权变更须填写告知排污单位的告知书文号。"
    if notice_on is None:
        errors["notice_on"] = "依职权变更须填写告知日期。"
    elif notice_on < occurred_on:
        errors["notice_on"] = "告知日期不能早于变更日期。"
    if notice_file:
        try:
            check_upload(notice_file, field="notice_file", label="告知书扫描件")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    return errors


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
    renewal_granted: bool | None = None,
    is_bureau_initiated: bool = False,
    notice_no: str = "",
    notice_on: date | None = None,
    notice_file=None,
    as_penalty: bool = False,
) -> PermitEvent:
    """Add an event to a permit's life, refusing what cannot happen (R-PER-1, R-PER-2).

    The permit row is locked so two clerks cannot record conflicting events at once.

    - A 延续申请 goes on 审批科's to-do list for its decision before expiry.
    - A 延续决定 (``renewal_decision``) is its own event with its date and 文号: granted with
      ``new_valid_until`` (the permit's validity moves; a grant after expiry leaves the gap
      uncovered) or refused (``renewal_granted=False``); it completes the to-do.
    - A ``renewal`` given ``new_valid_until`` (how the import and the API of the national platform
      say "renewed") records the decision on the pending application, or, with none pending, the
      application and its grant on the same day.
    - A 变更 by 审批科 (``is_bureau_initiated``) needs its notice to the unit: number, date and an
      optional scan (PDF or picture, checked by content and size).
    - A 吊销 decided as an administrative penalty (``as_penalty``) is recorded by 执法大队, who keeps the
      penalties (R-ORG-2), from the case that decided it.
    """
    if as_penalty and kind != PermitEventKind.REVOCATION:
        raise ValueError("只有吊销可以作为行政处罚登记。")
    assert_keeps(by, "penalty" if as_penalty else "permit")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "事项日期不能晚于今天：请在事项发生后登记。"})
    permit = Permit.objects.select_for_update().select_related("facility").get(pk=permit.pk)
    events = list(permit.events.all())
    pending = next(
        (e for e in reversed(events) if e.kind == PermitEventKind.RENEWAL and not _decided(e)), None
    )
    document_required = kind == PermitEventKind.RENEWAL_DECISION
    if kind == PermitEventKind.RENEWAL and new_valid_until is not None:
        if pending is None:
            pending = record_permit_event(by=by, permit=permit, kind=kind, occurred_on=occurred_on, note=note)
        kind, renewal_granted = PermitEventKind.RENEWAL_DECISION, True
        permit.refresh_from_db()
        events = list(permit.events.all())
    if kind == PermitEventKind.RENEWAL and pending is not None:
        raise ValidationError(
            {
                "kind": f"已有 {pending.occurred_on:%Y-%m-%d} 提交的延续申请待决定，请登记“延续决定”，不要重复登记申请。"
            }
        )
    if document_required and not document_no.strip():
        raise ValidationError({"document_no": "延续决定须填写决定文号。"})
    new = rules.Event(kind, occurred_on, new_valid_until, granted=renewal_granted)
    error = rules.event_error([queries.rule_event(e) for e in events], permit.valid_until, new)
    if error:
        field = "new_valid_until" if error in rules.VALIDITY_ERRORS else "kind"
        if error == rules.DECISION_MISSING:
            field = "renewal_granted"
        raise ValidationError({field: error})
    errors = _notice_errors(
        kind=kind,
        is_bureau_initiated=is_bureau_initiated,
        occurred_on=occurred_on,
        notice_no=notice_no,
        notice_on=notice_on,
        notice_file=notice_file,
    )
    if errors:
        raise ValidationError(errors)
    is_decision = kind == PermitEventKind.RENEWAL_DECISION
    event = PermitEvent(
        permit=permit,
        kind=kind,
        occurred_on=occurred_on,
        document_no=document_no,
        note=note,
        renewal_application=pending if is_decision else None,
        renewal_granted=renewal_granted if is_decision else None,
        previous_valid_until=permit.valid_until if is_decision and renewal_granted else None,
        new_valid_until=new_valid_until,
        is_bureau_initiated=is_bureau_initiated,
        notice_no=notice_no.strip(),
        notice_on=notice_on,
        recorded_by=by,
    )
    if notice_file:
        event.notice_file = notice_file
    event = history.save_checked(event, by=by)
    if kind == PermitEventKind.RENEWAL:
        renewal_todo(event, permit, timezone.localdate())
    if is_decision or (kind in rules.ENDING_EVENTS and pending is not None):
        # Decided, or moot: a permit cancelled, withdrawn or revoked has nothing left to renew.
        complete_todo(key=f"{RENEWAL_TODO}{pending.pk}", by=by)
    if is_decision:
        if renewal_granted:
            permit.valid_until = new_valid_until
            history.save_checked(permit, by=by, reason=f"延续至 {new_valid_until:%Y-%m-%d}（{document_no}）")
    return event


def _decided(application: PermitEvent) -> bool:
    try:
        return application.renewal_decision is not None
    except PermitEvent.DoesNotExist:
        return False


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
    receipt number again updates its dates (with history). A facility under 重点/简化管理 holds a
    permit, not a registration: a registration still valid today is refused for it with the level
    wording of R-FAC-3 (003 第六条); one that has already expired is history (from before the unit
    needed a permit) and is kept, as ``assert_levels_agree`` ignores it."""
    check_registration(
        by=by, facility=facility, receipt_no=receipt_no, registered_on=registered_on, valid_until=valid_until
    )
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


def check_registration(
    *, by: User | None, facility: Facility, receipt_no: str, registered_on: date, valid_until: date | None
) -> None:
    """The checks of ``record_registration`` before it looks the receipt number up, without writing:
    PermissionDenied or ValidationError as ``record_registration`` raises them."""
    assert_keeps(by, "registration")
    is_current = valid_until is None or valid_until >= timezone.localdate()
    if is_current and (
        error := rules.level_mismatch_error(ManagementLevel.REGISTERED, facility.management_level)
    ):
        raise ValidationError({"management_level": error})
    if not receipt_no.strip():
        raise ValidationError({"receipt_no": "请填写登记回执编号。"})
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": "登记日期不能晚于今天。"})
    if valid_until is not None and valid_until <= registered_on:
        raise ValidationError({"valid_until": "有效期至应晚于登记日期。"})
