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


# The meeting pack at city scale (issue 15) -----------------------------------------------------------------
# 200,000 linkage tasks over three years (``MEETING_BENCH_TASKS``), each with one or two receivers, on
# ``MEETING_BENCH_FACILITIES`` facilities whose history spreads over the same three years. The planned
# meeting of 15 June 2026 reports since the last one held: a quarter before (6 May) or a year before.
# Prints the meeting page, the API, the pack's context and its PDF, their queries and the slowest SQL;
# asserts what holds at any scale: the page's query count is the same at a small and at full scale.
# ``DATABASE_URL=postgres://… pytest tests/bench/test_document_bench.py -m bench -s -k city``

import os  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bureau.models import Section  # noqa: E402
from linkage.models import Assignment, LinkageTask  # noqa: E402
from meetings.models import MeetingKind, MeetingStatus  # noqa: E402
from permits.models import Facility  # noqa: E402

CITY_TASKS = int(os.environ.get("MEETING_BENCH_TASKS", "200000"))
CITY_FACILITIES = int(os.environ.get("MEETING_BENCH_FACILITIES", "20000"))
CITY_TODAY = date(2026, 6, 15)
CITY_START = date(2023, 6, 16)  # three years of tasks up to today
DEPARTMENTS = ("approval", "ecology", "pollution", "monitoring", "enforcement")
SOURCES = ("monitoring_anomaly", "inspection", "complaint", "expired_permit", "manual", "report_review")
CITY_QUERIES: dict[int, int] = {}


