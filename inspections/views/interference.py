"""插手干预记录 (R-INS-11; 002 十九; 000 五3): any member of the bureau records an attempt to interfere
with enforcement; only 局领导 and 法制科 read the records. For everyone else the list is a page that
does not exist: the same 404 as any unknown address, the administrator and anonymous visitors
included, and nothing after saving links to the record."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from bureau.access import Viewer, section_required
from bureau.documents import exports
from bureau.sections import BUREAU_SECTIONS
from bureau.web import submit_step
from inspections import queries, rules
from inspections.case_forms import InterferenceForm
from inspections.services import interference as interference_services

PAGE_SIZE = 50
RECORDED = (
    "已记录插手干预情况。该记录仅局领导和法制科可以查看，记录后不能修改或删除；记录人本人此后也不能查看。"
)
NOT_FOR = "插手干预记录由局机关工作人员填写。"


def may_read(user) -> bool:
    """Whether ``user`` reads the records: 局领导 and 法制科, never the administrator (R-INS-11)."""
    viewer = Viewer.of(user)
    return not viewer.is_superuser and rules.may_read_interference(viewer.section_code)


def interference_list(request):
    """插手干预记录 for 局领导 and 法制科, newest first, 50 a page. Anyone else, logged in or not, gets
    the 404 of an address that does not exist (raised before anything is read)."""
    if not may_read(request.user):
        raise Http404()
    page = Paginator(queries.visible_interference(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/interference_list.html", {"page": page})


def interference_export(request):
    """The records as Excel for the page's own audience only (``inspections.exports``); anyone else
    gets the page's 404, so the export tells no more than the page that records exist."""
    if not may_read(request.user):
        raise Http404()
    return exports.respond(request, "inspections.interference")


def _linked(request):
    """The inspection and the case named by ``?inspection=`` and ``?case=``, as the user may see them
    (404 otherwise, the same as for one that does not exist)."""
    inspection = case = None
    if request.GET.get("inspection"):
        inspection = queries.inspection_for_user(request.user, request.GET["inspection"])
    if request.GET.get("case"):
        case = queries.case_for_user(request.user, request.GET["case"])
    return inspection, case


@section_required(*BUREAU_SECTIONS)
def interference_new(request):
    """记录插手干预 for any member of the bureau (not a town, not the administrator), optionally on an
    inspection (``?inspection=``) or a case (``?case=``). After saving: back to that page (or to this
    form) with a confirmation of who may read it, and no link to the record."""
    viewer = Viewer.of(request.user)
    if viewer.is_superuser:
        raise PermissionDenied(NOT_FOR)
    inspection, case = _linked(request)
    back = (
        reverse("inspections:inspection-detail", args=[inspection.pk])
        if inspection
        else reverse("inspections:case-detail", args=[case.pk])
        if case
        else reverse("inspections:interference-new")
    )

    def render_again(*, form=None, status=200, alert=""):
        context = {
            "form": form or InterferenceForm(),
            "inspection": inspection,
            "case": case,
            "back": back,
            "alert": alert,
        }
        return render(request, "inspections/interference_new.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        interference_services.record_interference(by=request.user, inspection=inspection, case=case, **data)
        return RECORDED

    return submit_step(
        request, InterferenceForm(request.POST), call=call, render_again=render_again, success_url=back
    )
