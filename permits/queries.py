"""Reads of the registry shared by pages, API and exports: scoped to what the user may see (R-ORG-3)
and shaped so a page costs a fixed number of queries."""

from datetime import date

from django.db.models import Case, CharField, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from bureau.access import Viewer
from permits import rules
from permits.models import (
    EmissionLimit,
    Facility,
    LeadStatus,
    Outlet,
    Permit,
    PermitEvent,
    PermitEventKind,
    QualityCheck,
    RectificationItem,
    UnlicensedDischargeLead,
)


def visible_facilities(user) -> QuerySet[Facility]:
    """Facilities ``user`` may see: all for the bureau's sections, only its own for a town (R-ORG-3)."""
    return Viewer.of(user).within_jurisdiction(Facility.objects.all(), "town_id")


def facility_for_user(user, pk) -> Facility:
    """The facility, or 404 alike for "does not exist" and "not in your jurisdiction" (R-ORG-3)."""
    try:
        return visible_facilities(user).select_related("town", "key_industry").get(pk=pk)
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该排污单位。") from None


def visible_permits(user) -> QuerySet[Permit]:
    return Permit.objects.filter(facility__in=visible_facilities(user))


def permit_for_user(user, pk) -> Permit:
    try:
        return visible_permits(user).select_related("facility__town").get(pk=pk)
    except (Permit.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该排污许可证。") from None


def visible_rectifications(user) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(facility__in=visible_facilities(user))


def rectification_for_user(user, pk) -> RectificationItem:
    """The item, or 404 alike for "does not exist" and "not in your jurisdiction" (R-ORG-3)."""
    try:
        return visible_rectifications(user).get(pk=pk)
    except (RectificationItem.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该整改问题。") from None


def visible_quality_checks(user) -> QuerySet[QualityCheck]:
    """Quality checks of the facilities ``user`` may see (R-ORG-3), with what a list shows of each:
    facility and town, permit and checker joined, findings prefetched."""
    return (
        QualityCheck.objects.filter(facility__in=visible_facilities(user))
        .select_related("facility__town", "permit", "checked_by")
        .prefetch_related("items")
    )


def _granted_renewals():
    return PermitEvent.objects.filter(
        permit=OuterRef("pk"), kind=PermitEventKind.RENEWAL_DECISION, renewal_granted=True
    )


def with_state(permits: QuerySet[Permit], today: date) -> QuerySet[Permit]:
    """Annotate ``state``: the SQL twin of ``rules.permit_state`` (R-PER-1), so lists filter and show
    the derived state without loading events. A permit has at most one ending event (nothing may
    follow one), which the subquery picks up. Validity is the issued one (through the end the first
    grant extended, or ``valid_until`` without grants) or a granted 延续 from its decision date: a
    grant after expiry leaves the gap expired."""
    ending = PermitEvent.objects.filter(
        permit=OuterRef("pk"), kind__in=list(rules.ENDING_EVENTS), occurred_on__lte=today
    ).values("kind")[:1]
    first_end = _granted_renewals().order_by("occurred_on", "id").values("previous_valid_until")[:1]
    return permits.annotate(
        ending_kind=Subquery(ending),
        first_valid_until=Coalesce(Subquery(first_end), F("valid_until")),
        covered_by_grant=Exists(
            _granted_renewals().filter(occurred_on__lte=today, new_valid_until__gte=today)
        ),
        state=Case(
            When(ending_kind=PermitEventKind.CANCELLATION, then=Value("cancelled")),
            When(ending_kind=PermitEventKind.WITHDRAWAL, then=Value("withdrawn")),
            When(ending_kind=PermitEventKind.REVOCATION, then=Value("revoked")),
            When(first_valid_until__gte=today, then=Value("valid")),
            When(covered_by_grant=True, then=Value("valid")),
            default=Value("expired"),
            output_field=CharField(),
        ),
    )


def pending_renewals() -> QuerySet[PermitEvent]:
    """延续 applications awaiting their decision: the SQL twin of ``rules.renewal_pending`` (each
    decision names its application)."""
    return PermitEvent.objects.filter(kind=PermitEventKind.RENEWAL, renewal_decision__isnull=True)


def with_pending_renewal(permits: QuerySet[Permit]) -> QuerySet[Permit]:
    """Annotate ``renewal_pending`` (R-PER-2: a pending 延续 silences the expiry warning)."""
    return permits.annotate(renewal_pending=Exists(pending_renewals().filter(permit=OuterRef("pk"))))


def rule_event(event: PermitEvent) -> rules.Event:
    return rules.Event(
        event.kind,
        event.occurred_on,
        event.new_valid_until,
        granted=event.renewal_granted,
        previous_valid_until=event.previous_valid_until,
    )


def events_of(permit: Permit) -> list[rules.Event]:
    return [rule_event(e) for e in permit.events.all()]


def permit_state_of(permit: Permit, today: date) -> str:
    """The derived state; uses prefetched ``events`` when present."""
    return rules.permit_state(events_of(permit), permit.valid_until, today)


def facility_detail(user, pk) -> Facility:
    """A facility with everything its detail page shows, in a fixed number of queries."""
    facility = facility_for_user(user, pk)
    permits = Permit.objects.filter(facility=facility).prefetch_related(
        "events",
        Prefetch(
            "outlets",
            Outlet.objects.prefetch_related(Prefetch("limits", EmissionLimit.objects.order_by("pollutant"))),
        ),
    )
    facility.permit_list = list(permits)
    facility.registration_list = list(facility.registrations.all())
    facility.check_list = list(
        facility.quality_checks.select_related("checked_by", "permit").prefetch_related("items")
    )
    facility.rectification_list = list(
        facility.rectifications.select_related("closed_by").prefetch_related("progress")
    )
    facility.penalty_list = list(facility.penalties.all())
    return facility


ROLLING_CHECK_EVENTS = [
    PermitEventKind.FIRST_APPLICATION,
    PermitEventKind.REAPPLICATION,
    PermitEventKind.CHANGE,
]


def owed_quality_checks(year: int) -> QuerySet[PermitEvent]:
    """R-PER-3 (000 二(二)2: 每年首次申请、重新申请或变更的排污许可证开展滚动式质量检查): the first,
    re-applied and changed permits of ``year`` that no quality check of their permit, on or after
    the event, has covered yet; oldest first."""
    checked = QualityCheck.objects.filter(permit=OuterRef("permit"), checked_on__gte=OuterRef("occurred_on"))
    return (
        PermitEvent.objects.filter(kind__in=ROLLING_CHECK_EVENTS, occurred_on__year=year)
        .exclude(Exists(checked))
        .order_by("occurred_on", "id")
    )


def visible_owed_quality_checks(user, year: int) -> QuerySet[PermitEvent]:
    """``owed_quality_checks`` of the facilities ``user`` may see, with what the list shows."""
    return (
        owed_quality_checks(year)
        .filter(permit__facility__in=visible_facilities(user))
        .select_related("permit__facility__town")
    )


def open_unlicensed_leads() -> QuerySet[UnlicensedDischargeLead]:
    """The unlicensed-discharge leads not yet handed over, oldest first (R-PER-2)."""
    return UnlicensedDischargeLead.objects.filter(status=LeadStatus.OPEN).order_by("id")
