"""信访投诉/举报 (R-CMP-1; 002 十五、二十一): the writes of a complaint's life. Who sees the reporter
and how it is masked are ``complaints.rules``; the reads pages, API and exports share are
``complaints.queries``.

The handler. 执法大队's head names the officer who handles a complaint (``assign_complaint_handler``);
that officer must contact the reporter, so the assignment grants them ``complaints.see_reporter`` on
that complaint (django-guardian) and a reassignment takes it back. The grant is the only per-person
right on a complaint; everything section-wide stays in ``rules`` and the ``Viewer``.

Life of a complaint::

    received ──start_task_from_complaint──▶ investigating ──answer_complaint──▶ answered ──close──▶ closed
        └─────────────────────────answer_complaint─────────────────────────────▲

Registering and correcting complaints is 执法大队's (R-ORG-2, 003 第八条: each section maintains its
own part of the registry, the others read it); so are investigating, answering, proposing a reward,
closing with the outcome of a verified problem (已整改/整改中/拒不整改, read by the grading, R-GRD-2).
Correcting the reporter's identity is for the complaint's handler, the one officer who sees it.
Deciding a reward is 局领导's. The administrator holds no section and takes none of these steps.

Every view of a reporter's identity in full is logged (``log_reporter_views``, R-CMP-1).

Every step is one conditional update (``UPDATE … WHERE state = old``): of two people taking the same
step at once exactly one succeeds, the other gets ``Conflict``. The row is then saved once more so
its history records who and why (R-RET-1).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from bureau import history
from bureau.access import section_code, staff_of
from bureau.errors import Conflict
from bureau.models import Role, User
from bureau.numbers import next_in_series
from complaints import rules
from complaints.models import (
    AccessVia,
    Channel,
    Complaint,
    ComplaintReporter,
    ComplaintState,
    Rectification,
    ReporterAccess,
    RewardDecision,
)
from complaints.rules import ReporterView
from linkage.models import LinkageTask, SourceKind
from linkage.services.tasks import DEFAULT_DEADLINE_WORKDAYS, start_linkage_task

CHANGED_UNDER_YOU = "该投诉刚刚已由他人办理，请刷新后查看。"


# Input checks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterInput:
    """The reporter's identity and contact as entered: at intake, or when 法制科 corrects them."""

    is_anonymous: bool = False
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


def _clean_reporter(reporter: ReporterInput) -> dict:
    """The values to store, or ValidationError keyed by the form's field names. An anonymous reporter
    keeps no name and no ID number (they are dropped, never stored); a phone or address left for the
    answer is kept."""
    values = {
        "is_anonymous": bool(reporter.is_anonymous),
        "name": "" if reporter.is_anonymous else reporter.name.strip(),
        "id_number": "" if reporter.is_anonymous else reporter.id_number.strip().upper(),
        "phone": reporter.phone.strip(),
        "address": reporter.address.strip(),
    }
    errors = {}
    if not values["is_anonymous"]:
        if not values["name"]:
            errors["reporter_name"] = "请填写举报人姓名；不愿留名的请勾选“匿名举报”。"
        if not values["phone"] and not values["address"]:
            errors["reporter_phone"] = "请至少填写联系电话或联系地址，以便答复举报人。"
    if len(values["name"]) > 50:
        errors["reporter_name"] = "举报人姓名不能超过 50 个字。"
    if values["id_number"] and not rules.id_number_is_valid(values["id_number"]):
        errors["reporter_id_number"] = "身份证号应为 18 位，且校验位正确。"
    if values["phone"] and not rules.PHONE.match(values["phone"]):
        errors["reporter_phone"] = "联系电话格式不正确，只能包含数字、空格和“-”。"
    if len(values["address"]) > 200:
        errors["reporter_address"] = "联系地址不能超过 200 个字。"
    if errors:
        raise ValidationError(errors)
    return values


def _require(by: User, sections, message: str) -> None:
    if section_code(by) not in sections:
        raise PermissionDenied(message)


def _check_date(errors: dict, key: str, value: date | None, label: str, *, not_before=None, after_label=""):
    if value is None:
        errors[key] = f"请填写{label}。"
    elif value > timezone.localdate():
        errors[key] = f"{label}不能晚于今天。"
    elif not_before is not None and value < not_before:
        errors[key] = f"{label}不能早于{after_label}（{not_before:%Y-%m-%d}）。"


def _fresh(complaint: Complaint) -> Complaint:
    """The complaint as it is now in the database: a page may have loaded it minutes ago."""
    return Complaint.objects.select_related("reporter", "linkage_task").get(pk=complaint.pk)


