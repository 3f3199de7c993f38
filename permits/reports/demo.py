"""Demo execution reports for ``seed_demo`` (R-REP-1…4), after the demo registry (``permits.demo``):
the reports the demo permits owe since 1 January of last year, most received on time, some late, a
few missing (one past the grace period, so a lead for 执法大队), the latest ones partly not yet due;
reviews in every stage: one complete without problems, one with a notice awaiting its answer, one
answered and re-reviewed, one whose substantive exceedance went to 执法大队 at once, one under way with
a proposed exceedance; and a reproducible sample. Every write goes through the services, dated
relative to the demo's day, so that nothing that happened lies after it. Deterministic; idempotent
(nothing is done when reports exist)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from bureau.calendar import WorkCalendar
from bureau.models import User
from permits.models import Permit
from permits.reports import rules
from permits.reports.models import ExecutionReport, ReviewPart
from permits.reports.services import due, notices, receipts, reviews

CONTACT = "审批科 王审批 021-52500000"
# A concentration over the limit the demo registry sets for every permit's DA001 (颗粒物 20 mg/m³).
OVER_PARTICULATE = Decimal("26.4")


@dataclass
class Planned:
    """One report a demo permit owes, and how the demo files it (``received_on`` None: not filed)."""

    permit: Permit
    period: rules.Period
    due_on: date
    received_on: date | None
    is_over: bool = False
    version: object = field(default=None, repr=False)


def _people() -> dict[str, User]:
    names = ("approval", "ecology", "pollution", "approval_head", "ecology_head", "pollution_head")
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _workday_back(day: date, *, not_before: date | None = None) -> date:
    """The last working day on or before ``day``, but not before ``not_before`` (steps stay in order)."""
    work = WorkCalendar()
    found = day
    while not work.is_workday(found):
        found -= timedelta(days=1)
    return max(found, not_before) if not_before else found


def _received_on(permit_index: int, period: rules.Period, due_on: date, today: date) -> date:
    """When the demo's facility filed: mostly a few days before the due date, about one in seven late."""
    spread = (permit_index * 7 + period.number * 3 + period.year) % 14
    if spread == 0 or (spread == 9 and period.type == rules.MONTH):
        day = due_on + timedelta(days=3 + permit_index % 12)  # late
    else:
        day = due_on - timedelta(days=spread % 9)
    return min(max(day, period.end + timedelta(days=1)), today)


def _plan(today: date, policy: rules.DuePolicy) -> list[Planned]:
    """Every report the demo permits owe in the daily job's range, with its filing (R-REP-1)."""
    first = date(today.year - due.YEARS_BACK, 1, 1)
    permits = list(Permit.objects.prefetch_related("events", "outlets").order_by("pk"))
    monthly = [p for p in permits if p.report_frequency == "monthly"]
    # Missing reports: the second monthly permit's latest month past its due date (flagged late, within
    # the grace period) and the third's report of four months ago (past the grace period: a lead).
    missing_latest = monthly[1].pk if len(monthly) > 1 else None
    missing_old = monthly[2].pk if len(monthly) > 2 else None
    due_on = {p: due.due_date(p, policy).on for p in due.periods_to_make(today)}
    plan = []
    for index, permit in enumerate(permits):
        owed = [
            p for p in due.owed_periods_of(permit, ended_by=today - timedelta(days=1)) if p.start >= first
        ]
        past_due = [p for p in owed if due_on[p] < today and p.type == rules.MONTH]
        skip = set()
        if permit.pk == missing_latest and past_due:
            skip.add(past_due[-1])
        if permit.pk == missing_old and len(past_due) > 4:
            skip.add(past_due[-4])
        for period in owed:
            received = None if period in skip else _received_on(index, period, due_on[period], today)
            # Reports not yet due: about half have come in so far.
            if received is not None and due_on[period] >= today and (index + period.number) % 2:
                received = None
            plan.append(Planned(permit, period, due_on[period], received))
    return plan


