"""The review screen (R-REP-2; 003 第五条): 审批科 opens a review of one report or of a chosen set; the
screen shows the three parts (审批科, 生态科, 污防科) with their check points, problems and proposed
exceedances; each section fills only its own part and its head alone signs it; when the review is
complete and has problems, 审批科 issues the one feedback notice (R-REP-3). At re-review each section
closes or keeps open its problems of the notice.

Every step is one form posted to the screen with its ``action``; the services decide who may take it
(a POST by another section gets the 403 page with the Chinese refusal and writes nothing), and
``bureau.web.submit_step`` turns their answer into the page again or a redirect."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import section_required, staff_of
from bureau.errors import Conflict
from bureau.models import Role
from bureau.web import submit_step
from permits.reports import queries, rules
from permits.reports.models import ProblemStatus, ReviewState
from permits.reports.services import notices, reviews
from permits.reports.services.common import SECTION_NAMES, may_approve, require_approval, require_section
from permits.reports.services.due import report_settings
from permits.reports.views import REPORT_SECTIONS
from permits.reports.views.review_forms import (
    NoticeIssueForm,
    PartFillForm,
    ProblemDecisionForm,
    ProblemForm,
    ProposalForm,
)

# Opening reviews ------------------------------------------------------------------------------------------


def _error_text(error: ValidationError | Conflict) -> str:
    return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)


@section_required(*REPORT_SECTIONS)
@require_POST
def review_open(request, pk):
    """发起审核 of one received report (R-REP-2), by 审批科; then the review screen."""
    report = queries.report_for_user(request.user, pk)
    try:
        review = reviews.open_review(by=request.user, report=report, today=timezone.localdate())
    except (ValidationError, Conflict) as error:
        messages.error(request, _error_text(error))
        return redirect("permits:report-detail", report.pk)
    messages.success(request, f"已发起{report.period.label}执行报告的第{review.round}轮审核。")
    return redirect("permits:review-detail", review.pk)


@section_required(*REPORT_SECTIONS)
@require_POST
def reviews_open_many(request):
    """发起审核 of every report ticked on the board (R-REP-2): each opened on its own, the rest named with
    the reason they were skipped; back to the board."""
    require_approval(request.user)
    ids = [value for value in request.POST.getlist("report") if value.isdigit()]
    reports = list(queries.visible_reports(request.user).filter(pk__in=ids).select_related("permit"))
    if not reports:
        messages.error(request, "请先勾选要审核的执行报告。")
    else:
        opened, skipped = reviews.open_reviews(by=request.user, reports=reports, today=timezone.localdate())
        if opened:
            messages.success(request, f"已发起 {len(opened)} 份执行报告的审核。")
        for reason in skipped:
            messages.warning(request, f"未发起：{reason}")
    back = request.POST.get("next", "")
    board = reverse("permits:report-board")
    return redirect(back if back.startswith(board) else board)


# The screen -----------------------------------------------------------------------------------------------


def _panels(request, review, notice_problems, bound: dict) -> list[dict]:
    """Each part as the screen shows it: its check points with results, its problems, what keeps it
    from being signed, and the forms ``request.user`` may use on it (none for another section)."""
    staff = staff_of(request.user)
    mine = staff.section.code if staff else None
    is_head = staff is not None and staff.role == Role.HEAD
    is_open = review.state == ReviewState.OPEN
    rereview = review.answers_id is not None
    panels = []
    for part in review.parts.all():
        code = part.section_code
        own = is_open and code == mine and not part.is_signed
        results = {r.point: r for r in part.results.all()}
        problems = list(part.problems.all())
        panel = {
            "part": part,
            "name": SECTION_NAMES[code],
            "is_mine": code == mine,
            "points": [(p, results.get(p.code)) for p in rules.CHECK_POINTS[code]],
            "problems": [p for p in problems if p.status in (ProblemStatus.OPEN, ProblemStatus.CLOSED)],
            "proposed": [p for p in problems if p.status == ProblemStatus.PROPOSED],
            "dismissed": [p for p in problems if p.status == ProblemStatus.DISMISSED],
            "may_sign": own and is_head,
            "sign_form": bound.get(("sign", code)),
        }
        if rereview:
            answered = [p for p in notice_problems if p.part.section_code == code]
            panel["notice_problems"] = [
                (
                    p,
                    (bound.get(("decide", p.pk)) or ProblemDecisionForm(initial={"problem": p.pk}))
                    if own
                    else None,
                )
                for p in answered
            ]
            panel["gaps"] = [f"「{p.point_name}」的问题尚未复核" for p in answered if p.decided_on is None]
        else:
            panel["gaps"] = reviews.part_gaps(part) if not part.is_signed else []
            if own:
                panel["fill_form"] = bound.get(("fill", code)) or PartFillForm(part=part)
                panel["problem_form"] = bound.get(("problem", code)) or ProblemForm(part=part)
                panel["proposal_forms"] = {
                    p.pk: bound.get(("proposal", p.pk))
                    or ProposalForm(initial={"problem": p.pk, "adopt": "1"})
                    for p in panel["proposed"]
                }
        panels.append(panel)
    return panels


def _may_issue(user, review, notice) -> bool:
    """审批科 issues the notice of a complete first-round review with problems and none issued yet."""
    return (
        may_approve(user)
        and review.state == ReviewState.COMPLETE
        and review.answers_id is None
        and notice is None
        and any(p.status == ProblemStatus.OPEN for part in review.parts.all() for p in part.problems.all())
    )


def _render(request, review, *, bound=None, status=200, alert=""):
    bound = bound or {}
    notice = getattr(review, "notice", None)
    answered = queries.notice_problems(review.answers) if review.answers_id else []
    issue_form = None
    if _may_issue(request.user, review, notice):
        issue_form = bound.get(("issue",)) or NoticeIssueForm(defaults=report_settings())
    context = {
        "review": review,
        "report": review.report,
        "notice": notice,
        "panels": _panels(request, review, answered, bound),
        "issue_form": issue_form,
        "alert": alert,
    }
    return render(request, "permits/reports/review.html", context, status=status)


@section_required(*REPORT_SECTIONS)
def review_detail(request, pk):
    """The review screen (R-REP-2): read by every section and the towns (their own facilities); the
    steps are posted here with their ``action``."""
    review = queries.review_screen(request.user, pk)
    if request.method != "POST":
        return _render(request, review)
    action = request.POST.get("action", "")
    step = STEPS.get(action)
    if step is None:
        raise Http404("未知的操作。")
    return step(request, review)


def _part(review, code: str):
    part = next((p for p in review.parts.all() if p.section_code == code), None)
    if part is None:
        raise Http404("该审核没有这一科室的部分。")
    return part


def _problem(problems, pk):
    found = next((p for p in problems if str(p.pk) == str(pk)), None)
    if found is None:
        raise Http404("该审核没有这一问题。")
    return found


def _submit(request, review, form, key, *, call, check, anchor=""):
    """Run one step through ``submit_step``: back to the screen (at ``anchor``) on success; the screen
    again with the bound form on 400 and 409 (reread on 409, someone else changed it), without on 403."""

    def render_again(*, form, status, alert):
        current = review if status == 400 else queries.review_screen(request.user, review.pk)
        return _render(
            request, current, bound={key: form} if form is not None else None, status=status, alert=alert
        )

    url = reverse("permits:review-detail", args=[review.pk]) + (f"#{anchor}" if anchor else "")
    return submit_step(request, form, call=call, check=check, render_again=render_again, success_url=url)


def _fill(request, review):
    part = _part(review, request.POST.get("part", ""))
    form = PartFillForm(request.POST, part=part)

    def call(data):
        reviews.fill_part(by=request.user, part=part, results=form.results(), note=data["note"])
        return f"已保存{SECTION_NAMES[part.section_code]}的审核部分。"

    return _submit(
        request,
        review,
        form,
        ("fill", part.section_code),
        call=call,
        check=lambda: require_section(request.user, part.section_code),
        anchor=f"part-{part.section_code}",
    )


def _add_problem(request, review):
    part = _part(review, request.POST.get("part", ""))
    form = ProblemForm(request.POST, part=part)

    def call(data):
        reviews.add_problem(
            by=request.user,
            part=part,
            point=data["point"],
            description=data["description"],
            problem_class=data["problem_class"],
        )
        return f"已登记问题：{rules.check_point(part.section_code, data['point']).name}。"

    return _submit(
        request,
        review,
        form,
        ("problem", part.section_code),
        call=call,
        check=lambda: require_section(request.user, part.section_code),
        anchor=f"part-{part.section_code}",
    )


def _decide_proposal(request, review):
    form = ProposalForm(request.POST)
    problems = [p for part in review.parts.all() for p in part.problems.all()]
    problem = _problem(problems, request.POST.get("problem"))

    def call(data):
        reviews.decide_proposal(
            by=request.user,
            problem=problem,
            adopt=data["adopt"],
            problem_class=data["problem_class"],
            reason=data["reason"],
        )
        return "已采纳超标提示，列为问题。" if data["adopt"] else "已不予采纳该超标提示。"

    return _submit(
        request,
        review,
        form,
        ("proposal", problem.pk),
        call=call,
        check=lambda: require_section(request.user, problem.part.section_code),
        anchor=f"part-{problem.part.section_code}",
    )


def _sign(request, review):
    part = _part(review, request.POST.get("part", ""))

    def call(data):
        reviews.sign_part(by=request.user, part=part, today=timezone.localdate())
        return f"{SECTION_NAMES[part.section_code]}的审核部分已签核。"

    return _submit(
        request,
        review,
        forms.Form(request.POST),
        ("sign", part.section_code),
        call=call,
        check=lambda: require_section(request.user, part.section_code, head=True),
        anchor=f"part-{part.section_code}",
    )


def _issue(request, review):
    form = NoticeIssueForm(request.POST)

    def call(data):
        notice = notices.issue_notice(
            by=request.user,
            review=review,
            issued_on=data["issued_on"],
            today=timezone.localdate(),
            time_limit_workdays=data["time_limit_workdays"],
            contact=data["contact"],
        )
        return (
            f"已出具排污许可执行报告问题反馈意见单 {notice.number}，整改期限 {notice.due_on:%Y-%m-%d}。",
            reverse("permits:feedback-notice", args=[notice.pk]),
        )

    return _submit(request, review, form, ("issue",), call=call, check=lambda: require_approval(request.user))


def _decide_problem(request, review):
    if review.answers_id is None:
        raise Http404("这不是复核轮次。")
    form = ProblemDecisionForm(request.POST)
    problem = _problem(queries.notice_problems(review.answers), request.POST.get("problem"))

    def call(data):
        if review.state != ReviewState.OPEN:
            raise Conflict("复核已完成，不能再修改。")
        reviews_part = _part(review, problem.part.section_code)
        if reviews_part.is_signed:
            raise Conflict(f"{SECTION_NAMES[reviews_part.section_code]}的复核部分已签核，不能再修改。")
        notices.decide_problem(
            by=request.user,
            problem=problem,
            is_fixed=data["is_fixed"],
            reason=data["reason"],
            today=timezone.localdate(),
        )
        return f"已复核「{problem.point_name}」：{'已整改' if data['is_fixed'] else '未整改'}。"

    return _submit(
        request,
        review,
        form,
        ("decide", problem.pk),
        call=call,
        check=lambda: require_section(request.user, problem.part.section_code),
        anchor=f"part-{problem.part.section_code}",
    )


STEPS = {
    "fill": _fill,
    "problem": _add_problem,
    "proposal": _decide_proposal,
    "sign": _sign,
    "issue": _issue,
    "decide": _decide_problem,
}
