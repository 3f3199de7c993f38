"""The review by section (R-REP-2; 003 第五条): 审批科 opens a review of a received report; it has one
part per section with exactly the check points the text gives that section; each section fills only
its own part and its head signs it off; the review is complete when all three have. The reported
emissions are compared with the permit's limits when the review opens, and each exceedance is
proposed as a problem to 生态科's and 污防科's parts, with the figures. A section may draw a reproducible
random sample of a period's reports for content review."""

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bureau import history
from bureau.access import section_code
from bureau.errors import Conflict
from bureau.models import Section, User
from permits.models import EmissionLimit, RectificationItem
from permits.reports import rules
from permits.reports.models import (
    ExecutionReport,
    FeedbackNotice,
    NoticeState,
    PartResult,
    ProblemClass,
    ProblemStatus,
    ReportReview,
    ReviewPart,
    ReviewProblem,
    ReviewSample,
    ReviewState,
)
from permits.reports.services.common import SECTION_NAMES, require_approval, require_section
from permits.services import rectification


def _lock_review(review: ReportReview) -> ReportReview:
    return ReportReview.objects.select_for_update().get(pk=review.pk)


def _lock_part(part: ReviewPart, *, rereview: bool = False) -> ReviewPart:
    """The part, locked, of a review under way; a re-review's part only where ``rereview`` (it decides
    the notice's problems and is signed, nothing else)."""
    part = ReviewPart.objects.select_for_update().select_related("review", "section").get(pk=part.pk)
    if part.review.state != ReviewState.OPEN:
        raise Conflict("该审核已完成，不能再修改。")
    if part.review.answers_id is not None and not rereview:
        raise Conflict("复核只对反馈意见单上的问题逐条作出结论并签核，不再填写检查要点或登记新问题。")
    return part


def emission_exceedances(emission, limit, period_type: str) -> list[rules.Exceedance]:
    """R-REP-2: one reported emission against the permit's limit for its outlet and pollutant (none
    when the permit sets no limit there). The review proposes them; the report page marks them."""
    if limit is None:
        return []
    return rules.exceedances(
        outlet=emission.outlet.code,
        pollutant=emission.pollutant,
        concentration=emission.concentration,
        quantity=emission.quantity,
        limit_concentration=limit.concentration,
        limit_unit=limit.unit,
        limit_annual_quantity=limit.annual_quantity,
        period_type=period_type,
    )


def proposed_exceedances(report: ExecutionReport, version) -> list[rules.Exceedance]:
    """R-REP-2: every reported emission of ``version`` over the permit's limit for that outlet and
    pollutant (two queries)."""
    limits = {
        (limit.outlet_id, limit.pollutant): limit
        for limit in EmissionLimit.objects.filter(outlet__permit_id=report.permit_id)
    }
    found = []
    for emission in version.emissions.select_related("outlet"):
        limit = limits.get((emission.outlet_id, emission.pollutant))
        found += emission_exceedances(emission, limit, report.period_type)
    return found


def open_parts(review: ReportReview, by: User, codes) -> dict[str, ReviewPart]:
    """One part per section of ``codes`` for ``review`` (for ``open_review`` and a re-review)."""
    sections = {s.code: s for s in Section.objects.filter(code__in=codes)}
    return {
        code: history.save(
            ReviewPart(review=review, section=sections[code], section_code=code), by=by, reason="开启审核部分"
        )
        for code in codes
    }


