"""Pure rules of the registry: credit codes, permit states and events, section ownership, expiry.

No database: plain values in, a value out, so each rule is tested by the dozen in microseconds.
"""

import re
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
SECTION_NAMES = {
    code: sections.name(code) for code in ("approval", "ecology", "pollution", "legal", "enforcement")
}


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
RENEWAL_DECISION = "renewal_decision"
CANCELLATION = "cancellation"
WITHDRAWAL = "withdrawal"
REVOCATION = "revocation"
REPLACEMENT = "replacement"
# 注销, 撤销 and 吊销 end a permit, each in its own state: 吊销 is a penalty, 撤销 an annulment of the
# grant (R-PER-1, 003 第十条, 002 四).
ENDING_EVENTS = {CANCELLATION: "cancelled", WITHDRAWAL: "withdrawn", REVOCATION: "revoked"}


@dataclass(frozen=True)
class Event:
    """One event of a permit's life as the rules see it.

    A 延续决定 (``RENEWAL_DECISION``) says whether the renewal was ``granted``; a grant carries the
    validity it extended (``previous_valid_until``) and the new one (``new_valid_until``).
    """

    kind: str
    occurred_on: date
    new_valid_until: date | None = None
    granted: bool | None = None
    previous_valid_until: date | None = None


def _grants(events: Sequence[Event]) -> list[Event]:
    return sorted(
        (e for e in events if e.kind == RENEWAL_DECISION and e.granted and e.new_valid_until),
        key=lambda e: e.occurred_on,
    )


def first_valid_until(events: Sequence[Event], valid_until: date) -> date:
    """The end of the validity the permit was issued with: ``valid_until`` is the current end, which
    each granted 延续 moved; the first grant remembers the end it extended."""
    grants = _grants(events)
    if grants and grants[0].previous_valid_until is not None:
        return grants[0].previous_valid_until
    return valid_until


def covered_on(events: Sequence[Event], valid_until: date, day: date) -> bool:
    """Whether the permit's validity covers ``day``, ending events aside (R-PER-1).

    The issued validity runs through its first end; a granted 延续 covers from its decision date (or
    the day after the old end, if decided in time) through its new end. A 延续 granted after expiry
    therefore leaves the days between expiry and decision uncovered: the gap is never made valid.
    """
    if day <= first_valid_until(events, valid_until):
        return True
    return any(g.occurred_on <= day <= g.new_valid_until for g in _grants(events))


def permit_state(events: Sequence[Event], valid_until: date, today: date) -> str:
    """valid / expired / cancelled / withdrawn / revoked on ``today``, from the events and dates
    (R-PER-1). Never typed in.

    注销 ends a permit as cancelled, 撤销 as withdrawn, 吊销 as revoked, from their date on. Otherwise
    a permit is valid on the days its validity covers (``covered_on``) and expired on the others,
    including the days between expiry and a late 延续 grant.
    """
    for event in sorted(events, key=lambda e: e.occurred_on, reverse=True):
        if event.kind in ENDING_EVENTS and event.occurred_on <= today:
            return ENDING_EVENTS[event.kind]
    return "valid" if covered_on(events, valid_until, today) else "expired"


def lapses(events: Sequence[Event], valid_until: date, today: date) -> list[tuple[date, date | None]]:
    """The periods up to ``today`` in which the permit did not cover its holder, first day to last
    (None: still lapsed today): the gap before a late 延续 grant, the time since expiry, since 注销,
    撤销 or 吊销 (R-PER-1, R-PER-2). Each starts the day after the validity ended."""
    periods: list[tuple[date, date | None]] = []
    end = first_valid_until(events, valid_until)
    for grant in _grants(events):
        if grant.occurred_on > today:
            break
        if grant.occurred_on > end + timedelta(days=1):
            periods.append((end + timedelta(days=1), grant.occurred_on - timedelta(days=1)))
        end = max(end, grant.new_valid_until)
    ending = [e.occurred_on for e in events if e.kind in ENDING_EVENTS and e.occurred_on <= today]
    if ending:
        stop = min(ending)
        periods = [(start, last) for start, last in periods if start < stop]
        periods.append((stop if stop <= end else end + timedelta(days=1), None))
    elif end < today:
        periods.append((end + timedelta(days=1), None))
    return periods


