"""The enforcement positive list (执法正面清单, R-POS-1, 002 十二), kept by 法制科.

- A confirmed grading proposes additions (优秀 holders that meet the bureau's conditions, never a
  不合格 one) and removals (不合格 holders on the list); 法制科 accepts or rejects each.
- 法制科 may also list or remove a unit itself, with a reason.
- A case or finding of secret discharge, tampering with ledgers or evading supervision removes the
  unit at once (``drop_at_once``; ``inspections`` calls it through ``bureau.positive_list``).
- ``members`` answers who is on the list on a day; it is the provider ``bureau.positive_list`` asks,
  so the frequency rules (R-INS-4) and the draws read membership from here.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bureau import history, sections, todo
from bureau.access import Viewer
from bureau.errors import Conflict
from bureau.models import Section, User
from grading import rules
from grading.models import (
    AnnualGrading,
    EntrySource,
    FacilityGrade,
    GradingState,
    PositiveListEntry,
    PositiveListProposal,
    PositiveListSettings,
    ProposalKind,
    ProposalState,
)
from permits.models import CreditRating, Facility, PenaltyRecord

KEEPERS = frozenset({sections.LEGAL})
NOT_KEEPER = "执法正面清单由社区联络科（法制科）管理。"
PROPOSAL_TODO = "positive-list-proposals:"
CREDIT_TODO = "positive-list-credit:"


def may_keep(user) -> bool:
    viewer = Viewer.of(user)
    return not viewer.is_superuser and viewer.section_code in KEEPERS


def _require_keeper(by: User) -> None:
    if not may_keep(by):
        raise PermissionDenied(NOT_KEEPER)


def members(on: date, facility_ids=None) -> set[int]:
    """The facilities on the list on ``on`` (among ``facility_ids``), one query."""
    entries = PositiveListEntry.objects.filter(listed_on__lte=on).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=on)
    )
    if facility_ids is not None:
        entries = entries.filter(facility_id__in=list(facility_ids))
    return set(entries.values_list("facility_id", flat=True))


def settings_row() -> PositiveListSettings:
    """The bureau's conditions, or the defaults (unsaved) until 法制科 sets them."""
    return PositiveListSettings.objects.first() or PositiveListSettings()


def _latest_unqualified(facility: Facility) -> AnnualGrading | None:
    """The latest confirmed grading, when it graded ``facility`` 不合格 (R-POS-1: not admitted)."""
    latest = (
        FacilityGrade.objects.filter(facility=facility, grading__state=GradingState.CONFIRMED)
        .select_related("grading")
        .order_by("-grading__year")
        .first()
    )
    return latest.grading if latest and latest.grade == rules.UNQUALIFIED else None


def _open_entry(facility_id: int) -> PositiveListEntry | None:
    return (
        PositiveListEntry.objects.select_for_update()
        .filter(facility_id=facility_id, removed_on__isnull=True)
        .first()
    )


def propose_from(grading: AnnualGrading, *, today: date) -> int:
    """The proposals of a confirmed grading (R-GRD-5 → R-POS-1); returns how many were made."""
    conditions = settings_row()
    start = date(grading.year, 1, 1)
    on_list = members(today)
    grades = FacilityGrade.objects.filter(grading=grading, grade__in=[rules.EXCELLENT, rules.UNQUALIFIED])
    rows = list(grades.values_list("facility_id", "grade", "facility__credit_rating"))
    penalised = set()
    if conditions.require_no_penalty:
        penalised = set(
            PenaltyRecord.objects.filter(
                decided_on__gte=start, facility_id__in=[r[0] for r in rows if r[1] == rules.EXCELLENT]
            ).values_list("facility_id", flat=True)
        )
    levels = conditions.credit_level_set
    proposals = []
    for facility_id, grade, credit in rows:
        if grade == rules.UNQUALIFIED and facility_id in on_list:
            proposals.append(
                PositiveListProposal(
                    facility_id=facility_id,
                    kind=ProposalKind.REMOVE,
                    grading=grading,
                    reason=f"{grading.year} 年度等级评定为“不合格”（不合格单位不得列入执法正面清单）",
                )
            )
        elif grade == rules.EXCELLENT and facility_id not in on_list:
            if facility_id in penalised or (levels and credit not in levels):
                continue
            proposals.append(
                PositiveListProposal(
                    facility_id=facility_id,
                    kind=ProposalKind.ADD,
                    grading=grading,
                    reason=f"{grading.year} 年度等级评定为“优秀”，且符合本局设定的列入条件",
                )
            )
    history.bulk_create(proposals, PositiveListProposal, by=None, reason="年度等级评定确认后提出")
    if proposals:
        todo.add_todo(
            key=f"{PROPOSAL_TODO}{grading.year}",
            title=f"{grading.year} 年度等级评定提出的执法正面清单调整建议 {len(proposals)} 条待决定",
            url=_list_url(),
            section=Section.objects.get(code=sections.LEGAL),
        )
    return len(proposals)


def _list_url() -> str:
    return reverse("grading:positive-list")


def _add(facility: Facility, *, by: User, on: date, reason: str, source: str) -> PositiveListEntry:
    if grading := _latest_unqualified(facility):
        raise ValidationError(f"该单位 {grading.year} 年度等级评定为“不合格”，不得列入执法正面清单。")
    if _open_entry(facility.pk):
        raise ValidationError("该单位已在执法正面清单中。")
    entry = PositiveListEntry(facility=facility, listed_on=on, reason=reason, source=source, listed_by=by)
    return history.save_checked(
        entry, by=by, reason=f"列入执法正面清单：{reason}", duplicate="该单位已在执法正面清单中。"
    )


