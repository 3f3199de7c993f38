"""Benchmark of the dashboards at city scale (issue 13): 100,000 facilities with permits and signed
inspections (the planning benchmark's builder), the year's inspection plan, and in bulk one linkage task
per 20 facilities (sent to 执法大队), one ledger item per 5, one complaint per 30 and an execution
report of 2026-Q1 per quarterly permit. Times the leadership dashboard (whole district and one town),
a town's dashboard and 审批科's, and counts their queries. Prints figures; asserts what holds at any
scale: the pages answer and each costs the same number of queries at a small scale and at full scale.
Run on PostgreSQL: ``DATABASE_URL=postgres://… pytest tests/bench/test_dashboard_bench.py -m bench -s``
(``DASHBOARD_BENCH`` sets the number of facilities).
"""

import os
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import services as bureau_services
from bureau.models import Section, SectionCode
from complaints.models import Complaint
from inspections.services import planning
from linkage.models import Assignment, LinkageTask
from permits.models import Facility, Permit, RectificationItem
from permits.reports.models import ExecutionReport
from tests.bench.test_planning_bench import seed
from tests.factories.bureau import StaffFactory

FACILITIES = int(os.environ.get("DASHBOARD_BENCH", "100000"))
SMALL = 2_000
TODAY = date(2026, 6, 15)
BATCH = 2000
pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(TODAY)]


def seed_work(ids: list[int]) -> None:
    """Bulk rows (load, not behaviour) for the panels beyond the registry and the plan."""
    sections = dict(Section.objects.values_list("code", "pk"))
    tasks = [
        LinkageTask(
            number=f"LD-B{n:07d}",
            year=2026,
            sequence=1_000_000 + n,
            initiator_id=sections[SectionCode.MONITORING],
            facility_id=facility_id,
            description="基准测试任务",
            started_on=date(2026, 1, 1) + timedelta(days=n % 160),
            deadline_workdays=10,
            deadline_on=date(2026, 1, 15) + timedelta(days=n % 160),
            state="closed" if n % 3 == 0 else "open",
            closed_on=date(2026, 2, 1) + timedelta(days=n % 120) if n % 3 == 0 else None,
        )
        for n, facility_id in enumerate(ids[::20], start=1)
    ]
    LinkageTask.objects.bulk_create(tasks, batch_size=BATCH)
    Assignment.objects.bulk_create(
        [
            Assignment(task=task, section_id=sections[SectionCode.ENFORCEMENT])
            for task in LinkageTask.objects.filter(number__startswith="LD-B").only("pk")
        ],
        batch_size=BATCH,
    )
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
    Complaint.objects.bulk_create(
        [
            Complaint(
                number=f"TS-B{n:07d}",
                year=2026,
                sequence=1_000_000 + n,
                channel="12369",
                received_on=date(2026, 1, 1) + timedelta(days=n % 160),
                content="基准测试投诉",
                facility_id=facility_id,
                state="received" if n % 4 else "closed",
                registered_section_id=sections[SectionCode.ENFORCEMENT],
            )
            for n, facility_id in enumerate(ids[::30], start=1)
        ],
        batch_size=BATCH,
    )
    ExecutionReport.objects.bulk_create(
        [
            ExecutionReport(
                permit_id=permit_id,
                facility_id=facility_id,
                period_type="quarterly",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 3, 31),
                due_on=date(2026, 4, 15),
                received_on=date(2026, 4, 10) if n % 3 else None,
            )
            for n, (permit_id, facility_id) in enumerate(
                Permit.objects.values_list("pk", "facility_id"), start=1
            )
        ],
        batch_size=BATCH,
    )


def timed(client, url, **params) -> tuple[float, int]:
    client.get(url, params)  # warm: templates and the URLconf loaded, as in a running process
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    for query in slowest:
        print(f"    {float(query['time']) * 1000:7.0f} ms  {query['sql'][:110]}")
    return elapsed, len(queries)


QUERIES: dict[int, dict[str, int]] = {}


@pytest.mark.parametrize("count", sorted({min(SMALL, FACILITIES), FACILITIES}))
def test_dashboards_at_city_scale(count, client, town_a, town_b, leader, approval_clerk, town_a_liaison):
    officer = StaffFactory(username="bench-officer", section_code=SectionCode.ENFORCEMENT).user
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns, count, officer)
    planning.sync_plan(year=2026, today=TODAY)
    seed_work(list(Facility.objects.order_by("pk").values_list("pk", flat=True)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a live database keeps, after the bulk load
    print(
        f"\n种子数据：{Facility.objects.count()} 家单位，{Permit.objects.count()} 张许可证，"
        f"{LinkageTask.objects.count()} 项联动任务，{RectificationItem.objects.count()} 项整改问题，"
        f"{Complaint.objects.count()} 件投诉，{ExecutionReport.objects.count()} 份执行报告，"
        f"用时 {time.perf_counter() - started:.1f} s"
    )
    cases = [
        ("领导看板（全区）", leader, reverse("reports:dashboard-leadership"), {}),
        ("领导看板（甲镇）", leader, reverse("reports:dashboard-leadership"), {"town": town_a.pk}),
        ("领导看板（2026 年 5 月）", leader, reverse("reports:dashboard-leadership"), {"period": "2026-05"}),
        ("工作看板（审批科）", approval_clerk, reverse("reports:dashboard"), {}),
        ("工作看板（甲镇）", town_a_liaison, reverse("reports:dashboard"), {}),
    ]
    QUERIES[count] = {}
    for label, user, url, params in cases:
        client.force_login(user)
        elapsed, queries = timed(client, url, **params)
        QUERIES[count][label] = queries
        print(f"{label:<24} {elapsed * 1000:8.0f} ms  {queries:3d} 次查询")
    if len(QUERIES) == 2:
        small, full = QUERIES.values()
        assert small == full  # a fixed number of queries whatever the data size
