"""Benchmark of the 三监联动 pages at city scale (issue 15): tens of thousands of linkage tasks over
three years (2024–2026) in bulk, started by the five departments in turn and sent to one or two
others, most archived, some closed and waiting for 审批科, the recent ones open (pending or received)
or waiting for 销号, one in eight of the old ones still open and long overdue.

Times (median of five, after a warm-up; ``LINKAGE_BENCH_RUNS``) each department's default queue tab, 审批科's 待归档 tab,
the overdue tab, a later page of a tab, 全部任务 for 审批科 and leadership, one task's page and the
anomaly report list, with the time of their own SQL, the ratio, the query count and the HTML size.
Prints figures; asserts only what holds at any scale: each page answers and costs the same number of
queries at a small scale and at full scale. Run on PostgreSQL:
``DATABASE_URL=postgres://… pytest tests/bench/test_linkage_bench.py -m bench -s -p no:cacheprovider``
(``LINKAGE_BENCH`` sets the number of tasks, ``LINKAGE_BENCH_SMALL`` the small scale, 0 for none).
"""

import os
import statistics
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import Section, SectionCode
from linkage.models import Assignment, LinkageTask
from permits.models import Facility, Unit
from tests.factories.bureau import StaffFactory
from tests.factories.permits import credit_code

TASKS = int(os.environ.get("LINKAGE_BENCH", "60000"))
SMALL = int(os.environ.get("LINKAGE_BENCH_SMALL", "2000"))
RUNS = int(os.environ.get("LINKAGE_BENCH_RUNS", "5"))
FACILITIES = 5_000
TODAY = date(2026, 6, 15)
BATCH = 2000
DEPARTMENTS = ("approval", "ecology", "pollution", "monitoring", "enforcement")

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(TODAY)]


