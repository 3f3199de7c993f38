"""Excel exports of the inspection pages (issue 13), registered from ``InspectionsConfig.ready``:
现场检查 (the tab shown, or 全部检查 under its filters), 检查发现问题 and 案件, each read through the
page's own function (``listed_*``), in chunks with a fixed number of queries per chunk."""

from functools import partial

from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from inspections import draw_queries, queries, rules
from inspections.views import interference
from inspections.views.cases import listed_cases
from inspections.views.draws import POOL_READERS
from inspections.views.findings import listed_findings
from inspections.views.lists import listed_inspections
from inspections.views.plan import listed_items

INSPECTION_COLUMNS = [
    ("检查编号", 16),
    ("排污单位", 32),
    ("街镇", 12),
    ("检查日期", 12),
    ("检查事由", 14),
    ("事由说明", 24),
    ("检查方式", 10),
    ("检查人员", 20),
    ("状态", 10),
    ("发现问题数", 8),
    ("签署完成时间", 17),
]

FINDING_COLUMNS = [
    ("排污单位", 32),
    ("发现日期", 12),
    ("检查编号", 16),
    ("检查要点", 10),
    ("问题描述", 44),
    ("违法类别", 14),
    ("恶意偷排等行为", 14),
    ("处理方式", 14),
    ("整改期限", 12),
    ("案件编号", 16),
    ("三监联动任务", 16),
    ("状态", 8),
    ("办结日期", 12),
]

CASE_COLUMNS = [
    ("案件编号", 16),
    ("排污单位", 32),
    ("立案日期", 12),
    ("案由", 40),
    ("恶意偷排等行为", 14),
    ("问题数", 8),
    ("状态", 12),
    ("提请法制审核日期", 12),
    ("法制审核人", 10),
    ("处理决定", 14),
    ("决定日期", 12),
    ("决定书文号", 24),
    ("罚款金额（元）", 12),
    ("吊销排污许可证", 8),
]

PLAN_ITEM_COLUMNS = [
    ("排污单位", 32),
    ("污染源编码", 24),
    ("街镇", 12),
    ("管理类别", 10),
    ("类型", 12),
    ("依据", 36),
    ("期限起", 12),
    ("期限止", 12),
    ("计划月份", 10),
    ("状态", 10),
    ("完成日期", 12),
    ("不再需要的原因", 24),
    ("提醒", 8),
]

DRAW_COLUMNS = [
    ("抽查编号", 16),
    ("抽查事项", 36),
    ("检查方式", 10),
    ("管理类别", 16),
    ("街镇", 20),
    ("行业类别", 16),
    ("抽取数量", 8),
    ("抽取比例（%）", 8),
    ("抽取池单位数", 10),
    ("检查期起", 12),
    ("检查期止", 12),
    ("状态", 10),
]

# 插手干预记录 leave their page for its audience only (R-INS-11): ``may_request`` is the page's test.
INTERFERENCE_COLUMNS = [
    ("发生日期", 12),
    ("干预人", 16),
    ("干预方式", 16),
    ("干预情况", 48),
    ("涉及检查", 16),
    ("涉及案件", 16),
    ("记录人", 10),
    ("记录时间", 17),
]

CONFLICT_COLUMNS = [
    ("执法人员", 12),
    ("回避对象", 32),
    ("污染源编码", 24),
    ("回避事由", 36),
    ("申报日期", 12),
    ("登记人", 10),
    ("状态", 8),
]


def inspection_rows(inspections):
    for inspection in inspections:
        yield [
            inspection.number,
            inspection.facility.name,
            inspection.facility.town.name if inspection.facility.town_id else "",
            inspection.inspected_on,
            inspection.get_reason_display(),
            inspection.source_reference,
            inspection.get_mode_display(),
            "、".join(officer.name for officer in inspection.officers.all()),
            inspection.get_state_display(),
            inspection.finding_count,
            inspection.signed_at,
        ]


def finding_rows(findings):
    for finding in findings:
        yield [
            finding.facility.name,
            finding.found_on,
            finding.inspection.number,
            finding.answer.point.code,
            finding.description,
            finding.get_kind_display(),
            finding.get_conduct_display(),
            finding.get_disposition_display(),
            finding.rectification.deadline_on if finding.rectification_id else None,
            finding.case.number if finding.case_id else "",
            finding.linkage_task.number if finding.linkage_task_id else "",
            finding.get_state_display(),
            finding.closed_on,
        ]


