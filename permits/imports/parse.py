"""Reading the rows of an import file and checking each one (R-FAC-1). No database writes, and no
reads beyond the district's towns.

``open_sheet`` reads the workbook and finds its header row; ``parse_row`` checks one row on its own
and normalises its values (dates as ISO text, codes for choices); ``mark_duplicates`` rejects rows that
share a permit or receipt number within the file. ``permits.imports.reconcile`` then compares the
checked rows with the registry and rejects rows that resolve to one site. The columns are those of
``permits.imports.template``.
"""

import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import python_calamine
from django.conf import settings
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel

from bureau.models import Town
from permits import rules
from permits.imports.template import HEADERS, LABELS, NOTES_SHEET_TITLE, REQUIRED_HEADERS, SITE_HEADERS
from permits.models import Facility, ManagementLevel, Permit, Registration, ReportFrequency

HEADER_SEARCH_ROWS = 10

LEVELS = {
    "重点管理": ManagementLevel.KEY,
    "重点": ManagementLevel.KEY,
    "简化管理": ManagementLevel.SIMPLIFIED,
    "简化": ManagementLevel.SIMPLIFIED,
    "登记管理": ManagementLevel.REGISTERED,
    "登记": ManagementLevel.REGISTERED,
}
PERMIT_LEVELS = (ManagementLevel.KEY, ManagementLevel.SIMPLIFIED)
FREQUENCIES = {
    **dict.fromkeys(("月度", "月", "月报", "每月"), ReportFrequency.MONTHLY),
    **dict.fromkeys(("季度", "季", "季报", "每季度"), ReportFrequency.QUARTERLY),
    **dict.fromkeys(("年度", "年", "年报", "每年"), ReportFrequency.ANNUAL),
}
DATE_KEYS = ("issued_on", "valid_from", "valid_until", "registered_on")
PERMIT_KEYS = ("permit_number", "issued_on", "valid_from", "valid_until", "report_frequency")
REGISTRATION_KEYS = ("receipt_no", "registered_on")
# Facility fields the import compares and writes; an empty optional cell leaves the field alone.
FACILITY_KEYS = (
    "name",
    "address",
    "town",
    "industry_code",
    "industry_name",
    "management_level",
    "contact_person",
    "contact_phone",
)
OPTIONAL_KEYS = frozenset({"address", "contact_person", "contact_phone"})
MAX_LENGTHS = {
    **{
        key: Facility._meta.get_field(key).max_length
        for key in ("name", "address", "industry_name", "contact_person", "contact_phone")
    },
    "permit_number": Permit._meta.get_field("number").max_length,
    "receipt_no": Registration._meta.get_field("receipt_no").max_length,
}
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


# Reading the workbook ---------------------------------------------------------------------------------


def _header_text(value: Any) -> str:
    text = re.sub(r"[\s*＊]", "", str(value or ""))
    return re.sub(r"[（(](必填|选填)[）)]$", "", text)


@dataclass(frozen=True)
class SheetLayout:
    """The columns of one kind of import file: ``headers`` maps each accepted header (aliases
    included) to its key; the header row is the first row, within the first ten, that has one of the
    ``anchors``; without a column for each of ``required`` (keys) no row can be read."""

    headers: dict[str, str]
    anchors: tuple[str, ...]
    required: tuple[str, ...]
    labels: dict[str, str]
    no_header_message: str


REGISTRY_LAYOUT = SheetLayout(
    headers=HEADERS,
    anchors=SITE_HEADERS,
    required=tuple(HEADERS[h] for h in REQUIRED_HEADERS),
    labels=LABELS,
    no_header_message=(
        "没有找到列名行：文件前 10 行中应有一行列名（污染源编码或统一社会信用代码、单位名称……）。请使用导入模板。"
    ),
)


@dataclass
class SheetReader:
    """The data rows of the first sheet whose header row (within the first ten rows) has one of the
    layout's anchor columns (for the registry, a column that names the site: source code, credit code
    or permit number). ``rows()`` yields ``(row_number, {column key: cell value})``, skipping empty rows.

    The sheet is read by calamine (python-calamine, in Rust): nine times faster than openpyxl's
    read-only mode, which was half of the parse of a 100,000-row file (issue 15). Its rows start at
    the sheet's first row but at its first used column, so they are padded back to column A here; an
    empty cell is ``""`` and a number a float, which ``_text`` and ``parse_date`` read as openpyxl's."""

    sheet: Any
    header_row: int
    columns: dict[int, str]

    @property
    def estimated_rows(self) -> int:
        last_row = self.sheet.end[0] + 1 if self.sheet.end else 0  # ``end`` counts from 0
        return max(last_row - self.header_row, 0)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in _numbered_rows(self.sheet):
            if number <= self.header_row:
                continue
            raw = {key: cells[i] for i, key in self.columns.items() if i < len(cells)}
            if any(value not in (None, "") and str(value).strip() for value in raw.values()):
                yield number, raw


