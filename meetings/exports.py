"""The 调度会 list's Excel export (issue 13), registered from ``MeetingsConfig.ready``: the meetings
the list shows (``queries.meeting_rows``, the page's own query), newest first."""

from functools import partial

from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents.exports import Export, Rows, register
from meetings import queries

EXPORT_CHUNK = 2000

MEETING_COLUMNS = [
    ("会议", 44),
    ("会议事由", 30),
    ("类型", 10),
    ("召集部门", 12),
    ("拟召开日期", 12),
    ("召开日期", 12),
    ("推迟召开", 8),
    ("推迟原因", 30),
    ("地点", 20),
    ("状态", 18),
    ("议定事项（项）", 10),
    ("未办结（项）", 10),
]


def meeting_rows(meetings, today):
    for meeting in meetings:
        if meeting.is_held:
            state = "已召开"
        elif meeting.scheduled_on < today:
            state = "待召开（已过拟定日期）"
        else:
            state = "待召开"
        yield [
            meeting.title,
            meeting.topic,
            meeting.get_kind_display(),
            meeting.convener.short_name,
            meeting.scheduled_on,
            meeting.held_on,
            "是" if meeting.is_late else "",
            meeting.late_reason,
            meeting.location,
            state,
            meeting.decision_count,
            meeting.open_decision_count,
        ]


def meeting_source(user, query) -> Rows:
    meetings = queries.meeting_rows(user)
    return Rows(
        meetings.count(), meeting_rows(meetings.iterator(chunk_size=EXPORT_CHUNK), timezone.localdate())
    )


def register_exports() -> None:
    register(
        Export(
            "meetings.meetings",
            "调度会",
            MEETING_COLUMNS,
            meeting_source,
            partial(in_sections, codes=BUREAU_SECTIONS),
        )
    )
