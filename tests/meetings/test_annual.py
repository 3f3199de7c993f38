"""The annual meeting of permit holders (R-MTG-4; 003 第四条): 审批科 plans it in the first half year,
after last year's grading is confirmed, once a year; every graded holder is on the attendance sheet;
holding it keeps last year's work and the management requirements; the notice prints; who may do
what; the pages' query budgets."""

import io
import logging
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from bureau.errors import Conflict
from grading.services import gradings
from meetings import annual
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, AttendanceStatus, MeetingStatus
from tests.grading import conftest as grading_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 3, 10))]

# The grading tests' fixtures: the work group of 附件1 and holders of a year.
work_group = grading_fixtures.work_group
make_holders = grading_fixtures.make_holders

REPORT = "2025年全区持证单位按证排污情况总体平稳。"
REQUIREMENTS = "一、严格按证排污。二、按时提交执行报告。"


def graded(make_holders, approval_clerk, n: int):
    """The 2025 grading of ``n`` new holders, drafted (not confirmed)."""
    make_holders(n)
    grading = gradings.start_draft(year=2025, by=approval_clerk)
    return gradings.draft(grading.pk)


@pytest.fixture
def confirmed(work_group, make_holders, approval_clerk, leader):
    """The 2025 grading of three holders, confirmed by the 组长."""
    return gradings.confirm(by=leader, grading=graded(make_holders, approval_clerk, 3))


def plan(by, day=date(2026, 3, 20), **kwargs):
    return annual.plan_annual_meeting(by=by, scheduled_on=day, location="区政务服务中心报告厅", **kwargs)


@pytest.fixture
def meeting(confirmed, approval_clerk):
    return plan(approval_clerk)


def entries(meeting, **by_index):
    """An entry for every row: attended with a name, or as ``by_index`` says (``i3=("absent", "出差")``)."""
    rows = list(meeting.attendances.order_by("pk"))
    made = []
    for i, row in enumerate(rows):
        status, reason = by_index.get(f"i{i}", (AttendanceStatus.ATTENDED, ""))
        made.append(
            annual.AttendanceEntry(id=row.pk, principal=f"负责人{i}", status=status, absence_reason=reason)
        )
    return made


# Planning -------------------------------------------------------------------------------------------------


def test_r_mtg_4_planning_makes_an_attendance_row_for_every_graded_holder(meeting, confirmed):
    assert (meeting.year, meeting.graded_year, meeting.grading_id) == (2026, 2025, confirmed.pk)
    assert meeting.status == MeetingStatus.PLANNED
    rows = AnnualMeetingAttendance.objects.filter(meeting=meeting)
    assert rows.count() == 3
    assert set(rows.values_list("facility_grade__grading", flat=True)) == {confirmed.pk}
    assert set(rows.values_list("status", flat=True)) == {AttendanceStatus.PENDING}
    assert meeting.history.count() == 1 and rows.first().history.count() == 1


def test_r_mtg_4_planning_refused_before_last_years_grading_is_confirmed(
    work_group,
    make_holders,
    approval_clerk,
):
    with pytest.raises(ValidationError) as refused:
        plan(approval_clerk)
    assert "2025年度持证单位等级评定尚未起草" in str(refused.value)
    graded(make_holders, approval_clerk, 2)
    with pytest.raises(ValidationError) as refused:
        plan(approval_clerk)
    assert "尚未确认" in str(refused.value) and "年会前" in str(refused.value)
    assert not AnnualMeeting.objects.exists()


@pytest.mark.parametrize("day", [date(2026, 7, 1), date(2026, 12, 15)])
def test_r_mtg_4_planning_refused_outside_the_first_half_year(confirmed, approval_clerk, day):
    with pytest.raises(ValidationError) as refused:
        plan(approval_clerk, day)
    assert "上半年（1月1日至6月30日）" in refused.value.message_dict["scheduled_on"][0]
    assert not AnnualMeeting.objects.exists()


def test_r_mtg_4_first_and_last_day_of_the_first_half_year_are_allowed(confirmed, approval_clerk):
    meeting = plan(approval_clerk, date(2026, 6, 30))
    annual.update_plan(by=approval_clerk, meeting=meeting, scheduled_on=date(2026, 1, 1), location="局会议室")
    with pytest.raises(ValidationError):  # the date stays in the meeting's own year
        annual.update_plan(
            by=approval_clerk, meeting=meeting, scheduled_on=date(2027, 3, 1), location="局会议室"
        )
    meeting.refresh_from_db()
    assert (meeting.scheduled_on, meeting.location) == (date(2026, 1, 1), "局会议室")


