"""Placeholder: the owner of this module replaces it (issue 9)."""

from django.http import Http404


def _unbuilt(request, *args, **kwargs):
    raise Http404("建设中")


facility_reports = report_detail = _unbuilt
