"""R-REP-1: receipts of execution reports imported in bulk from the platform's Excel export, with the
registry import's preview-then-confirm pattern (``permits.imports.reports``).

Celery tasks run inline: the tasks' ``delay`` is replaced by a list, and ``run_queued`` calls the task
functions directly, as in ``tests/permits/test_import.py``.
"""

import io
import math
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from permits.imports import services as imports
from permits.imports import tasks as import_tasks
from permits.imports.models import ImportBatch, ImportKind, ImportRow, ImportRowKind, ImportStatus
from permits.imports.reports import parse_report_row
from permits.reports import rules
from permits.reports.models import ExecutionReport, ReportedEmission, ReportVersion
from permits.reports.services import receipts
from tests.factories.imports import REPORT_HEADERS, report_row, report_workbook
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 20))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND = ImportKind.EXECUTION_REPORTS


@pytest.fixture(autouse=True)
def queued(monkeypatch, settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT; queued tasks are collected, not sent."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    calls: list[tuple[str, int]] = []
    for name in ("parse_import_batch", "apply_import_batch"):
        task = getattr(import_tasks, name)
        monkeypatch.setattr(task, "delay", lambda pk, name=name: calls.append((name, pk)))
    return calls


def run_queued(queued) -> None:
    while queued:
        name, pk = queued.pop(0)
        getattr(import_tasks, name)(pk)


def upload(client, data: bytes, capture, kind=KIND):
    with capture(execute=True):
        return client.post(
            reverse("imports:upload"),
            {"kind": kind, "file": SimpleUploadedFile("执行报告导出.xlsx", data, XLSX)},
        )


def import_reports(client, user, data: bytes, capture, queued) -> ImportBatch:
    """Upload ``data`` as ``user`` and parse it: the batch awaits confirmation."""
    client.force_login(user)
    response = upload(client, data, capture)
    assert response.status_code == 302, response.content.decode()
    run_queued(queued)
    return ImportBatch.objects.latest("id")


def confirm(client, batch, capture, queued):
    with capture(execute=True):
        response = client.post(reverse("imports:confirm", args=[batch.pk]))
    run_queued(queued)
    batch.refresh_from_db()
    return response


def rows_by_number(batch):
    return {r.row_number: r for r in batch.rows.all()}


def versions_of(permit):
    return list(
        ReportVersion.objects.filter(report__permit=permit)
        .order_by("report__period_start", "number")
        .values_list("report__period_start", "number", "kind", "received_on", "platform_ref", "source")
    )


@pytest.fixture
def mixed_file(monthly_permit, march_report):
    """One row of every class, against March recorded on 10 April as ZXBG-2026-0001 (row numbers are
    the sheet's: the header is row 1)."""
    p = monthly_permit
    return report_workbook(
        [
            report_row(p, "2026-03", date(2026, 4, 10), "ZXBG-2026-0001"),  # 2: recorded
            report_row(p, "2026年3月", datetime(2026, 4, 25, 9, 30), "ZXBG-2026-0002"),  # 3: new version
            report_row(  # 4 and 5: one filing of April with two pollutants
                p,
                "2026-04",
                "2026-05-12",
                "ZXBG-2026-0100",
                排放口编号="DA001",
                污染物="颗粒物",
                实际排放浓度=12.5,
            ),
            report_row(
                p,
                "2026-04",
                "2026-05-12",
                "ZXBG-2026-0100",
                排放口编号="da001",
                污染物="二氧化硫",
                **{"实际排放量（吨）": "0.6"},
            ),
            report_row("91310107NOPE00000001P", "2026-04", date(2026, 5, 10), "X-1"),  # 6: unknown permit
            report_row(p, "2026年第1季度", date(2026, 4, 10), "X-2", type="季度"),  # 7: not owed (monthly)
            report_row(p, "2026-05", date(2026, 6, 1), "X-3"),  # 8: received in the future
            report_row(p, "2026-02", date(2026, 2, 20), "X-4"),  # 9: received before February ended
            report_row(p, "2026年13月", date(2026, 4, 10), "X-5"),  # 10: bad period
            report_row(
                p, "2026-01", date(2026, 2, 10), "X-6", 排放口编号="DA009", 污染物="颗粒物", 实际排放浓度=1
            ),  # 11
            report_row(p, "2026-02", date(2026, 3, 10), "X-7", type="年度"),  # 12: type and period disagree
        ]
    )


# Preview ----------------------------------------------------------------------------------------------


def test_r_rep_1_import_preview_classes_each_filing(
    client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued
):
    # given / when
    batch = import_reports(client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued)

    # then: rows 4 and 5 are one filing; nothing is recorded before confirmation
    assert batch.kind == KIND and batch.status == ImportStatus.READY
    rows = rows_by_number(batch)
    assert {n: r.kind for n, r in rows.items()} == {
        2: ImportRowKind.UNCHANGED,
        3: ImportRowKind.CHANGED,
        4: ImportRowKind.NEW,
        6: ImportRowKind.REJECTED,
        7: ImportRowKind.REJECTED,
        8: ImportRowKind.REJECTED,
        9: ImportRowKind.REJECTED,
        10: ImportRowKind.REJECTED,
        11: ImportRowKind.REJECTED,
        12: ImportRowKind.REJECTED,
    }
    assert (batch.new_count, batch.changed_count, batch.unchanged_count, batch.rejected_count) == (1, 1, 1, 7)
    assert batch.total_rows == 11
    assert rows[4].values["rows"] == [4, 5]
    assert [
        (e["outlet"], e["pollutant"], e["concentration"], e["quantity"]) for e in rows[4].values["emissions"]
    ] == [
        ("DA001", "颗粒物", "12.5", None),
        ("DA001", "二氧化硫", None, "0.6"),
    ]
    assert rows[3].changes == [
        ["版本", "已有 1 版，最近 2026-04-10", "第 2 版 修改后的执行报告（2026-04-25）"]
    ]
    assert rows[2].changes == [["已登记", "第 1 版", ""]]
    assert rows[6].reasons == [
        "系统中没有许可证编号“91310107NOPE00000001P”，或该许可证不在您可查看的范围内。"
    ]
    assert "不需提交季度执行报告" in rows[7].reasons[0]
    assert rows[8].reasons == ["提交日期（2026-06-01）不能晚于今天。"]
    assert rows[9].reasons == ["提交日期（2026-02-20）应在报告期（2026年2月）结束之后。"]
    assert rows[10].reasons[0].startswith("无法识别的报告期「2026年13月」")
    assert rows[11].reasons == [f"第 11 行：许可证 {rows[11].credit_code} 没有排放口“DA009”。"]
    assert "与报告类型（年度）不符" in rows[12].reasons[0]
    assert ReportVersion.objects.count() == 1


def test_r_rep_1_preview_page_names_the_classes_of_a_report_import(
    client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued
):
    batch = import_reports(client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued)

    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()

    assert "导入内容：执行报告提交情况" in page
    assert "新版本（1 行）" in page and "<span>新版本</span>" in page and "<span>变更</span>" not in page
    assert "确认后将逐份登记 <strong>2</strong> 份执行报告（新增 1、新版本 1）" in page
    assert "4、5" in page  # the filing's rows
    assert "提交日期（2026-06-01）不能晚于今天。" in page


def test_r_rep_1_a_title_row_extra_columns_and_the_other_header_names_are_read(
    client, approval_clerk, monthly_permit, django_capture_on_commit_callbacks, queued
):
    # given: the platform's title row, 提交日期 instead of 提交时间, no 报告类型, an extra column
    headers = ["序号", "排污许可证编号", "行业类别", "报告期", "提交日期", "平台报告编号"]
    row = {
        "序号": 1,
        "排污许可证编号": monthly_permit.number,
        "行业类别": "涂料制造",
        "报告期": "2026年度",
        "提交日期": "2027/01/20",
        "平台报告编号": "Y-1",
    }
    later = {**row, "序号": 2, "报告期": "2026年4月", "提交日期": "2026年5月8日"}
    data = report_workbook([row, later], headers=headers, title_rows=1)

    # when
    batch = import_reports(client, approval_clerk, data, django_capture_on_commit_callbacks, queued)

    # then: the year is read (and refused: 2027 is the future), April is new
    rows = rows_by_number(batch)
    assert rows[3].values["period_label"] == "2026年度"
    assert rows[3].reasons == ["提交日期（2027-01-20）不能晚于今天。"]
    assert rows[4].kind == ImportRowKind.NEW and rows[4].values["received_on"] == "2026-05-08"


def test_r_rep_1_a_file_without_the_period_column_fails_with_the_reason(
    client, approval_clerk, monthly_permit, django_capture_on_commit_callbacks, queued
):
    data = report_workbook(
        [{"许可证编号": monthly_permit.number}], headers=["许可证编号", "单位名称", "提交时间"]
    )

    batch = import_reports(client, approval_clerk, data, django_capture_on_commit_callbacks, queued)

    assert batch.status == ImportStatus.FAILED
    assert batch.error.startswith("文件缺少必需的列：报告周期。")


@pytest.mark.parametrize(
    "type_text, period_text, expected",
    [
        ("月度", "2026-03", rules.Period(rules.MONTH, 2026, 3)),
        ("", "2026年3月", rules.Period(rules.MONTH, 2026, 3)),
        ("季度", "2026年第1季度", rules.Period(rules.QUARTER, 2026, 1)),
        ("季报", "2026-Q2", rules.Period(rules.QUARTER, 2026, 2)),
        ("年度", "2026年度", rules.Period(rules.YEAR, 2026)),
    ],
)
def test_r_rep_1_period_texts_of_the_platform_are_read(type_text, period_text, expected):
    row = parse_report_row(
        2, {"permit_number": "P", "period_type": type_text, "period": period_text, "received": "2027-02-01"}
    )
    assert row.errors == []
    assert row.period == expected


def test_r_rep_1_emission_rows_are_checked_on_their_own():
    row = parse_report_row(
        7,
        {
            "permit_number": "P",
            "period": "2026-03",
            "received": "2026-04-02",
            "outlet": "DA001",
            "concentration": "-1",
        },
    )
    assert row.errors == ["实际排放浓度不能为负数（-1）。", "填写了实际排放数据，但缺少“污染物”。"]


# Confirmation -----------------------------------------------------------------------------------------


def test_r_rep_1_confirm_records_exactly_what_was_previewed(
    client, approval_clerk, monthly_permit, mixed_file, django_capture_on_commit_callbacks, queued
):
    # given
    batch = import_reports(client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued)

    # when
    response = confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then: March's new version and April's first filing with its two emissions; nothing else
    assert response.status_code == 302
    assert batch.status == ImportStatus.DONE and batch.applied_rows == 2
    assert batch.confirmed_by == approval_clerk and batch.notice == ""
    assert versions_of(monthly_permit) == [
        (date(2026, 3, 1), 1, "report", date(2026, 4, 10), "ZXBG-2026-0001", "hand"),
        (date(2026, 3, 1), 2, "corrected", date(2026, 4, 25), "ZXBG-2026-0002", "import"),
        (date(2026, 4, 1), 1, "report", date(2026, 5, 12), "ZXBG-2026-0100", "import"),
    ]
    april = ExecutionReport.objects.get(permit=monthly_permit, period_start=date(2026, 4, 1))
    assert april.received_on == date(2026, 5, 12)
    version = april.versions.get()
    # The one who confirmed the preview is recorded, on the version and in its history.
    assert (
        version.recorded_by == batch.confirmed_by
        and version.note == f"执行报告平台导出导入（批次 {batch.pk}）"
    )
    assert version.history.get().history_user == batch.confirmed_by
    assert sorted(version.emissions.values_list("pollutant", "concentration", "quantity")) == [
        ("二氧化硫", None, Decimal("0.6000")),
        ("颗粒物", Decimal("12.500"), None),
    ]
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "导入已完成：登记执行报告 2 份" in page


def test_r_rep_1_running_the_apply_twice_records_nothing_twice(
    client, approval_clerk, monthly_permit, mixed_file, django_capture_on_commit_callbacks, queued
):
    # given: a confirmed and applied batch
    batch = import_reports(client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued)
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    recorded = (
        ReportVersion.objects.count(),
        ReportedEmission.objects.count(),
        ExecutionReport.objects.count(),
    )

    # when: the task is delivered again after it finished, and again as if the worker died mid-way
    import_tasks.apply_import_batch(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLYING)
    import_tasks.apply_import_batch(batch.pk)

    # then
    assert (
        ReportVersion.objects.count(),
        ReportedEmission.objects.count(),
        ExecutionReport.objects.count(),
    ) == recorded
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.applied_rows == 0
    assert batch.notice == "2 份报告在确认前已登记，未重复登记。"


def test_r_rep_1_a_filing_changed_since_the_preview_is_not_written_and_the_others_are(
    client, approval_clerk, monthly_permit, mixed_file, django_capture_on_commit_callbacks, queued
):
    # given: the preview, then April recorded by hand under another reference
    batch = import_reports(client, approval_clerk, mixed_file, django_capture_on_commit_callbacks, queued)
    receipts.record_receipt(
        by=approval_clerk,
        permit=monthly_permit,
        period=rules.Period(rules.MONTH, 2026, 4),
        received_on=date(2026, 5, 11),
        today=date(2026, 5, 20),
        platform_ref="HAND-1",
    )

    # when
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then: April's previewed first filing would now be a second version: not written; March is
    assert batch.status == ImportStatus.DONE and batch.applied_rows == 1
    assert batch.notice.startswith("1 份报告（第 4 行）没有登记")
    row = batch.rows.get(row_number=4)
    assert row.is_stale and row.reasons == ["未写入：预览为“新增”，现为“新版本”"]
    assert [v[1:5] for v in versions_of(monthly_permit)] == [
        (1, "report", date(2026, 4, 10), "ZXBG-2026-0001"),
        (2, "corrected", date(2026, 4, 25), "ZXBG-2026-0002"),
        (1, "report", date(2026, 5, 11), "HAND-1"),
    ]


def test_r_rep_1_two_filings_of_one_report_in_a_file_become_its_versions_in_date_order(
    client, approval_clerk, monthly_permit, django_capture_on_commit_callbacks, queued
):
    # given: the corrected January listed before the first filing
    data = report_workbook(
        [
            report_row(monthly_permit, "2026-01", date(2026, 2, 20), "J-2"),
            report_row(monthly_permit, "2026-01", date(2026, 2, 10), "J-1"),
            report_row(monthly_permit, "2026-01", date(2026, 2, 10), ""),  # J-1 again, without its reference
        ]
    )
    batch = import_reports(client, approval_clerk, data, django_capture_on_commit_callbacks, queued)
    assert [r.kind for r in batch.rows.order_by("row_number")] == [
        ImportRowKind.CHANGED,
        ImportRowKind.NEW,
        ImportRowKind.UNCHANGED,
    ]

    # when
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then
    assert [v[1:5] for v in versions_of(monthly_permit)] == [
        (1, "report", date(2026, 2, 10), "J-1"),
        (2, "corrected", date(2026, 2, 20), "J-2"),
    ]


def test_r_rep_1_a_report_awaiting_the_answer_to_its_notice_is_refused(
    client, approval_clerk, monthly_permit, issued_notice, django_capture_on_commit_callbacks, queued
):
    data = report_workbook([report_row(monthly_permit, "2026-03", date(2026, 4, 28), "ZXBG-2026-0009")])

    batch = import_reports(client, approval_clerk, data, django_capture_on_commit_callbacks, queued)

    row = batch.rows.get()
    assert row.kind == ImportRowKind.REJECTED
    assert row.reasons == [
        f"该报告有待答复的反馈意见单 {issued_notice.number}，请在意见单页面登记排污单位的答复。"
    ]


def test_r_rep_1_rows_of_one_reference_with_different_dates_are_refused_together(
    client, approval_clerk, monthly_permit, django_capture_on_commit_callbacks, queued
):
    data = report_workbook(
        [
            report_row(
                monthly_permit,
                "2026-04",
                date(2026, 5, 10),
                "R-1",
                排放口编号="DA001",
                污染物="颗粒物",
                实际排放浓度=1,
            ),
            report_row(
                monthly_permit,
                "2026-04",
                date(2026, 5, 11),
                "R-1",
                排放口编号="DA001",
                污染物="二氧化硫",
                实际排放浓度=2,
            ),
        ]
    )

    batch = import_reports(client, approval_clerk, data, django_capture_on_commit_callbacks, queued)

    row = batch.rows.get()  # one filing: the same permit, period and reference
    assert row.kind == ImportRowKind.REJECTED and row.values["rows"] == [2, 3]
    assert row.reasons == [
        "报告编号“R-1”的各行提交时间不一致（2026-05-10、2026-05-11），无法判断是哪一次提交。"
    ]


# Access -----------------------------------------------------------------------------------------------


def test_r_rep_1_only_the_approval_section_and_the_administrator_import_reports(
    client, ecology_clerk, town_a_liaison, administrator, monthly_permit, django_capture_on_commit_callbacks
):
    data = report_workbook([report_row(monthly_permit, "2026-04", date(2026, 5, 10), "R-1")])
    for user in (ecology_clerk, town_a_liaison):
        client.force_login(user)
        assert upload(client, data, django_capture_on_commit_callbacks).status_code == 403
        assert client.get(reverse("imports:report_template")).status_code == 403
    assert not ImportBatch.objects.exists()

    client.force_login(administrator)
    assert upload(client, data, django_capture_on_commit_callbacks).status_code == 302
    assert ImportBatch.objects.get().kind == KIND


def test_r_rep_1_a_permit_the_uploader_may_not_see_is_told_as_unknown(
    monthly_permit, town_a_liaison, town_b, settings, tmp_path
):
    # given: a batch whose uploader is town A's liaison (the services refuse such an upload; this
    # checks that the comparison itself is scoped to the uploader, R-ORG-3)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    other = PermitFactory(
        facility=FacilityFactory(town=town_b), issued_on=date(2025, 6, 1), report_frequency="monthly"
    )
    batch = ImportBatch(kind=KIND, created_by=town_a_liaison, original_name="a.xlsx")
    data = report_workbook(
        [
            report_row(monthly_permit, "2026-04", date(2026, 5, 10), "A-1"),
            report_row(other, "2026-04", date(2026, 5, 10), "B-1"),
        ]
    )
    batch.file.save("a.xlsx", io.BytesIO(data), save=True)

    # when
    imports.parse_batch(batch_id=batch.pk)

    # then
    rows = rows_by_number(batch)
    assert rows[2].kind == ImportRowKind.NEW
    assert rows[3].reasons == [f"系统中没有许可证编号“{other.number}”，或该许可证不在您可查看的范围内。"]


