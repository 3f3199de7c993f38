"""The meeting pack at city scale (issue 15: under 2 s): ``python -m tests.bench.pack_pdf``.

Runs against the benchmark database (``make bench-data``; ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/bureau_bench``), in this process, as 审批科 (the demo user
``approval``). For each dispatch meeting (planned and held): the pack's context (the agenda's figures
and tables, read as the meeting page reads them) and its PDF render, each the median of ``--runs``
after one warm-up (the first render of a process loads the font), with the pages and table rows
printed. Writes nothing.
"""

import argparse
import io
import os
import statistics
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bureau_bench"


def median_of(runs: int, make):
    make()
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = make()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")  # a local secret and data directory; DEBUG does not touch a render
    import django

    django.setup()
    from django.utils import timezone
    from pypdf import PdfReader

    from bureau.models import User
    from meetings import documents, queries
    from meetings.models import DispatchMeeting

    user = User.objects.get(username="approval")
    today = timezone.localdate()
    print("调度会材料 PDF（城市规模）")
    for meeting in DispatchMeeting.objects.order_by("pk"):
        loaded = queries.meeting_for_user(user, meeting.pk)
        context, context_s = median_of(
            args.runs, lambda loaded=loaded: documents.pack_context(loaded, today=today)
        )
        pdf, pdf_s = median_of(args.runs, lambda context=context: documents.pack_pdf(context))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"  {meeting.pk} {meeting.get_status_display()}：材料数据 {context_s * 1000:.0f} ms，"
            f"PDF {pdf_s * 1000:.0f} ms（{pages} 页，{documents.table_rows(context)} 行表格），"
            f"合计 {(context_s + pdf_s) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
