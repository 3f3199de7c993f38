"""Issue 8 on dispatch meetings (R-MTG-1, R-MTG-2, R-LNK-4, R-LNK-7; 003 第四条、第八条): late quarterly
meetings with their reason, minutes in the quarter's month, the next-meeting line, each section's
registry updates on the agenda, overdue counted in working days alike on the list, the agenda and the
pack, every agenda link opening for every attendee section, and the pack never splitting a row."""

import io
import re
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bureau.documents import jobs
from bureau.models import DocumentJob, SectionCode
from complaints.models import Complaint
from complaints.services import start_task_from_complaint
from linkage.models import LinkageTask
from linkage.services.leads import start_task_from_anomaly
from meetings import documents, queries
from meetings import services as meetings
from meetings.models import DispatchMeeting, MeetingKind
from meetings.tasks import create_quarterly_meeting
from permits.models import Facility, Permit
from permits.services.facilities import update_facility
from tests.factories.complaints import ComplaintFactory
from tests.factories.linkage import LinkageTaskFactory, anomaly_report
from tests.factories.permits import FacilityFactory, PermitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2025, 5, 8))]

ATTENDEES = [c for c in SectionCode.values if c != SectionCode.TOWN]


@pytest.fixture
def may(db):
    return DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))


def hold(meeting, personas, held_on, **kwargs):
    return meetings.record_minutes(
        by=personas["approval"],
        meeting=meeting,
        held_on=held_on,
        minutes="通报各部门工作。",
        version=meeting.version,
        **kwargs,
    )


# R-MTG-1: 上旬, or late with a reason -------------------------------------------------------------------------


def test_r_mtg_1_a_quarterly_meeting_moved_after_the_10th_is_refused_without_a_reason(may, personas):
    with pytest.raises(ValidationError) as refused:
        meetings.reschedule_meeting(
            by=personas["approval"], meeting=may, scheduled_on=date(2025, 5, 13), location=""
        )
    assert "请填写推迟召开的原因" in refused.value.message_dict["late_reason"][0]
    may.refresh_from_db()
    assert may.scheduled_on == date(2025, 5, 6) and not may.is_late


def test_r_mtg_1_a_quarterly_meeting_moved_after_the_10th_is_recorded_late_with_its_reason(may, personas):
    moved = meetings.reschedule_meeting(
        by=personas["approval"],
        meeting=may,
        scheduled_on=date(2025, 5, 13),
        location="",
        late_reason="局长出差",
    )
    assert moved.is_late and moved.late_reason == "局长出差"
    # moved back into the first ten days, the reason goes
    back = meetings.reschedule_meeting(
        by=personas["approval"],
        meeting=moved,
        scheduled_on=date(2025, 5, 9),
        location="",
        late_reason="局长出差",
    )
    assert not back.is_late and back.late_reason == ""


@pytest.mark.today(date(2025, 5, 20))
def test_r_mtg_1_minutes_held_after_the_10th_need_a_reason(may, personas, client):
    with pytest.raises(ValidationError) as refused:
        hold(may, personas, date(2025, 5, 15))
    assert "已过上旬" in refused.value.message_dict["late_reason"][0]
    held = hold(may, personas, date(2025, 5, 15), late_reason="与全市执法大练兵冲突")
    assert held.is_late and held.late_reason == "与全市执法大练兵冲突"
    # the page and the list say so
    client.force_login(personas["ecology"])
    page = client.get(reverse("meetings:meeting-detail", args=[may.pk])).content.decode()
    assert "推迟召开原因" in page and "与全市执法大练兵冲突" in page
    assert "data-late" in client.get(reverse("meetings:meeting-list")).content.decode()


@pytest.mark.today(date(2025, 6, 3))
def test_r_mtg_1_minutes_held_in_another_month_are_refused(may, personas):
    with pytest.raises(ValidationError) as refused:
        hold(may, personas, date(2025, 6, 2), late_reason="推迟")
    assert refused.value.message_dict["held_on"] == [
        "季度调度会应在 2025 年 5 月召开，召开日期不能是 2025-06-02。"
    ]
    may.refresh_from_db()
    assert not may.is_held


