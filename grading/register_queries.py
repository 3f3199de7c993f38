"""Reads of the grading's registers (the positive list, credit ratings, the work group, recorded facts)
that their pages share. Each returns a queryset or list with what its page shows already joined, so a
page costs a fixed number of queries however many rows it shows. Readers are the bureau's sections
(the views check); towns see none of it (R-ORG-3: grading spans every town)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet

from bureau import sections
from bureau.models import Section, Staff
from grading.models import (
    CreditRecord,
    GradingFact,
    GradingState,
    PositiveListEntry,
    PositiveListProposal,
    PositiveListSettings,
    ProposalState,
    WorkGroupPost,
)
from grading.services.facts import FACT_RECORDERS, holders_of
from grading.services.workgroup import MEMBER_SECTIONS
from permits.models import Facility, Permit

# --- the positive list (R-POS-1) ------------------------------------------------------------------


def positive_entries(*, removed: bool, search: str = "") -> QuerySet[PositiveListEntry]:
    """The entries now on the list (``removed=False``) or taken off it (the history), with facility,
    town and who listed or removed them; the latest first."""
    entries = PositiveListEntry.objects.filter(removed_on__isnull=not removed).select_related(
        "facility__town", "listed_by", "removed_by"
    )
    if search:
        entries = entries.filter(_facility_matches(search, prefix="facility__"))
    order = ["-removed_on", "-id"] if removed else ["-listed_on", "-id"]
    return entries.order_by(*order)


def pending_proposals() -> QuerySet[PositiveListProposal]:
    """Proposals of confirmed gradings awaiting 法制科's decision (R-GRD-5 → R-POS-1)."""
    return (
        PositiveListProposal.objects.filter(
            state=ProposalState.PENDING, grading__state=GradingState.CONFIRMED
        )
        .select_related("facility__town", "grading")
        .order_by("grading__year", "kind", "facility__source_code")
    )


def decided_proposals() -> QuerySet[PositiveListProposal]:
    """Decided proposals with who decided when, the latest first."""
    return (
        PositiveListProposal.objects.exclude(state=ProposalState.PENDING)
        .select_related("facility__town", "grading", "decided_by")
        .order_by("-decided_at", "-id")
    )


def proposal_settings() -> PositiveListSettings:
    """The bureau's proposal conditions as saved, or the defaults when never saved (no write on a read)."""
    return PositiveListSettings.objects.select_related("updated_by").first() or PositiveListSettings()


def listable_facilities() -> QuerySet[Facility]:
    """What 法制科 may pick to list: any facility of the registry (the service refuses a 不合格 one)."""
    return Facility.objects.all()


# --- credit (R-CRD-1) -----------------------------------------------------------------------------

UNRATED = "unrated"


def permit_holding_facilities() -> QuerySet[Facility]:
    """Facilities that hold or held a permit (a rating or a fact may concern a year already past)."""
    return Facility.objects.filter(pk__in=Permit.objects.values("facility_id"))


def credit_holders(
    year: int, *, rating: str = "", town_id: int | None = None, search: str = ""
) -> QuerySet[Facility]:
    """Every permit holder of ``year`` (``services.facts.holders_of``) with its latest rating, filtered
    by ``rating`` (a level, or ``UNRATED``), town and a part of its name or codes; its credit records
    come prefetched (one query for the page)."""
    facilities = Facility.objects.filter(pk__in=holders_of(year)).select_related("town")
    if rating == UNRATED:
        facilities = facilities.filter(credit_rating="")
    elif rating:
        facilities = facilities.filter(credit_rating=rating)
    if town_id:
        facilities = facilities.filter(town_id=town_id)
    if search:
        facilities = facilities.filter(_facility_matches(search))
    records = CreditRecord.objects.select_related("recorded_by").order_by("-rated_on", "-id")
    return facilities.prefetch_related(Prefetch("credit_records", queryset=records)).order_by("source_code")


def _facility_matches(text: str, *, prefix: str = "") -> Q:
    text = text.strip()
    return (
        Q(**{f"{prefix}name__icontains": text})
        | Q(**{f"{prefix}source_code__icontains": text})
        | Q(**{f"{prefix}credit_code__icontains": text})
    )


# --- the work group (R-ORG-1, 附件1) --------------------------------------------------------------


@dataclass(frozen=True)
class Tenure:
    """One person's time in one post: from ``since`` until ``until`` (None: still there)."""

    post_id: int
    holder: str
    since: datetime
    until: datetime | None
    by: str
    reason: str


def post_tenures() -> dict[int, list[Tenure]]:
    """Who held each post when, read from the posts' history (one query): a tenure begins at a
    history row that names a holder different from the one before, and ends at the next change, at a
    vacancy or when the post is retired."""
    rows = WorkGroupPost.history.select_related("holder__user", "history_user").order_by(
        "id", "history_date", "history_id"
    )
    tenures: dict[int, list[Tenure]] = {}
    current: dict[int, int | None] = {}
    for row in rows:
        held = tenures.setdefault(row.id, [])
        holder_id = row.holder_id if row.is_active else None
        if row.id in current and current[row.id] == holder_id:
            continue
        current[row.id] = holder_id
        if held and held[-1].until is None:
            held[-1] = _ended(held[-1], row.history_date)
        if holder_id is None:
            continue
        held.append(
            Tenure(
                row.id,
                row.holder.user.display_name if row.holder else "（人员记录不存在）",
                row.history_date,
                None,
                row.history_user.display_name if row.history_user else "系统",
                row.history_change_reason or "",
            )
        )
    return tenures


def _ended(tenure: Tenure, at: datetime) -> Tenure:
    return Tenure(tenure.post_id, tenure.holder, tenure.since, at, tenure.by, tenure.reason)


def posts() -> list[WorkGroupPost]:
    """Every post, active first (组长, 副组长, 成员 in their order), then the retired ones."""
    return list(
        WorkGroupPost.objects.select_related("section", "holder__user", "holder__section").order_by(
            "-is_active", "order", "id"
        )
    )


def staff_by_section() -> dict[int, list[Staff]]:
    """Active staff of the sections that hold posts, by section id (one query): what a post's
    successor is chosen from (a post is held within its own section, 附件1)."""
    staff = (
        Staff.objects.filter(section__code__in=[*MEMBER_SECTIONS, sections.LEADERSHIP], user__is_active=True)
        .select_related("user", "section")
        .order_by("section__code", "user__last_name", "user__first_name", "user__username")
    )
    grouped: dict[int, list[Staff]] = {}
    for person in staff:
        grouped.setdefault(person.section_id, []).append(person)
    return grouped


def post_sections() -> QuerySet[Section]:
    return Section.objects.filter(code__in=[*MEMBER_SECTIONS, sections.LEADERSHIP]).order_by("id")


# --- facts recorded by hand ------------------------------------------------------------------------


def facts(*, year: int | None = None, kind: str = "", section_id: int | None = None):
    """Facts the sections recorded by hand, withdrawn ones included, with facility, section and who."""
    rows = GradingFact.objects.select_related("facility__town", "section", "recorded_by", "withdrawn_by")
    if year:
        rows = rows.filter(occurred_on__range=(date(year, 1, 1), date(year, 12, 31)))
    if kind:
        rows = rows.filter(kind=kind)
    if section_id:
        rows = rows.filter(section_id=section_id)
    return rows.order_by("-occurred_on", "-id")


def fact_sections() -> QuerySet[Section]:
    return Section.objects.filter(code__in=FACT_RECORDERS).order_by("id")
