"""The 调度会 list's Excel export (issue 13): the meetings the page lists, for the bureau; a town,
which does not see the page, gets its 403 for the export too."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import annual, services
from meetings.models import AttendanceStatus
from tests.meetings import test_annual
from tests.workbooks import column, sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 6, 15))]

# The annual meeting's fixtures: the work group, holders of 2025, their confirmed grading.
work_group = test_annual.work_group
make_holders = test_annual.make_holders
confirmed = test_annual.confirmed

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


@pytest.mark.today(date(2026, 3, 10))
def test_the_annual_attendance_export_keeps_the_status_shown(client, confirmed, approval_clerk, legal_clerk):
    # given a meeting held on 6 March: two holders attended and one was absent
    meeting = test_annual.plan(approval_clerk, date(2026, 3, 6))
    annual.record_attendance(
        by=approval_clerk, meeting=meeting, entries=test_annual.entries(meeting, i2=("absent", "出差"))
    )
    client.force_login(legal_clerk)
    detail = reverse("meetings:annual-detail", args=[meeting.year])
    export = reverse("meetings:annual-export", args=[meeting.year])
    # when the absent ones are exported
    rows = sheet_rows(client.get(export, {"status": AttendanceStatus.ABSENT}))
    # then the one the page lists under that status, with the reason
    listed = [row.facility.name for row in client.get(detail, {"status": "absent"}).context["rows"]]
    assert column(rows, "持证单位") == listed != [] and column(rows, "缺席原因") == ["出差"]
    assert len(sheet_rows(client.get(export))) == 4
    assert client.get(reverse("meetings:annual-export", args=[2030])).status_code == 404
