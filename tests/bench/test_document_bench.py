"""Benchmark of the PDF engine (issue 13 "Documents": a one-page document renders in well under a second):
the transfer slip (one page) and a meeting pack of about ten pages, each rendered by
``bureau.documents.pdf.render_pdf`` and fetched through its page. Prints the median and worst of a few
runs after one warm-up (the first render of a process loads the font). Asserts the page counts, and the
one-page document under a second. Not run by default:
``pytest tests/bench/test_document_bench.py -m bench -s``.

The ten-page figure is what ``bureau.documents.pdf.SYNC_ROWS`` rests on: a document of that size is
already longer than a person should wait on a click, so it is made in the background.
"""

import io
import statistics
import time
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from linkage import slips
from meetings import documents, queries
from meetings.models import DispatchMeeting, MeetingDecision
from meetings.tasks import create_quarterly_meeting
from tests.linkage import test_slip

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.today(date(2026, 3, 2))]

RUNS = 5
DECISIONS = 80  # rows of three lines: about ten A4 pages
TEXT = "督促持证单位按期提交执行报告，核查自行监测数据与在线监测数据是否一致，并将核查结果报审批科。" * 2

paint_works, three_way_task = test_slip.paint_works, test_slip.three_way_task


def timed(render) -> tuple[bytes, float, float]:
    """The output of ``render`` and its median and worst time in seconds over ``RUNS`` runs, after one
    warm-up."""
    render()
    times, output = [], b""
    for _ in range(RUNS):
        started = time.perf_counter()
        output = render()
        times.append(time.perf_counter() - started)
    return output, statistics.median(times), max(times)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def report(name: str, pdf: bytes, median: float, worst: float) -> None:
    size = f"{pages(pdf)} pages, {len(pdf) / 1024:.0f} KiB"
    print(f"\n{name}: {size}, median {median:.3f} s, worst {worst:.3f} s")


def test_bench_one_page_and_ten_page_documents(client, personas, three_way_task):
    # one page: the transfer slip, rendered and through its page
    slip, median, worst = timed(lambda: slips.render_task_slip(three_way_task))
    report("transfer slip, render_pdf", slip, median, worst)
    assert pages(slip) == 1
    assert median < 1.0, "a one-page document must render in well under a second"
    client.force_login(personas["approval"])
    url = reverse("linkage:task-slip", args=[three_way_task.pk])
    page, median, worst = timed(lambda: client.get(url).content)
    report("transfer slip, through its page", page, median, worst)
    assert median < 1.0

    # about ten pages: a meeting pack of many decisions
    meeting = DispatchMeeting.objects.get(pk=create_quarterly_meeting(today="2026-02-02"))
    MeetingDecision.objects.bulk_create(
        MeetingDecision(meeting=meeting, text=f"第{n}项：{TEXT}") for n in range(DECISIONS)
    )
    loaded = queries.meeting_for_user(personas["approval"], meeting.pk)
    context = documents.pack_context(loaded, today=timezone.localdate())
    pack, median, worst = timed(lambda: documents.pack_pdf(context))
    report(f"meeting pack of {documents.table_rows(context)} rows, render_pdf", pack, median, worst)
    assert 8 <= pages(pack) <= 12
    print(f"per page: {median / pages(pack):.3f} s; SYNC_ROWS = {documents.SYNC_ROWS}")