def _move(complaint: Complaint, *, by: User, reason: str, where: Q, **fields) -> Complaint:
    """Apply ``fields`` if the row still matches ``where`` (else Conflict), then record history."""
    if not Complaint.objects.filter(where, pk=complaint.pk).update(**fields):
        raise Conflict(CHANGED_UNDER_YOU)
    return history.snapshot(complaint, by=by, reason=reason)


# Services ---------------------------------------------------------------------------------------------


@transaction.atomic
def assign_complaint_handler(*, by: User, complaint: Complaint, handler: User) -> Complaint:
    """执法大队's head (负责人) names the officer who handles ``complaint``; the officer gets the grant
    to see its reporter in full, a previous handler loses it (R-CMP-1). Refused for anyone else, for a
    handler outside 执法大队, and once the complaint is closed."""
    by_staff = staff_of(by)
    if by_staff is None or by_staff.section.code != rules.HANDLING_SECTION or by_staff.role != Role.HEAD:
        raise PermissionDenied("只有执法大队负责人可以指定信访投诉的承办人。")
    handler_staff = staff_of(handler)
    if handler_staff is None or handler_staff.section.code != rules.HANDLING_SECTION or not handler.is_active:
        raise ValidationError({"handler": "承办人应为执法大队的在岗人员。"})
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.state == ComplaintState.CLOSED:
        raise Conflict("该投诉已办结，不能再指定承办人。")
    previous = current.handler
    if previous == handler:
        return current
    if previous is not None:
        remove_perm(rules.SEE_REPORTER_PERMISSION, previous, current)
    assign_perm(rules.SEE_REPORTER_PERMISSION, handler, current)
    current.handler = handler
    reason = f"指定承办人：{handler.display_name}" + (
        f"（原承办人：{previous.display_name}）" if previous else ""
    )
    return history.save(current, by=by, reason=reason, update_fields=["handler"])


ONLY_BRIGADE_REGISTERS = "信访投诉由执法大队登记和更正，其他科室只能查看。"


def _complaint_errors(*, channel: str, received_on: date | None, content: str) -> dict:
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = "请选择来源渠道。"
    if not (content or "").strip():
        errors["content"] = "请填写反映内容。"
    _check_date(errors, "received_on", received_on, "受理日期")
    return errors


# The number series of complaints (bureau.numbers); its name is stored data, keep it.
COMPLAINT_SERIES = "complaint"


def _next_number(year: int) -> tuple[int, str]:
    """The next number of ``year`` (TS-2025-0001), gap-free: the counter row stays locked until the
    complaint is committed and rolls back with it."""
    sequence = next_in_series(COMPLAINT_SERIES, year)
    return sequence, f"TS-{year}-{sequence:04d}"


@transaction.atomic
def receive_complaint(
    *,
    by: User,
    channel: str,
    received_on: date,
    content: str,
    reporter: ReporterInput,
    facility=None,
) -> Complaint:
    """Take in a complaint or tip-off from any channel (R-CMP-1, 002 二十一), with its reporter kept
    apart (002 十五). For 执法大队 only (R-ORG-2)."""
    _require(by, rules.REGISTERING_SECTIONS, ONLY_BRIGADE_REGISTERS)
    errors = _complaint_errors(channel=channel, received_on=received_on, content=content)
    try:
        reporter_values = _clean_reporter(reporter)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    sequence, number = _next_number(received_on.year)
    complaint = Complaint(
        number=number,
        year=received_on.year,
        sequence=sequence,
        channel=channel,
        received_on=received_on,
        content=content.strip(),
        facility=facility,
        registered_by=by,
        registered_section=staff_of(by).section,
    )
    history.record(complaint, by=by)
    complaint.save()
    row = ComplaintReporter(complaint=complaint, **reporter_values)
    history.record(row, by=by)
    row.save()
    return complaint


def complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint-detail", args=[complaint.pk])


def task_description(complaint: Complaint) -> str:
    """The default problem description of a task started from ``complaint``: what was reported,
    never who reported it (the transfer slip prints for every department)."""
    return f"【信访投诉 {complaint.number}·{complaint.get_channel_display()}】{complaint.content}"


def _refuse_identity(text: str, complaint: Complaint, *, field: str) -> None:
    """Refuse text bound for a task or its slip that names the reporter (R-CMP-1: the identity never
    travels into tasks or slips)."""
    found = rules.identity_in(text, ReporterView.of(complaint.reporter))
    if found:
        raise ValidationError(
            {field: f"不得填写举报人信息（{'、'.join(found)}）：任务和转办单对所有部门可见。"}
        )