def test_r_mtg_1_the_form_refuses_a_late_date_without_a_reason_in_chinese(may, personas, client):
    client.force_login(personas["approval"])
    response = client.post(
        reverse("meetings:meeting-schedule", args=[may.pk]), {"scheduled_on": "2025-05-12", "location": ""}
    )
    assert response.status_code == 400
    assert "请填写推迟召开的原因" in response.content.decode()


@pytest.mark.today(date(2025, 5, 14))
def test_r_mtg_1_a_job_that_runs_after_the_10th_records_why_the_meeting_is_late():
    meeting = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-14"))
    assert meeting.is_late and "上旬已过" in meeting.late_reason


def test_r_mtg_1_the_next_meeting_line_names_the_next_quarter_once_this_one_is_held(may, personas, client):
    client.force_login(personas["pollution"])
    assert "下一次季度调度会：2025年5月上旬" in client.get(reverse("meetings:meeting-list")).content.decode()
    hold(may, personas, date(2025, 5, 7))
    assert "下一次季度调度会：2025年8月上旬" in client.get(reverse("meetings:meeting-list")).content.decode()


def test_r_mtg_1_an_extra_meeting_is_never_late(personas):
    extra = meetings.call_extra_meeting(
        by=personas["approval"], scheduled_on=date(2025, 5, 20), topic="专项调度"
    )
    assert extra.kind == MeetingKind.EXTRA and not extra.is_late


# R-MTG-2: every section's registry updates (003 第八条) ---------------------------------------------------


def registry_rows(agenda):
    item = next(i for i in agenda["items"] if i["key"] == "registry")
    return {(row["cells"][0], row["cells"][1]): row["cells"][2:] for row in item["tables"][0]["rows"]}, {
        f["label"]: f["value"] for f in item["figures"]
    }


def backdate_history(day):
    when = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
    for model in (Facility, Permit, Complaint):
        model.history.update(history_date=when)


def test_r_mtg_2_the_agenda_shows_each_sections_registry_updates(may, personas, town_a):
    # given: since the last meeting, 审批科 filed a facility and a permit, 污防科 marked it key-regulated,
    # 法制科 rated its credit, 执法大队 received a complaint; 生态科 changed nothing
    facility = FacilityFactory(town=town_a, by=personas["approval"])
    PermitFactory(facility=facility, by=personas["approval"], issued_on=date(2025, 5, 1), number="P-REG-001")
    update_facility(facility=facility, by=personas["pollution"], changes={"is_key_regulated": True})
    update_facility(
        facility=facility,
        by=personas["legal"],
        changes={"credit_rating": "good", "credit_rated_on": date(2025, 5, 2)},
    )
    ComplaintFactory(by=personas["enforcement"], facility=facility)
    backdate_history(date(2025, 5, 2))  # the history is written at the real time; the test runs on 8 May 2025
    # when
    rows, figures = registry_rows(queries.meeting_agenda(may, today=date(2025, 5, 8)))
    # then
    assert rows[("审批科", "排污单位基本信息")] == ["1", "0"]
    assert rows[("审批科", "排污许可证")] == ["1", "0"]
    assert rows[("污防科", "环境监管重点单位信息")] == ["0", "1"]
    assert rows[("法制科", "环境信用评价信息")] == ["0", "1"]
    assert rows[("生态科", "环境统计信息")] == ["0", "0"]
    assert rows[("执法大队", "信访投诉")][0] == "1"
    assert figures["生态科"] == 0 and figures["污防科"] == 1 and figures["法制科"] == 1


# R-LNK-7: one overdue figure in working days ----------------------------------------------------------------


