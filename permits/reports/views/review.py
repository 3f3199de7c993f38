"""Placeholder: the owner of this module replaces it (issue 9)."""

from django.http import Http404


def _unbuilt(request, *args, **kwargs):
    raise Http404("建设中")


review_open = reviews_open_many = review_detail = _unbuilt
