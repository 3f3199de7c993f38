"""Each section's registry updates for the dispatch meeting's agenda (R-MTG-2, R-ORG-2; 003 第八条
各部门按照职责分工开展固定污染源信息维护工作……各部门应在工作调度会上沟通固定污染源信息库更新的相关情况).

Derived from the history records of the registry (R-RET-1), so nothing extra is kept: 审批科 permit,
registration and basic facility data; 污防科 key-regulated-unit data; 生态科 environmental-statistics
data; 法制科 credit data; 执法大队 penalties and complaints. The parts kept in ``permits`` come from
``permits.agenda.registry_parts``; complaints are read here, as ``meetings`` is the app that sees both.
Registered with ``bureau.agenda`` by ``MeetingsConfig.ready``.
"""

from bureau import sections
from bureau.agenda import AgendaContribution, AgendaPeriod, plain_rows, table
from complaints.models import Complaint
from permits import agenda as permits_agenda

# 003 第八条 names these five sections' parts, in its order.
REGISTRY_SECTIONS = ("approval", "pollution", "ecology", "legal", "enforcement")
COMPLAINT_PART = ("enforcement", "信访投诉", Complaint)


def registry_item(period: AgendaPeriod) -> dict:
    """Per section, what it added to and changed in its part of the registry in the period: a figure
    per section (zero too, so a part not kept up shows) and a row per part. Eight queries."""
    code, what, model = COMPLAINT_PART
    parts = [
        *permits_agenda.registry_parts(period),
        (code, what, *permits_agenda.record_changes(model, period)),
    ]
    totals = {code: 0 for code in REGISTRY_SECTIONS}
    for code, _, created, changed in parts:
        totals[code] += created + changed
    order = {code: i for i, code in enumerate(REGISTRY_SECTIONS)}
    rows = sorted(parts, key=lambda part: order[part[0]])
    return {
        "key": "registry",
        "reporters": "、".join(sections.short_name(code) for code in REGISTRY_SECTIONS),
        "figures": [
            {
                "label": sections.short_name(code),
                "value": totals[code],
                "unit": "条次",
                "detail": "新增与更新",
            }
            for code in REGISTRY_SECTIONS
        ],
        "tables": [
            table(
                "各部门维护的固定污染源信息（据系统修改记录统计）",
                ["部门", "信息", "新增（条）", "更新（条次）"],
                plain_rows(
                    (sections.short_name(code), what, created, changed)
                    for code, what, created, changed in rows
                ),
                "",
            )
        ],
        "notes": ["同一污染源涉及多个信息来源时不重复登记，仅更新相关信息（003 第八条）。"],
    }


CONTRIBUTION = AgendaContribution(
    name="registry",
    order=90,  # after every app's own items: each section then says what it updated
    titles={"registry": "各部门固定污染源信息库更新情况"},
    build=lambda period: [registry_item(period)],
)