def uncovered_periods(
    validities: Sequence[tuple[date, Sequence[Event], date]], today: date
) -> list[tuple[date, date | None]]:
    """A facility's unlicensed periods (R-PER-1, R-PER-2): the days from its first permit's start to
    ``today`` that none of its permits covers. ``validities`` holds each permit's ``valid_from``,
    events and current ``valid_until``. Consecutive days merge; None as the end: still uncovered."""
    if not validities:
        return []
    start = min(v[0] for v in validities)
    covered: list[tuple[date, date]] = []
    for valid_from, events, valid_until in validities:
        ending = min((e.occurred_on for e in events if e.kind in ENDING_EVENTS), default=None)
        spans = [(valid_from, first_valid_until(events, valid_until))]
        spans += [(g.occurred_on, g.new_valid_until) for g in _grants(events)]
        for first, last in spans:
            if ending is not None:
                last = min(last, ending - timedelta(days=1))
            if first <= last:
                covered.append((first, last))
    periods: list[tuple[date, date | None]] = []
    cursor = start
    for first, last in sorted(covered):
        if first > cursor:
            periods.append((cursor, first - timedelta(days=1)))
        cursor = max(cursor, last + timedelta(days=1))
    if cursor <= today:
        periods.append((cursor, None))
    return [(a, b) for a, b in periods if a <= today]


STATE_LABELS = {
    "valid": "有效",
    "expired": "已过期",
    "cancelled": "已注销",
    "withdrawn": "已撤销",
    "revoked": "已吊销",
}
EVENT_LABELS = {
    FIRST_APPLICATION: "首次申请",
    REAPPLICATION: "重新申请",
    CHANGE: "变更",
    RENEWAL: "延续申请",
    RENEWAL_DECISION: "延续决定",
    CANCELLATION: "注销",
    WITHDRAWAL: "撤销",
    REVOCATION: "吊销",
    REPLACEMENT: "遗失补办",
}
# After expiry (条例 第十四条: a 延续 is applied for 60 days before the validity ends; 004 三(一):
# discharging after expiry without 延续 is unlicensed discharge). 重新申请 is for changes within
# validity (条例 第十五条), so it is not what this message advises.
EXPIRED_NO_RENEWAL = (
    "该许可证已于 {valid_until:%Y-%m-%d} 有效期届满，不能再申请延续（延续应在有效期届满 60 日前提出，"
    "《排污许可管理条例》第十四条）。届满后继续排放污染物属无证排污，排污单位应依法申请取得排污许可证后方可排污。"
)


DECISION_MISSING = "请选择延续决定：准予延续或不予延续。"
GRANT_NEEDS_VALIDITY = "准予延续的，请填写延续后有效期至。"
VALIDITY_NOT_LATER = "延续后的有效期应晚于当前有效期。"
REFUSAL_HAS_VALIDITY = "不予延续的，不填写延续后有效期。"
VALIDITY_ONLY_ON_DECISION = "只有“延续决定”可以填写延续后有效期。"
# The messages about the new validity, which a form shows on that field; every other on the event kind.
VALIDITY_ERRORS = {GRANT_NEEDS_VALIDITY, VALIDITY_NOT_LATER, REFUSAL_HAS_VALIDITY, VALIDITY_ONLY_ON_DECISION}


def renewal_pending(events: Sequence[Event]) -> bool:
    """Whether a 延续 application awaits its decision: the last 延续 application or decision is an
    application (R-PER-2)."""
    steps = [e for e in events if e.kind in (RENEWAL, RENEWAL_DECISION)]
    return bool(steps) and steps[-1].kind == RENEWAL


