"""The 反馈意见单 list's Excel export (issue 13): the notices the list shows under its state filter; a
town's export holds its own facilities' notices only (R-ORG-3)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 5, 6))]

LIST = reverse("permits:notice-list")
EXPORT = reverse("permits:notice-export")


def test_notice_export_holds_the_pages_notices_in_its_state(client, issued_notice, approval_clerk):
    client.force_login(approval_clerk)
    rows = sheet_rows(client.get(EXPORT, {"state": "issued"}))
    listed = [n.number for n in client.get(LIST, {"state": "issued"}).context["page"].object_list]
    assert column(rows, "文书编号") == listed == [issued_notice.number]
    assert column(rows, "问题（条）") == [issued_notice.problems.count()]
    assert sheet_rows(client.get(EXPORT, {"state": "answered"}))[1:] == []


def test_r_org_3_a_towns_notice_export_holds_its_own_only(
    client, issued_notice, town_a_liaison, town_b_liaison
):
    client.force_login(town_b_liaison)
    assert sheet_rows(client.get(EXPORT))[1:] == []
    client.force_login(town_a_liaison)
    assert column(sheet_rows(client.get(EXPORT)), "文书编号") == [issued_notice.number]
