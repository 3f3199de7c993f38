"""The feedback notice and its answer (R-REP-3; 003 第五条): every problem of one review goes to the
facility at once in one 排污许可执行报告问题反馈意见单 with the agreed time limit in working days; each
problem joins the rectification ledger; a substantive one goes to 执法大队 at once (R-REP-4). The
facility's answer is a new version of the report; the sections of the problems review it again and
close or keep open each of their problems, with the reason."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from bureau import calendar, history
from bureau.errors import Conflict
from bureau.models import User
from bureau.numbers import next_in_series
from permits.models import RectificationItem, RectificationSource
from permits.reports import rules
from permits.reports.models import (
    FeedbackNotice,
    NoticeState,
    ProblemStatus,
    ReportReview,
    ReviewProblem,
    ReviewState,
    VersionKind,
)
from permits.reports.services import leads
from permits.reports.services.common import SECTION_NAMES, require_approval, require_section
from permits.reports.services.due import report_settings
from permits.reports.services.receipts import add_version
from permits.reports.services.reviews import open_parts
from permits.services import rectification

SERIES = "report-feedback"


def notice_number(year: int, sequence: int) -> str:
    return f"执报反馈〔{year}〕{sequence:03d}号"


def _ledger_item(problem: ReviewProblem, notice: FeedbackNotice, by: User) -> RectificationItem:
    facility = notice.report.facility
    return rectification.open_rectification_item(
        by=by,
        facility=facility,
        source_kind=RectificationSource.REPORT_REVIEW,
        source_key=problem.source_key,
        source_label=f"{notice.number} · {SECTION_NAMES[problem.part.section_code]}「{problem.point_name}」",
        source_url=reverse("permits:feedback-notice", args=[notice.pk]),
        category=problem.problem_class,
        category_label=rules.PROBLEM_CLASS_NAMES[problem.problem_class],
        description=f"{notice.report.period.label}执行报告：{problem.description}",
        found_on=notice.issued_on,
        # The same working days from the same day as the notice: the same date, and recomputed with the
        # ledger's other items when the year is confirmed (R-CAL-1).
        deadline_workdays=notice.time_limit_workdays,
        responsible_person=facility.contact_person or facility.name,
        responsible_phone=facility.contact_phone,
    )


@transaction.atomic
def issue_notice(
    *,
    by: User,
    review: ReportReview,
    issued_on: date,
    today: date,
    time_limit_workdays: int | None = None,
    contact: str = "",
) -> FeedbackNotice:
    """R-REP-3: 审批科 issues the one feedback notice of a complete review, with every problem the
    sections adopted, the agreed time limit (working days, R-CAL-1; the bureau's default unless given)
    and the bureau's contact; it gets a gap-free number. Each problem joins the rectification ledger;
    each substantive one becomes a lead for 执法大队 at once (R-REP-4). Refused: a review not complete,
    a notice already issued, no problem to tell, a date in the future."""
    require_approval(by)
    review = (
        ReportReview.objects.select_for_update(of=("self",))
        .select_related("report__facility", "report__permit")
        .get(pk=review.pk)
    )
    if review.state != ReviewState.COMPLETE:
        raise ValidationError({"review": "三个科室的审核部分均签核后，才能出具反馈意见单。"})
    if FeedbackNotice.objects.filter(review=review).exists():
        raise Conflict("该审核已出具反馈意见单。")
    if review.answers_id is not None:
        raise ValidationError({"review": "复核轮次不另出具反馈意见单：未整改的问题在原意见单上保持待整改。"})
    problems = list(review.problems.filter(status=ProblemStatus.OPEN).select_related("part"))
    if not problems:
        raise ValidationError({"review": "本次审核未发现问题，无需出具反馈意见单。"})
    if issued_on > today:
        raise ValidationError({"issued_on": "反馈日期不能晚于今天。"})
    if issued_on < review.completed_on:
        raise ValidationError({"issued_on": "反馈日期不能早于审核完成日期。"})
    settings_row = report_settings()
    limit = time_limit_workdays if time_limit_workdays is not None else settings_row.feedback_workdays
    if not isinstance(limit, int) or not 1 <= limit <= 60:
        raise ValidationError({"time_limit_workdays": "整改时限应为 1 至 60 个工作日。"})
    contact = (contact or settings_row.contact).strip()
    if not contact:
        raise ValidationError({"contact": "请填写联系人及电话（可在执行报告设置中填写默认值）。"})
    due = calendar.deadline(issued_on, limit)
    notice = FeedbackNotice(
        number=notice_number(issued_on.year, next_in_series(SERIES, issued_on.year)),
        review=review,
        report=review.report,
        issued_on=issued_on,
        time_limit_workdays=limit,
        due_on=due.on,
        due_provisional=due.is_provisional,
        contact=contact[:100],
        issued_by=by,
    )
    history.save_checked(notice, by=by, reason="出具排污许可执行报告问题反馈意见单")
    for problem in problems:
        problem.notice = notice
        history.save(problem, by=by, reason=f"列入反馈意见单 {notice.number}")
        _ledger_item(problem, notice, by)
    for problem in problems:
        if rules.is_escalated_on(
            problem.problem_class, is_open=True, notice_due_on=notice.due_on, today=today
        ):
            leads.escalate_problem(problem=problem, today=today)
    return notice


@transaction.atomic
def record_answer(
    *,
    by: User,
    notice: FeedbackNotice,
    received_on: date,
    today: date,
    kind: str = VersionKind.CORRECTED,
    platform_ref: str = "",
    file=None,
    note: str = "",
    emissions=(),
) -> ReportReview:
    """R-REP-3: the facility's answer, a corrected report or supplementary material, is recorded as a new
    version of the report (never an edit), with the actual emissions a corrected report gives, and a
    re-review opens with a part for each section that has problems on the notice. 审批科 only; refused
    once answered, or with a date in the future or before the notice."""
    require_approval(by)
    notice = FeedbackNotice.objects.select_for_update().select_related("report__permit").get(pk=notice.pk)
    if notice.state != NoticeState.ISSUED:
        raise Conflict(f"反馈意见单 {notice.number} 已登记答复。")
    if kind not in (VersionKind.CORRECTED, VersionKind.SUPPLEMENT):
        raise ValidationError({"kind": "答复应为修改后的执行报告或补充说明材料。"})
    if received_on is None or received_on > today:
        raise ValidationError({"received_on": "答复日期不能晚于今天。"})
    if received_on < notice.issued_on:
        raise ValidationError({"received_on": "答复日期不能早于反馈日期。"})
    if not file and not platform_ref.strip():
        raise ValidationError({"file": "请上传答复文件或填写平台报告编号，以便复核时查阅答复内容。"})
    report = notice.report
    version = add_version(
        by=by,
        report=report,
        kind=kind,
        received_on=received_on,
        platform_ref=platform_ref,
        file=file,
        note=note,
        source="hand",
        emissions=list(emissions),
        answers_notice=notice,
    )
    notice.state = NoticeState.ANSWERED
    history.save(notice, by=by, reason="登记排污单位答复")
    review = history.save(
        ReportReview(
            report=report,
            version=version,
            round=report.reviews.count() + 1,
            answers=notice,
            opened_on=received_on,
            opened_by=by,
        ),
        by=by,
        reason=f"复核反馈意见单 {notice.number} 的答复",
    )
    codes = sorted(
        {p.part.section_code for p in notice.problems.select_related("part")}, key=rules.REVIEW_SECTIONS.index
    )
    open_parts(review, by, codes)
    return review


@transaction.atomic
def decide_problem(
    *, by: User, problem: ReviewProblem, is_fixed: bool, reason: str, today: date
) -> ReviewProblem:
    """R-REP-3: at re-review, the problem's own section closes it (整改到位) or keeps it open with the
    reason; it may change its mind until its head signs the part, which closes the ledger items of the
    problems found fixed (``reviews.sign_part``). A procedural problem kept open after
    the time limit goes to 执法大队 at once (R-REP-4). When every problem of the notice is decided, its
    heads sign their parts as in any review; the notice is closed when the re-review completes."""
    # Locked alone: PostgreSQL locks no row on the nullable side of the join to the notice.
    problem = (
        ReviewProblem.objects.select_for_update(of=("self",))
        .select_related("part", "notice")
        .get(pk=problem.pk)
    )
    require_section(by, problem.part.section_code)
    notice = problem.notice
    if notice is None or notice.state != NoticeState.ANSWERED:
        raise Conflict("排污单位答复后才能复核问题。")
    rereview = notice.rereviews.filter(state=ReviewState.OPEN).first()
    if rereview is None:
        raise Conflict("该反馈意见单的复核已完成。")
    # The part is locked as ``sign_part`` locks it, so a decision and the head's sign-off never cross.
    part = rereview.parts.select_for_update().get(section_code=problem.part.section_code)
    if part.is_signed:
        raise Conflict(f"{SECTION_NAMES[problem.part.section_code]}的复核部分已签核，不能再修改复核结论。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写复核意见（整改情况或未整改的理由）。"})
    problem.status = ProblemStatus.CLOSED if is_fixed else ProblemStatus.OPEN
    problem.decision_note, problem.decided_on, problem.decided_by = reason.strip()[:500], today, by
    history.save(problem, by=by, reason="复核：已整改" if is_fixed else "复核：未整改")
    if not is_fixed and rules.is_escalated_on(
        problem.problem_class, is_open=True, notice_due_on=notice.due_on, today=today
    ):
        leads.escalate_problem(problem=problem, today=today)
    return problem


def recompute_provisional_notice_deadlines(*, year: int, by: User | None) -> int:
    """R-CAL-1: once ``year`` is confirmed, the due date of every notice still awaiting its answer whose
    due date was provisional is counted again from its issue date; history says why. Returns how many."""
    work_calendar = calendar.WorkCalendar()
    count = 0
    pending = FeedbackNotice.objects.select_for_update().filter(
        state=NoticeState.ISSUED, due_provisional=True
    )
    for notice in pending.order_by("pk"):
        deadline = work_calendar.deadline(notice.issued_on, notice.time_limit_workdays)
        before = notice.due_on
        notice.due_on, notice.due_provisional = deadline.on, deadline.is_provisional
        history.save(notice, by=by, reason=calendar.recompute_reason(year, before, deadline))
        count += 1
    return count