@transaction.atomic
def open_review(
    *, by: User, report: ExecutionReport, today: date, sample: ReviewSample | None = None
) -> ReportReview:
    """R-REP-2: 审批科 opens a review of the latest version of a received report, with its three parts,
    and each exceedance of the permit's limits proposed to 生态科's and 污防科's parts. Refused when
    nothing has been received, a review is already under way, or a notice awaits its answer."""
    require_approval(by)
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if report.version_count == 0:
        raise ValidationError({"report": f"{report.period.label}执行报告尚未收到，不能审核。"})
    if report.reviews.filter(state=ReviewState.OPEN).exists():
        raise Conflict(f"{report.period.label}执行报告已有进行中的审核。")
    if report.notices.exclude(state="closed").exists():
        raise Conflict("该报告的反馈意见单尚未复核完毕，请在意见单页面复核排污单位的答复。")
    version = report.versions.order_by("-number").first()
    rounds = report.reviews.count()
    review = history.save(
        ReportReview(
            report=report, version=version, round=rounds + 1, opened_on=today, opened_by=by, sample=sample
        ),
        by=by,
        reason="发起执行报告审核",
    )
    parts = open_parts(review, by, rules.REVIEW_SECTIONS)
    for exceedance in proposed_exceedances(report, version):
        for code in rules.EMISSIONS_SECTIONS:
            history.save(
                ReviewProblem(
                    review=review,
                    part=parts[code],
                    point=rules.EMISSIONS_POINT,
                    description=f"实际排放超过许可限值：{exceedance.text}。",
                    figures=exceedance.text,
                    problem_class=ProblemClass.SUBSTANTIVE,
                    status=ProblemStatus.PROPOSED,
                ),
                by=None,
                reason="实际排放与许可限值比对（系统提示）",
            )
    return review


def open_reviews(
    *, by: User, reports: list[ExecutionReport], today: date, sample: ReviewSample | None = None
) -> tuple[list[ReportReview], list[str]]:
    """Open a review of each report of a chosen set (R-REP-2), each in its own transaction; returns the
    reviews opened and, for each report skipped, why. The reviews of a sample's reports name it."""
    require_approval(by)
    opened, skipped = [], []
    for report in reports:
        try:
            opened.append(open_review(by=by, report=report, today=today, sample=sample))
        except (ValidationError, Conflict) as error:
            message = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            skipped.append(f"{report.permit.number} {report.period.label}：{message}")
    return opened, skipped


@transaction.atomic
def fill_part(
    *, by: User, part: ReviewPart, results: dict[str, tuple[str, str]], note: str = ""
) -> ReviewPart:
    """R-REP-2: a section records its check-point results (point code → (result, note)) and its opinion.
    Only the part's own section; not once signed. Points not given keep what they had; an unknown point
    or result is refused."""
    part = _lock_part(part)
    require_section(by, part.section_code)
    if part.is_signed:
        raise Conflict(f"{SECTION_NAMES[part.section_code]}的审核部分已签核，不能再修改。")
    valid = {p.code for p in rules.CHECK_POINTS[part.section_code]}
    errors = {}
    for code, (result, _) in results.items():
        if code not in valid:
            errors[code] = "这一检查要点不属于本科室的审核部分。"
        elif result not in rules.RESULT_NAMES:
            errors[code] = "请选择无问题、存在问题或不涉及。"
    if errors:
        raise ValidationError(errors)
    existing = {r.point: r for r in part.results.all()}
    for code, (result, point_note) in results.items():
        row = existing.get(code) or PartResult(part=part, point=code)
        if row.pk and row.result == result and row.note == point_note.strip()[:500]:
            continue
        row.result, row.note = result, point_note.strip()[:500]
        history.save(row, by=by, reason="填写检查要点结果")
    part.note, part.filled_by, part.filled_at = note.strip(), by, timezone.now()
    history.save(part, by=by, reason="填写审核部分")
    return part


def _problem_class(value: str) -> str:
    if value not in ProblemClass.values:
        raise ValidationError({"problem_class": "请选择问题性质：程序性问题或实质性问题。"})
    return value


