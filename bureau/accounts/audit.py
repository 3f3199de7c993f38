"""The login audit: one ``LoginEvent`` per login, logout, failed login, lockout, second-factor step,
password change and token event, with who, when, the address and the outcome (等保 8.1.4.3)."""

from django.http import HttpRequest

from bureau.models import LoginEvent, LoginEventKind, User


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from, as django-axes reads it (so the audit and the lockout
    agree, behind a proxy too); None without a request."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(
    kind: LoginEventKind,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> LoginEvent:
    """Write one audit entry. ``username`` is what was typed when it matches no account."""
    if user is not None and not user.is_authenticated:
        user = None
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return LoginEvent.objects.create(
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        kind=kind,
        address=client_address(request),
        user_agent=agent[:300],
        detail=detail[:300],
    )
