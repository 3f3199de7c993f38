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
4. ``apply_batch`` (``permits.imports.apply``) writes the rows of a confirmed batch.

Faults (README “后台任务的可靠性”): a broker that cannot be reached when a step is queued fails the
new batch visibly, or puts a confirmed one back to 待确认, and raises ``QueueUnavailable`` with the
Chinese message for the page. Each step ``claim``s the batch first (attempts, start time; a heartbeat
file while it runs), so a message delivered twice runs once; ``sweep_stuck_batches`` (every 2 minutes)
queues again, or fails visibly, a step whose worker died; ``cancel_batch`` lets the owner end one.

Progress: parsing writes its counters to the batch row (short autocommit updates); the apply step
writes a file instead (``permits.imports.apply``).
"""

import logging
import os
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bureau import background
from bureau.access import in_sections
from bureau.background import BUSY, CLAIMED, EXHAUSTED, GONE, QueueUnavailable
from bureau.errors import Conflict
from bureau.models import SectionCode, User
from permits.imports import reports as report_import
from permits.imports.models import ImportBatch, ImportKind, ImportRow, ImportRowKind, ImportStatus
from permits.imports.parse import (
    REGISTRY_LAYOUT,
    ImportFileError,
    ParsedRow,
    TownIndex,
    mark_duplicates,
    parse_row,
)
from permits.imports.reconcile import Outcome, Snapshot, chunks, reconcile_rows
from permits.imports.sheets import read_rows, update_if_status

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
    batch = ImportBatch(kind=kind, created_by=by, original_name=name[:255], heartbeat_at=timezone.now())
    batch.file.save(name, upload, save=False)
    batch.save()
    transaction.on_commit(lambda: _queue_parse(batch.pk, queue_parse))
    return batch


def _queue_parse(batch_id: int, queue_parse: Callable[[int], object]) -> None:
    """Queue the parse once the batch is committed. A broker that cannot be reached fails the batch
    visibly (never 解析中 for ever) and raises ``QueueUnavailable`` for the page to say so."""
    try:
        queue_parse(batch_id)
    except Exception as exc:
        logger.warning("import batch %s: the parse could not be queued: %s", batch_id, exc)
        fail_batch(
            batch_id,
            ImportStatus.PARSING,
            "后台任务队列暂时不可用，未能开始解析，没有写入任何数据；请稍后重新上传该文件。",
        )
        raise QueueUnavailable(
            f"{background.QUEUE_DOWN}；您上传的文件未丢失（批次 {batch_id} 已保存，因未能开始解析记为失败），"
            "没有写入任何数据，请稍后重新上传。"
        ) from exc


def fail_batch(batch_id: int, expected: str, message: str) -> None:
    update_if_status(batch_id, expected, status=ImportStatus.FAILED, error=message, finished_at=timezone.now())


def claim(batch_id: int, status: str) -> str:
    """Claim a batch's background step for this run (see ``bureau.background``): CLAIMED (attempts + 1),
    BUSY (another run claimed it and still shows life: retry after ``JOB_STALE_SECONDS``), GONE (no
    longer in ``status``: done, cancelled, failed) or EXHAUSTED (tried too often: failed visibly here)."""
    row = ImportBatch.objects.filter(pk=batch_id).values("status", "attempts").first()
    if row is None or row["status"] != status:
        return GONE
    # Alive: another run's heartbeat is recent (a finished run removed its file; a killed one's goes stale).
    if row["attempts"] and background.is_beating(f"import-{batch_id}"):
        return BUSY
    if row["attempts"] >= settings.JOB_MAX_ATTEMPTS:
        fail_batch(batch_id, status, _interrupted_message(status, row["attempts"]))
        return EXHAUSTED
    now = timezone.now()
    claimed = ImportBatch.objects.filter(pk=batch_id, status=status, attempts=row["attempts"]).update(
        attempts=F("attempts") + 1, started_at=now, heartbeat_at=now
    )
    return CLAIMED if claimed else BUSY


def _interrupted_message(status: str, attempts: int) -> str:
    if status == ImportStatus.PARSING:
        return (
            f"后台解析已中断 {attempts} 次（处理进程意外退出或超时），已停止，没有写入任何数据。"
            "请稍后重新上传；如反复出现请联系系统管理员。"
        )
    return (
        f"后台写入已中断 {attempts} 次（处理进程意外退出或超时），已停止；整批已撤销，没有写入任何数据。"
        "请稍后重新上传并确认；如反复出现请联系系统管理员。"
    )


def time_limit_message(step: str) -> str:
    return (
        f"{step}超过 {settings.IMPORT_TIME_LIMIT_MINUTES} 分钟仍未完成，已停止，没有写入任何数据；"
        "请把文件分成几个较小的文件导入，或联系系统管理员。"
    )


def parse_batch(*, batch_id: int) -> str:
    """Parse and compare a batch's file (解析中 → 待确认, or 失败 with the reason). Writes the batch and
    its rows only. Running it again on a batch no longer 解析中 (cancelled, parsed) does nothing; a
    run while another live run holds the batch does nothing and returns BUSY (the task retries)."""
    outcome = claim(batch_id, ImportStatus.PARSING)
    if outcome != CLAIMED:
        return outcome
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        with background.heartbeat(f"import-{batch_id}"):
            if batch.is_report_import:
                report_import.parse_into(batch)
            else:
                _parse(batch)
    except SoftTimeLimitExceeded:
        fail_batch(batch_id, ImportStatus.PARSING, time_limit_message("解析"))
    except ImportFileError as exc:
        fail_batch(batch_id, ImportStatus.PARSING, str(exc))
    except OSError as exc:
        logger.exception("import batch %s: the uploaded file cannot be opened", batch_id)
        fail_batch(
            batch_id,
            ImportStatus.PARSING,
            f"无法打开上传的文件（{exc.__class__.__name__}）：web 与 worker 须共用同一个 MEDIA_ROOT，"
            "请联系系统管理员。",
        )
    except Exception as exc:
        logger.exception("import batch %s: parsing failed", batch_id)
        fail_batch(
            batch_id,
            ImportStatus.PARSING,
            f"解析时发生意外错误（{exc.__class__.__name__}），请联系系统管理员。",
        )
    return CLAIMED


def _parse(batch: ImportBatch) -> None:
    ImportRow.objects.filter(batch=batch).delete()  # a re-delivered task starts over
    towns = TownIndex.load()
    parsed = read_rows(batch, REGISTRY_LAYOUT, lambda row_number, raw: parse_row(row_number, raw, towns))
    if parsed is None:
        return  # cancelled meanwhile
    if not parsed:
        raise ImportFileError("文件中没有数据行：列名行下面应每行一家单位。")
    mark_duplicates(parsed)
    checked = [p for p in parsed if not p.errors]
    snap = Snapshot.of_rows([p.values for p in checked])
    reconciled = dict(
        zip(
            (p.row_number for p in checked),
            reconcile_rows([(p.row_number, p.values) for p in checked], snap),
            strict=True,
        )
    )

    def outcome_of(p: ParsedRow) -> Outcome:
        return Outcome(ImportRowKind.REJECTED, reasons=p.errors) if p.errors else reconciled[p.row_number]

    counts = Counter(outcome_of(p).kind for p in parsed)
    # Made one chunk at a time as they are written: 100,000 model instances held at once were a fifth
    # of the worker's peak.
    for chunk in chunks(parsed):
        ImportRow.objects.bulk_create([_preview_row(batch, p, outcome_of(p)) for p in chunk])
    update_if_status(
        batch.pk,
        ImportStatus.PARSING,
        status=ImportStatus.READY,
        total_rows=len(parsed),
        processed_rows=len(parsed),
        **{f"{kind}_count": counts[kind] for kind in ImportRowKind.values},
    )


def _preview_row(batch: ImportBatch, p: ParsedRow, outcome: Outcome) -> ImportRow:
    """What the preview shows of one row of the file, and what the apply compares again."""
    return ImportRow(
        batch=batch,
        row_number=p.row_number,
        kind=outcome.kind,
        credit_code=(p.values.get("source_code") or p.values["credit_code"])[:60],
        name=p.values["name"][:300],
        values=p.values,
        changes=outcome.changes,
        reasons=outcome.reasons,
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
        claimed = update_if_status(
            batch.pk,
            ImportStatus.READY,
            status=ImportStatus.APPLYING,
            confirmed_by=by,
            confirmed_at=timezone.now(),
            notice="",
            attempts=0,
            started_at=None,
            heartbeat_at=timezone.now(),
        )
        if not claimed:
            current = ImportBatch.objects.select_related("confirmed_by", "cancelled_by").get(pk=batch.pk)
            raise Conflict(_conflict_message(current, "再次确认"))
        transaction.on_commit(lambda: _queue_apply(batch.pk, queue_apply))
    batch.refresh_from_db()
    return batch


def _queue_apply(batch_id: int, queue_apply: Callable[[int], object]) -> None:
    """Queue the apply once the confirmation is committed. A broker that cannot be reached puts the
    batch back as it was (待确认, unconfirmed) and raises ``QueueUnavailable`` for the page to say so."""
    try:
        queue_apply(batch_id)
    except Exception as exc:
        logger.warning("import batch %s: the apply could not be queued: %s", batch_id, exc)
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING, attempts=0).update(
            status=ImportStatus.READY, confirmed_by=None, confirmed_at=None, heartbeat_at=None
        )
        raise QueueUnavailable(
            f"{background.QUEUE_DOWN}；该批次未能开始写入，仍为“待确认”，记录保持原样，没有写入任何数据。"
        ) from exc


def is_stuck(batch: ImportBatch, *, now=None) -> bool:
    """Whether a batch being parsed or written has shown no life for ``JOB_STALE_SECONDS`` (its worker
    died or its message was lost): the sweep queues it again, and its owner may cancel it."""
    key = f"import-{batch.pk}"
    return batch.is_running and background.is_silent(key, batch.started_at, batch.heartbeat_at, now=now)


def sweep_stuck_batches(
    *, queue_parse: Callable[[int], object], queue_apply: Callable[[int], object], now=None
) -> dict[str, int]:
    """Every 2 minutes (``permits.tasks.sweep_stuck_imports``): a batch being parsed or written whose
    worker shows no life for ``JOB_STALE_SECONDS`` (a step never started: for its time limit) is queued
    again, or failed visibly with the reason in Chinese once it was tried ``JOB_MAX_ATTEMPTS`` times.
    Safe to run twice: a batch is taken by a conditional update on what was read."""
    now = now or timezone.now()
    queued_limit = timedelta(minutes=settings.IMPORT_TIME_LIMIT_MINUTES)
    counts: Counter = Counter()
    running = ImportBatch.objects.filter(status__in=[ImportStatus.PARSING, ImportStatus.APPLYING])
    for batch in running.only("pk", "status", "attempts", "started_at", "heartbeat_at"):
        key = f"import-{batch.pk}"
        if batch.attempts == 0:
            if not background.is_silent(key, batch.heartbeat_at, now=now, after=queued_limit):
                continue
        elif not background.is_silent(key, batch.started_at, batch.heartbeat_at, now=now):
            continue
        outcome = background.requeue_or_fail(
            f"import batch {batch.pk} ({batch.status})",
            batch.attempts,
            fail=partial(
                fail_batch, batch.pk, batch.status, _interrupted_message(batch.status, batch.attempts)
            ),
            take=partial(
                ImportBatch.objects.filter(
                    pk=batch.pk, status=batch.status, attempts=batch.attempts, heartbeat_at=batch.heartbeat_at
                ).update,
                heartbeat_at=now,
            ),
            queue=partial(queue_parse if batch.status == ImportStatus.PARSING else queue_apply, batch.pk),
        )
        if outcome:
            counts[outcome] += 1
    return dict(counts)


def may_cancel(batch: ImportBatch, user: User) -> bool:
    """A batch being parsed or awaiting confirmation: any importer of its kind. A stuck apply: the
    uploader, the confirmer or the administrator."""
    if batch.status in (ImportStatus.PARSING, ImportStatus.READY):
        return True
    owners = {batch.created_by_id, batch.confirmed_by_id}
    return is_stuck(batch) and (user.pk in owners or user.is_superuser)


def cancel_batch(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Cancel a batch that is being parsed or awaits confirmation, or whose apply is stuck (no sign of
    life for ``JOB_STALE_SECONDS``; its uploader, confirmer or the administrator); nothing of it is
    ever written: a stuck apply that comes back to life finds the batch cancelled and rolls back."""
    assert_may_import(by, batch.kind)
    batch.refresh_from_db()
    states = [ImportStatus.PARSING, ImportStatus.READY]
    if batch.status == ImportStatus.APPLYING and may_cancel(batch, by):
        states.append(ImportStatus.APPLYING)
    cancelled = ImportBatch.objects.filter(pk=batch.pk, status__in=states).update(
        status=ImportStatus.CANCELLED, cancelled_by=by, cancelled_at=timezone.now()
    )
    if not cancelled:
        current = ImportBatch.objects.select_related("confirmed_by", "cancelled_by").get(pk=batch.pk)
        raise Conflict(_conflict_message(current, "取消"))
    batch.refresh_from_db()
    return batch
