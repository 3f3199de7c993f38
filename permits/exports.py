"""Excel exports of the registry pages (issue 13): the facility list, the rectification ledger and the
执行报告 board, each registered with ``bureau.documents.exports`` (``register_exports``, called from
``PermitsConfig.ready``). A source reads the page's own scoped, filtered queryset (the same function
the page calls), in chunks of ``EXPORT_CHUNK`` with a fixed number of queries per chunk."""

from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone

from bureau.access import in_sections
from bureau.documents import exports
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from permits import queries, rules
from permits.models import Facility, Permit
from permits.reports import rules as report_rules
from permits.reports.views import REPORT_SECTIONS
from permits.reports.views.board import LEVEL_NAMES, NOTICE_NAMES, REVIEW_NAMES, board, filtered
from permits.reports.views.notices import listed_notices
from permits.views.common import REGISTRY_SECTIONS
from permits.views.facilities import facility_filterset
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


# The facility list's columns read straight from the database (no model instances: 100,000 of them,
# with their towns, key industries and permits, were most of the export's time, issue 15).
FACILITY_FIELDS = (
    "pk",
    "name",
    "source_code",
    "town__name",
    "industry_code",
    "industry_name",
    "management_level",
    "key_industry__name",
    "status",
    "address",
    "contact_person",
    "contact_phone",
)
MANAGEMENT_LEVELS = dict(Facility._meta.get_field("management_level").flatchoices)
FACILITY_STATUSES = dict(Facility._meta.get_field("status").flatchoices)
PERMIT_FIELDS = ("facility_id", "pk", "number", "issued_on", "valid_until", "state", "renewal_pending")


def current_permits(facility_ids: list[int], today: date) -> dict[int, tuple]:
    """The current permit of each facility of ``facility_ids`` as (number, state, valid_until, flag), the
    facility list's rule (``permits.views.facilities``): the valid permit that runs longest, else the
    latest issued. One indexed query (``facility_id IN (...)``) for a chunk, whatever its size."""
    permits = (
        queries.with_pending_renewal(
            queries.with_state(Permit.objects.filter(facility_id__in=facility_ids), today)
        )
        .order_by("-valid_until", "-id")
        .values_list(*PERMIT_FIELDS)
    )
    chosen: dict[int, tuple] = {}
    for permit in permits:
        facility_id, pk, _, issued_on, _, state, _ = permit
        held = chosen.get(facility_id)
        if held is None:
            chosen[facility_id] = permit
        elif held[5] != "valid" and (state == "valid" or (issued_on, pk) > (held[3], held[1])):
            chosen[facility_id] = permit
    current = {}
    for facility_id, (_, _, number, _, valid_until, state, pending) in chosen.items():
        flag = rules.expiry_flag(valid_until, today, pending_renewal=pending) if state == "valid" else None
        current[facility_id] = (number, rules.STATE_LABELS[state], valid_until, FLAG_LABELS.get(flag, ""))
    return current


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def facility_rows(facilities: QuerySet, today: date) -> Iterator[list]:
    """One row per facility of ``facilities`` (the page's queryset), read as values in chunks of
    ``EXPORT_CHUNK``, each chunk's current permits in one more query."""
    values = facilities.prefetch_related(None).values_list(*FACILITY_FIELDS)
    for chunk in chunked(values.iterator(chunk_size=exports.EXPORT_CHUNK), exports.EXPORT_CHUNK):
        permits = current_permits([row[0] for row in chunk], today)
        for pk, name, code, town, industry_code, industry, level, key, status, *contact in chunk:
            current = permits.get(pk, NO_PERMIT)
            yield [
                name,
                code,
                town,
                industry_code,
                industry,
                MANAGEMENT_LEVELS.get(level, level),
                key or "",
                FACILITY_STATUSES.get(status, status),
                *contact,
                *current,
            ]


NO_PERMIT = ("", "", None, "")


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
            report_rules.RECEIPT_NAMES[report.receipt],
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
    return Rows(facilities.count(), facility_rows(facilities, today))


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
