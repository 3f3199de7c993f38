"""Every error answer under /api/ is JSON with a Chinese ``detail`` (ASVS 14, issue 14); browsers get
the Chinese pages."""

import json

import pytest
from django.urls import get_resolver
from rest_framework import exceptions

from bureau.errors import api_exception_handler, server_error

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def chinese_detail(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert any("\u4e00" <= char <= "\u9fff" for char in detail), detail
    return detail


def test_malformed_json_is_400(api_client):
    response = api_client.post(TOKEN_URL, data='{"username": ', content_type="application/json")
    # The checked JSON parser (bureau/text.py) says where the JSON breaks.
    assert chinese_detail(response, 400) == "JSON 格式有误：第 1 行第 14 列附近。"


def test_an_unsupported_body_type_is_415(api_client):
    response = api_client.post(TOKEN_URL, data="<xml/>", content_type="application/xml")
    assert chinese_detail(response, 415) == "不支持的请求体类型，请使用 application/json。"


def test_a_body_too_large_is_413_for_the_api_and_a_page_for_browsers(api_client, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 2000, "password": "y"})
    assert "过大" in chinese_detail(api_client.post(TOKEN_URL, data=body, content_type="application/json"), 413)
    page = client.post("/login/", {"username": "x" * 2000, "password": "y"})
    assert page.status_code == 413
    assert "提交内容过大" in page.content.decode()


def test_an_unknown_api_address_is_404_json_and_a_page_for_browsers(api_client, client, approval_clerk):
    assert chinese_detail(api_client.get("/api/v1/no-such-thing/"), 404) == "未找到。"
    api_client.force_authenticate(approval_clerk)
    assert chinese_detail(api_client.get("/api/v1/complaints/987654/"), 404) == "未找到。"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()


def test_a_method_not_allowed_is_405(api_client, approval_clerk):
    api_client.force_authenticate(approval_clerk)
    response = api_client.delete("/api/v1/complaints/")
    assert chinese_detail(response, 405) == "该接口不支持 DELETE 方法。"


def test_a_refusal_is_403(api_client, town_a_liaison):
    api_client.force_authenticate(town_a_liaison)
    chinese_detail(api_client.get("/api/v1/gradings/2025/"), 403)


def test_drf_english_defaults_are_translated():
    # given: DRF's exceptions with their default details, and one a view wrote itself
    cases = {
        exceptions.NotAuthenticated(): (401, "身份认证信息未提供。"),
        exceptions.AuthenticationFailed(): (401, "身份认证失败：令牌或登录信息无效。"),
        exceptions.PermissionDenied(): (403, "您没有执行该操作的权限。"),
        exceptions.NotFound(): (404, "未找到。"),
        exceptions.Throttled(wait=30): (429, "请求过于频繁，请 30 秒后再试。"),
        exceptions.PermissionDenied("街镇无权查看。"): (403, "街镇无权查看。"),
    }
    for exc, (status, detail) in cases.items():
        # when
        response = api_exception_handler(exc, {})
        # then
        assert (response.status_code, response.data["detail"]) == (status, detail)


def test_a_server_error_under_the_api_is_json(rf):
    assert get_resolver().resolve_error_handler(500) is server_error
    response = server_error(rf.get("/api/v1/complaints/"))
    assert response.status_code == 500
    assert "服务器处理请求时出错" in json.loads(response.content)["detail"]
    page = server_error(rf.get("/complaints/"))
    assert page.status_code == 500 and "系统错误" in page.content.decode()
