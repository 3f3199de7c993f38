"""Cases (案件, R-INS-10; 002 九、十、十四): opened by 执法大队 on findings of signed inspections, put to
法制科's legal review (法制审核), decided.

Life of a case::

    investigating ──submit_case──▶ under_review ──record_review(approved)──▶ reviewed ──decide_case──▶ decided
          ▲                            │
          └──record_review(returned)───┘

法制科's head names the reviewer (``assign_reviewer``), who is granted ``inspections.review_case`` on
that case (django-guardian); only the reviewer records the opinion. The decision is the one the review
approved: a penalty lands in the registry's penalty records (and a 吊销 in the permit's events, both
through ``permits``' services), no penalty needs a ground of 002 十四 with its legal basis, a transfer
to the police (002 十) its date and receiving office.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm

from bureau import history, positive_list
from bureau.access import staff_of
from bureau.errors import Conflict
from bureau.models import Role, User
from bureau.numbers import next_in_series
from bureau.services import section
from bureau.todo import add_todo, complete_todo
from inspections import rules
from inspections.models import (
    Case,
    CaseDecision,
    CaseOfficer,
    CaseState,
    Conduct,
    Finding,
    FindingKind,
    FindingState,
    Inspection,
    InspectionState,
)
from inspections.services.common import is_head, officer_facts, require_section
from permits.models import Facility, Permit, PermitEventKind, PermitState
from permits.queries import with_state
from permits.services.penalties import record_penalty
from permits.services.permits import record_permit_event

CASE_SERIES = "inspection-case"
ASSIGN_TODO = "case-assign-reviewer:"
REVIEW_TODO = "case-review:"
DECIDE_TODO = "case-decide:"
ONLY_ENFORCEMENT = "案件由执法大队办理。"


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("facility").get(pk=case.pk)


def _kinds(case: Case) -> set[str]:
    return set(case.findings.values_list("kind", flat=True))


def _drop_from_positive_list(case: Case, on: date) -> bool:
    """R-POS-1 (002 十二 及时移出): the unit of a case of secret discharge, tampering or evading
    supervision leaves the positive list from ``on``, the case as the reason."""
    return positive_list.drop_at_once(
        case.facility_id,
        on=on,
        reason=f"案件 {case.number}：{Conduct(case.conduct).label}",
        url=reverse("inspections:case-detail", args=[case.pk]),
    )


def _conduct_error(conduct: str) -> str | None:
    return rules.CONDUCT_ERROR if conduct and conduct not in rules.CONDUCTS else None


def _summary(findings: list[Finding]) -> str:
    kinds = list(dict.fromkeys(FindingKind(f.kind).label for f in findings))
    return "涉嫌" + "、".join(kinds)


@transaction.atomic
def open_case(
    *,
    by: User,
    facility: Facility,
    findings: list[Finding],
    opened_on: date,
    summary: str = "",
    officers: list[User] | None = None,
    conduct: str = "",
) -> Case:
    """立案 on ``findings`` of signed inspections of ``facility`` that are in no case yet. The officers
    are those given (at least two, with certificates, R-INS-6) or the officers of the findings'
    inspection. ``conduct`` (or, when not given, the first the findings were marked with) marks a case
    of secret discharge, tampering or evading supervision: the unit leaves the positive list at once
    (R-POS-1)."""
    require_section(by, rules.INSPECTING_SECTION, ONLY_ENFORCEMENT)
    # Locked, in one order, and read again: of two 立案 on the same finding at once, one waits and
    # then finds it in the other's case.
    findings = list(
        Finding.objects.select_for_update()
        .select_related("inspection")
        .filter(pk__in=[f.pk for f in findings])
        .order_by("pk")
    )
    errors = {}
    if not findings:
        errors["findings"] = "立案须至少关联一个检查发现的问题。"
    for finding in findings:
        if finding.facility_id != facility.pk:
            errors["findings"] = "所选问题不属于该排污单位。"
        elif finding.case_id:
            errors["findings"] = f"问题（{finding.inspection.number}）已在案件中。"
        elif finding.inspection.state != InspectionState.SIGNED:
            errors["findings"] = "只能就已签署检查记录中的问题立案。"
    if opened_on is None or opened_on > timezone.localdate():
        errors["opened_on"] = "立案日期不能晚于今天。"
    elif findings and opened_on < min(f.found_on for f in findings):
        errors["opened_on"] = "立案日期不能早于发现问题的检查日期。"
    if error := _conduct_error(conduct):
        errors["conduct"] = error
    if officers is None and findings:
        officers = [
            o.officer for o in findings[0].inspection.officers.select_related("officer__staff__section")
        ]
    officer_errors = rules.officer_errors(officer_facts(list(dict.fromkeys(officers or []))))
    if officer_errors:
        errors["officers"] = officer_errors
    if errors:
        raise ValidationError(errors)
    sequence = next_in_series(CASE_SERIES, opened_on.year)
    case = Case(
        number=rules.case_number(opened_on.year, sequence),
        year=opened_on.year,
        sequence=sequence,
        facility=facility,
        opened_on=opened_on,
        summary=(summary.strip() or _summary(findings))[:300],
        conduct=conduct or next((f.conduct for f in findings if f.conduct), ""),
        opened_by=by,
    )
    history.save_checked(case, by=by, reason="立案")
    for user in dict.fromkeys(officers):
        history.save(
            CaseOfficer(
                case=case, officer=user, name=user.display_name, certificate_no=user.staff.certificate_no
            ),
            by=by,
        )
    for finding in findings:
        finding.case = case
        history.save(finding, by=by, reason=f"立案 {case.number}")
    if case.conduct:
        _drop_from_positive_list(case, opened_on)
    return case


def open_case_for_findings(*, inspection: Inspection, findings: list[Finding], by: User) -> Case:
    """The case of an inspection's findings the officers chose 立案查处 for, opened on its day."""
    return open_case(
        by=by, facility=inspection.facility, findings=findings, opened_on=inspection.inspected_on
    )


