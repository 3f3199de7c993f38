"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("待实现", status=501)


inspection_detail = _todo
inspection_pdf = _todo
inspection_photo = _todo
inspection_sign = _todo
inspection_withdraw = _todo
inspection_amend = _todo