def test_r_lnk_7_list_agenda_and_pack_show_the_same_overdue_working_days_across_the_holiday(
    may, personas, heads, client
):
    # given: a task due 30 April 2025; 1–5 May is the Labour Day holiday, so on 8 May it is 3 working
    # days late (6, 7, 8 May), not 8 calendar days
    task = LinkageTaskFactory(
        by=personas["pollution"],
        initiator="pollution",
        receivers=["enforcement"],
        head=heads["pollution"],
        started_on=date(2025, 4, 28),
        deadline_workdays=2,
    )
    assert task.deadline_on == date(2025, 4, 30)
    client.force_login(personas["pollution"])
    # when
    listed = client.get(reverse("linkage:task-list") + "?tab=overdue").content.decode()
    agenda = client.get(reverse("meetings:meeting-detail", args=[may.pk])).content.decode()
    pack = client.get(reverse("meetings:meeting-pdf", args=[may.pk])).content
    pack_text = (
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack)).pages)
        .replace("\n", "")
        .replace(" ", "")
    )
    # then
    assert "已逾期 3 个工作日" in listed
    assert "已逾期 3 个工作日" in agenda
    assert "已逾期3个工作日" in pack_text
    assert "已逾期 8 天" not in agenda and "8天" not in pack_text


# R-LNK-4: every link on the agenda opens for every attendee section -------------------------------------------


@pytest.fixture
def reviewed(may, personas, heads, town_a):
    """Tasks between different departments on the May agenda, one of them from a complaint."""
    facility = FacilityFactory(town=town_a, by=personas["approval"])
    LinkageTaskFactory(
        by=personas["monitoring"],
        initiator="monitoring",
        receivers=["enforcement"],
        head=heads["monitoring"],
        started_on=date(2025, 4, 1),
        facility=facility,
        source_kind="monitoring_anomaly",
    )
    LinkageTaskFactory(
        by=personas["pollution"],
        initiator="pollution",
        receivers=["ecology"],
        head=heads["pollution"],
        started_on=date(2025, 4, 2),
        deadline_workdays=2,
    )
    complaint = ComplaintFactory(by=personas["enforcement"], facility=facility, received_on=date(2025, 4, 1))
    task = start_task_from_complaint(
        by=personas["enforcement"],
        complaint=complaint,
        receivers=["pollution"],
        handler=personas["enforcement"],
        head=heads["enforcement"],
        started_on=date(2025, 4, 3),
    )
    # A task started from a holder's anomaly report, whose page 法制科 may not open (R-ANM-1).
    report = anomaly_report(
        by=personas["pollution"],
        facility=facility,
        reported_at=timezone.make_aware(datetime(2025, 4, 4, 9, 0)),
    )
    anomaly_task = start_task_from_anomaly(
        by=personas["pollution"],
        report=report,
        initiator="pollution",
        receivers=["monitoring"],
        description="请对在线监测设备开展比对监测",
        handler=personas["pollution"],
        head=heads["pollution"],
        started_on=date(2025, 4, 4),
    )
    return {"meeting": may, "complaint_task": task, "anomaly_task": anomaly_task, "anomaly_report": report}


def hrefs(html: str) -> list[str]:
    """The page links in ``html`` (stylesheets under /static/ are not links a person follows)."""
    return [h for h in re.findall(r'<a [^>]*href="([^"#]+)', html) if h.startswith("/")]


