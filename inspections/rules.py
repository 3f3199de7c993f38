"""The rules of checklist inspections, pure (no Django, no database): who may inspect (R-INS-6), what
an answer and a signature need (R-INS-1, R-INS-8), which checklist applies (R-INS-1, R-INS-2), what a
case's decision needs (R-INS-10), who sees interference records (R-INS-11), and the record's hash."""

import functools
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from bureau import sections
from bureau.rules import add_months

INSPECTING_SECTION = sections.ENFORCEMENT
# Who reads inspections, findings and cases (by section; towns read their own facilities' inspections).
CASE_SECTIONS = frozenset({sections.ENFORCEMENT, sections.LEGAL, sections.LEADERSHIP})
REVIEW_SECTION = sections.LEGAL
# 插手干预记录 are seen by these two only (R-INS-11, 002 十九, 000 五3).
INTERFERENCE_READERS = frozenset({sections.LEADERSHIP, sections.LEGAL})

MIN_OFFICERS = 2
MAX_DEADLINE_WORKDAYS = 250
MAX_PHOTO_BYTES = 20 * 1024 * 1024

CONDUCT_PERMISSION = "inspections.conduct_inspection"
REVIEW_PERMISSION = "inspections.review_case"

# Reasons and the source each must name (the field of the inspection that holds it).
REASON_SOURCES = {
    "random_draw": "source_reference",
    "new_permit": "permit",
    "routine_plan": "source_reference",
    "complaint": "complaint",
    "linkage_task": "linkage_task",
    "report_lead": "report_lead",
    "campaign": "source_reference",
    "follow_up": "follow_up_of",
}
SOURCE_MISSING = {
    "source_reference": "请填写来源说明（抽查批次、年度计划或专项行动的名称与文号）。",
    "permit": "新发证检查须关联所检查的许可证。",
    "complaint": "因信访投诉检查须关联该投诉。",
    "linkage_task": "因三监联动任务检查须关联该任务。",
    "report_lead": "因执行报告线索检查须关联该线索。",
    "follow_up_of": "整改复查须关联被复查的检查。",
}

NONCOMPLIANT = "noncompliant"
VERDICTS = ("compliant", NONCOMPLIANT, "not_applicable")
DISPOSITIONS = ("on_the_spot", "rectification", "case")
FINDING_KINDS = ("unlicensed", "permit_violation", "self_monitoring", "other_duties")
# Conduct that takes a unit off the positive list at once (R-POS-1; 002 十二).
CONDUCTS = ("secret_discharge", "tampering", "evading")
CONDUCT_ERROR = "恶意偷排等行为应为恶意偷排、篡改台账记录、逃避监管之一，或不填。"


@dataclass(frozen=True)
class OfficerFacts:
    name: str
    section_code: str | None
    certificate_no: str
    is_active: bool = True


def officer_errors(officers: Sequence[OfficerFacts]) -> list[str]:
    """Why these officers may not inspect together (R-INS-6): at least two, each of 执法大队, active,
    with a certificate number; empty when they may."""
    errors = []
    if len(officers) < MIN_OFFICERS:
        errors.append(f"现场检查须有至少 {MIN_OFFICERS} 名执法人员（当前 {len(officers)} 名）。")
    for officer in officers:
        if not officer.is_active:
            errors.append(f"{officer.name}的账号已停用，不能参加检查。")
        elif officer.section_code != INSPECTING_SECTION:
            errors.append(f"{officer.name}不是执法大队的执法人员。")
        elif not officer.certificate_no.strip():
            errors.append(f"{officer.name}没有登记执法证号，不能参加现场检查。")
    return errors


@dataclass(frozen=True)
class AnswerFacts:
    code: str
    verdict: str
    note: str = ""
    finding_kind: str = ""
    disposition: str = ""
    deadline_workdays: int | None = None
    responsible_person: str = ""
    conduct: str = ""