@transaction.atomic
def start_task_from_complaint(
    *,
    by: User,
    complaint: Complaint,
    receivers: list[str],
    handler: User,
    head: User,
    started_on: date,
    description: str = "",
    remarks: str = "",
    deadline_workdays: int = DEFAULT_DEADLINE_WORKDAYS,
) -> LinkageTask:
    """执法大队 starts a 三监联动 task from a complaint (R-CMP-1, R-LNK-1) to the departments it
    chooses; the task links back to the complaint and the complaint to the task. One task per
    complaint. The task's description never carries the reporter (its slip prints for everyone)."""
    _require(by, {rules.HANDLING_SECTION}, "只有执法大队可以就信访投诉发起三监联动任务。")
    current = _fresh(complaint)
    if current.linkage_task_id:
        raise Conflict(f"该投诉已发起三监联动任务 {current.linkage_task.number}。")
    if current.state not in (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING):
        raise Conflict("该投诉已答复或办结，不能再发起三监联动任务。")
    if started_on and started_on < current.received_on:
        raise ValidationError({"started_on": f"发起日期不能早于受理日期（{current.received_on:%Y-%m-%d}）。"})
    text = (description or "").strip() or task_description(current)
    _refuse_identity(text, current, field="description")
    _refuse_identity(remarks or "", current, field="remarks")
    task = start_linkage_task(
        by=by,
        initiator=rules.HANDLING_SECTION,
        receivers=list(receivers),
        description=text,
        handler=handler,
        head=head,
        started_on=started_on,
        facility=current.facility,
        remarks=remarks,
        deadline_workdays=deadline_workdays,
        source_kind=SourceKind.COMPLAINT,
        # Stored data written before complaints became an app: the key keeps its first form.
        source_key=f"linkage.complaint:{current.pk}",
        source_url=complaint_url(current),
    )
    _move(
        current,
        by=by,
        reason=f"发起三监联动任务 {task.number}",
        where=Q(linkage_task__isnull=True, state__in=[ComplaintState.RECEIVED, ComplaintState.INVESTIGATING]),
        state=ComplaintState.INVESTIGATING,
        linkage_task=task,
    )
    return task


@transaction.atomic
def answer_complaint(
    *,
    by: User,
    complaint: Complaint,
    investigation: str,
    is_substantiated: bool | None,
    answer: str,
    answered_on: date,
) -> Complaint:
    """执法大队 records what the investigation found and the answer given to the reporter
    (R-CMP-1, 002 二十一「积极调查处理并反馈信息」)."""
    _require(by, {rules.HANDLING_SECTION}, "信访投诉由执法大队调查核实并答复举报人。")
    current = _fresh(complaint)
    if current.state not in (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING):
        raise Conflict("该投诉已答复，不能重复答复。")
    errors = {}
    if not (investigation or "").strip():
        errors["investigation"] = "请填写调查核实情况。"
    if is_substantiated is None:
        errors["is_substantiated"] = "请选择举报是否属实。"
    if not (answer or "").strip():
        errors["answer"] = "请填写答复举报人的内容。"
    _check_date(
        errors, "answered_on", answered_on, "答复日期", not_before=current.received_on, after_label="受理日期"
    )
    if errors:
        raise ValidationError(errors)
    return _move(
        current,
        by=by,
        reason="答复举报人",
        where=Q(state__in=[ComplaintState.RECEIVED, ComplaintState.INVESTIGATING]),
        state=ComplaintState.ANSWERED,
        investigation=investigation.strip(),
        is_substantiated=is_substantiated,
        answer=answer.strip(),
        answered_on=answered_on,
        answered_by=by,
    )


