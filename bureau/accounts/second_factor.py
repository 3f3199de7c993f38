"""Who must prove a second factor (TOTP with django-otp, 等保 8.1.4.1 两种或两种以上组合的鉴别技术):
the administrator, 局领导 and 法制科, while ``settings.SECOND_FACTOR_REQUIRED`` is on; anyone else may
choose to. Login pages and the token endpoint ask the same two questions here."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user

from bureau.access import Viewer
from bureau.models import SectionCode, User

REQUIRED_SECTIONS = frozenset({SectionCode.LEADERSHIP, SectionCode.LEGAL})


def second_factor_required(user: User) -> bool:
    if not settings.SECOND_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    viewer = Viewer.of(user)
    return viewer.is_superuser or viewer.section_code in REQUIRED_SECTIONS


def has_confirmed_device(user: User) -> bool:
    """Whether the user has finished enrolling a device; an enrolment begun but never confirmed with a
    code does not count."""
    return any(True for _ in devices_for_user(user, confirmed=True))


# Set in the session when a password was right but a second factor is still owed (signals.on_logged_in).
PENDING_KEY = "second_factor_pending"
RECOVERY_CODE_COUNT = 10


def owes_second_factor(user: User) -> bool:
    """Whether this user must prove a second factor after the password: because it is required of
    them, or because they chose to enrol one."""
    return second_factor_required(user) or has_confirmed_device(user)


def is_pending(request: HttpRequest) -> bool:
    """Whether the signed-in user still owes the second factor in this session.

    The answer to "does this user owe one" is kept in the session: set at login (signals.on_logged_in),
    made False once the code is proven, and worked out once for a session that has none (one from
    before this check existed), so an ordinary page costs no query for it."""
    user = request.user
    if not user.is_authenticated:
        return False
    owed = request.session.get(PENDING_KEY)
    if owed is None:
        owed = request.session[PENDING_KEY] = owes_second_factor(user)
    return bool(owed) and not user.is_verified()


# The pages a user who owes a second factor may still open (prefixes), besides static files.
OPEN_WHILE_PENDING = ("/accounts/second-factor/", "/logout/", "/login/")


class SecondFactorMiddleware:
    """A user who owes a second factor reaches only the second-factor pages and logout (等保 8.1.4.1):
    pages send them to enter a code (or to enrol, when they have no device yet), the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_pending(request) and not request.path.startswith(
            (*OPEN_WHILE_PENDING, settings.STATIC_URL)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先完成动态口令验证。"}, status=403)
            name = "second-factor-verify" if has_confirmed_device(request.user) else "second-factor"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