def answer_errors(answer: AnswerFacts) -> dict[str, str]:
    """What an answer lacks, by field: a 不符合 needs a note, and, for signing, its class (R-INS-7) and
    what becomes of it (R-INS-8); a rectification needs its deadline in working days and who answers
    for it. Fields other than these are refused when the verdict is not 不符合."""
    errors = {}
    if answer.verdict and answer.verdict not in VERDICTS:
        errors["verdict"] = "检查结论应为符合、不符合或不适用。"
        return errors
    if answer.verdict != NONCOMPLIANT:
        return errors
    if not answer.note.strip():
        errors["note"] = f"第 {answer.code} 项为“不符合”，须填写情况说明。"
    if answer.finding_kind and answer.finding_kind not in FINDING_KINDS:
        errors["finding_kind"] = (
            "违法类别应为无证排污、违反排污许可证、违反自行监测要求或违反其他环境管理要求之一。"
        )
    if answer.disposition and answer.disposition not in DISPOSITIONS:
        errors["disposition"] = "处理方式应为立整立改、限期整改或立案查处之一。"
    if answer.conduct and answer.conduct not in CONDUCTS:
        errors["conduct"] = CONDUCT_ERROR
    if answer.disposition == "rectification":
        if answer.deadline_workdays is None or not 1 <= answer.deadline_workdays <= MAX_DEADLINE_WORKDAYS:
            errors["deadline_workdays"] = f"限期整改须填写整改时限（1–{MAX_DEADLINE_WORKDAYS} 个工作日）。"
        if not answer.responsible_person.strip():
            errors["responsible_person"] = "限期整改须填写企业整改责任人。"
    return errors


def sign_gaps(answers: Iterable[AnswerFacts], point_codes: Sequence[str]) -> list[str]:
    """What keeps the record from being signed: points without an answer, and each 不符合 without its
    note, class or disposition (R-INS-1, R-INS-7, R-INS-8). In the checklist's order."""
    by_code = {a.code: a for a in answers}
    gaps = []
    unanswered = [code for code in point_codes if not by_code.get(code, AnswerFacts(code, "")).verdict]
    if unanswered:
        gaps.append(f"尚有 {len(unanswered)} 项未填写结论：第 {'、'.join(unanswered)} 项。")
    for code in point_codes:
        answer = by_code.get(code)
        if answer is None or answer.verdict != NONCOMPLIANT:
            continue
        gaps.extend(answer_errors(answer).values())
        if not answer.finding_kind:
            gaps.append(f"第 {code} 项为“不符合”，须选择违法类别。")
        if not answer.disposition:
            gaps.append(f"第 {code} 项为“不符合”，须选择处理方式（立整立改、限期整改或立案查处）。")
    return gaps


@dataclass(frozen=True)
class ChecklistFacts:
    id: int
    applies_to: str
    key_industry_code: str | None = None


def checklist_for(
    checklists: Iterable[ChecklistFacts],
    *,
    management_level: str,
    industry_code: str,
    key_industry_code: str | None,
) -> int | None:
    """The checklist a facility is inspected with (R-INS-1, R-INS-2): its key industry's own, where
    one is published, for a permit holder; else the permit holders' or the registered units'. A
    facility with neither permit nor registration is checked with the registered units' list for the
    level it should have (003 第六条). None when nothing applies."""
    checklists = list(checklists)
    holder = management_level in ("key", "simplified")
    if holder and key_industry_code:
        for checklist in checklists:
            if checklist.applies_to == "key_industry" and checklist.key_industry_code == key_industry_code:
                return checklist.id
    wanted = "permit_holders" if holder else "registered"
    return next((c.id for c in checklists if c.applies_to == wanted), None)


def may_read_interference(section_code: str | None) -> bool:
    """局领导 and 法制科 only (R-INS-11); not even the administrator."""
    return section_code in INTERFERENCE_READERS


@dataclass(frozen=True)
class DecisionFacts:
    decision: str
    decided_on: date | None
    opened_on: date
    decision_no: str = ""
    penalty_amount: object = None
    no_penalty_ground: str = ""
    legal_basis: str = ""
    first_violation: bool = False
    slight_harm: bool = False
    corrected_on: date | None = None
    police_office: str = ""
    revokes_permit: bool = False


