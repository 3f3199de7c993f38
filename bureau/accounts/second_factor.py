"""Who must prove a second factor (TOTP with django-otp, 等保 8.1.4.1 两种或两种以上组合的鉴别技术):
the administrator, 局领导 and 法制科, while ``settings.SECOND_FACTOR_REQUIRED`` is on; anyone else may
choose to. Login pages and the token endpoint ask the same two questions here."""

from django.conf import settings
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
