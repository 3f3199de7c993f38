"""Benchmark of the Excel exports' background build at city scale (issue 15): 100,000 facilities with
permits (the registry benchmark's builder), their rectification ledger, and 200,000 三监联动 tasks with
their assignments. For each export it prints the build's wall time (as the Celery worker runs it), split
into the time spent in the database driver (``execute``/``fetchmany``, from a profile), building the
rows, and writing the workbook, with the number of queries. Prints figures; asserts only that every row
was exported. Run on PostgreSQL:
``DATABASE_URL=postgres://… pytest tests/bench/test_export_bench.py -m bench -s``
(``EXPORT_BENCH_FACILITIES`` / ``EXPORT_BENCH_TASKS`` set the sizes; ``EXPORT_BENCH_BEFORE=0`` leaves
out the facility export as it was before issue 15, which runs side by side by default).

Measured 2026-12-02 on PostgreSQL, 100,000 facilities, on the 2-core machine at load average 12-13
(several benchmarks at once, so absolute times are several times a quiet machine's; the ratio holds):
facility list before 169.5 s (52 queries; read 75.4 s, openpyxl 94.1 s), after 65.3 s (52 queries:
count, one cursor, one permit query per 2,000 facilities; driver 22.1 s, rows 16.8 s, XlsxWriter
49.1 s): 2.6x. Ledger 20,000 items 18.4 s, 12 queries.

2026-12-03, PostgreSQL, the ``make bench-data`` set (100,000 facilities), quiet machine: the build of
the facility list 6.2-6.5 s with rustpy-xlsxwriter, 17.8-19.9 s with XlsxWriter's constant-memory mode
in the same run (54 queries either way).
"""

import cProfile
import os
import pstats
import tempfile
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from bureau import services as bureau_services
from bureau.documents import excel, exports
from bureau.models import Section, SectionCode
from linkage.models import Assignment, LinkageTask
from permits.models import Facility, RectificationItem
from tests.bench.test_registry_bench import seed

FACILITIES = int(os.environ.get("EXPORT_BENCH_FACILITIES", "100000"))
TASKS = int(os.environ.get("EXPORT_BENCH_TASKS", "200000"))
BATCH = 5000
pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def seed_ledger(ids: list[int]) -> None:
    RectificationItem.objects.bulk_create(
        [
            RectificationItem(
                facility_id=facility_id,
                source_kind="inspection",
                source_label="基准测试",
                found_on=date(2025, 6, 1) + timedelta(days=n % 360),
                category="unlicensed_discharge",
                category_label="无证排污",
                description="基准测试问题",
                deadline_on=date(2025, 7, 1) + timedelta(days=n % 360),
                responsible_person="王厂长",
                closed_on=date(2025, 8, 1) + timedelta(days=n % 300) if n % 2 else None,
            )
            for n, facility_id in enumerate(ids[::5], start=1)
        ],
        batch_size=BATCH,
    )


def seed_tasks(ids: list[int], count: int) -> None:
    """``count`` tasks over three years, each sent to 执法大队 (and one in three to 监测站 too)."""
    sections = dict(Section.objects.values_list("code", "pk"))
    states = ["open", "awaiting_close", "closed", "archived"]
    start = date.today() - timedelta(days=3 * 365)
    for first in range(0, count, 50_000):
        tasks = []
        for n in range(first + 1, min(first + 50_000, count) + 1):
            started = start + timedelta(days=n % 1090)
            tasks.append(
                LinkageTask(
                    number=f"LD-X{n:07d}",
                    year=started.year,
                    sequence=1_000_000 + n,
                    initiator_id=sections[SectionCode.ECOLOGY],
                    facility_id=ids[n % len(ids)],
                    description=f"基准测试任务{n}：废气排放口异常",
                    started_on=started,
                    deadline_workdays=10,
                    deadline_on=started + timedelta(days=14),
                    state=states[n % 4],
                )
            )
        LinkageTask.objects.bulk_create(tasks, batch_size=BATCH)
    enforcement, monitoring = sections[SectionCode.ENFORCEMENT], sections[SectionCode.MONITORING]
    task_ids = list(LinkageTask.objects.filter(number__startswith="LD-X").values_list("pk", flat=True))
    assignments = [Assignment(task_id=pk, section_id=enforcement, state="received") for pk in task_ids]
    assignments += [Assignment(task_id=pk, section_id=monitoring) for pk in task_ids[::3]]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)


