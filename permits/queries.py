"""Reads of the registry shared by pages, API and exports: scoped to what the user may see (R-ORG-3)
and shaped so a page costs a fixed number of queries."""

from datetime import date

from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value, When
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
        return visible_facilities(user).select_related("town", "key_industry", "unit").get(pk=pk)
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


def with_state(permits: QuerySet[Permit], today: date) -> QuerySet[Permit]:
    """Annotate ``state``: the SQL twin of ``rules.permit_state`` (R-PER-1), so lists filter and show
    the derived state without loading events. A permit has at most one ending event (nothing may
    follow one), which the subquery picks up."""
    ending = PermitEvent.objects.filter(
        permit=OuterRef("pk"), kind__in=list(rules.ENDING_EVENTS), occurred_on__lte=today
    ).values("kind")[:1]
    return permits.annotate(
        ending_kind=Subquery(ending),
        state=Case(
            When(ending_kind=PermitEventKind.CANCELLATION, then=Value("cancelled")),
            When(
                ending_kind__in=[PermitEventKind.WITHDRAWAL, PermitEventKind.REVOCATION],
                then=Value("revoked"),
            ),
            When(valid_until__gte=today, then=Value("valid")),
            default=Value("expired"),
            output_field=CharField(),
        ),
    )


def pending_renewals() -> QuerySet[PermitEvent]:
    """延续 applications awaiting their decision: the SQL twin of ``rules.renewal_pending``."""
    return PermitEvent.objects.filter(kind=PermitEventKind.RENEWAL, new_valid_until__isnull=True)


def with_pending_renewal(permits: QuerySet[Permit]) -> QuerySet[Permit]:
    """Annotate ``renewal_pending`` (R-PER-2: a pending 延续 silences the expiry warning)."""
    return permits.annotate(renewal_pending=Exists(pending_renewals().filter(permit=OuterRef("pk"))))


def events_of(permit: Permit) -> list[rules.Event]:
    return [rules.Event(e.kind, e.occurred_on, e.new_valid_until) for e in permit.events.all()]


def permit_state_of(permit: Permit, today: date) -> str:
    """The derived state; uses prefetched ``events`` when present."""
    return rules.permit_state(events_of(permit), permit.valid_until, today)


def valid_permit_levels(facility: Facility, today: date) -> set[str]:
    """The management levels of ``facility``'s permits valid on ``today`` (R-FAC-3 compares them with
    the facility's level)."""
    permits = with_state(Permit.objects.filter(facility=facility), today).filter(state="valid")
    return set(permits.values_list("management_level", flat=True))


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
    # The unit's other sites the user may see: a town sees none outside its jurisdiction (R-ORG-3).
    facility.sibling_list = list(
        visible_facilities(user)
        .filter(unit_id=facility.unit_id)
        .exclude(pk=facility.pk)
        .select_related("town")
        .order_by("site_number")
    )
    return facility


def open_unlicensed_leads() -> QuerySet[UnlicensedDischargeLead]:
    """The unlicensed-discharge leads not yet handed over, oldest first (R-PER-2)."""
    return UnlicensedDischargeLead.objects.filter(status=LeadStatus.OPEN).order_by("id")
