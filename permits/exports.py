"""Excel exports of the registry pages: the columns and rows of the facility list and the
rectification ledger. ``bureau.documents.excel`` writes the workbook."""

from collections.abc import Iterable
from datetime import date

FACILITY_COLUMNS = [
    ("单位名称", 36),
    ("污染源编码", 25),
    ("街镇", 14),
    ("行业类别代码", 10),
    ("行业类别", 24),
    ("管理类别", 10),
    ("重点行业", 24),
    ("生产状态", 8),
    ("生产经营场所地址", 36),
    ("联系人", 10),
    ("联系电话", 16),
    ("当前许可证编号", 26),
    ("许可证状态", 12),
    ("有效期至", 12),
    ("到期提醒", 14),
]

LEDGER_COLUMNS = [
    ("排污单位", 36),
    ("统一社会信用代码", 22),
    ("街镇", 14),
    ("发现日期", 12),
    ("问题类别", 22),
    ("问题描述", 40),
    ("整改时限（工作日）", 10),
    ("整改期限", 12),
    ("整改责任人", 10),
    ("责任人电话", 16),
    ("状态", 10),
    ("逾期天数", 8),
    ("最新进展", 40),
    ("销号日期", 12),
    ("整改完成证明", 40),
    ("问题来源", 14),
    ("来源说明", 30),
]

FLAG_LABELS = {"red": "60 日内到期", "warning": "90 日内到期"}


def facility_rows(facilities: Iterable) -> Iterable[list]:
    """One row per facility, each carrying ``current_permit`` (a ``PermitSummary`` or None)."""
    for facility in facilities:
        current = facility.current_permit
        yield [
            facility.name,
            facility.source_code,
            facility.town.name,
            facility.industry_code,
            facility.industry_name,
            facility.get_management_level_display(),
            facility.key_industry.name if facility.key_industry_id else "",
            facility.get_status_display(),
            facility.address,
            facility.contact_person,
            facility.contact_phone,
            current.permit.number if current else "",
            current.state_label if current else "",
            current.permit.valid_until if current else None,
            FLAG_LABELS.get(current.flag, "") if current else "",
        ]


def ledger_rows(items: Iterable, today: date) -> Iterable[list]:
    """One row per rectification item, each carrying ``progress_rows`` (latest first)."""
    for item in items:
        overdue = item.is_overdue_on(today)
        if item.closed_on:
            status = "已销号"
        elif overdue:
            status = "已逾期"
        else:
            status = "未销号"
        latest = item.progress_rows[0] if item.progress_rows else None
        yield [
            item.facility.name,
            item.facility.credit_code,
            item.facility.town.name,
            item.found_on,
            item.category_label,
            item.description,
            item.deadline_workdays,
            item.deadline_on,
            item.responsible_person,
            item.responsible_phone,
            status,
            (today - item.deadline_on).days if overdue else None,
            f"{latest.noted_on:%Y-%m-%d} {latest.note}" if latest else "",
            item.closed_on,
            item.closing_evidence,
            item.get_source_kind_display(),
            item.source_label,
        ]
