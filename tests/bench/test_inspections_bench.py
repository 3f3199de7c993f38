"""Benchmark of checklist inspections at district scale: 20,000 signed inspections of 5,000 facilities,
each with two officers and an answer to each of the 21 points of a revised permit-holder checklist
(附件3's 17 and four added in a second version, R-INS-1), one in ten with a finding: 420,000 answers.
Times and counts the queries of the inspection list's first page (for a section and for a town), an
inspection's detail, the last inspection's answers, and signing one inspection by both officers.
Prints figures; asserts only what holds at any scale (the reads cost a fixed number of queries).
Not run by default: ``pytest tests/bench/test_inspections_bench.py -m bench -s``
(``INSPECTIONS_BENCH`` sets the number of inspections; facilities are a quarter of it).
"""

import os
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bureau import services as bureau_services
from bureau.models import SectionCode
from inspections import queries
from inspections.models import (
    Answer,
    Checklist,
    ChecklistPoint,
    Finding,
    Inspection,
    InspectionOfficer,
    VersionState,
)
from inspections.services import checklists
from inspections.services.inspections import (
    save_answer,
    sign_inspection,
    start_inspection,
    update_inspection_details,
)
from permits.models import Facility, Unit
from tests.factories.bureau import StaffFactory
from tests.factories.permits import credit_code

INSPECTIONS = int(os.environ.get("INSPECTIONS_BENCH", "20000"))
FACILITIES = max(INSPECTIONS // 4, 1)
TODAY = date(2026, 6, 15)
BATCH = 1000
ADDED_POINTS = (
    "执行报告内容是否真实、完整。",
    "信息公开内容是否真实、及时。",
    "排污许可证副本是否在生产经营场所显著位置悬挂。",
    "是否按规定开展排污许可相关培训。",
)

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(TODAY)]


def revised_version(administrator):
    """附件3 revised with four more points (R-INS-1), through the services: 21 points."""
    checklist = Checklist.objects.get(code="permit-holder")
    draft = checklists.start_revision(by=administrator, checklist=checklist, note="基准测试修订")
    part = draft.parts.get(order=4)
    for index, text in enumerate(ADDED_POINTS, start=5):
        checklists.save_point(by=administrator, part=part, code=f"四.{index}", text=text)
    return checklists.publish(by=administrator, version=draft)


def seed(towns, version, officers) -> None:
    """Bulk rows (load, not behaviour): facilities, signed inspections spread over two years, their
    officers, every point answered, a finding on 四.3 of one inspection in ten."""
    numbers = range(1, FACILITIES + 1)
    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"基准单位{n:05d}") for n in numbers], batch_size=BATCH
    )
    units = dict(Unit.objects.values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"基准单位{n:05d}有限公司",
                town=towns[n % len(towns)],
                industry_code="2641",
                industry_name="涂料制造",
                management_level="key" if n % 10 == 0 else "simplified",
            )
            for n in numbers
        ],
        batch_size=BATCH,
    )
    facility_ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    points = list(ChecklistPoint.objects.filter(version=version).order_by("part__order", "order"))
    ledger_point = next(p for p in points if p.code == "四.3")
    signed_at = timezone.now()
    for start in range(0, INSPECTIONS, BATCH):
        batch = []
        for n in range(start + 1, min(start + BATCH, INSPECTIONS) + 1):
            on = TODAY - timedelta(days=1 + n % 700)
            batch.append(
                Inspection(
                    number=f"JC-{on.year}-B{n:05d}",
                    year=on.year,
                    sequence=100_000 + n,  # clear of the series the services number from
                    facility_id=facility_ids[n % len(facility_ids)],
                    inspected_on=on,
                    checklist_version=version,
                    reason="routine_plan",
                    source_reference="基准测试计划",
                    state="signed",
                    representative_name="李厂长",
                    created_by=officers[0],
                    signed_at=signed_at,
                    record_hash="0" * 64,
                )
            )
        made = Inspection.objects.bulk_create(batch)
        InspectionOfficer.objects.bulk_create(
            [
                InspectionOfficer(
                    inspection=inspection,
                    officer=user,
                    name=user.display_name,
                    certificate_no=user.staff.certificate_no,
                    order=order,
                    signed_at=signed_at,
                )
                for inspection in made
                for order, user in enumerate(officers, start=1)
            ]
        )
        answers = [
            Answer(
                inspection=inspection,
                point=point,
                verdict="noncompliant"
                if point == ledger_point and inspection.sequence % 10 == 0
                else "compliant",
                note="台账记录不全" if point == ledger_point and inspection.sequence % 10 == 0 else "",
                finding_kind="other_duties"
                if point == ledger_point and inspection.sequence % 10 == 0
                else "",
                disposition="case" if point == ledger_point and inspection.sequence % 10 == 0 else "",
                updated_by=officers[0],
            )
            for inspection in made
            for point in points
        ]
        Answer.objects.bulk_create(answers, batch_size=5000)
        Finding.objects.bulk_create(
            [
                Finding(
                    inspection=a.inspection,
                    answer=a,
                    facility_id=a.inspection.facility_id,
                    found_on=a.inspection.inspected_on,
                    kind="other_duties",
                    description=a.note,
                    disposition="case",
                    state="closed",
                    closed_on=a.inspection.inspected_on,
                )
                for a in answers
                if a.verdict == "noncompliant"
            ]
        )


