"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("待实现", status=501)


interference_list = _todo
interference_new = _todo
