"""The calendar of the monthly summary (R-SUM-1, 001 二: 每月3日前将上月排污许可执法监管工作情况汇总报送):
which period a summary covers, when it is prepared, by when it is sent, and which sending dates make
sense. Pure functions: dates and callables in, values out; no database (tests/reports/test_summary.py
runs them by the dozen).

A period is a calendar month (``month`` 1–12) or a whole calendar year (``month`` 0, the year-end
summary), as R-CAL-1 counts periods.
"""

from collections.abc import Callable
from datetime import date, timedelta

YEAR = 0
SEND_BY_DAY = 3  # 001 二: 每月3日前
# The text names no deadline for the year-end summary; the product gives it December's (product
# decision): it is due with the summary of December, by 3 January.
RECIPIENT = "市生态环境局"

# The figures of a summary, in the order of the issue (检查数量、发现问题、立案与处罚、整改销号、三监联动任务、
# 信访投诉、执行报告): section key, title, and each figure's key and label. ``reports.summary.figures``
# fills exactly these keys; the page, the PDF and the tests read them from here.
SECTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "inspections",
        "检查数量",
        [("total", "完成检查"), ("on_site", "现场检查"), ("remote", "远程核查")],
    ),
    (
        "findings",
        "发现问题",
        [
            ("total", "发现问题"),
            ("on_the_spot", "立整立改"),
            ("rectification", "限期整改"),
            ("case", "立案查处"),
        ],
    ),
    (
        "cases",
        "立案与处罚",
        [
            ("opened", "立案"),
            ("penalty", "作出行政处罚决定"),
            ("no_penalty", "不予行政处罚"),
            ("transfer", "移送公安机关"),
            ("penalty_amount", "罚款金额（元）"),
        ],
    ),
    (
        "rectification",
        "整改销号",
        [
            ("found", "新增整改问题"),
            ("closed", "销号"),
            ("open_at_end", "期末未销号"),
            ("overdue_at_end", "其中逾期"),
        ],
    ),
    (
        "linkage",
        "三监联动任务",
        [
            ("started", "发起"),
            ("closed", "销号"),
            ("open_at_end", "期末办理中"),
            ("overdue_at_end", "其中逾期"),
        ],
    ),
    (
        "complaints",
        "信访投诉",
        [("received", "受理"), ("answered", "答复"), ("closed", "办结"), ("open_at_end", "期末未办结")],
    ),
    (
        "reports",
        "执行报告",
        [
            # Not a sum: the period's due and received reports, and every report due by the period's
            # end (earlier periods' included) still not received then.
            ("due", "本期到期应提交"),
            ("received", "本期收到"),
            ("late", "其中逾期提交"),
            ("missing_at_end", "截至期末累计未提交（含以前各期）"),
            ("reviews_completed", "完成审核"),
            ("notices_issued", "发出问题反馈意见单"),
        ],
    ),
]


def period_label(year: int, month: int) -> str:
    """``2026年11月``, or ``2026年度`` for a year-end summary."""
    return f"{year}年度" if month == YEAR else f"{year}年{month}月"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of the period: the calendar month, or the calendar year for ``month`` 0.
    Raises ValueError for a month outside 0–12."""
    if not 0 <= month <= 12:
        raise ValueError(f"月份应为 0（全年）至 12，收到 {month}。")
    if month == YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(day: date) -> tuple[int, int]:
    """(year, month) of the month before the one ``day`` is in: what a summary made on ``day`` covers."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def following_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of the month after the period ends (January of the next year for a year)."""
    if month in (YEAR, 12):
        return year + 1, 1
    return year, month + 1


def first_workday_of_month(year: int, month: int, is_workday: Callable[[date], bool]) -> date:
    """The first working day of the month by ``is_workday`` (R-CAL-1: an adjusted working weekend
    counts). ``bureau.calendar.WorkCalendar.is_workday`` answers for every year, on weekends alone for
    one not yet published, so this never refuses; ``reports.summary.preparation_day`` says whether
    the answer is provisional."""
    day = date(year, month, 1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def send_by(year: int, month: int) -> date:
    """The day the summary of the period must be sent by: the 3rd of the following month (001 二,
    "每月3日前"), the year-end summary by 3 January with December's.

    The text fixes a calendar day, not a number of working days, so a holiday does not move it: when
    the 3rd falls in a holiday (元旦 on 1–3 January some years, 国庆节 every October) the summary is
    still due on the 3rd, and the job, which prepares it on the first working day, may then prepare
    it after that day. The list then shows the summary as late, and 审批科 sends it on the first
    working day, or by hand before the holiday from a summary prepared by hand (any day after the
    month ended)."""
    next_year, next_month = following_month(year, month)
    return date(next_year, next_month, SEND_BY_DAY)


def is_late(year: int, month: int, *, sent_on: date | None, today: date) -> bool:
    """Whether the summary was sent, or is still unsent, after ``send_by``."""
    return (sent_on or today) > send_by(year, month)


def is_closed_period(year: int, month: int, today: date) -> bool:
    """Whether the period has ended before ``today``: only then may its summary be prepared or sent."""
    return month_bounds(year, month)[1] < today


def sent_on_problem(year: int, month: int, *, sent_on: date, today: date) -> str | None:
    """Why ``sent_on`` cannot be the sending date of the period's summary, in Chinese, or None: it may
    be neither on or before the period's last day (the month was not over) nor after ``today``."""
    last = month_bounds(year, month)[1]
    if sent_on <= last:
        return (
            f"报送日期不能早于统计期结束：{period_label(year, month)}截至 {last:%Y-%m-%d}，报送日期应在其后。"
        )
    if sent_on > today:
        return f"报送日期不能晚于今天（{today:%Y-%m-%d}）：请在实际报送后登记。"
    return None


def period_problem(year: int, month: int, *, today: date) -> str | None:
    """Why the period cannot be summarised on ``today``, in Chinese, or None."""
    if not 0 <= month <= 12:
        return "月份应为 1 至 12，或选择“全年”。"
    if year < 2000:
        return "年度不正确。"
    if not is_closed_period(year, month, today):
        return f"{period_label(year, month)}尚未结束，结束后才能生成小结。"
    return None


def recent_months(today: date, count: int) -> list[tuple[int, int]]:
    """The ``count`` months before ``today``'s, most recent first: the rows of the summary list."""
    months, year_month = [], previous_month(today)
    for _ in range(count):
        months.append(year_month)
        year, month = year_month
        year_month = previous_month(date(year, month, 1))
    return months


def due_line(year: int, month: int, *, sent_on: date | None, today: date) -> str:
    """What the list says about the deadline: due by, sent on time or late, or late and still unsent."""
    by = send_by(year, month)
    if sent_on is not None:
        return f"应于 {by:%Y-%m-%d} 前报送，{sent_on:%Y-%m-%d} 已报送" + ("（逾期）" if sent_on > by else "")
    if today > by:
        return f"应于 {by:%Y-%m-%d} 前报送，已逾期 {(today - by).days} 天"
    return f"应于 {by:%Y-%m-%d} 前报送"