def _numbered_rows(sheet) -> Iterator[tuple[int, list]]:
    """(row number, cells from column A) of each row of a calamine sheet."""
    first_column = sheet.start[1] if sheet.start else 0
    for number, cells in enumerate(sheet.iter_rows(), 1):
        yield number, ([""] * first_column + cells) if first_column else cells


MB = 1024 * 1024
# The start of a sheet's XML that is read for its <dimension ref="A1:K120"/>, which comes before the data.
DIMENSION_SEARCH_BYTES = 64 * 1024
DIMENSION = re.compile(rb"<(?:[\w-]+:)?dimension\s+ref\s*=\s*[\"']([^\"']+)[\"']")
SHARED_STRINGS_COUNT = re.compile(rb"<(?:[\w-]+:)?sst\b[^>]*?\buniqueCount\s*=\s*[\"'](\d+)[\"']")
TOO_LARGE = "文件过大，无法导入：{what}。请删除多余的工作表、行列或格式后，或分成几个文件再导入。"


def check_workbook_size(fileobj) -> None:
    """Refuse, before calamine loads anything, a workbook whose content would not fit in memory: the
    .xlsx is a zip, and its directory says how large each part is once unpacked (a zip bomb is a few
    megabytes that unpack to gigabytes; ``zipfile`` never reads past the declared size). Checked: the
    total unpacked size, each sheet's XML, the shared strings (size and number) and each sheet's rows,
    columns and cells as its dimension declares them (``settings.IMPORT_MAX_*``, README 导入文件的上限).
    A file that is not a zip is left to ``open_sheet``, which refuses it."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    try:
        _check_archive(archive)
    finally:
        archive.close()
        fileobj.seek(0)


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > settings.IMPORT_MAX_TOTAL_MB * MB:
        raise ImportFileError(TOO_LARGE.format(what=f"解压后超过 {settings.IMPORT_MAX_TOTAL_MB} MB"))
    for info in infos:
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            if info.file_size > settings.IMPORT_MAX_SHEET_MB * MB:
                raise ImportFileError(
                    TOO_LARGE.format(what=f"一个工作表解压后超过 {settings.IMPORT_MAX_SHEET_MB} MB")
                )
            with archive.open(info) as sheet:
                _check_dimension(sheet.read(DIMENSION_SEARCH_BYTES))
        elif name == "xl/sharedstrings.xml":
            if info.file_size > settings.IMPORT_MAX_SHARED_STRINGS_MB * MB:
                raise ImportFileError(
                    TOO_LARGE.format(what=f"文字内容（共享字符串）超过 {settings.IMPORT_MAX_SHARED_STRINGS_MB} MB")
                )
            with archive.open(info) as strings:
                match = SHARED_STRINGS_COUNT.search(strings.read(DIMENSION_SEARCH_BYTES))
            if match and int(match.group(1)) > settings.IMPORT_MAX_SHARED_STRINGS:
                raise ImportFileError(
                    TOO_LARGE.format(what=f"不同的文字超过 {settings.IMPORT_MAX_SHARED_STRINGS} 条")
                )


def _check_dimension(head: bytes) -> None:
    match = DIMENSION.search(head)
    if not match:
        return  # no dimension declared: the rows are counted as they are read (MAX_ROWS)
    try:
        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii").upper())
    except (ValueError, TypeError, UnicodeDecodeError):
        return
    rows = (max_row or min_row or 1) - (min_row or 1) + 1
    columns = (max_col or min_col or 1) - (min_col or 1) + 1
    if rows > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(TOO_LARGE.format(what=f"一个工作表超过 {settings.IMPORT_MAX_ROWS} 行"))
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(TOO_LARGE.format(what=f"一个工作表超过 {settings.IMPORT_MAX_COLUMNS} 列"))
    if rows * columns > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(TOO_LARGE.format(what=f"一个工作表超过 {settings.IMPORT_MAX_CELLS} 个单元格"))


UNREADABLE = "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（.xls 请先在 Excel 中“另存为”.xlsx）。"


@contextmanager
def open_sheet(fileobj, layout: SheetLayout = REGISTRY_LAYOUT) -> Iterator[SheetReader]:
    """Open an uploaded workbook and find its data sheet; ImportFileError otherwise (also for a
    workbook too large to load, ``check_workbook_size``). Only an .xlsx is read: calamine would also
    read .xls and .ods, which the size checks do not cover."""
    check_workbook_size(fileobj)
    if not _is_xlsx(fileobj):
        raise ImportFileError(UNREADABLE)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(fileobj)
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for a damaged file
        raise ImportFileError(UNREADABLE) from exc
    try:
        yield _find_header(workbook, layout)
    finally:
        workbook.close()


def _is_xlsx(fileobj) -> bool:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return any(name.lower() == "xl/workbook.xml" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fileobj.seek(0)


def _find_header(workbook, layout: SheetLayout) -> SheetReader:
    for meta in workbook.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet or meta.name == NOTES_SHEET_TITLE:
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception as exc:  # noqa: BLE001 - a damaged sheet
            raise ImportFileError(UNREADABLE) from exc
        for number, cells in _numbered_rows(sheet):
            if number > HEADER_SEARCH_ROWS:
                break
            texts = [_header_text(value) for value in cells]
            if not any(header in texts for header in layout.anchors):
                continue
            columns: dict[int, str] = {}
            seen: dict[str, str] = {}
            for index, text in enumerate(texts):
                key = layout.headers.get(text)
                if key is None:
                    continue
                if key in seen:
                    if seen[key] == text:
                        raise ImportFileError(f"列“{text}”出现了不止一次，请只保留一列。")
                    continue  # a second alias of a column already found (提交时间 and 提交日期): the first counts
                seen[key] = text
                columns[index] = key
            missing = [layout.labels[k] for k in layout.required if k not in columns.values()]
            if missing:
                raise ImportFileError(
                    f"文件缺少必需的列：{'、'.join(missing)}。第一行应为列名，请使用导入模板。"
                )
            return SheetReader(sheet, number, columns)
    raise ImportFileError(layout.no_header_message)


# Checking one row -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """A date from an Excel cell: a date, an Excel serial number, or text such as 2024-03-15,
    2024/3/15, 2024.3.15, 2024年3月15日 or 20240315. None if it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime) else None
        return None
    text = str(value).strip().split(" ")[0].split("T")[0]
    match = DATE_TEXT.match(text)
    parts = (
        match.groups() if match else (text[:4], text[4:6], text[6:]) if re.fullmatch(r"\d{8}", text) else None
    )
    if parts is None:
        return None
    try:
        return date(*(int(p) for p in parts))
    except ValueError:
        return None