def driver_seconds(profile: cProfile.Profile) -> float:
    """Time inside the database driver's execute/fetch calls (psycopg2 or sqlite3)."""
    total = 0.0
    for (filename, _, name), (_, _, tottime, _, _) in pstats.Stats(profile).stats.items():
        if filename == "~" and any(w in name for w in ("execute", "fetchmany", "fetchone", "fetchall")):
            total += tottime
    return total


def measure(label: str, key: str, user, params: dict | None = None) -> None:
    export = exports._EXPORTS[key]
    query = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        query[name] = value
    # The build as the worker runs it (progress updates included), unprofiled.
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        built = export_build(key, user, params or {})
        total = time.perf_counter() - started
    built.content.close()
    # The same rows read and built, profiled for the driver's share; then written alone.
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    data = export.source(user, query)
    rows = list(data.rows)
    profile.disable()
    read = time.perf_counter() - started
    assert len(rows) == data.count
    started = time.perf_counter()
    excel.write_workbook(export.title, export.columns, rows).close()
    written = time.perf_counter() - started
    database = driver_seconds(profile)
    print(
        f"{label:<14} {len(rows):7d} 行  构建 {total:6.2f} s  {len(captured.captured_queries):3d} 次查询 │ "
        f"查询 {database:5.2f} s  组行 {max(read - database, 0):5.2f} s（含剖析开销）  写入 {written:5.2f} s"
    )


def before_facilities(user) -> None:
    """The facility export as it was before issue 15, side by side: model instances with their town, key
    industry and prefetched permits per chunk, written by openpyxl's write-only mode."""
    from openpyxl import Workbook

    from permits.views.facilities import facility_filterset, with_current_permits

    today = date.today()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        facilities = facility_filterset(user, QueryDict(), today).qs
        facilities.count()
        rows = [
            [f.name, f.source_code, f.town.name, f.industry_code, f.industry_name,
             f.get_management_level_display(), f.key_industry.name if f.key_industry_id else "",
             f.get_status_display(), f.address, f.contact_person, f.contact_phone,
             f.current_permit.permit.number if f.current_permit else "",
             f.current_permit.state_label if f.current_permit else "",
             f.current_permit.permit.valid_until if f.current_permit else None]
            for f in with_current_permits(facilities.iterator(chunk_size=2000), today)
        ]  # fmt: skip
        read = time.perf_counter() - started
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="t")
    for row in rows:
        sheet.append(row)
    workbook.save(tempfile.TemporaryFile())
    written = time.perf_counter() - started
    print(
        f"{'（改前）名录':<14} {len(rows):7d} 行  构建 {read + written:6.2f} s  "
        f"{len(captured.captured_queries):3d} 次查询 │ 查询与组行 {read:5.2f} s  写入（openpyxl）{written:5.2f} s"
    )


def export_build(key: str, user, params: dict):
    progress = lambda done, total: None  # noqa: E731
    return exports.jobs.kind_of(f"export:{key}").build(user, {k: [v] for k, v in params.items()}, progress)


def test_exports_at_city_scale(town_a, town_b, approval_clerk, leader):
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns, FACILITIES)
    ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    seed_ledger(ids)
    seed_tasks(ids, TASKS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    print(f"\n种子数据：{FACILITIES} 家单位、{TASKS} 项任务，用时 {time.perf_counter() - started:.1f} s")
    measure("固定污染源名录", "permits.facilities", approval_clerk)
    if os.environ.get("EXPORT_BENCH_BEFORE", "1") == "1":
        before_facilities(approval_clerk)
    measure("整改问题台账", "permits.ledger", approval_clerk)
    measure("三监联动任务", "linkage.tasks", leader, {"tab": "all"})
