"""审批科's part of the dispatch meeting's agenda (R-MTG-2; 003 第四条: 审批科…通报持证单位基本信息更新情况),
registered with ``bureau.agenda`` by ``PermitsConfig.ready``."""

from django.db.models import Count
from django.utils import timezone

from bureau import sections
from bureau.agenda import AgendaContribution, AgendaPeriod, day, plain_rows, table
from permits import rules
from permits.models import (
    EmissionLimit,
    Facility,
    ManagementLevel,
    Outlet,
    PenaltyRecord,
    Permit,
    PermitEvent,
    PermitEventKind,
    Registration,
)

EVENT_LIMIT = 100


def approval_item(period: AgendaPeriod) -> dict:
    """Changes to permit holders (003 第四条 审批科…通报持证单位基本信息更新情况): permits issued,
    permit events by kind and one by one, registrations, facilities created and changed. Five queries."""
    issued = dict(
        Permit.objects.filter(period.q("issued_on"))
        .order_by()
        .values_list("management_level")
        .annotate(n=Count("pk"))
    )
    by_kind = dict(
        PermitEvent.objects.filter(period.q("occurred_on"))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    events = list(
        PermitEvent.objects.filter(period.q("occurred_on"))
        .select_related("permit__facility")
        .order_by("occurred_on", "id")[:EVENT_LIMIT]
    )
    registrations = Registration.objects.filter(period.q("registered_on")).count()
    history = {
        row["history_type"]: row
        for row in Facility.history.filter(period.q_moment("history_date"))
        .order_by()
        .values("history_type")
        .annotate(records=Count("history_id"), facilities=Count("id", distinct=True))
    }
    created = history.get("+", {}).get("facilities", 0)
    changed = history.get("~", {})
    total_events = sum(by_kind.values())
    return {
        "key": "approval",
        "reporters": sections.short_name(sections.APPROVAL),
        "figures": [
            {
                "label": "新核发排污许可证",
                "value": sum(issued.values()),
                "unit": "张",
                "detail": f"重点管理 {issued.get(ManagementLevel.KEY, 0)} 张，简化管理 {issued.get(ManagementLevel.SIMPLIFIED, 0)} 张",
            },
            {"label": "登记许可证事项", "value": total_events, "unit": "项", "detail": ""},
            {"label": "新增排污登记", "value": registrations, "unit": "家", "detail": ""},
            {"label": "新建档排污单位", "value": created, "unit": "家", "detail": ""},
            {
                "label": "基本信息变更的排污单位",
                "value": changed.get("facilities", 0),
                "unit": "家",
                "detail": f"共修改 {changed.get('records', 0)} 次" if changed else "",
            },
        ],
        "tables": [
            table(
                "许可证事项（按事项分类）",
                ["事项", "件数"],
                plain_rows(
                    (label, by_kind[kind]) for kind, label in PermitEventKind.choices if by_kind.get(kind)
                ),
                "期间无许可证事项。",
            ),
            table(
                "许可证事项明细",
                ["日期", "许可证编号", "排污单位", "事项", "文号"],
                plain_rows(
                    (
                        day(e.occurred_on),
                        e.permit.number,
                        e.permit.facility.name,
                        e.get_kind_display(),
                        e.document_no or "—",
                    )
                    for e in events
                ),
                "期间无许可证事项。",
                limit=EVENT_LIMIT,
            )
            | {"more": max(total_events - len(events), 0)},
        ],
        "notes": [
            "排放标准、重点污染物总量控制要求或相关法律法规变化需变更排污许可证的，由审批科依法变更并告知排污单位。",
        ],
    }


CONTRIBUTION = AgendaContribution(
    name="permits",
    order=10,
    titles={"approval": "持证单位基本信息更新情况"},
    build=lambda period: [approval_item(period)],
)


# 003 第八条 各部门应在工作调度会上沟通固定污染源信息库更新的相关情况 (R-MTG-2, R-ORG-2): the registry parts
# kept in this app, read by ``meetings.registry`` from the history records ----------------------------------

# The facility's fields by the part they belong to (``rules.FIELD_OWNERS`` says which section keeps it).
FACILITY_PARTS = {
    "approval": "排污单位基本信息",
    "pollution": "环境监管重点单位信息",
    "ecology": "环境统计信息",
    "legal": "环境信用评价信息",
}
# Whole records kept by one section: (section, what, model).
RECORD_PARTS = (
    ("approval", "排污许可证", Permit),
    ("approval", "许可证事项", PermitEvent),
    ("approval", "排污登记", Registration),
    ("approval", "排放口", Outlet),
    ("approval", "许可排放限值", EmissionLimit),
    ("enforcement", "行政处罚", PenaltyRecord),
)


def in_period(history, period: AgendaPeriod):
    """History records written in the period (by their date in the bureau's time zone), read through
    the index on ``history_date``."""
    return history.filter(period.q_moment("history_date"))


def record_changes(model, period: AgendaPeriod) -> tuple[int, int]:
    """(records created, changes to records) of ``model`` in the period, from its history (one query)."""
    counts = dict(
        in_period(model.history, period).order_by().values_list("history_type").annotate(n=Count("pk"))
    )
    return counts.get("+", 0), counts.get("~", 0)


def facility_changes(period: AgendaPeriod) -> dict[str, tuple[int, int]]:
    """Per section, (facilities created, changes to its part of a facility) in the period: each change
    record is compared with the one before it, and every section whose fields differ counts it (R-ORG-2,
    ``rules.FIELD_OWNERS``). A new facility is 审批科's (建档). Two queries: the facilities created,
    counted; the history of the facilities changed in the period, compared in Python. Only those are
    read: a period that opened 100,000 facilities by import holds 100,000 creation records and no
    change to compare (reading them all made a meeting page take seconds, issue 15)."""
    attnames = {Facility._meta.get_field(name).attname: owner for name, owner in rules.FIELD_OWNERS.items()}
    created = {code: 0 for code in FACILITY_PARTS}
    created["approval"] = in_period(Facility.history, period).filter(history_type="+").count()
    touched = in_period(Facility.history, period).filter(history_type="~").values("id")
    records = (
        Facility.history.filter(id__in=touched, history_date__lt=period.end)
        .order_by("id", "history_date", "history_id")
        .values("id", "history_type", "history_date", *attnames)
    )
    changed = {code: 0 for code in FACILITY_PARTS}
    previous = None
    for record in records:
        if record["history_type"] == "~" and previous and previous["id"] == record["id"]:
            if period.contains(timezone.localdate(record["history_date"])):
                for owner in {attnames[a] for a in attnames if record[a] != previous[a]}:
                    changed[owner] += 1
        previous = record
    return {code: (created[code], changed[code]) for code in FACILITY_PARTS}


def registry_parts(period: AgendaPeriod) -> list[tuple[str, str, int, int]]:
    """(section, what, created, changed) for each registry part kept in this app, in the period."""
    facility = facility_changes(period)
    parts = [(code, what, *facility[code]) for code, what in FACILITY_PARTS.items()]
    return parts + [(code, what, *record_changes(model, period)) for code, what, model in RECORD_PARTS]
