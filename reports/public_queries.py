"""Every read of the public disclosure pages and their API (R-PUB-1; 002 十六、二十一, 000 四1, 003 第十九条),
for an anonymous citizen, without login.

The scoping is done once, here: every row starts from ``public_facilities()``, so a unit involving
state secrets (``Facility.is_confidential``) never appears, not even by its penalty or typical case.
Each read hands out plain dataclasses holding only public fields: a unit's name, credit code, site,
town and industry, its permits' numbers, levels and validity, the decisions the bureau published. Never
personal data (contact persons and phones, reporters, officers), never internal notes (investigation
reports, review opinions, permit event notes). A page costs a fixed number of queries whatever the
number of rows: the towns for the filter, the count, the page.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from bureau.models import Town
from inspections import public_queries as draw_public_queries
from inspections.models import Case, CaseDecision, CaseState
from permits import rules as permit_rules
from permits.models import Facility, ManagementLevel, PenaltyRecord, Permit
from permits.queries import with_state
from reports.models import TypicalCase

PAGE_SIZE = 20
SEARCH_MAX = 50
LEVEL_LABELS = dict(ManagementLevel.choices)
DECISION_LABELS = dict(CaseDecision.choices)


@dataclass(frozen=True)
class PublicPermit:
    """A permit and its holder as the public sees them."""

    unit_name: str
    credit_code: str
    site: str
    town: str
    industry: str
    permit_number: str
    management_level: str
    valid_from: date
    valid_until: date
    state: str
    state_label: str


@dataclass(frozen=True)
class PublicPenalty:
    """An administrative penalty the bureau decided, as published: unit, date, violation, decision."""

    unit_name: str
    credit_code: str
    town: str
    decided_on: date
    decision_no: str
    violation: str
    amount: Decimal | None
    revokes_permit: bool


@dataclass(frozen=True)
class PublicTypicalCase:
    """A typical case (002 十六): the public title and summary 法制科 wrote, and the decision's facts."""

    id: int
    title: str
    summary: str
    published_on: date
    unit_name: str
    town: str
    industry: str
    decided_on: date | None
    decision: str
    decision_no: str
    penalty_amount: Decimal | None
    revokes_permit: bool


@dataclass(frozen=True)
class Filters:
    """What a visitor asked for, cleaned: a name (or credit code) fragment, a town code among the
    towns, a year. Anything unusable is dropped, never an error."""

    name: str = ""
    town: str = ""
    year: int | None = None


def public_facilities() -> QuerySet[Facility]:
    """The facilities that may appear in public: none involving state secrets (003 第十九条)."""
    return Facility.objects.filter(is_confidential=False)


def towns() -> dict[str, str]:
    """The towns by code, for the filter (one query)."""
    return dict(Town.objects.order_by("code").values_list("code", "name"))


def clean_filters(query, town_names: dict[str, str]) -> Filters:
    """``query`` (a QueryDict) as ``Filters``: a name up to 50 characters, a known town, a four-digit
    year."""
    # A NUL character cannot reach PostgreSQL: it would be a server error, not an empty result.
    name = str(query.get("q") or "").replace("\x00", "").strip()[:SEARCH_MAX]
    town = str(query.get("town") or "").strip()
    year_text = str(query.get("year") or "").strip()
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
    return Filters(name=name, town=town if town in town_names else "", year=year)


def _named(facilities: QuerySet[Facility], filters: Filters) -> QuerySet[Facility]:
    """``facilities`` whose name contains, or whose credit code starts with, the name asked; in the town."""
    if filters.name:
        facilities = facilities.filter(
            Q(name__icontains=filters.name) | Q(credit_code__startswith=filters.name.upper())
        )
    if filters.town:
        facilities = facilities.filter(town__code=filters.town)
    return facilities


def _page(queryset: QuerySet, page_number, convert) -> Page:
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    page.object_list = [convert(row) for row in page.object_list]
    return page


