"""The navigation bar: entries registered by each app, shown by section.

An entry names the sections that may open the page behind it; ``section_required`` on that view uses
the same set, so the bar never offers a page that would answer 403.
"""

from dataclasses import dataclass

from django.urls import reverse

from bureau.access import ALL_SECTIONS, BUREAU_SECTIONS, in_sections


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    sections: frozenset[str] = ALL_SECTIONS
    superuser_only: bool = False
    order: int = 100
    # For pages the administrator may not open either (插手干预记录, R-INS-11).
    not_for_superusers: bool = False

    def visible_to(self, user) -> bool:
        if self.superuser_only:
            return user.is_superuser
        if self.not_for_superusers and user.is_superuser:
            return False
        return in_sections(user, self.sections)


_REGISTRY: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    """Add an entry; registering the same key again replaces it (apps may be reloaded)."""
    _REGISTRY[entry.key] = entry


def entries_for(user) -> list[NavEntry]:
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted((e for e in _REGISTRY.values() if e.visible_to(user)), key=lambda e: (e.order, e.key))


def links_for(user, current_path: str = "") -> list[dict]:
    links = []
    for entry in entries_for(user):
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        links.append({"key": entry.key, "label": entry.label, "url": url, "active": active})
    return links


# Sections that see the organisation directory: every bureau section, not the towns.
ORGANISATION_SECTIONS = BUREAU_SECTIONS