@transaction.atomic
def submit_case(*, by: User, case: Case, proposed_decision: str, proposal: str, submitted_on: date) -> Case:
    """提请法制审核: 执法大队 submits the investigation's conclusion and the decision it proposes."""
    require_section(by, rules.INSPECTING_SECTION, ONLY_ENFORCEMENT)
    case = _locked(case)
    if case.state != CaseState.INVESTIGATING:
        raise Conflict("只有调查取证中的案件可以提请法制审核。")
    errors = {}
    if not proposed_decision:
        errors["proposed_decision"] = "请选择拟处理意见。"
    elif proposed_decision not in CaseDecision.values:
        errors["proposed_decision"] = "拟处理意见应为行政处罚、不予行政处罚或移送公安机关之一。"
    elif proposed_decision == CaseDecision.NO_PENALTY:
        error = rules.no_penalty_kind_error(None, _kinds(case), dict(FindingKind.choices))
        if error:
            errors["proposed_decision"] = error
    if not proposal.strip():
        errors["proposal"] = "请填写调查终结报告及拟处理意见。"
    if submitted_on is None or submitted_on > timezone.localdate():
        errors["submitted_on"] = "提请日期不能晚于今天。"
    elif submitted_on < case.opened_on:
        errors["submitted_on"] = "提请日期不能早于立案日期。"
    if errors:
        raise ValidationError(errors)
    case.state = CaseState.UNDER_REVIEW
    case.proposed_decision, case.proposal, case.submitted_on = (
        proposed_decision,
        proposal.strip(),
        submitted_on,
    )
    history.save(case, by=by, reason="提请法制审核")
    complete_todo(key=f"{DECIDE_TODO}{case.pk}", by=by)
    url = reverse("inspections:case-detail", args=[case.pk])
    if case.reviewer_id:
        add_todo(
            key=f"{REVIEW_TODO}{case.pk}",
            title=f"案件 {case.number} 待法制审核",
            url=url,
            due_on=submitted_on,
            user=case.reviewer,
        )
    else:
        add_todo(
            key=f"{ASSIGN_TODO}{case.pk}",
            title=f"案件 {case.number}（{case.facility.name}）待指定法制审核人",
            url=url,
            due_on=submitted_on,
            section=section(rules.REVIEW_SECTION),
            role=Role.HEAD,
        )
    return case