def test_r_mtg_4_one_meeting_a_year(meeting, approval_clerk):
    with pytest.raises(Conflict, match="每年召开一次"):
        plan(approval_clerk, date(2026, 5, 8))
    assert AnnualMeeting.objects.count() == 1
    assert AnnualMeetingAttendance.objects.count() == 3


def test_r_mtg_4_planning_needs_a_place(confirmed, approval_clerk):
    with pytest.raises(ValidationError) as refused:
        annual.plan_annual_meeting(by=approval_clerk, scheduled_on=date(2026, 3, 20), location=" ")
    assert refused.value.message_dict["location"] == ["请填写会议地点。"]


def test_r_mtg_4_only_approval_organises(confirmed, meeting, legal_clerk, leader, town_a_liaison):
    for user in (legal_clerk, leader, town_a_liaison):
        with pytest.raises(PermissionDenied, match="审批科"):
            plan(user, date(2026, 4, 1))
        with pytest.raises(PermissionDenied):
            annual.record_held(
                by=user,
                meeting=meeting,
                held_on=date(2026, 3, 9),
                work_report=REPORT,
                requirements=REQUIREMENTS,
            )
        with pytest.raises(PermissionDenied):
            annual.record_attendance(by=user, meeting=meeting, entries=entries(meeting))


# Held, and attendance ------------------------------------------------------------------------------------


def test_r_mtg_4_requirements_and_last_years_work_are_required_when_held(approval_clerk, confirmed):
    meeting = plan(approval_clerk, date(2026, 3, 5))
    with pytest.raises(ValidationError) as refused:
        annual.record_held(
            by=approval_clerk, meeting=meeting, held_on=date(2026, 3, 5), work_report="", requirements=" "
        )
    assert set(refused.value.message_dict) == {"work_report", "requirements"}
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_r_mtg_4_held_on_not_in_the_future(approval_clerk, meeting):
    with pytest.raises(ValidationError) as refused:
        annual.record_held(
            by=approval_clerk,
            meeting=meeting,
            held_on=date(2026, 3, 11),
            work_report=REPORT,
            requirements=REQUIREMENTS,
        )
    assert "不能晚于今天" in refused.value.message_dict["held_on"][0]


def test_r_mtg_4_held_keeps_what_was_presented_and_is_locked(approval_clerk, confirmed):
    meeting = plan(approval_clerk, date(2026, 3, 5))
    meeting = annual.record_held(
        by=approval_clerk,
        meeting=meeting,
        held_on=date(2026, 3, 6),
        work_report=REPORT,
        requirements=REQUIREMENTS,
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on, meeting.requirements, meeting.recorded_by) == (
        MeetingStatus.HELD,
        date(2026, 3, 6),
        REQUIREMENTS,
        approval_clerk,
    )
    assert meeting.history.first().history_change_reason == "记录年会召开情况"
    with pytest.raises(Conflict):
        annual.record_held(
            by=approval_clerk, meeting=meeting, held_on=date(2026, 3, 6), work_report="改", requirements="改"
        )
    with pytest.raises(Conflict):
        annual.update_plan(by=approval_clerk, meeting=meeting, scheduled_on=date(2026, 4, 1), location="别处")


def test_r_mtg_4_attendance_recorded_with_the_principal_and_an_absence_reason(approval_clerk, confirmed):
    # given: a meeting held on 6 March
    meeting = plan(approval_clerk, date(2026, 3, 6))
    # when
    changed = annual.record_attendance(
        by=approval_clerk, meeting=meeting, entries=entries(meeting, i1=(AttendanceStatus.ABSENT, "住院治疗"))
    )
    # then
    assert changed == 3
    rows = list(meeting.attendances.order_by("pk"))
    assert [(r.principal, r.status, r.absence_reason) for r in rows] == [
        ("负责人0", "attended", ""),
        ("负责人1", "absent", "住院治疗"),
        ("负责人2", "attended", ""),
    ]
    assert rows[1].recorded_by == approval_clerk and rows[1].history.count() == 2
    # the same again changes nothing
    assert (
        annual.record_attendance(
            by=approval_clerk,
            meeting=meeting,
            entries=entries(meeting, i1=(AttendanceStatus.ABSENT, "住院治疗")),
        )
        == 0
    )


