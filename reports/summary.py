"""The monthly summary of permit enforcement work (R-SUM-1, 001 二: 每月3日前将上月排污许可执法监管工作情况
汇总报送), and the year-end summary, which is the same for a whole year (``month`` 0).

- ``figures``: what the summary counts, read through each app's queries in a fixed number of queries.
- ``prepare``: counts a period and keeps it as the period's draft; preparing again replaces the draft
  (same version, counted again); a sent summary is never changed, a new draft gets the next version.
- ``mark_sent``: 审批科 records the day it sent the summary and to whom.

Only 审批科 prepares and sends (R-ORG-1; 003 第三条: 审批科 统筹协调、调度); every bureau section reads;
towns do not. A prepared, unsent summary is on 审批科's to-do list until it is sent.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from bureau import calendar, history, todo
from bureau.access import Viewer
from bureau.documents.pdf import render_pdf
from bureau.errors import Conflict
from bureau.models import Section, SectionCode, User
from complaints import queries as complaint_queries
from inspections import queries as inspection_queries
from inspections.models import Disposition, InspectionState
from linkage import queries as linkage_queries
from permits import queries as permit_queries
from permits.reports import queries as report_queries
from reports import charts, rules
from reports.models import Summary, SummaryState

PREPARERS = frozenset({SectionCode.APPROVAL})
TODO_PREFIX = "summary:"
TITLE = "排污许可执法监管工作情况"
PDF_TEMPLATE = "documents/monthly_summary.html"
NUMERALS = "一二三四五六七八九十"
NOT_PREPARER = "只有行政审批服务科可以生成和报送工作小结。"


def may_prepare(user) -> bool:
    """Whether ``user`` may prepare and send summaries: 审批科, and the administrator."""
    return Viewer.of(user).in_sections(PREPARERS)


def figures(year: int, month: int) -> dict:
    """The figures of the period (R-SUM-1): 检查数量、发现问题、立案与处罚、整改销号、三监联动任务、信访投诉、
    执行报告, keyed as ``rules.SECTIONS`` names them, over the whole district, for the period's days
    (``rules.month_bounds``). Nine queries however many records there are (counted in the database)."""
    start, end = rules.month_bounds(year, month)
    found = inspection_queries.period_counts(start, end)
    found["rectification"] = permit_queries.rectification_period_counts(start, end)
    found["linkage"] = linkage_queries.period_counts(start, end)
    found["complaints"] = complaint_queries.period_counts(start, end)
    found["reports"] = report_queries.period_counts(start, end)
    return {key: {name: found[key][name] for name, _ in items} for key, _, items in rules.SECTIONS}


def _title(year: int, month: int) -> str:
    return f"{rules.period_label(year, month)}{TITLE}{'年终小结' if month == rules.YEAR else '小结'}"


def _todo_key(summary: Summary) -> str:
    return f"{TODO_PREFIX}{summary.year}-{summary.month:02d}"


@transaction.atomic
def prepare(*, year: int, month: int, by: User | None, today: date | None = None) -> Summary:
    """Count the period and keep it as its draft (R-SUM-1). ``by`` None is the monthly job.

    Preparing a period that has a draft counts again into that draft (same version, remarks kept);
    a sent summary is kept as sent and the new draft gets the next version. A period that has not
    ended cannot be prepared. Puts "send the summary" on 审批科's to-do list, due by ``rules.send_by``.
    """
    today = today or timezone.localdate()
    if by is not None and not may_prepare(by):
        raise PermissionDenied(NOT_PREPARER)
    problem = rules.period_problem(year, month, today=today)
    if problem:
        raise ValidationError(problem)
    period = list(Summary.objects.select_for_update().filter(year=year, month=month).order_by("version"))
    draft = next((s for s in period if s.state == SummaryState.DRAFT), None)
    counted = figures(year, month)
    if draft is not None:
        draft.figures, draft.prepared_at, draft.prepared_by = counted, timezone.now(), by
        history.save(draft, by=by, reason="重新生成：按当前数据重新统计，替换草稿")
        summary = draft
    else:
        version = max((s.version for s in period), default=0) + 1
        summary = Summary(year=year, month=month, version=version, figures=counted, prepared_by=by)
        reason = "生成工作小结" if version == 1 else f"已报送的第{version - 1}版保留，生成第{version}版"
        try:
            with transaction.atomic():
                history.save(summary, by=by, reason=reason)
        except IntegrityError:
            raise Conflict("该期工作小结刚刚已由他人生成，请刷新后查看。") from None
    todo.add_todo(
        key=_todo_key(summary),
        title=f"报送{_title(year, month)}",
        url=reverse("reports:summary-detail", args=[summary.pk]),
        due_on=rules.send_by(year, month),
        section=Section.objects.get(code=SectionCode.APPROVAL),
    )
    return summary


@transaction.atomic
def mark_sent(
    *, summary: Summary, sent_on: date, sent_to: str, by: User, today: date | None = None
) -> Summary:
    """Record that 审批科 sent the draft ``summary`` on ``sent_on`` to ``sent_to`` (R-SUM-1). The date
    may be neither within the period (it was not over) nor in the future. A sent summary is kept as it
    is; sending it again is refused. Takes the summary off 审批科's to-do list."""
    today = today or timezone.localdate()
    if not may_prepare(by):
        raise PermissionDenied(NOT_PREPARER)
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.state == SummaryState.SENT:
        raise Conflict(f"该小结已于 {summary.sent_on:%Y-%m-%d} 报送{summary.sent_to}，不能重复登记。")
    errors = {}
    problem = rules.sent_on_problem(summary.year, summary.month, sent_on=sent_on, today=today)
    if problem:
        errors["sent_on"] = problem
    sent_to = (sent_to or "").strip()
    if not sent_to:
        errors["sent_to"] = "请填写报送单位。"
    elif len(sent_to) > Summary._meta.get_field("sent_to").max_length:
        errors["sent_to"] = "报送单位不能超过 100 个字。"
    if errors:
        raise ValidationError(errors)
    summary.state, summary.sent_on, summary.sent_to = SummaryState.SENT, sent_on, sent_to
    summary.sent_by, summary.sent_at = by, timezone.now()
    late = "（逾期）" if sent_on > rules.send_by(summary.year, summary.month) else ""
    history.save(summary, by=by, reason=f"登记报送：{sent_on:%Y-%m-%d} 报送{sent_to}{late}")
    todo.complete_todo(key=_todo_key(summary), by=by)
    return summary


