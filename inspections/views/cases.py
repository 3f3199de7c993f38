"""案件 for 执法大队, 法制科 and 局领导 (R-INS-10; 002 九、十、十四): the list with its filters ("待我审核"
for a reviewer, "待指定审核人" for 法制科's head), 立案 on findings of signed inspections, and one case's
page with its whole path and the step each role may take, each through ``services.cases``."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bureau.access import Viewer, section_code, section_required
from bureau.documents import exports
from bureau.models import SectionCode, Staff
from bureau.web import record_id, submit_step
from inspections import queries, rules
from inspections.case_forms import (
    CaseFilterForm,
    DecisionForm,
    OpenCaseForm,
    ReopenCaseForm,
    ReviewerForm,
    ReviewForm,
    SubmitCaseForm,
)
from inspections.models import CaseDecision, CaseState
from inspections.services import cases as case_services
from inspections.services.common import is_head

PAGE_SIZE = 50
MINE, UNASSIGNED = "mine", "unassigned"
STATE_BADGES = {
    CaseState.INVESTIGATING: "orange",
    CaseState.UNDER_REVIEW: "blue",
    CaseState.REVIEWED: "blue",
    CaseState.DECIDED: "green",
}
# The labels of the fields a step's form does not have, for a service message that names one.
LABELS = {"findings": "关联的问题", "officers": "承办人员", "decision": "处理决定", "reviewer": "法制审核人"}


def case_url(case) -> str:
    return reverse("inspections:case-detail", args=[case.pk])


def _legal_staff() -> list[Staff]:
    return list(
        Staff.objects.filter(section__code=SectionCode.LEGAL, user__is_active=True)
        .select_related("user")
        .order_by("-role", "user__username")
    )


def _enforcement_staff() -> list[Staff]:
    return list(
        Staff.objects.filter(section__code=SectionCode.ENFORCEMENT, user__is_active=True)
        .select_related("user", "section")
        .order_by("-role", "user__username")
    )


# The list ----------------------------------------------------------------------------------------------


def _shows(user) -> list[tuple[str, str]]:
    code = section_code(user)
    shows = []
    if code == rules.REVIEW_SECTION:
        shows.append((MINE, "待我审核"))
    if is_head(user, rules.REVIEW_SECTION):
        shows.append((UNASSIGNED, "待指定审核人"))
    return shows


def listed_cases(user, query):
    """The filter form of ``query`` and the cases ``user`` may see under it, newest first: what the
    page lists and its Excel export holds (``inspections.exports``)."""
    form = CaseFilterForm(query or None, shows=_shows(user))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    cases = queries.case_list(user).order_by("-opened_on", "-id")
    if data.get("state"):
        cases = cases.filter(state=data["state"])
    if data.get("show") == MINE:
        cases = cases.filter(reviewer=user, state=CaseState.UNDER_REVIEW)
    elif data.get("show") == UNASSIGNED:
        cases = cases.filter(reviewer__isnull=True, state=CaseState.UNDER_REVIEW)
    return form, cases


@section_required(*rules.CASE_SECTIONS)
def case_list(request):
    """案件 (R-INS-10): filters by state, and "待我审核" (the reviewer's cases under review) for 法制科,
    "待指定审核人" (submitted, no reviewer yet) for 法制科's head; 50 a page."""
    form, cases = listed_cases(request.user, request.GET)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/case_list.html",
        {
            "form": form,
            "page": page,
            "badges": STATE_BADGES,
            "may_open": section_code(request.user) == rules.INSPECTING_SECTION,
        },
    )


@section_required(*rules.CASE_SECTIONS)
def case_export(request):
    """The filtered cases as Excel, all pages (``inspections.exports``)."""
    return exports.respond(request, "inspections.cases")


# 立案 --------------------------------------------------------------------------------------------------


def _require_enforcement(user) -> None:
    if section_code(user) != rules.INSPECTING_SECTION:
        raise PermissionDenied(case_services.ONLY_ENFORCEMENT)


