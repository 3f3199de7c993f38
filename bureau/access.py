"""Who may do what: sections and jurisdictions (R-ORG-1, R-ORG-3).

Permissions belong to sections (003 第三条), never to individuals: a view or API declares the
sections it serves, and the same declaration drives the navigation, so a link is shown exactly
where the page behind it answers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from bureau import sections
from bureau.models import Staff, User
from bureau.sections import ALL_SECTIONS, BUREAU_SECTIONS


class StaffModelBackend(ModelBackend):
    """Loads the user with their staff record, section and town in one query per request."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("staff__section", "staff__town").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def staff_of(user) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as every ``visible_*`` query needs to know it (R-ORG-1, R-ORG-3): the
    administrator, leadership, a bureau section, a town, or nobody (anonymous, or a login without a
    staff record). ``Viewer.of(user)`` reads the user the authentication backend loaded with its staff,
    section and town, so asking costs no query.

    Section- and town-wide rights live here; a right of one person on one record (the handler of a
    complaint, the officers of an inspection) is a django-guardian grant instead.
    """

    is_superuser: bool = False
    section_code: str | None = None
    section_id: int | None = None
    town_id: int | None = None

    @classmethod
    def of(cls, user) -> "Viewer":
        if isinstance(user, Viewer):
            return user
        staff = staff_of(user)
        return cls(
            is_superuser=bool(getattr(user, "is_authenticated", False) and user.is_superuser),
            section_code=staff.section.code if staff else None,
            section_id=staff.section_id if staff else None,
            town_id=staff.town_id if staff else None,
        )

    @property
    def is_nobody(self) -> bool:
        return not self.is_superuser and self.section_code is None

    @property
    def is_town(self) -> bool:
        return not self.is_superuser and self.section_code == sections.TOWN

    @property
    def is_bureau(self) -> bool:
        """The administrator or a section of the bureau itself (not a town)."""
        return self.is_superuser or self.section_code in BUREAU_SECTIONS

    def in_sections(self, codes: Iterable[str]) -> bool:
        """Whether the viewer belongs to one of ``codes``. The administrator may go everywhere."""
        return self.is_superuser or self.section_code in set(codes)

    def within_jurisdiction(self, queryset, town_field: str):
        """``queryset`` cut to what the viewer's jurisdiction covers (R-ORG-3): nothing for nobody, the
        rows whose ``town_field`` is the town's for town staff, everything for the bureau."""
        if self.is_superuser:
            return queryset
        if self.is_nobody:
            return queryset.none()
        if self.is_town:
            return queryset.filter(**{town_field: self.town_id})
        return queryset


def section_code(user) -> str | None:
    staff = staff_of(user)
    return staff.section.code if staff else None


def in_sections(user, codes: Iterable[str]) -> bool:
    """Whether ``user`` belongs to one of ``codes``. The administrator may go everywhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Viewer.of(user).in_sections(codes)


def section_required(*codes: str):
    """View decorator: log in first, then only the given sections (403 in Chinese otherwise)."""
    allowed = frozenset(codes) or ALL_SECTIONS

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not in_sections(request.user, allowed):
                raise PermissionDenied("您所在的科室无权访问此页面。")
            return view(request, *args, **kwargs)

        wrapped.allowed_sections = allowed
        return wrapped

    return decorator


def administrator_required(message: str):
    """View decorator: log in first, then only the administrator (403 with ``message`` otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_superuser:
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class InSections(BasePermission):
    """DRF permission: the view's ``allowed_sections`` (all sections when not set)."""

    message = "您所在的科室无权进行此操作。"

    def has_permission(self, request, view):
        return in_sections(request.user, getattr(view, "allowed_sections", ALL_SECTIONS))
