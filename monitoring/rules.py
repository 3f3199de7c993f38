"""Pure rules of enforcement monitoring (R-MON-1; 003 第三条、第七条). No Django, no database.

What the year's plan contains (``plan_contents``), decided here and shown on the plan's page:

- 执法监测 of **every key-managed holder** (重点管理单位全覆盖), at least once a year;
- 执法监测 of a **drawn sample of simplified-managed holders**: at least 30% (rounded up) of the pool,
  drawn with ``bureau.sampling`` like the random checks. The pool is every simplified-managed facility
  that is not closed and does not involve state secrets (the pool file is published, R-PUB-1);
- **自行监测方案检查** of every key-managed holder: they owe a self-monitoring plan with their permit
  (HJ 819), so 监测站 checks each once a year;
- **在线监测设备运维检查** of every facility with automatic monitoring installed
  (``has_auto_monitoring``), whatever its level.

Closed facilities are never planned. Registered units owe no enforcement monitoring under R-MON-1.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

KEY, SIMPLIFIED = "key", "simplified"
# TaskKind and Basis values (monitoring.models); a test keeps them equal.
ENFORCEMENT, SELF_MONITORING, ONLINE_EQUIPMENT = "enforcement", "self_monitoring", "online_equipment"
KEY_ALL, SIMPLIFIED_SAMPLE = "key_all", "simplified_sample"
CHECK_KINDS = frozenset({SELF_MONITORING, ONLINE_EQUIPMENT})
DEFAULT_SHARE = 30


def simplified_sample(count: int, share: int = DEFAULT_SHARE) -> int:
    """How many of ``count`` simplified-managed holders are monitored: at least ``share``% rounded up
    (R-MON-1): 10 → 3, 11 → 4, 0 → 0."""
    if count < 0 or not 0 <= share <= 100:
        raise ValueError("单位数不能为负，抽测比例应在 0–100 之间。")
    return (count * share + 99) // 100


@dataclass(frozen=True)
class PlanFacility:
    """What the plan needs to know of one facility."""

    pk: int
    code: str
    level: str
    is_closed: bool = False
    is_confidential: bool = False
    has_auto_monitoring: bool = False


@dataclass(frozen=True)
class PlannedTask:
    facility: int
    kind: str
    basis: str


def simplified_pool(facilities: list[PlanFacility]) -> list[str]:
    """The source codes the simplified sample is drawn from: simplified-managed, not closed, not
    involving state secrets; sorted."""
    return sorted(
        f.code for f in facilities if f.level == SIMPLIFIED and not f.is_closed and not f.is_confidential
    )


def plan_contents(facilities: list[PlanFacility], drawn: set[str] | frozenset[str]) -> list[PlannedTask]:
    """The tasks of the year's plan (see the module's docstring), given the codes drawn from the
    simplified pool. Each facility appears at most once per kind."""
    tasks = []
    for f in sorted(facilities, key=lambda f: f.code):
        if f.is_closed:
            continue
        if f.level == KEY:
            tasks.append(PlannedTask(f.pk, ENFORCEMENT, KEY_ALL))
            tasks.append(PlannedTask(f.pk, SELF_MONITORING, SELF_MONITORING))
        elif f.level == SIMPLIFIED and f.code in drawn:
            tasks.append(PlannedTask(f.pk, ENFORCEMENT, SIMPLIFIED_SAMPLE))
        if f.has_auto_monitoring:
            tasks.append(PlannedTask(f.pk, ONLINE_EQUIPMENT, ONLINE_EQUIPMENT))
    return tasks


@dataclass(frozen=True)
class Comparison:
    """A measured concentration against the permitted one: ``error`` (Chinese) when they cannot be
    compared; otherwise whether it is over, and by how many times (measured/limit − 1, 2 decimals,
    only when over a non-zero limit)."""

    exceeded: bool = False
    times_over: Decimal | None = None
    error: str = ""
    field: str = ""


def _unit_key(unit: str) -> str:
    return unit.strip().lower().replace("³", "3").replace(" ", "")


def compare(measured: Decimal, limit: Decimal, measured_unit: str, limit_unit: str) -> Comparison:
    """Whether ``measured`` exceeds ``limit`` (R-MON-1). Equal to the limit is compliant. Units are
    compared ignoring case, spaces and ``m³``/``m3``; different units are not converted but refused,
    as a conversion would guess the pollutant's molar mass."""
    if measured < 0:
        return Comparison(error="监测浓度不能为负数。", field="measured")
    if limit < 0:
        return Comparison(error="许可排放浓度为负数，请核对许可证。", field="limit")
    if _unit_key(measured_unit) != _unit_key(limit_unit):
        return Comparison(
            error=f"浓度单位“{measured_unit.strip()}”与许可排放限值的单位“{limit_unit.strip()}”不一致，请换算后录入。",
            field="unit",
        )
    if measured <= limit:
        return Comparison(exceeded=False)
    if limit == 0:
        return Comparison(exceeded=True)
    times = (Decimal(measured) / Decimal(limit) - 1).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Comparison(exceeded=True, times_over=times)


COMPLIANT, EXCEEDED, ANOMALY = "compliant", "exceeded", "anomaly"


def conclusion_error(
    conclusion: str, *, kind: str, sampled: bool, results: int, any_exceeded: bool, text: str
) -> tuple[str, str] | None:
    """Why a task cannot be concluded so, as (field, Chinese message), or None. 执法监测 needs its
    sampling first; 达标 needs at least one result and none over the limit; 超标 needs a result over
    the limit; 异常 needs its description. Checks of self-monitoring plans and online equipment need
    no sampling."""
    if conclusion not in (COMPLIANT, EXCEEDED, ANOMALY):
        return "conclusion", "请选择结论：达标、超标或存在异常。"
    if kind == ENFORCEMENT and not sampled:
        return "conclusion", "请先登记采样情况。"
    if conclusion == COMPLIANT:
        if any_exceeded:
            return "conclusion", "已有监测结果超过许可排放限值，结论不能为达标。"
        if kind == ENFORCEMENT and not results:
            return "conclusion", "请先录入监测结果，再出具达标结论。"
    if conclusion == EXCEEDED and not any_exceeded:
        return "conclusion", "没有超过许可排放限值的监测结果，不能出具超标结论；其他问题请选择“存在异常”。"
    if conclusion == ANOMALY and not text.strip():
        return "text", "请说明异常情况。"
    return None


def needs_lead(conclusion: str, any_exceeded: bool) -> bool:
    """A result over the limit or any anomaly becomes a lead for 执法大队 (R-MON-1)."""
    return any_exceeded or conclusion in (EXCEEDED, ANOMALY)