def seed_city(tasks: int, facilities: int, towns) -> None:
    """Bulk rows (load, not behaviour): facilities with their history over three years, and ``tasks``
    linkage tasks spread evenly over the same days; the last two months' mostly open, older ones
    mostly archived, one in forty left open (and overdue) whatever its age."""
    from permits.models import Unit
    from tests.factories.permits import credit_code

    Unit.objects.bulk_create(
        [Unit(credit_code=credit_code(n), name=f"会议基准单位{n:06d}") for n in range(1, facilities + 1)],
        batch_size=2000,
    )
    units = dict(Unit.objects.filter(name__startswith="会议基准单位").values_list("credit_code", "pk"))
    Facility.objects.bulk_create(
        [
            Facility(
                unit_id=units[credit_code(n)],
                credit_code=credit_code(n),
                source_code=f"{credit_code(n)}001",
                name=f"会议基准单位{n:06d}有限公司",
                town=towns[n % len(towns)],
                industry_code="2641",
                industry_name="涂料制造",
                management_level="simplified",
            )
            for n in range(1, facilities + 1)
        ],
        batch_size=2000,
    )
    days = (CITY_TODAY - CITY_START).days
    history = Facility.history.model
    names = [f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    rows = []
    for n, facility in enumerate(Facility.objects.filter(name__startswith="会议基准单位").order_by("pk"), 1):
        values = {name: getattr(facility, name) for name in names}
        created = timezone.make_aware(timezone.datetime.combine(CITY_START, timezone.datetime.min.time()))
        created += timedelta(days=n * days // facilities, hours=10)
        rows.append(history(**values, history_date=created, history_type="+"))
        for k in range(1, 3):  # two changes, a contact then the credit rating
            changed = {**values, "contact_person": f"联系人{k}"}
            if k == 2:
                changed["credit_rating"] = "warning"
            rows.append(history(**changed, history_date=created + timedelta(days=97 * k), history_type="~"))
    history.objects.bulk_create(rows, batch_size=2000)
    sections = dict(Section.objects.values_list("code", "pk"))
    facility_ids = list(Facility.objects.values_list("pk", flat=True))
    batch = []
    for n in range(tasks):
        started = CITY_START + timedelta(days=n * days // tasks)
        age = (CITY_TODAY - started).days
        open_ = age < 60 or n % 40 == 0
        state = ("open" if n % 3 else "awaiting_close") if open_ else ("archived" if age > 30 else "closed")
        closed = None if open_ else started + timedelta(days=12)
        batch.append(
            LinkageTask(
                number=f"LD-M{n:07d}",
                year=started.year,
                sequence=2_000_000 + n,
                initiator_id=sections[DEPARTMENTS[n % 5]],
                facility_id=facility_ids[n % len(facility_ids)],
                description="基准测试任务",
                source_kind=SOURCES[n % len(SOURCES)],
                started_on=started,
                deadline_workdays=10,
                deadline_on=started + timedelta(days=14),
                state=state,
                closed_on=closed,
                archived_on=closed + timedelta(days=10) if state == "archived" else None,
            )
        )
    LinkageTask.objects.bulk_create(batch, batch_size=2000)
    assignments = []
    for n, (pk, initiator) in enumerate(
        LinkageTask.objects.filter(number__startswith="LD-M").order_by("pk").values_list("pk", "initiator_id")
    ):
        receivers = [sections[DEPARTMENTS[(n + 1) % 5]]] + (
            [sections[DEPARTMENTS[(n + 3) % 5]]] if n % 2 else []
        )
        for k, section in enumerate(receivers):
            assert section != initiator
            fed_back = n % 3 == 0 or k == 1
            assignments.append(
                Assignment(
                    task_id=pk,
                    section_id=section,
                    state="fed_back" if fed_back else "received",
                    received_on=CITY_START + timedelta(days=n * days // tasks),
                    fed_back_on=CITY_START + timedelta(days=n * days // tasks + 5) if fed_back else None,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def city_meeting(previous_held_on: date) -> DispatchMeeting:
    """The planned meeting of ``CITY_TODAY``, the last one held on ``previous_held_on``."""
    DispatchMeeting.objects.update(status=MeetingStatus.PLANNED, held_on=None)
    convener = Section.objects.get(code="approval")
    previous, _ = DispatchMeeting.objects.update_or_create(
        kind=MeetingKind.EXTRA,
        topic="基准上次会议",
        defaults={
            "year": previous_held_on.year,
            "scheduled_on": previous_held_on,
            "held_on": previous_held_on,
            "status": MeetingStatus.HELD,
            "minutes": "基准",
            "convener": convener,
            "agenda": {"items": []},
        },
    )
    meeting, _ = DispatchMeeting.objects.get_or_create(
        kind=MeetingKind.EXTRA,
        topic="基准本次会议",
        defaults={"year": 2026, "scheduled_on": CITY_TODAY, "convener": convener},
    )
    return meeting


def measured(label: str, work) -> tuple[object, int]:
    work()  # warm: templates, URLconf, fonts
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - started)
    sql = sum(float(q["time"]) for q in captured.captured_queries)
    print(
        f"  {label}: median {statistics.median(times) * 1000:7.0f} ms, worst {max(times) * 1000:7.0f} ms,"
        f" {len(captured)} queries, SQL {sql * 1000:.0f} ms"
    )
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]:
        print(f"      {float(query['time']) * 1000:6.0f} ms  {query['sql'][:120]}")
    return result, len(captured)


@pytest.mark.today(CITY_TODAY)
@pytest.mark.parametrize("tasks", sorted({min(2_000, CITY_TASKS), CITY_TASKS}))
def test_bench_meeting_pack_at_city_scale(tasks, client, api_client, personas, town_a, town_b):
    started = time.perf_counter()
    seed_city(tasks, max(CITY_FACILITIES * tasks // CITY_TASKS, 100), [town_a, town_b])
    print(
        f"\n{tasks} tasks, {LinkageTask.objects.count()} in all, seeded in {time.perf_counter() - started:.0f} s"
    )
    client.force_login(personas["approval"])
    api_client.force_authenticate(personas["ecology"])
    for gap, previous in (("a quarter", date(2026, 5, 6)), ("a year", date(2025, 6, 13))):
        meeting = city_meeting(previous)
        print(f" previous meeting {gap} before ({previous}):")
        url = reverse("meetings:meeting-detail", args=[meeting.pk])
        page, count = measured("meeting page", lambda url=url: client.get(url))
        assert page.status_code == 200
        CITY_QUERIES.setdefault(tasks, count)
        api = reverse("api-meeting-detail", args=[meeting.pk])
        answer, _ = measured("API meeting", lambda api=api: api_client.get(api))
        assert answer.status_code == 200

        def context(meeting=meeting):
            loaded = queries.meeting_for_user(personas["approval"], meeting.pk)
            return documents.pack_context(loaded, today=timezone.localdate())

        built, _ = measured("pack context", context)
        pack, _ = measured("pack PDF render", lambda built=built: documents.pack_pdf(built))
        print(f"  pack: {pages(pack)} pages, {documents.table_rows(built)} table rows")
        whole, _ = measured("pack, context and PDF", lambda context=context: documents.pack_pdf(context()))
    if len(CITY_QUERIES) == 2:
        small, large = CITY_QUERIES.values()
        assert small == large, "the meeting page costs the same queries at any scale"