def test_r_rep_1_upload_page_offers_the_report_import_and_its_template(client, approval_clerk):
    client.force_login(approval_clerk)

    page = client.get(reverse("imports:upload"), {"kind": KIND}).content.decode()
    response = client.get(reverse("imports:report_template"))

    assert 'value="execution_reports" id="id_kind_1" checked' in page or (
        'value="execution_reports"' in page and "checked" in page.split('value="execution_reports"')[1][:80]
    )
    assert "执行报告提交情况：文件各列" in page and "提交时间" in page
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["执行报告", "说明"]
    assert [c.value for c in book["执行报告"][1]][: len(REPORT_HEADERS)] == REPORT_HEADERS


# Query budgets ----------------------------------------------------------------------------------------


def _permits(count: int) -> list:
    return [
        PermitFactory(facility=FacilityFactory(), issued_on=date(2024, 6, 1), report_frequency="monthly")
        for _ in range(count)
    ]


def _months(count: int) -> list[str]:
    return [f"{2024 + (m + 6) // 12}-{(m + 6) % 12 + 1:02d}" for m in range(count)]  # 2024-07 on


def _parse_queries(user, rows, settings, tmp_path) -> tuple[int, ImportBatch]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    batch = ImportBatch(kind=KIND, created_by=user, original_name="a.xlsx")
    batch.file.save("a.xlsx", io.BytesIO(report_workbook(rows)), save=True)
    with CaptureQueriesContext(connection) as captured:
        imports.parse_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    return len(captured), batch


