"""Pure rules of the registry: credit codes, permit states and events, section ownership, expiry.

No database: plain values in, a value out, so each rule is tested by the dozen in microseconds.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bureau import sections

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z); the 18th is a
# check character over the first 17 with these weights, modulo 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """What is wrong with a 统一社会信用代码 under GB 32100-2015 (R-FAC-1), or None if it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，现为 {len(code)} 位。"
    for position, character in enumerate(code, 1):
        if character not in CREDIT_CODE_ALPHABET:
            hint = "（不使用字母 I、O、S、V、Z，字母须大写）" if character.isalpha() else ""
            return f"统一社会信用代码第 {position} 位“{character}”不是允许的字符{hint}。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为登记管理机关行政区划码（数字）。"
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：按前 17 位计算，第 18 位应为“{expected}”，而不是“{code[17]}”。"
    return None


def normalise_credit_code(raw: str) -> str:
    return "".join(raw.split()).upper()


# R-ORG-2 (003 第八条): which section maintains which part of a facility. Another section may read it.
FIELD_OWNERS: dict[str, str] = {
    "name": "approval",
    "address": "approval",
    "town": "approval",
    "industry_code": "approval",
    "industry_name": "approval",
    "management_level": "approval",
    "contact_person": "approval",
    "contact_phone": "approval",
    "eia_document_no": "approval",
    "status": "approval",
    "is_key_regulated": "pollution",
    "risk_level": "pollution",
    "has_auto_monitoring": "pollution",
    "in_environmental_statistics": "ecology",
    "credit_rating": "legal",
    "credit_rated_on": "legal",
}
# Records other than facility fields, by the section that keeps them.
RECORD_OWNERS: dict[str, str] = {
    "permit": "approval",
    "registration": "approval",
    "quality_check": "approval",
    "rectification": "approval",
    "penalty": "enforcement",
}
# The sections that keep a part of the registry (R-ORG-2), by their full names (bureau.sections).
SECTION_NAMES = {code: sections.name(code) for code in ("approval", "ecology", "pollution", "legal", "enforcement")}


def may_keep(section_code: str | None, record: str, *, is_superuser: bool = False) -> bool:
    """Whether ``section_code`` keeps ``record`` (a permit, a penalty …) under R-ORG-2."""
    return is_superuser or RECORD_OWNERS[record] == section_code


def fields_not_owned(
    section_code: str | None, fields: Iterable[str], *, is_superuser: bool = False
) -> list[str]:
    """The fields among ``fields`` that ``section_code`` may not change (R-ORG-2)."""
    if is_superuser:
        return []
    return [f for f in fields if FIELD_OWNERS.get(f) != section_code]


def ownership_message(field_labels: dict[str, str], fields: Sequence[str]) -> str:
    parts = [
        f"“{field_labels.get(f, f)}”由{SECTION_NAMES.get(FIELD_OWNERS.get(f, ''), '其他科室')}维护"
        for f in fields
    ]
    return "、".join(parts) + "，您所在的科室只能查看，不能修改。"


# Permits (R-PER-1) ----------------------------------------------------------------------------------
FIRST_APPLICATION = "first_application"
REAPPLICATION = "reapplication"
CHANGE = "change"
RENEWAL = "renewal"
CANCELLATION = "cancellation"
WITHDRAWAL = "withdrawal"
REVOCATION = "revocation"
REPLACEMENT = "replacement"
ENDING_EVENTS = {CANCELLATION: "cancelled", WITHDRAWAL: "revoked", REVOCATION: "revoked"}


@dataclass(frozen=True)
class Event:
    kind: str
    occurred_on: date
    new_valid_until: date | None = None


def permit_state(events: Sequence[Event], valid_until: date, today: date) -> str:
    """valid / expired / cancelled / revoked, from the events and dates (R-PER-1). Never typed in.

    注销 ends a permit as cancelled; 撤销 and 吊销 as revoked, from their date on. Otherwise a permit
    is valid through ``valid_until`` and expired after it.
    """
    for event in sorted(events, key=lambda e: e.occurred_on, reverse=True):
        if event.kind in ENDING_EVENTS and event.occurred_on <= today:
            return ENDING_EVENTS[event.kind]
    return "valid" if today <= valid_until else "expired"


