"""The writes of the facility import: one function per step of a batch (R-FAC-1, R-ORG-2, R-PER-1).
The columns are documented in ``permits.imports.template``. A batch of the execution-report kind
(R-REP-1) takes the same path with its own parse and apply steps, ``permits.imports.reports``.

The path of a batch; the long steps run in Celery (``permits.imports.tasks``), which the caller
queues through the ``queue_*`` callable it passes in: these services never import the tasks.

1. ``start_import``: the approval section (or the administrator) uploads a file; a batch is created
   (解析中) and, once that commits, ``queue_parse(batch_id)`` is called.
2. ``parse_batch`` reads every row, checks it (``parse``), and compares it with the registry by source
   code (``reconcile``, R-FAC-1): 新增 / 变更 (old → new per field) / 无变化 / 不予导入 (with the
   reasons in Chinese). It writes only the batch and its rows, never business data; the batch becomes
   待确认.
3. ``confirm_batch`` claims the batch with a conditional update (exactly one of two simultaneous
   confirmations wins) and, once that commits, calls ``queue_apply(batch_id)``; ``cancel_batch`` ends
   a batch not yet confirmed.
4. ``apply_batch`` writes every new and changed row in ONE transaction through the registry's
   services (``register_facility``, ``issue_permit``, ``record_permit_event``, ``record_registration``),
   acting as the confirming user with the batch as the history source. It first compares the rows
   again with the registry as it is now: if anything a row compared has changed since the preview,
   nothing is written and the batch returns to 待确认 with the fresh comparison, so an edit made
   meanwhile is never overwritten blindly.

Progress: parsing writes its counters to the batch row (short autocommit updates). The apply
transaction cannot do that: on SQLite it holds the database's only write lock, so no other
connection could write a counter until it ends. Its progress goes to a small JSON file beside the
uploaded files (MEDIA_ROOT, which web and worker share), written atomically every few hundred rows
and read by ``permits.imports.queries.progress_of``.
"""

import json
import logging
import os
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bureau.access import in_sections
from bureau.errors import Conflict
from bureau.models import SectionCode, Town, User
from permits.imports import reports as report_import
from permits.imports.models import ImportBatch, ImportKind, ImportRow, ImportRowKind, ImportStatus
from permits.imports.parse import (
    FACILITY_KEYS,
    OPTIONAL_KEYS,
    ImportFileError,
    ParsedRow,
    TownIndex,
    mark_duplicates,
    open_sheet,
    parse_row,
)
from permits.imports.queries import progress_path
from permits.imports.reconcile import CHUNK, Outcome, Snapshot, chunks, reconcile_rows
from permits.models import PermitEventKind
from permits.services.facilities import register_facility
from permits.services.permits import issue_permit, record_permit_event, record_registration

logger = logging.getLogger(__name__)

