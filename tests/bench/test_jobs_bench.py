"""Benchmark of the daily jobs at city scale (issue 15): 100,000 facilities with their permits and
inspections (the planning benchmark's builder), the dashboard benchmark's work rows, and in bulk
200,000 linkage tasks over three years (one in ten still under way, most of those overdue), 5,000
dispatched monitoring tasks past their due date, one permit in ten expiring within 90 days and one in
a hundred lapsed while its facility operates (an unlicensed-discharge lead).

Runs every job beat runs daily, as the worker does (the Celery task, ``today`` given), twice: the first
run puts the data in step, the second finds nothing changed and must write nothing. Prints per job and
run the time, the queries and the rows written (INSERT/UPDATE/DELETE rows by the cursor's count;
history tables included). Asserts only what holds at any scale: the second run writes no row. Last,
the execution-report check once more without the bureau's 线索起算日期: the backlog of missing reports
all handed over in one run.
Run on PostgreSQL: ``DATABASE_URL=postgres://… pytest tests/bench/test_jobs_bench.py -m bench -s``
(``JOBS_BENCH`` sets the number of facilities, ``JOBS_BENCH_TASKS`` the linkage tasks).
"""

import os
import time
from datetime import date, timedelta

import pytest
from django.db import connection

from bureau import services as bureau_services
from bureau.models import Section, SectionCode
from bureau.tasks import check_calendar_coverage, remove_expired_document_files
from grading.tasks import january_draft
from inspections.services import planning
from inspections.tasks import flag_plan_due, make_month_plan
from linkage.models import Assignment, LinkageTask
from linkage.tasks import hand_over_open_leads, remind_overdue_tasks
from meetings.tasks import create_quarterly_meeting
from monitoring.models import MonitoringTask
from monitoring.tasks import flag_overdue
from permits.models import Facility, Permit, ReportLead
from permits.reports.services.due import report_settings
from permits.tasks import check_permit_expiry, check_reports_due
from reports.tasks import prepare_monthly_summary
from tests.bench.test_dashboard_bench import seed_work
from tests.bench.test_planning_bench import seed
from tests.factories.bureau import StaffFactory
from tests.test_daily_jobs import RowsWritten

FACILITIES = int(os.environ.get("JOBS_BENCH", "100000"))
TASKS = int(os.environ.get("JOBS_BENCH_TASKS", "200000"))
TODAY = date(2026, 6, 15)
BATCH = 5000
pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=False), pytest.mark.today(TODAY)]

DAY = TODAY.isoformat()
JOBS = [
    ("工作日历覆盖检查", lambda: check_calendar_coverage(DAY)),
    ("许可证到期预警", lambda: check_permit_expiry(DAY)),
    ("执行报告到期检查", lambda: check_reports_due(DAY)),
    ("无证排污线索转任务", lambda: hand_over_open_leads(DAY)),
    ("月度检查计划", lambda: make_month_plan(DAY)),
    ("计划检查临期逾期", lambda: flag_plan_due(DAY)),
    ("执法监测超期", lambda: flag_overdue(DAY)),
    ("三监联动逾期提醒", lambda: remind_overdue_tasks(DAY)),
    ("季度调度会创建", lambda: create_quarterly_meeting(DAY)),
    ("上月工作小结", lambda: prepare_monthly_summary(DAY)),
    ("年度等级评定起草", lambda: january_draft(DAY)),
    ("清理过期文档文件", lambda: remove_expired_document_files()),
]


def seed_tasks(ids: list[int], count: int) -> None:
    """``count`` linkage tasks over three years, one in ten under way (deadlines spread, most past),
    each sent to 执法大队 and, one in three, to 污防科 as well (one of them fed back)."""
    sections = dict(Section.objects.values_list("code", "pk"))
    first = TODAY - timedelta(days=3 * 365)
    rows = []
    for n in range(1, count + 1):
        started = first + timedelta(days=n % (3 * 365))
        active = n % 10 == 0
        rows.append(
            LinkageTask(
                number=f"LD-J{n:07d}",
                year=started.year,
                sequence=2_000_000 + n,
                initiator_id=sections[(SectionCode.APPROVAL, SectionCode.ECOLOGY)[n % 2]],
                facility_id=ids[n % len(ids)],
                description="基准测试任务",
                started_on=started,
                deadline_workdays=10,
                deadline_on=started + timedelta(days=14),
                state=("open" if n % 30 else "awaiting_close") if active else "archived",
            )
        )
        if len(rows) == BATCH:
            LinkageTask.objects.bulk_create(rows)
            rows = []
    LinkageTask.objects.bulk_create(rows)
    tasks = LinkageTask.objects.filter(number__startswith="LD-J").values_list("pk", "sequence")
    assignments = []
    for pk, sequence in tasks.iterator(chunk_size=BATCH):
        n = sequence - 2_000_000
        assignments.append(Assignment(task_id=pk, section_id=sections[SectionCode.ENFORCEMENT]))
        if n % 3 == 0:
            receiver = SectionCode.MONITORING if n % 2 else SectionCode.POLLUTION
            assignments.append(Assignment(task_id=pk, section_id=sections[receiver], state="fed_back"))
        if len(assignments) >= BATCH:
            Assignment.objects.bulk_create(assignments)
            assignments = []
    Assignment.objects.bulk_create(assignments)


