"""What the import pages read: a batch, its preview and pages of its rows, and its progress.

Every page of a batch costs a fixed number of queries however many rows it has: the preview is one
windowed query, a page of one class one query, and the batch's counters give the totals.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from permits.imports.models import ImportBatch, ImportRow, ImportRowKind, ImportStatus

PREVIEW_PER_KIND = 20
RECENT_BATCHES = 20
# The order in which the preview shows the classes.
KIND_ORDER = (ImportRowKind.NEW, ImportRowKind.CHANGED, ImportRowKind.REJECTED, ImportRowKind.UNCHANGED)


def batch_by_id(pk) -> ImportBatch:
    """The batch with its uploader, confirmer and canceller, or 404."""
    try:
        return ImportBatch.objects.select_related("created_by", "confirmed_by", "cancelled_by").get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404("未找到该导入批次。") from None


def recent_batches(limit: int = RECENT_BATCHES):
    """The latest batches with their uploaders, newest first."""
    return ImportBatch.objects.select_related("created_by")[:limit]


def preview_rows(batch: ImportBatch, *, per_kind: int) -> dict[str, list[ImportRow]]:
    """The first ``per_kind`` rows of each class, in file order, in one query (a window function
    numbers the rows within their class)."""
    ranked = (
        ImportRow.objects.filter(batch=batch)
        .annotate(rank=Window(RowNumber(), partition_by=[F("kind")], order_by=F("row_number").asc()))
        .filter(rank__lte=per_kind)
        .order_by("row_number")
    )
    grouped: dict[str, list[ImportRow]] = {kind: [] for kind in KIND_ORDER}
    for row in ranked:
        grouped[row.kind].append(row)
    return grouped


def rows_of_kind(batch: ImportBatch, kind: str, *, offset: int, limit: int) -> list[ImportRow]:
    """One page of one class, in file order (the batch's counters give the total: no COUNT query)."""
    return list(
        ImportRow.objects.filter(batch=batch, kind=kind).order_by("row_number")[offset : offset + limit]
    )


# Progress ---------------------------------------------------------------------------------------------


def progress_path(batch_id: int) -> Path:
    """Where the apply step writes its progress (``apply.write_progress``): beside the uploaded
    files, which web and worker share."""
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{batch_id}.json"


def read_progress(batch_id: int) -> dict | None:
    try:
        return json.loads(progress_path(batch_id).read_text())
    except (OSError, ValueError):
        return None


def progress_of(batch: ImportBatch) -> dict[str, Any]:
    """The batch's state for the progress bar: ``percent`` is None while the amount is unknown."""
    done = total = 0
    if batch.status == ImportStatus.PARSING:
        done, total = batch.processed_rows, batch.total_rows
        text = f"正在读取并比对：已处理 {done} 行" + (f"，共约 {total} 行" if total else "")
    elif batch.status == ImportStatus.APPLYING:
        written = read_progress(batch.pk)
        how = "逐份登记，每份报告单独生效" if batch.is_report_import else "单一事务，全部成功或全部撤销"
        if written:
            done, total = written["done"], written["total"]
            text = f"正在写入（{how}）：{done} / {total} 行"
        else:
            text = f"正在写入（{how}）…"
    else:
        done = total = batch.total_rows
        text = batch.get_status_display()
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "is_running": batch.is_running,
        "done": done,
        "total": total,
        "percent": min(100, done * 100 // total) if total else None,
        "text": text,
    }
