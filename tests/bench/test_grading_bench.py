"""Benchmark of the annual grading at city scale (R-GRD-1…4): 100,000 permit holders (one in ten
key-managed), a permit in force in the year for each; penalties for about one in a hundred, facts
recorded by hand (commendations one in twenty, media coverage, failures to cooperate), and a signed
inspection of one holder in ten, a third of them with a finding (some of a campaign, taken to a case).

Times, counts the queries and traces the peak Python memory of: the year's facts (``load_year``), the
rules over them (``rules.grade_year``), the full draft (``start_draft`` + ``draft``: facts, rules and
every row written) first and again (a redraft updates the rows in place); prints the process's peak
resident memory at the end.

Prints figures; asserts only what holds at any scale: the same number of SELECTs for the facts at a small scale and
at full scale, a redraft writing no new row, at most 10% 优秀. Not run by default:
``pytest tests/bench/test_grading_bench.py -m bench -s`` (``GRADING_BENCH`` sets the number of holders).
"""

import os
import resource
import time
import tracemalloc
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import Section, SectionCode
from grading import rules
from grading.models import AnnualGrading, FacilityGrade, FactKind, GradingFact, GradingState
from grading.services import facts, gradings
from inspections.models import Answer, ChecklistPoint, ChecklistVersion, Finding, Inspection, VersionState
from permits.models import Facility, PenaltyRecord, Permit, Unit
from tests.factories.permits import credit_code

HOLDERS = int(os.environ.get("GRADING_BENCH", "100000"))
SMALL = 2_000
YEAR = 2025
TODAY = date(2026, 1, 20)
BATCH = 2000

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(TODAY)]


def day_of(n: int) -> date:
    return date(YEAR, 1, 2) + timedelta(days=n % 360)


