"""The forms on the facility detail page that add records to the registry: 核发质量检查 with its
findings (R-PER-3), 排污登记, 排放口 and 许可排放限值 (审批科), 行政处罚 (执法大队).

Each posts to its own URL and calls exactly one service. The facility is looked up first, so another
town's facility answers 404 exactly like a missing one (R-ORG-3); the keeping section is checked next,
so a forged POST by another section is refused with 403 and the reason in Chinese (R-ORG-2), whatever
its body; then the form, then the service, whose errors come back on the re-rendered page with the
user's input kept (``permits.views.detail.submit_detail_form``).
"""

from django.views.decorators.http import require_POST

from bureau.access import section_required
from permits import queries
from permits.forms import EmissionLimitForm, OutletForm, PenaltyForm, QualityCheckForm, RegistrationForm
from permits.models import Outlet
from permits.services import penalties as penalty_services
from permits.services import permits as permit_services
from permits.services import quality as quality_services
from permits.views.common import REGISTRY_SECTIONS
from permits.views.detail import submit_detail_form


def _facility_permits(user, facility):
    return list(queries.visible_permits(user).filter(facility=facility))


def _keeps(user, record: str):
    return lambda: permit_services.assert_keeps(user, record)


@section_required(*REGISTRY_SECTIONS)
@require_POST
def quality_check_create(request, pk):
    """登记核发质量检查 with up to five findings, for the approval section (R-PER-3). Each finding
    becomes a rectification item whose deadline counts working days (R-CAL-1)."""
    facility = queries.facility_for_user(request.user, pk)
    form = QualityCheckForm(request.POST, permits=_facility_permits(request.user, facility))

    def call(data):
        check = quality_services.record_quality_check(
            by=request.user,
            facility=facility,
            permit=data["permit"],
            checked_on=data["checked_on"],
            method=data["method"],
            selection=data["selection"],
            summary=data["summary"],
            findings=data["findings"],
        )
        found = len(data["findings"])
        outcome = f"发现问题 {found} 项，已列入限期整改台账。" if found else "未发现问题。"
        return f"已登记 {check.checked_on:%Y-%m-%d} 的核发质量检查：{outcome}"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="check",
        check=_keeps(request.user, "quality_check"),
        call=call,
        anchor="checks",
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def registration_create(request, pk):
    """登记排污登记回执, for the approval section; the same receipt number again updates its dates."""
    facility = queries.facility_for_user(request.user, pk)
    form = RegistrationForm(request.POST)

    def call(data):
        registration = permit_services.record_registration(
            by=request.user,
            facility=facility,
            receipt_no=data["receipt_no"],
            registered_on=data["registered_on"],
            valid_until=data["valid_until"],
        )
        return f"已保存排污登记，回执编号 {registration.receipt_no}。"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="registration",
        check=_keeps(request.user, "registration"),
        call=call,
        anchor="registrations",
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def outlet_create(request, pk):
    """添加排放口 to one of the facility's permits, for the approval section."""
    facility = queries.facility_for_user(request.user, pk)
    form = OutletForm(request.POST, permits=_facility_permits(request.user, facility))

    def call(data):
        outlet = permit_services.add_outlet(
            by=request.user,
            permit=data["permit"],
            code=data["code"],
            kind=data["kind"],
            name=data["name"],
            location=data["location"],
        )
        return f"已为许可证 {data['permit'].number} 添加排放口 {outlet.code}。"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="outlet",
        check=_keeps(request.user, "permit"),
        call=call,
        anchor="permits",
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def emission_limit_create(request, pk):
    """设置许可排放限值 of one pollutant at one of the facility's outlets, for the approval section."""
    facility = queries.facility_for_user(request.user, pk)
    outlets = Outlet.objects.filter(
        permit__in=queries.visible_permits(request.user).filter(facility=facility)
    )
    form = EmissionLimitForm(request.POST, outlets=list(outlets.select_related("permit")))

    def call(data):
        limit = permit_services.set_emission_limit(
            by=request.user,
            outlet=data["outlet"],
            pollutant=data["pollutant"],
            concentration=data["concentration"],
            unit=data["unit"],
            annual_quantity=data["annual_quantity"],
        )
        return f"已设置排放口 {data['outlet'].code} 的“{limit.pollutant}”许可排放限值。"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="limit",
        check=_keeps(request.user, "permit"),
        call=call,
        anchor="permits",
    )


@section_required(*REGISTRY_SECTIONS)
@require_POST
def penalty_create(request, pk):
    """登记行政处罚决定, for 执法大队 (R-ORG-2: the penalty record is theirs)."""
    facility = queries.facility_for_user(request.user, pk)
    form = PenaltyForm(request.POST)

    def call(data):
        record = penalty_services.record_penalty(
            by=request.user,
            facility=facility,
            decision_no=data["decision_no"],
            decided_on=data["decided_on"],
            violation=data["violation"],
            amount=data["amount"],
        )
        return f"已登记行政处罚决定书 {record.decision_no}。"

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="penalty",
        check=_keeps(request.user, "penalty"),
        call=call,
        anchor="penalties",
    )
