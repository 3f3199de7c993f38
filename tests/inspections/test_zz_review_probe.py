from datetime import date, timedelta
import pytest
from django.urls import reverse
from inspections.models import DrawItem
from tests.inspections.test_draw_pages import make, officer3, crew, units, TODAY, START  # noqa

pytestmark = pytest.mark.today(TODAY)

def test_probe(client, officer, crew, units, legal_clerk, town_a_liaison, approval_clerk):
    from inspections.services import draws
    drawn = draws.run_draw(by=officer, draw=make(officer, crew, title="已抽取的抽查"))
    items = list(DrawItem.objects.filter(draw=drawn).select_related("facility"))
    names = [i.facility.name for i in items]
    for user in (legal_clerk, approval_clerk, town_a_liaison):
        client.force_login(user)
        for url in (reverse("inspections:plan-month", args=[START.year, START.month]),
                    reverse("inspections:plan-items"),
                    reverse("inspections:plan-facility", args=[items[0].facility_id]) + f"?year={START.year}",
                    f"/api/v1/inspection-plan/?year={START.year}&month={START.month}"):
            r = client.get(url)
            body = r.content.decode()
            print(user.username, url, r.status_code, sum(n in body for n in names), "draw:" in body or drawn.number in body)