def _emissions(item: Planned) -> list[receipts.Emission]:
    """实际排放情况 as the demo permits' outlets report it: under the limits, except where the demo wants
    an exceedance proposed (R-REP-2); annual reports carry the year's tonnes too."""
    codes = {o.code for o in item.permit.outlets.all()}
    is_year = item.period.type == rules.YEAR
    found = [
        receipts.Emission(
            "DA001", "颗粒物", concentration=OVER_PARTICULATE if item.is_over else Decimal("8.6")
        ),
        receipts.Emission(
            "DA001",
            "非甲烷总烃",
            concentration=Decimal("21.5"),
            quantity=Decimal("0.0800") if is_year else None,
        ),
    ]
    if "DW001" in codes:
        found.append(
            receipts.Emission(
                "DW001",
                "化学需氧量",
                concentration=Decimal("168"),
                quantity=Decimal("1.2000") if is_year else None,
            )
        )
    return [e for e in found if e.outlet in codes]


def _fill(part: ReviewPart, by: User, *, problems: tuple[str, ...] = ()) -> None:
    results = {
        p.code: (rules.PROBLEM if p.code in problems else rules.FINE, "")
        for p in rules.CHECK_POINTS[part.section_code]
    }
    reviews.fill_part(by=by, part=part, results=results, note="已按 003 第五条逐项审核。")


def _parts(review) -> dict[str, ReviewPart]:
    return {p.section_code: p for p in review.parts.all()}


def _sign_all(review, people, on: date) -> None:
    for code in rules.REVIEW_SECTIONS:
        part = _parts(review).get(code)
        if part is not None:
            reviews.sign_part(by=people[f"{code}_head"], part=part, today=on)


def _pick(plan: list[Planned], *, permit: Permit, by: date, used: set) -> Planned | None:
    """The latest monthly report of ``permit`` received by ``by`` and not yet used by another scenario."""
    found = [
        p
        for p in plan
        if p.permit.pk == permit.pk
        and p.period.type == rules.MONTH
        and p.received_on is not None
        and p.received_on <= by
        and (p.permit.pk, p.period) not in used
    ]
    return found[-1] if found else None


def _choose(plan: list[Planned], today: date) -> dict[str, Planned]:
    """The report each review scenario takes: a monthly permit still valid today, its latest month
    received before the review opens; the escalated and the under-way reviews' reports exceed a limit."""
    valid = [
        p.permit
        for p in plan
        if p.permit.report_frequency == "monthly" and p.permit.valid_until >= today and p.received_on
    ]
    permits = list(dict.fromkeys(valid))
    chosen, used = {}, set()
    for number, (name, (ago, _)) in enumerate(SCENARIOS.items()):
        if not permits:
            break
        permit = permits[(number * 2) % len(permits)]
        item = _pick(plan, permit=permit, by=today - timedelta(days=ago + 2), used=used)
        if item is not None:
            chosen[name] = item
            used.add((item.permit.pk, item.period))
    for name in ("escalated", "under_way"):
        if name in chosen:
            chosen[name].is_over = True
    return chosen


def _review(item: Planned, people, opened: date):
    return reviews.open_review(by=people["approval"], report=item.version.report, today=opened)


def _escalated(item: Planned, people, opened: date) -> None:
    """生态科 adopts the exceedance as substantive, which settles 污防科's copy; the notice sends it to
    执法大队 at once (R-REP-4)."""
    review = _review(item, people, opened)
    parts = _parts(review)
    _fill(parts["approval"], people["approval"])
    _fill(parts["ecology"], people["ecology"], problems=("actual_emissions",))
    reviews.decide_proposal(
        by=people["ecology"],
        problem=parts["ecology"].problems.get(),
        adopt=True,
        problem_class=rules.SUBSTANTIVE,
    )
    # 污防科's copy of the exceedance is settled by 生态科's adoption (one problem, one task).
    _fill(parts["pollution"], people["pollution"])
    signed = _workday_back(opened + timedelta(days=4), not_before=opened)
    _sign_all(review, people, signed)
    review.refresh_from_db()
    issued = _workday_back(signed + timedelta(days=1), not_before=signed)
    notices.issue_notice(
        by=people["approval"], review=review, issued_on=issued, today=issued, contact=CONTACT
    )


