"""The to-do list (待办): any app contributes items; the home page lists a user's items, most urgent first.

Two kinds of line reach the list. Stored items (``TodoItem``) are put there by jobs and services
(``add_todo``/``complete_todo``). Steps waiting for the user's section are read live from the records
that own them by a ``WaitingSource`` each app registers (a linkage task to receive, a complaint to
answer, an overdue ledger item of a town): nothing to keep in step, and the line disappears the
moment the step is done. Each source costs a fixed number of queries however many steps it finds,
so the home page does too.

Contributions are idempotent by ``key`` (a daily job that adds the same item twice updates the one
row), so jobs can say "put this on the list" every day without piling up duplicates. Each app registers
the kinds of item it adds (``register_kind``: the key's prefix and a label such as 许可证到期) in its
``AppConfig.ready``, so the list can say what each item is about without ``bureau`` knowing the apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from bureau.models import Role, Section, TodoItem, Town, User


@dataclass(frozen=True)
class TodoKind:
    """A kind of to-do item: the keys that start with ``prefix`` (``permit-expiry:``) and its label."""

    prefix: str
    label: str


_KINDS: dict[str, TodoKind] = {}


def register_kind(kind: TodoKind) -> None:
    """Add a kind; registering the same prefix again replaces it."""
    _KINDS[kind.prefix] = kind


def kind_label(key: str) -> str:
    """The label of the kind ``key`` belongs to (the longest matching prefix), "" when none does."""
    matching = [kind for prefix, kind in _KINDS.items() if key.startswith(prefix)]
    return max(matching, key=lambda kind: len(kind.prefix)).label if matching else ""


@dataclass(frozen=True)
class Line:
    """One line of the home page's 待办: what it is, where it is done, by when."""

    kind: str
    title: str
    url: str
    due_on: date | None = None
    is_overdue: bool = False
    is_urgent: bool = False
    due_provisional: bool = False  # the deadline falls in a year not yet confirmed (R-CAL-1)

    @property
    def urgency(self) -> int:
        """0 overdue, 1 urgent, 2 the rest: the order of the list, as ``todos_for`` sorts stored items."""
        return 0 if self.is_overdue else 1 if self.is_urgent else 2


@dataclass(frozen=True)
class WaitingSource:
    """Steps waiting for a user's section, read live by ``lines(user, today)`` from one app's records.

    ``nav_key`` names the navigation entry whose badge counts these steps (``bureau.navigation``).
    ``lines`` must cost a fixed number of queries, and none for a user it does not concern.
    """

    key: str
    nav_key: str
    lines: Callable[[User, date], list[Line]]


_SOURCES: dict[str, WaitingSource] = {}


def register_source(source: WaitingSource) -> None:
    """Add a source of waiting steps; registering the same key again replaces it."""
    _SOURCES[source.key] = source


def waiting_lines(user: User, today: date) -> dict[str, list[Line]]:
    """The steps waiting for ``user``, by navigation entry (``WaitingSource.nav_key``)."""
    found: dict[str, list[Line]] = {}
    for source in sorted(_SOURCES.values(), key=lambda source: source.key):
        lines = source.lines(user, today)
        if lines:
            found.setdefault(source.nav_key, []).extend(lines)
    return found


def home_lines(user: User, today: date, *, limit: int = 200) -> tuple[list[Line], dict[str, int]]:
    """Everything on ``user``'s 待办, most urgent first, and the counts the navigation shows: per
    entry the steps waiting there, and under ``home`` every line of the list."""
    stored = [
        Line(
            kind=kind_label(item.key),
            title=item.title,
            url=item.url,
            due_on=item.due_on,
            is_overdue=item.is_overdue_on(today),
            is_urgent=item.is_urgent,
        )
        for item in todos_for(user, today=today)[:limit]
    ]
    waiting = waiting_lines(user, today)
    live = [line for lines in waiting.values() for line in lines]
    # Stable: among equals, stored items keep their order and come before live steps.
    lines = sorted([*stored, *live], key=lambda line: (line.urgency, line.due_on or date.max))
    counts = {key: len(lines) for key, lines in waiting.items()}
    counts["home"] = len(lines)
    return lines, counts


@transaction.atomic
def add_todo(
    *,
    key: str,
    title: str,
    url: str = "",
    due_on: date | None = None,
    is_urgent: bool = False,
    user: User | None = None,
    section: Section | None = None,
    role: Role | str = "",
    town: Town | None = None,
    for_superusers: bool = False,
) -> TodoItem:
    """Put an item on a to-do list, or refresh the open item with the same ``key``.

    An item already done is reopened: the job that adds it again says the matter is still there.
    """
    if user is None and section is None and not for_superusers:
        raise ValueError("待办事项必须指定办理人、科室或系统管理员。")
    item, _ = TodoItem.objects.update_or_create(
        key=key,
        defaults={
            "title": title,
            "url": url,
            "due_on": due_on,
            "is_urgent": is_urgent,
            "user": user,
            "section": section,
            "role": role,
            "town": town,
            "for_superusers": for_superusers,
            "done_at": None,
            "done_by": None,
        },
    )
    return item


@transaction.atomic
def complete_todo(*, key: str, by: User | None = None) -> bool:
    """Mark the open item ``key`` as done; returns whether there was one. The row is kept."""
    updated = TodoItem.objects.filter(key=key, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )
    return bool(updated)


def is_open(key: str) -> bool:
    """Whether the item ``key`` is on a list and not yet done."""
    return TodoItem.objects.filter(key=key, done_at__isnull=True).exists()


def open_keys(prefix: str) -> set[str]:
    """The keys of the open items whose key starts with ``prefix`` (one kind of item)."""
    return set(
        TodoItem.objects.filter(key__startswith=prefix, done_at__isnull=True).values_list("key", flat=True)
    )


def todos_for(user: User, *, today: date | None = None) -> QuerySet[TodoItem]:
    """Open items addressed to ``user``: to them, to their section (and role and town), or to
    administrators. Overdue first, then urgent, then by due date (none last), then oldest.
    """
    today = today or timezone.localdate()
    addressed = Q(user=user)
    staff = getattr(user, "staff", None)
    if staff is not None:
        addressed |= (
            Q(section_id=staff.section_id, user__isnull=True)
            & (Q(role="") | Q(role=staff.role))
            & (Q(town__isnull=True) | Q(town_id=staff.town_id))
        )
    if user.is_superuser:
        addressed |= Q(for_superusers=True)
    return (
        TodoItem.objects.filter(addressed, done_at__isnull=True)
        .annotate(
            urgency=Case(
                When(due_on__lt=today, then=Value(0)),
                When(is_urgent=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", F("due_on").asc(nulls_last=True), "created_at", "id")
    )
