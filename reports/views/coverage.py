"""Coverage for section heads (R-INS-3, R-INS-9, R-MON-1, R-INS-5)."""

from django.http import Http404


def coverage(request, *args, **kwargs):  # placeholder, replaced by its branch
    raise Http404