def _noticed(item: Planned, people, opened: date):
    """审批科 finds a field left blank, 污防科 an incomplete ledger; one notice tells both (R-REP-3)."""
    review = _review(item, people, opened)
    parts = _parts(review)
    _fill(parts["approval"], people["approval"], problems=("basic_information",))
    reviews.add_problem(
        by=people["approval"],
        part=parts["approval"],
        point="basic_information",
        description="排污单位基本信息表中法定代表人、技术负责人联系方式漏填。",
        problem_class=rules.PROCEDURAL,
    )
    _fill(parts["ecology"], people["ecology"])
    _fill(parts["pollution"], people["pollution"], problems=("ledger",))
    reviews.add_problem(
        by=people["pollution"],
        part=parts["pollution"],
        point="ledger",
        description="治理设施运行台账缺少活性炭更换记录。",
        problem_class=rules.PROCEDURAL,
    )
    signed = _workday_back(opened + timedelta(days=3), not_before=opened)
    _sign_all(review, people, signed)
    review.refresh_from_db()
    issued = _workday_back(signed + timedelta(days=1), not_before=signed)
    notice = notices.issue_notice(
        by=people["approval"], review=review, issued_on=issued, today=issued, time_limit_workdays=10
    )
    return notice


def _answered(item: Planned, people, opened: date) -> None:
    """The facility answers with a corrected report; each section closes its problem; the heads sign the
    re-review and the notice is closed (R-REP-3)."""
    notice = _noticed(item, people, opened)
    answered = _workday_back(notice.issued_on + timedelta(days=8), not_before=notice.issued_on)
    rereview = notices.record_answer(
        by=people["approval"],
        notice=notice,
        received_on=answered,
        today=answered,
        platform_ref=f"{item.version.platform_ref}-R1",
        note="企业补填基本信息并补充台账记录后重新提交。",
    )
    decided = _workday_back(answered + timedelta(days=3), not_before=answered)
    for problem in notice.problems.select_related("part"):
        notices.decide_problem(
            by=people[problem.part.section_code],
            problem=problem,
            is_fixed=True,
            reason="修改后的执行报告已补正。",
            today=decided,
        )
    _sign_all(rereview, people, decided)


def _clean(item: Planned, people, opened: date) -> None:
    review = _review(item, people, opened)
    for code, part in _parts(review).items():
        _fill(part, people[code])
    _sign_all(review, people, _workday_back(opened + timedelta(days=2), not_before=opened))


def _under_way(item: Planned, people, opened: date) -> None:
    """审批科 has filled its part; 生态科 and 污防科 still have the proposed exceedance to adopt or dismiss."""
    review = _review(item, people, opened)
    _fill(_parts(review)["approval"], people["approval"])


# Each review scenario: how many days before the demo's day its review opens, and what happens in it.
SCENARIOS = {
    "answered": (70, _answered),
    "escalated": (45, _escalated),
    "clean": (30, _clean),
    "noticed": (12, _noticed),
    "under_way": (4, _under_way),
}


def _sample(plan: list[Planned], people, today: date) -> None:
    months = sorted(
        {p.period for p in plan if p.period.type == rules.MONTH and p.received_on and p.received_on < today}
    )
    if months:
        drawn = _workday_back(today - timedelta(days=1))
        reviews.draw_review_sample(
            by=people["ecology"], period=months[-1], share=10, today=drawn, seed=20261130
        )


@transaction.atomic
def seed_reports(*, today: date) -> int:
    """Create the demo reports once (R-REP-1…4); returns how many reports there are (0 when present)."""
    if ExecutionReport.objects.exists() or not Permit.objects.exists():
        return 0
    people = _people()
    due.update_report_settings(by=people["approval"], contact=CONTACT)
    policy = due.due_policy()
    plan = _plan(today, policy)
    chosen = _choose(plan, today)
    for number, item in enumerate(plan):
        if item.received_on is None:
            continue
        item.version = receipts.record_receipt(
            by=people["approval"],
            permit=item.permit,
            period=item.period,
            received_on=item.received_on,
            today=today,
            platform_ref=f"ZXBG-{item.period.code}-{number:05d}",
            emissions=_emissions(item),
        )
    for name, item in chosen.items():
        ago, run = SCENARIOS[name]
        run(item, people, _workday_back(today - timedelta(days=ago), not_before=item.received_on))
    _sample(plan, people, today)
    # The daily job (R-REP-1, R-REP-4): the missing reports are made and flagged, the one past the grace
    # period becomes a lead, and 执法大队 gets its task.
    due.check_reports_due(today=today)
    return ExecutionReport.objects.count()
