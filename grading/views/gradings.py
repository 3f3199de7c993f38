"""Pages of the annual grading (placeholder until built)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("建设中")


grading_home = grading_detail = grading_start = grading_progress = grade_override = _todo
grading_cap = grading_confirm = grading_results_pdf = facility_grades = _todo
