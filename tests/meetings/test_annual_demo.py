"""The demo's annual meeting (R-MTG-4): on the demo's day (1 December) this year's meeting was held in
March, once last year's grading is confirmed; seeding again adds nothing."""

from datetime import date

import pytest

from bureau.calendar import WorkCalendar
from grading.services import gradings
from meetings import demo
from meetings.models import AnnualMeeting, AttendanceStatus, MeetingStatus
from tests.grading import conftest as grading_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 12, 1))]

work_group = grading_fixtures.work_group
make_holders = grading_fixtures.make_holders


def test_r_mtg_4_demo_waits_for_the_confirmed_grading_then_holds_the_meeting_once(
    work_group, make_holders, approval_clerk, leader
):
    # given: last year's grading drafted, not yet confirmed
    make_holders(10)
    grading = gradings.draft(gradings.start_draft(year=2025, by=approval_clerk).pk)
    assert demo._annual_meeting(date(2026, 12, 1), WorkCalendar()) is None
    # when: confirmed
    gradings.confirm(by=leader, grading=grading)
    meeting = demo._annual_meeting(date(2026, 12, 1), WorkCalendar())
    # then
    assert (meeting.year, meeting.status, meeting.held_on.month) == (2026, MeetingStatus.HELD, 3)
    assert meeting.requirements
    statuses = list(meeting.attendances.values_list("status", flat=True))
    assert len(statuses) == 10 and statuses.count(AttendanceStatus.ABSENT) == 1
    assert AttendanceStatus.PENDING not in statuses
    assert demo._annual_meeting(date(2026, 12, 1), WorkCalendar()) is None
    assert AnnualMeeting.objects.count() == 1
