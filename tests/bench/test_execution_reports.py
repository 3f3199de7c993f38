"""Benchmark of execution reports at city scale (R-REP-1, issue 9 "Scale"): the daily due check and the
period board's counts over 30,000 permits, against the same at 3,000. Prints time, queries and peak
Python memory (tracemalloc); asserts no time, only what must hold at any scale: the second run creates
nothing, and the query count does not grow with the permits (beyond the first run's batched INSERT
statements of the rows it makes). Not run by default:
``pytest tests/bench/test_execution_reports.py -m bench -s`` (``REPORTS_BENCH_PERMITS`` sets the size).
"""

import math
import os
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from bureau import services as bureau_services
from linkage.models import LinkageTask
from permits.models import ExecutionReport, Facility, Permit, PermitEvent, ReportSettings, Unit
from permits.reports import queries, rules
from permits.reports.services import due
from tests.factories.permits import credit_code

PERMITS = int(os.environ.get("REPORTS_BENCH_PERMITS", "30000"))
SMALL = PERMITS // 10
TODAY = date(2026, 5, 20)
BATCH = 2000  # make_owed_reports' default batch size
TODO_HISTORY = 'INSERT INTO "bureau_historicaltodoitem"'
LEADS = 20  # reports left missing past the grace period in the lead run


