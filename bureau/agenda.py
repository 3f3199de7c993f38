"""The dispatch meeting's agenda, contributed section by section by the apps (R-MTG-2; 003 第四条).

Each app that reports at the dispatch meeting registers an ``AgendaContribution`` in its
``AppConfig.ready``: the keys and titles of the items it fills, and a function that builds them from
the data of the period. ``meetings`` numbers the items and puts them together; it never needs editing
when an app is added. An item is plain data (strings, numbers, lists, dicts) so the page, the PDF and
the API render the same structure and a held meeting keeps it as JSON.

An item is ``{"key", "reporters", "figures": [{"label", "value", "unit", "detail"}],
"tables": [table(...)], "notes": [str]}``; ``meetings`` adds its numbered ``heading``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

TABLE_LIMIT = 50
RULE_CHANGES_NOTE = "{what}发生变化的情况，由{who}在会上通报，记入会议纪要。"


@dataclass(frozen=True)
class AgendaPeriod:
    """What the agenda reports on: the days in ``(after, until]``, and what is still open ``as_of``."""

    after: date
    until: date
    as_of: date

    def contains(self, value: date | None) -> bool:
        return value is not None and self.after < value <= self.until

    def q(self, field: str) -> Q:
        """The filter "``field`` falls in the period"."""
        return Q(**{f"{field}__gt": self.after, f"{field}__lte": self.until})

    def q_moment(self, field: str) -> Q:
        """The filter "the moment ``field`` falls on a day of the period", by its date in the bureau's
        time zone (as ``field__date`` would), written as a range of moments so an index on ``field``
        serves it."""
        return Q(**{f"{field}__gte": start_of(self.after + timedelta(days=1)), f"{field}__lt": self.end})

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return start_of(self.until + timedelta(days=1))


def start_of(value: date) -> datetime:
    """The first moment of ``value`` in the bureau's time zone."""
    return timezone.make_aware(datetime.combine(value, time.min))


@dataclass(frozen=True)
class AgendaContribution:
    """The items one app fills: ``titles`` maps each item key to its title, in the order built."""

    name: str
    order: int
    titles: dict[str, str]
    build: Callable[[AgendaPeriod], list[dict]]


_REGISTRY: dict[str, AgendaContribution] = {}


def register(contribution: AgendaContribution) -> None:
    """Add an app's contribution; registering the same name again replaces it. An item key belongs to
    one app: a second app claiming it is a programming error, stopped at start-up."""
    for other in _REGISTRY.values():
        taken = set(other.titles) & set(contribution.titles)
        if other.name != contribution.name and taken:
            raise ImproperlyConfigured(
                f"议程事项 {sorted(taken)} 已由 {other.name} 登记，{contribution.name} 不能重复登记。"
            )
    _REGISTRY[contribution.name] = contribution


def contributions() -> list[AgendaContribution]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.name))


def titles() -> dict[str, str]:
    """Every item's key and title, in agenda order."""
    return {key: title for c in contributions() for key, title in c.titles.items()}


def day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def deadline_day(value: date, is_provisional: bool) -> str:
    """A deadline in an agenda table, marked 暂定 when counted across a year not confirmed (R-CAL-1)."""
    return day(value) + ("（暂定）" if is_provisional else "")


def table(caption: str, columns: list[str], rows: list[dict], empty: str, limit: int = TABLE_LIMIT) -> dict:
    """A table of an item, cut at ``limit`` rows with the number left out in ``more``."""
    return {
        "caption": caption,
        "columns": columns,
        "rows": rows[:limit],
        "more": max(len(rows) - limit, 0),
        "empty": empty,
    }


def plain_rows(rows) -> list[dict]:
    """Rows without links, every cell as text."""
    return [{"url": "", "cells": [str(cell) for cell in cells]} for cells in rows]
