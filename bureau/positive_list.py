"""Who is on the enforcement positive list (执法正面清单, R-POS-1, 002 十二), as asked by apps below the one
that keeps it: the frequency rules check those units less (R-INS-4) and draws may leave them out.

``grading`` keeps the list and sits above ``inspections``, so it registers a provider here at start-up
(``AppConfig.ready``). Until one is registered nobody is on the list.

The other way round, a record below ``grading`` (a case or finding of secret discharge, tampering with
ledgers or evading supervision) takes a unit off the list at once through ``drop_at_once``, which
calls the remover ``grading`` registers.
"""

from collections.abc import Callable, Iterable
from datetime import date

Provider = Callable[[date, Iterable[int] | None], set[int]]
Remover = Callable[..., bool]
_provider: list[Provider] = []
_remover: list[Remover] = []


def register(provider: Provider, remover: Remover | None = None) -> None:
    """``provider(on, facility_ids)`` answers the ids on the list on ``on`` (among ``facility_ids``, or
    all when None) in a fixed number of queries. ``remover(facility_id, on=, reason=, url=)`` takes a
    unit off the list at once. Registering again replaces them."""
    _provider[:] = [provider]
    _remover[:] = [remover] if remover else []


def drop_at_once(facility_id: int, *, on: date, reason: str, url: str = "") -> bool:
    """Take ``facility_id`` off the list from ``on`` (R-POS-1, 002 十二 及时移出), ``reason`` naming the
    record that caused it. Returns whether it was on the list; False when no list is kept."""
    return _remover[0](facility_id, on=on, reason=reason, url=url) if _remover else False


def members(on: date, facility_ids: Iterable[int] | None = None) -> set[int]:
    return _provider[0](on, facility_ids) if _provider else set()
