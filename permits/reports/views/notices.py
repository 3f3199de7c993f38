"""Placeholder: the owner of this module replaces it (issue 9)."""

from django.http import Http404


def _unbuilt(request, *args, **kwargs):
    raise Http404("建设中")


notice_list = feedback_notice = notice_pdf = _unbuilt