@transaction.atomic
def propose_reward(
    *, by: User, complaint: Complaint, amount: Decimal | None, reason: str, proposed_on: date
) -> Complaint:
    """执法大队 proposes a reward for a substantiated tip-off once it is answered (R-CMP-1,
    002 十五「实施举报奖励」). Until 局领导 decide, the proposal may be revised."""
    _require(by, {rules.HANDLING_SECTION}, "举报奖励由执法大队提出。")
    current = _fresh(complaint)
    if current.reward_decision:
        raise Conflict("局领导已对该奖励作出决定，不能再修改。")
    if current.state != ComplaintState.ANSWERED:
        if current.state == ComplaintState.CLOSED:
            raise Conflict("该投诉已办结，不能再提出奖励。")
        raise Conflict("调查核实并答复举报人后才能提出奖励。")
    if not current.is_substantiated:
        raise ValidationError("举报经调查核实属实，才能提出奖励。")
    if current.reporter.is_anonymous and not current.reporter.phone:
        raise ValidationError("匿名举报且未留联系电话，无法联系举报人发放奖励。")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "奖励金额应大于 0 元。"
    elif amount > rules.MAX_REWARD:
        errors["amount"] = f"奖励金额不能超过 {rules.MAX_REWARD:,.0f} 元。"
    if not (reason or "").strip():
        errors["reason"] = "请填写奖励理由。"
    _check_date(
        errors, "proposed_on", proposed_on, "提出日期", not_before=current.answered_on, after_label="答复日期"
    )
    if errors:
        raise ValidationError(errors)
    return _move(
        current,
        by=by,
        reason="提出举报奖励",
        where=Q(state=ComplaintState.ANSWERED, reward_decision=""),
        reward_amount=amount,
        reward_reason=reason.strip(),
        reward_proposed_on=proposed_on,
        reward_proposed_by=by,
    )


@transaction.atomic
def decide_reward(
    *, by: User, complaint: Complaint, decision: str, decided_on: date, note: str = ""
) -> Complaint:
    """局领导 approve or reject a proposed reward, once (R-CMP-1). A rejection gives its reason."""
    _require(by, {rules.DECIDING_SECTION}, "举报奖励由局领导决定。")
    current = _fresh(complaint)
    if current.reward_amount is None:
        raise Conflict("尚未提出奖励，无需决定。")
    if current.reward_decision:
        raise Conflict("该奖励已经决定，不能重复决定。")
    errors = {}
    if decision not in RewardDecision.values:
        errors["decision"] = "请选择同意奖励或不予奖励。"
    elif decision == RewardDecision.REJECTED and not (note or "").strip():
        errors["note"] = "不予奖励时请说明理由。"
    _check_date(
        errors,
        "decided_on",
        decided_on,
        "决定日期",
        not_before=current.reward_proposed_on,
        after_label="提出日期",
    )
    if errors:
        raise ValidationError(errors)
    return _move(
        current,
        by=by,
        reason="决定举报奖励",
        where=Q(reward_amount__isnull=False, reward_decision=""),
        reward_decision=decision,
        reward_decision_note=(note or "").strip(),
        reward_decided_on=decided_on,
        reward_decided_by=by,
    )


@transaction.atomic
def close_complaint(*, by: User, complaint: Complaint, closed_on: date, rectification: str = "") -> Complaint:
    """执法大队 closes (办结) an answered complaint whose reward, if any, has been decided, recording
    for a verified (属实) one whether the problem was rectified, is being rectified or was refused
    (R-CMP-1; 拒不整改 is read by the grading, R-GRD-2, through ``queries.verified_refusals``). A
    linkage task it started goes on by its own rules (R-LNK-6). The handler's grant to see the
    reporter ends with it: nobody has to contact the reporter any more (R-CMP-1)."""
    _require(by, {rules.HANDLING_SECTION}, "信访投诉由执法大队办结。")
    current = _fresh(complaint)
    if current.state == ComplaintState.CLOSED:
        raise Conflict("该投诉已办结。")
    if current.state != ComplaintState.ANSWERED:
        raise Conflict("答复举报人后才能办结。")
    if current.reward_pending:
        raise Conflict("奖励尚待局领导决定，暂不能办结。")
    errors = {}
    _check_date(
        errors, "closed_on", closed_on, "办结日期", not_before=current.answered_on, after_label="答复日期"
    )
    rectification = rectification or ""
    problem = rules.rectification_problem(is_substantiated=current.is_substantiated, outcome=rectification)
    if problem:
        errors["rectification"] = problem
    if errors:
        raise ValidationError(errors)
    no_pending_reward = Q(reward_amount__isnull=True) | ~Q(reward_decision="")
    closed = _move(
        current,
        by=by,
        reason="办结",
        where=Q(state=ComplaintState.ANSWERED) & no_pending_reward,
        state=ComplaintState.CLOSED,
        closed_on=closed_on,
        closed_by=by,
        rectification=rectification,
        rectification_on=closed_on if rectification else None,
    )
    if closed.handler is not None:
        remove_perm(rules.SEE_REPORTER_PERMISSION, closed.handler, closed)
    return closed


