"""Placeholder routes of issue 13; the views land with the capability."""

from django.http import Http404


def typical_case_list(request, **kwargs):
    raise Http404


def typical_case_add(request, **kwargs):
    raise Http404


def typical_case_withdraw(request, **kwargs):
    raise Http404