def event_error(events: Sequence[Event], valid_until: date, new: Event) -> str | None:
    """Why ``new`` cannot happen to a permit with these ``events``, or None (R-PER-1, 003 第十条,
    条例 第十四条).

    - 首次申请 or 重新申请 only as the first event: a 重新申请 ends in a new permit.
    - Nothing after a permit was cancelled, withdrawn or revoked (a new application is a new permit).
    - 延续申请 only while the permit is valid and none is pending; a 延续决定 only on a pending
      application, granted with a new validity later than the current one, or refused. The decision
      may come after expiry: the days between are not covered (``covered_on``).
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
    if state in ("cancelled", "withdrawn", "revoked"):
        return f"该许可证{STATE_LABELS[state]}，不能再办理“{label}”；如需排污应依法申请取得新的排污许可证。"
    pending = renewal_pending(events)
    if new.kind == RENEWAL_DECISION:
        if not pending:
            return "该许可证没有待决定的延续申请，请先登记“延续申请”。"
        if new.granted is None:
            return DECISION_MISSING
        if new.granted:
            if new.new_valid_until is None:
                return GRANT_NEEDS_VALIDITY
            if new.new_valid_until <= valid_until:
                return VALIDITY_NOT_LATER
        elif new.new_valid_until is not None:
            return REFUSAL_HAS_VALIDITY
        return None
    if new.new_valid_until is not None:
        return VALIDITY_ONLY_ON_DECISION
    if new.kind == RENEWAL:
        if pending:
            return "已有延续申请待决定，请登记“延续决定”，不要重复登记申请。"
        if state == "expired":
            return EXPIRED_NO_RENEWAL.format(valid_until=valid_until)
        return None
    if new.kind in (CHANGE, REPLACEMENT, WITHDRAWAL, REVOCATION) and state == "expired":
        return f"该许可证已于 {valid_until:%Y-%m-%d} 到期，不能办理“{label}”。"
    return None


def renewal_grant_error(
    events: Sequence[Event], valid_until: date, on: date, new_valid_until: date
) -> str | None:
    """Why a 延续 granted on ``on`` until ``new_valid_until`` (as the national platform reports a
    renewed permit) cannot be recorded, or None: it decides the pending application, or, with none
    pending, is an application and its grant on the same day (R-PER-1)."""
    decision = Event(RENEWAL_DECISION, on, new_valid_until, granted=True)
    if renewal_pending(events):
        return event_error(events, valid_until, decision)
    application = Event(RENEWAL, on)
    return event_error(events, valid_until, application) or event_error(
        [*events, application], valid_until, decision
    )


# R-PER-2, 004 三(一): the cases of unlicensed discharge a permit's events can show.
LAPSE_CASES = {
    "expired": "有效期届满未申请延续",
    "renewal_undecided": "延续申请到期时尚未批准",
    "renewal_refused": "延续申请未获批准",
    "cancelled": "许可证被注销",
    "withdrawn": "许可证被撤销",
    "revoked": "许可证被吊销",
}


@dataclass(frozen=True)
class Lapse:
    case: str
    lapsed_on: date  # the last day covered (the end of validity), or the date of an ending event within it


def lapse_summary(case: str, lapsed_on: date) -> str:
    """What a lead says happened to the permit, in the words of 004 三(一) (R-PER-2)."""
    if case in ("cancelled", "withdrawn", "revoked"):
        return f"已于 {lapsed_on:%Y-%m-%d} {LAPSE_CASES[case][3:]}"
    return f"有效期至 {lapsed_on:%Y-%m-%d}，{LAPSE_CASES[case]}"


def lapse(events: Sequence[Event], valid_until: date, today: date) -> Lapse | None:
    """Which case of 004 三(一) a permit is in on ``today``, or None while it covers its holder
    (R-PER-2): expired with no 延续 application; a 延续 still undecided, or refused, after expiry;
    注销, 撤销 or 吊销. An ending event after the validity had already ended starts no new gap: the case
    stays the one that made the holder unlicensed, lapsed at the end of validity."""
    state = permit_state(events, valid_until, today)
    if state == "valid":
        return None
    if state in ("cancelled", "withdrawn", "revoked"):
        ending = min(e.occurred_on for e in events if e.kind in ENDING_EVENTS and e.occurred_on <= today)
        if ending > valid_until:
            # The permit stopped covering its holder at expiry, not at the later 注销/撤销/吊销: the lapse
            # is the case that began the gap, so the lead of that gap stays the only one.
            return lapse([e for e in events if e.occurred_on < ending], valid_until, ending)
        return Lapse(state, ending)
    steps = [e for e in events if e.kind in (RENEWAL, RENEWAL_DECISION) and e.occurred_on <= today]
    if not steps:
        return Lapse("expired", valid_until)
    if steps[-1].kind == RENEWAL:
        return Lapse("renewal_undecided", valid_until)
    return Lapse("renewal_refused" if not steps[-1].granted else "expired", valid_until)


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


# Sites (R-FAC-1) ------------------------------------------------------------------------------------
# A facility is one site of a unit. Its source code (污染源编码) is the unit's credit code followed by a
# three-digit site number, as the national platform writes the first 21 characters of a permit number
# (91330100MA2XXXXXXX001V: credit code, site 001, then the platform's own suffix).
SITE_NUMBER_LENGTH = 3
SOURCE_CODE_LENGTH = 18 + SITE_NUMBER_LENGTH
FIRST_SITE = "001"


def normalise_site_number(raw) -> str:
    """``1``, ``01`` or `` 001 `` (Excel drops leading zeros) read as ``001``; anything else as written."""
    text = "".join(str(raw if raw is not None else "").split())
    return text.zfill(SITE_NUMBER_LENGTH) if text.isdigit() and len(text) <= SITE_NUMBER_LENGTH else text


def site_number_error(site_number: str) -> str | None:
    """What is wrong with a site number (R-FAC-1), or None: three digits, 001 to 999."""
    if not (site_number.isdigit() and len(site_number) == SITE_NUMBER_LENGTH) or site_number == "000":
        return f"污染源序号“{site_number}”应为三位数字（001–999），如 001。"
    return None


def source_code(credit_code: str, site_number: str) -> str:
    """The source code of a unit's site: credit code + three-digit site number (R-FAC-1)."""
    return f"{credit_code}{site_number}"


