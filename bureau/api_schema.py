"""The OpenAPI schema's view of every operation: drf-spectacular's AutoSchema, plus the error answers
that every API view can give, documented once here instead of per view.

Every error answer (``bureau.errors.api_exception_handler`` and the JSON error handlers) is one JSON
object: a Chinese ``detail`` and, for input errors, the field names with their Chinese messages. The
codes an operation documents:

- 400, 401, 403 and 404 on every operation (bad input, malformed or refused JSON, a bad filter; missing,
  bad, expired or revoked credentials, with ``WWW-Authenticate``; not allowed; not found or not visible
  to the user, or a page past the end of a list);
- 409, 413 and 415 on every operation that takes a body (the record's state forbids the step; the body
  is too large; a media type the API does not read);
- 429 where the view throttles, or where anyone may call it (the token endpoint, locked by django-axes).
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误答复：detail 为中文说明；输入有误时另按字段名列出该字段的中文错误信息。",
    "properties": {"detail": {"type": "string", "description": "中文说明"}},
    "additionalProperties": {
        "description": "字段的中文错误信息列表（嵌套字段为按其字段名列出的对象）",
        "anyOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}],
    },
}

ERROR_DESCRIPTIONS = {
    "400": "请求有误：JSON 格式错误、含控制字符、嵌套过深，或按字段列出的中文校验错误",
    "401": "未提供身份凭证，或令牌无效、已过期、已吊销",
    "403": "您没有执行该操作的权限",
    "404": "未找到：对象不存在或不在您的查看范围内，或页码超出范围",
    "409": "记录的当前状态不允许该操作，或已被他人修改",
    "413": "请求体过大",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁或登录失败次数过多，已暂时锁定",
}

BODY_METHODS = {"POST", "PUT", "PATCH"}


class BureauAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the product's error answers on every operation."""

    def error_codes(self) -> list[str]:
        """The error statuses this operation can answer with (see the module's docstring)."""
        codes = ["400", "401", "403", "404"]
        if self.method in BODY_METHODS or self.method == "DELETE":
            codes.append("409")
        if self.method in BODY_METHODS:
            codes += ["413", "415"]
        permissions = self.view.get_permissions()
        open_to_anyone = not permissions or any(isinstance(p, AllowAny) for p in permissions)
        if self.view.get_throttles() or open_to_anyone:
            codes.append("429")
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A read-only field tells the truth about the values it answers with: DRF drops ``allow_blank``
        from read-only model fields, so a choice field that may be empty ("") says so here; and one whose
        source may be missing (``default=None``) is nullable (both found by schemathesis)."""
        if field.read_only:
            if isinstance(field, serializers.ChoiceField) and _blank_in_model(field):
                field.allow_blank = True
            if getattr(field, "default", empty) is None:
                field.allow_null = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        self.registry.register_on_missing(
            ResolvedComponent(
                name=ERROR_COMPONENT,
                type=ResolvedComponent.SCHEMA,
                object=ERROR_COMPONENT,
                schema=ERROR_SCHEMA,
            )
        )
        # The Web server (gunicorn, limit_request_line 4094) answers an over-long address itself, in
        # HTML, before Django sees it (found by schemathesis): documented, with no body to check.
        responses["414"] = {"description": "请求地址（含查询参数）过长，由 Web 服务器直接拒绝"}
        ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
        for code in self.error_codes():
            documented = responses.get(code, {})
            answer = {
                "content": {"application/json": {"schema": ref}},
                "description": documented.get("description") or ERROR_DESCRIPTIONS[code],
            }
            if code == "401":
                answer["headers"] = {
                    "WWW-Authenticate": {
                        "schema": {"type": "string"},
                        "description": "认证方式，例如 Token",
                    }
                }
            specific = documented.get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in specific:  # the view documents its own error body: keep it
                answer["content"] = documented["content"]
            responses[code] = answer
        return responses



def _blank_in_model(field) -> bool:
    """Whether the model field behind a serializer field (a plain attribute of a ModelSerializer's
    model) may be blank."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source or ""
    if model is None or "." in source or source == "*":
        return False
    try:
        return model._meta.get_field(source).blank
    except FieldDoesNotExist:
        return False
