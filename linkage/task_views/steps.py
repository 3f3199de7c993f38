"""Starting a 三监联动 task (online, or entered from a paper slip), its detail page with the step the
user's department may take now, and each step posted to its own URL (003 第八条, 附件5)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bureau.access import section_code, section_required, staff_of
from bureau.calendar import WorkCalendar
from bureau.errors import Conflict
from bureau.models import Role, Staff
from bureau.web import FIX_BELOW, add_service_errors, submit_step
from linkage import queries, rules
from linkage.models import Assignment, LinkageTask
from linkage.services import confirmation, paper_files
from linkage.services import leads as lead_services
from linkage.services import tasks as task_services
from linkage.task_forms import (
    ArchiveForm,
    CloseForm,
    ConfirmForm,
    FeedbackForm,
    PaperFileForm,
    PaperRowForm,
    ReceiveForm,
    ReturnForm,
    TaskStartForm,
)
from permits.queries import visible_facilities


def _section_staff(user) -> list[Staff]:
    """The acting department's staff: the 经办人 and 负责人 a step may name (one query)."""
    staff = staff_of(user)
    if staff is None:
        return []
    return list(
        Staff.objects.filter(section_id=staff.section_id, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def _anomaly_of(request):
    """The anomaly report a task is started from (``?anomaly=<pk>``, R-ANM-1), or None."""
    pk = request.GET.get("anomaly") or request.POST.get("anomaly")
    return queries.anomaly_for_user(request.user, pk) if pk else None


def _start(request, *, paper: bool):
    user = request.user
    initiator = task_services.initiator_of(user)
    anomaly = None if paper else _anomaly_of(request)
    bound = request.method == "POST"
    form = TaskStartForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        initiator=initiator,
        facilities=visible_facilities(user),
        staff=_section_staff(user),
        user=user,
        paper=paper,
        anomaly=anomaly,
    )
    status, alert = 200, ""
    if bound:
        status, alert = 400, FIX_BELOW
        try:
            if form.is_valid():
                data = form.cleaned_data
                common = {
                    "by": user,
                    "initiator": initiator,
                    "receivers": data["receivers"],
                    "description": data["description"],
                    "handler": data["handler"],
                    "head": data["head"],
                    "started_on": data["started_on"],
                    "remarks": data["remarks"],
                    "deadline_workdays": data["deadline_workdays"],
                    "requested_by": data.get("requested_by") or None,
                }
                if anomaly is not None:
                    task = lead_services.start_task_from_anomaly(report=anomaly, **common)
                else:
                    task = task_services.start_linkage_task(
                        **common,
                        facility=data["facility"],
                        source_kind=data["source_kind"],
                        from_paper=paper,
                        attachments=form.attachments() if paper else None,
                    )
                receivers = "、".join(
                    a.section.short_name for a in task.assignments.select_related("section")
                )
                messages.success(
                    request,
                    f"已{'补录' if paper else '发起'}任务 {task.number}，已发送至{receivers}；"
                    f"办理期限 {task.deadline_on:%Y-%m-%d}。",
                )
                return redirect("linkage:task-detail", task.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            status, alert = 403, str(exc)
        except Conflict as exc:
            status, alert = 409, str(exc)
    context = {
        "form": form,
        "anomaly": anomaly,
        "paper": paper,
        "alert": alert,
        "initiator": staff_of(user).section,
        "side": rules.SIDES[initiator],
        "attachments": [],
    }
    return render(request, "linkage/task_form.html", context, status=status)


@section_required(*rules.LINKAGE_SECTIONS)
def task_new(request):
    """发起三监联动任务 (R-LNK-1, R-LNK-2, R-LNK-7) for the five linkage departments."""
    return _start(request, paper=False)


@section_required(*rules.LINKAGE_SECTIONS)
def task_paper(request):
    """补录纸质转办单 (R-LNK-5): the initiation block of a slip done on paper, with the paper's date.
    The receiving departments' rows are entered afterwards on the task page (``task_paper_row``), by
    the initiating department, 审批科 or the receiving department itself, with the paper's dates and
    signatories."""
    return _start(request, paper=True)


# Task detail and its steps ----------------------------------------------------------------------------

# action → (form class, whether the form names a handler and head, where the page opens after it:
# the department's next step, or the slip's blocks showing what was recorded)
STEP_FORMS = {
    rules.CONFIRM: (ConfirmForm, True, "blocks"),
    rules.RECEIVE: (ReceiveForm, True, "feedback"),
    rules.FEEDBACK: (FeedbackForm, True, "blocks"),
    rules.CLOSE: (CloseForm, False, "blocks"),
    rules.RETURN: (ReturnForm, False, "blocks"),
    rules.ARCHIVE: (ArchiveForm, False, "blocks"),
}
# The free text of a step, shown back to the user when a conflict leaves the form behind.
MAIN_TEXT = {
    rules.RECEIVE: "execution",
    rules.FEEDBACK: "result",
    rules.CLOSE: "note",
    rules.RETURN: "reason",
}


def _may_confirm(user, task: LinkageTask) -> bool:
    """Whether ``user`` is a head of the initiating section and the system task awaits confirmation."""
    staff = staff_of(user)
    return (
        task.started_by_system
        and task.head_id is None
        and task.state not in (rules.CLOSED, rules.ARCHIVED)
        and staff is not None
        and staff.section_id == task.initiator_id
        and staff.role == Role.HEAD
    )


def _step_error(user, task: LinkageTask, action: str) -> rules.StepError | None:
    if action == rules.CONFIRM:
        if _may_confirm(user, task):
            return None
        if task.head_id is not None or not task.started_by_system:
            return rules.StepError("conflict", "本任务已有负责人签字，无需确认。")
        return rules.StepError(
            "forbidden", f"只有{task.initiator.short_name}的负责人（科长）可以确认系统发起的任务。"
        )
    return rules.step_error(
        action,
        actor=section_code(user),
        initiator=task.initiator.code,
        task_state=task.state,
        assignments={a.section.code: a.state for a in task.assignments.all()},
        awaiting_confirmation=task.started_by_system and task.head_id is None,
    )


def _new_form(action: str, task: LinkageTask, user, staff, data=None):
    form_class, signed, _ = STEP_FORMS[action]
    kwargs = {"task": task}
    if signed:
        kwargs |= {"staff": staff, "user": user}
    return form_class(data, **kwargs)


def _may_attach(user, task: LinkageTask, assignments) -> bool:
    """Whether ``user`` may add files to the task's paper slip (R-LNK-5)."""
    allowed = {task.initiator.code, rules.ARCHIVING_SECTION, *(a.section.code for a in assignments)}
    return task.from_paper and section_code(user) in allowed


def _render_detail(
    request, task, *, bound=None, status=200, alert="", unsaved=None, paper_bound=None, file_form=None
):
    """The task page; ``bound`` holds a form that came back with errors, keyed by its action."""
    user, bound, today = request.user, bound or {}, timezone.localdate()
    allowed = [action for action in rules.ACTIONS if _step_error(user, task, action) is None]
    if _may_confirm(user, task):
        allowed.append(rules.CONFIRM)
    signing = {rules.RECEIVE, rules.FEEDBACK, rules.CONFIRM}
    staff = _section_staff(user) if signing & set(allowed) else []
    forms = {action: bound.get(action) or _new_form(action, task, user, staff) for action in allowed}
    lost = [action for action in bound if action not in forms]
    if unsaved is None and lost:
        unsaved = _unsaved(bound[lost[0]], lost[0])
    assignments = list(task.assignments.all())
    mine = next((a for a in assignments if a.section.code == section_code(user)), None)
    paper_forms = _paper_forms(user, task, assignments, paper_bound or {})
    shown = {a.section.code for a, _ in paper_forms}
    if unsaved is None:
        unsaved = next(
            (_paper_unsaved(form.data) for code, form in (paper_bound or {}).items() if code not in shown),
            None,
        )
    context = {
        "task": task,
        "attachments": list(task.attachments.select_related("uploaded_by")) if task.from_paper else [],
        "file_form": file_form
        or (PaperFileForm(auto_id="id_file_%s") if _may_attach(user, task, assignments) else None),
        "confirm_pending": task.started_by_system and task.head_id is None,
        "assignments": assignments,
        "mine": mine,
        "steps": [
            {"step": s, "label": rules.ACTION_LABELS.get(s.action, s.action)} for s in task.steps.all()
        ],
        "deadline": queries.deadline_of(task, today, WorkCalendar()),
        "waiting_for": queries.waiting_for(task),
        "side": rules.SIDES.get(task.initiator.code, ""),
        "forms": forms,
        "paper_forms": paper_forms,
        "alert": alert,
        "unsaved": unsaved,
    }
    return render(request, "linkage/task_detail.html", context, status=status)


def _paper_rows_open(user, task: LinkageTask, assignments) -> list[Assignment]:
    """The receiving departments whose rows of a paper slip ``user`` may enter now (R-LNK-5)."""
    if not task.from_paper or task.state != rules.OPEN:
        return []
    actor, initiator = section_code(user), task.initiator.code
    return [
        a
        for a in assignments
        if a.state != rules.FED_BACK
        and rules.paper_entry_error(actor, initiator, a.section.code, True) is None
    ]


def _receivers_staff(assignments) -> dict[int, list[Staff]]:
    """The staff of the receiving departments, by section id (one query): who may have signed."""
    staff: dict[int, list[Staff]] = {a.section_id: [] for a in assignments}
    for member in (
        Staff.objects.filter(section_id__in=staff, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        staff[member.section_id].append(member)
    return staff


def _paper_forms(user, task: LinkageTask, assignments, bound: dict) -> list[tuple[Assignment, PaperRowForm]]:
    rows = _paper_rows_open(user, task, assignments)
    staff = _receivers_staff(rows) if rows else {}
    return [
        (a, bound.get(a.section.code) or PaperRowForm(task=task, assignment=a, staff=staff[a.section_id]))
        for a in rows
    ]


def _paper_unsaved(data) -> dict | None:
    """The text typed off a paper slip that could not be saved, so it need not be typed again."""
    parts = [
        f"{label}：{data.get(name, '').strip()}"
        for name, label in (("execution", "接收与执行情况"), ("feedback", "结果反馈"))
        if data.get(name, "").strip()
    ]
    return {"label": "纸质转办单内容", "text": "\n".join(parts)} if parts else None


def _unsaved(form, action: str) -> dict | None:
    name = MAIN_TEXT.get(action)
    text = form.data.get(name, "").strip() if name else ""
    if not text:
        return None
    return {"label": form.fields[name].label, "text": text}


@section_required(*rules.PAGE_SECTIONS)
def task_detail(request, pk):
    """One task in the 附件5 layout: 任务发起, 任务接收与执行 and 任务反馈 with one row per receiving
    department, the step log, and the form of the step the user's department may take now."""
    return _render_detail(request, queries.task_for_user(request.user, pk))


def _take_step(request, pk, action: str, call):
    """Check the department's turn, validate, call the service; on success say so and go back to
    the task, otherwise show the task again with the errors and the user's input."""
    user = request.user
    task = queries.task_for_user(user, pk)
    error = _step_error(user, task, action)
    form = _new_form(
        action, task, user, _section_staff(user) if STEP_FORMS[action][1] and not error else [], request.POST
    )
    if error is not None:
        if error.kind == "forbidden":
            return _render_detail(request, task, status=403, alert=error.message)
        return _render_detail(request, task, status=409, alert=error.message, unsaved=_unsaved(form, action))

    def render_again(*, form, status, alert):
        # Refused or overtaken: show the task as it is now (with the user's input on 409).
        current = task if status == 400 else queries.task_for_user(user, pk)
        bound = {action: form} if form is not None else None
        return _render_detail(request, current, bound=bound, status=status, alert=alert)

    return submit_step(
        request,
        form,
        call=lambda data: call(task, data),
        success_url=reverse("linkage:task-detail", args=[task.pk]) + f"#{STEP_FORMS[action][2]}",
        render_again=render_again,
    )


def _signed(data: dict) -> dict:
    return {"handler": data["handler"], "head": data["head"], "remarks": data["remarks"]}


@section_required(*rules.LINKAGE_SECTIONS)
@require_POST
def task_confirm(request, pk):
    """负责人确认 of a task the system started from a lead (R-LNK-1): the head signs and names the
    经办人; until then the task shows no 负责人."""

    def call(task, data):
        confirmation.confirm_system_task(
            by=request.user, task=task, handler=data["handler"], confirmed_on=data["confirmed_on"]
        )
        return f"已确认系统发起的任务 {task.number}，负责人：{request.user.display_name}。"

    return _take_step(request, pk, rules.CONFIRM, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_receive(request, pk):
    """任务接收与执行 by a receiving department (R-LNK-2)."""

    def call(task, data):
        task_services.receive_task(
            by=request.user,
            task=task,
            execution=data["execution"],
            executed_on=data["executed_on"],
            **_signed(data),
        )
        return f"已接收任务 {task.number} 并记录执行情况；完成后请反馈结果。"

    return _take_step(request, pk, rules.RECEIVE, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_feedback(request, pk):
    """任务反馈 of the result to the initiator (R-LNK-3)."""

    def call(task, data):
        task_services.feed_back_task(
            by=request.user,
            task=task,
            result=data["result"],
            fed_back_on=data["fed_back_on"],
            **_signed(data),
        )
        return f"已向{task.initiator.short_name}反馈任务 {task.number} 的办理结果。"

    return _take_step(request, pk, rules.FEEDBACK, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_close(request, pk):
    """问题销号 by the initiator once every department has fed back (R-LNK-6)."""

    def call(task, data):
        task_services.close_task(by=request.user, task=task, closed_on=data["closed_on"], note=data["note"])
        return f"任务 {task.number} 已销号，待审批科归档整理。"

    return _take_step(request, pk, rules.CLOSE, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_return(request, pk):
    """退回 by the initiator with a reason: every receiving department feeds back again."""

    def call(task, data):
        task_services.return_task(
            by=request.user, task=task, reason=data["reason"], returned_on=data["returned_on"]
        )
        return f"任务 {task.number} 已退回，各接收部门需重新反馈结果。"

    return _take_step(request, pk, rules.RETURN, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_archive(request, pk):
    """归档整理 by 审批科 (R-LNK-4)."""

    def call(task, data):
        task_services.archive_task(by=request.user, task=task, archived_on=data["archived_on"])
        return f"任务 {task.number} 已归档。"

    return _take_step(request, pk, rules.ARCHIVE, call)


@section_required(*rules.PAGE_SECTIONS)
@require_POST
def task_paper_row(request, pk):
    """补录纸质转办单 (R-LNK-5): one receiving department's 接收与执行 and 结果反馈 rows of a slip done on
    paper, entered with the paper's dates and signatories by the initiating department, 审批科 (who
    archives the slips, 附件5 说明（4）) or the receiving department (``rules.paper_entry_error``)."""
    user = request.user
    task = queries.task_for_user(user, pk)
    code = request.POST.get("section", "")
    assignment = next((a for a in task.assignments.all() if a.section.code == code), None)
    error = rules.paper_entry_error(section_code(user), task.initiator.code, code, task.from_paper)
    if error is not None:
        if error.kind == "forbidden":
            return _render_detail(request, task, status=403, alert=error.message)
        return _render_detail(
            request, task, status=409, alert=error.message, unsaved=_paper_unsaved(request.POST)
        )
    if assignment is None:
        return _render_detail(request, task, status=400, alert="本任务未发给该部门，请刷新后重试。")
    if task.state != rules.OPEN or assignment.state == rules.FED_BACK:
        return _render_detail(
            request,
            task,
            status=409,
            alert=f"{assignment.section.short_name}的接收与执行、结果反馈均已录入，或任务已不在办理中。",
            unsaved=_paper_unsaved(request.POST),
        )
    staff = _receivers_staff([assignment])[assignment.section_id]
    form = PaperRowForm(request.POST, task=task, assignment=assignment, staff=staff)
    status, alert = 400, FIX_BELOW
    try:
        if form.is_valid():
            task_services.enter_paper_rows(by=user, task=task, section_code=code, **form.service_arguments())
            fed_back = "和结果反馈" if form.cleaned_data.get("feedback") else ""
            messages.success(
                request,
                f"已据纸质转办单补录{assignment.section.short_name}的接收与执行{fed_back}（任务 {task.number}）。",
            )
            return redirect(reverse("linkage:task-detail", args=[task.pk]) + "#blocks")
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        return _render_detail(request, queries.task_for_user(user, pk), status=403, alert=str(exc))
    except Conflict as exc:
        form.add_error(None, str(exc))
        task = queries.task_for_user(user, pk)
        status, alert = 409, str(exc)
    return _render_detail(request, task, status=status, alert=alert, paper_bound={code: form})


@section_required(*rules.LINKAGE_SECTIONS)
@require_POST
def task_attach(request, pk):
    """补充纸质转办单材料 (R-LNK-5): one more scan or record of online contact, checked by content."""
    user = request.user
    task = queries.task_for_user(user, pk)
    form = PaperFileForm(request.POST, request.FILES, auto_id="id_file_%s")
    try:
        if form.is_valid():
            attachment = paper_files.attach_paper_file(
                by=user, task=task, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
            messages.success(request, f"已补充{attachment.get_kind_display()}：{attachment.original_name}。")
            return redirect(reverse("linkage:task-detail", args=[task.pk]) + "#files")
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        return _render_detail(request, task, status=403, alert=str(exc))
    except Conflict as exc:
        return _render_detail(request, task, status=409, alert=str(exc))
    return _render_detail(request, task, status=400, alert=FIX_BELOW, file_form=form)
