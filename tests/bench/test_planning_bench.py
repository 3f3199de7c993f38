"""Benchmark of planning and draws at city scale (R-INS-3, R-INS-4, R-INS-5): 100,000 facilities (2% key-
managed, 18% simplified, 80% registered), permits for the holders (one in twenty newly issued this year,
with its 首次申请 event), one signed inspection for one facility in ten. Times, counts the queries and
traces the peak Python memory of: the rules over every facility (``planning.owed_for``), the year's plan
(``sync_plan``, first and second run), the month's plan (``make_month_plan``), and a draw of 20% of the
registered units (``draws.create_draw`` + ``run_draw``).

Prints figures; asserts only what holds at any scale: the same number of queries (other than batched
INSERTs) at a small scale and at full scale, a second ``sync_plan`` creating nothing, the draw's size.
Not run by default: ``pytest tests/bench/test_planning_bench.py -m bench -s`` (``PLANNING_BENCH`` sets
the number of facilities).
"""

import os
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bureau import services as bureau_services
from bureau.models import SectionCode
from inspections import rules
from inspections.models import ChecklistVersion, DrawItem, Inspection, MonthPlanEntry, PlanItem, VersionState
from inspections.services import draws, planning
from permits.models import Facility, Permit, PermitEvent, Unit
from tests.factories.bureau import StaffFactory
from tests.factories.permits import credit_code

FACILITIES = int(os.environ.get("PLANNING_BENCH", "100000"))
SMALL = 2_000
TODAY = date(2026, 6, 15)
YEAR = 2026
BATCH = 2000

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(TODAY)]


def level_of(n: int) -> str:
    """2% key-managed, 18% simplified, 80% registered."""
    rest = n % 50
    return "key" if rest == 0 else "simplified" if rest < 10 else "registered"


def seed(towns, count: int, officer) -> None:
    """Bulk rows (load, not behaviour): units and facilities; a five-year permit for every holder, one in
    twenty issued this year with its 首次申请 event; a signed inspection of one facility in ten."""
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
                management_level=level_of(n),
                risk_level="major" if n % 7 == 0 else "",
                credit_rating="warning" if n % 11 == 0 else "",
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    ids = list(
        Facility.objects.filter(name__startswith="基准单位")
        .order_by("pk")
        .values_list("pk", "management_level")
    )
    permits = []
    for n, (facility_id, level) in enumerate(ids, start=1):
        if level == "registered":
            continue
        issued = (
            date(YEAR, 1, 5) + timedelta(days=n % 150)
            if n % 20 == 0
            else date(2023, 1, 1) + timedelta(days=n % 700)
        )
        permits.append(
            Permit(
                number=f"PBENCH{n:08d}",
                facility_id=facility_id,
                management_level=level,
                issued_on=issued,
                valid_from=issued,
                valid_until=issued + timedelta(days=5 * 365 - 1),
                report_frequency="annual",
            )
        )
    Permit.objects.bulk_create(permits, batch_size=BATCH)
    PermitEvent.objects.bulk_create(
        [
            PermitEvent(permit=p, kind="first_application", occurred_on=p.issued_on)
            for p in Permit.objects.filter(number__startswith="PBENCH", issued_on__year=YEAR).only(
                "pk", "issued_on"
            )
        ],
        batch_size=BATCH,
    )
    version = ChecklistVersion.objects.filter(state=VersionState.PUBLISHED).order_by("pk").first()
    signed_at = timezone.now()
    Inspection.objects.bulk_create(
        [
            Inspection(
                number=f"JC-{YEAR}-P{n:06d}",
                year=YEAR,
                sequence=1_000_000 + n,  # clear of the series the services number from
                facility_id=facility_id,
                inspected_on=date(YEAR, 1, 5) + timedelta(days=n % 150),
                checklist_version=version,
                reason="routine_plan",
                source_reference="基准测试计划",
                state="signed",
                representative_name="李厂长",
                created_by=officer,
                signed_at=signed_at,
                record_hash="0" * 64,
            )
            for n, (facility_id, _) in enumerate(ids, start=1)
            if n % 10 == 3
        ],
        batch_size=BATCH,
    )