@transaction.atomic
def add_problem(
    *, by: User, part: ReviewPart, point: str, description: str, problem_class: str
) -> ReviewProblem:
    """R-REP-2, R-REP-4: a section writes down a problem under one of its own check points and classes it
    (procedural: 漏填、错填; substantive: the rest). The point is marked 存在问题."""
    part = _lock_part(part)
    require_section(by, part.section_code)
    if part.is_signed:
        raise Conflict(f"{SECTION_NAMES[part.section_code]}的审核部分已签核，不能再添加问题。")
    try:
        rules.check_point(part.section_code, point)
    except ValueError as error:
        raise ValidationError({"point": str(error)}) from None
    if not description.strip():
        raise ValidationError({"description": "请填写问题描述。"})
    problem = ReviewProblem(
        review=part.review,
        part=part,
        point=point,
        description=description.strip(),
        problem_class=_problem_class(problem_class),
        status=ProblemStatus.OPEN,
        recorded_by=by,
    )
    history.save_checked(problem, by=by, reason="登记执行报告问题")
    result = part.results.filter(point=point).first() or PartResult(part=part, point=point)
    if result.result != rules.PROBLEM:
        result.result = rules.PROBLEM
        history.save(result, by=by, reason="登记问题")
    return problem


@transaction.atomic
def decide_proposal(
    *, by: User, problem: ReviewProblem, adopt: bool, problem_class: str = "", reason: str = ""
) -> ReviewProblem:
    """R-REP-2: the section adopts a proposed exceedance as its problem (classing it) or dismisses it
    with a reason (e.g. the figure is an hourly peak the standard allows)."""
    problem = ReviewProblem.objects.select_for_update().select_related("part").get(pk=problem.pk)
    part = _lock_part(problem.part)
    require_section(by, part.section_code)
    if problem.status != ProblemStatus.PROPOSED:
        raise Conflict("该提示已处理。")
    if part.is_signed:
        raise Conflict("该审核部分已签核。")
    if adopt:
        _settle_twin(problem, by=by)
        problem.status = ProblemStatus.OPEN
        problem.problem_class = _problem_class(problem_class or problem.problem_class)
        problem.recorded_by = by
        result = part.results.filter(point=problem.point).first() or PartResult(
            part=part, point=problem.point
        )
        if result.result != rules.PROBLEM:
            result.result = rules.PROBLEM
            history.save(result, by=by, reason="采纳超标提示")
    else:
        if not reason.strip():
            raise ValidationError({"reason": "不予采纳须说明理由。"})
        problem.status, problem.decision_note = ProblemStatus.DISMISSED, reason.strip()[:500]
    problem.decided_by = by
    return history.save(problem, by=by, reason="采纳超标提示" if adopt else "不予采纳超标提示")


def _settle_twin(problem: ReviewProblem, *, by: User) -> None:
    """An exceedance is proposed to both emissions parts (R-REP-2); once one section adopts it, the
    other's proposal of the same figures is settled as already adopted, so the notice, the ledger and
    执法大队 get the problem once."""
    twins = (
        ReviewProblem.objects.select_for_update()
        .filter(review_id=problem.review_id, status=ProblemStatus.PROPOSED, figures=problem.figures)
        .exclude(pk=problem.pk)
    )
    for twin in twins:
        twin.status = ProblemStatus.DISMISSED
        twin.decision_note = f"已由{SECTION_NAMES[problem.part.section_code]}采纳为问题，不重复列入"
        twin.decided_by = by
        history.save(twin, by=by, reason="同一超标提示已由另一科室采纳")


def part_gaps(part: ReviewPart) -> list[str]:
    """What keeps ``part`` from being signed off, in words (R-REP-2); empty when it may be."""
    results = {r.point: r.result for r in part.results.all()}
    problems = [p for p in part.problems.all() if p.status == ProblemStatus.OPEN]
    by_point = {}
    for problem in problems:
        by_point[problem.point] = by_point.get(problem.point, 0) + 1
    gaps = rules.part_gaps(part.section_code, results, by_point)
    pending = sum(1 for p in part.problems.all() if p.status == ProblemStatus.PROPOSED)
    if pending:
        gaps.append(f"有 {pending} 条超标提示尚未采纳或不予采纳")
    return gaps


