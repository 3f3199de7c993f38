"""One engine and one look for every PDF (bureau.documents.pdf, documents/document.html): each document,
fetched as its user would from its page, prints on every page the bureau's name, its own number and
"第 X 页 共 Y 页", with no glyph missing; a long table spans pages without splitting a row and repeats its
header; a long meeting pack or grading results list is made in the background and downloaded as a PDF
when ready, for those the page admits only.

One render per document (each costs 0.1–0.5 s); the fixtures are the apps' own test fixtures."""

import io
import logging
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from bureau.documents import jobs
from bureau.models import DocumentJob
from meetings import services as meeting_services
from meetings.models import DispatchMeeting, MeetingDecision
from meetings.tasks import create_quarterly_meeting
from tests.factories.complaints import ComplaintFactory
from tests.factories.inspections import NONCOMPLIANT_RECTIFY, signed, start
from tests.grading import conftest as grading_fixtures
from tests.grading import test_pages as grading_pages
from tests.inspections import conftest as inspection_fixtures
from tests.linkage import test_slip
from tests.meetings import test_annual
from tests.meetings.test_meetings import held
from tests.permits.reports import conftest as report_fixtures

pytestmark = pytest.mark.django_db

BUREAU = "浦江区生态环境局"

# The apps' own fixtures, brought in by name.
paint_works, three_way_task = test_slip.paint_works, test_slip.three_way_task
monthly_permit, march_report = report_fixtures.monthly_permit, report_fixtures.march_report
signed_review, issued_notice = report_fixtures.signed_review, report_fixtures.issued_notice
officer2, officers, facility = (
    inspection_fixtures.officer2,
    inspection_fixtures.officers,
    inspection_fixtures.facility,
)
work_group, make_holders = grading_fixtures.work_group, grading_fixtures.make_holders
holders, graded = grading_pages.holders, grading_pages.graded
confirmed = test_annual.confirmed


@pytest.fixture(autouse=True)
def bureau_name(settings):
    """The header's name comes from the settings, not from any template."""
    settings.BUREAU_NAME = BUREAU


def printed(caplog, response) -> list[str]:
    """The text of each page of the PDF ``response``; no glyph of it went missing."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    content = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()], "a glyph is missing"
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def fetch(client, caplog, user, url) -> list[str]:
    client.force_login(user)
    with caplog.at_level(logging.WARNING):
        return printed(caplog, client.get(url))


def assert_one_look(pages: list[str], number: str) -> None:
    """Every page carries the header (the bureau, the document's number) and its page number."""
    assert pages
    for n, text in enumerate(pages, start=1):
        assert f"{BUREAU} {number}" in text, text[-200:]
        assert f"第 {n} 页 共 {len(pages)} 页" in text


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Each document, from its page ---------------------------------------------------------------------------


@pytest.mark.today(date(2026, 3, 2))
def test_the_transfer_slip_has_the_one_look(caplog, client, personas, three_way_task):
    pages = fetch(
        client, caplog, personas["approval"], reverse("linkage:task-slip", args=[three_way_task.pk])
    )
    assert_one_look(pages, f"任务编号：{three_way_task.number}")
    assert len(pages) == 1  # 附件5 stays on one sheet under the header
    assert "排污许可“三监联动”线下转办单" in pages[0]


@pytest.mark.today(date(2026, 4, 23))
def test_the_feedback_notice_has_the_one_look(caplog, client, approval_clerk, issued_notice):
    pages = fetch(
        client, caplog, approval_clerk, reverse("permits:feedback-notice-pdf", args=[issued_notice.pk])
    )
    assert_one_look(pages, f"文书编号：{issued_notice.number}")
    assert "排污许可执行报告问题反馈意见单" in squeezed(pages[0])


@pytest.mark.today(date(2026, 6, 15))
def test_the_inspection_record_has_the_one_look(caplog, client, legal_clerk, facility, officers):
    inspection = signed(start(facility, officers), officers, 二_3=NONCOMPLIANT_RECTIFY)
    pages = fetch(client, caplog, legal_clerk, reverse("inspections:inspection-pdf", args=[inspection.pk]))
    assert_one_look(pages, f"检查编号：{inspection.number}")
    assert facility.name in squeezed("".join(pages))


@pytest.mark.today(date(2025, 5, 6))
def test_the_meeting_pack_has_the_one_look(caplog, client, personas):
    may = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))
    pages = fetch(client, caplog, personas["monitoring"], reverse("meetings:meeting-pdf", args=[may.pk]))
    assert_one_look(pages, f"编号：DDH-{may.meeting_on.year}-{may.pk:04d}")
    assert may.title in squeezed("".join(pages))


@pytest.mark.today(date(2026, 3, 10))
def test_the_annual_meeting_notice_has_the_one_look(caplog, client, approval_clerk, confirmed):
    test_annual.plan(approval_clerk, notice_number="区环许〔2026〕3号")
    pages = fetch(client, caplog, approval_clerk, reverse("meetings:annual-notice-pdf", args=[2026]))
    assert_one_look(pages, "文号：区环许〔2026〕3号")
    assert "区内各排污许可持证单位" in "".join(pages)


