"""Drafting, reviewing and confirming the annual grading (R-GRD-1…5; 003 第四条, 附件2).

- ``start_draft``: 审批科 (or the January job) asks for the draft of a year that has ended; the
  grading row is made or reset at once and the work is queued (``queue(grading_id)``).
- ``draft``: the work itself (a Celery task calls it): the facts of every holder in a fixed number of
  queries, the rules, then the rows written in chunks with the progress on the grading row. Drafting
  again replaces the draft's rows in place: the work group's changes are kept and applied again.
- ``override``: a work-group member changes one grade with a written reason (a ``GradeOverride``).
- ``record_cap_exceedance``: the work group's reason for more 优秀 than places (R-GRD-4).
- ``confirm``: the 组长 locks the grading; it then proposes changes to the positive list (R-POS-1).
"""

import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from bureau import background, history, sections, todo
from bureau.access import Viewer
from bureau.errors import Conflict
from bureau.models import Section, User
from grading import rules
from grading.models import AnnualGrading, Duty, FacilityGrade, GradeOverride, GradingState
from grading.services import facts as facts_service
from grading.services import positive
from grading.services.workgroup import member_posts, require_leader, require_member

log = logging.getLogger(__name__)

DRAFTERS = frozenset({sections.APPROVAL})
CHUNK = 5000
STALE_AFTER = timedelta(minutes=15)
REVIEW_TODO = "grading-review:"
CONFIRMED = "该年度等级评定已确认并锁定，不能再修改。"


def grading_url(grading: AnnualGrading) -> str:
    return reverse("grading:grading-detail", args=[grading.year])


def may_draft(user) -> bool:
    return Viewer.of(user).in_sections(DRAFTERS)


def start_draft(
    *, year: int, by: User | None, queue: Callable[[int], object] | None = None, today: date | None = None
) -> AnnualGrading:
    """Make (or reset) the draft of ``year`` and queue its work. ``by`` None is the January job.
    Refused in Chinese for a year not ended, a confirmed year, or a draft already running."""
    today = today or timezone.localdate()
    if by is not None and not may_draft(by):
        raise PermissionDenied("等级评定由行政审批服务科起草。")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写评定年度，如 2025。"}) from None
    if message := rules.year_error(year, today_year=today.year):
        raise ValidationError({"year": message})
    with transaction.atomic():
        grading, _ = AnnualGrading.objects.select_for_update().get_or_create(year=year)
        if grading.is_confirmed:
            raise Conflict(f"{year} 年度等级评定已确认并锁定，不能重新起草。")
        running = grading.state == GradingState.DRAFTING and grading.task_id
        if running and grading.drafted_at and timezone.now() - grading.drafted_at < STALE_AFTER:
            raise Conflict(f"{year} 年度等级评定正在起草中，请稍候查看进度。")
        grading.state = GradingState.DRAFTING
        grading.done = 0
        grading.total = 0
        grading.error = ""
        grading.drafted_at = timezone.now()
        grading.drafted_by = by
        grading.draft_count += 1
        grading.task_id = "queued"
        history.save(grading, by=by, reason="起草年度等级评定" if grading.draft_count == 1 else "重新起草")
        if queue is not None:
            transaction.on_commit(lambda: _queue_draft(grading.pk, queue))
    return grading


def _queue_draft(grading_id: int, queue: Callable[[int], object]) -> None:
    """Queue the draft once its start is committed. A broker that cannot be reached fails the draft
    visibly (never 起草中 for ever; it may be started again at once) and raises ``QueueUnavailable``."""
    try:
        queue(grading_id)
    except Exception as exc:
        log.warning("grading %s: the draft could not be queued: %s", grading_id, exc)
        AnnualGrading.objects.filter(pk=grading_id, state=GradingState.DRAFTING, task_id="queued").update(
            state=GradingState.FAILED, task_id="", error="后台任务队列暂时不可用，未能开始起草；请稍后重新起草。"
        )
        raise background.QueueUnavailable(
            f"{background.QUEUE_DOWN}；未能开始起草，已记为失败，没有写入任何评定结果，请稍后重新起草。"
        ) from exc


