"""The demo registry shows what R-FAC-1 allows: a unit with sites in two towns."""

from datetime import date

import pytest
from django.db.models import Count

from permits import demo
from permits.models import Facility, Unit


@pytest.mark.today(date(2026, 3, 2))
def test_r_fac_1_the_demo_has_units_with_two_sites_in_different_towns(town_a, town_b, approval_clerk, today):
    # when
    created = demo.seed_registry(approval=approval_clerk, today=today)
    # then
    assert created == Facility.objects.count() == demo.FACILITY_COUNT + len(demo.SECOND_SITES)
    two_sites = Unit.objects.annotate(sites=Count("facilities")).filter(sites=2)
    assert two_sites.count() == len(demo.SECOND_SITES)
    for unit in two_sites:
        first, second = unit.facilities.order_by("site_number")
        assert (first.site_number, second.site_number) == ("001", "002")
        assert first.town_id != second.town_id
        assert second.source_code == f"{unit.credit_code}002"
        # each site holds its own permit, numbered after its source code, at its own level (R-FAC-3)
        assert [p.number[:21] for p in second.permits.all()] == [second.source_code]
        assert {p.management_level for p in second.permits.all()} == {second.management_level}