def _remove(
    entry: PositiveListEntry,
    *,
    by: User | None,
    on: date,
    reason: str,
    source: str,
    url: str = "",
    deciding: int | None = None,
):
    """Take the entry off the list; a pending proposal to remove it is carried out by the same step."""
    entry.removed_on = on
    entry.removal_reason = reason[:300]
    entry.removal_source = source
    entry.removal_url = url[:300]
    entry.removed_by = by
    history.save_checked(entry, by=by, reason=f"移出执法正面清单：{reason}"[:100])
    todo.complete_todo(key=f"{CREDIT_TODO}{entry.facility_id}", by=by)
    pending = (
        PositiveListProposal.objects.select_for_update()
        .filter(facility_id=entry.facility_id, kind=ProposalKind.REMOVE, state=ProposalState.PENDING)
        .exclude(pk=deciding)
    )
    for proposal in pending:
        proposal.state = ProposalState.ACCEPTED
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.decision_note = f"已于 {on:%Y-%m-%d} 移出：{reason}"[:300]
        proposal.entry = entry
        history.save(proposal, by=by, reason="随移出一并办结")
    return entry


@transaction.atomic
def decide(
    *, by: User, proposal: PositiveListProposal, accept: bool, note: str = "", today: date | None = None
):
    """法制科 accepts or rejects one proposal; accepting it changes the list the same day."""
    _require_keeper(by)
    today = today or timezone.localdate()
    proposal = PositiveListProposal.objects.select_for_update().select_related("facility").get(pk=proposal.pk)
    if proposal.state != ProposalState.PENDING:
        raise Conflict(f"该建议已决定（{proposal.get_state_display()}），不能再次决定。")
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": "不予采纳的，请填写理由。"})
    if accept:
        if proposal.kind == ProposalKind.ADD:
            proposal.entry = _add(
                proposal.facility, by=by, on=today, reason=proposal.reason, source=EntrySource.PROPOSAL
            )
        else:
            entry = _open_entry(proposal.facility_id)
            if entry is None:
                raise Conflict("该单位已不在执法正面清单中。")
            proposal.entry = _remove(
                entry,
                by=by,
                on=today,
                reason=proposal.reason,
                source=EntrySource.PROPOSAL,
                deciding=proposal.pk,
            )
    proposal.state = ProposalState.ACCEPTED if accept else ProposalState.REJECTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    history.save_checked(proposal, by=by, reason="采纳建议" if accept else "不予采纳")
    if not PositiveListProposal.objects.filter(
        grading=proposal.grading, state=ProposalState.PENDING
    ).exists():
        todo.complete_todo(key=f"{PROPOSAL_TODO}{proposal.grading.year}", by=by)
    return proposal


@transaction.atomic
def add(*, by: User, facility: Facility, reason: str, today: date | None = None) -> PositiveListEntry:
    """法制科 lists a unit that meets the list's conditions (002 十二), with its reason."""
    _require_keeper(by)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写列入理由。"})
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    return _add(
        facility, by=by, on=today or timezone.localdate(), reason=reason.strip(), source=EntrySource.MANUAL
    )


@transaction.atomic
def remove(*, by: User, facility: Facility, reason: str, today: date | None = None) -> PositiveListEntry:
    _require_keeper(by)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写移出理由。"})
    entry = _open_entry(facility.pk)
    if entry is None:
        raise ValidationError("该单位不在执法正面清单中。")
    return _remove(
        entry, by=by, on=today or timezone.localdate(), reason=reason.strip(), source=EntrySource.MANUAL
    )


@transaction.atomic
def drop_at_once(facility_id: int, *, on: date, reason: str, url: str = "") -> bool:
    """R-POS-1 (002 十二 "将存在恶意偷排、篡改台账记录、逃避监管等行为的排污单位及时移出清单"): take the unit off the
    list from ``on`` with ``reason``; pending additions for it are rejected. Returns whether it was on
    the list. The system acts; the record that caused it is the reason."""
    entry = _open_entry(facility_id)
    if entry is not None:
        _remove(
            entry, by=None, on=max(on, entry.listed_on), reason=reason, source=EntrySource.AUTOMATIC, url=url
        )
    pending = PositiveListProposal.objects.select_for_update().filter(
        facility_id=facility_id, kind=ProposalKind.ADD, state=ProposalState.PENDING
    )
    for proposal in pending:
        proposal.state = ProposalState.REJECTED
        proposal.decided_at = timezone.now()
        proposal.decision_note = f"系统及时移出，不予列入：{reason}"[:300]
        history.save(proposal, by=None, reason="及时移出")
    return entry is not None


@transaction.atomic
def update_settings(*, by: User, require_no_penalty: bool, credit_levels: list[str]) -> PositiveListSettings:
    _require_keeper(by)
    unknown = [c for c in credit_levels if c not in CreditRating.values or not c]
    if unknown:
        raise ValidationError({"credit_levels": "信用等级有误：" + "、".join(unknown)})
    row = PositiveListSettings.objects.select_for_update().first() or PositiveListSettings()
    row.require_no_penalty = bool(require_no_penalty)
    row.credit_levels = ",".join(credit_levels)
    row.updated_by = by
    return history.save_checked(row, by=by, reason="修改正面清单建议条件")
