"""One gap-free yearly number series (bureau.numbers): numbers count per series and year, a record
that is not committed gives its number back, and asking outside a transaction is refused."""

import pytest
from django.db import transaction

from bureau.models import NumberSeries
from bureau.numbers import next_in_series, reserve_in_series

pytestmark = pytest.mark.django_db(transaction=True)


def next_number(series: str, year: int) -> int:
    with transaction.atomic():
        return next_in_series(series, year)


def test_each_series_counts_from_one_in_each_year():
    assert [next_number("linkage-task", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number("complaint", 2026) == 1
    assert next_number("linkage-task", 2027) == 1


def test_a_rolled_back_record_gives_its_number_back():
    next_number("complaint", 2026)
    with pytest.raises(RuntimeError, match="保存失败"), transaction.atomic():
        assert next_in_series("complaint", 2026) == 2
        raise RuntimeError("保存失败")
    assert next_number("complaint", 2026) == 2
    assert NumberSeries.objects.get(series="complaint", year=2026).last == 2


def test_outside_a_transaction_the_lock_would_not_hold_so_it_is_refused():
    with pytest.raises(RuntimeError, match="必须在保存编号记录的事务内调用"):
        next_in_series("complaint", 2026)
    assert not NumberSeries.objects.exists()


def test_a_block_of_numbers_is_reserved_at_once_and_given_back_with_its_transaction():
    next_number("monitoring-task", 2026)
    with transaction.atomic():
        assert reserve_in_series("monitoring-task", 2026, 500) == 2
    assert next_number("monitoring-task", 2026) == 502
    with transaction.atomic():
        assert reserve_in_series("monitoring-task", 2026, 0) == 503  # none taken
    with pytest.raises(RuntimeError, match="保存失败"), transaction.atomic():
        reserve_in_series("monitoring-task", 2026, 10)
        raise RuntimeError("保存失败")
    assert next_number("monitoring-task", 2026) == 503