@section_required(rules.INSPECTING_SECTION)
def case_new(request):
    """立案 (R-INS-10), for 执法大队: first the facility (those with findings of signed inspections in
    no case yet), then its findings, the date, 案由 and the officers (R-INS-6). ``?finding=`` comes
    from a finding and ticks it."""
    _require_enforcement(request.user)
    facility_id = request.GET.get("facility")
    preselected = []
    if record_id(request.GET.get("finding")):
        finding = queries.case_candidates(request.user).filter(pk=record_id(request.GET["finding"])).first()
        if finding is not None:
            facility_id, preselected = str(finding.facility_id), [finding.pk]
    if not record_id(facility_id):
        facilities = list(queries.case_candidate_facilities(request.user))
        return render(request, "inspections/case_new.html", {"facilities": facilities})
    findings = list(queries.case_candidates(request.user, record_id(facility_id)))
    if not findings:
        # A unit with nothing to file (or not the user's to see): the chooser again, saying so.
        facilities = list(queries.case_candidate_facilities(request.user))
        alert = "该排污单位没有待立案的问题：立案须依据已签署检查记录中发现、尚未立案的问题。"
        return render(request, "inspections/case_new.html", {"facilities": facilities, "alert": alert})
    facility = findings[0].facility
    staff = _enforcement_staff()
    # Ticked at first: the officers of the latest inspection among them, as they inspected (R-INS-6).
    usual = {o.officer_id for f in findings[:1] for o in f.inspection.officers.all()}

    def make_form(data=None):
        initial = {"findings": preselected or [], "officers": sorted(usual)}
        return OpenCaseForm(data, findings=findings, officers=staff, initial=initial)

    def render_again(*, form=None, status=200, alert=""):
        context = {"facility": facility, "form": form or make_form(), "alert": alert}
        return render(request, "inspections/case_new.html", context, status=status)

    if request.method != "POST":
        return render_again()

    def call(data):
        case = case_services.open_case(
            by=request.user,
            facility=facility,
            findings=data["findings"],
            opened_on=data["opened_on"],
            summary=data["summary"],
            officers=data["officers"],
            conduct=data["conduct"],
        )
        return f"已立案 {case.number}。", case_url(case)

    return submit_step(request, make_form(request.POST), call=call, render_again=render_again, labels=LABELS)


# One case ----------------------------------------------------------------------------------------------

DECISION_REASON = "作出决定"
REVIEW_REASONS = {"法制审核通过": True, "法制审核退回补充调查": False}


def _path(case) -> list[dict]:
    """The case's way as the history kept it, one entry per step (each round of review its own)."""
    steps = []
    for row in queries.case_path(case):
        reason = row.history_change_reason or ""
        step = {"at": row.history_date, "by": row.history_user, "reason": reason, "kind": "other"}
        if reason == "立案" or row.history_type == "+":
            step.update(kind="opened", reason="立案", on=row.opened_on, text=row.summary)
        elif reason == "提请法制审核":
            step.update(
                kind="submitted",
                on=row.submitted_on,
                decision=CaseDecision(row.proposed_decision).label if row.proposed_decision else "",
                text=row.proposal,
            )
        elif reason in REVIEW_REASONS:
            step.update(
                kind="reviewed",
                approved=REVIEW_REASONS[reason],
                on=row.reviewed_on,
                text=row.review_opinion,
                round=row.review_rounds,
            )
        elif reason.startswith("指定法制审核人"):
            step.update(kind="reviewer", reviewer=row.reviewer)
        elif reason.startswith(DECISION_REASON):
            step.update(kind="decided", on=row.decided_on)
        steps.append(step)
    return steps


def _step_forms(request, case, bound: dict) -> dict:
    """The forms of the steps the user may take on the case now; a bound form that came back wins."""
    user, code = request.user, section_code(request.user)
    found = {}
    if code == rules.INSPECTING_SECTION and case.state == CaseState.INVESTIGATING:
        initial = {"proposed_decision": case.proposed_decision, "proposal": case.proposal}
        found["submit"] = bound.get("submit") or SubmitCaseForm(initial=initial)
    if is_head(user, rules.REVIEW_SECTION) and case.state != CaseState.DECIDED:
        found["reviewer"] = bound.get("reviewer") or ReviewerForm(staff=_legal_staff())
    if (
        code == rules.REVIEW_SECTION
        and case.state == CaseState.UNDER_REVIEW
        and case_services.is_reviewer(user, case)
    ):
        found["review"] = bound.get("review") or ReviewForm()
    if code == rules.INSPECTING_SECTION and case.state == CaseState.REVIEWED:
        found["decide"] = bound.get("decide") or DecisionForm(decision=case.proposed_decision)
        found["reopen"] = bound.get("reopen") or ReopenCaseForm()
    return found


