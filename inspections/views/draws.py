"""双随机一公开 for 执法大队: draws, their selection, officers' conflicts (R-INS-5)."""

from django.http import Http404


def draw_list(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def draw_new(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def draw_detail(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def draw_run(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def draw_cancel(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def draw_pool(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def conflict_list(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def conflict_new(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404


def conflict_end(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404