def test_r_mtg_4_an_absence_without_reason_saves_no_row(approval_clerk, confirmed):
    meeting = plan(approval_clerk, date(2026, 3, 6))
    rows = list(meeting.attendances.order_by("pk"))
    with pytest.raises(ValidationError) as refused:
        annual.record_attendance(
            by=approval_clerk, meeting=meeting, entries=entries(meeting, i2=(AttendanceStatus.ABSENT, " "))
        )
    assert refused.value.message_dict[annual.row_key(rows[2].pk)][0].endswith(
        "主要负责人缺席的，请写明原因。"
    )
    assert not meeting.attendances.exclude(status=AttendanceStatus.PENDING).exists()


def test_r_mtg_4_attendance_before_the_meeting_only_names_the_principal(approval_clerk, meeting):
    rows = list(meeting.attendances.order_by("pk"))
    names_only = [
        annual.AttendanceEntry(id=r.pk, principal="王总", status=AttendanceStatus.PENDING) for r in rows
    ]
    assert annual.record_attendance(by=approval_clerk, meeting=meeting, entries=names_only) == 3
    with pytest.raises(ValidationError, match="年会尚未召开"):
        annual.record_attendance(by=approval_clerk, meeting=meeting, entries=entries(meeting))


def test_r_mtg_4_attendance_rows_of_another_meeting_are_refused(approval_clerk, meeting):
    stranger = annual.AttendanceEntry(id=10**9, principal="某人", status=AttendanceStatus.PENDING)
    with pytest.raises(ValidationError, match="不在本次年会"):
        annual.record_attendance(by=approval_clerk, meeting=meeting, entries=[stranger])


# The notice -------------------------------------------------------------------------------------------------