class TownIndex:
    """The district's towns by name and by code."""

    def __init__(self, towns: Iterable[Town]):
        self.towns = {t.pk: t for t in towns}
        self.by_key = {**{t.code: t for t in self.towns.values()}, **{t.name: t for t in self.towns.values()}}

    @classmethod
    def load(cls) -> "TownIndex":
        return cls(Town.objects.all())

    def find(self, text: str) -> Town | None:
        return self.by_key.get(text)


@dataclass
class ParsedRow:
    row_number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)


def parse_row(row_number: int, raw: dict[str, Any], towns: TownIndex) -> ParsedRow:
    """Check one row on its own and normalise its values (dates as ISO text, codes for choices).

    Row-level rules: the row names a site (R-FAC-1) by its source code, its credit code (valid under
    GB 32100-2015) with or without a site number, or a permit number whose first 21 characters are the
    source code, and where several are given they agree; the always-required columns
    are filled; the town is one of the district's; a permitted unit has its permit columns and no
    registration columns, a registered unit the other way round; dates are dates and in order.
    """
    errors: list[str] = []
    text = {key: _text(raw.get(key)) for key in LABELS if key not in DATE_KEYS}
    values: dict[str, Any] = {key: text[key] for key in text}
    site = rules.site_reference(
        source_code=text["source_code"],
        credit_code=text["credit_code"],
        site_number=text["site_number"],
        permit_number=text["permit_number"],
    )
    values["credit_code"], values["site_number"] = site.credit_code, site.site_number
    values["source_code"] = site.source_code
    if site.error:
        errors.append(site.error)

    def missing(key: str, when: str = "") -> None:
        errors.append(f"缺少“{LABELS[key]}”{f'（{when}）' if when else ''}。")

    for key in ("name", "town", "industry_code", "industry_name", "management_level"):
        if not text[key]:
            missing(key)
    for key, limit in MAX_LENGTHS.items():
        if len(text[key]) > limit:
            errors.append(f"“{LABELS[key]}”超过 {limit} 个字。")

    values["town_id"] = None
    if text["town"]:
        town = towns.find(text["town"])
        if town is None:
            errors.append(f"所属街镇“{text['town']}”不在本区街镇（园区）名录中。")
        elif not town.is_active:
            errors.append(f"所属街镇“{text['town']}”已停用。")
        else:
            values["town_id"], values["town"] = town.pk, town.name
    values["industry_code"] = rules.normalise_industry_code(text["industry_code"])  # C2641 → 2641 (R-FAC-2)
    if values["industry_code"] and (error := rules.industry_code_error(values["industry_code"])):
        errors.append(error)

    level = LEVELS.get(text["management_level"], "")
    values["management_level"] = level
    if text["management_level"] and not level:
        errors.append(f"管理类别“{text['management_level']}”应为重点管理、简化管理或登记管理。")
    frequency = FREQUENCIES.get(text["report_frequency"], "")
    values["report_frequency"] = frequency or (None if text["report_frequency"] else "")
    if text["report_frequency"] and not frequency:
        errors.append(f"执行报告频次“{text['report_frequency']}”应为月度、季度或年度。")

    dates: dict[str, date | None] = {}
    for key in DATE_KEYS:
        value = raw.get(key)
        dates[key] = None if value in (None, "") or not str(value).strip() else parse_date(value)
        values[key] = dates[key].isoformat() if dates[key] else ""
        if dates[key] is None and value not in (None, "") and str(value).strip():
            errors.append(f"{LABELS[key]}“{_text(value)}”不是有效日期，应如 2024-03-15。")
            values[key] = None  # present but unreadable: not "missing" below

    if level in PERMIT_LEVELS:
        errors += _permit_row_errors(values, dates, ManagementLevel(level).label, missing)
    elif level == ManagementLevel.REGISTERED:
        errors += _registration_row_errors(values, dates, missing)
    return ParsedRow(row_number, values, errors)


