"""Getting and managing API tokens: ``POST /api/v1/auth/token/`` for scripts, and the pages where staff
issue and revoke their own tokens (``/accounts/tokens/``) and the administrator revokes anyone's
(``/accounts/tokens/all/``).

The token endpoint is throttled by django-axes exactly as the login page is: it authenticates through
``django.contrib.auth.authenticate`` (axes' backend refuses a locked user or address, axes' handler
counts the failure), and a wrong second-factor code is reported to axes as a failed login too.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import match_token
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.accounts import audit, tokens
from bureau.accounts.second_factor import has_confirmed_device, second_factor_required
from bureau.models import ApiToken, LoginEventKind

WRONG_CREDENTIALS = "用户名或密码错误。"
ALL_TOKENS_PAGE_SIZE = 50


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=128, trim_whitespace=False)
    otp = serializers.RegexField(r"^[0-9A-Za-z]{6,16}$", label="动态口令", required=False, allow_blank=True)
    name = serializers.CharField(label="用途", max_length=100, required=False, allow_blank=True)


def _lockout_message() -> str:
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return f"登录失败次数过多，该账号或来源地址已被锁定 {minutes} 分钟；请稍后再试，或请系统管理员解除锁定。"


class ObtainTokenView(APIView):
    """Username and password (and the TOTP code where a second factor is required) → a new token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        summary="申请接口令牌",
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "IssuedToken",
                {
                    "token": serializers.CharField(),
                    "prefix": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
            400: OpenApiResponse(description="用户名、密码或动态口令错误"),
            429: OpenApiResponse(description="失败次数过多，已锁定"),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        django_request = request._request
        user = authenticate(django_request, username=username, password=password)
        if user is None:
            return self._refuse(django_request, username)
        if second_factor_required(user) or has_confirmed_device(user):
            code = data.validated_data.get("otp") or ""
            if not has_confirmed_device(user):
                audit.record(LoginEventKind.TOKEN_FAILED, request=django_request, user=user, detail="未绑定动态口令")
                return Response(
                    {"detail": "您的账号须使用动态口令：请先登录系统绑定动态口令，再申请令牌。"},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if not code or match_token(user, code) is None:
                # A wrong code counts as a failed login, so guessing codes is throttled like passwords.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=django_request
                )
                audit.record(
                    LoginEventKind.SECOND_FACTOR_FAILED, request=django_request, user=user, detail="申请令牌"
                )
                if getattr(django_request, "axes_locked_out", False):
                    return self._locked(django_request, username)
                return Response(
                    {"otp": ["动态口令错误或已过期。" if code else "请填写动态口令。"]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        token, plaintext = tokens.issue(user, data.validated_data.get("name") or "接口", request=django_request)
        return Response({"token": plaintext, "prefix": token.prefix, "expires_at": token.expires_at})

    def _refuse(self, django_request, username):
        if getattr(django_request, "axes_locked_out", False):
            return self._locked(django_request, username)
        audit.record(LoginEventKind.TOKEN_FAILED, request=django_request, username=username, detail=WRONG_CREDENTIALS)
        return Response({"detail": WRONG_CREDENTIALS}, status=status.HTTP_400_BAD_REQUEST)

    def _locked(self, django_request, username):
        # The failure that reached the limit is the lockout; those after it are refusals while locked.
        failures = getattr(django_request, "axes_failures_since_start", None) or 0
        if failures > settings.AXES_FAILURE_LIMIT:
            audit.record(
                LoginEventKind.TOKEN_FAILED, request=django_request, username=username, detail="账号或地址已锁定，拒绝申请令牌"
            )
        else:
            audit.record(LoginEventKind.LOCKED_OUT, request=django_request, username=username, detail="申请令牌")
        # This view answers the lockout itself, in JSON; AxesMiddleware would otherwise replace the
        # answer with the login page's lockout response.
        django_request.axes_locked_out = False
        return Response({"detail": _lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)


class IssueTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：数据对接脚本")

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label="有效天数", min_value=1, max_value=max_days, initial=max_days, help_text=f"最长 {max_days} 天"
        )


def _max_days() -> int:
    from django.conf import settings

    return settings.API_TOKEN_DAYS


@login_required
def my_tokens(request):
    """The signed-in user's tokens (prefix only) and a form to issue one; a new token is shown once."""
    form = IssueTokenForm(request.POST or None, max_days=_max_days())
    issued = None
    status_code = 200
    if request.method == "POST":
        if form.is_valid():
            token, plaintext = tokens.issue(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"], request=request
            )
            issued = {"token": token, "plaintext": plaintext}
            form = IssueTokenForm(max_days=_max_days())
        else:
            status_code = 400
    rows = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": rows, "issued": issued, "now": timezone.now()}, status=status_code
    )


@login_required
def all_tokens(request):
    """Every token of every user, for the administrator, who may revoke any."""
    if not request.user.is_superuser:
        raise PermissionDenied("仅系统管理员可以查看全部接口令牌。")
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    page = Paginator(rows, ALL_TOKENS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/api_tokens_all.html", {"page": page, "now": timezone.now()})


@login_required
@require_POST
def revoke_token(request, pk: int):
    """Revoke one token: its owner may, and the administrator may revoke anyone's. Another user's
    token is 404 to everyone but the administrator."""
    owned = ApiToken.objects.all() if request.user.is_superuser else ApiToken.objects.filter(user=request.user)
    token = get_object_or_404(owned.select_related("user"), pk=pk)
    reason = "管理员吊销" if token.user_id != request.user.pk else "本人吊销"
    if tokens.revoke(token, request.user, reason, request=request):
        messages.success(request, f"令牌 {token.prefix}… 已吊销。")
    else:
        messages.info(request, f"令牌 {token.prefix}… 此前已吊销。")
    back = "api-tokens-all" if request.POST.get("next") == "all" and request.user.is_superuser else "api-tokens"
    return redirect(back)
