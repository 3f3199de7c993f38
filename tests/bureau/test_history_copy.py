"""``bureau.history.copy_rows``: the history rows the database copies from rows just written are the
rows ``bulk_history_create`` would make (R-RET-1), for a created and for a changed record."""

import pytest

from bureau import history
from permits.models import Facility
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.django_db

HISTORY_ONLY = {"history_id", "history_date"}


def history_values(facility: Facility) -> dict:
    row = Facility.history.filter(id=facility.pk).order_by("-history_id").values().first()
    return {key: value for key, value in row.items() if key not in HISTORY_ONLY}


@pytest.mark.parametrize("created", [True, False])
def test_r_ret_1_copied_history_rows_are_the_rows_simple_history_writes(created, town_a, approval_clerk):
    # given: two facilities, the first changed in the database (as a bulk update would)
    first, second = FacilityFactory(town=town_a, n=1), FacilityFactory(town=town_a, n=2)
    Facility.objects.filter(pk=first.pk).update(contact_person="李四", address="新地址 1 号")
    first = Facility.objects.get(pk=first.pk)  # as read back, without what the service marked on it
    # when: simple_history writes the first's history row, the database copies the second's
    reason = "新建（来源：导入）" if created else "更新（来源：导入）"
    Facility.history.bulk_history_create(
        [first], update=not created, default_user=approval_clerk, default_change_reason=reason
    )
    history.copy_rows(Facility, [second.pk], by=approval_clerk, reason=reason, created=created)
    # then: the same values, who, why and type; only the record's own fields differ
    by_simple_history, copied = history_values(first), history_values(second)
    assert copied["history_type"] == ("+" if created else "~") == by_simple_history["history_type"]
    assert (copied["history_user_id"], copied["history_change_reason"]) == (approval_clerk.pk, reason)
    assert by_simple_history["contact_person"] == "李四" and by_simple_history["address"] == "新地址 1 号"
    second_now = Facility.objects.values().get(pk=second.pk)
    assert {key: copied[key] for key in second_now} == second_now
    assert set(copied) == set(by_simple_history)
    assert {k: v for k, v in by_simple_history.items() if k not in second_now} == {
        k: v for k, v in copied.items() if k not in second_now
    }


def test_r_ret_1_a_record_without_a_reason_has_none_as_a_save_records_it(town_a, approval_clerk):
    facility = FacilityFactory(town=town_a, n=3)
    history.copy_rows(Facility, [facility.pk], by=approval_clerk, created=True)
    assert history_values(facility)["history_change_reason"] is None
