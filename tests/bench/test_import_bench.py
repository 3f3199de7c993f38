"""Benchmark of 数据导入: a 20,000-row platform export, parsed and compared, then applied in one
transaction. Not run by default: ``pytest tests/bench/test_import_bench.py -m bench -s``.

The file: 1,000 facilities already in the registry (500 of them changed in the file), 19,000 new ones,
one in three a permit holder (a permit and its 首次申请 event) and the rest registered units.
"""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from permits.imports import services as imports
from permits.imports.models import ImportBatch, ImportStatus
from permits.models import Facility, Permit, Registration
from tests.factories.imports import key_row, register_like, registered_row, workbook

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "20000"))
EXISTING = ROWS // 20


def platform_row(n: int) -> dict:
    return key_row(n) if n % 3 == 0 else registered_row(n)


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_import_20000_rows(client, approval_clerk, town_a, town_b, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    started = time.perf_counter()
    for n in range(1, EXISTING + 1):
        register_like(platform_row(n))
    seeded = time.perf_counter() - started
    rows = [platform_row(n) | ({"联系人": "李四"} if n <= EXISTING // 2 else {}) for n in range(1, ROWS + 1)]
    started = time.perf_counter()
    data = workbook(rows)
    written = time.perf_counter() - started
    # The bench plays the worker: nothing is queued, it calls the services itself.
    batch = imports.start_import(
        by=approval_clerk, upload=ContentFile(data, name="平台导出-20000.xlsx"), queue_parse=lambda pk: None
    )

    started = time.perf_counter()
    imports.parse_batch(batch_id=batch.pk)
    parse_seconds = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY, batch.error
    assert (batch.new_count, batch.changed_count, batch.unchanged_count, batch.rejected_count) == (
        ROWS - EXISTING,
        EXISTING // 2,
        EXISTING // 2,
        0,
    )

    client.force_login(approval_clerk)
    started = time.perf_counter()
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200
    preview_seconds = time.perf_counter() - started

    imports.confirm_batch(batch=batch, by=approval_clerk, queue_apply=lambda pk: None)
    started = time.perf_counter()
    imports.apply_batch(batch_id=batch.pk)
    apply_seconds = time.perf_counter() - started
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == ImportStatus.DONE, batch.error
    assert Facility.objects.count() == ROWS
    assert Permit.objects.count() + Registration.objects.count() == ROWS

    print(
        f"\n数据导入基准（{ROWS} 行，{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}）\n"
        f"  准备：经服务建档 {EXISTING} 家 {seeded:.1f} s；生成 .xlsx（{len(data) / 1e6:.1f} MB）{written:.1f} s\n"
        f"  解析+比对：{parse_seconds:.1f} s（{ROWS / parse_seconds:.0f} 行/s）\n"
        f"  预览页：{preview_seconds * 1000:.0f} ms\n"
        f"  确认写入（单一事务，{batch.applied_rows} 行）：{apply_seconds:.1f} s（{batch.applied_rows / apply_seconds:.0f} 行/s）"
    )
