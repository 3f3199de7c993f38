"""Lockout after failed logins (等保 8.1.4.1 登录失败处理): django-axes counts the failures per user name
and, separately, per address; this module answers a locked-out request in Chinese, lists the current
lockouts for the administrator, unlocks them, and clears a user's counter once a whole login succeeded."""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from bureau.accounts import audit
from bureau.models import LoginEventKind, User


def client_address(request: HttpRequest) -> str | None:
    """The address a login is counted, locked and recorded under (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the address they saw to X-Forwarded-For, it
    is the entry the outermost of them appended: what a client wrote before it is ignored. Without the
    setting every login would come from the proxy's own address, and five failures by anyone would lock
    the whole bureau out. With none (0, the default) it is REMOTE_ADDR, and the header, which any client
    can write, is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def lockout_minutes() -> int:
    return round(settings.AXES_COOLOFF_TIME * 60)


def lockout_message() -> str:
    return (
        f"登录失败次数过多，账号/地址已锁定 {lockout_minutes()} 分钟，请稍后再试或联系系统管理员解锁。"
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: 429 with a Chinese message, JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


@dataclass(frozen=True)
class Lockout:
    by: str  # "username" or "address"
    value: str
    failures: int
    last_at: datetime

    @property
    def label(self) -> str:
        return "账号" if self.by == "username" else "地址"


def current_lockouts() -> list[Lockout]:
    """What is locked now: each user name and each address whose failures within the cool-off time
    reach the limit (the same sums axes checks). Two queries."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    limit = settings.AXES_FAILURE_LIMIT
    found = []
    for by, field in (("username", "username"), ("address", "ip_address")):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last_at")
        )
        found += [Lockout(by, row[field], row["failures"], row["last_at"]) for row in rows]
    return found


@transaction.atomic
def unlock(*, by: str, value: str, actor: User, request: HttpRequest | None = None) -> int:
    """Clear the failures of one user name or one address (the administrator's unlock), audited.
    Returns the number of counters removed."""
    if by == "username":
        count = reset(username=value)
        target = User.objects.filter(username=value).first()
        audit.record(
            LoginEventKind.UNLOCKED,
            request=request,
            user=target,
            username=value,
            detail=f"系统管理员 {actor.get_username()} 解除账号锁定",
        )
    elif by == "address":
        count = reset(ip=value)
        audit.record(
            LoginEventKind.UNLOCKED,
            request=request,
            user=actor,
            detail=f"系统管理员解除地址 {value} 的锁定",
        )
    else:
        raise ValueError(by)
    return count


def clear_after_login(request: HttpRequest, user: User) -> None:
    """The whole login (password and, when owed, the second factor) succeeded: forget this user name's
    failures. The address' counter is left to run out, so that one good account cannot be used to
    reset the count of guesses made from an address against others."""
    reset(username=user.get_username())


def is_locked(request: HttpRequest, user: User) -> bool:
    """Whether axes would refuse this user name from this address now."""
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})
