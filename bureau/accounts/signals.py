"""The login audit's receivers (等保 8.1.4.3): Django's login, logout and failed-login signals and
django-axes' lockout signal each write a LoginEvent. Connected in BureauConfig.ready."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from bureau.accounts import audit, sessions
from bureau.accounts.second_factor import PENDING_KEY, owes_second_factor
from bureau.models import LoginEventKind, User


def _over_limit(request) -> bool:
    """Whether this failure came after the lockout had begun. Failures during a lockout are still
    counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, so guessing on prolongs it) and axes
    sends user_locked_out again for each; only the failure that reaches the limit is the lockout."""
    failures = getattr(request, "axes_failures_since_start", None)
    return failures is not None and failures > settings.AXES_FAILURE_LIMIT


def _by_token_endpoint(request) -> bool:
    """The token endpoint (bureau.accounts.token_views) records its own failures and lockouts, with
    what was asked for; recording them here too would count each twice."""
    return request is not None and request.path.startswith("/api/")


def _account(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="bureau.accounts.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    """The password was right. A user who owes a second factor is marked so in the session: the
    enforcement middleware then lets them reach only the second-factor pages until it is proven."""
    pending = owes_second_factor(user)
    if request is not None and hasattr(request, "session"):
        sessions.touch(request)
        request.session[PENDING_KEY] = pending
    audit.record(
        LoginEventKind.LOGIN,
        request=request,
        user=user,
        detail="密码验证通过，待验证动态口令" if pending else "",
    )


@receiver(user_logged_out, dispatch_uid="bureau.accounts.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    audit.record(LoginEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="bureau.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "second_factor_failure", False):
        return  # recorded as SECOND_FACTOR_FAILED by the verify page
    if _by_token_endpoint(request):
        return
    username = (credentials or {}).get("username") or ""
    detail = "账号或地址已锁定，拒绝登录" if _over_limit(request) else "用户名或密码错误"
    audit.record(LoginEventKind.FAILED, request=request, user=_account(username), username=username, detail=detail)


@receiver(user_locked_out, dispatch_uid="bureau.accounts.locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    if _by_token_endpoint(request) or _over_limit(request) or getattr(request, "axes_failures_since_start", None) is None:
        return
    audit.record(
        LoginEventKind.LOCKED_OUT,
        request=request,
        user=_account(username),
        username=username or "",
        detail=f"连续登录失败 {request.axes_failures_since_start} 次，账号与地址 {ip_address or ''} 已锁定",
    )
