from bureau.access import staff_of
from bureau.navigation import links_for


def navigation(request):
    """The navigation links and the current staff record for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "current_staff": None}
    return {"nav_links": links_for(user, request.path), "current_staff": staff_of(user)}