@transaction.atomic
def correct_reporter(
    *, by: User, complaint: Complaint, reporter: ReporterInput, reason: str
) -> ComplaintReporter:
    """The complaint's handler in 执法大队 corrects the reporter's identity or contact (R-ORG-2: 执法大队
    corrects complaints; of 执法大队 only the handler sees the reporter, R-CMP-1); the reporter's own
    history keeps what it was and why it changed (R-RET-1), out of sight of everyone who may not see
    it."""
    _require(by, {rules.CORRECTING_SECTION}, ONLY_BRIGADE_REGISTERS)
    if not by.has_perm(rules.SEE_REPORTER_PERMISSION, complaint):
        raise PermissionDenied("举报人信息只能由本投诉的承办人更正。")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请说明更正原因。"
    try:
        values = _clean_reporter(reporter)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    row = ComplaintReporter.objects.select_for_update().get(complaint_id=complaint.pk)
    for name, value in values.items():
        setattr(row, name, value)
    history.record(row, by=by, reason=reason.strip())
    row.save()
    return row


@transaction.atomic
def correct_complaint(
    *,
    by: User,
    complaint: Complaint,
    channel: str,
    received_on: date,
    content: str,
    facility=None,
    reason: str,
) -> Complaint:
    """执法大队 corrects what was registered: channel, date, content, the facility complained of
    (R-ORG-2: 执法大队 maintains complaints, the other sections read them). The history keeps what it
    was and why it changed (R-RET-1). Refused once the complaint is closed."""
    _require(by, {rules.CORRECTING_SECTION}, ONLY_BRIGADE_REGISTERS)
    errors = _complaint_errors(channel=channel, received_on=received_on, content=content)
    if not (reason or "").strip():
        errors["reason"] = "请说明更正原因。"
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.state == ComplaintState.CLOSED:
        raise Conflict("该投诉已办结，不能再更正。")
    if received_on and current.received_on.year != received_on.year:
        errors["received_on"] = f"受理日期不能改到其他年份：投诉编号 {current.number} 按受理年份编号。"
    elif received_on and current.answered_on and received_on > current.answered_on:
        errors["received_on"] = f"受理日期不能晚于答复日期（{current.answered_on:%Y-%m-%d}）。"
    if errors:
        raise ValidationError(errors)
    current.channel = channel
    current.received_on = received_on
    current.content = content.strip()
    current.facility = facility
    return history.save(current, by=by, reason=f"更正投诉信息：{reason.strip()}")


@transaction.atomic
def record_rectification(
    *, by: User, complaint: Complaint, rectification: str, recorded_on: date
) -> Complaint:
    """执法大队 records how a problem still 整改中 at closing ended: 已整改 or 拒不整改 (R-CMP-1,
    R-GRD-2). A final outcome is never changed again."""
    _require(by, {rules.HANDLING_SECTION}, "整改情况由执法大队记录。")
    current = _fresh(complaint)
    allowed = rules.RECTIFICATION_FOLLOW_UPS.get(current.rectification, frozenset())
    if current.state != ComplaintState.CLOSED or not allowed:
        raise Conflict("只有办结时仍在整改中的投诉可以补记整改结果。")
    errors = {}
    if rectification not in allowed:
        errors["rectification"] = "请选择已整改或拒不整改。"
    _check_date(
        errors, "recorded_on", recorded_on, "记录日期", not_before=current.closed_on, after_label="办结日期"
    )
    if errors:
        raise ValidationError(errors)
    return _move(
        current,
        by=by,
        reason=f"补记整改情况：{rules.RECTIFICATION_LABELS[rectification]}",
        where=Q(state=ComplaintState.CLOSED, rectification=Rectification.RECTIFYING),
        rectification=rectification,
        rectification_on=recorded_on,
    )


def log_reporter_views(*, user: User, complaints: list[Complaint], via: str, path: str) -> None:
    """Write one ``ReporterAccess`` row per complaint whose reporter ``user`` has just been shown in
    full, naming who, when, which complaint and through the page or the API (R-CMP-1: every view
    of the identity is logged; R-RET-1). One insert however many complaints; each row keeps its own
    history row. Called by the views only after ``queries.can_see_reporter`` said yes."""
    if not complaints:
        return
    now = timezone.now()
    staff = staff_of(user)
    rows = [
        ReporterAccess(
            complaint=complaint,
            user=user,
            section_id=staff.section_id if staff else None,
            viewed_at=now,
            via=AccessVia(via),
            path=path[:300],
        )
        for complaint in complaints
    ]
    history.bulk_create(rows, ReporterAccess, by=user, reason="查看举报人信息")
