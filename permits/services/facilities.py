"""Facilities: one per credit code (R-FAC-1), each section changing only its part (R-ORG-2)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bureau import history
from bureau.access import section_code
from bureau.models import Town, User
from permits import rules
from permits.models import Facility, FacilityStatus, KeyIndustry, ManagementLevel

REQUIRED = ("name", "town", "industry_code", "industry_name", "management_level")


def field_labels() -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in Facility._meta.get_fields() if hasattr(f, "verbose_name")}


def check_credit_code(raw: str) -> str:
    """The normalised code, or ValidationError on ``credit_code`` saying what is wrong (R-FAC-1)."""
    code = rules.normalise_credit_code(raw or "")
    error = rules.credit_code_error(code)
    if error:
        raise ValidationError({"credit_code": error})
    return code


def assert_may_change(user: User, fields) -> None:
    """PermissionDenied naming the owning section for any field ``user``'s section does not keep (R-ORG-2)."""
    refused = rules.fields_not_owned(section_code(user), fields, is_superuser=user.is_superuser)
    if refused:
        raise PermissionDenied(rules.ownership_message(field_labels(), refused))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    cleaned = dict(values)
    if "town" in cleaned and not isinstance(cleaned["town"], Town):
        town = (
            Town.objects.filter(name=cleaned["town"]).first()
            or Town.objects.filter(code=cleaned["town"]).first()
        )
        if town is None:
            errors["town"] = f"没有名为“{cleaned['town']}”的街镇（园区）。"
        cleaned["town"] = town
    if "management_level" in cleaned and cleaned["management_level"] not in ManagementLevel.values:
        errors["management_level"] = (
            "管理类别应为 key（重点管理）、simplified（简化管理）或 registered（登记管理）。"
        )
    if "status" in cleaned and cleaned["status"] not in FacilityStatus.values:
        errors["status"] = "生产状态应为 operating（在产）、halted（停产）或 closed（关闭）。"
    if "industry_code" in cleaned:
        code = str(cleaned["industry_code"]).strip()
        if not (code.isdigit() and 2 <= len(code) <= 4):
            errors["industry_code"] = "行业类别代码应为 2–4 位数字（国民经济行业分类）。"
        cleaned["industry_code"] = code
    for name in REQUIRED:
        if name in cleaned and cleaned[name] in (None, ""):
            errors.setdefault(name, "此项为必填项。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _key_industry(industry_code: str) -> KeyIndustry | None:
    active = {k.code: k for k in KeyIndustry.objects.filter(is_active=True)}
    match = rules.key_industry_code(industry_code, active)
    return active.get(match) if match else None


def _save(facility: Facility, by: User | None, reason: str) -> None:
    history.record(facility, by=by, reason=reason)
    facility.full_clean(exclude=["key_industry"], validate_unique=False)
    facility.save()


@transaction.atomic
def register_facility(
    *, by: User | None, values: dict[str, Any], source: str = "手工录入"
) -> tuple[Facility, dict]:
    """Create the facility of ``values['credit_code']`` or update the one that exists (R-FAC-1).

    A second source never creates a second facility: it updates the fields it brings, which the acting
    section must own (R-ORG-2). Returns the facility and ``{field: (old, new)}`` of what changed
    (every field for a new one). History records ``source`` as the reason.
    """
    if by is not None and not by.is_superuser and section_code(by) not in set(rules.FIELD_OWNERS.values()):
        raise PermissionDenied("您所在的科室不维护排污单位信息，只能查看。")
    values = dict(values)
    code = check_credit_code(values.pop("credit_code", ""))
    values = _clean(values)
    facility = Facility.objects.select_for_update().filter(credit_code=code).first()
    if facility is None:
        missing = [name for name in REQUIRED if not values.get(name)]
        if missing:
            raise ValidationError({name: "新建排污单位时此项为必填项。" for name in missing})
        if by is not None:
            assert_may_change(by, [k for k in values if k in rules.FIELD_OWNERS])
        facility = Facility(credit_code=code, **values)
        facility.key_industry = _key_industry(facility.industry_code)
        try:
            with transaction.atomic():
                _save(facility, by, f"新建（来源：{source}）")
        except IntegrityError:
            # Another request created this credit code a moment ago: update that one instead (R-FAC-1).
            return register_facility(by=by, values={"credit_code": code, **values}, source=source)
        return facility, {k: (None, v) for k, v in values.items()}
    changes = {k: (getattr(facility, k), v) for k, v in values.items() if getattr(facility, k) != v}
    if not changes:
        return facility, {}
    if by is not None:
        assert_may_change(by, changes)
    for name, (_, new) in changes.items():
        setattr(facility, name, new)
    if "industry_code" in changes:
        facility.key_industry = _key_industry(facility.industry_code)
    _save(facility, by, f"更新（来源：{source}）")
    return facility, changes


@transaction.atomic
def update_facility(*, facility: Facility, by: User, changes: dict[str, Any]) -> Facility:
    """Change fields of a facility; each must belong to the acting section (R-ORG-2, 003 第八条)."""
    unknown = [k for k in changes if k not in rules.FIELD_OWNERS]
    if unknown:
        raise ValidationError({k: "该字段不能修改。" for k in unknown})
    assert_may_change(by, changes)
    facility, _ = register_facility(
        by=by, values={"credit_code": facility.credit_code, **changes}, source="页面或接口修改"
    )
    return facility


@transaction.atomic
def refresh_key_industries(*, by: User | None = None) -> int:
    """Re-flag every facility after the key-industry table changed (R-FAC-2). Returns facilities changed."""
    active = {k.code: k for k in KeyIndustry.objects.filter(is_active=True)}
    changed = 0
    for facility in Facility.objects.select_related("key_industry").iterator(chunk_size=2000):
        match = rules.key_industry_code(facility.industry_code, active)
        target = active.get(match) if match else None
        if facility.key_industry_id != (target.pk if target else None):
            facility.key_industry = target
            history.record(facility, by=by, reason="重点行业名录调整")
            facility.save(update_fields=["key_industry", "updated_at"])
            changed += 1
    return changed