STATE_LABELS = {"valid": "有效", "expired": "已过期", "cancelled": "已注销", "revoked": "已撤销/吊销"}
EVENT_LABELS = {
    FIRST_APPLICATION: "首次申请",
    REAPPLICATION: "重新申请",
    CHANGE: "变更",
    RENEWAL: "延续",
    CANCELLATION: "注销",
    WITHDRAWAL: "撤销",
    REVOCATION: "吊销",
    REPLACEMENT: "遗失补办",
}


def event_error(events: Sequence[Event], valid_until: date, new: Event) -> str | None:
    """Why ``new`` cannot happen to a permit with these ``events``, or None (R-PER-1, 003 第十条).

    - 首次申请 or 重新申请 only as the first event: a 重新申请 ends in a new permit.
    - Nothing after a permit was cancelled or revoked (a new application is a new permit).
    - 延续 only while the permit is valid (after expiry it is a 重新申请), and only with a new
      validity later than the current one.
    - 变更, 遗失补办, 撤销 and 吊销 only while valid; 注销 while valid or expired.
    - Events are recorded in date order.
    """
    label = EVENT_LABELS.get(new.kind)
    if label is None:
        return "未知的许可证事项。"
    if events and new.occurred_on < max(e.occurred_on for e in events):
        return f"“{label}”的日期早于已登记的最后一个事项，请按时间顺序登记。"
    if new.kind in (FIRST_APPLICATION, REAPPLICATION):
        # 重新申请 ends in a new permit with its own number and validity: it starts that permit's life.
        return f"该许可证已有事项记录，“{label}”应作为新的许可证登记。" if events else None
    if not events:
        return "请先登记“首次申请”或“重新申请”。"
    state = permit_state(events, valid_until, new.occurred_on)
    if state in ("cancelled", "revoked"):
        return f"该许可证{STATE_LABELS[state]}，不能再办理“{label}”；如需排污应重新申请新的许可证。"
    if new.kind == RENEWAL:
        if state == "expired":
            return f"该许可证已于 {valid_until:%Y-%m-%d} 到期，不能延续，应重新申请。"
        if new.new_valid_until is not None and new.new_valid_until <= valid_until:
            return "延续后的有效期应晚于当前有效期。"
        return None
    if new.kind in (CHANGE, REPLACEMENT, WITHDRAWAL, REVOCATION) and state == "expired":
        return f"该许可证已于 {valid_until:%Y-%m-%d} 到期，不能办理“{label}”。"
    return None


def renewal_pending(events: Sequence[Event]) -> bool:
    """Whether a 延续 application awaits its decision (a 延续 event with no new validity)."""
    return any(e.kind == RENEWAL and e.new_valid_until is None for e in events)


# R-PER-2: warn 90 days ahead, red within 60 (the 延续 application is due 60 days before expiry).
EXPIRY_WARNING_DAYS = 90
EXPIRY_RED_DAYS = 60


def expiry_flag(valid_until: date, today: date, *, pending_renewal: bool) -> str | None:
    """'red', 'warning' or None for a valid permit (R-PER-2)."""
    if pending_renewal or valid_until < today:
        return None
    days_left = (valid_until - today).days
    if days_left <= EXPIRY_RED_DAYS:
        return "red"
    if days_left <= EXPIRY_WARNING_DAYS:
        return "warning"
    return None


def renewal_due_on(valid_until: date) -> date:
    """The last day to apply for renewal: 60 days before expiry (R-PER-2)."""
    return valid_until - timedelta(days=EXPIRY_RED_DAYS)


def key_industry_code(industry_code: str, key_codes: Iterable[str]) -> str | None:
    """The longest key-industry prefix matching a 国民经济行业分类 code (R-FAC-2)."""
    matches = [k for k in key_codes if industry_code.startswith(k)]
    return max(matches, key=len) if matches else None