def timed(label: str, call):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
    print(f"{label:<24} {elapsed * 1000:8.1f} ms  {len(captured):3d} 次查询")
    return result, len(captured)


def first_page(user):
    page = list(queries.inspection_list(user).order_by("-inspected_on", "-id")[:25])
    for inspection in page:
        [o.name for o in inspection.officers.all()]
        inspection.facility.town.name, inspection.checklist_version.checklist.name  # noqa: B018
    return page


def test_inspections_at_district_scale(administrator, town_a, town_b, town_a_liaison, approval_clerk):
    officers = [
        StaffFactory(
            username=f"bench{i}", section_code=SectionCode.ENFORCEMENT, certificate_no=f"3101072009{i}"
        ).user
        for i in (1, 2)
    ]
    towns = [town_a, town_b, bureau_services.create_town(code="TC", name="丙镇")]
    version = revised_version(administrator)
    assert version.state == VersionState.PUBLISHED and version.points.count() == 21
    started = time.perf_counter()
    seed(towns, version, officers)
    print(
        f"\n种子数据：{FACILITIES} 家单位，{Inspection.objects.count()} 次检查，"
        f"{Answer.objects.count()} 条检查结论，{Finding.objects.count()} 个问题，"
        f"用时 {time.perf_counter() - started:.1f} s"
    )

    # Load the URLconf once (signing reverses a URL for its to-do items): a process pays it once, not
    # per signature, and it would otherwise be most of the first signature's time.
    reverse("inspections:inspection-detail", args=[1])
    page, list_queries = timed("列表第 1 页（审批科）", lambda: first_page(approval_clerk))
    assert len(page) == 25
    _, town_queries = timed("列表第 1 页（街镇）", lambda: first_page(town_a_liaison))
    newest = page[0]
    detail, detail_queries = timed("检查详情", lambda: queries.inspection_detail(approval_clerk, newest.pk))
    assert sum(len(part.points.all()) for part in detail.part_list) == 21
    previous, last_queries = timed("上次检查结论", lambda: queries.last_answers(newest))
    assert len(previous) == 21

    # Signing one inspection of a facility with many before it, through the services.
    facility = Facility.objects.get(pk=newest.facility_id)
    inspection = start_inspection(
        by=officers[0],
        facility=facility,
        inspected_on=TODAY,
        officers=officers,
        reason="routine_plan",
        source_reference="基准测试计划",
    )
    for point in ChecklistPoint.objects.filter(version=inspection.checklist_version_id):
        save_answer(by=officers[0], inspection=inspection, point=point, verdict="compliant")
    update_inspection_details(by=officers[0], inspection=inspection, representative_name="李厂长")
    inspection, first_sign = timed(
        "第一名执法人员签名", lambda: sign_inspection(by=officers[0], inspection=inspection)
    )
    inspection, last_sign = timed(
        "第二名执法人员签名", lambda: sign_inspection(by=officers[1], inspection=inspection)
    )
    assert inspection.is_signed and len(inspection.record_hash) == 64
    # a fixed number of queries whatever the scale (the same as in the query-budget tests of the pages)
    assert list_queries == 2 and town_queries == 2 and last_queries == 2
    print(f"查询次数：列表 {list_queries}，详情 {detail_queries}，签名 {first_sign} + {last_sign}")
