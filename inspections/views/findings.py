"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("待实现", status=501)


finding_list = _todo
finding_task = _todo