def seed_facilities(towns, count: int) -> list[int]:
    numbers = range(1, count + 1)
    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"联动基准单位{n:06d}") for n in numbers], batch_size=BATCH
    )
    units = dict(Unit.objects.filter(name__startswith="联动基准单位").values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"联动基准单位{n:06d}有限公司",
                town=towns[n % len(towns)],
                industry_code="2641",
                industry_name="涂料制造",
                management_level="registered",
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    return list(Facility.objects.order_by("pk").values_list("pk", flat=True))


def state_of(n: int, started_on: date) -> tuple[str, str]:
    """(task state, receivers' state): recent tasks under way, old ones mostly archived."""
    age = (TODAY - started_on).days
    if age < 30:
        return ("open", "pending") if n % 3 else ("open", "received")
    if age < 60:
        return [("open", "received"), ("awaiting_close", "fed_back"), ("closed", "fed_back")][n % 3]
    if n % 8 == 0:
        return "open", "pending" if n % 16 else "received"
    if n % 8 == 1:
        return "closed", "fed_back"
    return "archived", "fed_back"


def seed_tasks(facilities: list[int], count: int) -> None:
    """Bulk rows (load, not behaviour): ``count`` tasks spread evenly from 2024-01-02 to today."""
    sections = dict(Section.objects.values_list("code", "pk"))
    span = (TODAY - date(2024, 1, 2)).days
    tasks, receivers = [], []
    per_year: dict[int, int] = {}
    for n in range(count):
        started = date(2024, 1, 2) + timedelta(days=n * span // count)
        state, assignment_state = state_of(n, started)
        per_year[started.year] = per_year.get(started.year, 0) + 1
        initiator = DEPARTMENTS[n % 5]
        to = [DEPARTMENTS[(n + 1) % 5]] + ([DEPARTMENTS[(n + 3) % 5]] if n % 2 else [])
        tasks.append(
            LinkageTask(
                number=f"LD-{started.year}-{per_year[started.year]:06d}",
                year=started.year,
                sequence=per_year[started.year],
                initiator_id=sections[initiator],
                facility_id=facilities[n % len(facilities)] if n % 10 else None,
                description=f"基准测试任务 {n}：自行监测数据异常，请现场核查",
                started_on=started,
                deadline_workdays=15,
                deadline_on=started + timedelta(days=21),
                state=state,
                closed_on=started + timedelta(days=20) if state in ("closed", "archived") else None,
                archived_on=started + timedelta(days=25) if state == "archived" else None,
            )
        )
        receivers.append([(sections[code], assignment_state) for code in to])
    LinkageTask.objects.bulk_create(tasks, batch_size=BATCH)
    ids = LinkageTask.objects.order_by("pk").values_list("pk", flat=True)
    Assignment.objects.bulk_create(
        [
            Assignment(task_id=task_id, section_id=section_id, state=state)
            for task_id, to in zip(ids, receivers, strict=True)
            for section_id, state in to
        ],
        batch_size=BATCH,
    )


def timed(client, url, params) -> tuple[float, float, int, int]:
    """Median wall time and SQL time of ``RUNS`` requests, the query count and the HTML size."""
    client.get(url, params)  # warm: templates and the URLconf loaded, as in a running process
    walls, sqls = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            walls.append(time.perf_counter() - started)
        assert response.status_code == 200
        sqls.append(sum(float(q["time"]) for q in queries.captured_queries))
    return statistics.median(walls), statistics.median(sqls), len(queries), len(response.content)


QUERIES: dict[int, dict[str, int]] = {}


@pytest.mark.parametrize("count", sorted({min(SMALL, TASKS), TASKS} - {0}))
def test_linkage_pages_at_city_scale(count, client, town_a, town_b, approval_clerk, leader, work_calendar):
    # given: the departments' clerks and the tasks in bulk
    officer = StaffFactory(username="bench-officer", section_code=SectionCode.ENFORCEMENT).user
    ecology = StaffFactory(username="bench-ecology", section_code=SectionCode.ECOLOGY).user
    started = time.perf_counter()
    facilities = seed_facilities([town_a, town_b], min(FACILITIES, count))
    seed_tasks(facilities, count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The statistics a live database keeps, after the bulk load (these tables only: a
            # database-wide ANALYZE waits on the shared catalogs other sessions hold).
            cursor.execute("ANALYZE linkage_linkagetask, linkage_assignment, permits_facility, permits_unit")
    print(
        f"\n种子数据：{LinkageTask.objects.count()} 项联动任务，{Assignment.objects.count()} 个接收部门，"
        f"用时 {time.perf_counter() - started:.1f} s"
    )
    task = (
        LinkageTask.objects.filter(state="open", assignments__section=officer.staff.section)
        .order_by("pk")
        .first()
    )
    task_list = reverse("linkage:task-list")
    cases = [
        ("执法大队 默认页签", officer, task_list, {}),
        ("执法大队 已逾期 第2页", officer, task_list, {"tab": "overdue", "page": "2"}),
        ("生态科 默认页签", ecology, task_list, {}),
        ("审批科 默认页签", approval_clerk, task_list, {}),
        ("审批科 待归档", approval_clerk, task_list, {"tab": "archive"}),
        ("审批科 全部任务", approval_clerk, task_list, {"tab": "all"}),
        ("审批科 全部任务 逾期", approval_clerk, task_list, {"tab": "all", "overdue": "on"}),
        ("领导 全部任务 第3页", leader, task_list, {"tab": "all", "page": "3"}),
        ("任务详情", officer, reverse("linkage:task-detail", args=[task.pk]), {}),
        ("异常情况报告", officer, reverse("linkage:anomaly-list"), {}),
    ]
    QUERIES[count] = {}
    print(f"{'页面':<22}{'耗时':>9}{'SQL':>9}{'倍数':>7}{'查询':>5}{'HTML':>10}")
    for label, user, url, params in cases:
        client.force_login(user)
        wall, sql, queries, size = timed(client, url, params)
        QUERIES[count][label] = queries
        ratio = wall / sql if sql else float("inf")
        print(
            f"{label:<22}{wall * 1000:7.0f}ms{sql * 1000:7.0f}ms{ratio:6.1f}×{queries:5d}{size / 1024:8.0f}KB"
        )
    if len(QUERIES) == 2:
        small, full = QUERIES.values()
        assert small == full  # a fixed number of queries whatever the data size
