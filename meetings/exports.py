"""The 调度会 list's Excel export (issue 13), registered from ``MeetingsConfig.ready``: the meetings
the list shows (``queries.meeting_rows``, the page's own query), newest first."""

from functools import partial

from django.utils import timezone

from bureau.access import BUREAU_SECTIONS, in_sections
from bureau.documents.exports import EXPORT_CHUNK, Export, Rows, register
from meetings import queries
from meetings.annual_views import READERS, listed_attendance

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


ATTENDANCE_COLUMNS = [
    ("持证单位", 32),
    ("污染源编码", 24),
    ("所属街镇", 12),
    ("评定等级", 10),
    ("主要负责人", 12),
    ("到会情况", 8),
    ("缺席原因", 30),
]


def attendance_rows(rows):
    for row in rows:
        yield [
            row.facility.name,
            row.facility.source_code,
            row.facility.town.name if row.facility.town_id else "",
            row.facility_grade.get_grade_display() if row.facility_grade_id else "",
            row.principal,
            row.get_status_display(),
            row.absence_reason,
        ]


def attendance_source(user, query) -> Rows:
    _, _, rows = listed_attendance(user, int(query["year"]), query)
    return Rows(rows.count(), attendance_rows(rows.iterator(chunk_size=EXPORT_CHUNK)))


def meeting_source(user, query) -> Rows:
    meetings = queries.meeting_rows(user)
    return Rows(
        meetings.count(), meeting_rows(meetings.iterator(chunk_size=EXPORT_CHUNK), timezone.localdate())
    )


def register_exports() -> None:
    register(
        Export(
            "meetings.annual-attendance",
            "持证单位年会到会情况",
            ATTENDANCE_COLUMNS,
            attendance_source,
            partial(in_sections, codes=READERS),
        )
    )
    register(
        Export(
            "meetings.meetings",
            "调度会",
            MEETING_COLUMNS,
            meeting_source,
            partial(in_sections, codes=BUREAU_SECTIONS),
        )
    )
