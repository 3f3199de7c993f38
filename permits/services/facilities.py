"""Units and their sites: a facility is one site of a unit, named by its source code (R-FAC-1); each
section changes only its part (R-ORG-2); a facility's level agrees with its permit's (R-FAC-3)."""

from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from bureau import history
from bureau.access import section_code
from bureau.models import Town, User
from permits import rules
from permits.models import Facility, FacilityStatus, KeyIndustry, ManagementLevel, Unit
from permits.queries import valid_permit_levels

REQUIRED = ("name", "town", "industry_code", "industry_name", "management_level")
# What names the site rather than describes it: read by ``rules.site_reference``, never written as fields.
SITE_KEYS = ("source_code", "credit_code", "site_number", "permit_number")


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


def assert_keeps_facilities(user: User | None) -> None:
    """PermissionDenied unless ``user``'s section keeps some facility field (R-ORG-2); ``None`` is the
    system."""
    if (
        user is not None
        and not user.is_superuser
        and section_code(user) not in set(rules.FIELD_OWNERS.values())
    ):
        raise PermissionDenied("您所在的科室不维护排污单位信息，只能查看。")


def check_new_site(user: User | None, values: dict[str, Any]) -> None:
    """What creating a site from ``values`` needs: every required field, and only fields ``user``'s
    section keeps (R-ORG-2)."""
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing:
        raise ValidationError({name: "新建排污单位时此项为必填项。" for name in missing})
    if user is not None:
        assert_may_change(user, [k for k in values if k in rules.FIELD_OWNERS])


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
        # C2641, "C2641 涂料制造" and 2641 are one code (R-FAC-2).
        code = rules.normalise_industry_code(cleaned["industry_code"])
        if code and (error := rules.industry_code_error(code)):
            errors["industry_code"] = error
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
    facility.full_clean(exclude=["key_industry", "unit"], validate_unique=False)
    facility.save()


def site_of(values: dict[str, Any]) -> rules.SiteReference:
    """The site ``values`` name (source code; credit code + site number; permit number), or
    ValidationError on the field that is wrong (R-FAC-1)."""
    ref = rules.site_reference(**{key: str(values.get(key) or "") for key in SITE_KEYS})
    if ref.error:
        raise ValidationError({ref.error_field: ref.error})
    return ref


def _site_number(unit: Unit | None, ref: rules.SiteReference) -> str:
    """The site ``ref`` names within ``unit`` (``rules.unit_site_number``), or ValidationError when a
    unit with several sites is named by its credit code alone (R-FAC-1)."""
    sites = sorted(unit.facilities.values_list("site_number", flat=True)) if unit else []
    number = rules.unit_site_number(ref.site_number, sites)
    if number is None:
        raise ValidationError({"site_number": rules.several_sites_error(ref.credit_code, sites)})
    return number


def _unit_for(ref: rules.SiteReference, name: str, by: User | None, source: str) -> Unit:
    unit = Unit.objects.select_for_update().filter(credit_code=ref.credit_code).first()
    if unit is not None:
        return unit
    try:
        with transaction.atomic():
            return history.save(
                Unit(credit_code=ref.credit_code, name=name), by=by, reason=f"新建（来源：{source}）"
            )
    except IntegrityError:
        # Another request created this unit a moment ago: it is the same unit (R-FAC-1).
        return Unit.objects.get(credit_code=ref.credit_code)


def assert_levels_agree(facility: Facility, level: str) -> None:
    """ValidationError naming both levels if ``facility`` holds a valid permit, or a valid 排污登记
    (登记管理), of another level than ``level`` (R-FAC-3, 003 第六条)."""
    if facility.pk is None:
        return
    today = timezone.localdate()
    held = valid_permit_levels(facility, today)
    if facility.registrations.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).exists():
        held.add(ManagementLevel.REGISTERED)
    for held_level in sorted(held):
        if error := rules.level_mismatch_error(held_level, level):
            raise ValidationError({"management_level": error})


class Registered(NamedTuple):
    """What ``register_facility`` did: the facility, ``{field: (old, new)}`` of what changed, and
    whether it created the site (as decided under the row lock, not by counting rows)."""

    facility: Facility
    changes: dict[str, tuple[Any, Any]]
    created: bool