@transaction.atomic
def save_remarks(*, summary: Summary, remarks: str, by: User) -> Summary:
    """Keep 审批科's remarks (审批科补充说明) on the draft ``summary``; the page and the PDF show them
    under the figures. A sent summary is kept as sent: its remarks are not changed."""
    if not may_prepare(by):
        raise PermissionDenied(NOT_PREPARER)
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.state == SummaryState.SENT:
        raise Conflict("该小结已报送，补充说明不能再修改；如需更正，请重新生成新一版。")
    summary.remarks = (remarks or "").strip()
    history.save(summary, by=by, reason="修改审批科补充说明")
    return summary


def preparation_day(year: int, month: int) -> calendar.WorkdayDate:
    """The first working day of the month (R-CAL-1), when the job prepares last month's summary, and
    whether it is provisional (the year's calendar not yet confirmed: weekends alone, never refused)."""
    work_calendar = calendar.WorkCalendar()
    day = rules.first_workday_of_month(year, month, work_calendar.is_workday)
    return calendar.WorkdayDate(day, not work_calendar.is_confirmed(year))


def prepare_last_month(*, today: date) -> Summary | None:
    """The monthly job (R-SUM-1): from the first working day of the month, prepare last month's summary
    once. Nothing happens before that day, nor once the month has a summary (prepared by the job or by
    hand, draft or sent); a day the job missed is caught up the next time it runs in the month."""
    if today < preparation_day(today.year, today.month).on:
        return None
    year, month = rules.previous_month(today)
    if Summary.objects.filter(year=year, month=month).exists():
        return None
    return prepare(year=year, month=month, by=None, today=today)


# Reading -------------------------------------------------------------------------------------------


def get_summary(pk: int) -> Summary:
    """The summary ``pk`` with who prepared and sent it, or 404. Every bureau section may read every
    summary (the views let no town in), so there is nothing more to check."""
    try:
        return Summary.objects.select_related("prepared_by", "sent_by").get(pk=pk)
    except Summary.DoesNotExist:
        raise Http404("没有这份工作小结。") from None


def period_versions(summary: Summary) -> list[Summary]:
    """Every version of ``summary``'s period, newest first. One query."""
    return list(
        Summary.objects.filter(year=summary.year, month=summary.month)
        .only("pk", "version", "state", "sent_on", "sent_to", "prepared_at")
        .order_by("-version")
    )


@dataclass
class PeriodRow:
    """One line of the list: a period, its newest summary (None when not yet prepared), how many
    versions it has, and what the deadline says."""

    year: int
    month: int
    latest: Summary | None
    versions: int
    due_line: str
    is_late: bool

    @property
    def label(self) -> str:
        return rules.period_label(self.year, self.month)


def period_rows(today: date, *, months: int) -> list[PeriodRow]:
    """The ``months`` months before ``today``'s and every period that has a summary (year-end ones
    first in their year), newest first. One query however many summaries there are."""
    by_period: dict[tuple[int, int], list[Summary]] = {}
    for found in Summary.objects.select_related("prepared_by", "sent_by").order_by("-version"):
        by_period.setdefault((found.year, found.month), []).append(found)
    periods = set(rules.recent_months(today, months)) | set(by_period)
    current = rules.previous_month(today)
    rows = []
    for year, month in sorted(periods, key=lambda p: (p[0], p[1] or 13), reverse=True):
        found = by_period.get((year, month), [])
        latest = found[0] if found else None
        sent_on = latest.sent_on if latest else None
        due_line = rules.due_line(year, month, sent_on=sent_on, today=today)
        is_late = rules.is_late(year, month, sent_on=sent_on, today=today)
        if latest is None and (year, month) != current:
            # An earlier month never prepared here (before the system was used, or sent on paper):
            # the list does not count it late every day.
            due_line, is_late = (
                f"应于 {rules.send_by(year, month):%Y-%m-%d} 前报送；系统中没有该期小结",
                False,
            )
        rows.append(PeriodRow(year, month, latest, len(found), due_line, is_late))
    return rows


