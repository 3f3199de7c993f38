"""Pages of execution reports (R-REP-1…4). Being built: the period board, a facility's reports, the
review screen and the notice page replace these placeholders in the same change."""

from django.http import HttpResponse

from bureau.access import section_required
from bureau.sections import BUREAU_SECTIONS, TOWN

REPORT_SECTIONS = frozenset(BUREAU_SECTIONS | {TOWN})


@section_required(*REPORT_SECTIONS)
def report_board(request):
    return HttpResponse("执行报告")


@section_required(*REPORT_SECTIONS)
def facility_reports(request, pk):
    return HttpResponse("执行报告")


@section_required(*REPORT_SECTIONS)
def report_detail(request, pk):
    return HttpResponse("执行报告")


@section_required(*REPORT_SECTIONS)
def review_detail(request, pk):
    return HttpResponse("审核")


@section_required(*REPORT_SECTIONS)
def feedback_notice(request, pk):
    return HttpResponse("反馈意见单")
