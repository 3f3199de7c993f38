"""The API's token authentication: ``Authorization: Token <key>`` or ``Authorization: Bearer <key>``.

It comes first in ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``, so that a request without
credentials, or with a bad, expired or revoked token, is answered 401 with ``WWW-Authenticate``
(RFC 7235) rather than a 403 that reads like a refusal; a browser session still works after it."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from bureau.accounts.tokens import TokenRefused, authenticate_key

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("认证请求头格式错误：应为 “Bearer 令牌” 或 “Token 令牌”。")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌无效。") from None
        try:
            token = authenticate_key(key)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema documents the token (both keywords are accepted; Bearer is the standard one)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <令牌>（也接受 Token <令牌>）"}
