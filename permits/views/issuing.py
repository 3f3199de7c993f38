"""核发排污许可证 in the browser (R-PER-1, R-FAC-3) and the list of rolling quality checks owed
(R-PER-3), both for 审批科."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bureau.access import section_required
from bureau.web import submit_step
from permits import queries
from permits.forms import PermitIssueForm
from permits.services import permits as permit_services
from permits.services.issuing import LimitInput, OutletInput, PermitContents, issue_permit_with_contents
from permits.services.rectification import Requirement
from permits.views.common import REGISTRY_SECTIONS, may_keep


def _contents(data) -> PermitContents:
    return PermitContents(
        outlets=[OutletInput(**row) for row in data["outlets"]],
        limits=[LimitInput(**row) for row in data["limits"]],
        requirements=[Requirement(**row) for row in data["requirements"]],
    )


@section_required(*REGISTRY_SECTIONS)
def permit_issue(request, pk):
    """登记核发的排污许可证 with its outlets, limits and 整改要求, for 审批科 only (R-ORG-2): the same
    services and checks as the import and the API, and the R-FAC-3 level check. On an error the
    page comes back with everything typed kept."""
    facility = queries.facility_for_user(request.user, pk)

    def render_again(*, form, status, alert):
        return render(
            request,
            "permits/permit_issue.html",
            {"facility": facility, "form": form, "alert": alert},
            status=status,
        )

    def check():
        permit_services.assert_keeps(request.user, "permit")

    if request.method != "POST":
        if not may_keep(request.user, "permit"):
            return render_again(
                form=None, status=403, alert="该信息由行政审批服务科维护，您所在的科室只能查看，不能修改。"
            )
        initial = {"management_level": facility.management_level}
        return render_again(form=PermitIssueForm(initial=initial), status=200, alert="")
    form = PermitIssueForm(request.POST)

    def call(data):
        permit = issue_permit_with_contents(
            by=request.user,
            facility=facility,
            number=data["number"],
            management_level=data["management_level"],
            issued_on=data["issued_on"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            report_frequency=data["report_frequency"],
            document_no=data["document_no"],
            application=data["application"],
            contents=_contents(data),
        )
        url = reverse("permits:facility-detail", args=[facility.pk]) + "#permits"
        return f"已登记排污许可证 {permit.number}（{permit.events.get().get_kind_display()}）。", url

    return submit_step(request, form, check=check, call=call, render_again=render_again)


@section_required(*REGISTRY_SECTIONS)
def quality_owed(request):
    """滚动质量检查待办 (R-PER-3, 000 二(二)2): this year's first, re-applied and changed permits that
    no quality check has covered yet, for every section to read and 审批科 to work through."""
    today = timezone.localdate()
    events = list(queries.visible_owed_quality_checks(request.user, today.year))
    return render(
        request,
        "permits/quality_owed.html",
        {"events": events, "year": today.year, "may_check": may_keep(request.user, "quality_check")},
    )