@transaction.atomic
def assign_reviewer(*, by: User, case: Case, reviewer: User) -> Case:
    """法制科's head names the case's legal reviewer, who alone may record the review; a new reviewer
    takes the grant from the one before."""
    if not is_head(by, rules.REVIEW_SECTION):
        raise PermissionDenied("法制审核人由法制科负责人指定。")
    case = _locked(case)
    if case.state == CaseState.DECIDED:
        raise Conflict("案件已决定，不能再指定审核人。")
    staff = staff_of(reviewer)
    if not reviewer.is_active or staff is None or staff.section.code != rules.REVIEW_SECTION:
        raise ValidationError({"reviewer": "法制审核人须为法制科在岗人员。"})
    previous = case.reviewer
    if previous is not None and previous != reviewer:
        remove_perm(rules.REVIEW_PERMISSION, previous, case)
        complete_todo(key=f"{REVIEW_TODO}{case.pk}", by=by)
    case.reviewer = reviewer
    history.save(case, by=by, reason=f"指定法制审核人：{reviewer.display_name}")
    assign_perm(rules.REVIEW_PERMISSION, reviewer, case)
    complete_todo(key=f"{ASSIGN_TODO}{case.pk}", by=by)
    if case.state == CaseState.UNDER_REVIEW:
        add_todo(
            key=f"{REVIEW_TODO}{case.pk}",
            title=f"案件 {case.number}（{case.facility.name}）待法制审核",
            url=reverse("inspections:case-detail", args=[case.pk]),
            due_on=case.submitted_on,
            user=reviewer,
        )
    return case