def permit_page(filters: Filters, page_number, today: date) -> Page:
    """One page of permits and their holders, ordered by holder name then permit number, with the state
    on ``today`` derived in SQL (R-PER-1): two queries (count, page)."""
    permits = with_state(
        Permit.objects.filter(facility__in=_named(public_facilities(), filters)), today
    ).select_related("facility__town")
    permits = permits.only(
        "number",
        "management_level",
        "valid_from",
        "valid_until",
        "facility__name",
        "facility__credit_code",
        "facility__address",
        "facility__industry_name",
        "facility__town__name",
    ).order_by("facility__name", "number")

    def convert(permit: Permit) -> PublicPermit:
        facility = permit.facility
        return PublicPermit(
            unit_name=facility.name,
            credit_code=facility.credit_code,
            site=facility.address,
            town=facility.town.name,
            industry=facility.industry_name,
            permit_number=permit.number,
            management_level=str(LEVEL_LABELS.get(permit.management_level, "")),
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            state=permit.state,
            state_label=permit_rules.STATE_LABELS[permit.state],
        )

    return _page(permits, page_number, convert)


def penalty_page(filters: Filters, page_number) -> Page:
    """One page of administrative penalties, newest first: the registry's penalty records, which every
    case decided with a penalty writes (a case still under investigation or review has none), of units
    that may appear in public. Two queries (count, page)."""
    revoking = Case.objects.filter(penalty_record=OuterRef("pk"), revokes_permit=True)
    penalties = PenaltyRecord.objects.filter(facility__in=_named(public_facilities(), filters))
    if filters.year:
        penalties = penalties.filter(decided_on__year=filters.year)
    penalties = (
        penalties.select_related("facility__town")
        .only(
            "decided_on",
            "decision_no",
            "violation",
            "amount",
            "facility__name",
            "facility__credit_code",
            "facility__town__name",
        )
        .annotate(revokes_permit=Exists(revoking))
        .order_by("-decided_on", "-id")
    )

    def convert(penalty: PenaltyRecord) -> PublicPenalty:
        return PublicPenalty(
            unit_name=penalty.facility.name,
            credit_code=penalty.facility.credit_code,
            town=penalty.facility.town.name,
            decided_on=penalty.decided_on,
            decision_no=penalty.decision_no,
            violation=penalty.violation,
            amount=penalty.amount,
            revokes_permit=penalty.revokes_permit,
        )

    return _page(penalties, page_number, convert)


def _published_typical_cases() -> QuerySet[TypicalCase]:
    return (
        TypicalCase.objects.filter(
            withdrawn_at__isnull=True,
            case__state=CaseState.DECIDED,
            case__facility__in=public_facilities(),
        )
        .select_related("case__facility__town")
        .only(
            "title",
            "summary",
            "published_on",
            "case__decided_on",
            "case__decision",
            "case__decision_no",
            "case__penalty_amount",
            "case__revokes_permit",
            "case__facility__name",
            "case__facility__industry_name",
            "case__facility__town__name",
        )
        .order_by("-published_on", "-id")
    )


def _public_typical(typical: TypicalCase) -> PublicTypicalCase:
    case = typical.case
    return PublicTypicalCase(
        id=typical.pk,
        title=typical.title,
        summary=typical.summary,
        published_on=typical.published_on,
        unit_name=case.facility.name,
        town=case.facility.town.name,
        industry=case.facility.industry_name,
        decided_on=case.decided_on,
        decision=str(DECISION_LABELS.get(case.decision, "")),
        decision_no=case.decision_no,
        penalty_amount=case.penalty_amount,
        revokes_permit=case.revokes_permit,
    )


def typical_case_page(filters: Filters, page_number) -> Page:
    """One page of the typical cases in force (not withdrawn), newest first: two queries (count, page)."""
    typical = _published_typical_cases()
    if filters.year:
        typical = typical.filter(published_on__year=filters.year)
    return _page(typical, page_number, _public_typical)


def typical_case(pk) -> PublicTypicalCase | None:
    """One typical case in force, or None alike for one that does not exist, was withdrawn, or is of a
    unit involving state secrets (one query)."""
    typical = _published_typical_cases().filter(pk=pk).first()
    return _public_typical(typical) if typical else None


def publication_rates(today: date) -> list[draw_public_queries.PublicationRate]:
    """The yearly share of random-check results published (R-INS-5, 000 四1: target 100%), newest year
    first (one query). Confidential units are left out of the count as they are of the draws."""
    return draw_public_queries.publication_rates(today)
