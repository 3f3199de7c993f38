"""The annual grading of permit holders, as pure functions (003 第四条, 附件2; R-GRD-1…4).

``grade_year`` takes the facts of every holder of one year and gives each a grade with its reasons
in words:

- any of the five conditions of 附件2 三 makes a holder 不合格 (R-GRD-2), and 不合格 overrides every
  优秀 condition;
- any of the three conditions of 附件2 四 makes it a candidate for 优秀 (R-GRD-3: priority, not a
  prerequisite);
- 优秀 holders are at most ``excellent_cap`` (R-GRD-4): 10% of the year's holders, rounded down
  (附件2 一: "一般不超过上年度区内持证单位总数的 10%"; the grading is made early in the next year, so
  上年度 is the year graded). Candidates beyond the cap are 合格, with their place in the ranking.

The ranking (``RANKING``) of candidates when there are more than places: more 优秀 conditions met
first; then the year's record: fewer inspection findings, fewer overdue rectifications, fewer late or
missing execution reports; a tie after all of these goes by source code, so the order never depends
on the database.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

EXCELLENT = "excellent"
QUALIFIED = "qualified"
UNQUALIFIED = "unqualified"
GRADE_LABELS = {EXCELLENT: "优秀", QUALIFIED: "合格", UNQUALIFIED: "不合格"}
GRADE_ORDER = (EXCELLENT, QUALIFIED, UNQUALIFIED)

# 附件2 三: any one makes a holder 不合格.
U_PENALTY = "u1"
U_CAMPAIGN = "u2"
U_REFUSED = "u3"
U_NOT_COOPERATING = "u4"
U_OTHER = "u5"
# 附件2 四: any one makes a holder a candidate for 优秀.
E_COMMENDATION = "e1"
E_MEDIA = "e2"
E_RESPONSIBILITY = "e3"

CONDITIONS = {
    U_PENALTY: "接受过生态环境部门行政处罚",
    U_CAMPAIGN: "在各级生态环境保护督察、监督帮扶等专项工作中被核查出存在未“按证排污”等严重问题",
    U_REFUSED: "涉及信访、投诉，经核查存在问题但拒不整改",
    U_NOT_COOPERATING: "未能依法依规配合生态环境部门完成相关工作",
    U_OTHER: "有其他严重违法违规行为",
    E_COMMENDATION: "受到各级生态环境管理部门表彰",
    E_MEDIA: "生态环境保护先进事迹得到官方媒体报道或积极配合相关管理部门开展生态环境保护宣传推广工作",
    E_RESPONSIBILITY: "主动承担社会责任，积极参与环境治理，在污染物减排和“碳达峰碳中和”等国家战略中有突出贡献",
}
UNQUALIFIED_CONDITIONS = (U_PENALTY, U_CAMPAIGN, U_REFUSED, U_NOT_COOPERATING, U_OTHER)
EXCELLENT_CONDITIONS = (E_COMMENDATION, E_MEDIA, E_RESPONSIBILITY)
# Where each condition stands in 附件2, for the reasons' words.
ARTICLE = {
    **{code: f"附件2 三{n}" for n, code in enumerate(UNQUALIFIED_CONDITIONS, start=1)},
    **{code: f"附件2 四{n}" for n, code in enumerate(EXCELLENT_CONDITIONS, start=1)},
}

RANKING = (
    "满足的“优秀”条件多者在前",
    "年度检查发现问题少者在前",
    "逾期未整改问题少者在前",
    "执行报告逾期或未报少者在前",
    "以上均相同的，按污染源编码",
)


def excellent_cap(holders_last_year: int) -> int:
    """R-GRD-4: 10% of last year's permit holders, rounded down (9 → 0, 10 → 1, 25 → 2)."""
    return max(holders_last_year, 0) // 10


@dataclass(frozen=True)
class Fact:
    """One fact of a holder's year that meets a condition of 附件2: its code (``U_PENALTY`` …), what
    it was in words, and where to see the evidence."""

    condition: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Record:
    """The year's record the ranking reads (R-GRD-4), and what else the page shows of the year."""

    findings: int = 0
    overdue_rectifications: int = 0
    late_reports: int = 0
    linkage_tasks: int = 0

    def as_dict(self) -> dict:
        return {
            "findings": self.findings,
            "overdue_rectifications": self.overdue_rectifications,
            "late_reports": self.late_reports,
            "linkage_tasks": self.linkage_tasks,
        }


@dataclass(frozen=True)
class HolderFacts:
    facility_id: int
    source_code: str
    facts: tuple[Fact, ...] = ()
    record: Record = field(default_factory=Record)

    def met(self, conditions: Sequence[str]) -> tuple[str, ...]:
        """The codes of ``conditions`` some fact meets, in the text's order."""
        found = {f.condition for f in self.facts}
        return tuple(c for c in conditions if c in found)


@dataclass(frozen=True)
class Reason:
    code: str  # a condition code, or "rank", "cap", "none"
    text: str
    url: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "url": self.url}


