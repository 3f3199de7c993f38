"""The second factor's devices (等保 8.1.4.1 两种或两种以上组合的鉴别技术): a TOTP device per user,
usable offline in any RFC 6238 authenticator app (Google Authenticator, Microsoft Authenticator, 微信/
腾讯身份验证器 …), and a static device holding ten single-use recovery codes shown once at enrolment."""

from base64 import b32encode

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.accounts import audit
from bureau.accounts.second_factor import RECOVERY_CODE_COUNT
from bureau.models import LoginEventKind, User

TOTP_NAME = "动态口令"
RECOVERY_NAME = "恢复码"


def pending_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made once (so reloading the page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address of the device as an SVG data URI, made on the server (no network)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, code: str, request: HttpRequest | None = None) -> list[str] | None:
    """Confirm the enrolment when ``code`` is the app's current code: the device becomes the user's
    only TOTP device and ten new recovery codes replace any old ones. Returns the codes (to be shown
    once), or None when the code is wrong. Audited."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    audit.record(LoginEventKind.SECOND_FACTOR_ENROLLED, request=request, user=user)
    return codes


def verify_code(user: User, code: str):
    """The device that accepts ``code`` (a TOTP code or an unused recovery code, which is then used
    up), or None."""
    return match_token(user, code) if code else None


@transaction.atomic
def reset_devices(*, user: User, actor: User, request: HttpRequest | None = None) -> None:
    """The administrator removes a user's devices (a lost phone): the user enrols again at the next
    login when the second factor is required of them. Audited."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        LoginEventKind.SECOND_FACTOR_RESET,
        request=request,
        user=user,
        detail=f"系统管理员 {actor.get_username()} 重置",
    )