NO_PENALTY_GROUNDS = (
    "registration_not_filed",
    "ledger_incomplete",
    "report_not_submitted",
    "info_not_disclosed",
)
# Which classes of finding (004 三) each ground of 002 十四 can be: not filing the registration form is
# discharging without the registration the unit owed (一); an incomplete ledger, a report not submitted
# and information not disclosed are "其他环境管理要求" (四: 台账记录、执行报告、信息公开).
NO_PENALTY_KINDS = {
    "registration_not_filed": frozenset({"unlicensed", "other_duties"}),
    "ledger_incomplete": frozenset({"other_duties"}),
    "report_not_submitted": frozenset({"other_duties"}),
    "info_not_disclosed": frozenset({"other_duties"}),
}
NO_PENALTY_FOR_KINDS = (
    "不予处罚只适用于指导意见（十四）所列的轻微违法（违反其他环境管理要求，或未依法填报排污许可登记表），"
    "本案所依据的问题含{kinds}，不能不予处罚。"
)


def no_penalty_kind_error(ground: str | None, kinds: Iterable[str], labels: dict[str, str]) -> str:
    """Why the findings of classes ``kinds`` cannot go unpunished under 002 十四 (on ``ground``, or on
    any of its grounds when None); "" when they can."""
    allowed = NO_PENALTY_KINDS.get(ground) if ground else frozenset().union(*NO_PENALTY_KINDS.values())
    if allowed is None:
        return ""
    wrong = sorted(set(kinds) - allowed)
    if not wrong:
        return ""
    return NO_PENALTY_FOR_KINDS.format(kinds="、".join(labels.get(k, k) for k in wrong))


DEFAULT_NO_PENALTY_BASIS = (
    "《中华人民共和国行政处罚法》第三十三条第一款；生态环境部《关于加强排污许可执法监管的指导意见》"
    "（十四）规范行使行政裁量权"
)


def decision_errors(facts: DecisionFacts, *, today: date) -> dict[str, str]:
    """What a case's decision lacks (R-INS-10; 002 十、十四), by field."""
    errors = {}
    if facts.decided_on is None:
        errors["decided_on"] = "请填写决定日期。"
    elif facts.decided_on > today:
        errors["decided_on"] = "决定日期不能晚于今天。"
    elif facts.decided_on < facts.opened_on:
        errors["decided_on"] = f"决定日期不能早于立案日期（{facts.opened_on:%Y-%m-%d}）。"
    if facts.decision == "penalty":
        if not facts.decision_no.strip():
            errors["decision_no"] = "行政处罚须填写处罚决定书文号。"
        if facts.penalty_amount is None and not facts.revokes_permit:
            errors["penalty_amount"] = "请填写罚款金额，或选择吊销排污许可证。"
        elif facts.penalty_amount is not None and facts.penalty_amount < 0:
            errors["penalty_amount"] = "罚款金额不能为负数。"
    elif facts.decision == "no_penalty":
        if facts.no_penalty_ground not in NO_PENALTY_GROUNDS:
            errors["no_penalty_ground"] = (
                "不予处罚只适用于指导意见（十四）所列情形：未依法填报排污许可登记表、环境管理台账记录数据不全、"
                "未按规定提交排污许可证执行报告、未按规定公开信息。"
            )
        if not (facts.first_violation and facts.slight_harm):
            errors["first_violation"] = "不予处罚须为初次违法且危害后果轻微（指导意见（十四））。"
        if facts.corrected_on is None:
            errors["corrected_on"] = "不予处罚须为及时改正：请填写改正日期。"
        elif facts.decided_on is not None and facts.corrected_on > facts.decided_on:
            errors["corrected_on"] = "改正日期不能晚于决定日期。"
        if not facts.legal_basis.strip():
            errors["legal_basis"] = "请填写不予处罚的法律依据。"
    elif facts.decision == "transfer":
        if not facts.police_office.strip():
            errors["police_office"] = "移送公安机关须填写接收的公安机关。"
    else:
        errors["decision"] = "处理决定应为行政处罚、不予行政处罚或移送公安机关之一。"
    return errors


