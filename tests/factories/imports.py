"""Excel files in the layout of the national platform's export (``permits.imports``), and registry
rows that match them.

``key_row`` and ``registered_row`` give one facility as the platform exports it; ``workbook`` writes
rows into an .xlsx; ``register_like`` puts the same facility into the registry through the registry
factories, so that importing the row again finds it unchanged.
"""

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from bureau.models import Town
from permits import rules
from permits.imports.template import COLUMNS
from tests.factories.permits import FacilityFactory, PermitFactory, RegistrationFactory

HEADERS = [c.header for c in COLUMNS]
LEVELS = {"重点管理": "key", "简化管理": "simplified", "登记管理": "registered"}
FREQUENCIES = {"月度": "monthly", "季度": "quarterly", "年度": "annual"}


def code(n: int) -> str:
    """A valid 统一社会信用代码 for the ``n``-th imported facility (GB 32100-2015 check character)."""
    first17 = f"91310107MA1{n:06d}"
    return first17 + rules.credit_code_check_character(first17)


def key_row(n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "统一社会信用代码": code(n),
        "单位名称": f"导入测试{n}号涂料有限公司",
        "生产经营场所地址": f"测试路 {n} 号",
        "所属街镇": "甲镇",
        "行业类别代码": "2641",
        "行业类别": "涂料制造",
        "管理类别": "重点管理",
        "联系人": "张三",
        "联系电话": "021-52500000",
        "许可证编号": f"{code(n)}001V",
        "发证日期": date(2024, 3, 15),
        "有效期起": date(2024, 3, 15),
        "有效期至": date(2029, 3, 14),
        "执行报告频次": "季度",
        "登记回执编号": None,
        "登记日期": None,
    }
    return row | changes


def registered_row(n: int, **changes: Any) -> dict[str, Any]:
    row = key_row(
        n,
        单位名称=f"导入测试{n}号汽修有限公司",
        行业类别代码="8111",
        行业类别="汽车修理与维护",
        管理类别="登记管理",
        许可证编号=None,
        发证日期=None,
        有效期起=None,
        有效期至=date(2028, 5, 31),
        执行报告频次=None,
        登记回执编号=f"{code(n)}001X",
        登记日期=date(2023, 6, 1),
    )
    return row | changes


def workbook(
    rows: list[dict[str, Any]],
    headers: list[str] | None = None,
    title_rows: int = 0,
    sheet_title: str = "排污单位",
) -> bytes:
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for index in range(title_rows):
        sheet.append([f"全国排污许可证管理信息平台导出（标题行 {index + 1}）"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register_like(row: dict[str, Any], *, by=None):
    """Put the row's facility, permit or registration into the registry, as it stands in the row."""
    level = LEVELS[row["管理类别"]]
    facility = FacilityFactory(
        by=by,
        credit_code=row["统一社会信用代码"],
        site_number=row.get("污染源序号") or "",
        name=row["单位名称"],
        address=row["生产经营场所地址"] or "",
        town=Town.objects.get(name=row["所属街镇"]),
        industry_code=row["行业类别代码"],
        industry_name=row["行业类别"],
        management_level=level,
        contact_person=row["联系人"] or "",
        contact_phone=row["联系电话"] or "",
        source="测试建档",
    )
    if level == "registered":
        RegistrationFactory(
            by=by,
            facility=facility,
            receipt_no=row["登记回执编号"],
            registered_on=row["登记日期"],
            valid_until=row["有效期至"],
        )
    else:
        PermitFactory(
            by=by,
            facility=facility,
            number=row["许可证编号"],
            management_level=level,
            issued_on=row["发证日期"],
            valid_from=row["有效期起"],
            valid_until=row["有效期至"],
            report_frequency=FREQUENCIES[row["执行报告频次"]],
            document_no="",
        )
    return facility


# Execution reports (permits.imports.reports) --------------------------------------------------------

REPORT_HEADERS = ["许可证编号", "单位名称", "报告类型", "报告周期", "提交时间", "报告编号"]
EMISSION_HEADERS = ["排放口编号", "污染物", "实际排放浓度", "实际排放量（吨）"]


def report_row(permit, period: str, received, ref: str = "", type: str = "月度", **emission: Any) -> dict:
    """One row of the platform's 执行报告 export for ``permit``; ``emission`` gives 排放口编号, 污染物,
    实际排放浓度 and 实际排放量（吨） by those names."""
    return {
        "许可证编号": permit if isinstance(permit, str) else permit.number,
        "单位名称": "" if isinstance(permit, str) else permit.facility.name,
        "报告类型": type,
        "报告周期": period,
        "提交时间": received,
        "报告编号": ref,
    } | emission


def report_workbook(
    rows: list[dict[str, Any]], headers: list[str] | None = None, title_rows: int = 0
) -> bytes:
    return workbook(
        rows, headers or REPORT_HEADERS + EMISSION_HEADERS, title_rows=title_rows, sheet_title="执行报告"
    )