# Who may import: the approval section keeps permit and registration data (R-ORG-2); the
# administrator passes ``section_required`` anyway.
IMPORT_SECTIONS = frozenset({SectionCode.APPROVAL})
# Execution reports: 审批科 records their receipt (R-REP-1; 003 第五条), whatever the registry allows.
REPORT_IMPORT_SECTIONS = frozenset({SectionCode.APPROVAL})
SECTIONS_BY_KIND = {
    ImportKind.REGISTRY: IMPORT_SECTIONS,
    ImportKind.EXECUTION_REPORTS: REPORT_IMPORT_SECTIONS,
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
PROGRESS_EVERY = 200


class RowFailed(Exception):
    def __init__(self, row_number: int, message: str):
        super().__init__(message)
        self.row_number = row_number
        self.message = message


def assert_may_import(user: User, kind: str = ImportKind.REGISTRY) -> None:
    """PermissionDenied unless ``user`` may import this kind: the approval section (R-ORG-2 for the
    registry, R-REP-1 for execution reports) or the administrator."""
    if not in_sections(user, SECTIONS_BY_KIND[kind]):
        if kind == ImportKind.EXECUTION_REPORTS:
            raise PermissionDenied("只有审批科和系统管理员可以导入执行报告提交情况。")
        raise PermissionDenied("只有行政审批服务科和系统管理员可以导入数据。")


# Services ---------------------------------------------------------------------------------------------


@transaction.atomic
def start_import(
    *, by: User, upload, queue_parse: Callable[[int], object], kind: str = ImportKind.REGISTRY
) -> ImportBatch:
    """Keep the uploaded file in a new batch of ``kind`` (解析中); once that commits,
    ``queue_parse(batch_id)`` (the caller passes ``tasks.parse_import_batch.delay``). Writes no
    business data.

    ValidationError on ``file`` for a file that is not an .xlsx workbook or is too large."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": "请选择导入内容。"})
    assert_may_import(by, kind)
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            {"file": "请上传 .xlsx 格式的 Excel 文件（.xls 请先在 Excel 中“另存为”.xlsx）。"}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请分批导入。"})
    if not zipfile.is_zipfile(upload):
        raise ValidationError({"file": "该文件不是有效的 .xlsx 文件，请用 Excel 打开后重新保存再上传。"})
    upload.seek(0)
    batch = ImportBatch(kind=kind, created_by=by, original_name=name[:255])
    batch.file.save(name, upload, save=False)
    batch.save()
    transaction.on_commit(lambda: queue_parse(batch.pk))
    return batch


def _still(batch_id: int, expected: str, /, **fields) -> bool:
    """Update the batch only while its status is ``expected``; whether it was."""
    return ImportBatch.objects.filter(pk=batch_id, status=expected).update(**fields) == 1


def _fail(batch_id: int, expected: str, message: str) -> None:
    _still(batch_id, expected, status=ImportStatus.FAILED, error=message, finished_at=timezone.now())


def parse_batch(*, batch_id: int) -> None:
    """Parse and compare a batch's file (解析中 → 待确认, or 失败 with the reason). Writes the batch and
    its rows only. Running it again on a batch no longer 解析中 (cancelled, parsed) does nothing."""
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PARSING).exists():
        return
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        if batch.is_report_import:
            report_import.parse_into(batch)
        else:
            _parse(batch)
    except ImportFileError as exc:
        _fail(batch_id, ImportStatus.PARSING, str(exc))
    except OSError as exc:
        logger.exception("import batch %s: the uploaded file cannot be opened", batch_id)
        _fail(
            batch_id,
            ImportStatus.PARSING,
            f"无法打开上传的文件（{exc.__class__.__name__}）：web 与 worker 须共用同一个 MEDIA_ROOT，"
            "请联系系统管理员。",
        )
    except Exception as exc:
        logger.exception("import batch %s: parsing failed", batch_id)
        _fail(
            batch_id,
            ImportStatus.PARSING,
            f"解析时发生意外错误（{exc.__class__.__name__}），请联系系统管理员。",
        )


def _parse(batch: ImportBatch) -> None:
    ImportRow.objects.filter(batch=batch).delete()  # a re-delivered task starts over
    towns = TownIndex.load()
    parsed: list[ParsedRow] = []
    with batch.file.open("rb") as fileobj, open_sheet(fileobj) as sheet:
        estimate = sheet.estimated_rows
        _still(batch.pk, ImportStatus.PARSING, total_rows=estimate)
        for row_number, raw in sheet.rows():
            parsed.append(parse_row(row_number, raw, towns))
            if len(parsed) > MAX_ROWS:
                raise ImportFileError(f"文件超过 {MAX_ROWS} 行，请分成几个文件导入。")
            if len(parsed) % PROGRESS_EVERY == 0:
                done = len(parsed)
                if not _still(
                    batch.pk, ImportStatus.PARSING, processed_rows=done, total_rows=max(estimate, done)
                ):
                    return  # cancelled meanwhile
    if not parsed:
        raise ImportFileError("文件中没有数据行：列名行下面应每行一家单位。")
    mark_duplicates(parsed)
    checked = [p for p in parsed if not p.errors]
    snap = Snapshot([p.values for p in checked])
    reconciled = dict(
        zip(
            (p.row_number for p in checked),
            reconcile_rows([(p.row_number, p.values) for p in checked], snap),
            strict=True,
        )
    )
    counts: Counter = Counter()
    rows = []
    for p in parsed:
        outcome = Outcome(ImportRowKind.REJECTED, reasons=p.errors) if p.errors else reconciled[p.row_number]
        counts[outcome.kind] += 1
        rows.append(
            ImportRow(
                batch=batch,
                row_number=p.row_number,
                kind=outcome.kind,
                credit_code=(p.values.get("source_code") or p.values["credit_code"])[:60],
                name=p.values["name"][:300],
                values=p.values,
                changes=outcome.changes,
                reasons=outcome.reasons,
            )
        )
    for chunk in chunks(rows):
        ImportRow.objects.bulk_create(chunk)
    _still(
        batch.pk,
        ImportStatus.PARSING,
        status=ImportStatus.READY,
        total_rows=len(parsed),
        processed_rows=len(parsed),
        **{f"{kind}_count": counts[kind] for kind in ImportRowKind.values},
    )


def _conflict_message(batch: ImportBatch, action: str) -> str:
    if batch.status in (ImportStatus.APPLYING, ImportStatus.DONE) and batch.confirmed_by:
        when = timezone.localtime(batch.confirmed_at)
        return (
            f"该批次已由{batch.confirmed_by.display_name}于 {when:%Y-%m-%d %H:%M:%S} 确认导入"
            f"（{batch.get_status_display()}），不能{action}。"
        )
    if batch.status == ImportStatus.CANCELLED and batch.cancelled_by:
        return f"该批次已由{batch.cancelled_by.display_name}取消，不能{action}。"
    return f"该批次当前状态为“{batch.get_status_display()}”，不能{action}。"


def confirm_batch(*, batch: ImportBatch, by: User, queue_apply: Callable[[int], object]) -> ImportBatch:
    """Confirm a previewed batch (待确认 → 导入中); once that commits, ``queue_apply(batch_id)`` (the
    caller passes ``tasks.apply_import_batch.delay``).

    The claim is one conditional UPDATE, so of two confirmations at the same moment exactly one wins
    and queues the apply; the other gets ``Conflict`` naming who confirmed first. A cancelled or
    finished batch cannot be confirmed."""
    assert_may_import(by, batch.kind)
    with transaction.atomic():
        claimed = _still(
            batch.pk,
            ImportStatus.READY,
            status=ImportStatus.APPLYING,
            confirmed_by=by,
            confirmed_at=timezone.now(),
            notice="",
        )
        if not claimed:
            current = ImportBatch.objects.select_related("confirmed_by", "cancelled_by").get(pk=batch.pk)
            raise Conflict(_conflict_message(current, "再次确认"))
        transaction.on_commit(lambda: queue_apply(batch.pk))
    batch.refresh_from_db()
    return batch


def cancel_batch(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Cancel a batch that is being parsed or awaits confirmation; nothing of it is ever written."""
    assert_may_import(by, batch.kind)
    cancelled = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportStatus.PARSING, ImportStatus.READY]
    ).update(status=ImportStatus.CANCELLED, cancelled_by=by, cancelled_at=timezone.now())
    if not cancelled:
        current = ImportBatch.objects.select_related("confirmed_by", "cancelled_by").get(pk=batch.pk)
        raise Conflict(_conflict_message(current, "取消"))
    batch.refresh_from_db()
    return batch


