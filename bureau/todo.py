"""The to-do list (待办): any app contributes items; the home page lists a user's items, most urgent first.

Contributions are idempotent by ``key`` (a daily job that adds the same item twice updates the one
row), so jobs can say "put this on the list" every day without piling up duplicates. Each app registers
the kinds of item it adds (``register_kind``: the key's prefix and a label such as 许可证到期) in its
``AppConfig.ready``, so the list can say what each item is about without ``bureau`` knowing the apps.
"""

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
