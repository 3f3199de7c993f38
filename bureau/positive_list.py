"""Who is on the enforcement positive list (执法正面清单, R-POS-1, 002 十二), as asked by apps below the one
that keeps it: the frequency rules check those units less (R-INS-4) and draws may leave them out.

``grading`` keeps the list and sits above ``inspections``, so it registers a provider here at start-up
(``AppConfig.ready``). Until one is registered nobody is on the list.
"""

from collections.abc import Callable, Iterable
from datetime import date

Provider = Callable[[date, Iterable[int] | None], set[int]]
_provider: list[Provider] = []


def register(provider: Provider) -> None:
    """``provider(on, facility_ids)`` answers the ids on the list on ``on`` (among ``facility_ids``, or
    all when None) in a fixed number of queries. Registering again replaces it."""
    _provider[:] = [provider]


def members(on: date, facility_ids: Iterable[int] | None = None) -> set[int]:
    return _provider[0](on, facility_ids) if _provider else set()