def is_reviewer(user, case: Case) -> bool:
    """Whether ``user`` holds the legal review of ``case``: the grant, while still an active member of
    法制科 (the right follows the post, R-ORG-1); never the administrator."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser or not user.is_active:
        return False
    staff = staff_of(user)
    if staff is None or staff.section.code != rules.REVIEW_SECTION:
        return False
    return ObjectPermissionChecker(user).has_perm(rules.REVIEW_PERMISSION.split(".")[1], case)


@transaction.atomic
def record_review(*, by: User, case: Case, approved: bool, opinion: str, reviewed_on: date) -> Case:
    """法制审核意见 by the case's reviewer: approved, the case waits for its decision; returned, it goes
    back to 执法大队 with the opinion."""
    if not is_reviewer(by, case):
        raise PermissionDenied("只有该案件的法制审核人可以登记审核意见。")
    case = _locked(case)
    if case.state != CaseState.UNDER_REVIEW:
        raise Conflict("该案件不在法制审核中。")
    errors = {}
    if not opinion.strip():
        errors["review_opinion"] = "请填写法制审核意见。"
    if reviewed_on is None or reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "审核日期不能晚于今天。"
    elif reviewed_on < case.submitted_on:
        errors["reviewed_on"] = "审核日期不能早于提请审核日期。"
    if errors:
        raise ValidationError(errors)
    case.review_opinion, case.reviewed_on = opinion.strip(), reviewed_on
    case.review_rounds += 1
    case.state = CaseState.REVIEWED if approved else CaseState.INVESTIGATING
    history.save(case, by=by, reason="法制审核通过" if approved else "法制审核退回补充调查")
    complete_todo(key=f"{REVIEW_TODO}{case.pk}", by=by)
    add_todo(
        key=f"{DECIDE_TODO}{case.pk}",
        title=(
            f"案件 {case.number} 法制审核通过，待作出决定"
            if approved
            else f"案件 {case.number} 被法制审核退回"
        ),
        url=reverse("inspections:case-detail", args=[case.pk]),
        due_on=reviewed_on,
        section=section(rules.INSPECTING_SECTION),
    )
    return case


@transaction.atomic
def decide_case(
    *,
    by: User,
    case: Case,
    decision: str,
    decided_on: date,
    decision_no: str = "",
    penalty_amount: Decimal | None = None,
    revokes_permit: bool = False,
    no_penalty_ground: str = "",
    legal_basis: str = "",
    first_violation: bool = False,
    slight_harm: bool = False,
    corrected_on: date | None = None,
    police_office: str = "",
    conduct: str = "",
) -> Case:
    """The decision the legal review approved (R-INS-10). A penalty is recorded in the registry's
    penalty records, a 吊销 as the permit's event; its findings are closed with it. ``conduct``, when
    the investigation established secret discharge, tampering or evading supervision, is marked on the
    case and the unit leaves the positive list from the decision's day (R-POS-1); left empty, the case
    keeps what it was marked with when opened."""
    require_section(by, rules.INSPECTING_SECTION, ONLY_ENFORCEMENT)
    case = _locked(case)
    if case.state != CaseState.REVIEWED:
        raise Conflict("案件须经法制审核通过后才能作出决定。")
    if decision != case.proposed_decision:
        raise ValidationError(
            {
                "decision": f"决定应与法制审核通过的拟处理意见（{case.get_proposed_decision_display()}）一致；如需改变，请重新提请审核。"
            }
        )
    facts = rules.DecisionFacts(
        decision=decision,
        decided_on=decided_on,
        opened_on=case.opened_on,
        decision_no=decision_no,
        penalty_amount=penalty_amount,
        no_penalty_ground=no_penalty_ground,
        legal_basis=legal_basis,
        first_violation=first_violation,
        slight_harm=slight_harm,
        corrected_on=corrected_on,
        police_office=police_office,
        revokes_permit=revokes_permit,
    )
    errors = rules.decision_errors(facts, today=timezone.localdate())
    if decision == CaseDecision.NO_PENALTY and "no_penalty_ground" not in errors:
        error = rules.no_penalty_kind_error(no_penalty_ground, _kinds(case), dict(FindingKind.choices))
        if error:
            errors["no_penalty_ground"] = error
    if error := _conduct_error(conduct):
        errors["conduct"] = error
    permit = None
    if decision == CaseDecision.PENALTY and revokes_permit:
        valid = with_state(Permit.objects.filter(facility=case.facility), decided_on).filter(
            state=PermitState.VALID
        )
        permit = valid.order_by("-valid_until").first()
        if permit is None:
            errors["revokes_permit"] = "该排污单位没有有效的排污许可证可吊销。"
    if errors:
        raise ValidationError(errors)
    case.decision, case.decided_on = decision, decided_on
    if decision == CaseDecision.PENALTY:
        case.decision_no, case.penalty_amount, case.revokes_permit = (
            decision_no.strip(),
            penalty_amount,
            revokes_permit,
        )
        case.penalty_record = record_penalty(
            by=by,
            facility=case.facility,
            decision_no=decision_no,
            decided_on=decided_on,
            violation=f"{case.summary.removeprefix('涉嫌')}（案件 {case.number}）"[:300],
            amount=penalty_amount,
        )
        if permit is not None:
            record_permit_event(
                by=by,
                permit=permit,
                kind=PermitEventKind.REVOCATION,
                occurred_on=decided_on,
                document_no=decision_no.strip(),
                note=f"行政处罚（案件 {case.number}）",
                as_penalty=True,
            )
            case.permit = permit
    elif decision == CaseDecision.NO_PENALTY:
        case.no_penalty_ground, case.legal_basis, case.corrected_on = (
            no_penalty_ground,
            legal_basis.strip(),
            corrected_on,
        )
        case.decision_no = decision_no.strip()
    else:
        case.police_office, case.transferred_on = police_office.strip(), decided_on
    newly_marked = bool(conduct) and conduct != case.conduct
    if newly_marked:
        case.conduct = conduct
    case.state = CaseState.DECIDED
    history.save_checked(case, by=by, reason=f"作出决定：{CaseDecision(decision).label}")
    if newly_marked:
        _drop_from_positive_list(case, decided_on)
    for finding in case.findings.filter(state=FindingState.OPEN).select_related("rectification"):
        if finding.rectification_id and finding.rectification.closed_on is None:
            continue  # its rectification still runs: the follow-up inspection closes it (R-INS-8)
        finding.state, finding.closed_on = FindingState.CLOSED, decided_on
        finding.closing_note = f"案件 {case.number} 已决定：{CaseDecision(decision).label}"
        history.save(finding, by=by, reason=finding.closing_note)
    complete_todo(key=f"{DECIDE_TODO}{case.pk}", by=by)
    return case


@transaction.atomic
def reopen_case(*, by: User, case: Case, reason: str) -> Case:
    """执法大队 takes back a case the legal review approved, to propose another decision: it returns to
    调查取证 and must be submitted and reviewed again (the decision is always the one a review approved)."""
    require_section(by, rules.INSPECTING_SECTION, ONLY_ENFORCEMENT)
    case = _locked(case)
    if case.state != CaseState.REVIEWED:
        raise Conflict("只有法制审核通过、尚未决定的案件可以撤回重新提请。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤回理由（如需改变拟处理意见）。"})
    case.state = CaseState.INVESTIGATING
    history.save(case, by=by, reason=f"撤回重新提请：{reason.strip()}"[:100])
    complete_todo(key=f"{DECIDE_TODO}{case.pk}", by=by)
    return case
