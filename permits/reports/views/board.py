"""Placeholder: the owner of this module replaces it (issue 9)."""

from django.http import Http404


def _unbuilt(request, *args, **kwargs):
    raise Http404("建设中")


report_board = board_export = report_settings = report_samples = report_sample = _unbuilt