def split_source_code(code: str) -> tuple[str, str]:
    """(credit code, site number) of a source code; check both with the functions above."""
    return code[:18], code[18:]


def source_code_error(code: str) -> str | None:
    """What is wrong with a 污染源编码 (21 characters: credit code + site number), or None."""
    if len(code) != SOURCE_CODE_LENGTH:
        return f"污染源编码应为 {SOURCE_CODE_LENGTH} 位（18 位统一社会信用代码 + 3 位序号），现为 {len(code)} 位。"
    credit, site = split_source_code(code)
    return credit_code_error(credit) or site_number_error(site)


@dataclass(frozen=True)
class SiteReference:
    """Which site a row of data names: its unit's credit code and its site number ('' when the data
    names the unit only), or the reason it names none."""

    credit_code: str = ""
    site_number: str = ""
    error: str | None = None
    error_field: str = "credit_code"

    @property
    def source_code(self) -> str:
        return source_code(self.credit_code, self.site_number) if self.site_number else ""


def platform_source_code(permit_number: str) -> str:
    """The source code a national-platform permit number starts with (R-FAC-1: a valid 18-character
    credit code, then a three-digit site number), or '' for a free-form local number."""
    prefix = normalise_credit_code(permit_number or "")[:SOURCE_CODE_LENGTH]
    return prefix if len(prefix) == SOURCE_CODE_LENGTH and source_code_error(prefix) is None else ""


def permit_number_mismatch_error(permit_number: str, facility_source_code: str) -> str | None:
    """Why a permit numbered ``permit_number`` cannot be a permit of the facility with
    ``facility_source_code``, or None (R-FAC-1): a platform number's first 21 characters are its
    holder's source code. Free-form local numbers are not checked."""
    code = platform_source_code(permit_number)
    if code and code != facility_source_code:
        return (
            f"许可证编号“{permit_number.strip()}”的前 21 位（{code}）与排污单位的污染源编码"
            f"“{facility_source_code}”不一致。"
        )
    return None


def unit_site_number(site_number: str, unit_sites: Sequence[str]) -> str | None:
    """The site number a reference means, given the site numbers its unit already has (R-FAC-1). The
    one rule for every way data arrives (form, API, import): a given number is that site; a credit code
    alone means site 001 of a unit not yet known, or the only site of a unit with one; None when the
    unit has several and the data must say which (``several_sites_error``)."""
    if site_number:
        return site_number
    if len(unit_sites) > 1:
        return None
    return next(iter(unit_sites), FIRST_SITE)


def several_sites_error(credit_code: str, unit_sites: Sequence[str]) -> str:
    """Why a credit code alone names no site of a unit with several (R-FAC-1)."""
    return (
        f"单位 {credit_code} 有 {len(unit_sites)} 个污染源（序号 {'、'.join(sorted(unit_sites))}），"
        "请填写污染源序号或污染源编码。"
    )


def next_site_number(unit_sites: Sequence[str]) -> str:
    """The lowest free site number of a unit with ``unit_sites`` (001 for a new unit), for a further
    site added without a number (R-FAC-1)."""
    taken = set(unit_sites)
    return next(f"{n:03d}" for n in range(1, 1000) if f"{n:03d}" not in taken)


