"""The registry at city scale (issue 15): the permit-state filter by indexed conditions gives exactly
the states of ``with_state`` (R-PER-1), the name and code search uses its trigram index on PostgreSQL,
every list counts its rows at most once, and every list and detail page costs the same number of
queries with few rows and with many."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permits.models import Facility, Permit, PermitState
from permits.queries import facility_matching, permits_in_state, valid_permits, with_state
from permits.services import permits as permit_services
from permits.services.rectification import note_rectification_progress
from tests.factories.permits import (
    FacilityFactory,
    PermitFactory,
    QualityCheckFactory,
    build_rich_facility,
    credit_code,
)

pytestmark = pytest.mark.django_db

LIST = reverse("permits:facility-list")
LEDGER = reverse("permits:ledger")
TODAY = date(2026, 6, 1)


def queries_of(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def counts_in(sqls: list[str]) -> int:
    return sum(1 for sql in sqls if "COUNT(" in sql.upper())


# R-PER-1: the state filter by indexes is the state -------------------------------------------------


def _record(permit, by, kind, on, **extra):
    return permit_services.record_permit_event(by=by, permit=permit, kind=kind, occurred_on=on, **extra)


def _grant(permit, by, applied_on, decided_on, until):
    _record(permit, by, "renewal", applied_on)
    _record(
        permit,
        by,
        "renewal_decision",
        decided_on,
        renewal_granted=True,
        new_valid_until=until,
        document_no=f"普环许延〔{decided_on.year}〕{permit.pk}号",
    )


@pytest.fixture
def lives(town_a, approval_clerk):
    """One permit for each life R-PER-1 tells apart: plain, expired, granted in time, granted late
    (a gap), refused, twice renewed, cancelled, withdrawn, revoked after a grant."""
    by = approval_clerk

    def permit(n, until, issued=date(2021, 1, 10)):
        return PermitFactory(
            facility=FacilityFactory(n=n, town=town_a), number=f"P-LIFE-{n}", issued_on=issued, valid_until=until, by=by
        )

    plain = permit(1, date(2026, 1, 9))
    permit(2, date(2025, 3, 1))
    in_time = permit(3, date(2025, 6, 30))
    _grant(in_time, by, date(2025, 3, 1), date(2025, 6, 1), date(2030, 6, 29))
    late = permit(4, date(2025, 6, 30))
    _grant(late, by, date(2025, 4, 1), date(2025, 9, 1), date(2030, 6, 29))
    refused = permit(5, date(2025, 12, 31))
    _record(refused, by, "renewal", date(2025, 9, 1))
    _record(
        refused, by, "renewal_decision", date(2025, 11, 1), renewal_granted=False, document_no="普环许延〔2025〕9号"
    )
    twice = permit(6, date(2024, 5, 31), issued=date(2019, 6, 1))
    _grant(twice, by, date(2024, 3, 1), date(2024, 7, 1), date(2025, 5, 31))
    _grant(twice, by, date(2025, 3, 1), date(2025, 5, 1), date(2030, 5, 31))
    cancelled = permit(7, date(2027, 1, 9))
    _record(cancelled, by, "cancellation", date(2025, 8, 1))
    withdrawn = permit(8, date(2027, 1, 9))
    _record(withdrawn, by, "withdrawal", date(2025, 2, 1))
    revoked = permit(9, date(2025, 6, 30))
    _grant(revoked, by, date(2025, 3, 1), date(2025, 6, 1), date(2030, 6, 29))
    _record(revoked, by, "revocation", date(2025, 10, 1))
    return plain


DAYS = [
    date(2021, 1, 9), date(2021, 1, 10), date(2024, 6, 1), date(2024, 7, 1), date(2025, 2, 1),
    date(2025, 3, 1), date(2025, 3, 2), date(2025, 5, 31), date(2025, 6, 1), date(2025, 7, 1),
    date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1), date(2026, 1, 9), date(2026, 1, 10),
    date(2027, 1, 10), date(2030, 6, 29), date(2030, 6, 30),
]  # fmt: skip


@pytest.mark.today(TODAY)
@pytest.mark.parametrize("day", DAYS)
def test_r_per_1_each_state_by_indexes_is_exactly_the_derived_state(lives, day):
    # given: the states with_state derives, the SQL twin of rules.permit_state
    derived = {p.pk: p.state for p in with_state(Permit.objects.all(), day)}
    # then: each state's indexed query finds exactly its permits
    for state in PermitState.values:
        found = set(permits_in_state(Permit.objects.all(), state, day).values_list("pk", flat=True))
        assert found == {pk for pk, s in derived.items() if s == state}, state
    assert set(derived.values()) - set(PermitState.values) == set()


@pytest.mark.today(TODAY)
def test_r_per_1_valid_permits_cover_every_life_it_tells_apart(lives):
    valid_on = {
        day: set(valid_permits(Permit.objects.all(), day).values_list("number", flat=True))
        for day in (date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1))
    }
    # the late grant's gap is not valid, its grant is; the cancelled and revoked permits stop
    assert "P-LIFE-4" not in valid_on[date(2025, 8, 1)] and "P-LIFE-4" in valid_on[date(2025, 9, 1)]
    assert "P-LIFE-7" in valid_on[date(2025, 7, 1)] and "P-LIFE-7" not in valid_on[date(2025, 8, 1)]
    assert "P-LIFE-9" in valid_on[date(2025, 9, 1)] and "P-LIFE-9" not in valid_on[date(2025, 10, 1)]
    assert {"P-LIFE-1", "P-LIFE-3", "P-LIFE-6"} <= valid_on[date(2025, 10, 1)]


@pytest.mark.today(TODAY)
def test_r_per_1_the_list_filters_facilities_by_the_state_of_any_of_their_permits(client, lives, approval_clerk):
    client.force_login(approval_clerk)
    for state in PermitState.values:
        response = client.get(LIST, {"permit_state": state})
        listed = {f.pk for f in response.context["facilities"]}
        derived = with_state(Permit.objects.all(), TODAY).filter(state=state)
        assert listed == set(derived.values_list("facility_id", flat=True)), state


# Search ------------------------------------------------------------------------------------------


def test_search_finds_a_part_of_a_chinese_name_or_of_a_code_case_aside(town_a):
    FacilityFactory(n=1, town=town_a, name="上海普陀精细化工有限公司")
    FacilityFactory(n=2, town=town_a, name="甲镇印染厂")
    FacilityFactory(n=3, town=town_a, name="Acme 涂装 Works")

    def found(text):
        return set(Facility.objects.filter(facility_matching(text)).values_list("name", flat=True))

    assert found("精细化工") == {"上海普陀精细化工有限公司"}
    assert found("acme") == {"Acme 涂装 Works"}
    assert found(credit_code(2)[9:17]) == {"甲镇印染厂"}
    assert found(credit_code(3)[-4:].lower() + "001") == {"Acme 涂装 Works"}


@pytest.mark.postgresql  # the trigram indexes are PostgreSQL's (deselected on SQLite: CI allows no skip)
def test_search_on_postgresql_uses_the_trigram_indexes(town_a):
    FacilityFactory(n=1, town=town_a, name="上海普陀精细化工有限公司")
    queryset = Facility.objects.filter(facility_matching("精细化工"))
    with connection.cursor() as cursor:
        # A table this small is read whole (or walked in name order by its btree) by choice; forbidding
        # both leaves the bitmap scans, the only way a GIN index answers: the plan names the trigram ones.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "permits_facility_name_trgm" in plan and "permits_facility_source_code_trgm" in plan
    assert list(queryset.values_list("name", flat=True)) == ["上海普陀精细化工有限公司"]


# Budgets: the same with few rows and with many -----------------------------------------------------


def _facilities(town_a, town_b, count, *, start=1):
    today = date.today()
    for n in range(start, start + count):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b, name=f"测试化工{n:03d}有限公司")
        PermitFactory(facility=facility, number=f"P{n:03d}-OLD", valid_until=today - timedelta(days=n))
        PermitFactory(facility=facility, number=f"P{n:03d}-NEW", valid_until=today + timedelta(days=n * 3))


LIST_CASES = [
    # Expect 6 queries: session, user with staff/section/town, the one count of the filtered
    # facilities, the page of them with town and key industry, their permits with state and pending
    # renewal (one prefetch), the towns of the town filter.
    ("plain", {}, 6),
    ("valid", {"permit_state": "valid"}, 6),
    ("expired", {"permit_state": "expired"}, 6),
    ("expiring", {"expiring": "true"}, 6),
    ("search", {"q": "化工"}, 6),
    ("search and valid", {"q": "测试化工0", "permit_state": "valid"}, 6),
]


@pytest.mark.parametrize(("label", "params", "budget"), LIST_CASES, ids=[c[0] for c in LIST_CASES])
def test_facility_list_costs_the_same_with_3_and_with_60_facilities(
    client, approval_clerk, town_a, town_b, label, params, budget
):
    client.force_login(approval_clerk)
    _facilities(town_a, town_b, 3)
    few = queries_of(client, LIST, params)
    _facilities(town_a, town_b, 57, start=4)
    many = queries_of(client, LIST, params)
    assert len(few) == len(many) == budget
    assert counts_in(many) == 1


def test_facility_list_pages_past_the_first_cost_the_same(client, approval_clerk, town_a, town_b):
    client.force_login(approval_clerk)
    _facilities(town_a, town_b, 60)
    # Expect 6 queries, as for the first page; a page number out of range shows the last page.
    assert len(queries_of(client, LIST, {"page": 2})) == 6
    assert len(queries_of(client, LIST, {"page": 99})) == 6


def _small_facility(town, by):
    """A facility with one of each record the detail page lists: a permit with an outlet and a
    limit, a quality check with one finding (a ledger item)."""
    facility = FacilityFactory(n=1, town=town)
    permit = PermitFactory(facility=facility, number="P-SMALL", by=by)
    outlet = permit_services.add_outlet(by=by, permit=permit, code="DA001", kind="gas", name="1号排气筒")
    permit_services.set_emission_limit(
        by=by, outlet=outlet, pollutant="颗粒物", concentration=Decimal("20"), unit="mg/m³", annual_quantity=None
    )
    QualityCheckFactory(facility=facility, permit=permit, by=by, findings=1)
    return facility


def test_facility_detail_costs_the_same_with_a_small_and_a_rich_facility(client, approval_clerk, town_a):
    client.force_login(approval_clerk)
    small = _small_facility(town_a, approval_clerk)
    rich = build_rich_facility(town=town_a, by=approval_clerk)
    # Expect 20 queries (tests/permits/test_pages.py names them), however much the facility holds: one
    # record of each kind or three permits, 55 ledger items and a long history. (A facility with no
    # permit at all costs fewer: Django skips a prefetch over nothing.)
    assert len(queries_of(client, reverse("permits:facility-detail", args=[small.pk]))) == 20
    assert len(queries_of(client, reverse("permits:facility-detail", args=[rich.pk]))) == 20


def _items(approval_clerk, town_a, town_b, facilities, *, start=1):
    today = date.today()
    for n in range(start, start + facilities):
        facility = FacilityFactory(n=n, town=town_a if n % 2 else town_b)
        check = QualityCheckFactory(
            facility=facility, by=approval_clerk, checked_on=today - timedelta(days=30), findings=5
        )
        for item in check.items.all()[:2]:
            note_rectification_progress(by=approval_clerk, item=item, noted_on=today, note="整改中")


LEDGER_CASES = [
    # Expect 6 queries: session, user with staff/section/town, the per-town summary (one grouped
    # query, whose counts are the number listed: no separate count), the page of items with facility
    # and town, their progress (prefetch), the towns of the town filter.
    ("all", {}, 6, 1),
    ("open", {"status": "open"}, 6, 1),
    # Expect 7: as above and the town asked for (the filter's form checks it exists).
    ("overdue in a town", {"status": "overdue", "town": "town_a"}, 7, 1),
    # Expect 7: as for "all" and the count of the listed items, which the summary does not hold.
    ("category", {"category": "level_lowered"}, 7, 2),
]


@pytest.mark.parametrize(("label", "params", "budget", "counts"), LEDGER_CASES, ids=[c[0] for c in LEDGER_CASES])
def test_ledger_costs_the_same_with_1_and_with_12_facilities(
    client, approval_clerk, town_a, town_b, label, params, budget, counts
):
    client.force_login(approval_clerk)
    params = {key: (town_a.pk if value == "town_a" else value) for key, value in params.items()}
    _items(approval_clerk, town_a, town_b, 1)
    few = queries_of(client, LEDGER, params)
    _items(approval_clerk, town_a, town_b, 11, start=2)
    many = queries_of(client, LEDGER, params)
    assert len(few) == len(many) == budget
    assert counts_in(many) == counts


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "open"}, {"status": "overdue"}, {"status": "closed"}, {"town": "a"}, {"town": "a", "status": "overdue"}],
)
def test_ledger_total_read_from_the_summary_is_the_number_listed(
    client, approval_clerk, town_a, town_b, params
):
    # given: 2 facilities with 5 findings each, found 30 days ago: some overdue, none closed
    _items(approval_clerk, town_a, town_b, 2)
    client.force_login(approval_clerk)
    params = {key: (town_a.pk if value == "a" else value) for key, value in params.items()}
    response = client.get(LEDGER, {**params})
    page = response.context["page"]
    # then: the pager's total is what the filter lists
    from permits.filters import RectificationFilter
    from permits.queries import visible_rectifications

    listed = RectificationFilter(params, queryset=visible_rectifications(approval_clerk)).qs.count()
    assert page.paginator.count == listed
    assert f"共 {listed} 项" in response.content.decode()