def _render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    case = queries.case_detail(request.user, pk)
    viewer = Viewer.of(request.user)
    context = {
        "case": case,
        "path": _path(case),
        "forms": _step_forms(request, case, bound or {}),
        "badge": STATE_BADGES.get(case.state, ""),
        # The same link for every member of the bureau (R-INS-11): it says nothing about records.
        "may_record_interference": viewer.is_bureau and not viewer.is_superuser,
        "alert": alert,
    }
    return render(request, "inspections/case_detail.html", context, status=status)


@section_required(*rules.CASE_SECTIONS)
def case_detail(request, pk):
    """One case: the facility, the findings with their inspection records, the officers with their
    certificate numbers, the whole path (submitted, reviewer, each round's opinion, decision), and the
    forms of the steps the user may take."""
    return _render_detail(request, pk)


def _step(request, pk, form, *, key: str, call):
    case = queries.case_for_user(request.user, pk)

    def render_again(*, form, status, alert):
        return _render_detail(request, pk, bound={key: form} if form else None, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=lambda data: call(case, data),
        success_url=case_url(case),
        render_again=render_again,
        labels=LABELS,
    )


@section_required(*rules.CASE_SECTIONS)
@require_POST
def case_submit(request, pk):
    """提请法制审核, for 执法大队: the proposed decision and the 调查终结报告."""

    def call(case, data):
        case_services.submit_case(by=request.user, case=case, **data)
        return "已提请法制审核。"

    return _step(request, pk, SubmitCaseForm(request.POST), key="submit", call=call)


@section_required(*rules.CASE_SECTIONS)
@require_POST
def case_reviewer(request, pk):
    """指定法制审核人, for 法制科's head, among 法制科's staff; the reviewer is granted the case."""

    def call(case, data):
        done = case_services.assign_reviewer(by=request.user, case=case, reviewer=data["reviewer"])
        return f"已指定 {done.reviewer.display_name} 为法制审核人。"

    return _step(request, pk, ReviewerForm(request.POST, staff=_legal_staff()), key="reviewer", call=call)


@section_required(*rules.CASE_SECTIONS)
@require_POST
def case_review(request, pk):
    """法制审核, only by the case's granted reviewer: 通过 or 退回, with the opinion."""

    def call(case, data):
        done = case_services.record_review(
            by=request.user,
            case=case,
            approved=data["approved"],
            opinion=data["opinion"],
            reviewed_on=data["reviewed_on"],
        )
        return (
            "法制审核通过，待执法大队作出决定。" if done.state == CaseState.REVIEWED else "已退回补充调查。"
        )

    return _step(request, pk, ReviewForm(request.POST), key="review", call=call)


@section_required(*rules.CASE_SECTIONS)
@require_POST
def case_decide(request, pk):
    """作出决定, for 执法大队: the decision the review approved, with what it needs (R-INS-10)."""
    case = queries.case_for_user(request.user, pk)

    def call(case, data):
        done = case_services.decide_case(by=request.user, case=case, decision=case.proposed_decision, **data)
        return f"已作出决定：{done.get_decision_display()}。"

    form = DecisionForm(request.POST, decision=case.proposed_decision)
    return _step(request, pk, form, key="decide", call=call)


@section_required(*rules.CASE_SECTIONS)
@require_POST
def case_reopen(request, pk):
    """撤回重新提请, for 执法大队: an approved case goes back to 调查取证 to propose another decision."""

    def call(case, data):
        case_services.reopen_case(by=request.user, case=case, reason=data["reason"])
        return "已撤回，可修改拟处理意见后重新提请法制审核。"

    return _step(request, pk, ReopenCaseForm(request.POST), key="reopen", call=call)