def site_reference(
    *, source_code: str = "", credit_code: str = "", site_number: str = "", permit_number: str = ""
) -> SiteReference:
    """The site named by incoming data, in the three ways the national platform writes it (R-FAC-1):

    1. a source code (污染源编码, 21 characters);
    2. a credit code plus a site number;
    3. a permit number whose first 21 characters are the source code (with or without a credit code).

    Where two ways are given they must agree: a platform permit number (``platform_source_code``)
    naming another site is refused, naming both; a free-form local number names nothing. A credit
    code alone names the unit but no site (the caller decides, ``unit_site_number``)."""
    code = normalise_credit_code(source_code)
    credit = normalise_credit_code(credit_code)
    site = normalise_site_number(site_number)
    from_permit = platform_source_code(permit_number)
    if code:
        if error := source_code_error(code):
            return SiteReference(error=error, error_field="source_code")
        from_code = split_source_code(code)
        if credit and credit != from_code[0]:
            return SiteReference(
                error=f"污染源编码“{code}”与统一社会信用代码“{credit}”不一致。", error_field="source_code"
            )
        if site and site != from_code[1]:
            return SiteReference(
                error=f"污染源编码“{code}”与污染源序号“{site}”不一致。", error_field="source_code"
            )
        if from_permit and from_permit != code:
            return SiteReference(error=permit_number_mismatch_error(permit_number, code), error_field="permit_number")
        return SiteReference(*from_code)
    if site and not credit:
        return SiteReference(error="填写污染源序号时，须同时填写统一社会信用代码。")
    if credit and (error := credit_code_error(credit)):
        return SiteReference(error=error)
    if site and (error := site_number_error(site)):
        return SiteReference(error=error, error_field="site_number")
    if from_permit:
        if credit and credit != from_permit[:18]:
            return SiteReference(
                error=f"许可证编号“{permit_number.strip()}”的前 18 位（{from_permit[:18]}）与统一社会信用代码“{credit}”不一致。",
                error_field="permit_number",
            )
        if site and site != from_permit[18:]:
            return SiteReference(
                error=f"许可证编号“{permit_number.strip()}”的污染源序号（{from_permit[18:]}）与污染源序号“{site}”不一致。",
                error_field="permit_number",
            )
        credit, site = split_source_code(from_permit)
    if not credit:
        return SiteReference(error="请填写污染源编码，或统一社会信用代码（及污染源序号）。")
    return SiteReference(credit, site)


# Industry codes (R-FAC-2) ----------------------------------------------------------------------------
# GB/T 4754 writes a class with its section letter (C2641) and often its name after it ("C2641 涂料制造");
# the registry keeps the digits, which is what key industries match on.
INDUSTRY_CODE = re.compile(r"^\s*(?:[A-Ta-t]\s*)?(\d{2,4})(?:[\s　:：、,，].*)?$")


def normalise_industry_code(raw) -> str:
    """``C2641``, ``c 2641``, ``C2641 涂料制造`` and ``2641`` all read as ``2641`` (R-FAC-2). Text that is
    no industry code comes back stripped, for ``industry_code_error`` to name."""
    text = str(raw if raw is not None else "").strip()
    match = INDUSTRY_CODE.match(text)
    return match.group(1) if match else text


def industry_code_error(code: str) -> str | None:
    """What is wrong with a normalised industry code, or None: 2–4 digits of GB/T 4754."""
    if code.isdigit() and 2 <= len(code) <= 4:
        return None
    return f"行业类别代码“{code}”应为 2–4 位数字（国民经济行业分类，可带门类字母，如 C2641）。"


# R-FAC-2 (000 青环〔2023〕111号, 001 吉环执法字〔2023〕9号): the seed of the key-industry table, which the
# administrator extends. 221 纸浆制造 is listed with 造纸 because HJ 887 (造纸工业) covers pulping too.
KEY_INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("264", "涂料、油墨、颜料及类似产品制造", "000 青环〔2023〕111号"),
    ("336", "金属表面处理及热处理加工", "000 青环〔2023〕111号"),
    ("7724", "危险废物治理", "000 青环〔2023〕111号"),
    ("221", "纸浆制造", "001 吉环执法字〔2023〕9号（造纸）；HJ 887 涵盖制浆"),
    ("222", "造纸", "001 吉环执法字〔2023〕9号"),
    ("312", "炼钢", "001 吉环执法字〔2023〕9号"),
    ("441", "电力生产", "001 吉环执法字〔2023〕9号"),
    ("462", "污水处理及其再生利用", "001 吉环执法字〔2023〕9号"),
)


# Management levels agree (R-FAC-3) -------------------------------------------------------------------
LEVEL_LABELS = {"key": "重点管理", "simplified": "简化管理", "registered": "登记管理"}


def level_mismatch_error(permit_level: str, facility_level: str) -> str | None:
    """Why a permit of ``permit_level`` (``registered``: a 排污登记) cannot stand beside a facility of
    ``facility_level``, or None (R-FAC-3, 003 第六条: the facility's level agrees with its permit or
    registration; a mismatch is refused, never kept)."""
    if permit_level == facility_level:
        return None
    held = "排污登记" if permit_level == "registered" else "许可证"
    return (
        f"{held}管理类别（{LEVEL_LABELS.get(permit_level, permit_level)}）与排污单位管理类别"
        f"（{LEVEL_LABELS.get(facility_level, facility_level)}）不一致。"
    )


def level_mismatch_errors(permit_level: str, facility_level: str) -> dict[str, str]:
    """``level_mismatch_error`` as a form's errors: ``{"management_level": message}`` or ``{}``."""
    error = level_mismatch_error(permit_level, facility_level)
    return {"management_level": error} if error else {}
