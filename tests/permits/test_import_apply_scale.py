"""数据导入 at city scale: the apply writes in bulk, so its queries do not grow with the rows, and every
record it creates or changes still has its history row naming the confirming user (R-RET-1)."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permits.imports import apply as writes
from permits.imports import services as imports
from permits.imports.models import ImportBatch, ImportStatus
from permits.models import Facility, Permit, PermitEvent, Registration, Unit
from tests.factories.imports import code, key_row, register_like, registered_row, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def file_of(first: int, rows: int) -> list[dict]:
    """``rows`` rows from site ``first`` on: a quarter already registered (half of those a permit
    holder whose contact changes, half a registered unit whose registration date changes), the rest
    new permit holders and registered units."""
    existing = rows // 4
    out = []
    for n in range(first, first + rows):
        if n < first + existing:
            if n % 2:
                register_like(key_row(n))
                out.append(key_row(n, 联系人="李四"))
            else:
                register_like(registered_row(n))
                out.append(registered_row(n, 登记日期=date(2023, 7, 1)))
        else:
            out.append(key_row(n) if n % 2 else registered_row(n))
    return out


def previewed(user, rows: list[dict], *, confirmed_by=None) -> ImportBatch:
    batch = imports.start_import(
        by=user, upload=ContentFile(workbook(rows), name="平台导出.xlsx"), queue_parse=lambda pk: None
    )
    imports.parse_batch(batch_id=batch.pk)
    return imports.confirm_batch(batch=batch, by=confirmed_by or user, queue_apply=lambda pk: None)


def apply_queries(batch: ImportBatch) -> int:
    with CaptureQueriesContext(connection) as queries:
        writes.apply_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE, batch.error
    return len(queries)


def test_the_apply_costs_the_same_queries_for_10_rows_and_for_40(approval_clerk, town_a, town_b):
    small = previewed(approval_clerk, file_of(1, 10))
    large = previewed(approval_clerk, file_of(101, 40))
    assert (small.new_count, small.changed_count, large.new_count, large.changed_count) == (8, 2, 30, 10)

    small_queries, large_queries = apply_queries(small), apply_queries(large)

    assert small_queries == large_queries
    assert (small.applied_rows, large.applied_rows) == (10, 40)


def test_the_queries_grow_with_chunks_not_rows(approval_clerk, town_a, town_b, monkeypatch):
    monkeypatch.setattr(writes, "WRITE_CHUNK", 10)
    one_chunk = previewed(approval_clerk, file_of(1, 10))
    four_chunks = previewed(approval_clerk, file_of(101, 40))

    one, four = apply_queries(one_chunk), apply_queries(four_chunks)

    assert four > one  # each chunk is written on its own …
    assert four - one <= 3 * 14  # … in at most 14 statements a chunk (seven writes, their history rows)


def test_every_created_or_changed_record_has_its_history_row_naming_the_importer(
    approval_clerk, approval_head, town_a, town_b
):
    rows = file_of(1, 12)
    before = {
        model: set(model.history.values_list("history_id", flat=True))
        for model in (Unit, Facility, Permit, PermitEvent, Registration)
    }
    batch = previewed(approval_clerk, rows, confirmed_by=approval_head)  # the clerk uploads, the head confirms
    apply_queries(batch)
    source = f"排污许可平台导入（批次 {batch.pk}）"

    def written(model):
        return model.history.exclude(history_id__in=before[model])

    # new sites: their unit and facility created ("+"), with the source
    new_codes = [code(n) for n in range(4, 13)]
    for model in (Unit, Facility):
        created = written(model).filter(history_type="+")
        assert sorted(created.values_list("credit_code", flat=True)) == new_codes
        assert set(created.values_list("history_user", "history_change_reason")) == {
            (approval_head.pk, f"新建（来源：{source}）")
        }
    # changed sites ("~"): the values after the change, the one before in the earlier history row
    changed = written(Facility).filter(history_type="~")
    assert sorted(changed.values_list("credit_code", "contact_person")) == [(code(1), "李四"), (code(3), "李四")]
    assert set(changed.values_list("history_user", "history_change_reason")) == {
        (approval_head.pk, f"更新（来源：{source}）")
    }
    for facility in Facility.objects.filter(credit_code__in=[code(1), code(3)]):
        after, before_row = facility.history.all()[:2]
        assert (before_row.contact_person, after.contact_person) == ("张三", "李四")
        assert after.updated_at == facility.updated_at > before_row.updated_at
    # new permits and their 首次申请 events, new and changed registrations
    permits = written(Permit).filter(history_type="+")
    assert permits.count() == Permit.objects.filter(facility__credit_code__in=new_codes).count() == 4
    assert written(PermitEvent).filter(history_type="+").count() == 4
    events = PermitEvent.objects.filter(permit__facility__credit_code__in=new_codes)
    assert set(events.values_list("recorded_by", "kind")) == {(approval_head.pk, "first_application")}
    registrations = written(Registration)
    assert registrations.filter(history_type="+").count() == 5
    assert list(registrations.filter(history_type="~").values_list("registered_on", "history_change_reason")) == [
        (date(2023, 7, 1), "更新登记")
    ]
    for model in (Permit, PermitEvent, Registration):
        assert set(written(model).values_list("history_user", flat=True)) == {approval_head.pk}
    # and nothing without its history row
    for model in (Unit, Facility, Permit, PermitEvent, Registration):
        assert model.objects.count() == model.history.filter(history_type="+").count()
