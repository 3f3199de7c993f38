"""登记许可证事项 on the facility detail page (R-PER-1), for the approval section."""

from django.views.decorators.http import require_POST

from bureau.access import section_required
from permits import queries
from permits.forms import PermitEventForm
from permits.services import permits as permit_services
from permits.services.issuing import record_permit_event_with_requirements
from permits.views.common import REGISTRY_SECTIONS
from permits.views.detail import submit_detail_form


@section_required(*REGISTRY_SECTIONS)
@require_POST
def permit_event_create(request, pk):
    """登记许可证事项 (R-PER-1), for the approval section."""
    facility = queries.facility_for_user(request.user, pk)
    permits = list(queries.visible_permits(request.user).filter(facility=facility))
    form = PermitEventForm(request.POST, request.FILES, permits=permits)

    def call(data):
        event = record_permit_event_with_requirements(
            by=request.user,
            permit=data["permit"],
            requirements=data["requirements"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            document_no=data["document_no"],
            note=data["note"],
            new_valid_until=data["new_valid_until"],
            renewal_granted=data["renewal_granted"],
            is_bureau_initiated=data["is_bureau_initiated"],
            notice_no=data["notice_no"],
            notice_on=data["notice_on"],
            notice_file=data["notice_file"],
        )
        message = f"已登记许可证 {data['permit'].number} 的“{event.get_kind_display()}”事项。"
        if data["requirements"]:
            message += "整改要求已列入限期整改问题台账。"
        return message

    return submit_detail_form(
        request,
        facility.pk,
        form,
        key="event",
        check=lambda: permit_services.assert_keeps(request.user, "permit"),
        call=call,
        anchor="events",
    )
