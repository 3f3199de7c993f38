"""Excel exports of the registry pages (issue 13): the facility list, the rectification ledger and the
执行报告 board, each registered with ``bureau.documents.exports`` (``register_exports``, called from
``PermitsConfig.ready``). A source reads the page's own scoped, filtered queryset (the same function
the page calls), in chunks of ``EXPORT_CHUNK`` with a fixed number of queries per chunk."""

from collections.abc import Iterable
from datetime import date
from functools import partial

from django.utils import timezone

from bureau.access import in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from permits import queries
from permits.reports import rules
from permits.reports.views import REPORT_SECTIONS
from permits.reports.views.board import LEVEL_NAMES, NOTICE_NAMES, REVIEW_NAMES, board, filtered
from permits.reports.views.notices import listed_notices
from permits.views.common import REGISTRY_SECTIONS
from permits.views.facilities import facility_filterset, with_current_permits
from permits.views.ledger import ledger_filterset

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


BOARD_COLUMNS = [
    ("排污单位", 36),
    ("污染源编码", 24),
    ("许可证编号", 26),
    ("管理类别", 10),
    ("街镇", 14),
    ("报告期", 14),
    ("截止日期", 12),
    ("截止日期暂定", 8),
    ("首次提交日期", 12),
    ("提交情况", 10),
    ("版本数", 8),
    ("审核", 10),
    ("反馈意见单", 14),
    ("催报日期", 12),
]


def board_rows(reports: Iterable, period) -> Iterable[list]:
    """One row per 执行报告 of ``period`` (R-REP-1), the states in Chinese."""
    for report in reports:
        yield [
            report.facility.name,
            report.facility.source_code,
            report.permit.number,
            LEVEL_NAMES.get(report.permit.management_level, ""),
            report.facility.town.name,
            period.label,
            report.due_on,
            "是" if report.due_provisional else "",
            report.received_on,
            rules.RECEIPT_NAMES[report.receipt],
            report.version_count,
            REVIEW_NAMES.get(report.review_state, ""),
            NOTICE_NAMES.get(report.notice_state, ""),
            report.requested_on,
        ]


NOTICE_COLUMNS = [
    ("文书编号", 18),
    ("排污单位", 32),
    ("街镇", 12),
    ("报告期", 14),
    ("许可证编号", 26),
    ("反馈日期", 12),
    ("整改期限", 12),
    ("整改期限暂定", 8),
    ("问题（条）", 8),
    ("待整改（条）", 8),
    ("状态", 10),
]


def notice_rows(notices) -> Iterable[list]:
    """One row per 反馈意见单 (R-REP-3) with its problems counted."""
    for notice in notices:
        facility = notice.report.facility
        yield [
            notice.number,
            facility.name,
            facility.town.name if facility.town_id else "",
            notice.report.period.label,
            notice.report.permit.number,
            notice.issued_on,
            notice.due_on,
            "是" if notice.due_provisional else "",
            notice.problem_count,
            notice.open_count,
            notice.get_state_display(),
        ]


# Sources: the page's function, then chunks ----------------------------------------------------------


def facility_source(user, query) -> Rows:
    today = timezone.localdate()
    facilities = facility_filterset(user, query, today).qs
    chunks = facilities.iterator(chunk_size=EXPORT_CHUNK)
    return Rows(facilities.count(), facility_rows(with_current_permits(chunks, today)))


def ledger_source(user, query) -> Rows:
    items = ledger_filterset(query, queries.visible_rectifications(user)).qs
    chunks = items.iterator(chunk_size=EXPORT_CHUNK)
    return Rows(items.count(), ledger_rows(chunks, timezone.localdate()))


def board_source(user, query) -> Rows:

    _, _, period, reports, narrowing = board(user, query, timezone.localdate())
    reports = filtered(reports, narrowing)
    return Rows(reports.count(), board_rows(reports.iterator(chunk_size=EXPORT_CHUNK), period))


def notice_source(user, query) -> Rows:
    _, notices = listed_notices(user, query)
    return Rows(notices.count(), notice_rows(notices.iterator(chunk_size=EXPORT_CHUNK)))


def register_exports() -> None:
    """Register the registry's exports; who may ask is who may open the page."""
    register(
        Export(
            "permits.facilities",
            "固定污染源名录",
            FACILITY_COLUMNS,
            facility_source,
            partial(in_sections, codes=REGISTRY_SECTIONS),
        )
    )
    register(
        Export(
            "permits.ledger",
            "限期整改问题台账",
            LEDGER_COLUMNS,
            ledger_source,
            partial(in_sections, codes=REGISTRY_SECTIONS),
        )
    )
    register(
        Export(
            "permits.report-board",
            "执行报告",
            BOARD_COLUMNS,
            board_source,
            partial(in_sections, codes=REPORT_SECTIONS),
        )
    )
    register(
        Export(
            "permits.notices",
            "排污许可执行报告问题反馈意见单",
            NOTICE_COLUMNS,
            notice_source,
            partial(in_sections, codes=REPORT_SECTIONS),
        )
    )
