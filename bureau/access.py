"""Who may do what: sections and jurisdictions (R-ORG-1, R-ORG-3).

Permissions belong to sections (003 第三条), never to individuals: a view or API declares the
sections it serves, and the same declaration drives the navigation, so a link is shown exactly
where the page behind it answers.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm, get_objects_for_user
from rest_framework.permissions import BasePermission

from bureau.models import Staff, User
from bureau.sections import ALL_SECTIONS, BUREAU_SECTIONS  # noqa: F401  (re-exported for views)


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


def section_code(user) -> str | None:
    staff = staff_of(user)
    return staff.section.code if staff else None


def in_sections(user, codes: Iterable[str]) -> bool:
    """Whether ``user`` belongs to one of ``codes``. The administrator may go everywhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return section_code(user) in set(codes)


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


class InSections(BasePermission):
    """DRF permission: the view's ``allowed_sections`` (all sections when not set)."""

    message = "您所在的科室无权进行此操作。"

    def has_permission(self, request, view):
        return in_sections(request.user, getattr(view, "allowed_sections", ALL_SECTIONS))


def grant_to_town(town, perm: str, obj) -> None:
    """Give a town's staff ``perm`` on one object (django-guardian, R-ORG-3)."""
    assign_perm(perm, town.group, obj)


def town_objects(user, perm: str, queryset):
    """The objects of ``queryset`` on which ``user``'s town holds ``perm`` (R-ORG-3)."""
    return get_objects_for_user(user, perm, queryset, accept_global_perms=False)