def test_r_rep_1_preview_of_2000_rows_costs_a_fixed_number_of_queries_per_chunk(
    approval_clerk, settings, tmp_path
):
    # given: 100 monthly permits, each with 20 months of filings (2,000 rows, 2,000 filings)
    permits = _permits(100)
    rows = [
        report_row(p, month, date(2026, 5, 1), f"{p.number}-{month}")
        for p in permits
        for month in _months(20)
    ]

    # when
    small, small_batch = _parse_queries(approval_clerk, rows[:200], settings, tmp_path)
    large, large_batch = _parse_queries(approval_clerk, rows, settings, tmp_path)

    # then: 200 rows cost 16 queries: the batch is still 解析中 and is claimed (attempts + 1); the batch
    # with its uploader; clear its
    # rows (a re-delivered task starts over); the estimated row count; the progress counter (at row
    # 200); the uploader's staff and section (for what they may see); the permits named, their events
    # and their outlets; the recorded versions; the notices awaiting an answer; the rows' bulk insert
    # (the backend splits it: 2 statements on SQLite); the batch's counters (待确认).
    assert small_batch.new_count == 200 and large_batch.new_count == 2000
    assert small == 14 + _inserts(200)
    # 2,000 rows add only the progress counter every 200 rows (9 more) and the bulk insert's
    # statements (chunks of 500 rows, which the backend may split further); the comparison with what
    # is recorded costs the same 7 queries for up to 500 permits.
    assert large == small + 9 + _inserts(2000) - _inserts(200)


