"""数据导入: the national permit platform's Excel export, previewed, then applied on confirmation
(R-FAC-1 one facility per credit code, R-ORG-2 the approval section keeps permit and registration
data, R-PER-1 a later validity is a 延续).

Celery tasks run inline: the tasks' ``delay`` (which the views hand to the services) is replaced by a
list, and ``run_queued`` calls the task functions directly, never through the broker.
"""

import io
import re
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bureau.errors import Conflict
from permits import rules
from permits.imports import apply as writes
from permits.imports import services as imports
from permits.imports import tasks as import_tasks
from permits.imports.models import ImportBatch, ImportRow, ImportRowKind, ImportStatus
from permits.imports.parse import _text, open_sheet, parse_date
from permits.imports.template import COLUMNS, NOTES_SHEET_TITLE
from permits.models import Facility, Permit, PermitEvent, PermitEventKind, Registration
from permits.services.facilities import update_facility
from tests.factories.imports import HEADERS, code, key_row, register_like, registered_row, workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """What the worker would do: run each queued task's function, in order."""
    while queued:
        name, pk = queued.pop(0)
        getattr(import_tasks, name)(pk)


@pytest.fixture
def towns(town_a, town_b):
    return {"甲镇": town_a, "乙镇": town_b}


def upload(client, data: bytes, capture, name="平台导出.xlsx"):
    with capture(execute=True):
        return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data, XLSX)})


def import_file(client, user, rows, capture, queued) -> ImportBatch:
    """Upload ``rows`` as ``user`` and parse them: the batch awaits confirmation."""
    client.force_login(user)
    response = upload(client, workbook(rows), capture)
    assert response.status_code == 302
    run_queued(queued)
    return ImportBatch.objects.latest("id")


def confirm(client, batch, capture, queued):
    with capture(execute=True):
        response = client.post(reverse("imports:confirm", args=[batch.pk]))
    run_queued(queued)
    batch.refresh_from_db()
    return response


def by_row(batch) -> dict[int, ImportRow]:
    return {r.row_number: r for r in batch.rows.all()}


def registry_counts() -> tuple[int, ...]:
    return (
        Facility.objects.count(),
        Permit.objects.count(),
        PermitEvent.objects.count(),
        Registration.objects.count(),
        Facility.history.count(),
        Permit.history.count(),
        Registration.history.count(),
    )


# The template ------------------------------------------------------------------------------------------


