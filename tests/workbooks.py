"""Reading the Excel exports the way a clerk does: the downloaded workbook's rows."""

from io import BytesIO

from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response) -> list[list]:
    """The rows of a downloaded workbook (header first); the response must be the file itself."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    """The values of the column named ``header``, below the header row."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
