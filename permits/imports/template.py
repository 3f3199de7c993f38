"""The Excel layout of the facility import: the columns of the national permit platform's export
(全国排污许可证管理信息平台), one row per facility, and the template workbook users download.

Columns (the first row of the sheet names them; the order does not matter, other columns are ignored;
the header row may sit below a title row, within the first ten rows):

=================  ===============================  ==================================================
列名               何时必填                          格式与含义
=================  ===============================  ==================================================
污染源编码         与下两列三选一                    21 位：统一社会信用代码 + 3 位污染源序号；系统按它认定同一污染源
统一社会信用代码   未填污染源编码时                  18 位，GB 32100-2015 校验位；认定同一单位
污染源序号         一个单位有多个污染源时            3 位，如 001、002；也可由许可证编号前 21 位给出
单位名称           每行                              不超过 200 字
生产经营场所地址   选填                              留空表示不修改系统中的地址
所属街镇           每行                              本区街镇（园区）的名称或代码
行业类别代码       每行                              国民经济行业分类代码，2–4 位数字，如 2641
行业类别           每行                              行业名称，如 涂料制造
管理类别           每行                              重点管理 / 简化管理 / 登记管理
联系人             选填                              留空表示不修改
联系电话           选填                              留空表示不修改
许可证编号         重点管理、简化管理                登记管理的单位不填
发证日期           重点管理、简化管理                日期，如 2024-03-15
有效期起           重点管理、简化管理                日期
有效期至           重点管理、简化管理；登记管理选填  许可证有效期至；登记管理时为登记有效期至
执行报告频次       重点管理、简化管理                月度 / 季度 / 年度
登记回执编号       登记管理                          重点、简化管理的单位不填
登记日期           登记管理                          日期
=================  ===============================  ==================================================

Dates may be Excel dates or text such as 2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日 or 20240315.
"""

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ALWAYS = "每行必填"
OPTIONAL = "选填"
PERMITTED = "重点管理、简化管理必填"
REGISTERED = "登记管理必填"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: str
    explanation: str
    example: str | date


