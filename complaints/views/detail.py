"""One complaint's page: the reporter as the user may see them (each view in full logged), the
history, the forms of each step and their posts, and the printable 办理单 (R-CMP-1)."""

import functools
from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from simple_history.models import DeletedObject

from bureau.access import BUREAU_SECTIONS, in_sections, section_code, section_required
from bureau.documents.pdf import pdf_response, render_pdf
from bureau.models import Role, SectionCode, Staff, User
from bureau.web import submit_step
from complaints import queries
from complaints import rules as complaint_rules
from complaints import services as cmp
from complaints.models import (
    AccessVia,
    Complaint,
    ComplaintReporter,
    ComplaintState,
)
from complaints.views.forms import (
    AnswerForm,
    CloseForm,
    DecisionForm,
    HandlerForm,
    RectificationForm,
    ReporterForm,
    RewardForm,
    TaskForm,
)

# History (R-RET-1) -------------------------------------------------------------------------------------

HISTORY_LIMIT = 50
HISTORY_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
REPORTER_LABELS = {
    "is_anonymous": "匿名举报",
    "name": "举报人姓名",
    "id_number": "身份证号",
    "phone": "联系电话",
    "address": "联系地址",
}


def _shown(value, field=None) -> str:
    if isinstance(value, DeletedObject):
        # simple-history's stand-in for a foreign key that was empty (pk None) or is gone.
        value = None if value.pk is None else f"已删除的记录（{value.pk}）"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, User):
        return value.display_name
    return str(value)


def _entry(record, changes: list[dict]) -> dict:
    user = record.history_user.display_name if record.history_user else "系统"
    return {
        "record": record,
        "action": HISTORY_ACTIONS[record.history_type],
        "user": user,
        "changes": changes,
    }


