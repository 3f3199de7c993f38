"""The meeting pack (会议材料) as a PDF (R-MTG-2, R-LNK-4): the meeting, its agenda with the figures it
reviews, the study sessions, the minutes and the decisions.

Made by ``bureau.documents.pdf.render_pdf``. A pack of at most ``SYNC_ROWS`` table rows is made at
once by the meeting page; a longer one is a background document (``bureau.documents.jobs``, kind
``meeting-pack``) whose builder applies the page's check (a bureau section, the meeting visible to the
asker through ``queries.meeting_for_user``) with the asker's rights as they stand when it runs.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents import jobs
from bureau.documents.pdf import SYNC_ROWS, render_pdf
from bureau.models import DocumentJob
from meetings import queries
from meetings.models import DispatchMeeting

TEMPLATE = "meetings/pack.html"
KIND = "meeting-pack"
MEETING_SECTIONS = BUREAU_SECTIONS
# The printed pack lists the first rows of each agenda table (the page lists up to
# ``bureau.agenda.TABLE_LIMIT``) and says how many more there are: at city scale seven tables of 50
# tasks made a 17-page pack of 373 rows that took 4.6 s to render (about 0.25 s a page of CJK table
# text); at 15 a table it is 7 pages of 113 rows, 1.8 s (python -m tests.bench.pack_pdf).
PACK_TABLE_ROWS = 15


def agenda_for_display(agenda: dict, *, rows: int | None = None) -> dict:
    """The agenda with each cell paired with its column, for the phone layout's labels; with ``rows``,
    each table cut to that many rows, the rows left out added to its 「另有 N 项未列出」."""
    items = []
    for item in agenda["items"]:
        tables = [
            {
                **t,
                "rows": [
                    {**row, "cells": list(zip(t["columns"], row["cells"], strict=False))}
                    for row in t["rows"][:rows]
                ],
                "more": t.get("more", 0) + (max(len(t["rows"]) - rows, 0) if rows else 0),
            }
            for t in item["tables"]
        ]
        items.append({**item, "tables": tables})
    return {**agenda, "items": items}


def pack_context(meeting: DispatchMeeting, *, today) -> dict:
    """What the pack shows; ``meeting`` as ``queries.meeting_for_user`` loads it (its decisions and
    study sessions prefetched), the agenda's figures read by ``queries.meeting_agenda``."""
    return {
        "title": meeting.title,
        "meeting": meeting,
        # DDH (调度会), the year, the meeting's id: stable whatever meetings are added around it.
        "document_number": f"DDH-{meeting.meeting_on.year}-{meeting.pk:04d}",
        "agenda": agenda_for_display(queries.meeting_agenda(meeting, today=today), rows=PACK_TABLE_ROWS),
        "decisions": list(meeting.decisions.all()),
        "study_sessions": list(meeting.study_sessions.all()),
        "today": today,
    }


def table_rows(context: dict) -> int:
    """How many table rows the pack prints: the agenda's tables and the decisions."""
    agenda_rows = sum(len(t["rows"]) for item in context["agenda"]["items"] for t in item["tables"])
    return agenda_rows + len(context["decisions"])


def is_long(context: dict) -> bool:
    return table_rows(context) > SYNC_ROWS


def pack_pdf(context: dict) -> bytes:
    return render_pdf(TEMPLATE, context)


def pack_filenames(meeting: DispatchMeeting) -> tuple[str, str]:
    return f"{meeting.title}.pdf", f"meeting-{meeting.pk}.pdf"


def may_request(user) -> bool:
    """The meeting page's own check (``section_required(*MEETING_SECTIONS)``)."""
    return in_sections(user, MEETING_SECTIONS)


def build(user, params: dict, progress: jobs.Progress) -> jobs.Built:
    """The pack of meeting ``params["meeting"]`` for ``user``: collect (1/3), render (2/3), done. A
    meeting the user may no longer see is the same 404 as on the page, told in Chinese."""
    progress(0, 3)
    try:
        meeting = queries.meeting_for_user(user, params["meeting"])
    except Http404:
        raise PermissionDenied("该调度会不存在或您无权查看。") from None
    context = pack_context(meeting, today=timezone.localdate())
    progress(1, 3)
    pdf = pack_pdf(context)
    progress(2, 3)
    return jobs.Built(pdf, pack_filenames(meeting)[0], "application/pdf")


def start_pack(*, meeting: DispatchMeeting, rows: int, by) -> DocumentJob:
    """Queue the pack of ``meeting`` for ``by`` (a long pack, R-MTG-2)."""
    return jobs.start(
        kind=KIND, params={"meeting": meeting.pk}, title=f"{meeting.title}（会议材料，{rows} 行）", by=by
    )


KIND_SPEC = jobs.DocumentKind(key=KIND, label="调度会会议材料", build=build, may_request=may_request)