@transaction.atomic
def sign_part(*, by: User, part: ReviewPart, today: date) -> ReviewPart:
    """R-REP-2: the head of the part's section signs it off once every check point has its result; when
    all three parts are signed the review is complete. A head of another section is refused."""
    part = _lock_part(part, rereview=True)
    require_section(by, part.section_code, head=True)
    if part.is_signed:
        raise Conflict(f"{SECTION_NAMES[part.section_code]}的审核部分已于 {part.signed_on:%Y-%m-%d} 签核。")
    is_rereview = part.review.answers_id is not None
    if gaps := (rereview_gaps(part) if is_rereview else part_gaps(part)):
        raise ValidationError({"part": "不能签核：" + "；".join(gaps) + "。"})
    part.signed_by, part.signed_on = by, today
    history.save(part, by=by, reason="负责人签核复核" if is_rereview else "负责人签核")
    if is_rereview:
        _close_fixed_items(part, by=by, today=today)
    review = _lock_review(part.review)
    if not review.parts.filter(signed_on__isnull=True).exists():
        review.state, review.completed_on = ReviewState.COMPLETE, today
        history.save(review, by=by, reason="复核完成" if is_rereview else "三个科室均已签核，审核完成")
        if is_rereview:
            notice = FeedbackNotice.objects.select_for_update().get(pk=review.answers_id)
            notice.state = NoticeState.CLOSED
            history.save(notice, by=by, reason="复核完毕")
    return part


def _close_fixed_items(part: ReviewPart, *, by: User, today: date) -> None:
    """R-REP-3 with R-PER-3: once a section's head signs its re-review, the ledger items of its problems
    found fixed are closed, with the decision as evidence."""
    fixed = ReviewProblem.objects.filter(
        notice_id=part.review.answers_id, part__section_code=part.section_code, status=ProblemStatus.CLOSED
    ).select_related("notice")
    for problem in fixed:
        item = RectificationItem.objects.filter(source_key=problem.source_key, closed_on__isnull=True).first()
        if item is not None:
            rectification.close_item_from_source(
                by=by,
                item=item,
                closed_on=today,
                evidence=f"复核意见：{problem.decision_note}（{problem.notice.number} 答复）",
            )


def rereview_gaps(part: ReviewPart) -> list[str]:
    """R-REP-3: what keeps a section's part of a re-review from being signed: a problem of that section
    on the notice not yet closed or kept open with a reason."""
    pending = ReviewProblem.objects.filter(
        notice_id=part.review.answers_id, part__section_code=part.section_code, decided_on__isnull=True
    ).select_related("part")
    return [f"「{p.point_name}」的问题尚未复核" for p in pending]


def _share(value) -> Decimal:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"share": "抽查比例应为数字，例如 10 表示 10%。"}) from None
    if not Decimal(0) < share <= Decimal(100):
        raise ValidationError({"share": "抽查比例须大于 0 且不超过 100%。"})
    return share


@transaction.atomic
def draw_review_sample(
    *, by: User, period: rules.Period, share, today: date, seed: int | None = None
) -> ReviewSample:
    """R-REP-2: a reviewer of 审批科, 生态科 or 污防科 draws a reproducible random sample of ``period``'s
    received reports for content review, at the share the section sets. The seed (random unless given)
    and the reports drawn are kept; ``rules.draw_sample`` over the same population and seed gives the
    same reports."""
    code = section_code(by)
    if code not in rules.REVIEW_SECTIONS:
        raise ValidationError({"section": "执行报告抽查由审批科、生态科、污防科办理。"})
    share = _share(share)
    population = list(
        ExecutionReport.objects.filter(
            period_type=period.type, period_start=period.start, received_on__isnull=False
        ).values_list("pk", flat=True)
    )
    if not population:
        raise ValidationError({"period": f"{period.label}尚无已收到的执行报告，无从抽查。"})
    seed = secrets.randbits(48) if seed is None else int(seed)
    chosen = rules.draw_sample(population, share, seed)
    sample = history.save(
        ReviewSample(
            section_id=by.staff.section_id,
            period_type=period.type,
            period_start=period.start,
            share=share,
            seed=seed,
            population=len(population),
            population_ids=sorted(population),
            drawn_on=today,
            drawn_by=by,
        ),
        by=by,
        reason=f"随机抽取{period.label}执行报告",
    )
    sample.reports.set(chosen)
    return sample