def _complaint_history(complaint) -> list[dict]:
    """The complaint's latest changes, newest first, each field's old → new; one query, the 51st
    record read only to diff the 50th. It holds nothing of the reporter, so it is the same for
    everyone who may read the complaint."""
    records = list(
        complaint.history.select_related(
            "history_user",
            "facility",
            "linkage_task",
            "registered_by",
            "registered_section",
            "answered_by",
            "reward_proposed_by",
            "reward_decided_by",
            "closed_by",
        ).order_by("-history_date", "-history_id")[: HISTORY_LIMIT + 1]
    )
    order = {field.name: index for index, field in enumerate(Complaint._meta.fields)}
    entries = []
    for newer, older in zip(records[:HISTORY_LIMIT], [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=True)
            for change in sorted(delta.changes, key=lambda c: order[c.field]):
                field = Complaint._meta.get_field(change.field)
                old, new = _shown(change.old, field), _shown(change.new, field)
                changes.append({"label": str(field.verbose_name), "old": old, "new": new})
        entries.append(_entry(newer, changes))
    return entries


def _reporter_history(user, complaint) -> list[dict]:
    """The reporter's changes, only for those who may see the reporter (法制科, 局领导); the values
    go through ``reporter_for`` like everywhere else and are diffed as shown."""
    if not queries.can_see_reporter(user, complaint):
        return []
    records = list(
        ComplaintReporter.history.filter(complaint_id=complaint.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: HISTORY_LIMIT + 1]
    )
    views = [queries.reporter_for(user, record, complaint) for record in records]
    entries = []
    for index, record in enumerate(records[:HISTORY_LIMIT]):
        newer, older = views[index], views[index + 1] if index + 1 < len(views) else None
        changes = [
            {"label": label, "old": _shown(getattr(older, name)), "new": _shown(getattr(newer, name))}
            for name, label in REPORTER_LABELS.items()
            if older is not None and getattr(older, name) != getattr(newer, name)
        ]
        entries.append(_entry(record, changes))
    return entries


# Detail and its steps ------------------------------------------------------------------------------


def _enforcement_staff() -> list[Staff]:
    return list(
        Staff.objects.filter(section__code=SectionCode.ENFORCEMENT, user__is_active=True)
        .select_related("user")
        .order_by("-role", "user__username")
    )


def _step_forms(user, complaint, bound: dict) -> dict:
    """The forms of the steps ``user``'s section may take now; a bound form that came back wins."""
    code, state = section_code(user), complaint.state
    open_states = (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING)
    found = {}
    brigade = functools.cache(_enforcement_staff)  # read once, and only when a form needs it
    is_head = code == complaint_rules.HANDLING_SECTION and user.staff.role == Role.HEAD
    if is_head and state != ComplaintState.CLOSED:
        initial = {"handler": complaint.handler_id}
        found["handler"] = bound.get("handler") or HandlerForm(staff=brigade(), initial=initial)
    if code == complaint_rules.HANDLING_SECTION:
        if state in open_states and not complaint.linkage_task_id:
            initial = {"description": cmp.task_description(complaint), "handler": user.pk}
            found["task"] = bound.get("task") or TaskForm(staff=brigade(), initial=initial)
        if state in open_states:
            found["answer"] = bound.get("answer") or AnswerForm()
        if state == ComplaintState.ANSWERED and complaint.is_substantiated and not complaint.reward_decision:
            initial = {"amount": complaint.reward_amount, "reason": complaint.reward_reason}
            found["reward"] = bound.get("reward") or RewardForm(initial=initial)
        if state == ComplaintState.ANSWERED and not complaint.reward_pending:
            substantiated = bool(complaint.is_substantiated)
            found["close"] = bound.get("close") or CloseForm(substantiated=substantiated)
    if code == complaint_rules.DECIDING_SECTION and complaint.reward_pending:
        found["decision"] = bound.get("decision") or DecisionForm()
    if code == complaint_rules.HANDLING_SECTION and state == ComplaintState.CLOSED:
        if complaint.rectification in complaint_rules.RECTIFICATION_FOLLOW_UPS:
            found["rectification"] = bound.get("rectification") or RectificationForm()
    if code == complaint_rules.CORRECTING_SECTION and queries.can_see_reporter(user, complaint):
        reporter = complaint.reporter
        initial = {
            "is_anonymous": reporter.is_anonymous,
            "reporter_name": reporter.name,
            "reporter_id_number": reporter.id_number,
            "reporter_phone": reporter.phone,
            "reporter_address": reporter.address,
        }
        found["reporter"] = bound.get("reporter") or ReporterForm(initial=initial)
    return found


ACCESS_LOG_ON_DETAIL = 20


def _render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    user = request.user
    complaint = queries.complaint_for_user(user, pk)
    sees_identity = queries.can_see_reporter(user, complaint)
    if sees_identity:
        # This page shows the reporter in full (and their history, and the correction form): one view.
        cmp.log_reporter_views(user=user, complaints=[complaint], via=AccessVia.PAGE, path=request.path)
    context = {
        "complaint": complaint,
        "reporter": queries.reporter_for(user, complaint.reporter, complaint),
        "sees_identity": sees_identity,
        "may_correct": section_code(user) == complaint_rules.CORRECTING_SECTION
        and complaint.state != ComplaintState.CLOSED,
        "access_log": list(queries.reporter_accesses(user, complaint)[:ACCESS_LOG_ON_DETAIL])
        if queries.may_read_access_log(user)
        else None,
        "forms": _step_forms(user, complaint, bound or {}),
        "history": _complaint_history(complaint),
        "reporter_history": _reporter_history(user, complaint),
        "history_limit": HISTORY_LIMIT,
        # A department that opened it from a task it received has no complaint list to go back to.
        "may_list": in_sections(user, complaint_rules.COMPLAINT_SECTIONS),
        "alert": alert,
    }
    return render(request, "complaints/detail.html", context, status=status)


@section_required(*BUREAU_SECTIONS)
def complaint_detail(request, pk):
    """One complaint: what was reported, the reporter as the user may see them (each view in full
    logged), the linkage task, the answer, the reward, the history, the views of the identity (for
    局领导), and the forms of the steps the user's section may take."""
    return _render_detail(request, pk)


def _step(request, pk, form, *, key: str, call):
    """Validate, call the service; on success say so and go back to the page, otherwise show the page
    again with the errors and the user's input (400), the conflict (409) or the refusal (403)."""
    complaint = queries.complaint_for_user(request.user, pk)

    def render_again(*, form, status, alert):
        return _render_detail(request, pk, bound={key: form} if form else None, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=lambda data: call(complaint, data),
        success_url=cmp.complaint_url(complaint) + f"#{key}",
        render_again=render_again,
    )


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_start_task(request, pk):
    """发起三监联动任务 from the complaint, for 执法大队 (R-CMP-1, R-LNK-1)."""

    def call(complaint, data):
        task = cmp.start_task_from_complaint(by=request.user, complaint=complaint, **data)
        return f"已发起三监联动任务 {task.number}。"

    form = TaskForm(request.POST, staff=_enforcement_staff())
    return _step(request, pk, form, key="task", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_record_rectification(request, pk):
    """补记整改结果 of a problem still 整改中 at closing, for 执法大队 (R-CMP-1, R-GRD-2)."""

    def call(complaint, data):
        done = cmp.record_rectification(by=request.user, complaint=complaint, **data)
        return f"已记录整改情况：{done.get_rectification_display()}。"

    return _step(request, pk, RectificationForm(request.POST), key="rectification", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_answer(request, pk):
    """调查核实并答复举报人, for 执法大队."""

    def call(complaint, data):
        cmp.answer_complaint(by=request.user, complaint=complaint, **data)
        return "已记录调查核实情况和答复。"

    return _step(request, pk, AnswerForm(request.POST), key="answer", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_reward_propose(request, pk):
    """提出举报奖励, for 执法大队."""

    def call(complaint, data):
        cmp.propose_reward(by=request.user, complaint=complaint, **data)
        return "已提出举报奖励，待局领导决定。"

    return _step(request, pk, RewardForm(request.POST), key="reward", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_reward_decide(request, pk):
    """决定举报奖励, for 局领导."""

    def call(complaint, data):
        done = cmp.decide_reward(by=request.user, complaint=complaint, **data)
        return f"已决定：{done.get_reward_decision_display()}。"

    return _step(request, pk, DecisionForm(request.POST), key="decision", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_assign_handler(request, pk):
    """指定承办人, for 执法大队's head: the officer then sees the reporter in full (R-CMP-1)."""

    def call(complaint, data):
        handler = next((s.user for s in _enforcement_staff() if s.user_id == data["handler"]), None)
        if handler is None:
            raise ValidationError({"handler": "承办人应为执法大队的在岗人员。"})
        cmp.assign_complaint_handler(by=request.user, complaint=complaint, handler=handler)
        return f"已指定 {handler.display_name} 为承办人。"

    return _step(request, pk, HandlerForm(request.POST, staff=_enforcement_staff()), key="handler", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_close(request, pk):
    """办结, for 执法大队."""

    def call(complaint, data):
        cmp.close_complaint(
            by=request.user,
            complaint=complaint,
            closed_on=data["closed_on"],
            rectification=data.get("rectification", ""),
        )
        return "该投诉已办结。"

    return _step(request, pk, CloseForm(request.POST), key="close", call=call)


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
@require_POST
def complaint_reporter_correct(request, pk):
    """更正举报人信息, for 法制科."""
    form = ReporterForm(request.POST)

    def call(complaint, data):
        cmp.correct_reporter(
            by=request.user, complaint=complaint, reporter=form.reporter(), reason=data["reason"]
        )
        return "已更正举报人信息。"

    return _step(request, pk, form, key="reporter", call=call)


@section_required(*BUREAU_SECTIONS)
def complaint_pdf(request, pk):
    """信访投诉办理单 as a PDF, the reporter masked for everyone: a printed slip leaves the system, and
    the identity never travels into slips or exports (R-CMP-1)."""
    complaint = queries.complaint_for_user(request.user, pk)
    pdf = render_pdf(
        "complaints/pdf.html",
        {
            "complaint": complaint,
            "document_number": complaint.number,
            "reporter": queries.masked_reporter(complaint.reporter),
            "printed_at": timezone.localtime(),
            "url": request.build_absolute_uri(reverse("complaints:complaint-detail", args=[complaint.pk])),
        },
    )
    return pdf_response(pdf, (f"信访投诉办理单-{complaint.number}.pdf", f"{complaint.number}.pdf"))
