"""Import files bound memory (permits/imports/parse.py): a workbook too large once unpacked, or whose
sheet declares too many rows, columns or cells, or holds too many shared strings, is refused with a
Chinese message before openpyxl loads it; a single over-long value is a row error. Caps are set small
through the settings fixture; the workbooks are tiny and crafted."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from permits.imports.parse import ImportFileError, TownIndex, open_sheet, parse_row
from permits.imports.reports import parse_report_row
from tests.factories.imports import HEADERS, key_row, workbook


def _book(rows: int, columns: int) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for r in range(rows):
        sheet.append([r * columns + c for c in range(columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _bomb(megabytes: int, member: str = "xl/worksheets/sheet1.xml") -> io.BytesIO:
    """A zip of a few kilobytes whose one member unpacks to ``megabytes`` of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, b"<worksheet>" + b" " * (megabytes * 1024 * 1024) + b"</worksheet>")
    buffer.seek(0)
    return buffer


def _shared_strings(count: int) -> io.BytesIO:
    """A workbook's shared strings as Excel writes them: the header declares how many there are."""
    buffer = io.BytesIO()
    items = "".join(f"<si><t>文字{i}</t></si>" for i in range(count))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{count}">{items}</sst>',
        )
    buffer.seek(0)
    return buffer


def _refusal(fileobj) -> str:
    with pytest.raises(ImportFileError) as refused, open_sheet(fileobj):
        pass
    return str(refused.value)


@pytest.mark.parametrize(
    "caps, fileobj, message",
    [
        ({"IMPORT_MAX_ROWS": 5}, lambda: _book(6, 3), "超过 5 行"),
        ({"IMPORT_MAX_COLUMNS": 4}, lambda: _book(2, 5), "超过 4 列"),
        ({"IMPORT_MAX_CELLS": 20}, lambda: _book(5, 5), "超过 20 个单元格"),
        ({"IMPORT_MAX_SHARED_STRINGS": 10}, lambda: _shared_strings(11), "不同的文字超过 10 条"),
        ({"IMPORT_MAX_TOTAL_MB": 2}, lambda: _bomb(3, "xl/media/padding.bin"), "解压后超过 2 MB"),
        ({"IMPORT_MAX_SHEET_MB": 1}, lambda: _bomb(2), "一个工作表解压后超过 1 MB"),
        ({"IMPORT_MAX_SHARED_STRINGS_MB": 1}, lambda: _bomb(2, "xl/sharedStrings.xml"), "超过 1 MB"),
    ],
)
def test_a_workbook_over_a_cap_is_refused_before_it_is_loaded(settings, caps, fileobj, message):
    for name, value in caps.items():
        setattr(settings, name, value)

    refusal = _refusal(fileobj())

    assert message in refusal
    assert refusal.startswith("文件过大，无法导入")


def test_a_zip_bomb_is_refused_without_unpacking_it(settings):
    # given a 40 KB file that unpacks to 100 MB, with a 64 MB cap
    settings.IMPORT_MAX_TOTAL_MB = 64
    bomb = _bomb(100)
    assert len(bomb.getvalue()) < 200 * 1024

    assert "解压后超过 64 MB" in _refusal(bomb)


def test_a_workbook_within_the_caps_is_read(settings):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 3, len(HEADERS)

    with open_sheet(io.BytesIO(workbook([key_row(1), key_row(2)]))) as sheet:
        assert [number for number, _ in sheet.rows()] == [2, 3]


def test_a_file_that_is_not_a_workbook_gets_the_readers_message():
    assert "无法读取该文件" in _refusal(io.BytesIO(b"not a zip at all"))


def test_an_over_long_value_is_a_row_error_not_an_exception():
    raw = {"name": "长" * 10_000, "address": "址" * 10_000, "permit_number": "9" * 10_000}

    parsed = parse_row(2, raw, TownIndex([]))

    assert any(error.startswith("“单位名称”超过") for error in parsed.errors), parsed.errors
    assert any("超过" in error and "地址" in error for error in parsed.errors), parsed.errors


def test_an_over_long_value_in_an_execution_report_row_is_a_row_error():
    raw = {"pollutant": "污" * 500, "platform_ref": "R" * 500, "outlet": "DA001", "concentration": "1"}

    parsed = parse_report_row(2, raw)

    assert sum("超过" in error for error in parsed.errors) == 2, parsed.errors