def apply_batch(*, batch_id: int) -> None:
    """Write a confirmed batch (导入中 → 已完成) in one transaction, or nothing at all.

    A row the services refuse rolls everything back and fails the batch naming the row (失败). Rows
    whose comparison no longer holds send the batch back to 待确认 instead (see ``_apply``). Running it
    again on a batch no longer 导入中 does nothing.

    A batch of execution reports is written one filing at a time instead (``reports.apply``): each
    filing is its own transaction, so a refused one is told on its row and the others stand."""
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is not None and batch.is_report_import:
        _apply_reports(batch)
        return
    try:
        _apply(batch_id)
    except RowFailed as exc:
        _fail(
            batch_id,
            ImportStatus.APPLYING,
            f"第 {exc.row_number} 行写入失败：{exc.message.rstrip('。')}。整批已撤销，没有写入任何数据；"
            "请修正后重新上传。",
        )
    except Exception as exc:
        logger.exception("import batch %s: apply failed", batch_id)
        _fail(
            batch_id,
            ImportStatus.APPLYING,
            f"导入时发生意外错误（{exc.__class__.__name__}），整批已撤销，没有写入任何数据；请联系系统管理员。",
        )
    finally:
        progress_path(batch_id).unlink(missing_ok=True)


def _apply(batch_id: int) -> None:
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("confirmed_by")
            .filter(pk=batch_id, status=ImportStatus.APPLYING)
            .first()
        )
        if batch is None:
            return
        rows = list(batch.rows.exclude(kind=ImportRowKind.REJECTED).order_by("row_number"))
        snap = Snapshot([r.values for r in rows], lock=True)
        outcomes = reconcile_rows([(r.row_number, r.values) for r in rows], snap)
        stale = [
            (r, o) for r, o in zip(rows, outcomes, strict=True) if (r.kind, r.changes) != (o.kind, o.changes)
        ]
        if stale:
            _back_to_preview(batch, stale)
            return
        towns = TownIndex.load().towns
        written = 0
        write_progress(batch.pk, done=0, total=len(rows))
        for index, (row, outcome) in enumerate(zip(rows, outcomes, strict=True), 1):
            if outcome.kind in (ImportRowKind.NEW, ImportRowKind.CHANGED):
                try:
                    _apply_row(
                        row.values, outcome, snap, towns, by=batch.confirmed_by, source=batch.source_label
                    )
                except (ValidationError, PermissionDenied, Conflict) as exc:
                    raise RowFailed(row.row_number, _error_text(exc)) from exc
                written += 1
            if index % PROGRESS_EVERY == 0:
                write_progress(batch.pk, done=index, total=len(rows))
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE, applied_rows=written, finished_at=timezone.now()
        )


