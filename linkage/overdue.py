"""How late a 三监联动 task is, in working days (R-LNK-6, R-LNK-7, R-CAL-1; 003 第十八条 deadlines count
working days): the one figure the task list and page, the dispatch meeting's agenda and its pack show,
so a task overdue across a weekend or a holiday reads the same everywhere.
"""

from datetime import date

from bureau.calendar import WorkCalendar
from linkage import rules


def overdue_workdays(deadline_on: date, as_of: date, state: str, calendar: WorkCalendar) -> int:
    """Working days a task is past its deadline on ``as_of``: those after ``deadline_on`` up to and
    including ``as_of`` by the bureau's calendar, 0 for a task that is not overdue (closed, or the
    deadline not passed). A year not yet confirmed counts weekends alone (R-CAL-1)."""
    if not rules.is_overdue(deadline_on, as_of, state):
        return 0
    return calendar.count_workdays(deadline_on, as_of)


def overdue_text(days: int | None) -> str:
    """「已逾期 3 个工作日」; 「已逾期」 when the days after the deadline are all rest days."""
    return f"已逾期 {days} 个工作日" if days else "已逾期"
