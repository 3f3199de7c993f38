"""Excel exports of the facility list and the rectification ledger: same scope (R-ORG-3) and filters
as the page, Chinese headers, a fixed number of queries."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bureau.documents import exports, jobs
from bureau.models import DocumentJob
from permits.services.rectification import close_rectification, note_rectification_progress
from tests.factories.permits import FacilityFactory, PermitFactory, QualityCheckFactory, credit_code

pytestmark = pytest.mark.django_db

FACILITY_EXPORT = reverse("permits:facility-export")
LEDGER_EXPORT = reverse("permits:ledger-export")


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def two_towns(town_a, town_b, today):
    a1 = FacilityFactory(n=1, town=town_a, name="甲镇涂料厂", contact_person="王甲")
    PermitFactory(facility=a1, number="P-A1", valid_until=today + timedelta(days=45))
    a2 = FacilityFactory(
        n=2,
        town=town_a,
        name="甲镇汽修店",
        management_level="registered",
        industry_code="8111",
        industry_name="汽车修理",
    )
    b1 = FacilityFactory(n=3, town=town_b, name="乙镇造纸厂", industry_code="2221", industry_name="机制纸")
    PermitFactory(facility=b1, number="P-B1", valid_until=today - timedelta(days=5))
    return a1, a2, b1


def test_facility_export_has_chinese_headers_and_the_rows(client, approval_clerk, two_towns, today):
    client.force_login(approval_clerk)
    response = client.get(FACILITY_EXPORT)
    assert "attachment;" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][:3] == ["单位名称", "污染源编码", "街镇"]
    assert rows[0][11:] == ["当前许可证编号", "许可证状态", "有效期至", "到期提醒"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"甲镇涂料厂", "甲镇汽修店", "乙镇造纸厂"}
    painter = by_name["甲镇涂料厂"]
    assert painter[1] == credit_code(1) + "001" and painter[2] == "甲镇" and painter[5] == "重点管理"
    assert painter[6] == "涂料、油墨、颜料及类似产品制造" and painter[9] == "王甲"
    assert painter[11:13] == ["P-A1", "有效"] and painter[13].date() == today + timedelta(days=45)
    assert painter[14] == "60 日内到期"
    assert by_name["乙镇造纸厂"][11:13] == ["P-B1", "已过期"]
    assert by_name["甲镇汽修店"][11] is None and by_name["甲镇汽修店"][5] == "登记管理"


def test_facility_export_applies_the_pages_filters(client, approval_clerk, two_towns, town_a):
    client.force_login(approval_clerk)
    rows = sheet_rows(client.get(FACILITY_EXPORT, {"town": town_a.pk, "management_level": "key"}))
    assert [row[0] for row in rows[1:]] == ["甲镇涂料厂"]
    rows = sheet_rows(client.get(FACILITY_EXPORT, {"q": credit_code(3)}))
    assert [row[0] for row in rows[1:]] == ["乙镇造纸厂"]


def test_r_org_3_town_export_contains_only_its_town(client, town_b_liaison, two_towns, town_a):
    client.force_login(town_b_liaison)
    rows = sheet_rows(client.get(FACILITY_EXPORT))
    assert [row[0] for row in rows[1:]] == ["乙镇造纸厂"]
    # asking for another town gives nothing, not that town's facilities
    assert sheet_rows(client.get(FACILITY_EXPORT, {"town": town_a.pk}))[1:] == []


def test_export_keeps_formula_like_text_as_text(client, approval_clerk, town_a):
    FacilityFactory(n=1, town=town_a, name='=HYPERLINK("http://evil.invalid","点我")')
    client.force_login(approval_clerk)
    workbook = load_workbook(BytesIO(b"".join(client.get(FACILITY_EXPORT).streaming_content)))
    cell = workbook.active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_export_needs_login(client):
    assert client.get(FACILITY_EXPORT).url.startswith("/login/")
    assert client.get(LEDGER_EXPORT).url.startswith("/login/")


def test_facility_export_costs_fixed_queries(
    client, approval_clerk, town_a, town_b, today, django_assert_num_queries
):
    # given: 60 facilities with two permits each
    for n in range(1, 61):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        PermitFactory(facility=facility, number=f"P{n:03d}-A", valid_until=today + timedelta(days=n))
        PermitFactory(facility=facility, number=f"P{n:03d}-B", valid_until=today - timedelta(days=n))
    client.force_login(approval_clerk)
    # Expect 5 queries: session, user with staff/section/town, the count (small enough to write at
    # once), the facilities' columns with town and key industry, their permits with state and pending
    # renewal (one query per 2,000 facilities).
    with django_assert_num_queries(5):
        response = client.get(FACILITY_EXPORT)
    rows = sheet_rows(response)
    assert len(rows) == 61 and all(row[11].endswith("-A") for row in rows[1:])


@pytest.fixture
def ledger_items(town_a, town_b, approval_clerk, today):
    a = FacilityFactory(n=1, town=town_a, name="甲镇涂料厂")
    b = FacilityFactory(n=2, town=town_b, name="乙镇造纸厂")
    late = QualityCheckFactory(
        facility=a, by=approval_clerk, checked_on=today - timedelta(days=40), findings=2
    )
    QualityCheckFactory(
        facility=b, by=approval_clerk, checked_on=today - timedelta(days=1), findings=1, deadline_workdays=20
    )
    first, second = late.items.order_by("id")
    note_rectification_progress(by=approval_clerk, item=first, noted_on=today, note="已停用违规排放口")
    close_rectification(by=approval_clerk, item=second, closed_on=today, evidence="已补办许可")
    return first, second


def test_ledger_export_rows_and_status(client, leader, ledger_items, today):
    first, _ = ledger_items
    client.force_login(leader)
    rows = sheet_rows(client.get(LEDGER_EXPORT))
    assert rows[0][:3] == ["排污单位", "统一社会信用代码", "街镇"]
    assert rows[0][10:13] == ["状态", "逾期天数", "最新进展"]
    statuses = sorted((row[0], row[10]) for row in rows[1:])
    assert statuses == [("乙镇造纸厂", "未销号"), ("甲镇涂料厂", "已逾期"), ("甲镇涂料厂", "已销号")]
    overdue = next(row for row in rows[1:] if row[10] == "已逾期")
    assert overdue[11] == (today - first.deadline_on).days
    assert overdue[12] == f"{today:%Y-%m-%d} 已停用违规排放口"
    closed = next(row for row in rows[1:] if row[10] == "已销号")
    assert closed[13].date() == today and closed[14] == "已补办许可"


def test_ledger_export_applies_the_pages_filters(client, leader, ledger_items):
    client.force_login(leader)
    rows = sheet_rows(client.get(LEDGER_EXPORT, {"status": "overdue"}))
    assert [row[10] for row in rows[1:]] == ["已逾期"]


def test_r_org_3_town_ledger_export_contains_only_its_town(client, town_b_liaison, ledger_items):
    client.force_login(town_b_liaison)
    rows = sheet_rows(client.get(LEDGER_EXPORT))
    assert [row[0] for row in rows[1:]] == ["乙镇造纸厂"]


def test_ledger_export_costs_fixed_queries(client, approval_clerk, town_a, today, django_assert_num_queries):
    # given: 60 items with progress notes over 12 facilities
    for n in range(1, 13):
        check = QualityCheckFactory(
            facility=FacilityFactory(n=n, town=town_a),
            by=approval_clerk,
            checked_on=today - timedelta(days=30),
            findings=5,
        )
        for item in check.items.all():
            note_rectification_progress(by=approval_clerk, item=item, noted_on=today, note="整改中")
    client.force_login(approval_clerk)
    # Expect 5 queries: session, user with staff/section/town, the count (small enough to write at
    # once), the items with facility and town, their progress notes (one prefetch per 2,000 items).
    with django_assert_num_queries(5):
        response = client.get(LEDGER_EXPORT)
    rows = sheet_rows(response)
    assert len(rows) == 61 and all(row[12].endswith("整改中") for row in rows[1:])


def test_an_export_above_the_sync_limit_runs_as_a_job_with_the_same_rows(
    client, settings, town_a_liaison, two_towns, town_b, django_capture_on_commit_callbacks
):
    # given the workbook written at once for 甲镇's liaison, under a search every town's name matches
    client.force_login(town_a_liaison)
    wanted = {"q": "镇"}
    at_once = sheet_rows(client.get(FACILITY_EXPORT, wanted))
    assert sorted(row[0] for row in at_once[1:]) == ["甲镇汽修店", "甲镇涂料厂"]
    # when more rows than the limit are asked for
    settings.EXPORT_SYNC_ROWS = 1
    with django_capture_on_commit_callbacks() as queued:
        response = client.get(FACILITY_EXPORT, wanted | {"page": "2"})
    job = DocumentJob.objects.get()
    # then the asker is sent to the job's progress page, and the worker writes the same rows
    assert response.status_code == 302 and response.url == reverse("document-detail", args=[job.pk])
    assert len(queued) == 1 and job.title == "固定污染源名录（2 行）"
    assert job.params == {"q": ["镇"]}
    assert jobs.run(job.pk) == "done"
    assert sheet_rows(client.get(reverse("document-download", args=[job.pk]))) == at_once


@pytest.mark.parametrize("facilities", [30, 90])
def test_facility_export_build_costs_one_query_per_chunk_whatever_the_rows(
    monkeypatch, approval_clerk, town_a, town_b, today, facilities, django_assert_num_queries
):
    # given facilities with a valid and an expired permit each, read in chunks of 10 (3 or 9 chunks)
    for n in range(1, facilities + 1):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        PermitFactory(facility=facility, number=f"P{n:03d}-A", valid_until=today + timedelta(days=n))
        PermitFactory(facility=facility, number=f"P{n:03d}-B", valid_until=today - timedelta(days=n))
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 10)
    build = jobs.kind_of("export:permits.facilities").build
    # Expect 2 queries and 1 per chunk: the count, the facilities' columns (one cursor), and each
    # chunk's permits with state and pending renewal (facility_id IN the chunk's ids).
    with django_assert_num_queries(2 + facilities // 10):
        built = build(approval_clerk, {}, lambda done, total: None)
    rows = [list(row) for row in load_workbook(built.content).active.iter_rows(values_only=True)]
    assert len(rows) == facilities + 1 and all(row[11].endswith("-A") for row in rows[1:])
