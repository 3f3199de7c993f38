"""The rules of checklist inspections, pure (no Django, no database): who may inspect (R-INS-6), what
an answer and a signature need (R-INS-1, R-INS-8), which checklist applies (R-INS-1, R-INS-2), what a
case's decision needs (R-INS-10), who sees interference records (R-INS-11), and the record's hash."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bureau import sections

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