@transaction.atomic
def register_facility(*, by: User | None, values: dict[str, Any], source: str = "手工录入") -> Registered:
    """Create the site ``values`` name or update the one that exists (R-FAC-1).

    The site is named by ``source_code``, or ``credit_code`` (+ ``site_number``), or a
    ``permit_number`` whose first 21 characters are the source code (``site_of``). A credit code alone
    names the unit's only site, or site 001 of a new unit. A new credit code creates its unit (named
    ``unit_name``, else the facility's name). A second source never creates a second facility: it
    updates the fields it brings, which the acting section must own (R-ORG-2); a level that would
    disagree with the facility's valid permit is refused (R-FAC-3). Returns the facility,
    ``{field: (old, new)}`` of what changed (every field for a new one) and whether it was created.
    History records ``source``.
    """
    assert_keeps_facilities(by)
    values = dict(values)
    ref = site_of(values)
    unit_name = (values.pop("unit_name", "") or "").strip()
    values = _clean({k: v for k, v in values.items() if k not in SITE_KEYS})
    unit = Unit.objects.filter(credit_code=ref.credit_code).first()
    site_number = _site_number(unit, ref)
    code = rules.source_code(ref.credit_code, site_number)
    facility = Facility.objects.select_for_update().filter(source_code=code).first()
    if facility is None:
        check_new_site(by, values)
        unit = _unit_for(ref, unit_name or values["name"], by, source)
        facility = Facility(
            unit=unit, credit_code=unit.credit_code, site_number=site_number, source_code=code, **values
        )
        facility.key_industry = _key_industry(facility.industry_code)
        try:
            with transaction.atomic():
                _save(facility, by, f"新建（来源：{source}）")
        except IntegrityError:
            # Another request created this site a moment ago: update that one instead (R-FAC-1).
            return register_facility(by=by, values={"source_code": code, **values}, source=source)
        return Registered(facility, {k: (None, v) for k, v in values.items()}, created=True)
    changes = {k: (getattr(facility, k), v) for k, v in values.items() if getattr(facility, k) != v}
    if not changes:
        return Registered(facility, {}, created=False)
    if by is not None:
        assert_may_change(by, changes)
    if "management_level" in changes:
        assert_levels_agree(facility, changes["management_level"][1])
    for name, (_, new) in changes.items():
        setattr(facility, name, new)
    if "industry_code" in changes:
        facility.key_industry = _key_industry(facility.industry_code)
    _save(facility, by, f"更新（来源：{source}）")
    return Registered(facility, changes, created=False)


def next_site_number(unit: Unit | None) -> str:
    """The next free site number of ``unit`` (``rules.next_site_number``; 001 for a new unit)."""
    return rules.next_site_number(list(unit.facilities.values_list("site_number", flat=True)) if unit else [])


@transaction.atomic
def add_facility(*, by: User, values: dict[str, Any]) -> Facility:
    """Register a new site in the browser (R-FAC-1): a new unit's first site, or a further site of a
    known unit (its next free number unless ``site_number`` is given). Refuses a source code that is
    already registered, pointing to it, instead of changing it: changes go through the facility page.
    The same checks as ``register_facility``, which writes it."""
    values = dict(values)
    credit = check_credit_code(values.get("credit_code", ""))
    unit = Unit.objects.select_for_update().filter(credit_code=credit).first()
    site = rules.normalise_site_number(values.get("site_number", "")) or next_site_number(unit)
    if error := rules.site_number_error(site):
        raise ValidationError({"site_number": error})
    code = rules.source_code(credit, site)
    existing = Facility.objects.filter(source_code=code).first()
    if existing is not None:
        raise ValidationError(
            {"site_number": f"污染源 {code}（{existing.name}）已登记，请在该污染源页面修改，不要重复登记。"}
        )
    if unit is None and not (values.get("unit_name") or values.get("name")):
        raise ValidationError({"unit_name": "新单位请填写单位名称。"})
    values.update(credit_code=credit, site_number=site)
    return register_facility(by=by, values=values, source="页面登记").facility


@transaction.atomic
def update_facility(*, facility: Facility, by: User, changes: dict[str, Any]) -> Facility:
    """Change fields of a facility; each must belong to the acting section (R-ORG-2, 003 第八条), and a
    new level must agree with the facility's valid permit (R-FAC-3)."""
    unknown = [k for k in changes if k not in rules.FIELD_OWNERS]
    if unknown:
        raise ValidationError({k: "该字段不能修改。" for k in unknown})
    assert_may_change(by, changes)
    facility, _, _ = register_facility(
        by=by, values={"source_code": facility.source_code, **changes}, source="页面或接口修改"
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