def section_of(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


@pytest.mark.parametrize("code", ATTENDEES)
def test_r_lnk_4_every_link_on_the_agenda_opens_for_every_attendee_section(client, personas, reviewed, code):
    client.force_login(personas[code])
    page = client.get(reverse("meetings:meeting-detail", args=[reviewed["meeting"].pk])).content.decode()
    links = hrefs(section_of(page, 'id="agenda"', 'id="study"'))
    assert len([u for u in links if "/tasks/" in u]) >= 3
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, (code, url)
        # and every link on a task page opened from the agenda
        inner = response.content.decode()
        for inner_url in hrefs(section_of(inner, '<main class="page">', "</main>")):
            assert client.get(inner_url).status_code == 200, (code, url, inner_url)


@pytest.mark.parametrize("code", ATTENDEES)
def test_r_lnk_4_a_complaint_tasks_source_never_leads_an_attendee_to_a_404(client, personas, reviewed, code):
    # given: the complaint task as each attendee section opens it from the agenda
    url = reverse("meetings:meeting-task", args=[reviewed["meeting"].pk, reviewed["complaint_task"].pk])
    client.force_login(personas[code])
    page = client.get(url).content.decode()
    # then: the source is a link that opens, or, for a section that may not read complaints, a note
    links = re.findall(r'href="([^"]+)" data-source>', page)
    if links:
        assert client.get(links[0]).status_code == 200
    else:
        assert "data-source-closed" in page
    if code in ("legal", "enforcement", "leadership"):  # they read every complaint (R-CMP-1)
        assert links


@pytest.mark.parametrize("code", ATTENDEES)
def test_r_mtg_2_an_anomaly_tasks_source_opens_or_is_a_note(client, personas, reviewed, code):
    # given: the anomaly-sourced task as each attendee section opens it from the agenda
    url = reverse("meetings:meeting-task", args=[reviewed["meeting"].pk, reviewed["anomaly_task"].pk])
    client.force_login(personas[code])
    page = client.get(url).content.decode()
    # then: the source is a link that opens, or, for 法制科 (no 三监联动 pages), a note
    links = re.findall(r'href="([^"]+)" data-source>', page)
    if code == "legal":
        assert links == []
        assert "data-source-closed" in page
    else:
        assert links == [reverse("linkage:anomaly-detail", args=[reviewed["anomaly_report"].pk])]
        assert client.get(links[0]).status_code == 200


def test_r_cal_1_the_meeting_task_page_marks_a_provisional_deadline(client, personas, reviewed):
    # given: a task on the agenda whose deadline runs into a year not yet confirmed (its deadline is
    # then stored as provisional, as linkage.services.deadlines keeps it)
    task = reviewed["complaint_task"]
    LinkageTask.objects.filter(pk=task.pk).update(deadline_provisional=True)
    client.force_login(personas["ecology"])
    # when
    page = client.get(
        reverse("meetings:meeting-task", args=[reviewed["meeting"].pk, task.pk])
    ).content.decode()
    # then: 暂定 beside the date, as everywhere a deadline shows
    assert f'{task.deadline_on:%Y-%m-%d} <span class="badge provisional" data-provisional' in page


def test_d15_the_meeting_task_page_names_the_site_by_its_source_code(client, personas, reviewed):
    task = reviewed["complaint_task"]
    client.force_login(personas["ecology"])
    page = client.get(
        reverse("meetings:meeting-task", args=[reviewed["meeting"].pk, task.pk])
    ).content.decode()
    assert f'<small class="mono">{task.facility.source_code}</small>' in page


def test_r_lnk_4_a_task_not_on_the_agenda_is_not_read_through_the_meeting(client, personas, reviewed, heads):
    # a task started after the agenda was kept is not under review at that meeting
    held = hold(reviewed["meeting"], personas, date(2025, 5, 7))
    later = LinkageTaskFactory(
        by=personas["pollution"],
        initiator="pollution",
        receivers=["enforcement"],
        head=heads["pollution"],
        started_on=date(2025, 5, 8),
    )
    client.force_login(personas["ecology"])
    assert client.get(reverse("meetings:meeting-task", args=[held.pk, later.pk])).status_code == 404
    assert (
        client.get(
            reverse("meetings:meeting-task", args=[held.pk, reviewed["complaint_task"].pk])
        ).status_code
        == 200
    )


def test_meeting_task_page_costs_fixed_queries(client, personas, reviewed, django_assert_num_queries):
    meeting = hold(reviewed["meeting"], personas, date(2025, 5, 7))
    client.force_login(personas["ecology"])
    url = reverse("meetings:meeting-task", args=[meeting.pk, reviewed["complaint_task"].pk])
    # Expect 11 queries: session, user, the meeting, its decisions, its study sessions (the agenda is
    # kept with it), the task with initiator/facility/signers, its assignments, its steps, the calendar
    # year of its deadline, whether the complaint behind it opens for this section, whether the task
    # opens in linkage for this section.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


# The pack never splits a table row across pages ---------------------------------------------------------------


def test_the_meeting_pack_never_splits_a_table_row_across_pages(client, personas, heads, may):
    # given: sixty decisions with long texts, so the decision table runs over several pages
    for n in range(60):
        meetings.add_decision(
            by=personas["approval"],
            meeting=may,
            text=f"议定事项{n:02d}开始。"
            + "督促排污单位按期完成整改并报送整改报告，" * 6
            + f"议定事项{n:02d}结束。",
        )
    client.force_login(personas["approval"])
    # when (a pack this long is made in the background: the button leads to the job, run here)
    response = client.get(reverse("meetings:meeting-pdf", args=[may.pk]))
    job = DocumentJob.objects.get(kind="meeting-pack")
    assert response.status_code == 302 and jobs.run(job.pk) == "done"
    pdf = b"".join(client.get(reverse("document-download", args=[job.pk])).streaming_content)
    pages = PdfReader(io.BytesIO(pdf)).pages
    texts = [p.extract_text().replace("\n", "") for p in pages]
    # then: each decision's first and last words are on the same page
    assert len(pages) >= 3
    for n in range(60):
        start = [i for i, t in enumerate(texts) if f"议定事项{n:02d}开始" in t]
        end = [i for i, t in enumerate(texts) if f"议定事项{n:02d}结束" in t]
        assert start and start == end, n


# Demo data is plausible -----------------------------------------------------------------------------------


DEMO_DAYS = [date(2025, 5, 20), date(2025, 10, 9), date(2025, 11, 8), date(2026, 2, 24), date(2025, 12, 31)]


@pytest.mark.parametrize("day", [pytest.param(day, marks=pytest.mark.today(day)) for day in DEMO_DAYS])
def test_demo_meetings_hold_no_study_session_on_a_holiday_and_date_nothing_after_today(day):
    from bureau.calendar import WorkCalendar
    from bureau.demo import seed as seed_bureau
    from meetings import demo
    from meetings.models import MeetingDecision, StudySession

    # given: the demo bureau (its users), shown on ``day``
    seed_bureau(today=day)
    # when
    demo.seed(today=day)
    # then
    calendar = WorkCalendar()
    meeting = DispatchMeeting.objects.get(status="held")
    assert meeting.held_on <= day and calendar.is_workday(meeting.held_on) and not meeting.is_late
    assert all(s.held_on <= day and calendar.is_workday(s.held_on) for s in StudySession.objects.all())
    assert not MeetingDecision.objects.filter(done_on__gt=day).exists()
    assert MeetingDecision.objects.filter(meeting=meeting).count() == 2


def test_r_lnk_4_the_api_agenda_links_tasks_through_the_meeting(client, api_client, personas, reviewed):
    meeting = reviewed["meeting"]
    api_client.force_authenticate(personas["legal"])
    agenda = api_client.get(f"/api/v1/meetings/{meeting.pk}/").json()["agenda"]
    urls = [row["url"] for item in agenda["items"] for t in item["tables"] for row in t["rows"] if row["url"]]
    assert urls and all(url.startswith(f"/meetings/{meeting.pk}/tasks/") for url in urls)
    client.force_login(personas["legal"])
    assert all(client.get(url).status_code == 200 for url in urls)


def test_r_mtg_2_the_printed_pack_lists_the_first_rows_of_a_table_and_counts_the_rest():
    # given: a table of 20 rows, 30 more left out by the agenda itself, and a table of 3
    columns = ["任务编号", "排污单位"]
    long = {"caption": "逾期任务", "columns": columns, "rows": [{"cells": [f"LD-{n}", "单位"]} for n in range(20)]}
    agenda = {
        "items": [{"key": "x", "tables": [long | {"more": 30}, long | {"rows": long["rows"][:3], "more": 0}]}]
    }
    # when: shown on the page, and cut for the pack
    page = documents.agenda_for_display(agenda)["items"][0]["tables"]
    pack = documents.agenda_for_display(agenda, rows=documents.PACK_TABLE_ROWS)["items"][0]["tables"]
    # then: the page keeps every row; the pack keeps the first 15 and adds the 5 it cut to 「另有 N 项」
    assert [(len(t["rows"]), t["more"]) for t in page] == [(20, 30), (3, 0)]
    assert [(len(t["rows"]), t["more"]) for t in pack] == [(15, 35), (3, 0)]
    assert pack[0]["rows"][0]["cells"] == [("任务编号", "LD-0"), ("排污单位", "单位")]
