"""The Excel layout of the execution-report import (R-REP-1): the columns of the national permit
platform's 执行报告 export, one row per filing, or one row per outlet and pollutant of a filing when the
export lists its actual emissions; and the template workbook users download.

Columns (the header row may sit below title rows, within the first ten rows; the order does not
matter; other columns are ignored):

==================  ==========  ========================================================================
列名                何时必填    格式与含义
==================  ==========  ========================================================================
许可证编号          每行        排污许可证编号，须为系统中已有的许可证
单位名称            选填        仅用于预览时核对
报告类型            选填        月度 / 季度 / 年度；留空时由报告周期判断
报告周期            每行        2026-03、2026年3月、2026-Q1、2026年第1季度、2026年度
提交时间/提交日期   每行        在平台提交的日期（日期或日期时间）
报告编号            选填        平台上的报告编号；同一许可证、同一报告期、同一编号的各行为一份报告
排放口编号          选填        如 DA001，须为该许可证的排放口
污染物              选填        与许可证的写法一致，如 颗粒物
实际排放浓度        选填        数字，不为负
实际排放量（吨）    选填        数字，不为负
==================  ==========  ========================================================================
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from permits.imports.parse import SheetLayout
from permits.imports.template import NOTES_SHEET_TITLE


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: str
    explanation: str
    example: str | date | datetime


ALWAYS = "每行必填"
OPTIONAL = "选填"
COLUMNS: tuple[Column, ...] = (
    Column(
        "permit_number",
        "许可证编号",
        ("排污许可证编号",),
        ALWAYS,
        "排污许可证编号，须为系统中已有的许可证。",
        "91310107MA1G8XY21P001V",
    ),
    Column(
        "name",
        "单位名称",
        (),
        OPTIONAL,
        "仅在预览中显示，便于核对；不修改系统中的单位名称。",
        "上海示例涂料有限公司",
    ),
    Column(
        "period_type",
        "报告类型",
        ("报告类别", "执行报告类型"),
        OPTIONAL,
        "月度、季度或年度；留空时由报告周期判断，填写时须与报告周期一致。",
        "月度",
    ),
    Column(
        "period",
        "报告周期",
        ("报告期", "报告时段"),
        ALWAYS,
        "月度如 2026-03 或 2026年3月；季度如 2026-Q1 或 2026年第1季度；年度如 2026 或 2026年度。",
        "2026-03",
    ),
    Column(
        "received",
        "提交时间",
        ("提交日期", "报告提交时间", "报告提交日期"),
        ALWAYS,
        "在平台提交报告的日期或日期时间；须在报告期结束之后，不晚于今天。“提交日期”列同样可以。",
        datetime(2026, 4, 10, 15, 30),
    ),
    Column(
        "platform_ref",
        "报告编号",
        ("平台报告编号", "执行报告编号"),
        OPTIONAL,
        "平台上的报告编号。已登记过同一编号的报告不会重复登记；编号不同的为修改后的执行报告（新版本）。",
        "ZXBG-2026-0001",
    ),
    Column("outlet", "排放口编号", ("排放口编码",), OPTIONAL, "如 DA001，须为该许可证的排放口。", "DA001"),
    Column(
        "pollutant", "污染物", ("污染物种类", "污染物名称"), OPTIONAL, "与许可证载明的写法一致。", "颗粒物"
    ),
    Column(
        "concentration",
        "实际排放浓度",
        ("实际排放浓度（mg/m³）", "实际排放浓度(mg/m³)", "实际排放浓度（mg/L）", "实际排放浓度(mg/L)"),
        OPTIONAL,
        "数字，不为负；单位与许可排放浓度限值相同。",
        "12.5",
    ),
    Column(
        "quantity",
        "实际排放量（吨）",
        ("实际排放量(吨)", "实际排放量", "实际排放量（t）", "实际排放量(t)"),
        OPTIONAL,
        "数字，不为负。浓度与排放量至少填一项。",
        "0.215",
    ),
)
LABELS: dict[str, str] = {c.key: c.header for c in COLUMNS}
HEADERS: dict[str, str] = {header: c.key for c in COLUMNS for header in (c.header, *c.aliases)}
LAYOUT = SheetLayout(
    headers=HEADERS,
    anchors=("许可证编号", "排污许可证编号"),
    required=("permit_number", "period", "received"),
    labels=LABELS,
    no_header_message="没有找到列名行：文件前 10 行中应有一行列名（许可证编号、报告周期、提交时间……）。请使用导入模板。",
)
DATA_SHEET_TITLE = "执行报告"


def build_template() -> bytes:
    """The template workbook: the headers and two example rows (one filing reporting two pollutants
    at one outlet) on the first sheet, and on a second sheet 说明 what each column means."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9EAD3")
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    second = {"pollutant": "二氧化硫", "concentration": "35", "quantity": "0.6"}
    sheet.append([second.get(c.key, c.example) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 6)
        if isinstance(column.example, date):
            for row in (2, 3):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET_TITLE)
    notes.append(["列名", "是否必填", "说明", "也接受的列名"])
    for column in COLUMNS:
        notes.append([column.header, column.required, column.explanation, "、".join(column.aliases)])
    notes.append([])
    for index, text in enumerate(
        (
            "可直接上传全国排污许可证管理信息平台导出的执行报告文件：列名行可在前 10 行内，列的顺序不限，多余的列不读取。",
            "同一许可证、同一报告期、同一报告编号（无编号时为同一提交日期）的各行是同一份报告，每行一个排放口和污染物。",
            "上传后先预览：新增、无变化（已登记）、新版本（修改后的执行报告）、不予导入（附原因）；确认后才登记。",
        )
    ):
        notes.append(["通用说明" if index == 0 else "", "", text, ""])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in (("A", 18), ("B", 12), ("C", 80), ("D", 36)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
