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
from django.urls import reverse
from django.utils import timezone

from bureau import history
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
    values = {
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
    }
    item = TodoItem.objects.filter(key=key).first()
    if item is not None and all(_holds(item, name, value) for name, value in values.items()):
        return item  # the daily jobs add the same items every day: nothing changed, nothing is written
    item, _ = TodoItem.objects.update_or_create(key=key, defaults=values)
    return item


def _holds(item: TodoItem, name: str, value) -> bool:
    """Whether ``item``'s field ``name`` already is ``value`` (a relation compared by its id)."""
    field = TodoItem._meta.get_field(name)
    if field.is_relation:
        return getattr(item, field.attname) == (value.pk if value is not None else None)
    return getattr(item, name) == value


@dataclass(frozen=True)
class Synced:
    """What ``sync_todos`` wrote: items ``created``, ``updated`` (changed or reopened), ``closed``, and
    ``unchanged`` (found as they should be: nothing written)."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.closed


# What a job says about an item, by attribute name (relations by id), as ``add_todo`` takes it.
_ADDRESSED = (
    "title",
    "url",
    "due_on",
    "is_urgent",
    "user_id",
    "section_id",
    "role",
    "town_id",
    "for_superusers",
)
_ALL = ("id", "key", *_ADDRESSED, "created_at", "done_at", "done_by_id")
SYSTEM_REASON = "每日任务更新待办"
CLOSED_REASON = "事项已不再需要办理"


def _wanted_values(item: dict) -> dict:
    """``add_todo``'s keyword arguments (``key`` aside) as attribute values, checked and defaulted."""
    values = {
        "title": item["title"],
        "url": item.get("url", ""),
        "due_on": item.get("due_on"),
        "is_urgent": item.get("is_urgent", False),
        "role": item.get("role", ""),
        "for_superusers": item.get("for_superusers", False),
    }
    for name in ("user", "section", "town"):
        related = item.get(name)
        values[f"{name}_id"] = related.pk if related is not None else item.get(f"{name}_id")
    if values["user_id"] is None and values["section_id"] is None and not values["for_superusers"]:
        raise ValueError("待办事项必须指定办理人、科室或系统管理员。")
    return values


def url_maker(name: str) -> Callable[[int], str]:
    """``pk -> reverse(name, args=[pk])`` with one ``reverse`` for the whole job: a daily job linking
    thousands of items would otherwise spend most of its time resolving the same route."""
    sentinel = 987654321
    template = reverse(name, args=[sentinel])
    return lambda pk: template.replace(str(sentinel), str(pk))


@transaction.atomic
def sync_todos(
    *,
    prefix: str,
    items,
    close_missing: bool = True,
    reopen: bool = True,
    reason: str = SYSTEM_REASON,
    batch_size: int = 1000,
) -> Synced:
    """Make the items of one kind (keys starting with ``prefix``) what a job finds due, in a fixed
    number of queries however many there are: one read of the kind's items, then creations, changes
    and closings in bulk, each with its history row attributed to the system (``by=None``), and only
    for what really changed: a run that finds everything as it should be writes nothing.

    ``items`` are ``add_todo``'s keyword arguments (``key`` starting with ``prefix``). An item done
    since is reopened, as ``add_todo`` does, unless ``reopen`` is False (done items stay done).
    With ``close_missing`` the kind's open items that are no longer in ``items`` are done (by the
    system): the matter is settled."""
    wanted: dict[str, dict] = {}
    for item in items:
        key = item["key"]
        if not key.startswith(prefix):
            raise ValueError(f"待办标识 {key} 不属于 {prefix}")
        wanted[key] = _wanted_values(item)
    if close_missing:
        rows = TodoItem.objects.filter(key__startswith=prefix).values(*_ALL)
    else:  # only the items asked for: the kind's done items are never read again
        keys = sorted(wanted)
        rows = (
            row
            for start in range(0, len(keys), batch_size)
            for row in TodoItem.objects.filter(key__in=keys[start : start + batch_size]).values(*_ALL)
        )
    existing = {row["key"]: row for row in rows}
    now = timezone.now()
    new, changed, closed, unchanged = [], [], [], 0
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(TodoItem(key=key, created_at=now, **values))
            continue
        if row["done_at"] is not None and not reopen:
            unchanged += 1
            continue
        target = {**values, "done_at": None, "done_by_id": None}
        if all(row[name] == value for name, value in target.items()):
            unchanged += 1
            continue
        changed.append(TodoItem(**{**row, **target}))
    if close_missing:
        for key, row in existing.items():
            if key not in wanted and row["done_at"] is None:
                closed.append(TodoItem(**{**row, "done_at": now, "done_by_id": None}))
    if new:
        history.bulk_create(new, TodoItem, by=None, reason=reason, batch_size=batch_size)
    fields = [name.removesuffix("_id") for name in (*_ADDRESSED, "done_at", "done_by_id")]
    history.bulk_update(changed, fields, by=None, reason=reason, batch_size=batch_size)
    history.bulk_update(closed, ["done_at", "done_by"], by=None, reason=CLOSED_REASON, batch_size=batch_size)
    return Synced(created=len(new), updated=len(changed), closed=len(closed), unchanged=unchanged)


def complete_todo(*, key: str, by: User | None = None) -> bool:
    """Mark the open item ``key`` as done; returns whether there was one. The row is kept."""
    return bool(complete_todos(keys=[key], by=by))


@transaction.atomic
def complete_todos(*, keys: list[str], by: User | None = None) -> int:
    """Mark the open items of ``keys`` as done in one update; returns how many were open."""
    return TodoItem.objects.filter(key__in=keys, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )


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
