"""Leads that a lower app hands to 三监联动 (DESIGN.md: "leads arrive through its service").

``permits`` sits below ``linkage`` and may not import it, yet some of its leads must reach 执法大队 at
once (R-REP-4: a substantive execution-report problem is handed over immediately). The app that
receives a kind of lead registers a receiver here at start-up (``AppConfig.ready``); the app that
records the lead calls ``hand_over`` in the same transaction. When no receiver is registered (a test
of ``permits`` alone) the lead stays open and the receiving app's daily job takes it over later.
"""

from collections.abc import Callable
from datetime import date

Receiver = Callable[..., dict[int, str]]
_receivers: dict[str, Receiver] = {}


def register_receiver(kind: str, receiver: Receiver) -> None:
    """``receiver(pks=[…], today=…)`` takes over the leads ``pks`` of ``kind``, all at once, and
    returns what took each over (a task number) by lead. It must be idempotent: a lead already taken
    over keeps the same answer."""
    _receivers[kind] = receiver


def hand_over(kind: str, *, pk: int, today: date) -> str | None:
    """Hand the lead ``pk`` of ``kind`` to its receiver; its answer, or None when nobody receives it."""
    return hand_over_many(kind, pks=[pk], today=today).get(pk)


def hand_over_many(kind: str, *, pks: list[int], today: date) -> dict[int, str]:
    """Hand the leads ``pks`` of ``kind`` to their receiver at once; its answers by lead, or nothing
    when nobody receives them."""
    receiver = _receivers.get(kind)
    return {} if receiver is None or not pks else receiver(pks=pks, today=today)