@dataclass(frozen=True)
class Result:
    facility_id: int
    grade: str
    reasons: tuple[Reason, ...]
    unqualified: tuple[str, ...]
    excellent: tuple[str, ...]
    rank: int | None  # place among the 优秀 candidates, 1 first; None for others


def _fact_reasons(holder: HolderFacts, conditions: Sequence[str]) -> list[Reason]:
    return [
        Reason(f.condition, f"{ARTICLE[f.condition]}“{CONDITIONS[f.condition]}”：{f.text}", f.url)
        for f in holder.facts
        if f.condition in conditions
    ]


def rank_key(holder: HolderFacts) -> tuple:
    """The order of ``RANKING``: ascending keys, best first."""
    r = holder.record
    return (
        -len(holder.met(EXCELLENT_CONDITIONS)),
        r.findings,
        r.overdue_rectifications,
        r.late_reports,
        holder.source_code,
    )


def grade_year(holders: Sequence[HolderFacts], *, cap: int) -> list[Result]:
    """Every holder's grade with its reasons (R-GRD-2…4), in the order given."""
    results: dict[int, Result] = {}
    candidates = []
    for holder in holders:
        unqualified = holder.met(UNQUALIFIED_CONDITIONS)
        excellent = holder.met(EXCELLENT_CONDITIONS)
        if unqualified:
            reasons = _fact_reasons(holder, UNQUALIFIED_CONDITIONS)
            if excellent:
                names = "、".join(ARTICLE[c] for c in excellent)
                reasons.append(
                    Reason(
                        "overridden",
                        f"虽符合{names}的优先条件，存在“不合格”情形的，评定为“不合格”（附件2 三）。",
                    )
                )
            results[holder.facility_id] = Result(
                holder.facility_id, UNQUALIFIED, tuple(reasons), unqualified, excellent, None
            )
        elif excellent:
            candidates.append(holder)
        else:
            results[holder.facility_id] = Result(
                holder.facility_id,
                QUALIFIED,
                (Reason("none", "年度内无“不合格”情形，也无“优秀”优先条件（附件2 三、四）。"),),
                (),
                (),
                None,
            )
    candidates.sort(key=rank_key)
    for rank, holder in enumerate(candidates, start=1):
        excellent = holder.met(EXCELLENT_CONDITIONS)
        reasons = _fact_reasons(holder, EXCELLENT_CONDITIONS)
        placed = rank <= cap
        reasons.append(
            Reason(
                "rank" if placed else "cap",
                f"“优秀”候选 {len(candidates)} 家，排序第 {rank} 位，优秀名额 {cap} 个"
                + (
                    "。"
                    if placed
                    else "，超出名额，评定为“合格”（附件2 一：优秀一般不超过上年度持证单位总数的 10%）。"
                ),
            )
        )
        results[holder.facility_id] = Result(
            holder.facility_id, EXCELLENT if placed else QUALIFIED, tuple(reasons), (), excellent, rank
        )
    return [results[h.facility_id] for h in holders]


def override_error(
    *, rule_unqualified: Sequence[str], to_grade: str, reason: str, condition: str = ""
) -> str | None:
    """Why a work-group change of a grade is refused, or None (R-GRD-2, R-GRD-5): a written reason is
    required; a holder with a 不合格 condition stays 不合格 (附件2 三: "评定等级列为不合格"), a wrong
    fact being corrected at its source and the draft made again; and a holder is made 不合格 only on
    one of the five conditions of 附件2 三, named in ``condition``."""
    if to_grade not in GRADE_LABELS:
        return "请选择评定等级：优秀、合格或不合格。"
    if not reason.strip():
        return "调整评定等级必须填写书面理由。"
    if to_grade == UNQUALIFIED and not rule_unqualified and condition not in UNQUALIFIED_CONDITIONS:
        return "调为“不合格”须指明附件2 三所列的情形（行政处罚、专项工作查出严重问题、投诉拒不整改、不配合、其他严重违法违规）。"
    if rule_unqualified and to_grade != UNQUALIFIED:
        names = "、".join(ARTICLE[c] for c in rule_unqualified)
        return (
            f"该单位存在{names}所列情形，评定等级应列为“不合格”，不能调整为“{GRADE_LABELS[to_grade]}”。"
            "如该事实有误，请先更正事实记录，再重新起草评定。"
        )
    return None


def cap_error(*, excellent: int, cap: int, exceeded_reason: str) -> str | None:
    """R-GRD-4 on a result: more 优秀 than places only with the work group's recorded reason."""
    if excellent > cap and not exceeded_reason.strip():
        return (
            f"“优秀”单位 {excellent} 家，超过名额 {cap} 个（上年度持证单位总数的 10%，向下取整）。"
            "确需超出的，请先由工作组记录超出理由。"
        )
    return None


def year_error(year: int, *, today_year: int) -> str | None:
    """A grading is of a year that has ended (R-GRD-1: each year on the previous year)."""
    if year >= today_year:
        return f"{year} 年度尚未结束，不能评定；等级评定于次年年初对上年度进行。"
    if year < 2000:
        return "评定年度有误。"
    return None