def figure_links(summary: Summary) -> dict[tuple[str, str], str]:
    """The lists behind the figures whose list filters exactly what the figure counts (signed
    inspections, findings by disposition, in the period's days), for the page; they show today's
    records, so a sent summary's figure and its list may differ when records were entered late."""
    start, end = rules.month_bounds(summary.year, summary.month)
    dates = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    inspections = reverse("inspections:inspection-list")
    findings = reverse("inspections:finding-list")
    links = {
        # tab=all: 执法大队's list opens on 今日检查 otherwise, which ignores these filters.
        ("inspections", "total"): (
            f"{inspections}?{urlencode({'tab': 'all', 'state': InspectionState.SIGNED, **dates})}"
        ),
        ("findings", "total"): f"{findings}?{urlencode(dates)}",
    }
    for disposition in (Disposition.ON_THE_SPOT, Disposition.RECTIFICATION, Disposition.CASE):
        links[("findings", disposition.value)] = (
            f"{findings}?{urlencode({'disposition': disposition, **dates})}"
        )
    return links


def sections(summary: Summary, links: dict[tuple[str, str], str] | None = None) -> list[dict]:
    """The summary's figures as the page and the PDF show them: per section its number, title and rows
    of (label, value, link to the list behind it or ""), in the order of ``rules.SECTIONS``. A figure
    a summary prepared before it existed shows as "—"."""
    links = links or {}
    return [
        {
            "key": key,
            "number": NUMERALS[index],
            "title": title,
            "rows": [
                (label, summary.figures.get(key, {}).get(name, "—"), links.get((key, name), ""))
                for name, label in items
            ],
        }
        for index, (key, title, items) in enumerate(rules.SECTIONS)
    ]


def _value(summary: Summary, key: str, name: str) -> int:
    value = summary.figures.get(key, {}).get(name, 0)
    return value if isinstance(value, int) else 0


def summary_charts(summary: Summary) -> list:
    """The charts of the page and the PDF, the same SVG in both (``reports.charts``): the period's
    work, and what was still open at its end."""
    work = [
        ("完成检查", "inspections", "total"),
        ("发现问题", "findings", "total"),
        ("立案", "cases", "opened"),
        ("整改销号", "rectification", "closed"),
        ("联动任务发起", "linkage", "started"),
        ("信访投诉受理", "complaints", "received"),
        ("执行报告提交", "reports", "received"),
    ]
    open_at_end = [("整改问题", "rectification"), ("三监联动任务", "linkage")]
    return [
        charts.bar_svg(
            f"{summary.period_label}工作量",
            [label for label, _, _ in work],
            {"数量": [_value(summary, key, name) for _, key, name in work]},
        ),
        charts.stacked_bar_svg(
            "期末未办结",
            [label for label, _ in open_at_end],
            {
                "未逾期": [
                    _value(summary, key, "open_at_end") - _value(summary, key, "overdue_at_end")
                    for _, key in open_at_end
                ],
                "已逾期": [_value(summary, key, "overdue_at_end") for _, key in open_at_end],
            },
            height=260,
        ),
    ]


def title(summary: Summary) -> str:
    return _title(summary.year, summary.month)


def document_number(summary: Summary) -> str:
    """The summary's document number: GZXJ (工作小结), the year, the month (ND for a year-end summary)
    and the version: ``GZXJ-2026-11-1``. Stable: preparing the draft again keeps it."""
    period = "ND" if summary.is_year else f"{summary.month:02d}"
    return f"GZXJ-{summary.year}-{period}-{summary.version}"


def pdf(summary: Summary) -> bytes:
    """The summary as a PDF (R-SUM-1): period, bureau, document number, the same charts as the page,
    the figures, 审批科's remarks and, once sent, when and to whom."""
    start, end = rules.month_bounds(summary.year, summary.month)
    return render_pdf(
        PDF_TEMPLATE,
        {
            "title": title(summary),
            "summary": summary,
            "bureau_name": settings.BUREAU_NAME,
            "document_number": document_number(summary),
            "start": start,
            "end": end,
            "send_by": rules.send_by(summary.year, summary.month),
            "sections": sections(summary),
            "charts": summary_charts(summary),
        },
    )


def pdf_filenames(summary: Summary) -> tuple[str, str]:
    """The Chinese file name and its ASCII fallback."""
    suffix = "" if summary.state == SummaryState.SENT else "（待报送）"
    period = f"{summary.year}" if summary.is_year else f"{summary.year}-{summary.month:02d}"
    return f"{title(summary)}_第{summary.version}版{suffix}.pdf", f"summary-{period}-v{summary.version}.pdf"
