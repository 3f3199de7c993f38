"""Errors that services raise and that pages and the API turn into a Chinese answer.

- ``django.core.exceptions.ValidationError``: bad input (400, per field where known);
- ``django.core.exceptions.PermissionDenied``: the acting section may not do this (403);
- ``Conflict``: the record changed under the user, or a step is out of order (409).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(Exception):
    """A step that is not possible in the record's present state, or lost a race to another user."""


def api_exception_handler(exc, context):
    """DRF's handler, plus services' Django exceptions with their Chinese messages kept."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc) or "您没有执行该操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        return Response({"detail": "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    return exception_handler(exc, context)