def measure(label: str, work, *, keep: bool = True):
    """Run ``work()`` once for its time, rolled back, then again for its queries and peak traced
    memory (tracemalloc slows Python several times over); with ``keep`` the second run's rows stay.
    Prints the figures; returns the result and the number of queries other than INSERTs."""
    point = transaction.savepoint()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    transaction.savepoint_rollback(point)
    point = transaction.savepoint()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as captured:
        result = work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if not keep:
        transaction.savepoint_rollback(point)
    inserts = sum(1 for q in captured.captured_queries if q["sql"].startswith("INSERT"))
    print(
        f"{label:<28} {elapsed:7.2f} s  {len(captured) - inserts:4d} 次查询 + {inserts:4d} 次插入  "
        f"峰值内存 {peak / 2**20:7.1f} MiB  {result}"
    )
    return result, len(captured) - inserts


RESULTS: dict[int, dict[str, int]] = {}


@pytest.mark.parametrize("count", sorted({min(SMALL, FACILITIES), FACILITIES}))
def test_planning_and_draws_at_city_scale(count, town_a, town_b, legal_clerk):
    officers = [
        StaffFactory(
            username=f"bench{i}", section_code=SectionCode.ENFORCEMENT, certificate_no=f"3101072009{i}"
        ).user
        for i in range(1, 5)
    ]
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    started = time.perf_counter()
    seed(towns, count, officers[0])
    registered = Facility.objects.filter(management_level="registered").count()
    print(
        f"\n种子数据：{count} 家单位（登记管理 {registered} 家），{Permit.objects.count()} 张许可证，"
        f"{Inspection.objects.count()} 次已签署检查，用时 {time.perf_counter() - started:.1f} s"
    )
    reverse("inspections:plan-year", args=[YEAR])  # the URLconf loaded once, as a process does
    planning.plan_settings()  # the settings row made once, as the first page view does
    queries = {}

    owed, queries["owed_for"] = measure(
        "规则计算（owed_for）",
        lambda: sum(len(f.items) for f in planning.owed_for(rules.year_period(YEAR))[1].values()),
    )
    plan, queries["sync_first"] = measure(
        "年度计划（首次计算）", lambda: planning.sync_plan(year=YEAR, today=TODAY).facility_count
    )
    items = PlanItem.objects.count()
    assert (
        plan == count
        and items == owed - PlanItem.objects.filter(kind="new_permit", planned_month__year__lt=YEAR).count()
    )
    _, queries["sync_second"] = measure(
        "年度计划（再次计算）", lambda: planning.sync_plan(year=YEAR, today=TODAY).facility_count
    )
    assert PlanItem.objects.count() == items  # running it twice creates nothing twice
    month, queries["month"] = measure(
        "月度计划（7 月）", lambda: planning.make_month_plan(year=YEAR, month=7, today=TODAY).item_count
    )
    assert month == MonthPlanEntry.objects.count() > 0

    def draw():
        made = draws.create_draw(
            by=officers[0],
            title="基准测试登记单位抽查",
            levels=["registered"],
            officers=officers,
            inspect_from=date(YEAR, 7, 1),
            inspect_until=date(YEAR, 7, 31),
            sample_percent=20,
            today=TODAY,
        )
        return draws.run_draw(by=officers[0], draw=made, today=TODAY).unit_count

    pool, queries["draw"] = measure("双随机抽查（20% 登记单位）", draw)
    assert DrawItem.objects.count() == rules.registered_sample(pool) and pool <= registered
    print(f"查询次数（不含批量插入）：{queries}")
    RESULTS[count] = queries
    if len(RESULTS) > 1:
        small, large = (RESULTS[k] for k in sorted(RESULTS))
        assert small == large  # the rules run over values loaded in a fixed number of queries
