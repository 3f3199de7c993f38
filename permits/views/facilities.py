"""The facility list (固定污染源), its Excel export, the detail page, 「登记污染源」 and
「修改本科室维护的信息」 (R-FAC-1, R-FAC-2, R-ORG-2, R-ORG-3, R-PER-2)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import in_sections, section_code, section_required
from bureau.documents import exports
from bureau.models import SectionCode
from bureau.web import submit_step
from permits import queries, rules
from permits.filters import FacilityFilter
from permits.forms import FacilityPartForm, FacilityRegistrationForm, owned_fields
from permits.models import Permit
from permits.services import facilities as facility_services
from permits.views.common import (
    REGISTRY_SECTIONS,
    PermitSummary,
    active_filters,
    is_town,
    paginate,
    plain_choices,
)
from permits.views.detail import NO_PART_MESSAGE, render_detail, submit_detail_form

# Reads ------------------------------------------------------------------------------------------------


@section_required(*REGISTRY_SECTIONS)
def facility_search(request):
    """The suggestions of the facility field (search-as-you-type): facilities the user may see whose
    name or a code contains ``q`` (R-ORG-3), each with the label the field accepts back."""
    results = [
        {
            "id": facility.pk,
            "name": facility.name,
            "code": queries.facility_code(facility),
            "town": facility.town.name if facility.town else "",
            "label": queries.facility_label(facility),
        }
        for facility in queries.search_facilities(request.user, request.GET.get("q", "")[:100])
    ]
    return JsonResponse({"results": results})


def _listed_permits(today: date):
    """Permits annotated with their state and whether a 延续 awaits its decision: one query for a
    whole page of facilities (prefetched), so the list never loads events."""
    return queries.with_pending_renewal(queries.with_state(Permit.objects.all(), today)).order_by(
        "-valid_until", "-id"
    )


def _current_permit(permits: list[Permit], today: date) -> PermitSummary | None:
    """The valid permit that runs longest, else the latest one; None for a facility without one."""
    if not permits:
        return None
    valid = [p for p in permits if p.state == "valid"]
    permit = valid[0] if valid else max(permits, key=lambda p: (p.issued_on, p.pk))
    flag = None
    if permit.state == "valid":
        flag = rules.expiry_flag(permit.valid_until, today, pending_renewal=permit.renewal_pending)
    return PermitSummary(permit, permit.state, flag)


def facility_filterset(user, query, today: date) -> FacilityFilter:
    """The facilities ``user`` may see (R-ORG-3) under the filters of ``query``: what the page lists
    and its Excel export holds (``permits.exports``)."""
    queryset = (
        queries.visible_facilities(user)
        .select_related("town", "key_industry")
        .prefetch_related(Prefetch("permits", _listed_permits(today), to_attr="permit_rows"))
    )
    return plain_choices(FacilityFilter(query, queryset=queryset))


def with_current_permits(facilities, today: date):
    for facility in facilities:
        facility.current_permit = _current_permit(facility.permit_rows, today)
        yield facility


# Pages ------------------------------------------------------------------------------------------------


@section_required(*REGISTRY_SECTIONS)
def facility_list(request):
    """固定污染源 list: filters, search, 50 a page, the current permit's state and expiry flag."""
    today = timezone.localdate()
    filterset = facility_filterset(request.user, request.GET, today)
    page = paginate(request, filterset.qs)
    rows = list(with_current_permits(page.object_list, today))
    return render(
        request,
        "permits/facility_list.html",
        {
            "filter": filterset,
            "page": page,
            "facilities": rows,
            "show_town_filter": not is_town(request.user),
            "may_register": in_sections(request.user, REGISTERING_SECTIONS),
            "active_filters": active_filters(request, filterset),
            "today": today,
        },
    )


@section_required(*REGISTRY_SECTIONS)
def facility_export(request):
    """The filtered list as Excel: same scope and filters as the page, all pages (``permits.exports``)."""
    return exports.respond(request, "permits.facilities")


# 审批科 keeps permit, registration and basic data (R-ORG-2, 003 第八条): it registers new sites.
REGISTERING_SECTIONS = (SectionCode.APPROVAL,)


@section_required(*REGISTERING_SECTIONS)
def facility_create(request):
    """「登记污染源」: a new unit's first site or another site of a known unit (R-FAC-1), through
    ``add_facility``, the service the import and the API use too. ``?credit_code=`` fills the unit in
    (the link on a facility page). On an error every field comes back as typed, the error beside it."""
    if request.method != "POST":
        form = FacilityRegistrationForm(initial={"credit_code": request.GET.get("credit_code", "")})
        return render(request, "permits/facility_create.html", {"form": form})
    form = FacilityRegistrationForm(request.POST)

    def call(data):
        values = {key: value for key, value in data.items() if value not in (None, "")}
        facility = facility_services.add_facility(by=request.user, values=values)
        message = f"已登记污染源 {facility.source_code}（{facility.name}）。"
        return message, reverse("permits:facility-detail", args=[facility.pk])

    def render_again(*, form, status, alert):
        return render(request, "permits/facility_create.html", {"form": form, "alert": alert}, status=status)

    return submit_step(
        request, form, call=call, render_again=render_again, labels=facility_services.field_labels()
    )


@section_required(*REGISTRY_SECTIONS)
def facility_detail(request, pk):
    """One facility with everything the registry knows of it (404 alike for missing and not yours)."""
    return render_detail(request, pk)


@section_required(*REGISTRY_SECTIONS)
@require_POST
def facility_update(request, pk):
    """「修改本科室维护的信息」: only the fields the user's section keeps (R-ORG-2). Any other field
    in the POST is refused by the service's own check, naming the section that keeps it."""
    facility = queries.facility_for_user(request.user, pk)
    owned = owned_fields(request.user, section_code(request.user))
    foreign = [name for name in rules.FIELD_OWNERS if name in request.POST and name not in owned]
    form = FacilityPartForm(request.POST, facility=facility, field_names=owned + foreign)

    def check():
        facility_services.assert_may_change(request.user, foreign)
        if not owned:
            raise PermissionDenied(NO_PART_MESSAGE)

    def call(data):
        # Only what the user changed: an untouched field never overwrites someone else's edit.
        changes = {name: data[name] for name in form.changed_data}
        if not changes:
            return "没有修改任何内容。"
        facility_services.update_facility(facility=facility, by=request.user, changes=changes)
        return f"已保存：{'、'.join(str(form.fields[name].label) for name in changes)}。"

    return submit_detail_form(
        request, facility.pk, form, key="facility", check=check, call=call, anchor="parts"
    )
