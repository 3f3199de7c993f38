"""The dispatch meeting's agenda, filled from the data since the previous meeting (R-MTG-2, R-LNK-4;
003 第四条).

Who reports what (003 第四条): 审批科 the changes to permit holders; 生态科 and 监测站 self-monitoring and
monitoring-rule changes; 污防科 emission and facility rule changes; 执法大队 on-site inspections; and
the 三监联动 tasks archived, still open and overdue per department. Each of those parts is contributed
by its app through ``bureau.agenda``; this module finds the period, numbers the items and puts them
together, so it never changes when an app is added.

The agenda is plain data (strings, numbers, lists, dicts): the page, the PDF and the API render the
same structure, and a held meeting keeps it as JSON, so its record does not move with the data.
It costs a fixed number of queries however much happened in the period.
"""

from datetime import date

from bureau import agenda
from meetings import rules as meeting_rules
from meetings.models import DispatchMeeting, MeetingStatus

DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (as many items as the apps bring)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def headings() -> dict[str, str]:
    """Each item's numbered heading, in agenda order: {"approval": "一、持证单位基本信息更新情况", …}."""
    return {key: f"{numeral(i)}、{title}" for i, (key, title) in enumerate(agenda.titles().items(), 1)}


def previous_meeting(meeting: DispatchMeeting, as_of: date) -> DispatchMeeting | None:
    """The last meeting held before ``as_of``, other than ``meeting``: the agenda reports since it."""
    return (
        DispatchMeeting.objects.filter(status=MeetingStatus.HELD, held_on__lt=as_of)
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-id")
        .first()
    )


def build_agenda(meeting: DispatchMeeting, *, as_of: date) -> dict:
    """The agenda of ``meeting`` from the data in ``(previous meeting held, as_of]`` (R-MTG-2), with
    open and overdue linkage tasks as of ``as_of`` (R-LNK-4, R-LNK-6)."""
    previous = previous_meeting(meeting, as_of)
    after, until = meeting_rules.agenda_period(as_of, previous.held_on if previous else None)
    period = agenda.AgendaPeriod(after=after, until=until, as_of=as_of)
    numbered = headings()
    items = []
    for contribution in agenda.contributions():
        for item in contribution.build(period):
            items.append({"key": item["key"], "heading": numbered[item["key"]], **item})
    return {
        "as_of": agenda.day(as_of),
        "after": agenda.day(after),
        "until": agenda.day(until),
        "period": f"{after:%Y-%m-%d}（不含）至 {until:%Y-%m-%d}",
        "previous": f"{previous.title}（{previous.held_on:%Y-%m-%d}）" if previous else "",
        "items": items,
    }