SITE = "污染源编码，或统一社会信用代码（加污染源序号），或许可证编号，三者至少填一"
COLUMNS: tuple[Column, ...] = (
    Column(
        "source_code",
        "污染源编码",
        SITE,
        "21 位：统一社会信用代码（18 位）+ 污染源序号（3 位），与全国排污许可证管理信息平台许可证编号的前 21 位相同。"
        "系统按此编码认定同一个污染源（厂区）：已有的被更新，不会重复建档。",
        "91310107MA1G8XY21P001",
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        SITE,
        "18 位，按 GB 32100-2015 校验第 18 位；认定同一家单位。未填污染源编码时必填（或由许可证编号前 18 位给出）。",
        "91310107MA1G8XY21P",
    ),
    Column(
        "site_number",
        "污染源序号",
        OPTIONAL,
        "同一单位的第几个污染源（厂区），3 位数字，如 001、002。同一单位在不同地点的厂区各占一行、序号不同，"
        "是不同的污染源。留空时按许可证编号第 19–21 位；也没有许可证编号的，新单位记为 001，"
        "已有单位只有一个污染源时即为该污染源，有多个时须填写。",
        "001",
    ),
    Column("name", "单位名称", ALWAYS, "营业执照上的名称，不超过 200 字。", "上海示例涂料有限公司"),
    Column("address", "生产经营场所地址", OPTIONAL, "留空表示不修改系统中已有的地址。", "示例路 100 号"),
    Column("town", "所属街镇", ALWAYS, "本区街镇（工业园区）的名称或代码，须与系统中的名录一致。", ""),
    Column(
        "industry_code",
        "行业类别代码",
        ALWAYS,
        "国民经济行业分类代码，2–4 位数字（如 2641）；可带门类字母或名称（C2641、C2641 涂料制造），"
        "系统只保留数字。据此标记重点行业。",
        "2641",
    ),
    Column("industry_name", "行业类别", ALWAYS, "行业名称，不超过 100 字。", "涂料制造"),
    Column(
        "management_level",
        "管理类别",
        ALWAYS,
        "重点管理、简化管理或登记管理。重点、简化管理填写许可证各列，登记管理填写登记各列。",
        "重点管理",
    ),
    Column("contact_person", "联系人", OPTIONAL, "留空表示不修改。", "张三"),
    Column("contact_phone", "联系电话", OPTIONAL, "留空表示不修改。", "021-52500000"),
    Column(
        "permit_number",
        "许可证编号",
        PERMITTED,
        "系统中尚无此编号时登记为新许可证；已有时与系统记录比对，有效期至延后的按“延续”登记。登记管理的单位不填。"
        "编号前 21 位为污染源编码（平台编号如 91310107MA1G8XY21P001V）。",
        "91310107MA1G8XY21P001V",
    ),
    Column(
        "issued_on",
        "发证日期",
        PERMITTED,
        "日期，如 2024-03-15；延续时为延续后的发证日期。",
        date(2024, 3, 15),
    ),
    Column("valid_from", "有效期起", PERMITTED, "日期，不早于发证日期。", date(2024, 3, 15)),
    Column(
        "valid_until",
        "有效期至",
        f"{PERMITTED}；登记管理选填",
        "日期，晚于有效期起；登记管理的单位填写时为登记有效期至。",
        date(2029, 3, 14),
    ),
    Column("report_frequency", "执行报告频次", PERMITTED, "月度、季度或年度。", "季度"),
    Column(
        "receipt_no",
        "登记回执编号",
        REGISTERED,
        "排污登记回执上的编号；重点、简化管理的单位不填。",
        "",
    ),
    Column("registered_on", "登记日期", REGISTERED, "日期，如 2023-06-01。", ""),
)
HEADERS: dict[str, str] = {c.header: c.key for c in COLUMNS}
LABELS: dict[str, str] = {c.key: c.header for c in COLUMNS}
# Without these columns no row can be read; the others may be absent from a file that has no use
# for them (say, a file of registered units only).
REQUIRED_HEADERS = ("单位名称", "所属街镇", "行业类别代码", "行业类别", "管理类别")
# At least one of these names the site (R-FAC-1); the header row is found by them.
SITE_HEADERS = ("污染源编码", "统一社会信用代码", "许可证编号")
DATA_SHEET_TITLE = "排污单位"
NOTES_SHEET_TITLE = "说明"


def build_template(*, town_names: list[str]) -> bytes:
    """The template workbook: the headers and one example row on the first sheet, and on a second
    sheet 说明 what each column means and when it is required, with the district's towns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET_TITLE
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9EAD3")
    sheet.append([c.header for c in COLUMNS])
    example_town = town_names[0] if town_names else "（本区街镇名称）"
    sheet.append([example_town if c.key == "town" else c.example for c in COLUMNS])
    for index, column in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 4)
        if isinstance(column.example, date):
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET_TITLE)
    notes.append(["列名", "是否必填", "说明", "示例"])
    for column in COLUMNS:
        example = column.example.isoformat() if isinstance(column.example, date) else column.example
        notes.append([column.header, column.required, column.explanation, example])
    notes.append([])
    notes.append(["通用说明", "", "每行一家单位；第一行为列名，列的顺序不限，多余的列不读取。", ""])
    notes.append(["", "", "日期可为 Excel 日期，或 2024-03-15、2024/3/15、2024年3月15日 等文字。", ""])
    notes.append(
        ["", "", "上传后先预览：新增、变更（原值 → 新值）、无变化、不予导入（附原因）；确认后才写入。", ""]
    )
    notes.append(["可填写的街镇", "", "、".join(town_names) or "（系统中尚无街镇）", ""])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in (("A", 18), ("B", 30), ("C", 80), ("D", 26)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
