"""One gap-free yearly number series for every numbered record (task numbers, complaint numbers …).

Each series counts from 1 in each year. The counter row is locked (``select_for_update``) until the
caller's transaction commits, and rolls back with it, so two records created at once never share a
number and a failed write leaves no gap.
"""

from django.db import IntegrityError, transaction

from bureau.models import NumberSeries


def next_in_series(series: str, year: int) -> int:
    """The next number of ``series`` in ``year``. Must run inside the transaction that stores the
    numbered record (it refuses to run outside one, where the lock would end at once)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_in_series 必须在保存编号记录的事务内调用。")
    if not NumberSeries.objects.filter(series=series, year=year).exists():
        try:
            with transaction.atomic():
                NumberSeries.objects.create(series=series, year=year)
        except IntegrityError:
            pass  # created at the same moment by another transaction; lock that row below
    counter = NumberSeries.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def reserve_in_series(series: str, year: int, count: int) -> int:
    """Reserve ``count`` consecutive numbers of ``series`` in ``year`` at once (a plan's many records);
    returns the first. Same locking and rollback as ``next_in_series``; ``count == 0`` reserves none
    and returns the next number that would be given."""
    if count < 0:
        raise ValueError("count must not be negative")
    first = next_in_series(series, year)
    if count != 1:
        NumberSeries.objects.filter(series=series, year=year).update(last=first + count - 1)
    return first