def _apply_reports(batch: ImportBatch) -> None:
    if batch.status != ImportStatus.APPLYING:
        return
    try:
        report_import.apply(
            batch, on_progress=lambda done, total: write_progress(batch.pk, done=done, total=total)
        )
    except Exception as exc:
        logger.exception("import batch %s: apply failed", batch.pk)
        _fail(
            batch.pk,
            ImportStatus.APPLYING,
            f"导入时发生意外错误（{exc.__class__.__name__}）：已登记的报告保留，其余未登记；请联系系统管理员。",
        )
    finally:
        progress_path(batch.pk).unlink(missing_ok=True)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _apply_row(values: dict, outcome: Outcome, snap: Snapshot, towns: dict[int, Town], *, by, source) -> None:
    fields = {key: values[key] for key in ("credit_code", "site_number", *FACILITY_KEYS) if key != "town"}
    fields = {k: v for k, v in fields.items() if not (k in OPTIONAL_KEYS and v == "")}
    fields["town"] = towns[values["town_id"]]
    facility, _, _ = register_facility(by=by, values=fields, source=source)
    day = date.fromisoformat
    if outcome.permit_action == "issue":
        issue_permit(
            by=by,
            facility=facility,
            number=values["permit_number"],
            management_level=values["management_level"],
            issued_on=day(values["issued_on"]),
            valid_from=day(values["valid_from"]),
            valid_until=day(values["valid_until"]),
            report_frequency=values["report_frequency"],
            application=PermitEventKind.REAPPLICATION
            if facility.pk in snap.with_permits
            else PermitEventKind.FIRST_APPLICATION,
        )
    elif outcome.permit_action == "renew":
        record_permit_event(
            by=by,
            permit=snap.permits[values["permit_number"]],
            kind=PermitEventKind.RENEWAL,
            occurred_on=day(values["issued_on"]),
            new_valid_until=day(values["valid_until"]),
            note=source,
        )
    if outcome.records_registration:
        # An empty 有效期至 keeps the registration's validity rather than clearing it.
        existing = snap.registrations.get(values["receipt_no"])
        valid_until = day(values["valid_until"]) if values["valid_until"] else None
        record_registration(
            by=by,
            facility=facility,
            receipt_no=values["receipt_no"],
            registered_on=day(values["registered_on"]),
            valid_until=valid_until or (existing.valid_until if existing else None),
        )


def _back_to_preview(batch: ImportBatch, stale: list[tuple[ImportRow, Outcome]]) -> None:
    """The registry changed after the preview: keep the fresh comparison, write nothing, and ask the
    user to confirm again what they now see."""
    for row, outcome in stale:
        row.kind, row.changes, row.reasons = outcome.kind, outcome.changes, outcome.reasons
        row.is_stale = True
    ImportRow.objects.bulk_update(
        [r for r, _ in stale], ["kind", "changes", "reasons", "is_stale"], batch_size=CHUNK
    )
    counts = dict(batch.rows.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    numbers = "、".join(str(r.row_number) for r, _ in stale[:10]) + ("等" if len(stale) > 10 else "")
    when = timezone.localtime()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.READY,
        confirmed_by=None,
        confirmed_at=None,
        notice=(
            f"{when:%Y-%m-%d %H:%M} 确认导入时发现 {len(stale)} 行（第 {numbers} 行）涉及的数据在预览之后已被修改。"
            "为避免覆盖他人的修改，本次没有写入任何数据；已按系统中的最新数据重新比对，"
            "这些行标有“预览后已变化”。请核对后再次确认。"
        ),
        **{f"{kind}_count": counts.get(kind, 0) for kind in ImportRowKind.values},
    )


# Progress ---------------------------------------------------------------------------------------------


def write_progress(batch_id: int, *, done: int, total: int) -> None:
    """Apply progress, outside the database (see the module docstring); replaced atomically."""
    path = progress_path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"done": done, "total": total}))
    os.replace(temporary, path)
