"""Benchmark of the registry's reads at city scale: ``REGISTRY_BENCH_FACILITIES`` facilities (20,000 by
default, 100,000 for the city), three in ten holding a permit with its events (延续 granted, some
late, some refused; 注销 and 吊销), the list page with its filters and searches, the ledger, the API
list and the Excel export. Prints p50 / max of several runs with the query count and, on PostgreSQL,
the plans (EXPLAIN ANALYZE) of the count and page queries of the valid-permit filter and the searches.
Asserts only that the pages answer. Not run by default:
``pytest tests/bench/test_registry_bench.py -m bench -s``.
"""

import os
import statistics
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import services as bureau_services
from permits.models import Facility, Permit, PermitEvent, Unit
from tests.factories.permits import credit_code

FACILITIES = int(os.environ.get("REGISTRY_BENCH_FACILITIES", "20000"))
RUNS = int(os.environ.get("REGISTRY_BENCH_RUNS", "5"))
BATCH = 2000


def _level(n: int) -> str:
    return "key" if n % 10 == 0 else "simplified" if n % 10 in (3, 7) else "registered"


def seed(towns, count: int = FACILITIES):
    """Bulk rows (not the services: this is load, not behaviour) shaped like the real registry and kept
    valid as the services would: one unit and site each; a permit for the three in ten under key or
    simplified management, validity spread around today; one permit in seven renewed (a grant moves
    ``valid_until`` and keeps the end it extended; one in three of them granted late, leaving a gap),
    one in 23 refused, one in 31 cancelled and one in 97 revoked."""
    numbers = range(1, count + 1)
    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"基准测试单位{n:06d}有限公司") for n in numbers], batch_size=BATCH
    )
    units = dict(Unit.objects.filter(name__startswith="基准测试单位").values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"基准测试单位{n:06d}有限公司",
                town=towns[n % len(towns)],
                industry_code=["2641", "3360", "1311", "3670"][n % 4],
                industry_name="行业",
                management_level=_level(n),
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    today = date.today()
    holders = Facility.objects.exclude(management_level="registered").order_by("pk").values_list("pk", flat=True)
    permits, events = [], []
    for pk in holders:
        issued = today - timedelta(days=900 + pk % 400)
        first_end = today + timedelta(days=(pk * 37) % 1200 - 400)
        permit = Permit(
            number=f"BENCH{pk:08d}",
            facility_id=pk,
            management_level="key",
            issued_on=issued,
            valid_from=issued,
            valid_until=first_end,
            report_frequency="annual",
        )
        permits.append(permit)
        events.append((permit, "first_application", issued, {}))
        if pk % 7 == 0 and first_end < today:
            applied = first_end - timedelta(days=60)
            decided = first_end + timedelta(days=20) if pk % 3 == 0 else first_end - timedelta(days=10)
            new_end = first_end + timedelta(days=5 * 365)
            permit.valid_until = new_end
            events.append((permit, "renewal", applied, {}))
            events.append(
                (
                    permit,
                    "renewal_decision",
                    min(decided, today),
                    {"renewal_granted": True, "previous_valid_until": first_end, "new_valid_until": new_end},
                )
            )
        elif pk % 23 == 0:
            events.append((permit, "renewal", first_end - timedelta(days=60), {}))
            events.append((permit, "renewal_decision", first_end - timedelta(days=30), {"renewal_granted": False}))
        if pk % 31 == 0:
            events.append((permit, "cancellation", today - timedelta(days=pk % 200), {}))
        elif pk % 97 == 0:
            events.append((permit, "revocation", today - timedelta(days=pk % 300), {}))
    Permit.objects.bulk_create(permits, batch_size=BATCH)
    first = [
        PermitEvent(permit_id=permit.pk, kind=kind, occurred_on=occurred_on, **extra)
        for permit, kind, occurred_on, extra in events
        if kind != "renewal_decision"
    ]
    PermitEvent.objects.bulk_create(first, batch_size=BATCH)
    applications = {row.permit_id: row for row in first if row.kind == "renewal"}
    PermitEvent.objects.bulk_create(
        [
            PermitEvent(
                permit_id=permit.pk,
                kind=kind,
                occurred_on=occurred_on,
                renewal_application=applications[permit.pk],
                **extra,
            )
            for permit, kind, occurred_on, extra in events
            if kind == "renewal_decision"
        ],
        batch_size=BATCH,
    )


def timed(client, url, params):
    """p50 and max over ``RUNS`` requests (the first, cold, is left out), the query count, and the
    queries of the last run."""
    times = []
    for run in range(RUNS + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200
        if run:
            times.append(elapsed)
    return statistics.median(times), max(times), captured.captured_queries


def explain(label, sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
        plan = "\n    ".join(row[0] for row in cursor.fetchall())
    print(f"  -- {label}\n    {plan}")


CASES = [
    ("列表第 1 页", "/facilities/", {}),
    ("列表第 200 页", "/facilities/", {"page": 200}),
    ("搜索名称", "/facilities/", {"q": "测试单位01234"}),
    ("搜索名称（多条）", "/facilities/", {"q": "单位0123"}),
    ("搜索信用代码", "/facilities/", {"q": credit_code(4321)[8:16]}),
    ("重点管理 + 涂料", "/facilities/", {"management_level": "key", "industry": "264"}),
    ("许可证有效", "/facilities/", {"permit_state": "valid"}),
    ("许可证有效第 100 页", "/facilities/", {"permit_state": "valid", "page": 100}),
    ("许可证已过期", "/facilities/", {"permit_state": "expired"}),
    ("90 天内到期", "/facilities/", {"expiring": "true"}),
    ("有效 + 搜索", "/facilities/", {"permit_state": "valid", "q": "单位0123"}),
    ("输入提示", "/facilities/search.json", {"q": "单位01234"}),
    ("整改台账", "/rectifications/", {}),
    ("API 列表", "/api/v1/facilities/", {}),
    ("API 到期筛选", "/api/v1/facilities/", {"expiring": "true"}),
]
EXPLAINED = {"许可证有效", "搜索名称", "搜索信用代码", "有效 + 搜索"}


@pytest.mark.bench
@pytest.mark.django_db
def test_registry_reads_at_city_scale(client, approval_clerk, town_a, town_b, town_a_liaison):
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Only the seeded tables: a whole-database ANALYZE took over ten minutes on the shared machine.
            cursor.execute("ANALYZE permits_unit, permits_facility, permits_permit, permits_permitevent")
    print(
        f"\n种子数据：{FACILITIES} 家单位，{Permit.objects.count()} 张许可证，{PermitEvent.objects.count()} 个事项，"
        f"用时 {time.perf_counter() - started:.1f} s（{connection.vendor}）"
    )
    client.force_login(approval_clerk)
    plans = []
    for label, url, params in CASES:
        p50, slowest, queries = timed(client, url, params)
        print(f"{label:<16} p50 {p50 * 1000:7.0f} ms  max {slowest * 1000:7.0f} ms  {len(queries):3d} 次查询")
        if label in EXPLAINED:
            plans.append((label, queries))
    client.force_login(town_a_liaison)
    p50, slowest, queries = timed(client, "/facilities/", {"permit_state": "valid"})
    print(f"{'街镇用户·有效':<16} p50 {p50 * 1000:7.0f} ms  max {slowest * 1000:7.0f} ms  {len(queries):3d} 次查询")
    if connection.vendor == "postgresql" and os.environ.get("REGISTRY_BENCH_EXPLAIN"):
        for label, queries in plans:
            listed = [q["sql"] for q in queries if '"permits_facility"' in q["sql"] and "COUNT(" in q["sql"]]
            listed += [q["sql"] for q in queries if 'FROM "permits_facility"' in q["sql"] and "LIMIT" in q["sql"]]
            for sql in listed[:2]:
                explain(f"{label}: {sql[:60]}…", sql)