def _final(rule_grade: str, rule_unqualified, override: str | None) -> str:
    """The grade after the work group's last change, unless the change is no longer allowed (a
    不合格 condition appeared since): then the rules' grade."""
    if override is None or _void(rule_unqualified, override):
        return rule_grade
    return override


def _void(rule_unqualified, override: str) -> bool:
    return bool(
        rules.override_error(
            rule_unqualified=rule_unqualified, to_grade=override, reason="-", condition=rules.U_OTHER
        )
    )


def draft(grading_id: int) -> AnnualGrading:
    """Compute and write the draft of one grading. Idempotent: run twice, it writes the same rows. A
    run that a newer ``start_draft`` overtook stops at its next batch and leaves the state alone."""
    grading = AnnualGrading.objects.get(pk=grading_id)
    if grading.is_confirmed:
        return grading
    try:
        return _draft(grading)
    except Exception as error:  # the row says what happened; the worker logs the trace
        log.exception("grading draft %s failed", grading.year)
        AnnualGrading.objects.filter(
            pk=grading.pk, state=GradingState.DRAFTING, draft_count=grading.draft_count
        ).update(state=GradingState.FAILED, error=f"起草失败：{type(error).__name__}"[:300])
        raise


def _is_current(grading: AnnualGrading) -> bool:
    return AnnualGrading.objects.filter(
        pk=grading.pk, draft_count=grading.draft_count, state=GradingState.DRAFTING
    ).exists()


def _draft(grading: AnnualGrading) -> AnnualGrading:
    loaded = facts_service.load_year(grading.year)
    holders = loaded.holders
    cap = rules.excellent_cap(len(holders))
    results = rules.grade_year(holders, cap=cap)
    AnnualGrading.objects.filter(pk=grading.pk, draft_count=grading.draft_count).update(total=len(results))
    existing = {
        facility_id: (pk, overridden)
        for pk, facility_id, overridden in FacilityGrade.every_row.filter(grading=grading)
        .order_by()
        .values_list("pk", "facility_id", "is_overridden")
    }
    last_override = dict(
        GradeOverride.objects.filter(facility_grade__grading=grading)
        .order_by("at", "id")
        .values_list("facility_grade_id", "to_grade")
    )
    by_id = {h.facility_id: h for h in holders}
    fields = [
        "rule_grade",
        "grade",
        "reasons",
        "unqualified_conditions",
        "excellent_conditions",
        "rank",
        "record",
        "is_holder",
    ]
    for start in range(0, len(results), CHUNK):
        if not _is_current(grading):
            return grading  # overtaken by a newer draft, which writes the rows
        rows = [
            _row(grading, result, by_id, existing, last_override) for result in results[start : start + CHUNK]
        ]
        with transaction.atomic():
            # One upsert per batch: a holder's row of an earlier draft is updated in place (its id, and
            # so its overrides, kept); ``bulk_update``'s CASE per row and field took minutes at 100,000.
            FacilityGrade.every_row.bulk_create(
                rows,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["grading", "facility"],
                update_fields=fields,
            )
            AnnualGrading.objects.filter(pk=grading.pk).update(done=start + len(rows))
    with transaction.atomic():
        run = grading.draft_count
        grading = AnnualGrading.objects.select_for_update().get(pk=grading.pk)
        if grading.draft_count != run or grading.state != GradingState.DRAFTING:
            return grading
        # Holders no more (a permit corrected since): their rows go, or are set aside when the work
        # group changed them (their changes are kept).
        gone = FacilityGrade.every_row.filter(grading=grading).exclude(facility_id__in=list(by_id))
        gone.filter(is_overridden=False).delete()
        gone.update(is_holder=False)
        grading.state = GradingState.DRAFT
        grading.task_id = ""
        grading.holders = grading.total = grading.done = len(results)
        grading.cap = cap
        history.save(grading, by=None, reason=f"起草完成：参评 {grading.holders} 家，优秀名额 {cap} 个")
        _review_todo(grading)
    return grading