def test_the_complaint_slip_has_the_one_look(caplog, client, officer, facility):
    complaint = ComplaintFactory(by=officer, facility=facility)
    pages = fetch(client, caplog, officer, reverse("complaints:complaint-pdf", args=[complaint.pk]))
    assert_one_look(pages, f"编号：{complaint.number}")
    assert "信访投诉办理单" in pages[0]


# Long documents: in the background, rows whole ------------------------------------------------------------

DECISION = "督促持证单位按期提交执行报告，核查自行监测数据与在线监测数据是否一致，并将核查结果报审批科。"


def first_and_last(n: int) -> tuple[str, str]:
    return f"事项{n:02d}起", f"事项{n:02d}止"


@pytest.mark.today(date(2025, 5, 6))
def test_a_long_meeting_pack_is_made_in_the_background_its_rows_never_split(
    caplog, client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    # given a pack of 40 decisions of three lines each, with the threshold lowered to keep the test lean
    monkeypatch.setattr("meetings.documents.SYNC_ROWS", 10)
    may = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))
    for n in range(40):
        start_mark, end_mark = first_and_last(n)
        meeting_services.add_decision(
            by=personas["approval"], meeting=may, text=f"{start_mark}：{DECISION}{DECISION}{end_mark}"
        )
    client.force_login(personas["monitoring"])
    # when the monitoring clerk presses 打印会议材料
    with django_capture_on_commit_callbacks() as queued:
        response = client.get(reverse("meetings:meeting-pdf", args=[may.pk]))
    # then the button leads to the job's page, which waits for the worker
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{job.pk}/"
    assert (job.kind, job.state, len(queued)) == ("meeting-pack", "queued", 1)
    assert job.title.startswith(may.title) and "排队中" in client.get(response.url).content.decode()
    # when the worker builds it, the progress moves to its end and the page offers the download
    assert jobs.run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert f"下载 {may.title}.pdf" in client.get(response.url).content.decode()
    with caplog.at_level(logging.WARNING):
        pages = printed(caplog, client.get(f"/documents/{job.pk}/download/"))
    # then every page has the look, and each decision is whole on the page where it starts
    assert len(pages) >= 3
    assert_one_look(pages, f"编号：DDH-{may.meeting_on.year}-{may.pk:04d}")
    seen = []
    for text in map(squeezed, pages):
        here = [n for n in range(40) if first_and_last(n)[0] in text]
        for n in here:
            assert first_and_last(n)[1] in text, f"decision {n} splits across pages"
        if here:
            assert "序号议定事项责任人完成期限状态" in text  # the header row repeats
        seen += here
    assert seen == list(range(40))


@pytest.mark.today(date(2026, 1, 20))
def test_long_grading_results_are_made_in_the_background_for_the_bureau_only(
    caplog,
    client,
    approval_clerk,
    town_a_liaison,
    graded,
    monkeypatch,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    # given more listed holders (1 优秀, 1 不合格) than the threshold
    monkeypatch.setattr("grading.documents.SYNC_ROWS", 1)
    url = reverse("grading:grading-results-pdf", args=[2025])
    # then a town is refused by the page and by the job alike
    client.force_login(town_a_liaison)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        jobs.start(kind="grading-results", params={"year": 2025}, title="2025", by=town_a_liaison)
    # when 审批科 asks
    client.force_login(approval_clerk)
    # Expect 6 queries: session, user, the grading with the people it names, the counts per grade, the
    # same document still being made (none), and the INSERT of the background document.
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(6):
        response = client.get(url)
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{job.pk}/"
    assert jobs.run(job.pk) == "done"
    # then the download is the results, with the one look
    with caplog.at_level(logging.WARNING):
        pages = printed(caplog, client.get(f"/documents/{job.pk}/download/"))
    assert_one_look(pages, "编号：DJPD-2025")
    assert holders_named(pages, graded)


def holders_named(pages: list[str], grading) -> bool:
    text = squeezed("".join(pages))
    listed = grading.grades.filter(grade__in=["excellent", "unqualified"]).select_related("facility")
    return all(squeezed(g.facility.name) in text for g in listed)


@pytest.mark.today(date(2025, 5, 8))
def test_a_long_pack_is_sent_to_the_background_in_fixed_queries(client, personas, django_assert_num_queries):
    # given a held meeting (its agenda kept) with 60 decisions owned across four sections: over SYNC_ROWS
    may = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2025-05-06"))
    held(may.pk, personas, date(2025, 5, 8))
    owners = [personas[code] for code in ("pollution", "ecology", "enforcement", "monitoring")]
    MeetingDecision.objects.bulk_create(
        MeetingDecision(meeting=may, text=f"议定事项{n}", owner=owners[n % 4], due_on=date(2025, 6, 30))
        for n in range(60)
    )
    client.force_login(personas["ecology"])
    # Expect 7 queries: session, user, the meeting with its convener and creator, its decisions with
    # owner/staff/section and closer, its study sessions (the agenda is kept with the meeting), the same
    # document still being made (none), and the INSERT of the background document.
    with django_assert_num_queries(7):
        response = client.get(reverse("meetings:meeting-pdf", args=[may.pk]))
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{job.pk}/"
    assert job.kind == "meeting-pack" and job.title.startswith(f"{may.title}（会议材料，")
