"""Placeholder routes of issue 13; the views land with the capability."""

from django.http import Http404


def summary_list(request, **kwargs):
    raise Http404


def summary_prepare(request, **kwargs):
    raise Http404


def summary_detail(request, **kwargs):
    raise Http404


def summary_pdf(request, **kwargs):
    raise Http404


def summary_send(request, **kwargs):
    raise Http404
