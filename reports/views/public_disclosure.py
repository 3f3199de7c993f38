"""Placeholder routes of issue 13; the views land with the capability."""

from django.http import Http404


def permit_list(request, **kwargs):
    raise Http404


def penalty_list(request, **kwargs):
    raise Http404


def typical_case_list(request, **kwargs):
    raise Http404


def typical_case_detail(request, **kwargs):
    raise Http404


def rates(request, **kwargs):
    raise Http404


def api_permits(request, **kwargs):
    raise Http404


def api_penalties(request, **kwargs):
    raise Http404


def api_typical_cases(request, **kwargs):
    raise Http404


def api_rates(request, **kwargs):
    raise Http404