def _row(grading, result: rules.Result, by_id, existing, last_override) -> FacilityGrade:
    pk, overridden = existing.get(result.facility_id, (None, False))
    reasons = [r.as_dict() for r in result.reasons]
    override = last_override.get(pk)
    if override is not None and _void(result.unqualified, override):
        label = rules.GRADE_LABELS[override]
        reasons.append(
            rules.Reason(
                "override-void", f"工作组此前调整为“{label}”，因存在“不合格”情形不再适用（附件2 三）。"
            ).as_dict()
        )
    return FacilityGrade(
        grading_id=grading.pk,
        facility_id=result.facility_id,
        rule_grade=result.grade,
        grade=_final(result.grade, result.unqualified, override),
        reasons=reasons,
        unqualified_conditions=",".join(result.unqualified),
        excellent_conditions=",".join(result.excellent),
        rank=result.rank,
        record=by_id[result.facility_id].record.as_dict(),
        is_overridden=overridden,
        is_holder=True,
    )


def _review_todo(grading: AnnualGrading) -> None:
    """The draft waits for the work group: on the 组长's list (who confirms) and 审批科's (who
    coordinates and drafts), one item each."""
    leader = member_posts().filter(duty=Duty.LEADER).first()
    if leader is not None:
        todo.add_todo(
            key=f"{REVIEW_TODO}{grading.year}:leader",
            title=f"{grading.year} 年度持证单位等级评定待工作组审核、组长确认",
            url=grading_url(grading),
            user=leader.holder.user,
        )
    todo.add_todo(
        key=f"{REVIEW_TODO}{grading.year}",
        title=f"{grading.year} 年度持证单位等级评定待工作组审核确认",
        url=grading_url(grading),
        section=Section.objects.get(code=sections.APPROVAL),
    )


def _changed_since_draft(grading: AnnualGrading) -> int:
    """How many holders the rules now grade otherwise than the draft did (or who joined or left the
    year's holders): the 组长 confirms what the facts say on the day."""
    holders = facts_service.load_year(grading.year).holders
    now = {
        r.facility_id: (r.grade, ",".join(r.unqualified), ",".join(r.excellent))
        for r in rules.grade_year(holders, cap=rules.excellent_cap(len(holders)))
    }
    drafted = {
        facility_id: values
        for facility_id, *values in FacilityGrade.objects.filter(grading=grading)
        .order_by()
        .values_list("facility_id", "rule_grade", "unqualified_conditions", "excellent_conditions")
    }
    return sum(
        1
        for pk in now.keys() | drafted.keys()
        if now.get(pk) != (tuple(drafted[pk]) if pk in drafted else None)
    )


def _require_draft(grading: AnnualGrading) -> None:
    if grading.is_confirmed:
        raise Conflict(CONFIRMED)
    if grading.state != GradingState.DRAFT:
        raise Conflict("评定草稿尚未起草完成，请稍候。")


def counts(grading: AnnualGrading) -> dict[str, int]:
    """Holders per final grade, one query."""
    found = dict(
        FacilityGrade.objects.filter(grading=grading).values_list("grade").annotate(n=Count("id")).order_by()
    )
    return {grade: found.get(grade, 0) for grade in rules.GRADE_ORDER}


