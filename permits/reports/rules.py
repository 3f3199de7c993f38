"""Pure rules of execution reports (执行报告): what a permit owes and when, the review's check points by
section, how a problem is classed and when it goes to 执法大队, the reported emissions against the
permit's limits, and the reproducible sample. No Django, no database.

Sources: R-REP-1…4 (DESIGN.md); 003 第五条 (review by section, the feedback notice, escalation) and
第十三条 (reports as the permit says); 001 三 (审批部门核查及时性、完整性); 002 十四.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIOD_TYPES = (MONTH, QUARTER, YEAR)
PERIOD_TYPE_NAMES = {MONTH: "月度", QUARTER: "季度", YEAR: "年度"}

# What the permit's 执行报告频次 means (003 第十三条: "按照排污许可证规定的内容、频次和时间要求"): every
# permit owes the annual report; a monthly or quarterly permit owes those as well.
OWED_BY_FREQUENCY = {"annual": (YEAR,), "quarterly": (QUARTER, YEAR), "monthly": (MONTH, YEAR)}

# R-REP-1 defaults: a month's or a quarter's report is due 15 days after the period; the year's by
# 31 January. The bureau changes them in its report settings; the city's announced dates for a
# period override both.
DEFAULT_DAYS_AFTER_PERIOD = 15
DEFAULT_ANNUAL_DUE = (1, 31)
DEFAULT_GRACE_DAYS = 30
DEFAULT_FEEDBACK_WORKDAYS = 10


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: a calendar month, quarter or year (R-CAL-1: periods are calendar periods)."""

    type: str
    year: int
    number: int = 1  # month 1–12, quarter 1–4, 1 for a year

    def __post_init__(self):
        if self.type not in PERIOD_TYPES:
            raise ValueError(f"未知的报告周期类型：{self.type}")
        top = {MONTH: 12, QUARTER: 4, YEAR: 1}[self.type]
        if not 1 <= self.number <= top:
            raise ValueError(f"报告周期序号超出范围：{self.type} {self.number}")

    @property
    def start(self) -> date:
        if self.type == MONTH:
            return date(self.year, self.number, 1)
        if self.type == QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        if self.type == YEAR:
            return date(self.year, 12, 31)
        last_month = self.number if self.type == MONTH else 3 * self.number
        following = date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def code(self) -> str:
        """The period as the API and the import write it: 2026-03, 2026-Q1, 2026."""
        if self.type == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.type == QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.type == MONTH:
            return f"{self.year}年{self.number}月"
        if self.type == QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年度"

    def __str__(self):
        return self.label

    @classmethod
    def starting(cls, type: str, start: date) -> "Period":
        if type == MONTH:
            return cls(MONTH, start.year, start.month)
        if type == QUARTER:
            return cls(QUARTER, start.year, (start.month - 1) // 3 + 1)
        return cls(YEAR, start.year)

    @classmethod
    def containing(cls, type: str, day: date) -> "Period":
        return cls.starting(type, day)

    def following(self) -> "Period":
        return Period.starting(self.type, self.end + timedelta(days=1))


def parse_period(text: str, type: str | None = None) -> Period:
    """A period from what people and the platform write: 2026-03, 2026年3月, 2026-Q1, 2026年第1季度,
    2026一季度, 2026, 2026年度. ``type`` (when the column or form names it) must agree. Raises
    ``ValueError`` with a Chinese message."""
    raw = str(text or "").strip().replace(" ", "")
    cleaned = raw.replace("年度", "").replace("年", "-").replace("月", "").replace("第", "")
    cleaned = cleaned.replace("季度", "Q").replace("/", "-").replace(".", "-").upper().rstrip("-")
    quarters = {"一": "1", "二": "2", "三": "3", "四": "4"}
    for word, digit in quarters.items():
        cleaned = cleaned.replace(f"{word}Q", f"Q{digit}")
    found: Period | None = None
    try:
        if cleaned.isdigit() and len(cleaned) == 4:
            found = Period(YEAR, int(cleaned))
        elif "-Q" in cleaned or cleaned.endswith("Q"):
            year, _, rest = cleaned.partition("-")
            number = rest.replace("Q", "")
            found = Period(QUARTER, int(year), int(number))
        elif "Q" in cleaned:
            year, _, number = cleaned.partition("Q")
            found = Period(QUARTER, int(year), int(number))
        elif "-" in cleaned:
            year, _, month = cleaned.partition("-")
            found = Period(MONTH, int(year), int(month))
    except ValueError:
        found = None
    if found is None or not 2000 <= found.year <= 2100:
        raise ValueError(f"无法识别的报告期「{raw}」：月度写作 2026-03，季度写作 2026-Q1，年度写作 2026。")
    if type is not None and found.type != type:
        raise ValueError(
            f"报告期「{raw}」是{PERIOD_TYPE_NAMES[found.type]}，与报告类型（{PERIOD_TYPE_NAMES[type]}）不符。"
        )
    return found


@dataclass(frozen=True)
class DuePolicy:
    """The bureau's report settings (R-REP-1): days after a month or quarter, the year's due day, the
    grace before a missing report becomes a lead, and the city's dates announced for single periods
    (``announced``: period code → due date)."""

    days_after_period: int = DEFAULT_DAYS_AFTER_PERIOD
    annual_due: tuple[int, int] = DEFAULT_ANNUAL_DUE
    grace_days: int = DEFAULT_GRACE_DAYS
    announced: tuple[tuple[str, date], ...] = ()


def nominal_due_on(period: Period, policy: DuePolicy = DuePolicy()) -> date:
    """R-REP-1: the due date as set, before rest days: the city's announced date for this period if
    there is one; else 15 days (the setting) after a month or a quarter, and 31 January (the setting)
    of the following year for a year."""
    for code, due in policy.announced:
        if code == period.code:
            return due
    if period.type == YEAR:
        month, day = policy.annual_due
        return date(period.year + 1, month, day)
    return period.end + timedelta(days=policy.days_after_period)


def owed_types(report_frequency: str) -> tuple[str, ...]:
    """R-REP-1: the kinds of report a permit of this frequency owes (always the annual one)."""
    try:
        return OWED_BY_FREQUENCY[report_frequency]
    except KeyError:
        raise ValueError(f"未知的执行报告频次：{report_frequency}") from None


def owes(period: Period, *, report_frequency: str, valid_from: date, covered_until: date | None) -> bool:
    """R-REP-1: whether a permit owes the report of ``period``: its frequency calls for that kind, and
    the permit covered at least one day of the period (from ``valid_from`` to ``covered_until``, the
    end of its validity or the day it was cancelled, withdrawn or revoked; None while open-ended).
    Seed 003 第十三条 gives no shorter-than-a-period exemption, so a permit issued on the last day of
    a quarter owes that quarter's report."""
    if period.type not in owed_types(report_frequency):
        return False
    if valid_from > period.end:
        return False
    return covered_until is None or covered_until >= period.start


def owed_periods(
    *, report_frequency: str, valid_from: date, covered_until: date | None, ended_by: date
) -> list[Period]:
    """R-REP-1: every report a permit owes for periods that have ended by ``ended_by``, in order of the
    period's end (a month, then the quarter or year that ends with it)."""
    found = []
    for type in owed_types(report_frequency):
        period = Period.containing(type, valid_from)
        while period.end <= ended_by:
            if owes(
                period, report_frequency=report_frequency, valid_from=valid_from, covered_until=covered_until
            ):
                found.append(period)
            if covered_until is not None and period.end >= covered_until:
                break
            period = period.following()
    return sorted(found, key=lambda p: (p.end, PERIOD_TYPES.index(p.type)))


# Receipt, as the period board shows it (R-REP-1).
NOT_DUE = "not_due"
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
RECEIPT_NAMES = {NOT_DUE: "未到期", ON_TIME: "按时提交", LATE: "逾期提交", MISSING: "逾期未报"}


def receipt_state(*, due_on: date, received_on: date | None, today: date) -> str:
    """R-REP-1: on time when received on or before the due date, late when after it, missing when the
    due date has passed with nothing received, not yet due otherwise."""
    if received_on is not None:
        return ON_TIME if received_on <= due_on else LATE
    return MISSING if today > due_on else NOT_DUE


def lead_due_on(due_on: date, grace_days: int) -> date:
    """R-REP-1: a report still missing after the grace period (counted from the due date, in calendar
    days as the bureau sets it) becomes a lead for 执法大队 on this day (002 十四: 未按规定提交排污许可证
    执行报告 is a violation; a first, minor one corrected in time may go unpunished, which is for
    执法大队 to weigh, not for the system)."""
    return due_on + timedelta(days=grace_days + 1)


def lead_cutoff(today: date, grace_days: int) -> date:
    """The latest due date whose report, still missing, is a lead by ``today``: the inverse of
    ``lead_due_on`` (R-REP-1)."""
    return today - timedelta(days=grace_days + 1)


# R-REP-2 (003 第五条): each section's part of the review, with exactly the check points the text gives it.
APPROVAL = "approval"
ECOLOGY = "ecology"
POLLUTION = "pollution"
REVIEW_SECTIONS = (APPROVAL, ECOLOGY, POLLUTION)


@dataclass(frozen=True)
class CheckPoint:
    code: str
    name: str


CHECK_POINTS: dict[str, tuple[CheckPoint, ...]] = {
    APPROVAL: (
        CheckPoint("basic_information", "企业基本信息"),
        CheckPoint("disclosure", "信息公开情况"),
        CheckPoint("attachments", "附件"),
        CheckPoint("internal_management", "企业内部管理体系建设与运行情况"),
        CheckPoint("other", "其他需要说明的情况"),
    ),
    ECOLOGY: (
        CheckPoint("self_monitoring", "自行监测情况"),
        CheckPoint("actual_emissions", "实际排放情况及达标判定分析"),
        CheckPoint("disclosure", "信息公开情况"),
        CheckPoint("attachments", "附件"),
        CheckPoint("internal_management", "企业内部管理体系建设与运行情况"),
        CheckPoint("other", "其他需要说明的情况"),
    ),
    POLLUTION: (
        CheckPoint("control_facilities", "污染防治设施运行情况"),
        CheckPoint("ledger", "台账管理信息"),
        CheckPoint("actual_emissions", "实际排放情况及达标判定分析"),
        CheckPoint("attachments", "附件"),
        CheckPoint("internal_management", "企业内部管理体系建设与运行情况"),
        CheckPoint("other_permit_content", "其他排污许可证规定的内容执行情况（应急预案、清洁生产等）"),
        CheckPoint("other", "其他需要说明的情况"),
    ),
}
EMISSIONS_POINT = "actual_emissions"
# Who gets a proposed exceedance (R-REP-2): the two sections whose parts check actual emissions.
EMISSIONS_SECTIONS = tuple(
    s for s, points in CHECK_POINTS.items() if any(p.code == EMISSIONS_POINT for p in points)
)


def check_point(section: str, code: str) -> CheckPoint:
    for point in CHECK_POINTS.get(section, ()):
        if point.code == code:
            return point
    raise ValueError(f"该科室的执行报告审核没有这一检查要点：{code}")


# Point results.
FINE = "fine"
PROBLEM = "problem"
NOT_APPLICABLE = "not_applicable"
RESULT_NAMES = {FINE: "无问题", PROBLEM: "存在问题", NOT_APPLICABLE: "不涉及"}


def part_gaps(section: str, results: dict[str, str], problems_by_point: dict[str, int]) -> list[str]:
    """R-REP-2: what keeps a section's part from being signed off, in words: a check point without a
    result, or marked 存在问题 with no problem written down. Empty when the part is complete."""
    gaps = []
    for point in CHECK_POINTS[section]:
        result = results.get(point.code)
        if result not in RESULT_NAMES:
            gaps.append(f"「{point.name}」尚未填写检查结果")
        elif result == PROBLEM and not problems_by_point.get(point.code):
            gaps.append(f"「{point.name}」标为存在问题，但未写明问题")
    return gaps


# R-REP-4 (003 第五条): procedural problems are corrected at once; substantive ones go to 执法大队 at once.
PROCEDURAL = "procedural"
SUBSTANTIVE = "substantive"
PROBLEM_CLASS_NAMES = {PROCEDURAL: "程序性问题（漏填、错填等）", SUBSTANTIVE: "实质性问题（未按证排污等）"}


def is_escalated_on(problem_class: str, *, is_open: bool, notice_due_on: date | None, today: date) -> bool:
    """R-REP-4: whether a problem goes to 执法大队 now: a substantive one as soon as the notice tells
    the facility of it; a procedural one when still open after the notice's time limit."""
    if notice_due_on is None:
        return False
    if problem_class == SUBSTANTIVE:
        return True
    return is_open and today > notice_due_on


@dataclass(frozen=True)
class Exceedance:
    outlet: str
    pollutant: str
    measure: str  # 浓度 or 排放量
    reported: Decimal
    limit: Decimal
    unit: str

    @property
    def text(self) -> str:
        return (
            f"{self.outlet} {self.pollutant} 实际{self.measure} {self.reported} {self.unit}，"
            f"超过许可{self.measure} {self.limit} {self.unit}"
        )


def exceedances(
    *,
    outlet: str,
    pollutant: str,
    concentration: Decimal | None,
    quantity: Decimal | None,
    limit_concentration: Decimal | None,
    limit_unit: str,
    limit_annual_quantity: Decimal | None,
    period_type: str,
) -> list[Exceedance]:
    """R-REP-2: a reported emission against the permit's limit for that outlet and pollutant: the
    concentration against the permitted concentration, in every report; the quantity against the annual
    permitted quantity, in the annual report only (a month's or a quarter's tonnes are not comparable
    with a year's)."""
    found = []
    if concentration is not None and limit_concentration is not None and concentration > limit_concentration:
        found.append(Exceedance(outlet, pollutant, "浓度", concentration, limit_concentration, limit_unit))
    if (
        period_type == YEAR
        and quantity is not None
        and limit_annual_quantity is not None
        and quantity > limit_annual_quantity
    ):
        found.append(Exceedance(outlet, pollutant, "排放量", quantity, limit_annual_quantity, "吨"))
    return found


def sample_size(population: int, share: Decimal) -> int:
    """R-REP-2: how many of ``population`` reports a share (percent, e.g. 10) draws: rounded up, so a
    share above nothing always draws at least one report when there is one."""
    if not Decimal(0) < share <= Decimal(100):
        raise ValueError("抽查比例须大于 0 且不超过 100%。")
    return min(population, math.ceil(population * share / Decimal(100)))


def draw_sample(ids: list[int], share: Decimal, seed: int) -> list[int]:
    """R-REP-2: a reproducible random sample: the same ids, share and seed always give the same reports,
    whatever order the ids came in (they are sorted first), so anyone can redraw it from the seed kept."""
    population = sorted(set(ids))
    chosen = random.Random(seed).sample(population, sample_size(len(population), share))
    return sorted(chosen)
