"""The one Excel writer every export goes through (``bureau.documents.excel``): what a cell holds after
a round trip through a real reader, whatever the row held."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bureau.documents import excel

COLUMNS = [("单位名称", 30), ("许可证有效期至", 14), ("签收时间", 18), ("问题数", 8), ("已关闭", 8)]


def read(output):
    return load_workbook(output).active


def test_the_header_is_bold_shaded_frozen_and_sized_even_with_no_rows():
    sheet = read(excel.write_workbook("排污单位", COLUMNS, []))
    assert sheet.title == "排污单位"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [[name for name, _ in COLUMNS]]
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBE4")
    assert sheet.freeze_panes == "A2"
    assert round(sheet.column_dimensions["A"].width) == 31 and round(sheet.column_dimensions["B"].width) == 15


def test_each_value_keeps_its_kind_and_dates_their_format():
    signed = datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in the bureau
    rows = [
        ["甲镇涂料厂", date(2027, 5, 31), signed, Decimal("2"), True],
        ["", None, None, 0, False],
    ]
    sheet = read(excel.write_workbook("t", COLUMNS, rows))
    first, second = sheet[2], sheet[3]
    assert first[0].value == "甲镇涂料厂"
    assert first[1].value == datetime(2027, 5, 31) and first[1].number_format == excel.DATE_FORMAT
    assert first[2].value == datetime(2026, 3, 2, 9, 30) and first[2].number_format == excel.DATETIME_FORMAT
    assert (first[3].value, first[4].value) == (2, True)
    assert [cell.value for cell in second] == [None, None, None, 0, False]


def test_text_stays_text_and_loses_only_the_characters_excel_cannot_hold():
    rows = [['=HYPERLINK("http://evil.invalid","点我")'], ["+86 139"], ["王\x07甲\x1f镇"], ["3.50"]]
    sheet = read(excel.write_workbook("t", [("文字", 20)], rows))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://evil.invalid","点我")',
        "+86 139",
        "王甲镇",
        "3.50",
    ]


def test_every_row_is_written_past_the_rows_read_ahead():
    count = excel.SAMPLE_ROWS * 2 + 7
    sheet = read(excel.write_workbook("t", [("序号", 8)], ([n] for n in range(count))))
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == list(range(count))


def test_two_columns_with_one_name_are_refused_rather_than_merged():
    with pytest.raises(ValueError, match="重复"):
        excel.write_workbook("t", [("名称", 10), ("名称", 10)], [["a", "b"]])
