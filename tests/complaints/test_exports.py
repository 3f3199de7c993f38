"""The complaint list's Excel export (issue 13): the page's rows under its filters, the reporter masked
for everyone (R-CMP-1); towns, which do not see the list, get its 403 for the export too."""

import pytest
from django.urls import reverse

from tests.factories.complaints import ComplaintFactory
from tests.workbooks import column, sheet_rows

pytestmark = pytest.mark.django_db

LIST = reverse("complaints:complaint-list")
EXPORT = reverse("complaints:complaint-export")


@pytest.fixture
def complaints(officer):
    return [
        ComplaintFactory(by=officer, channel="12369", content="夜间偷排黑水"),
        ComplaintFactory(by=officer, channel="letter", content="噪声扰民"),
    ]


def test_the_export_holds_the_filtered_rows_of_the_page(client, complaints, leader):
    client.force_login(leader)
    wanted = {"channel": "letter"}
    listed = [row["complaint"].number for row in client.get(LIST, wanted).context["rows"]]
    rows = sheet_rows(client.get(EXPORT, wanted))
    assert column(rows, "投诉编号") == listed == [complaints[1].number]
    assert column(rows, "反映内容") == ["噪声扰民"]
    # 局领导 may see the reporter on the detail page, never in an export
    assert "李举报" not in column(rows, "举报人")


def test_r_org_3_towns_get_the_lists_403_for_the_export(client, complaints, town_a_liaison):
    client.force_login(town_a_liaison)
    assert client.get(LIST).status_code == client.get(EXPORT).status_code == 403