def seed_due(ids: list[int]) -> None:
    """Permits expiring (one in ten, within 90 days) or lapsed (one in a hundred, up to 60 days ago);
    5,000 monitoring tasks past due; leads start from today (the backlog of late reports is not
    handed over at once, as the bureau's setting ``leads_from`` is meant for)."""
    permits = list(Permit.objects.order_by("pk").values_list("pk", flat=True))
    new_valid_until: dict[date, list[int]] = {}
    for n, pk in enumerate(permits):
        if n % 10 == 1:  # expiring: warned, red within 60 days
            new_valid_until.setdefault(TODAY + timedelta(days=5 + n % 80), []).append(pk)
        elif n % 100 == 3:  # lapsed while operating: a lead
            new_valid_until.setdefault(TODAY - timedelta(days=1 + n % 60), []).append(pk)
    for valid_until, pks in new_valid_until.items():
        for chunk in range(0, len(pks), BATCH):
            Permit.objects.filter(pk__in=pks[chunk : chunk + BATCH]).update(valid_until=valid_until)
    row = report_settings()
    row.leads_from = TODAY
    row.save()
    MonitoringTask.objects.bulk_create(
        [
            MonitoringTask(
                number=f"JM-J{n:06d}",
                year=2026,
                sequence=1_000_000 + n,
                facility_id=ids[n * 7 % len(ids)],
                kind="enforcement",
                basis="added",
                state="dispatched",
                due_on=TODAY - timedelta(days=1 + n % 90),
                dispatched_on=TODAY - timedelta(days=120),
            )
            for n in range(1, 5001)
        ],
        batch_size=BATCH,
    )


def run(label: str, job) -> tuple[float, int, int]:
    with RowsWritten() as written:
        started = time.perf_counter()
        job()
        elapsed = time.perf_counter() - started
    return elapsed, written.queries, written.total


def test_daily_jobs_at_city_scale(town_a, town_b):
    officer = StaffFactory(username="bench-officer", section_code=SectionCode.ENFORCEMENT).user
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns, FACILITIES, officer)
    planning.sync_plan(year=TODAY.year, today=TODAY)
    ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    seed_work(ids)
    seed_tasks(ids, TASKS)
    seed_due(ids)
    if connection.vendor == "postgresql":
        # This database's tables only: a bare ANALYZE takes the shared catalogs too and waits on
        # other databases of the same server.
        tables = ", ".join(connection.ops.quote_name(t) for t in connection.introspection.table_names())
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    print(
        f"\n种子数据：{len(ids)} 家单位，{Permit.objects.count()} 张许可证，"
        f"{LinkageTask.objects.count()} 项联动任务，{MonitoringTask.objects.count()} 项监测任务，"
        f"用时 {time.perf_counter() - started:.1f} s（{connection.vendor}）"
    )
    print(f"{'任务':<16}{'首次 s':>9}{'查询':>8}{'写入行':>9}   {'再次 s':>8}{'查询':>8}{'写入行':>8}")
    first = {label: run(label, job) for label, job in JOBS}
    second = {label: run(label, job) for label, job in JOBS}
    for label, _ in JOBS:
        (t1, q1, w1), (t2, q2, w2) = first[label], second[label]
        print(f"{label:<16}{t1:9.2f}{q1:8d}{w1:9d}   {t2:8.2f}{q2:8d}{w2:8d}")
    assert {label: w for label, (_, _, w) in second.items()} == {label: 0 for label, _ in JOBS}
    # A bureau that set no 线索起算日期: the first run hands the whole backlog of missing reports to
    # 执法大队 at once (in bulk since issue 15; it was one lead at a time, ~20 ms and 28 queries each).
    row = report_settings()
    row.leads_from = None
    row.save()
    handed_before = ReportLead.objects.exclude(task_number="").count()
    elapsed, queries, written = run("积压", lambda: check_reports_due(DAY))
    leads = ReportLead.objects.exclude(task_number="").count() - handed_before
    print(
        f"执行报告到期检查，未设线索起算日期：{leads} 条积压线索移交执法大队，"
        f"{elapsed:.2f} s，{queries} 次查询，写入 {written} 行"
    )
    assert not ReportLead.objects.filter(task_number="").exists()