def case_rows(cases):
    for case in cases:
        yield [
            case.number,
            case.facility.name,
            case.opened_on,
            case.summary,
            case.get_conduct_display(),
            case.finding_count,
            case.get_state_display(),
            case.submitted_on,
            case.reviewer.display_name if case.reviewer_id else "",
            case.get_decision_display(),
            case.decided_on,
            case.decision_no,
            case.penalty_amount,
            "是" if case.revokes_permit else "",
        ]


def plan_item_rows(items):
    for item in items:
        yield [
            item.facility.name,
            item.facility.source_code,
            item.facility.town.name if item.facility.town_id else "",
            item.facility.get_management_level_display(),
            item.get_kind_display(),
            item.reason,
            item.window_start,
            item.window_end,
            f"{item.planned_month:%Y-%m}",
            item.get_state_display(),
            item.done_on,
            item.withdrawn_reason,
            item.get_alert_display(),
        ]


def draw_rows(draws):
    towns = draw_queries.town_names()
    for draw in draws:
        draw_queries.describe(draw, towns)
        yield [
            draw.number,
            draw.title,
            draw.get_mode_display(),
            "、".join(draw.level_labels),
            "、".join(draw.town_labels) or "全部",
            "、".join(draw.industry_prefixes) or "全部",
            draw.sample_size,
            draw.sample_percent,
            draw.unit_count,
            draw.inspect_from,
            draw.inspect_until,
            draw.get_state_display(),
        ]


def draw_source(user, query) -> Rows:
    draws = draw_queries.draws()
    return Rows(draws.count(), draw_rows(draws.iterator(chunk_size=EXPORT_CHUNK)))


def conflict_rows(conflicts):
    for conflict in conflicts:
        if conflict.facility_id:
            target, code = conflict.facility.name, conflict.facility.source_code
        else:
            target, code = f"本人所在街镇：{conflict.town.name}", ""
        yield [
            conflict.officer.display_name,
            target,
            code,
            conflict.reason,
            conflict.declared_on,
            conflict.recorded_by.display_name,
            "有效" if conflict.is_active else "已解除",
        ]


def conflict_source(user, query) -> Rows:
    conflicts = draw_queries.conflicts()
    return Rows(conflicts.count(), conflict_rows(conflicts.iterator(chunk_size=EXPORT_CHUNK)))


def interference_rows(records):
    for record in records:
        yield [
            record.occurred_on,
            record.interferer,
            record.method,
            record.detail,
            record.inspection.number if record.inspection_id else "",
            record.case.number if record.case_id else "",
            record.recorded_by.display_name,
            record.recorded_at,
        ]


def interference_source(user, query) -> Rows:
    records = queries.visible_interference(user)
    return Rows(records.count(), interference_rows(records.iterator(chunk_size=EXPORT_CHUNK)))


def plan_item_source(user, query) -> Rows:
    _, items = listed_items(user, query)
    return Rows(items.count(), plan_item_rows(items.iterator(chunk_size=EXPORT_CHUNK)))


def inspection_source(user, query) -> Rows:
    _, _, _, inspections = listed_inspections(user, query, timezone.localdate())
    return Rows(inspections.count(), inspection_rows(inspections.iterator(chunk_size=EXPORT_CHUNK)))


def finding_source(user, query) -> Rows:
    _, findings = listed_findings(user, query)
    return Rows(findings.count(), finding_rows(findings.iterator(chunk_size=EXPORT_CHUNK)))


def case_source(user, query) -> Rows:
    _, cases = listed_cases(user, query)
    return Rows(cases.count(), case_rows(cases.iterator(chunk_size=EXPORT_CHUNK)))


def register_exports() -> None:
    """Register the inspection pages' exports; who may ask is who may open the page."""
    bureau = partial(in_sections, codes=BUREAU_SECTIONS)
    register(Export("inspections.inspections", "现场检查", INSPECTION_COLUMNS, inspection_source, bureau))
    register(Export("inspections.findings", "检查发现问题", FINDING_COLUMNS, finding_source, bureau))
    register(
        Export(
            "inspections.interference",
            "插手干预记录",
            INTERFERENCE_COLUMNS,
            interference_source,
            interference.may_read,
        )
    )
    register(
        Export(
            "inspections.conflicts",
            "执法人员回避",
            CONFLICT_COLUMNS,
            conflict_source,
            partial(in_sections, codes=POOL_READERS),
        )
    )
    register(Export("inspections.draws", "双随机抽查", DRAW_COLUMNS, draw_source, bureau))
    register(Export("inspections.plan-items", "计划检查事项", PLAN_ITEM_COLUMNS, plan_item_source, bureau))
    register(
        Export(
            "inspections.cases",
            "案件",
            CASE_COLUMNS,
            case_source,
            partial(in_sections, codes=rules.CASE_SECTIONS),
        )
    )
