"""Excel workbooks that leave the system (every export of every app goes through here).

openpyxl's write-only mode streams rows to disk as they are appended, so a whole district's list never
sits in memory as a workbook; callers feed rows from a chunked queryset they have already scoped and
filtered (R-ORG-3): an export holds exactly what the page would list. Text that would read as a formula
stays text (CSV/formula injection), dates keep a date format.
"""

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBE4")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _cell(sheet, value):
    """A cell that shows ``value`` as typed: text that happens to start with "=" stays text, so a
    facility name can never become a formula in the clerk's Excel (CSV/formula injection)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Excel knows no time zones: the bureau's local time, as the page shows it.
        value = timezone.make_naive(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def write_workbook(title: str, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence]):
    """A temporary file holding a one-sheet workbook with a bold Chinese header row, positioned at the
    start for reading. Rows are written as they come (write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Plain values are several times faster to write than cells; only text that would read as a
        # formula, and dates (for their format), need a cell of their own.
        sheet.append(
            [
                _cell(sheet, v) if isinstance(v, date) or (isinstance(v, str) and v.startswith("=")) else v
                for v in row
            ]
        )
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_response(output, filename: str) -> FileResponse:
    """The workbook ``output`` as a download named ``filename``."""
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