@transaction.atomic
def override(
    *, by: User, grade: FacilityGrade, to_grade: str, reason: str, condition: str = ""
) -> GradeOverride:
    """A work-group member changes one grade with a written reason (R-GRD-5); the cap (R-GRD-4) holds
    unless the work group recorded a reason to exceed it."""
    post = require_member(by)
    grading = AnnualGrading.objects.select_for_update().get(pk=grade.grading_id)
    _require_draft(grading)
    grade = FacilityGrade.objects.select_for_update().get(pk=grade.pk)
    unqualified = [c for c in grade.unqualified_conditions.split(",") if c]
    if not (reason or "").strip():
        raise ValidationError({"reason": "调整评定等级必须填写书面理由。"})
    condition = (condition or "").strip() if to_grade == rules.UNQUALIFIED and not unqualified else ""
    if message := rules.override_error(
        rule_unqualified=unqualified, to_grade=to_grade, reason=reason, condition=condition
    ):
        raise ValidationError({"condition" if "须指明" in message else "to_grade": message})
    if to_grade == grade.grade:
        raise ValidationError({"to_grade": f"该单位的评定等级已是“{rules.GRADE_LABELS[to_grade]}”。"})
    if to_grade == rules.EXCELLENT:
        excellent = counts(grading)[rules.EXCELLENT] + 1
        if message := rules.cap_error(
            excellent=excellent, cap=grading.cap, exceeded_reason=grading.cap_exceeded_reason
        ):
            raise ValidationError({"to_grade": message})
    change = GradeOverride(
        facility_grade=grade,
        from_grade=grade.grade,
        to_grade=to_grade,
        condition=condition,
        reason=reason.strip(),
        post=str(post),
        by=by,
    )
    history.save_checked(change, by=by, reason="工作组调整评定等级")
    grade.grade = to_grade
    grade.is_overridden = True
    grade.save(update_fields=["grade", "is_overridden"])
    return change


@transaction.atomic
def record_cap_exceedance(*, by: User, grading: AnnualGrading, reason: str) -> AnnualGrading:
    """The work group's recorded reason for more 优秀 than 10% (R-GRD-4: "一般不超过"), shown on the
    result. An empty reason withdraws it, which the cap then checks again."""
    require_member(by)
    grading = AnnualGrading.objects.select_for_update().get(pk=grading.pk)
    _require_draft(grading)
    reason = (reason or "").strip()
    if not reason and counts(grading)[rules.EXCELLENT] > grading.cap:
        raise ValidationError({"reason": "“优秀”单位已超过名额，不能撤回超出理由；请先调整等级。"})
    grading.cap_exceeded_reason = reason
    grading.cap_exceeded_by = by if reason else None
    grading.cap_exceeded_at = timezone.now() if reason else None
    return history.save_checked(
        grading, by=by, reason="记录超出优秀名额的理由" if reason else "撤回超出名额理由"
    )


@transaction.atomic
def confirm(*, by: User, grading: AnnualGrading, today: date | None = None) -> AnnualGrading:
    """The 组长 confirms; the grading is locked from then on and proposes positive-list changes."""
    require_leader(by)
    grading = AnnualGrading.objects.select_for_update().get(pk=grading.pk)
    _require_draft(grading)
    if changed := _changed_since_draft(grading):
        raise Conflict(
            f"起草后事实已有变化：{changed} 家单位的规则评定或所依据的情形与草稿不同（如新登记的行政处罚、"
            "新记录或撤回的事实）。请重新起草后再确认；工作组已作的调整会保留。"
        )
    excellent = counts(grading)[rules.EXCELLENT]
    if message := rules.cap_error(
        excellent=excellent, cap=grading.cap, exceeded_reason=grading.cap_exceeded_reason
    ):
        raise ValidationError(message)
    grading.state = GradingState.CONFIRMED
    grading.confirmed_by = by
    grading.confirmed_at = timezone.now()
    history.save(grading, by=by, reason="组长确认等级评定结果")
    todo.complete_todo(key=f"{REVIEW_TODO}{grading.year}", by=by)
    todo.complete_todo(key=f"{REVIEW_TODO}{grading.year}:leader", by=by)
    positive.propose_from(grading, today=today or timezone.localdate())
    return grading
