"""A permit's life (R-PER-1, R-PER-2): its events, its state on any date, the days it did not cover,
the cases of unlicensed discharge, and the expiry warnings. Pure: plain values in, a value out."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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