def test_template_download_has_the_headers_an_example_and_the_notes(client, approval_clerk, towns):
    client.force_login(approval_clerk)

    response = client.get(reverse("imports:template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["排污单位", "说明"]
    data = book["排污单位"]
    assert [c.value for c in data[1]] == [
        "污染源编码",
        "统一社会信用代码",
        "污染源序号",
        "单位名称",
        "生产经营场所地址",
        "所属街镇",
        "行业类别代码",
        "行业类别",
        "管理类别",
        "联系人",
        "联系电话",
        "许可证编号",
        "发证日期",
        "有效期起",
        "有效期至",
        "执行报告频次",
        "登记回执编号",
        "登记日期",
    ]
    example = dict(zip(HEADERS, [c.value for c in data[2]], strict=True))
    assert rules.credit_code_error(example["统一社会信用代码"]) is None
    assert example["所属街镇"] == "甲镇" and example["管理类别"] == "重点管理"
    notes = {row[0].value: row for row in book["说明"].iter_rows(min_row=2) if row[0].value}
    for column in COLUMNS:
        assert notes[column.header][1].value == column.required
        assert notes[column.header][2].value == column.explanation
    assert "甲镇、乙镇" in notes["可填写的街镇"][2].value


def test_the_template_itself_imports_as_one_new_facility(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: the template as downloaded
    client.force_login(approval_clerk)
    data = b"".join(client.get(reverse("imports:template")).streaming_content)

    # when
    upload(client, data, django_capture_on_commit_callbacks)
    run_queued(queued)

    # then
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.new_count, batch.rejected_count) == (ImportStatus.READY, 1, 0)


def test_the_import_page_documents_every_column(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("imports:upload")).content.decode()
    for column in COLUMNS:
        assert f"<td>{column.header}</td><td>{column.required}</td><td>{column.explanation}</td>" in page
    assert reverse("imports:template") in page


# Preview -----------------------------------------------------------------------------------------------


def test_preview_classifies_new_changed_unchanged_and_rejected_with_reasons(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: three facilities already in the registry
    unchanged_key, unchanged_registered, edited = key_row(1), registered_row(2), key_row(3)
    for row in (unchanged_key, unchanged_registered, edited):
        register_like(row)
    rows = [
        unchanged_key,  # row 2
        unchanged_registered,  # row 3
        edited
        | {"单位名称": "导入测试3号涂料（集团）有限公司", "所属街镇": "乙镇", "联系电话": "13800000000"},
        key_row(4),  # row 5: new, key-managed
        registered_row(5),  # row 6: new, registered
        key_row(6, 统一社会信用代码=code(6)[:17] + ("0" if code(6)[17] != "0" else "1")),  # row 7
        key_row(7, 所属街镇="丙镇"),  # row 8
        key_row(8, 许可证编号=None),  # row 9
        key_row(9, 发证日期="2024-02-30"),  # row 10
        key_row(10),  # row 11 and row 12 share a credit code
        key_row(10, 单位名称="另一个名称", 许可证编号="OTHER-001"),
        key_row(11, 管理类别="重点"),  # row 13: the short label is accepted
        key_row(12, 有效期至=date(2024, 1, 1)),  # row 14
        registered_row(13, 许可证编号="X-1"),  # row 15
        key_row(14, 执行报告频次="半年"),  # row 16
    ]

    # when
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)

    # then
    assert batch.status == ImportStatus.READY
    assert (batch.new_count, batch.changed_count, batch.unchanged_count, batch.rejected_count) == (3, 1, 2, 9)
    assert batch.total_rows == batch.processed_rows == 15
    row = by_row(batch)
    assert {n: row[n].kind for n in (2, 3, 4, 5, 6, 13)} == {
        2: "unchanged",
        3: "unchanged",
        4: "changed",
        5: "new",
        6: "new",
        13: "new",
    }
    assert row[4].changes == [
        ["单位名称", "导入测试3号涂料有限公司", "导入测试3号涂料（集团）有限公司"],
        ["所属街镇", "甲镇", "乙镇"],
        ["联系电话", "021-52500000", "13800000000"],
    ]
    expected = code(6)[17]
    wrong = "0" if expected != "0" else "1"
    assert row[7].reasons == [
        f"统一社会信用代码校验位错误：按前 17 位计算，第 18 位应为“{expected}”，而不是“{wrong}”。"
    ]
    assert row[8].reasons == ["所属街镇“丙镇”不在本区街镇（园区）名录中。"]
    assert row[9].reasons == ["缺少“许可证编号”（重点管理必填）。"]
    assert row[10].reasons == ["发证日期“2024-02-30”不是有效日期，应如 2024-03-15。"]
    assert row[11].reasons == [f"污染源“{code(10)}001”与第 12 行重复：同一污染源在文件中只能有一行。"]
    assert row[12].reasons == [
        f"污染源“{code(10)}001”与第 11 行重复（本行未填污染源序号，认定为序号 001）：同一污染源在文件中只能有一行。"
    ]
    assert row[14].reasons == ["有效期至应晚于有效期起。"]
    assert row[15].reasons == ["登记管理的单位不填写许可证编号（属于排污许可证）。"]
    assert row[16].reasons == ["执行报告频次“半年”应为月度、季度或年度。"]
    assert all(
        r.kind == ImportRowKind.REJECTED for n, r in row.items() if n in (7, 8, 9, 10, 11, 12, 14, 15, 16)
    )


def test_the_preview_page_shows_counts_changes_and_reasons(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    register_like(key_row(1))
    rows = [key_row(1, 联系人="李四"), key_row(2), key_row(3, 所属街镇="丙镇")]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)

    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()

    assert 'data-kind="new"><a href="?kind=new"><span class="count">1</span><span>新增</span>' in page
    assert 'data-kind="changed"><a href="?kind=changed"><span class="count">1</span><span>变更</span>' in page
    assert (
        'data-kind="rejected"><a href="?kind=rejected"><span class="count">1</span><span>不予导入</span>'
        in page
    )
    assert "联系人：<del>张三</del> → <ins>李四</ins>" in page
    assert "所属街镇“丙镇”不在本区街镇（园区）名录中。" in page
    assert "确认导入" in page and "写入 <strong>2</strong> 行" in page


def test_header_row_may_sit_below_a_title_and_columns_in_any_order(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    client.force_login(approval_clerk)
    shuffled = list(reversed(HEADERS)) + ["许可证状态"]
    upload(
        client,
        workbook([key_row(1), registered_row(2)], shuffled, title_rows=2),
        django_capture_on_commit_callbacks,
    )
    run_queued(queued)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.new_count) == (ImportStatus.READY, 2)
    assert sorted(by_row(batch)) == [4, 5]  # row numbers as Excel shows them


def test_a_file_without_the_required_columns_fails_with_the_reason(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    client.force_login(approval_clerk)
    headers = [h for h in HEADERS if h not in ("所属街镇", "管理类别")]
    upload(client, workbook([key_row(1)], headers), django_capture_on_commit_callbacks)
    run_queued(queued)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert batch.error == "文件缺少必需的列：所属街镇、管理类别。第一行应为列名，请使用导入模板。"
    assert (
        "导入失败：文件缺少必需的列"
        in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    )


def test_a_file_that_is_not_xlsx_is_refused_at_upload(
    client, approval_clerk, django_capture_on_commit_callbacks
):
    client.force_login(approval_clerk)
    response = upload(client, b"a,b,c\n", django_capture_on_commit_callbacks, name="export.xls")
    assert response.status_code == 400
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()
    response = upload(client, b"not a zip", django_capture_on_commit_callbacks, name="export.xlsx")
    assert response.status_code == 400
    assert "该文件不是有效的 .xlsx 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_nothing_is_written_before_confirmation(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given
    register_like(key_row(1))
    before = registry_counts()
    rows = [key_row(1, 单位名称="改名后的公司"), key_row(2), registered_row(3), key_row(4, 所属街镇="丙镇")]

    # when: uploaded and previewed, not confirmed
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)

    # then
    assert (batch.status, batch.new_count, batch.changed_count) == (ImportStatus.READY, 2, 1)
    assert registry_counts() == before
    assert Facility.objects.get(credit_code=code(1)).name == "导入测试1号涂料有限公司"


# Confirmation ------------------------------------------------------------------------------------------


def test_confirm_applies_every_row_and_history_names_the_confirming_user_and_source(
    client, approval_clerk, approval_head, towns, django_capture_on_commit_callbacks, queued
):
    # given: the clerk uploads, the head confirms
    register_like(key_row(1))
    rows = [key_row(1, 联系人="李四"), key_row(2), registered_row(3), key_row(4, 所属街镇="丙镇")]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    client.force_login(approval_head)

    # when
    response = confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then
    assert response.status_code == 302
    assert (batch.status, batch.applied_rows, batch.confirmed_by) == (ImportStatus.DONE, 3, approval_head)
    source = f"排污许可平台导入（批次 {batch.pk}）"
    updated = Facility.objects.get(credit_code=code(1))
    assert updated.contact_person == "李四"
    assert updated.history.first().history_user == approval_head
    assert updated.history.first().history_change_reason == f"更新（来源：{source}）"
    created = Facility.objects.get(credit_code=code(2))
    assert created.history.get().history_user == approval_head
    assert created.history.get().history_change_reason == f"新建（来源：{source}）"
    assert created.key_industry.code == "264"  # R-FAC-2 flagged through the service
    permit = Permit.objects.get(number=f"{code(2)}001V")
    assert (permit.facility, permit.valid_until, permit.report_frequency) == (
        created,
        date(2029, 3, 14),
        "quarterly",
    )
    assert permit.history.get().history_user == approval_head
    event = permit.events.get()
    assert (event.kind, event.occurred_on, event.recorded_by) == (
        "first_application",
        date(2024, 3, 15),
        approval_head,
    )
    registration = Registration.objects.get(receipt_no=f"{code(3)}001X")
    assert registration.facility.credit_code == code(3)
    assert (registration.registered_on, registration.valid_until) == (date(2023, 6, 1), date(2028, 5, 31))
    assert not Facility.objects.filter(credit_code=code(4)).exists()  # rejected row
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "导入已完成：新增 2 家单位，更新 1 家；无变化 0 行、不予导入 1 行未写入。" in page


def test_r_fac_1_an_existing_credit_code_is_updated_never_duplicated(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: the facility exists; the platform writes its code in lower case with spaces
    facility = register_like(key_row(1))
    row = key_row(1, 单位名称="导入测试1号新材料有限公司")
    row["统一社会信用代码"] = " ".join([code(1)[:9].lower(), code(1)[9:].lower()])

    # when
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    assert by_row(batch)[2].kind == ImportRowKind.CHANGED
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then
    assert batch.status == ImportStatus.DONE
    assert Facility.objects.filter(credit_code=code(1)).count() == Facility.objects.count() == 1
    facility.refresh_from_db()
    assert facility.name == "导入测试1号新材料有限公司"
    assert Permit.objects.count() == 1  # the same permit, not issued again


def test_r_per_1_a_renewal_dated_after_today_is_refused_at_preview(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: a file whose renewal (2029-01-10) is dated after today
    register_like(key_row(1))
    row = key_row(1, 发证日期=date(2029, 1, 10), 有效期起=date(2029, 3, 15), 有效期至=date(2034, 3, 14))
    # when: it is previewed
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    # then: the row says why it will not be imported, before anyone confirms
    preview = by_row(batch)[2]
    assert preview.changes == []
    assert any("发证日期 2029-01-10 晚于今天" in reason for reason in preview.reasons), preview.reasons


@pytest.mark.today(
    date(2029, 2, 1)
)  # after the renewal the platform shows: events are recorded once they happened
def test_a_later_validity_is_recorded_as_a_renewal(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: the platform shows the permit renewed on 2029-01-10 until 2034-01-09
    register_like(key_row(1))
    row = key_row(1, 发证日期=date(2029, 1, 10), 有效期起=date(2029, 3, 15), 有效期至=date(2034, 3, 14))

    # when
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    assert by_row(batch)[2].changes == [["许可证有效期至", "2029-03-14", "2034-03-14（延续）"]]
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then
    permit = Permit.objects.get()
    assert permit.valid_until == date(2034, 3, 14)
    # R-PER-1: the application and its decision, two events of the day the platform names
    renewal = permit.events.get(kind=PermitEventKind.RENEWAL)
    decision = permit.events.get(kind=PermitEventKind.RENEWAL_DECISION)
    assert (renewal.occurred_on, renewal.new_valid_until) == (date(2029, 1, 10), None)
    assert (decision.occurred_on, decision.renewal_granted, decision.new_valid_until) == (
        date(2029, 1, 10),
        True,
        date(2034, 3, 14),
    )


def test_a_permit_whose_content_differs_or_belongs_to_another_facility_is_rejected(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    for n in (1, 2, 5):
        register_like(key_row(n))
    rows = [
        key_row(1, 执行报告频次="月度"),
        key_row(3, 许可证编号=f"{code(2)}001V"),
        key_row(5, 有效期至=date(2028, 1, 1)),
    ]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    row = by_row(batch)
    assert row[2].reasons == [
        f"许可证 {code(1)}001V 的执行报告频次（系统：季度，文件：月度）与系统记录不同：已登记许可证的内容须在许可证页面"
        "按“变更”等事项办理，导入不修改。"
    ]
    # R-FAC-1: a platform number names its holder's site, so another unit's number is refused as such
    assert row[3].reasons == [
        f"许可证编号“{code(2)}001V”的前 18 位（{code(2)}）与统一社会信用代码“{code(3)}”不一致。"
    ]
    assert row[4].reasons == [
        f"许可证 {code(5)}001V 的有效期至 2028-01-01 早于系统记录的 2029-03-14，请核对。"
    ]


def test_a_failure_in_the_middle_of_apply_leaves_nothing_half_done(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued, monkeypatch
):
    # given: a batch whose second permit the service refuses
    register_like(key_row(1))
    rows = [key_row(1, 联系人="李四"), key_row(2), key_row(3), key_row(4)]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    before = registry_counts()
    real_check = writes.checked_new_permit
    calls = []

    def refuse_second(**kwargs):
        calls.append(kwargs["number"])
        if len(calls) == 2:
            raise ValidationError({"number": "模拟：许可证编号已被占用。"})
        return real_check(**kwargs)

    monkeypatch.setattr(writes, "checked_new_permit", refuse_second)

    # when
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then: the facility updated and the permit issued before row 4 are rolled back too
    assert batch.status == ImportStatus.FAILED
    assert batch.error == (
        "第 4 行写入失败：模拟：许可证编号已被占用。整批已撤销，没有写入任何数据；请修正后重新上传。"
    )
    assert registry_counts() == before
    assert Facility.objects.get(credit_code=code(1)).contact_person == "张三"
    assert not writes.progress_path(batch.pk).exists()


def test_confirming_twice_gives_the_second_a_conflict(
    client, approval_clerk, approval_head, towns, django_capture_on_commit_callbacks, queued
):
    batch = import_file(client, approval_clerk, [key_row(1)], django_capture_on_commit_callbacks, queued)
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    assert batch.status == ImportStatus.DONE

    client.force_login(approval_head)
    response = confirm(client, batch, django_capture_on_commit_callbacks, queued)

    assert response.status_code == 409
    when = batch.confirmed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    page = response.content.decode()
    assert f"该批次已由{approval_clerk.display_name}于 {when} 确认导入（已完成），不能再次确认。" in page
    assert Facility.objects.count() == 1 and Permit.objects.count() == 1


def test_confirm_while_the_first_confirmation_is_still_applying_conflicts(
    approval_clerk, approval_head, towns
):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", status=ImportStatus.READY, file="imports/a.xlsx"
    )
    imports.confirm_batch(batch=batch, by=approval_clerk, queue_apply=import_tasks.apply_import_batch.delay)
    with pytest.raises(Conflict, match="已由.*确认导入（导入中），不能再次确认"):
        imports.confirm_batch(
            batch=batch, by=approval_head, queue_apply=import_tasks.apply_import_batch.delay
        )


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment_exactly_one_wins(approval_clerk, approval_head, towns, queued):
    # given: a previewed batch, and two clerks pressing 确认 at once on separate connections
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", status=ImportStatus.READY, file="imports/a.xlsx"
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press(user):
        try:
            start.wait()
            imports.confirm_batch(batch=batch, by=user, queue_apply=import_tasks.apply_import_batch.delay)
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in (approval_clerk, approval_head)]

    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then
    assert len(outcomes) == 2 and outcomes.count("won") == 1
    assert "不能再次确认" in next(o for o in outcomes if o != "won")
    assert queued == [("apply_import_batch", batch.pk)]  # applied once


def test_a_cancelled_batch_cannot_be_confirmed_and_writes_nothing(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    batch = import_file(client, approval_clerk, [key_row(1)], django_capture_on_commit_callbacks, queued)
    response = client.post(reverse("imports:cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.cancelled_by) == (ImportStatus.CANCELLED, approval_clerk)

    response = confirm(client, batch, django_capture_on_commit_callbacks, queued)

    assert response.status_code == 409
    assert f"该批次已由{approval_clerk.display_name}取消，不能再次确认。" in response.content.decode()
    writes.apply_batch(batch_id=batch.pk)  # a stray apply task does nothing either
    assert not Facility.objects.exists()


def test_an_edit_between_preview_and_confirm_is_reported_not_overwritten(
    client, approval_clerk, approval_head, towns, django_capture_on_commit_callbacks, queued
):
    # given: the preview shows 联系电话 021-52500000 → 13800000000
    facility = register_like(key_row(1))
    batch = import_file(
        client,
        approval_clerk,
        [key_row(1, 联系电话="13800000000"), key_row(2)],
        django_capture_on_commit_callbacks,
        queued,
    )
    assert by_row(batch)[2].changes == [["联系电话", "021-52500000", "13800000000"]]
    # and a colleague then corrects the phone number on the facility page
    update_facility(facility=facility, by=approval_head, changes={"contact_phone": "13900000000"})
    before = registry_counts()

    # when
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then: nothing written; the batch is back for review with the fresh comparison
    assert registry_counts() == before
    assert batch.status == ImportStatus.READY and batch.confirmed_by is None
    assert "确认导入时发现 1 行（第 2 行）涉及的数据在预览之后已被修改" in batch.notice
    row = by_row(batch)[2]
    assert row.is_stale and row.changes == [["联系电话", "13900000000", "13800000000"]]
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "预览后已变化" in page and "为避免覆盖他人的修改，本次没有写入任何数据" in page

    # and confirming what is now shown applies it
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    assert batch.status == ImportStatus.DONE
    facility.refresh_from_db()
    assert facility.contact_phone == "13800000000"


@pytest.mark.postgresql  # a real second connection committing mid-apply (SQLite serialises it away)
@pytest.mark.django_db(transaction=True)
def test_r_fac_1_a_site_registered_by_a_colleague_during_the_apply_sends_the_batch_back_not_an_error(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued, monkeypatch
):
    # given: a previewed batch that creates site 1
    batch = import_file(
        client, approval_clerk, [key_row(1), key_row(2)], django_capture_on_commit_callbacks, queued
    )
    assert by_row(batch)[2].kind == ImportRowKind.NEW
    # and a colleague registering that very site, committed after the apply took its snapshot
    compare = writes._compare_again

    def colleague_meanwhile(*args, **kwargs):
        outcomes = compare(*args, **kwargs)
        if not Facility.objects.filter(credit_code=code(1)).exists():
            colleague = threading.Thread(target=lambda: (register_like(key_row(1)), connection.close()))
            colleague.start()
            colleague.join()
        return outcomes

    monkeypatch.setattr(writes, "_compare_again", colleague_meanwhile)

    # when
    confirm(client, batch, django_capture_on_commit_callbacks, queued)

    # then: the unique constraint caught it, nothing of the batch was written, and the second
    # comparison sent it back for review instead of the generic error
    assert batch.status == ImportStatus.READY, batch.error
    assert "确认导入时发现 1 行（第 2 行）涉及的数据在预览之后已被修改" in batch.notice
    assert by_row(batch)[2].is_stale and by_row(batch)[2].kind != ImportRowKind.NEW
    assert Facility.objects.filter(credit_code__in=[code(1), code(2)]).count() == 1
    # and confirming what is now shown applies the rest, site 1 once
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    assert batch.status == ImportStatus.DONE
    assert Facility.objects.filter(credit_code=code(1)).count() == 1
    assert Facility.objects.filter(credit_code=code(2)).count() == 1


# Permissions and navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["legal_clerk", "town_a_liaison", "officer", "leader"])
def test_other_sections_get_403_everywhere(client, request, persona, approval_clerk):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", status=ImportStatus.READY, file="imports/a.xlsx"
    )
    client.force_login(request.getfixturevalue(persona))
    for method, name, args in [
        ("get", "imports:upload", []),
        ("post", "imports:upload", []),
        ("get", "imports:template", []),
        ("get", "imports:detail", [batch.pk]),
        ("get", "imports:progress", [batch.pk]),
        ("post", "imports:confirm", [batch.pk]),
        ("post", "imports:cancel", [batch.pk]),
    ]:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 403, (persona, name)
        if method == "get" and name != "imports:progress":
            assert "您所在的科室无权访问此页面" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY


def test_services_refuse_other_sections_too(legal_clerk, approval_clerk):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", status=ImportStatus.READY, file="imports/a.xlsx"
    )
    with pytest.raises(PermissionDenied, match="只有行政审批服务科和系统管理员可以导入数据"):
        imports.confirm_batch(batch=batch, by=legal_clerk, queue_apply=import_tasks.apply_import_batch.delay)


@pytest.mark.parametrize("persona", ["approval_clerk", "administrator"])
def test_approval_and_administrator_may_import(
    client, request, persona, towns, django_capture_on_commit_callbacks, queued
):
    user = request.getfixturevalue(persona)
    batch = import_file(client, user, [key_row(1)], django_capture_on_commit_callbacks, queued)
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    assert batch.status == ImportStatus.DONE
    assert Facility.objects.get().history.get().history_user == user


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_approval_section_sees_the_navigation_entry_and_others_do_not(
    client, approval_clerk, legal_clerk
):
    client.force_login(approval_clerk)
    page = client.get("/").content.decode()
    assert 'href="/imports/" data-nav="imports">数据导入</a>' in page
    client.force_login(legal_clerk)
    assert 'data-nav="imports"' not in client.get("/").content.decode()


# Progress, query budget, tasks ---------------------------------------------------------------------------


def test_progress_reports_parsing_from_the_batch_and_applying_from_the_side_file(client, approval_clerk):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk,
        original_name="a.xlsx",
        file="imports/a.xlsx",
        total_rows=20000,
        processed_rows=5000,
    )
    client.force_login(approval_clerk)
    url = reverse("imports:progress", args=[batch.pk])

    parsing = client.get(url).json()
    assert parsing | {"text": ""} == {
        "status": "parsing",
        "status_label": "解析中",
        "is_running": True,
        "done": 5000,
        "total": 20000,
        "percent": 25,
        "text": "",
    }
    assert parsing["text"] == "正在读取并比对：已处理 5000 行，共约 20000 行"

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLYING)
    assert client.get(url).json()["percent"] is None  # not started: indeterminate
    writes.write_progress(batch.pk, done=3000, total=4000)
    applying = client.get(url).json()
    assert (applying["percent"], applying["text"]) == (
        75,
        "正在写入（单一事务，全部成功或全部撤销）：3000 / 4000 行",
    )

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE)
    assert client.get(url).json()["is_running"] is False


def test_the_running_page_shows_the_bar_and_the_project_script(client, approval_clerk):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", file="imports/a.xlsx"
    )
    client.force_login(approval_clerk)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert f'data-import-progress="/imports/{batch.pk}/progress/"' in page
    assert '<script src="/static/js/import-progress.js" defer></script>' in page
    assert "http://" not in page and "https://" not in page  # no CDN


def test_preview_page_costs_fixed_queries(
    client, approval_clerk, towns, django_assert_num_queries, django_capture_on_commit_callbacks, queued
):
    # given: more rows of every class than the page shows, so an N+1 would show
    for n in range(1, 31):
        register_like(key_row(n))
    rows = (
        [key_row(n) for n in range(1, 26)]
        + [key_row(n, 联系人="李四") for n in range(26, 31)]
        + [key_row(n) for n in range(100, 130)]
        + [key_row(n, 所属街镇="丙镇") for n in range(200, 230)]
    )
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    assert (batch.new_count, batch.changed_count, batch.unchanged_count, batch.rejected_count) == (
        30,
        5,
        25,
        30,
    )
    url = reverse("imports:detail", args=[batch.pk])

    # Expect 4 queries: the session, the user with staff/section/town, the batch with its uploader,
    # confirmer and canceller, and the first 20 rows of every class (one windowed query).
    with django_assert_num_queries(4):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("<tr data-row=") == 20 + 5 + 20 + 20
    assert "查看全部 30 行" in page

    # Expect 4 queries: session, user, batch, one page of one class (the batch's counter is the total).
    with django_assert_num_queries(4):
        response = client.get(url, {"kind": "rejected"})
    assert response.content.decode().count("<tr data-row=") == 30


def test_the_worker_registers_the_import_tasks():
    """The worker discovers ``permits.tasks``; that module must bring the import tasks along."""
    import permits.tasks  # noqa: F401
    from config.celery import app

    assert {"permits.imports.parse_batch", "permits.imports.apply_batch"} <= set(app.tasks)


def test_parse_batch_and_apply_batch_are_safe_to_run_twice(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    batch = import_file(client, approval_clerk, [key_row(1)], django_capture_on_commit_callbacks, queued)
    import_tasks.parse_import_batch(batch.pk)  # a re-delivered parse of a parsed batch
    assert ImportRow.objects.filter(batch=batch).count() == 1
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    import_tasks.apply_import_batch(batch.pk)  # a re-delivered apply of an applied batch
    assert Facility.objects.count() == Permit.objects.count() == 1


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024.03.15", date(2024, 3, 15)),
        ("2024年3月15日", date(2024, 3, 15)),
        ("20240315", date(2024, 3, 15)),
        ("2024-03-15 00:00:00", date(2024, 3, 15)),
        (45366, date(2024, 3, 15)),  # an Excel serial number
        ("2024-02-30", None),
        ("明年", None),
    ],
)
def test_dates_in_the_forms_the_platform_and_excel_write(value, expected):
    assert parse_date(value) == expected


