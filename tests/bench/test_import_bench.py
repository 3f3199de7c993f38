"""Benchmark of 数据导入 at city scale: a 100,000-row platform export, parsed and compared, then applied
in one transaction. Not run by default:
``DATABASE_URL=postgres://… pytest tests/bench/test_import_bench.py -m bench -s`` (``IMPORT_BENCH_ROWS``
sets the rows; 100,000 by default, the most a file may hold).

The file: one in twenty of its sites already in the registry (half of those changed in the file), the
rest new; one in three a permit holder (a permit and its 首次申请 event), the rest registered units.

Printed per step (parse + compare, preview page, apply): seconds, rows per second, queries, and the peak
resident memory of this process during the step (it plays the worker: the peak is reset before each
step through ``/proc/self/clear_refs``, so it is the step's own high-water mark). The workbook is made in
a forked child so that making it does not count as the worker's memory.
"""

import multiprocessing
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from permits.imports import apply as writes
from permits.imports import services as imports
from permits.imports.models import ImportBatch, ImportStatus
from permits.models import Facility, Permit, Registration
from tests.factories.imports import key_row, register_like, registered_row, workbook

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "100000"))
EXISTING = ROWS // 20


def platform_row(n: int) -> dict:
    return key_row(n) if n % 3 == 0 else registered_row(n)


def file_rows() -> list[dict]:
    return [platform_row(n) | ({"联系人": "李四"} if n <= EXISTING // 2 else {}) for n in range(1, ROWS + 1)]


def _write_workbook(path: str) -> None:
    Path(path).write_bytes(workbook(file_rows()))


def _status_kb(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


class Step:
    seconds = 0.0
    queries = 0
    peak_mb = 0.0
    start_mb = 0.0


@contextmanager
def measured():
    """Time, queries and peak RSS of the block (Linux: the high-water mark is reset first)."""
    step = Step()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    step.start_mb = _status_kb("VmRSS") / 1024

    def count(execute, sql, params, many, context):
        step.queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        yield step
    step.seconds = time.perf_counter() - started
    step.peak_mb = _status_kb("VmHWM") / 1024


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_import_city_scale_file(client, approval_clerk, town_a, town_b, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    started = time.perf_counter()
    for n in range(1, EXISTING + 1):
        register_like(platform_row(n))
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    path = tmp_path / "platform.xlsx"
    child = multiprocessing.get_context("fork").Process(target=_write_workbook, args=(str(path),))
    child.start()
    child.join()
    assert child.exitcode == 0
    data = path.read_bytes()
    written = time.perf_counter() - started
    # The bench plays the worker: nothing is queued, it calls the services itself.
    batch = imports.start_import(
        by=approval_clerk, upload=ContentFile(data, name=f"平台导出-{ROWS}.xlsx"), queue_parse=lambda pk: None
    )
    del data

    with measured() as parse:
        imports.parse_batch(batch_id=batch.pk)
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
    with measured() as apply:
        writes.apply_batch(batch_id=batch.pk)
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == ImportStatus.DONE, batch.error
    assert Facility.objects.count() == ROWS
    assert Permit.objects.count() + Registration.objects.count() == ROWS
    # Every created and changed record has its history row naming the confirming user.
    assert Facility.history.filter(history_user=approval_clerk).count() == batch.applied_rows
    assert Permit.history.filter(history_user=approval_clerk).count() == Permit.objects.count() - EXISTING // 3

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\n数据导入基准（{ROWS} 行，{engine}）\n"
        f"  准备：经服务建档 {EXISTING} 家 {seeded:.1f} s；生成 .xlsx（{path.stat().st_size / 1e6:.1f} MB）{written:.1f} s\n"
        f"  解析+比对：{parse.seconds:.1f} s（{ROWS / parse.seconds:.0f} 行/s），{parse.queries} 次查询，"
        f"进程内存峰值 {parse.peak_mb:.0f} MB（开始时 {parse.start_mb:.0f} MB）\n"
        f"  预览页：{preview_seconds * 1000:.0f} ms\n"
        f"  确认写入（单一事务，{batch.applied_rows} 行）：{apply.seconds:.1f} s"
        f"（{batch.applied_rows / apply.seconds:.0f} 行/s），{apply.queries} 次查询"
        f"（每行 {apply.queries / batch.applied_rows:.2f}），进程内存峰值 {apply.peak_mb:.0f} MB"
        f"（开始时 {apply.start_mb:.0f} MB）\n"
        f"  解析+写入合计：{parse.seconds + apply.seconds:.1f} s"
    )
