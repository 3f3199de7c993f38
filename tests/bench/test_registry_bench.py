"""Benchmark of the registry's reads at city scale: 20,000 facilities (2,000 permit holders with
events), the list page, its filters, the API list and the Excel export. Prints figures; asserts only
that the pages answer. Not run by default: ``pytest tests/bench/test_registry_bench.py -m bench -s``.
"""

import os
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import services as bureau_services
from permits.models import Facility, Permit, PermitEvent
from tests.factories.permits import credit_code

FACILITIES = int(os.environ.get("REGISTRY_BENCH_FACILITIES", "20000"))


def seed(towns):
    """Bulk rows (not the services: this is load, not behaviour) shaped like the real registry."""
    facilities = [
        Facility(
            credit_code=credit_code(n),
            name=f"基准测试单位{n:05d}有限公司",
            town=towns[n % len(towns)],
            industry_code=["2641", "3360", "1311", "3670"][n % 4],
            industry_name="行业",
            management_level="key" if n % 30 == 0 else "simplified" if n % 10 == 0 else "registered",
        )
        for n in range(1, FACILITIES + 1)
    ]
    Facility.objects.bulk_create(facilities, batch_size=2000)
    holders = list(Facility.objects.exclude(management_level="registered").values_list("pk", flat=True))
    today = date.today()
    permits = [
        Permit(
            number=f"BENCH{pk:08d}",
            facility_id=pk,
            management_level="key",
            issued_on=today - timedelta(days=900),
            valid_from=today - timedelta(days=900),
            valid_until=today + timedelta(days=(pk * 37) % 1200 - 100),
            report_frequency="annual",
        )
        for pk in holders
    ]
    Permit.objects.bulk_create(permits, batch_size=2000)
    PermitEvent.objects.bulk_create(
        [
            PermitEvent(permit=p, kind="first_application", occurred_on=p.issued_on)
            for p in Permit.objects.all()
        ],
        batch_size=2000,
    )


def timed(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, len(queries)


@pytest.mark.bench
@pytest.mark.django_db
def test_registry_reads_at_city_scale(client, approval_clerk, town_a, town_b, town_a_liaison):
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns)
    print(
        f"\n种子数据：{FACILITIES} 家单位，{Permit.objects.count()} 张许可证，用时 {time.perf_counter() - started:.1f} s"
    )
    client.force_login(approval_clerk)
    cases = [
        ("列表第 1 页", "/facilities/", {}),
        ("列表第 200 页", "/facilities/", {"page": 200}),
        ("搜索名称", "/facilities/", {"q": "基准测试单位1234"}),
        ("重点管理 + 涂料", "/facilities/", {"management_level": "key", "industry": "264"}),
        ("许可证有效", "/facilities/", {"permit_state": "valid"}),
        ("90 天内到期", "/facilities/", {"expiring": "true"}),
        ("API 列表", "/api/v1/facilities/", {}),
        ("API 到期筛选", "/api/v1/facilities/", {"expiring": "true"}),
        ("导出 Excel（全部）", "/facilities/export.xlsx", {}),
    ]
    for label, url, params in cases:
        elapsed, queries = timed(client, url, **params)
        print(f"{label:<16} {elapsed * 1000:8.0f} ms  {queries:3d} 次查询")
    client.force_login(town_a_liaison)
    elapsed, queries = timed(client, "/facilities/")
    print(f"{'街镇用户列表':<16} {elapsed * 1000:8.0f} ms  {queries:3d} 次查询")