def seed(towns, count: int) -> None:
    """Bulk rows (load, not behaviour): one unit, site and permit each; a tenth monthly, two tenths
    quarterly, the rest annual; validity spread so that some start or end inside the job's range; one
    in fifty cancelled."""
    numbers = range(1, count + 1)
    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"基准单位{n:06d}") for n in numbers], batch_size=BATCH
    )
    units = dict(Unit.objects.filter(name__startswith="基准单位").values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"基准单位{n:06d}有限公司",
                town=towns[n % len(towns)],
                industry_code="2641",
                industry_name="涂料制造",
                management_level="key" if n % 10 == 0 else "simplified",
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    rows = []
    for n, facility_id in enumerate(
        Facility.objects.filter(name__startswith="基准单位").order_by("pk").values_list("pk", flat=True),
        start=1,
    ):
        valid_from = date(2022, 1, 1) + timedelta(days=(n * 37) % 1500)
        rows.append(
            Permit(
                number=f"BENCH{n:08d}",
                facility_id=facility_id,
                management_level="key" if n % 10 == 0 else "simplified",
                issued_on=valid_from,
                valid_from=valid_from,
                valid_until=valid_from + timedelta(days=5 * 365 - 1),
                report_frequency="monthly" if n % 10 == 0 else "quarterly" if n % 10 in (1, 2) else "annual",
            )
        )
    Permit.objects.bulk_create(rows, batch_size=BATCH)
    cancelled = Permit.objects.filter(number__startswith="BENCH", events__isnull=True).order_by("pk")[::50]
    PermitEvent.objects.bulk_create(
        [PermitEvent(permit=p, kind="cancellation", occurred_on=date(2025, 9, 1)) for p in cancelled],
        batch_size=BATCH,
    )


def measure(label: str, work):
    """Run ``work()`` twice from the same state: once for its time (tracemalloc slows Python down
    several times over), rolled back, then again for its queries and peak traced memory. Prints them;
    returns the result and the number of queries other than INSERTs, and of INSERTs."""
    point = transaction.savepoint()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    transaction.savepoint_rollback(point)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        result = work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inserts = sum(1 for q in queries.captured_queries if q["sql"].startswith("INSERT"))
    # bureau.todo refreshes an open item with a save, which simple_history records each run
    inserts -= sum(1 for q in queries.captured_queries if q["sql"].startswith(TODO_HISTORY))
    print(
        f"{label:<30} {elapsed:7.2f} s  {len(queries) - inserts:4d} 次查询 + {inserts:4d} 次批量插入  "
        f"峰值内存 {peak / 2**20:6.1f} MiB  {result}"
    )
    return result, len(queries) - inserts, inserts


def insert_batches() -> int:
    """How many batches of BATCH rows ``make_owed_reports`` inserted, period by period, to make what
    is in the table now; each is its own transaction (a SAVEPOINT and its RELEASE inside the test's)."""
    per_period = (
        ExecutionReport.objects.order_by().values("period_type", "period_start").annotate(n=Count("pk"))
    )
    return sum(math.ceil(row["n"] / BATCH) for row in per_period)


def board_counts(period: rules.Period, today: date) -> dict[str, int]:
    """The period board's counts (R-REP-1) with the board's own queries: the totals by receipt state,
    and the same per town and management level, each one aggregate in the database."""
    reports = ExecutionReport.objects.filter(period_type=period.type, period_start=period.start).annotate(
        receipt=queries.receipt_state_expression(today)
    )
    by_town = queries.receipt_counts_by_town(reports)
    return {**queries.receipt_counts(reports), "towns×levels": len(by_town)}


RESULTS: dict[int, dict[str, int]] = {}


@pytest.mark.bench
@pytest.mark.django_db
@pytest.mark.parametrize("count", [SMALL, PERMITS], ids=["small", "city"])
def test_execution_reports_at_city_scale(count, town_a, town_b, approval_clerk, officer, work_calendar):
    """The small run first; the city run compares its query counts with it."""
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns, count)
    print(f"\n== {count} 张许可证（种子数据用时 {time.perf_counter() - started:.1f} s）")
    # The first run makes a year and a half of reports for every permit. The grace period is set beyond
    # the range (directly: load, not behaviour) so that it measures making and flagging, not 100,000
    # linkage tasks; the lead path is per lead by nature and is measured below at a fixed number.
    ReportSettings.objects.update_or_create(pk=1, defaults={"grace_days": 1000})
    first, first_queries, first_inserts = measure(
        "每日检查：首次（生成应报清单）", lambda: due.check_reports_due(today=TODAY)
    )
    assert first["made"] == ExecutionReport.objects.count() > count
    batches = insert_batches()
    second, second_queries, second_inserts = measure(
        "每日检查：再次运行", lambda: due.check_reports_due(today=TODAY)
    )
    assert second["made"] == second["flagged"] == second["missing_leads"] == second_inserts == 0
    assert ExecutionReport.objects.count() == first["made"]
    # Every report received but LEADS, which are past a 30-day grace period: that many leads and tasks.
    missing = list(
        ExecutionReport.objects.filter(due_on__lt=TODAY - timedelta(days=40))
        .order_by("pk")
        .values_list("pk", flat=True)[:LEADS]
    )
    ExecutionReport.objects.exclude(pk__in=missing).update(received_on=F("due_on"))
    ReportSettings.objects.filter(pk=1).update(grace_days=30)
    leads, lead_queries, lead_inserts = measure(
        f"每日检查：{LEADS} 条逾期未报线索", lambda: due.check_reports_due(today=TODAY)
    )
    assert leads["missing_leads"] == leads["handed_over"] == LEADS
    assert LinkageTask.objects.filter(source_kind="report_review").count() == LEADS
    period = rules.Period(rules.QUARTER, 2026, 1)
    counts, board_queries, _ = measure(
        "报告期看板计数（2026 年第一季度）", lambda: board_counts(period, TODAY)
    )
    assert counts["total"] > 0
    RESULTS[count] = {
        "first, less per batch": first_queries - 2 * batches - 4 * math.ceil(first["flagged"] / BATCH),
        "second": second_queries,
        "leads": lead_queries + lead_inserts,
        "board": board_queries,
    }
    print(f"查询次数：{RESULTS}")
    if count == PERMITS and SMALL in RESULTS:
        # every run costs the same queries at either scale; only the first run's batches grow with the
        # rows: two queries for each batch of reports made (its SAVEPOINT and RELEASE), four for each
        # chunk of late flags (SAVEPOINT, the UPDATE, the re-read for history, RELEASE), and their
        # INSERTs of rows and history, as many per statement as SQLite's variable limit allows
        assert RESULTS[PERMITS] == RESULTS[SMALL]