def test_import_page_costs_fixed_queries(client, approval_clerk, approval_head, django_assert_num_queries):
    for n in range(25):
        ImportBatch.objects.create(
            created_by=approval_clerk if n % 2 else approval_head,
            original_name=f"{n}.xlsx",
            file="imports/a.xlsx",
        )
    client.force_login(approval_clerk)
    # Expect 3 queries: the session, the user with staff/section/town, the 20 latest batches with
    # their uploaders.
    with django_assert_num_queries(3):
        response = client.get(reverse("imports:upload"))
    assert len(re.findall(r'<a href="/imports/\d+/">批次 \d+</a>', response.content.decode())) == 20


def test_a_worker_that_cannot_see_the_uploaded_file_fails_the_batch_with_the_reason(approval_clerk):
    batch = ImportBatch.objects.create(
        created_by=approval_clerk, original_name="a.xlsx", file="imports/missing.xlsx"
    )
    import_tasks.parse_import_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error.startswith(
        "无法打开上传的文件（FileNotFoundError）：web 与 worker 须共用同一个 MEDIA_ROOT"
    )


# R-FAC-1: the three ways a row names a site, and a unit's second site ------------------------------


def second_site_row(n: int, **changes):
    """Site 002 of unit ``n``, in 乙镇, with its own permit."""
    return key_row(
        n,
        污染源序号="002",
        单位名称=f"导入测试{n}号涂料有限公司二厂",
        所属街镇="乙镇",
        许可证编号=f"{code(n)}002V",
        **changes,
    )


