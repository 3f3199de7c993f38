"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("待实现", status=501)


case_list = _todo
case_new = _todo
case_detail = _todo
case_submit = _todo
case_reviewer = _todo
case_review = _todo
case_decide = _todo
