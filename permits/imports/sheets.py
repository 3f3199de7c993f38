"""Reading an uploaded batch's sheet, row by row, with its progress on the batch: what the registry
import (``services``) and the execution-report import (``reports``) share of their first step."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

from permits.imports.models import ImportBatch, ImportStatus
from permits.imports.parse import ImportFileError, SheetLayout, open_sheet

MAX_ROWS = settings.IMPORT_ROWS_PER_FILE  # env IMPORT_ROWS_PER_FILE (README, 导入文件的上限)
PROGRESS_EVERY = 200

Row = TypeVar("Row")


def update_if_status(batch_id: int, expected: str, /, **fields) -> bool:
    """Update the batch only while its status is ``expected``; whether it was."""
    return ImportBatch.objects.filter(pk=batch_id, status=expected).update(**fields) == 1


def read_rows(
    batch: ImportBatch, layout: SheetLayout, parse_one: Callable[[int, dict[str, Any]], Row]
) -> list[Row] | None:
    """``parse_one(row number, cells by column key)`` of each data row of the batch's file, in order;
    None when the batch was cancelled meanwhile; ImportFileError for a file that cannot be read or has
    more than ``MAX_ROWS`` rows. The sheet (held by calamine, about as large again as the rows) is let
    go on return, before the caller compares the rows."""
    rows: list[Row] = []
    with batch.file.open("rb") as fileobj, open_sheet(fileobj, layout) as sheet:
        estimate = sheet.estimated_rows
        update_if_status(batch.pk, ImportStatus.PARSING, total_rows=estimate)
        for row_number, raw in sheet.rows():
            rows.append(parse_one(row_number, raw))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"文件超过 {MAX_ROWS} 行，请分成几个文件导入。")
            if len(rows) % PROGRESS_EVERY == 0:
                done = len(rows)
                if not update_if_status(
                    batch.pk, ImportStatus.PARSING, processed_rows=done, total_rows=max(estimate, done)
                ):
                    return None
    return rows
