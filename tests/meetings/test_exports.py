"""The 调度会 list's Excel export (issue 13): the meetings the page lists, for the bureau; a town,
which does not see the page, gets its 403 for the export too."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import services
from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 6, 15))]

LIST = reverse("meetings:meeting-list")
EXPORT = reverse("meetings:meeting-export")


@pytest.fixture
def meetings(approval_clerk):
    return [
        services.call_extra_meeting(by=approval_clerk, scheduled_on=date(2026, 6, d), topic=f"专题调度{d}")
        for d in (1, 20)
    ]


def test_the_export_holds_the_pages_meetings(client, meetings, ecology_clerk):
    client.force_login(ecology_clerk)
    listed = [m.title for m in client.get(LIST).context["rows"]]
    rows = sheet_rows(client.get(EXPORT))
    assert column(rows, "会议") == listed != []
    assert column(rows, "会议事由") == ["专题调度20", "专题调度1"]
    assert column(rows, "状态") == ["待召开", "待召开（已过拟定日期）"]


def test_r_org_3_towns_get_the_pages_403_for_the_export(client, meetings, town_a_liaison):
    client.force_login(town_a_liaison)
    assert client.get(LIST).status_code == client.get(EXPORT).status_code == 403