def test_r_mtg_4_the_notice_pdf_names_the_day_place_principals_and_agenda(
    caplog, client, approval_clerk, confirmed
):
    meeting = plan(approval_clerk, notice_number="区环许〔2026〕3号")
    client.force_login(approval_clerk)
    with caplog.at_level(logging.DEBUG):
        response = client.get(reverse("meetings:annual-notice-pdf", args=[2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for expected in (
        f"关于召开{meeting.title}的通知",
        "区环许〔2026〕3号",
        "区内各排污许可持证单位",
        "2026年3月20日",
        "区政务服务中心报告厅",
        "主要负责人",
        "通报2025年度排污许可工作整体开展情况",
        "通报2025年度持证单位等级评定结果",
        "对持证单位提出管理要求",
    ):
        assert expected in text, expected


# Pages and permissions ------------------------------------------------------------------------------------


def test_r_mtg_4_pages_for_bureau_sections_and_not_for_towns(client, meeting, legal_clerk, town_a_liaison):
    client.force_login(legal_clerk)
    for name in ("annual-list", "annual-detail", "annual-notice-pdf"):
        args = [] if name == "annual-list" else [2026]
        assert client.get(reverse(f"meetings:{name}", args=args)).status_code == 200, name
    for name in ("annual-new", "annual-attendance"):
        args = [] if name == "annual-new" else [2026]
        assert client.get(reverse(f"meetings:{name}", args=args)).status_code == 403, name
    client.force_login(town_a_liaison)
    for name, args in (("annual-list", []), ("annual-detail", [2026]), ("annual-notice-pdf", [2026])):
        assert client.get(reverse(f"meetings:{name}", args=args)).status_code == 403, name


def test_r_mtg_4_the_meetings_list_links_to_the_annual_meetings(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get(reverse("meetings:meeting-list")).content.decode()
    assert reverse("meetings:annual-list") in page


def test_r_mtg_4_plan_through_the_page(client, approval_clerk, confirmed):
    client.force_login(approval_clerk)
    url = reverse("meetings:annual-new")
    refused = client.post(url, {"scheduled_on": "2026-08-01", "location": "局会议室"})
    assert refused.status_code == 400 and "上半年" in refused.content.decode()
    done = client.post(url, {"scheduled_on": "2026-04-02", "location": "局会议室"})
    assert done.status_code == 302 and done["Location"] == reverse("meetings:annual-detail", args=[2026])
    again = client.post(url, {"scheduled_on": "2026-04-03", "location": "局会议室"})
    assert again.status_code == 409 and "不能重复安排" in again.content.decode()


def test_r_mtg_4_held_through_the_page_requires_requirements(client, approval_clerk, confirmed):
    plan(approval_clerk, date(2026, 3, 5))
    client.force_login(approval_clerk)
    url = reverse("meetings:annual-held", args=[2026])
    refused = client.post(url, {"held_on": "2026-03-05", "work_report": REPORT, "requirements": ""})
    assert refused.status_code == 400
    done = client.post(url, {"held_on": "2026-03-05", "work_report": REPORT, "requirements": REQUIREMENTS})
    assert done.status_code == 302
    page = client.get(reverse("meetings:annual-detail", args=[2026])).content.decode()
    assert REQUIREMENTS in page and "已召开" in page


def _sheet(meeting, rows: dict) -> dict:
    """The attendance page's POST: ``rows`` maps a row's index to (principal, status, reason)."""
    attendances = list(meeting.attendances.order_by("facility__source_code", "pk"))
    data = {"row-TOTAL_FORMS": len(attendances), "row-INITIAL_FORMS": len(attendances)}
    for i, row in enumerate(attendances):
        principal, status, reason = rows.get(i, ("", "pending", ""))
        data |= {f"row-{i}-id": row.pk, f"row-{i}-principal": principal, f"row-{i}-status": status}
        data[f"row-{i}-absence_reason"] = reason
    return data


def test_r_mtg_4_attendance_through_the_page(client, approval_clerk, confirmed):
    meeting = plan(approval_clerk, date(2026, 3, 5))
    client.force_login(approval_clerk)
    url = reverse("meetings:annual-attendance", args=[2026])
    refused = client.post(url, _sheet(meeting, {0: ("王总", "absent", "")}))
    assert refused.status_code == 400 and "请写明原因" in refused.content.decode()
    assert not meeting.attendances.exclude(principal="").exists()
    done = client.post(url, _sheet(meeting, {0: ("王总", "absent", "出差"), 1: ("李总", "attended", "")}))
    assert done.status_code == 302
    detail = client.get(reverse("meetings:annual-detail", args=[2026])).content.decode()
    assert "主要负责人到会 1 家，缺席 1 家，未登记 1 家，共 3 家" in detail and "出差" in detail


# Query budgets ---------------------------------------------------------------------------------------------


@pytest.fixture(params=[2, 12], ids=["2-holders", "12-holders"])
def big(request, work_group, make_holders, approval_clerk, leader):
    """A held 2026 meeting reporting a grading of 2 or 12 holders, all recorded, one absent: each
    budget below holds for both, so it does not grow with the rows."""
    gradings.confirm(by=leader, grading=graded(make_holders, approval_clerk, request.param))
    meeting = plan(approval_clerk, date(2026, 3, 5))
    annual.record_held(
        by=approval_clerk,
        meeting=meeting,
        held_on=date(2026, 3, 5),
        work_report=REPORT,
        requirements=REQUIREMENTS,
    )
    annual.record_attendance(
        by=approval_clerk, meeting=meeting, entries=entries(meeting, i1=(AttendanceStatus.ABSENT, "出差"))
    )
    return request.param, meeting


def test_r_mtg_4_list_page_costs_fixed_queries(client, big, approval_clerk, django_assert_num_queries):
    client.force_login(approval_clerk)
    # Expect 4 queries: session, user, last year's grading, the meetings with their attendance counts.
    with django_assert_num_queries(4):
        response = client.get(reverse("meetings:annual-list"))
    assert response.status_code == 200 and f"{big[0]} 家" in response.content.decode()


def test_r_mtg_4_detail_page_costs_fixed_queries(client, big, legal_clerk, django_assert_num_queries):
    client.force_login(legal_clerk)
    # Expect 6 queries: session, user, the meeting with grading/people/counts, the grades per grade,
    # the count of attendance rows (pager), the page of rows with facility/town/grade/recorder.
    with django_assert_num_queries(6):
        response = client.get(reverse("meetings:annual-detail", args=[2026]))
    page = response.content.decode()
    assert page.count("data-attendance=") == big[0] and "缺席 1 家" in page


def test_r_mtg_4_attendance_page_costs_fixed_queries(client, big, approval_clerk, django_assert_num_queries):
    n, meeting = big
    client.force_login(approval_clerk)
    url = reverse("meetings:annual-attendance", args=[2026])
    # Expect 5 queries: session, user, the meeting with counts, the count of rows (pager), the page of rows.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count('name="row-') == n * 4 + 4  # the rows, the management form
    data = _sheet(meeting, {i: (f"新负责人{i}", "attended", "") for i in range(n)})
    # Saving: the 5 above, then a savepoint, the meeting locked, the rows, the update, the history rows,
    # the savepoint released (the session's message is saved with the response).
    with django_assert_num_queries(11):
        response = client.post(url, data)
    assert response.status_code == 302
    assert not meeting.attendances.exclude(status=AttendanceStatus.ATTENDED).exists()
