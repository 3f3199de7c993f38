"""API tokens (等保 8.1.4.1): issued for a limited time, kept only as a SHA-256 digest, revocable by their
owner and the administrator, and revoked on the owner's logout and on every change of the password.

A token reads ``pwx_`` followed by 43 random URL-safe characters; its first 12 characters (``prefix``)
name it on the token pages, the full text is shown only once, when it is issued.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from bureau.accounts import audit
from bureau.models import ApiToken, LoginEventKind, User

PREFIX = "pwx_"
PREFIX_LENGTH = 12
# last_used_at is a hint for the owner, not an audit trail: one write a minute per token at most.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The key is unknown, expired or revoked; the message says which, in Chinese."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def issue(user: User, name: str = "", days: int | None = None, *, request=None) -> tuple[ApiToken, str]:
    """A new token for ``user`` that expires after ``days`` (``settings.API_TOKEN_DAYS`` by default).
    Returns the token and its plaintext, which is not stored anywhere and cannot be shown again."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValueError("days must be at least 1")
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=digest(plaintext),
        prefix=plaintext[:PREFIX_LENGTH],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        LoginEventKind.TOKEN_ISSUED, request=request, user=user, detail=f"{token.prefix}… {days} 天"
    )
    return token, plaintext


def revoke(token: ApiToken, by: User | None, reason: str, *, request=None) -> bool:
    """Revoke ``token`` (kept, never deleted); False when it was revoked already."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by, revoke_reason=reason[:100]
    )
    if changed:
        token.revoked_at, token.revoked_by, token.revoke_reason = now, by, reason[:100]
        audit.record(
            LoginEventKind.TOKEN_REVOKED,
            request=request,
            user=token.user,
            detail=f"{token.prefix}… {reason}"[:300],
        )
    return bool(changed)


def revoke_all(user: User, reason: str, *, by: User | None = None, request=None) -> int:
    """Revoke every live token of ``user``; returns how many were revoked."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    prefixes = list(live.values_list("prefix", flat=True))
    if not prefixes:
        return 0
    count = live.update(revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason[:100])
    audit.record(
        LoginEventKind.TOKEN_REVOKED,
        request=request,
        user=user,
        detail=f"{reason}：{'、'.join(p + '…' for p in prefixes)}"[:300],
    )
    return count


def authenticate_key(key: str) -> ApiToken:
    """The live token whose key is ``key``, with its user (and the user's staff record, section and town);
    raises ``TokenRefused`` otherwise. Marks the token used, at most once a minute."""
    # The user comes with its staff record, section and town, as ``StaffModelBackend`` loads a session's:
    # the scoping of every API answer (``bureau.access.Viewer``) then costs no further query.
    # ``get`` on the unique digest, unordered: ``first()`` added a sort by the model's ordering, a
    # millisecond of every API request (issue 15).
    try:
        token = (
            ApiToken.objects.select_related("user__staff__section", "user__staff__town")
            .order_by()
            .get(key_hash=digest(key.strip()))
        )
    except ApiToken.DoesNotExist:
        raise TokenRefused("令牌无效。") from None
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("令牌已被吊销，请重新申请。")
    if token.expires_at <= now:
        raise TokenRefused("令牌已过期，请重新申请。")
    if not token.user.is_active:
        raise TokenRefused("用户已停用。")
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


@receiver(user_logged_out, dispatch_uid="bureau.tokens.revoke_on_logout")
def _revoke_on_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        revoke_all(user, "退出登录", by=user, request=request)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="bureau.tokens.password_before")
def _note_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    """Any change of the stored password hash (a password page, the admin, ``changepassword``, a
    script) is noticed here, at the model, so every way of changing it revokes the tokens."""
    instance._password_hash_changed = False
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_hash_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="bureau.tokens.password_after")
def _revoke_on_password_change(sender, instance, created, raw=False, **kwargs):
    if getattr(instance, "_password_hash_changed", False):
        instance._password_hash_changed = False
        revoke_all(instance, "修改密码")