def record_digest(record: dict) -> str:
    """SHA-256 of the record as canonical JSON (sorted keys, no spaces, UTF-8): anyone holding the
    printed record can recompute it from the same fields."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inspection_number(year: int, sequence: int) -> str:
    """JC-2026-0001: an inspection's number, gap-free in its year."""
    return f"JC-{year}-{sequence:04d}"


def case_number(year: int, sequence: int) -> str:
    """AJ-2026-0001: a case's number, gap-free in its year (four digits, as inspections and tasks)."""
    return f"AJ-{year}-{sequence:04d}"


# ---------------------------------------------------------------------------------------------------
# How often each facility is inspected (R-INS-3, R-INS-4; 003 第六条, 002 十一、十二, 000 四1, 004 五(二))
# ---------------------------------------------------------------------------------------------------

KEY, SIMPLIFIED, REGISTERED = "key", "simplified", "registered"
LEVEL_LABELS = {KEY: "重点管理", SIMPLIFIED: "简化管理", REGISTERED: "登记管理"}
# R-INS-3's minimum visits a year; the key-managed two fall one in each calendar half year.
MINIMUM_VISITS = {KEY: 2, SIMPLIFIED: 1, REGISTERED: 0}
REGISTERED_MIN_SHARE = 20  # percent of registered units inspected each year, rounded up
NEW_PERMIT_MONTHS = 3
# Reasons that are routine (planned or drawn) and count against the yearly cap; the others are
# triggered (a complaint, a lead, a case's follow-up, a campaign) and the cap never blocks them.
ROUTINE_REASONS = frozenset({"routine_plan", "random_draw"})
NEW_PERMIT, PERIODIC, DRAWN = "new_permit", "periodic", "random_draw"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.end and other.start <= self.end

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def month_period(year: int, month: int) -> Period:
    last = add_months(date(year, month, 1), 1) - timedelta(days=1)
    return Period(date(year, month, 1), last)


@dataclass(frozen=True)
class Visit:
    """An inspection already signed (or a remote check, which counts as a check, R-INS-5)."""

    on: date
    reason: str = "routine_plan"
    remote: bool = False  # 远程核查: a check, but no visit on site

    @property
    def is_routine(self) -> bool:
        """Counts against the yearly cap of routine on-site visits."""
        return self.reason in ROUTINE_REASONS and not self.remote


@dataclass(frozen=True)
class FacilityFacts:
    """What the rules need to know of one facility. ``violations`` and ``verified_complaints`` count the
    year before the period (penalties, non-compliant inspection findings; complaints found true)."""

    level: str
    new_permit: tuple[str, date] | None = None  # ("首次申请", issue date) of a first/re-application
    new_permits: tuple[
        tuple[str, date], ...
    ] = ()  # further ones in the same stretch (a 重新申请 after a 首次)
    on_positive_list: bool = False
    violations: int = 0
    verified_complaints: int = 0
    risk_level: str = ""  # permits' RiskLevel values; "major" is high risk
    credit_rating: str = ""  # permits' CreditRating values; "warning" and "dishonest" are poor
    visits: tuple[Visit, ...] = ()


@dataclass(frozen=True)
class FrequencySettings:
    """The differentiation of R-INS-4; the bureau edits them (inspections' PlanSettings)."""

    positive_list: Decimal = Decimal("0.5")
    violations: Decimal = Decimal("2")
    complaints: Decimal = Decimal("1.5")
    high_risk: Decimal = Decimal("1.5")
    poor_credit: Decimal = Decimal("2")
    routine_cap: int = 4  # routine on-site visits per facility per year
    registered_share: int = REGISTERED_MIN_SHARE
    high_risk_levels: frozenset[str] = frozenset({"major"})
    poor_credit_ratings: frozenset[str] = frozenset({"warning", "dishonest"})


@dataclass(frozen=True)
class Owed:
    """One inspection owed: its kind, the window it must fall in, the month it is planned for, why, and
    the date of the inspection that satisfied it (None while it is still owed)."""

    kind: str
    key: str  # stable within the facility: "new:2025-08-31", "2025:1/2"
    window: Period
    planned_month: date  # the first day of the month the plan puts it in
    reason: str
    done_on: date | None = None


