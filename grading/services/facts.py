"""The facts of a year that the grading reads (R-GRD-1…3), gathered from the rest of the product in a
fixed number of queries whatever the number of holders, and the facts the sections record by hand.

From the product (each a ``rules.Fact`` with a link to its evidence):
- 附件2 三1: every administrative penalty record of the year (penalties of any environmental
  authority are kept by 执法大队 as ``PenaltyRecord``); a case closed without penalty (R-INS-10)
  makes no penalty record and does not count;
- 附件2 三2: findings of a campaign inspection (专项行动: 督察、帮扶) sent on to a case (立案查处);
- 附件2 三3: verified complaints whose problem the unit refused to rectify (拒不整改);
- 附件2 三5: cases of the year transferred to the police (移送公安机关), and findings and cases marked
  恶意偷排、篡改台账记录 or 逃避监管 (002 十二), penalised or not;
- by hand (``GradingFact``): any of the conditions, with the section that recorded it.
The year's record for the ranking: findings, overdue rectifications, late or missing execution
reports; and linkage tasks about the holder, shown beside them.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from bureau import history, sections
from bureau.access import Viewer, staff_of
from bureau.models import User
from complaints import rules as complaint_rules
from complaints.models import Complaint
from grading import rules
from grading.models import AnnualGrading, FactKind, GradingFact, GradingState
from inspections.models import Case, CaseDecision, Conduct, Disposition, Finding, Reason
from linkage.models import LinkageTask
from permits.models import Facility, PenaltyRecord, Permit, PermitEvent, PermitEventKind, RectificationItem
from permits.reports.models import ExecutionReport
from permits.uploads import check_upload

# Who records facts by hand: the six sections of the bureau that work with the holders.
FACT_RECORDERS = frozenset(
    {
        sections.APPROVAL,
        sections.ECOLOGY,
        sections.POLLUTION,
        sections.LEGAL,
        sections.ENFORCEMENT,
        sections.MONITORING,
    }
)
CONDUCTS = dict(Conduct.choices)
ENDING = [PermitEventKind.CANCELLATION, PermitEventKind.WITHDRAWAL, PermitEventKind.REVOCATION]


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def holders_of(year: int):
    """The permit holders of ``year`` (R-GRD-1; 附件2 一 "所有排污许可持证单位"): facilities with a
    permit (重点 or 简化; registered units hold none) in force on at least one day of the year: issued
    by its end, valid into it (or extended into it by a granted 延续), and not ended (注销、撤销、吊销)
    before it began. A queryset of facility ids."""
    start, end = year_bounds(year)
    extended = PermitEvent.objects.filter(
        kind=PermitEventKind.RENEWAL_DECISION,
        renewal_granted=True,
        occurred_on__lte=end,
        new_valid_until__gte=start,
    ).values("permit_id")
    ended_before = PermitEvent.objects.filter(kind__in=ENDING, occurred_on__lt=start).values("permit_id")
    permits = (
        Permit.objects.filter(issued_on__lte=end, valid_from__lte=end)
        .filter(Q(valid_until__gte=start) | Q(pk__in=extended))
        .exclude(pk__in=ended_before)
    )
    return permits.values("facility_id")


@dataclass(frozen=True)
class Loaded:
    holders: list[rules.HolderFacts]
    names: dict[int, str]


class _Links:
    """Evidence links made from one reversed pattern each, not one ``reverse`` per row."""

    def __init__(self):
        self.patterns = {
            name: reverse(name, args=[987654321]).replace("987654321", "{}")
            for name in (
                "permits:facility-detail",
                "inspections:case-detail",
                "inspections:inspection-detail",
                "complaints:complaint-detail",
            )
        }

    def __call__(self, name: str, pk, anchor: str = "") -> str:
        return self.patterns[name].format(pk) + anchor


def load_year(year: int, *, facility_ids=None) -> Loaded:
    """The facts of every holder of ``year`` (or of those among ``facility_ids``), in at most thirteen queries."""
    start, end = year_bounds(year)
    in_year = (start, end)
    holders = Facility.objects.filter(pk__in=holders_of(year))
    if facility_ids is not None:
        holders = holders.filter(pk__in=list(facility_ids))
    rows = list(holders.order_by("source_code").values_list("id", "source_code", "name"))
    ids = {pk for pk, _, _ in rows}
    scoped = {"facility_id__in": list(ids)} if facility_ids is not None else {}
    link = _Links()
    facts = defaultdict(list)

    penalties = list(
        PenaltyRecord.objects.filter(decided_on__range=in_year, **scoped).values_list(
            "pk", "facility_id", "decision_no", "decided_on", "violation"
        )
    )
    case_of_penalty = dict(
        Case.objects.filter(penalty_record_id__in=[p[0] for p in penalties]).values_list(
            "penalty_record_id", "pk"
        )
    )
    for pk, facility_id, decision_no, decided_on, violation in penalties:
        url = (
            link("inspections:case-detail", case_of_penalty[pk])
            if pk in case_of_penalty
            else link("permits:facility-detail", facility_id, "#penalties")
        )
        facts[facility_id].append(
            rules.Fact(rules.U_PENALTY, f"{decided_on:%Y-%m-%d} 行政处罚（{decision_no}）：{violation}", url)
        )

    campaign = Finding.objects.filter(
        found_on__range=in_year, inspection__reason=Reason.CAMPAIGN, disposition=Disposition.CASE, **scoped
    ).values_list("facility_id", "inspection_id", "inspection__number", "found_on", "description")
    for facility_id, inspection_id, number, found_on, description in campaign:
        facts[facility_id].append(
            rules.Fact(
                rules.U_CAMPAIGN,
                f"{found_on:%Y-%m-%d} 专项行动检查（{number}）发现问题并立案查处：{description[:80]}",
                link("inspections:inspection-detail", inspection_id),
            )
        )

    # Counted in the year the refusal was recorded (received that year when no date was recorded).
    refused = Complaint.objects.filter(
        Q(rectification_on__range=in_year) | Q(rectification_on__isnull=True, received_on__range=in_year),
        is_substantiated=True,
        rectification=complaint_rules.REFUSED,
        **scoped,
    ).values_list("facility_id", "pk", "number", "received_on")
    for facility_id, pk, number, received_on in refused:
        facts[facility_id].append(
            rules.Fact(
                rules.U_REFUSED,
                f"信访投诉 {number}（{received_on:%Y-%m-%d} 受理）经核查属实，单位拒不整改",
                link("complaints:complaint-detail", pk),
            )
        )

    transferred = Case.objects.filter(
        decision=CaseDecision.TRANSFER, decided_on__range=in_year, **scoped
    ).values_list("facility_id", "pk", "number", "decided_on", "summary")
    for facility_id, pk, number, decided_on, summary in transferred:
        facts[facility_id].append(
            rules.Fact(
                rules.U_OTHER,
                f"案件 {number}（{summary}）于 {decided_on:%Y-%m-%d} 移送公安机关",
                link("inspections:case-detail", pk),
            )
        )

    # 恶意偷排、篡改台账记录、逃避监管 (002 十二) found in an inspection or named in a case: serious
    # violations (附件2 三5) whether or not a penalty has been decided yet.
    marked_findings = Finding.objects.filter(found_on__range=in_year, **scoped).exclude(conduct="")
    for facility_id, inspection_id, number, found_on, conduct in marked_findings.values_list(
        "facility_id", "inspection_id", "inspection__number", "found_on", "conduct"
    ):
        facts[facility_id].append(
            rules.Fact(
                rules.U_OTHER,
                f"{found_on:%Y-%m-%d} 现场检查（{number}）发现{CONDUCTS[conduct]}行为",
                link("inspections:inspection-detail", inspection_id),
            )
        )
    marked_cases = Case.objects.filter(opened_on__range=in_year, **scoped).exclude(conduct="")
    for facility_id, pk, number, opened_on, conduct in marked_cases.values_list(
        "facility_id", "pk", "number", "opened_on", "conduct"
    ):
        facts[facility_id].append(
            rules.Fact(
                rules.U_OTHER,
                f"{opened_on:%Y-%m-%d} 立案查处（{number}）：{CONDUCTS[conduct]}",
                link("inspections:case-detail", pk),
            )
        )

    recorded = GradingFact.objects.filter(
        occurred_on__range=in_year, withdrawn_at__isnull=True, **scoped
    ).values_list(
        "facility_id", "pk", "kind", "occurred_on", "description", "evidence", "section__short_name"
    )
    for facility_id, pk, kind, occurred_on, description, evidence, section in recorded:
        facts[facility_id].append(
            rules.Fact(
                kind,
                f"{occurred_on:%Y-%m-%d} {description}（{section}记录；证明材料：{evidence}）",
                link("permits:facility-detail", facility_id, f"#grading-fact-{pk}"),
            )
        )

    def counts(queryset):
        return dict(queryset.values_list("facility_id").annotate(n=Count("id")).order_by())

    findings = counts(Finding.objects.filter(found_on__range=in_year, **scoped))
    overdue = counts(
        RectificationItem.objects.filter(deadline_on__range=in_year, **scoped).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=F("deadline_on"))
        )
    )
    late = counts(
        ExecutionReport.objects.filter(due_on__range=in_year, **scoped).filter(
            Q(received_on__isnull=True) | Q(received_on__gt=F("due_on"))
        )
    )
    tasks = counts(LinkageTask.objects.filter(started_on__range=in_year, **scoped))
    holders_facts = [
        rules.HolderFacts(
            pk,
            code,
            tuple(facts.get(pk, ())),
            rules.Record(findings.get(pk, 0), overdue.get(pk, 0), late.get(pk, 0), tasks.get(pk, 0)),
        )
        for pk, code, _ in rows
    ]
    return Loaded(holders_facts, {pk: name for pk, _, name in rows})


# --- facts recorded by hand ------------------------------------------------------------------------


def may_record(user) -> bool:
    return Viewer.of(user).in_sections(FACT_RECORDERS) and not getattr(user, "is_superuser", False)


def _locked_year(year: int) -> str | None:
    if AnnualGrading.objects.filter(year=year, state=GradingState.CONFIRMED).exists():
        return f"{year} 年度等级评定已确认，该年度的事实不能再增减。"
    return None


@transaction.atomic
def record_fact(
    *,
    by: User,
    facility: Facility,
    kind: str,
    occurred_on: date,
    description: str,
    evidence: str,
    evidence_file=None,
    today: date | None = None,
) -> GradingFact:
    """Record a fact of 附件2 for one holder, with its evidence and the recording section."""
    staff = staff_of(by)
    if staff is None or staff.section.code not in FACT_RECORDERS:
        raise PermissionDenied("等级评定事实由审批科、生态科、污防科、法制科、执法大队或监测站记录。")
    today = today or timezone.localdate()
    errors = {}
    if kind not in FactKind.values:
        errors["kind"] = "请选择附件2所列的情形。"
    if occurred_on is None:
        errors["occurred_on"] = "请填写发生日期。"
    elif occurred_on > today:
        errors["occurred_on"] = "发生日期不能晚于今天。"
    elif message := _locked_year(occurred_on.year):
        errors["occurred_on"] = message
    if not (description or "").strip():
        errors["description"] = "请填写事实描述。"
    if not (evidence or "").strip():
        errors["evidence"] = "请填写证明材料（文件名称、文号或报道出处）。"
    if evidence_file:
        try:
            check_upload(evidence_file, field="evidence_file", label="证明文件")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    fact = GradingFact(
        facility=facility,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        evidence=evidence.strip(),
        section=staff.section,
        recorded_by=by,
    )
    if evidence_file:
        fact.evidence_file = evidence_file
    return history.save_checked(fact, by=by, reason="记录等级评定事实")


@transaction.atomic
def withdraw_fact(*, by: User, fact: GradingFact, reason: str) -> GradingFact:
    """Withdraw a fact recorded in error: only its section, with a reason; it stays on record."""
    staff = staff_of(by)
    fact = GradingFact.objects.select_for_update().get(pk=fact.pk)
    if staff is None or staff.section_id != fact.section_id:
        raise PermissionDenied("只有记录该事实的科室可以撤回。")
    if fact.withdrawn_at:
        raise ValidationError("该事实已撤回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤回理由。"})
    if message := _locked_year(fact.occurred_on.year):
        raise ValidationError(message)
    fact.withdrawn_at = timezone.now()
    fact.withdrawn_by = by
    fact.withdrawn_reason = reason.strip()
    return history.save_checked(fact, by=by, reason=f"撤回：{reason.strip()}")
