"""The inspection plan: year, month, items, one facility's explanation, settings (R-INS-3, R-INS-4)."""

from django.http import Http404


def plan_home(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_settings(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_items(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_facility(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_year(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_recompute(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_adopt(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_month(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def plan_month_make(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404