@dataclass(frozen=True)
class Frequency:
    """What one facility owes over a period, and every number used to get there (explainable plan)."""

    items: tuple[Owed, ...]
    visits_a_year: int
    figures: tuple[tuple[str, str], ...]
    in_registered_sample: bool  # a registered unit left to the 20% sample (R-INS-3)


def _factors(facts: FacilityFacts, settings: FrequencySettings) -> list[tuple[str, Decimal]]:
    factors = []
    if facts.on_positive_list:
        factors.append(("列入执法正面清单", settings.positive_list))
    if facts.violations:
        factors.append((f"上一年度违法记录 {facts.violations} 起", settings.violations))
    if facts.verified_complaints:
        factors.append((f"上一年度信访投诉属实 {facts.verified_complaints} 件", settings.complaints))
    if facts.risk_level in settings.high_risk_levels:
        factors.append(("环境风险等级高", settings.high_risk))
    if facts.credit_rating in settings.poor_credit_ratings:
        factors.append(("环境信用评价较差", settings.poor_credit))
    return factors


def visits_a_year(
    facts: FacilityFacts, settings: FrequencySettings
) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Routine visits a year (R-INS-4 over R-INS-3), with the figures that explain it (see
    ``_visits_a_year``). Cached by the facts it reads: a city's 100,000 facilities share a few hundred
    combinations of them (issue 15: computing it per facility was a third of the plan's daily check)."""
    return _visits_a_year(replace(facts, new_permit=None, new_permits=(), visits=()), settings)


@functools.lru_cache(maxsize=4096)
def _visits_a_year(
    facts: FacilityFacts, settings: FrequencySettings
) -> tuple[int, tuple[tuple[str, str], ...]]:
    """The level's minimum (重点 2, 简化 1) is multiplied by every factor that applies and rounded up;
    the result is cut to the yearly cap of routine visits and never falls below the minimum. A
    registered unit owes no visit of its own (it is in the 20% sample) unless the factors raise its
    expected visits above the sample's 0.2 a year: then that product, rounded up, is planned for it by
    name (one complaint found true: 0.2 × 1.5 = 0.3 → one visit of its own)."""
    minimum = MINIMUM_VISITS[facts.level]
    base = Decimal(minimum) if minimum else Decimal(settings.registered_share) / 100
    figures = [("管理类别", LEVEL_LABELS[facts.level]), ("基准频次（次/年）", _number(base))]
    product = base
    for label, factor in _factors(facts, settings):
        product *= factor
        figures.append((label, f"×{_number(factor)}"))
    raw = math.ceil(product) if product > base or minimum else 0
    visits = max(minimum, min(raw, max(settings.routine_cap, minimum)))
    figures.append(("计算结果", f"{_number(product)}，向上取整 {raw}" if raw else f"{_number(product)}"))
    figures.append(
        ("R-INS-3 最低频次", f"{minimum} 次/年" if minimum else f"纳入 {settings.registered_share}% 抽查")
    )
    figures.append(("例行检查年度上限", f"{settings.routine_cap} 次"))
    figures.append(("年度应检次数", f"{visits} 次"))
    return visits, tuple(figures)


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@functools.lru_cache(maxsize=1024)
def _windows(year: int, visits: int) -> tuple[Period, ...]:
    """``visits`` windows of whole calendar months covering the year; with two or more, the first lies
    in the first half year and the last in the second, so each half year holds one (R-INS-3). Cached:
    every facility of a year asks for one of a few."""
    visits = min(visits, 12)
    bounds = [12 * i // visits for i in range(visits + 1)]
    return tuple(
        Period(date(year, bounds[i] + 1, 1), add_months(date(year, bounds[i + 1], 1), 1) - timedelta(days=1))
        for i in range(visits)
    )


def _spread(window: Period, spread: int) -> date:
    """The month within ``window`` a facility's visit is planned for: facilities are spread evenly over
    the window's months by ``spread`` (the facility's id), so no month gets them all."""
    months = (window.end.year - window.start.year) * 12 + window.end.month - window.start.month + 1
    return add_months(window.start.replace(day=1), spread % months)


def _first_visit_in(window: Period, visits: Sequence[Visit]) -> date | None:
    """The date of the first of ``visits`` (in date order) that falls in ``window``."""
    return next((visit.on for visit in visits if visit.on in window), None)


def owed_inspections(
    facts: FacilityFacts,
    period: Period,
    settings: FrequencySettings = FrequencySettings(),
    *,
    spread: int = 0,
) -> Frequency:
    """What ``facts``'s facility owes in ``period``: every inspection whose window overlaps it, why, and
    whether it was done (any signed inspection or remote check in the window satisfies it, whatever
    its reason; one inspection may satisfy the new-permit check and a periodic one).

    - New permit (首次申请 or 重新申请): one inspection within three calendar months of issue. The
      window ends on the same day three months later, or on the month's last day when that month has
      no such day (issued 31 August → by 30 November). Windows and periods are calendar periods
      (R-CAL-1): a deadline on a weekend or holiday stays where it is and a half year that starts on a
      holiday starts that day; working days play no part here. The calendar never blocks work.
    - 重点管理: at least once in each calendar half year; 简化管理: at least once a calendar year;
      登记管理: in a yearly sample of at least 20%, rounded up (``registered_sample``), drawn at random.
    - R-INS-4 multiplies those visits (``visits_a_year``); the visits are spread over equal windows of
      whole months and each is planned for one month of its window (``spread``).
    """
    items: list[Owed] = []
    visits_in_order = sorted(facts.visits, key=lambda visit: visit.on)
    new_permits = sorted(
        {*facts.new_permits, *([facts.new_permit] if facts.new_permit else [])}, key=lambda e: e[1]
    )
    for event, issued in new_permits:
        window = Period(issued, add_months(issued, NEW_PERMIT_MONTHS))
        if window.overlaps(period):
            reason = f"新发证（{event} {issued.isoformat()}），须于 {window.end.isoformat()} 前完成首次检查"
            items.append(
                Owed(
                    NEW_PERMIT,
                    f"new:{issued.isoformat()}",
                    window,
                    add_months(issued.replace(day=1), 1),
                    reason,
                    _first_visit_in(window, visits_in_order),
                )
            )
    visits, figures = visits_a_year(facts, settings)
    for year in range(period.start.year, period.end.year + 1):
        windows = _windows(year, visits) if visits else ()
        for number, window in enumerate(windows, start=1):
            if not window.overlaps(period):
                continue
            items.append(
                Owed(
                    PERIODIC,
                    f"{year}:{number}/{len(windows)}",
                    window,
                    _spread(window, spread),
                    _periodic_reason(facts.level, visits, number, window),
                    _first_visit_in(window, visits_in_order),
                )
            )
    return Frequency(tuple(items), visits, figures, facts.level == REGISTERED and not visits)


def _periodic_reason(level: str, visits: int, number: int, window: Period) -> str:
    label = LEVEL_LABELS[level]
    if level == KEY and visits == 2:
        half = "上半年" if window.start.month == 1 else "下半年"
        return f"{label}，每半年至少检查一次：{window.start.year} 年{half}（{window}）"
    if level == SIMPLIFIED and visits == 1:
        return f"{label}，每年至少检查一次：{window}"
    return f"{label}，差别化监管后每年检查 {visits} 次：第 {number} 次，{window}"


def registered_sample(count: int, share: int = REGISTERED_MIN_SHARE) -> int:
    """Registered units to inspect in a year: at least ``share``% of ``count``, rounded up; 37 → 8."""
    return (count * max(share, REGISTERED_MIN_SHARE) + 99) // 100


def routine_cap_reached(visits: Iterable[Visit], year: int, cap: int) -> bool:
    """Whether a facility has had its yearly cap of routine visits; triggered ones never count."""
    return sum(1 for visit in visits if visit.on.year == year and visit.is_routine) >= cap
