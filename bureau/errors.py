"""Errors that services raise and that pages and the API turn into a Chinese answer.

Every error answer under ``/api/`` is JSON with a Chinese ``detail`` (ASVS 14, issue 14): DRF's own
exceptions through ``api_exception_handler`` (their English defaults translated here), and what Django
answers before or outside DRF (unknown address, body too large, a server error) through the
``handler400/403/404/500`` of ``config/urls.py`` and ``ApiBodyLimit``. Browsers get the Chinese pages.

- ``django.core.exceptions.ValidationError``: bad input (400, per field where known);
- ``django.core.exceptions.PermissionDenied``: the acting section may not do this (403);
- ``Conflict``: the record changed under the user, or a step is out of order (409);
- ``bureau.background.QueueUnavailable``: the broker is down, the job was not queued (503).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from bureau.background import QueueUnavailable

API_PREFIX = "/api/"
TOO_BIG = "请求体过大，超过系统允许的大小。"


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
    if isinstance(exc, QueueUnavailable):
        return Response({"detail": exc.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": TOO_BIG}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, exceptions.APIException):
        exc = _in_chinese(exc)
    return exception_handler(exc, context)


def _in_chinese(exc: exceptions.APIException) -> exceptions.APIException:
    """DRF's exception with its default (English, or DRF's own translation) detail replaced by the
    bureau's Chinese one; a Chinese detail that a view or a service wrote itself is kept."""
    detail = exc.detail if isinstance(exc.detail, str) else None
    if detail is None or (_has_chinese(detail) and detail != str(exc.default_detail)):
        if not isinstance(exc, _FORMATTED):
            return exc
    if isinstance(exc, exceptions.Throttled):
        wait = f"，请 {exc.wait:.0f} 秒后再试" if exc.wait is not None else "，请稍后再试"
        chinese = f"请求过于频繁{wait}。"
    elif isinstance(exc, exceptions.MethodNotAllowed):
        chinese = f"该接口不支持 {_quoted_in(detail)} 方法。"
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        chinese = "不支持的请求体类型，请使用 application/json。"
    else:
        chinese = next((text for cls, text in _DEFAULTS.items() if isinstance(exc, cls)), None)
    if chinese:
        exc.detail = exceptions.ErrorDetail(chinese, code=exc.default_code)
    return exc


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


# DRF formats these details with the request's method, media type or wait: never equal to the default.
_FORMATTED = (exceptions.Throttled, exceptions.MethodNotAllowed, exceptions.UnsupportedMediaType)


def _quoted_in(detail: str | None) -> str:
    """The method named in DRF's 'Method "X" not allowed.' (or its translation)."""
    for left, right in (('"', '"'), ("“", "”")):
        if detail and left in detail:
            return detail.split(left)[1].split(right)[0]
    return "该"


_DEFAULTS = {
    exceptions.NotAuthenticated: "身份认证信息未提供。",
    exceptions.AuthenticationFailed: "身份认证失败：令牌或登录信息无效。",
    exceptions.PermissionDenied: "您没有执行该操作的权限。",
    exceptions.NotFound: "未找到。",
    exceptions.ParseError: "请求体格式错误，无法解析（应为有效的 JSON）。",
    exceptions.NotAcceptable: "无法满足请求头 Accept 的要求。",
}


# Django's own error views, answering JSON under /api/ -----------------------------------------------


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(detail: str, status_code: int) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status_code, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def bad_request(request, exception, template_name="400.html"):
    if isinstance(exception, RequestDataTooBig):
        if _is_api(request):
            return _json(TOO_BIG, 413)
        return render(request, "413.html", {"limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20}, status=413)
    if _is_api(request):
        return _json("请求有误，无法处理。", 400)
    return defaults.bad_request(request, exception, template_name)


@requires_csrf_token
def permission_denied(request, exception, template_name="403.html"):
    if _is_api(request):
        return _json(str(exception) or "您没有执行该操作的权限。", 403)
    return defaults.permission_denied(request, exception, template_name)


@requires_csrf_token
def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return _json("未找到。", 404)
    return defaults.page_not_found(request, exception, template_name)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if _is_api(request):
        return _json("服务器处理请求时出错，错误已记入系统日志；请稍后重试。", 500)
    return defaults.server_error(request, template_name)


class ApiBodyLimit:
    """A JSON or form body under /api/ larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is answered 413 before
    it is read: DRF reads the request as a stream, which Django's own limit (checked only by
    ``request.body`` and ``request.POST``) does not cover. Uploaded files (multipart) have their own
    limits in the import code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _is_api(request) and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _json("请求头 Content-Length 无效。", 400)
            if length > limit:
                return _json(TOO_BIG, 413)
        return self.get_response(request)