def _inserts(rows: int) -> int:
    """The INSERT statements the backend makes for ``rows`` import rows in chunks of 500."""
    fields = [f for f in ImportRow._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, [None] * 500) or 500
    return sum(math.ceil(min(500, rows - start) / size) for start in range(0, rows, 500))


def test_r_rep_1_preview_page_of_a_report_batch_costs_fixed_queries(
    client, approval_clerk, django_assert_num_queries, settings, tmp_path
):
    # given: more rows of each shown class than the page shows
    permits = _permits(3)
    rows = [
        report_row(p, month, date(2026, 5, 1), f"R-{p.pk}-{month}") for p in permits for month in _months(10)
    ]
    rows += [report_row(f"UNKNOWN-{n}", "2026-01", date(2026, 2, 1), "U") for n in range(25)]
    _, batch = _parse_queries(approval_clerk, rows, settings, tmp_path)
    assert (batch.new_count, batch.rejected_count) == (30, 25)
    client.force_login(approval_clerk)

    # Expect 4 queries: the session, the user with staff/section/town, the batch with its uploader,
    # confirmer and canceller, and the first 20 rows of every class (one windowed query).
    with django_assert_num_queries(4):
        response = client.get(reverse("imports:detail", args=[batch.pk]))
    assert response.content.decode().count("<tr data-row=") == 40

    # Expect 4 queries: session, user, batch, one page of one class.
    with django_assert_num_queries(4):
        response = client.get(reverse("imports:detail", args=[batch.pk]), {"kind": "new"})
    assert response.content.decode().count("<tr data-row=") == 30
