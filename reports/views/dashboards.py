"""Placeholder routes of issue 13; the views land with the capability."""

from django.http import Http404


def section_dashboard(request, **kwargs):
    raise Http404


def leadership_dashboard(request, **kwargs):
    raise Http404