def seed(count: int, town, officer, recorder) -> None:
    """Bulk rows (load, not behaviour)."""
    numbers = range(1, count + 1)
    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"评定基准单位{n:06d}") for n in numbers], batch_size=BATCH
    )
    units = dict(Unit.objects.filter(name__startswith="评定基准单位").values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"评定基准单位{n:06d}有限公司",
                town=town,
                industry_code="2641",
                industry_name="涂料制造",
                management_level="key" if n % 10 == 0 else "simplified",
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    ids = list(
        Facility.objects.filter(name__startswith="评定基准单位").order_by("pk").values_list("pk", flat=True)
    )
    permits = []
    for n, facility_id in enumerate(ids, start=1):
        issued = date(2021, 1, 1) + timedelta(days=n % 1400)  # in force on some day of 2025
        permits.append(
            Permit(
                number=f"GBENCH{n:08d}",
                facility_id=facility_id,
                management_level="key" if n % 10 == 0 else "simplified",
                issued_on=issued,
                valid_from=issued,
                valid_until=issued + timedelta(days=5 * 365 - 1),
                report_frequency="annual",
            )
        )
    Permit.objects.bulk_create(permits, batch_size=BATCH)
    PenaltyRecord.objects.bulk_create(
        [
            PenaltyRecord(
                facility_id=facility_id,
                decision_no=f"普环罚〔{YEAR}〕B{n:06d}号",
                decided_on=day_of(n),
                violation="超标排放",
                recorded_by=officer,
            )
            for n, facility_id in enumerate(ids, start=1)
            if n % 97 == 0
        ],
        batch_size=BATCH,
    )
    section = Section.objects.get(code=SectionCode.POLLUTION)
    kinds = [(20, 1, FactKind.COMMENDATION), (53, 2, FactKind.MEDIA), (211, 5, FactKind.NOT_COOPERATING)]
    GradingFact.objects.bulk_create(
        [
            GradingFact(
                facility_id=facility_id,
                kind=kind,
                occurred_on=day_of(n),
                description="基准测试事实",
                evidence="基准测试文号",
                section=section,
                recorded_by=recorder,
            )
            for n, facility_id in enumerate(ids, start=1)
            for every, rest, kind in kinds
            if n % every == rest
        ],
        batch_size=BATCH,
    )
    version = ChecklistVersion.objects.filter(state=VersionState.PUBLISHED).order_by("pk").first()
    point = ChecklistPoint.objects.filter(version=version).order_by("part__order", "order").first()
    inspected = [(n, facility_id) for n, facility_id in enumerate(ids, start=1) if n % 10 == 3]
    for start in range(0, len(inspected), BATCH):
        made = Inspection.objects.bulk_create(
            [
                Inspection(
                    number=f"JC-{YEAR}-G{n:06d}",
                    year=YEAR,
                    sequence=2_000_000 + n,  # clear of the series the services number from
                    facility_id=facility_id,
                    inspected_on=day_of(n),
                    checklist_version=version,
                    reason="campaign" if n % 90 == 3 else "routine_plan",
                    source_reference="基准测试",
                    state="signed",
                    representative_name="李厂长",
                    created_by=officer,
                    record_hash="0" * 64,
                )
                for n, facility_id in inspected[start : start + BATCH]
            ]
        )
        found = [i for i in made if i.sequence % 30 == 3]
        answers = Answer.objects.bulk_create(
            [
                Answer(
                    inspection=i,
                    point=point,
                    verdict="noncompliant",
                    note="问题",
                    finding_kind="other_duties",
                    disposition="case" if i.reason == "campaign" else "rectification",
                    updated_by=officer,
                )
                for i in found
            ]
        )
        Finding.objects.bulk_create(
            [
                Finding(
                    inspection=a.inspection,
                    answer=a,
                    facility_id=a.inspection.facility_id,
                    found_on=a.inspection.inspected_on,
                    kind="other_duties",
                    description="基准测试发现的问题",
                    disposition=a.disposition,
                )
                for a in answers
            ]
        )


def measure(label: str, work, *, keep: bool = True):
    """Run ``work()`` once for its time, rolled back, then again for its queries and peak traced
    memory (tracemalloc slows Python several times over); with ``keep`` the second run's rows stay.
    Prints the figures; returns the result and the number of SELECTs."""
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
    kinds = [q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries]
    selects = kinds.count("SELECT")
    writes = sum(1 for k in kinds if k in {"INSERT", "UPDATE", "DELETE"})
    print(
        f"{label:<24} {elapsed:7.2f} s  {selects:3d} 次查询 + {writes:4d} 次写入（共 {len(kinds)} 条语句）  "
        f"峰值内存 {peak / 2**20:7.1f} MiB  {result}"
    )
    return result, selects


RESULTS: dict[int, dict[str, int]] = {}


@pytest.mark.parametrize("count", sorted({min(SMALL, HOLDERS), HOLDERS}))
def test_r_grd_1_grading_at_city_scale(count, town_a, approval_clerk, pollution_clerk, officer):
    started = time.perf_counter()
    seed(count, town_a, officer, pollution_clerk)
    print(
        f"\n[{connection.vendor}] 种子数据：{count} 家持证单位，{PenaltyRecord.objects.count()} 条行政处罚，"
        f"{GradingFact.objects.count()} 条手工记录事实，{Finding.objects.count()} 个检查发现问题，"
        f"用时 {time.perf_counter() - started:.1f} s"
    )
    reverse("grading:grading-detail", args=[YEAR])  # the URLconf loaded once, as a process does
    queries = {}
    loaded, queries["load_year"] = measure(
        "年度事实（load_year）", lambda: len(facts.load_year(YEAR).holders), keep=False
    )
    holders = facts.load_year(YEAR).holders
    assert len(holders) == count
    cap = rules.excellent_cap(len(holders))
    results, _ = measure(
        "评定规则（grade_year）", lambda: len(rules.grade_year(holders, cap=cap)), keep=False
    )

    def draft():
        grading = gradings.start_draft(year=YEAR, by=approval_clerk, today=TODAY)
        grading = gradings.draft(grading.pk)
        return f"{grading.get_state_display()}，{gradings.counts(grading)}"

    _, queries["draft_first"] = measure("完整起草（首次）", draft)
    rows = FacilityGrade.objects.count()
    _, queries["draft_again"] = measure("完整起草（重新起草）", draft)
    grading = AnnualGrading.objects.get(year=YEAR)
    assert grading.state == GradingState.DRAFT and FacilityGrade.objects.count() == rows == count
    # What confirmation adds to the 组长's request: the rules run again against today's facts.
    changed, queries["confirm_check"] = measure(
        "确认前核对事实", lambda: gradings._changed_since_draft(grading), keep=False
    )
    assert changed == 0
    assert gradings.counts(grading)[rules.EXCELLENT] <= count // 10
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"查询次数（SELECT）：{queries}；进程峰值常驻内存 {peak_rss:.0f} MiB")
    RESULTS[count] = queries
    if len(RESULTS) > 1:
        (few, small), (many, large) = sorted(RESULTS.items())
        assert small["load_year"] == large["load_year"]  # the facts are loaded in a fixed number of queries
        # A draft adds one SELECT a batch: whether a newer draft overtook it.
        batches = -(-many // gradings.CHUNK) - -(-few // gradings.CHUNK)
        for step in ("draft_first", "draft_again"):
            assert large[step] - small[step] == batches
