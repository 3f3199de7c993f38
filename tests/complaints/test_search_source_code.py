"""D15: the complaint search finds a complaint by the 污染源编码 of its facility, the code that tells
two sites of one unit apart (R-FAC-1), as well as by the credit code (R-CMP-1 list filters)."""

import pytest
from django.urls import reverse

from tests.factories.complaints import ComplaintFactory
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.django_db


def test_d15_r_cmp_1_the_search_matches_the_facilitys_source_code(client, officer, leader, town_a):
    # given: complaints about two sites of one unit and about another unit
    first = FacilityFactory(n=31, town=town_a)
    second = FacilityFactory(n=31, town=town_a, site_number="002")
    other = FacilityFactory(n=32, town=town_a)
    about_second = ComplaintFactory(by=officer, facility=second)
    ComplaintFactory(by=officer, facility=first)
    ComplaintFactory(by=officer, facility=other)
    client.force_login(leader)
    # when / then: the source code names the one site, the credit code the whole unit
    rows = client.get(reverse("complaints:complaint-list"), {"q": second.source_code}).context["rows"]
    assert [row["complaint"].number for row in rows] == [about_second.number]
    assert (
        len(client.get(reverse("complaints:complaint-list"), {"q": first.credit_code}).context["rows"]) == 2
    )