def test_r_fac_1_a_second_site_of_a_unit_is_a_second_facility_not_a_repeat(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: a file with site 001 and site 002 of one unit
    rows = [key_row(1), second_site_row(1)]
    # when
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    assert (batch.new_count, batch.rejected_count) == (2, 0)
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    # then: one unit, two facilities in two towns, each with its permit
    assert batch.status == "done"
    sites = list(
        Facility.objects.order_by("source_code").values_list("source_code", "town__name", "unit__name")
    )
    assert sites == [
        (f"{code(1)}001", "甲镇", "导入测试1号涂料有限公司"),
        (f"{code(1)}002", "乙镇", "导入测试1号涂料有限公司"),
    ]
    assert set(Permit.objects.values_list("number", "facility__source_code")) == {
        (f"{code(1)}001V", f"{code(1)}001"),
        (f"{code(1)}002V", f"{code(1)}002"),
    }


@pytest.mark.parametrize(
    "naming",
    [
        {"污染源编码": None, "统一社会信用代码": None, "污染源序号": None},  # by the permit number alone
        {"统一社会信用代码": None, "污染源序号": None},  # by the source code
        {"污染源编码": None},  # by the credit code and the site number
    ],
    ids=["permit-number", "source-code", "credit-code-and-site-number"],
)
def test_r_fac_1_each_way_of_naming_a_site_updates_that_site(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued, naming
):
    # given: a unit with two sites in the registry
    register_like(key_row(1))
    second = register_like(second_site_row(1))
    row = second_site_row(1, 污染源编码=f"{code(1)}002", 联系人="李四") | naming
    # when: data about the second site arrives again, naming it one of the three ways
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    # then: it changes that site and creates nothing
    assert (batch.new_count, batch.changed_count, batch.rejected_count) == (0, 1, 0)
    assert by_row(batch)[2].changes == [["联系人", "张三", "李四"]]
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    second.refresh_from_db()
    assert second.contact_person == "李四"
    assert Facility.objects.count() == 2


def test_r_fac_1_a_credit_code_alone_is_refused_when_the_unit_has_several_sites(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    register_like(key_row(1))
    register_like(second_site_row(1))
    row = key_row(1, 许可证编号=None, 发证日期=None, 有效期起=None, 有效期至=None, 执行报告频次=None)
    row |= {"管理类别": "登记管理", "登记回执编号": "R-1", "登记日期": date(2024, 1, 1)}
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    assert by_row(batch)[2].reasons == [
        f"单位 {code(1)} 有 2 个污染源（序号 001、002），请填写污染源序号或污染源编码。"
    ]


def test_r_fac_1_a_source_code_that_disagrees_with_the_credit_code_is_refused(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    row = key_row(1, 污染源编码=f"{code(2)}001")
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    assert by_row(batch)[2].reasons == [f"污染源编码“{code(2)}001”与统一社会信用代码“{code(1)}”不一致。"]


def test_r_fac_2_an_industry_code_with_its_section_letter_is_imported_as_digits(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    batch = import_file(
        client,
        approval_clerk,
        [key_row(1, 行业类别代码="C2641 涂料制造")],
        django_capture_on_commit_callbacks,
        queued,
    )
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    facility = Facility.objects.get()
    assert (facility.industry_code, facility.key_industry.code) == ("2641", "264")


def test_r_fac_3_a_row_that_changes_the_level_against_a_valid_permit_is_refused(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: a key-managed site with its valid permit
    register_like(key_row(1))
    # when: the file says the site is now simplified, with a new permit number
    row = key_row(1, 管理类别="简化管理", 许可证编号=f"{code(1)}001W")
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    # then
    assert by_row(batch)[2].reasons == [
        f"许可证管理类别（重点管理）与排污单位管理类别（简化管理）不一致：系统中的许可证 {code(1)}001V 仍有效，"
        "请先办理该许可证的相应事项。"
    ]


def test_r_fac_3_a_row_that_makes_a_registered_site_permit_level_is_refused(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: a registered site with its valid 排污登记 (有效期至 2028-05-31)
    register_like(registered_row(1))
    # when: the file says the site is key-managed, with a permit
    row = key_row(1, 单位名称="导入测试1号汽修有限公司", 行业类别代码="8111", 行业类别="汽车修理与维护")
    batch = import_file(client, approval_clerk, [row], django_capture_on_commit_callbacks, queued)
    # then: refused at preview, naming the registration
    assert by_row(batch)[2].reasons == [
        f"排污登记管理类别（登记管理）与排污单位管理类别（重点管理）不一致：系统中的排污登记 {code(1)}001X 仍有效，"
        "请先办理该排污登记的相应事项。"
    ]


def test_r_fac_1_a_bare_credit_code_and_the_units_only_site_in_one_file_are_one_site_repeated(
    client, approval_clerk, towns, django_capture_on_commit_callbacks, queued
):
    # given: unit 1 has only site 002 in the registry
    site_002 = register_like(second_site_row(1))
    # when: a file names it once by its credit code alone and once as site 002
    bare = second_site_row(1, 联系人="李四") | {"污染源序号": None, "许可证编号": "普环许〔2024〕1号"}
    rows = [bare, second_site_row(1, 联系人="王五")]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    # then: both rows resolve to site 002 and are reported as repeats; confirming writes nothing
    row = by_row(batch)
    assert row[2].reasons == [
        f"污染源“{code(1)}002”与第 3 行重复（本行未填污染源序号，认定为序号 002）：同一污染源在文件中只能有一行。"
    ]
    assert row[3].reasons == [f"污染源“{code(1)}002”与第 2 行重复：同一污染源在文件中只能有一行。"]
    assert (batch.changed_count, batch.rejected_count) == (0, 2)
    site_002.refresh_from_db()
    assert site_002.contact_person == "张三"


@pytest.fixture
def two_new_sites(client, approval_clerk, towns, django_capture_on_commit_callbacks, queued):
    """A previewed batch: unit 1 is not in the registry, so its row by credit code alone is shown as
    new site 001, and its row of site 002 as another new site. Then a colleague registers site 002
    of unit 1 (its only site), before the batch is confirmed."""
    bare = second_site_row(1, 联系人="李四") | {"污染源序号": None, "许可证编号": "普环许〔2024〕1号"}
    rows = [bare, second_site_row(1, 联系人="王五")]
    batch = import_file(client, approval_clerk, rows, django_capture_on_commit_callbacks, queued)
    assert [(by_row(batch)[n].kind, by_row(batch)[n].values["site_number"]) for n in (2, 3)] == [
        (ImportRowKind.NEW, "001"),
        (ImportRowKind.NEW, "002"),
    ]
    register_like(second_site_row(1))
    return batch


def test_r_fac_1_a_row_keeps_the_site_the_preview_showed_when_its_unit_gains_one_meanwhile(
    client, two_new_sites, django_capture_on_commit_callbacks, queued
):
    before = registry_counts()
    # when
    confirm(client, two_new_sites, django_capture_on_commit_callbacks, queued)
    # then: only the row of site 002 changed under the preview; the bare row stays site 001
    batch = two_new_sites
    assert registry_counts() == before
    assert "确认导入时发现 1 行（第 3 行）涉及的数据在预览之后已被修改" in batch.notice
    assert by_row(batch)[3].kind == ImportRowKind.CHANGED and not by_row(batch)[2].is_stale
    # and confirming again writes site 001 as shown and updates site 002
    confirm(client, batch, django_capture_on_commit_callbacks, queued)
    assert batch.status == ImportStatus.DONE
    sites = dict(Facility.objects.filter(credit_code=code(1)).values_list("site_number", "contact_person"))
    assert sites == {"001": "李四", "002": "王五"}


def test_a_sheet_whose_table_starts_away_from_a1_reads_each_cell_under_its_header():
    # given: a title in B2, the header row in C4 onwards, rows 5 and 7 filled and row 6 empty, numbers
    # typed as numbers, and a notes sheet before the data sheet
    book = Workbook()
    book.active.title = NOTES_SHEET_TITLE
    sheet = book.create_sheet("排污单位")
    sheet["B2"] = "全国排污许可证管理信息平台导出"
    for column, header in enumerate(HEADERS, start=3):
        sheet.cell(row=4, column=column, value=header)
    for row_number, row in ((5, key_row(1)), (7, registered_row(2, 行业类别代码=8111))):
        for column, header in enumerate(HEADERS, start=3):
            sheet.cell(row=row_number, column=column, value=row.get(header))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    # when
    with open_sheet(buffer) as reader:
        rows = list(reader.rows())
    # then: Excel's row numbers, each value under its own column, the number read as its digits
    assert [number for number, _ in rows] == [5, 7]
    assert rows[0][1]["credit_code"] == key_row(1)["统一社会信用代码"]
    assert _text(rows[1][1]["industry_code"]) == "8111"
    assert reader.estimated_rows == 3