def _permit_row_errors(values, dates, level_label, missing) -> list[str]:
    errors: list[str] = []
    for key in PERMIT_KEYS:
        if values[key] == "":
            missing(key, f"{level_label}必填")
    if values["receipt_no"] or values["registered_on"]:
        errors.append(f"管理类别为{level_label}的单位不填写登记回执编号和登记日期（属于登记管理）。")
    start, end, issued = dates["valid_from"], dates["valid_until"], dates["issued_on"]
    if start and end and end <= start:
        errors.append("有效期至应晚于有效期起。")
    if issued and start and issued > start:
        errors.append("发证日期不应晚于有效期起。")
    return errors


def _registration_row_errors(values, dates, missing) -> list[str]:
    errors: list[str] = []
    for key in REGISTRATION_KEYS:
        if values[key] == "":
            missing(key, "登记管理必填")
    filled = [
        LABELS[k] for k in ("permit_number", "issued_on", "valid_from", "report_frequency") if values[k]
    ]
    if filled:
        errors.append(f"登记管理的单位不填写{'、'.join(filled)}（属于排污许可证）。")
    if dates["registered_on"] and dates["valid_until"] and dates["valid_until"] <= dates["registered_on"]:
        errors.append("有效期至应晚于登记日期。")
    return errors


def mark_duplicates(rows: list[ParsedRow]) -> None:
    """A permit number or receipt number may appear on one row of the file only: every row that shares
    one is rejected, since the file cannot say which of them is right. Repeated sites are decided
    later, on the site each row resolves to against the registry (``reconcile.reconcile_rows``): a
    credit code alone may mean site 001 or the unit's only other site (R-FAC-1)."""
    for key, what in (
        ("permit_number", "同一许可证在文件中只能出现一次"),
        ("receipt_no", "同一登记回执在文件中只能出现一次"),
    ):
        seen: dict[str, list[ParsedRow]] = defaultdict(list)
        for row in rows:
            if value := row.values.get(key):
                seen[value].append(row)
        for value, group in seen.items():
            if len(group) > 1:
                for row in group:
                    others = "、".join(str(o.row_number) for o in group if o is not row)
                    row.errors.append(f"{LABELS[key]}“{value}”与第 {others} 行重复：{what}。")
