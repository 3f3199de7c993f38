"""The machinery of the permission matrix (tests/bureau/test_permission_matrix.py): walking the URL
patterns, the personas, and classing an answer as allowed or refused. The declared table itself is
``tests/bureau/permission_table.py``."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Persona names, as the table writes them. A section's head (负责人) is asked too; the table names a
# head only where the head may do more than the section's clerks.
ANONYMOUS = "anonymous"
ADMINISTRATOR = "administrator"
CLERKS = ("approval", "ecology", "pollution", "legal", "enforcement", "monitoring", "leadership")
HEADS = ("approval_head", "enforcement_head", "legal_head")
TOWN = "town"  # the liaison of town A, asked about town A's records
PERSONAS = (ANONYMOUS, *CLERKS, *HEADS, TOWN, ADMINISTRATOR)

# URL prefixes that are not walked one by one: the Django admin (one entry of its own) and static files.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Route:
    key: str  # the table's key: the URL's name (namespace:name), or its pattern when it has none
    pattern: str  # the full pattern, for messages
    kwargs: tuple[str, ...]  # the path arguments it needs
    is_api: bool


def walk_routes() -> list[Route]:
    """Every URL pattern of config.urls (included apps and the API router too), but the admin and static
    files. The router's ``.json`` suffix variants share their name, so they share a row."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                if pattern.startswith(SKIPPED_PREFIXES):
                    continue
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                # No include() of this project captures arguments, so the pattern's own are all.
                kwargs = tuple(entry.pattern.regex.groupindex)
                # The API (and its schema) is asked for JSON; its documentation page is a page.
                is_api = pattern.startswith(("api/v1/", "api/schema/", "public/api/"))
                routes.append(Route(name or pattern, pattern, kwargs, is_api))

    walk(get_resolver().url_patterns, "", "")
    return routes


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response.get("Location", "")
