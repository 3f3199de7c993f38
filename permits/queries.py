"""Reads of the registry shared by pages, API and exports: scoped to what the user may see (R-ORG-3)
and shaped so a page costs a fixed number of queries."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from bureau.access import Viewer
from bureau.todo import Line
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


# Finding a facility by what a clerk types (the search-as-you-type field of every form that picks one).
# The codes that name a facility, most specific first: a suggestion fills in the first one present,
# and an exact code picks the facility: the source code (污染源编码, R-FAC-1), then the unit's credit code.
FACILITY_CODE_FIELDS = ("source_code", "credit_code")
SEARCH_LIMIT = 15


def facility_code(facility: Facility) -> str:
    """The most specific code ``facility`` has (``FACILITY_CODE_FIELDS``)."""
    return next((getattr(facility, name) for name in FACILITY_CODE_FIELDS if getattr(facility, name)), "")


def facility_label(facility: Facility) -> str:
    """What a facility field shows and accepts back: 「代码 名称」."""
    return f"{facility_code(facility)} {facility.name}".strip()


def facility_matching(text: str) -> Q:
    """Facilities whose name or a code contains ``text``, case aside: the one condition the list's
    search and the search-as-you-type field share. A source code begins with its unit's credit code
    (R-FAC-1), so one match on it finds both. On PostgreSQL each side is answered by a trigram index
    (``permits`` migration 0023: GIN on ``UPPER(name)`` and ``UPPER(source_code)``, which is what
    ``icontains`` compares), so a substring of a Chinese name is found without reading every row; on
    SQLite it is a plain ``LIKE``."""
    return Q(name__icontains=text) | Q(source_code__icontains=text)


def search_facilities(user, text: str, *, limit: int = SEARCH_LIMIT) -> QuerySet[Facility]:
    """Facilities ``user`` may see (R-ORG-3) whose name or a code contains ``text``, at most ``limit``:
    names that contain it first, then codes that start with it, then the rest (every credit code of a
    district shares its first digits, so "310" must not put a random unit first); by name within each.
    One query whatever the size of the registry, by the trigram indexes of ``facility_matching``."""
    text = text.strip()
    if not text:
        return Facility.objects.none()
    matching = facility_matching(text)
    code_start = Q()
    for name in FACILITY_CODE_FIELDS:
        code_start |= Q(**{f"{name}__istartswith": text})
    closeness = Case(
        When(name__icontains=text, then=Value(0)),
        When(code_start, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    found = visible_facilities(user).filter(matching).select_related("town")
    return found.alias(closeness=closeness).order_by("closeness", "name", "pk")[:limit]


def resolve_facility(facilities: QuerySet[Facility], text: str) -> Facility:
    """The one facility among ``facilities`` that ``text`` names: by an exact code (the first word, so a
    chosen suggestion 「代码 名称」 resolves too), else by its exact full name. Raises ValidationError
    in Chinese when nothing or more than one facility matches, saying what to type instead."""
    text = text.strip()
    code = text.split()[0].upper()
    by_code = Q()
    for name in FACILITY_CODE_FIELDS:
        by_code |= Q(**{name: code})
    matches = list(facilities.filter(by_code)[:2])
    if len(matches) > 1:
        raise ValidationError(f"有多个污染源使用代码 {code}，请从提示中选择，或填写完整的污染源编码。")
    if not matches:
        names = {text, *text.split(maxsplit=1)[1:]}
        matches = list(facilities.filter(name__in=names)[:2])
    if not matches:
        raise ValidationError(
            f"未找到排污单位“{text}”：请输入名称或代码的一部分并从提示中选择，"
            "或填写完整的统一社会信用代码、污染源编码或单位全称。"
        )
    if len(matches) > 1:
        raise ValidationError(f"有多家排污单位名为“{text}”，请填写统一社会信用代码或污染源编码以区分。")
    return matches[0]


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


def overdue_rectifications_of_town(user, today: date) -> list[Line]:
    """The home page's 待办 of a town (R-PER-3, R-ORG-3): the ledger items of its own facilities past
    their deadline and not closed, most overdue first, linked to the item on the facility's page where
    progress and 销号 are recorded. One query; none for anyone but a town."""
    if not Viewer.of(user).is_town:
        return []
    items = (
        visible_rectifications(user)
        .filter(closed_on__isnull=True, deadline_on__lt=today)
        .select_related("facility")
        .only("pk", "description", "deadline_on", "deadline_provisional", "facility__id", "facility__name")
        .order_by("deadline_on", "pk")
    )
    return [
        Line(
            kind="整改台账·已逾期",
            title=f"{item.facility.name}：{item.description[:40]}",
            url=reverse("permits:facility-detail", args=[item.facility.pk]) + f"#item-{item.pk}",
            due_on=item.deadline_on,
            is_overdue=True,
            due_provisional=item.deadline_provisional,
        )
        for item in items
    ]


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


def valid_permits(permits: QuerySet[Permit], today: date) -> QuerySet[Permit]:
    """The ``permits`` valid on ``today``: exactly those ``with_state`` marks "valid" (R-PER-1), found
    by conditions the database answers from indexes instead of a state worked out for every permit.

    ``valid_until`` is the end of the permit's latest validity: issuing sets it and only a granted 延续
    moves it, always later (``rules.event_error`` refuses a new end not after the current one), so
    no validity of the permit runs past it and ``valid_until >= today`` is necessary: a range on its
    index. Then, as in ``with_state``: no 注销/撤销/吊销 on or before ``today`` (an anti-join on the
    events), and the issued validity runs through ``today`` or a granted 延续 covers it (looked up
    only for the few permits left)."""
    ending = PermitEvent.objects.filter(
        permit=OuterRef("pk"), kind__in=list(rules.ENDING_EVENTS), occurred_on__lte=today
    )
    first_end = _granted_renewals().order_by("occurred_on", "id").values("previous_valid_until")[:1]
    covered_by_grant = Exists(_granted_renewals().filter(occurred_on__lte=today, new_valid_until__gte=today))
    return (
        permits.filter(valid_until__gte=today)
        .exclude(Exists(ending))
        .alias(first_valid_until=Coalesce(Subquery(first_end), F("valid_until")))
        .filter(Q(first_valid_until__gte=today) | covered_by_grant)
    )


def permits_in_state(permits: QuerySet[Permit], state: str, today: date) -> QuerySet[Permit]:
    """The ``permits`` whose state on ``today`` is ``state``: exactly those ``with_state`` marks so
    (R-PER-1), each state by indexed conditions: "valid" by ``valid_permits``; an ended state by its
    one ending event on or before ``today`` (a permit has at most one); "expired" as neither."""
    if state == "valid":
        return valid_permits(permits, today)
    ended = PermitEvent.objects.filter(kind__in=list(rules.ENDING_EVENTS), occurred_on__lte=today)
    ending_kinds = {label: kind for kind, label in rules.ENDING_EVENTS.items()}
    if state in ending_kinds:
        return permits.filter(pk__in=ended.filter(kind=ending_kinds[state]).values("permit_id"))
    if state == "expired":
        valid = valid_permits(Permit.objects.all(), today)
        return permits.exclude(pk__in=ended.values("permit_id")).exclude(pk__in=valid.values("pk"))
    return permits.none()


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


def rectification_period_counts(start: date, end: date) -> dict[str, int]:
    """What the monthly summary (R-SUM-1, R-PER-3) counts of the rectification ledger from ``start`` to
    ``end`` (both included), over the whole district: items found and closed (销号) in the period, and
    those still open at its end, past their deadline among them. One query."""
    open_at_end = Q(found_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    return RectificationItem.objects.aggregate(
        found=Count("pk", filter=Q(found_on__range=(start, end))),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_at_end=Count("pk", filter=open_at_end),
        overdue_at_end=Count("pk", filter=open_at_end & Q(deadline_on__lt=end)),
    )
