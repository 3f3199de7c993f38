"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("待实现", status=501)


checklist_list = _todo
version_detail = _todo
version_revise = _todo
part_save = _todo
point_save = _todo
point_remove = _todo
version_publish = _todo
