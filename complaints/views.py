"""Pages of 信访投诉/举报 (R-CMP-1): the list with its Excel export, the intake and correction forms,
the detail page with the forms of each step, the printable 办理单 (PDF), and 局领导's log of views of
reporters' identities. The navigation entry is registered by ``ComplaintsConfig.ready``.

Views parse, check and call: reads come from ``complaints.queries`` (scoped, fixed query counts),
writes go through ``complaints.services``. The reporter in full appears on one page only, the
complaint's detail page, through ``reporter_for`` (the complaint's handler, 法制科 and 局领导), and
each such view is logged (``log_reporter_views``); the list, the Excel export and the PDF show the
mask to everyone (R-CMP-1: the identity never travels into exports or slips).
"""

import functools
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from simple_history.models import DeletedObject

from bureau import sections
from bureau.access import BUREAU_SECTIONS, in_sections, section_code, section_required
from bureau.documents import excel
from bureau.documents.pdf import pdf_response, render_pdf
from bureau.models import Role, SectionCode, Staff, User
from bureau.web import DATE_WIDGET, submit_step
from complaints import queries
from complaints import rules as complaint_rules
from complaints import services as cmp
from complaints.models import (
    AccessVia,
    Channel,
    Complaint,
    ComplaintReporter,
    ComplaintState,
    Rectification,
    RewardDecision,
)
from linkage import rules
from permits.queries import visible_facilities

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
TEXTAREA = forms.Textarea(attrs={"rows": 3})


# Forms: they parse; the services decide -------------------------------------------------------------


class ReporterFields(forms.Form):
    is_anonymous = forms.BooleanField(label="匿名举报", required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    reporter_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    reporter_address = forms.CharField(label="联系地址", max_length=200, required=False)

    def reporter(self) -> cmp.ReporterInput:
        data = self.cleaned_data
        return cmp.ReporterInput(
            is_anonymous=data["is_anonymous"],
            name=data["reporter_name"],
            id_number=data["reporter_id_number"],
            phone=data["reporter_phone"],
            address=data["reporter_address"],
        )


class ComplaintForm(ReporterFields):
    channel = forms.ChoiceField(label="来源渠道", choices=[("", "请选择"), *Channel.choices])
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET, initial=timezone.localdate)
    facility = forms.ModelChoiceField(label="被投诉单位", queryset=None, required=False, empty_label="不明确")
    # Not required here: the service says what is missing, together with the reporter's checks.
    content = forms.CharField(
        label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, required=False
    )

    field_order = ["channel", "received_on", "facility", "content", *ReporterFields.base_fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = visible_facilities(user).only("pk", "name").order_by("name")


class CorrectionForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices)
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET)
    facility = forms.ModelChoiceField(label="被投诉单位", queryset=None, required=False, empty_label="不明确")
    content = forms.CharField(
        label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, required=False
    )
    reason = forms.CharField(label="更正原因", max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = visible_facilities(user).only("pk", "name").order_by("name")


class TaskForm(forms.Form):
    receivers = forms.MultipleChoiceField(
        label="接收部门",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (code, sections.SHORT_NAMES[code]) for code in sorted(rules.LINKAGE_SECTIONS - {"enforcement"})
        ],
    )
    description = forms.CharField(label="问题描述", widget=TEXTAREA, max_length=10000)
    handler = forms.TypedChoiceField(label="经办人", coerce=int)
    head = forms.TypedChoiceField(label="负责人", coerce=int)
    started_on = forms.DateField(label="发起日期", widget=DATE_WIDGET, initial=timezone.localdate)
    deadline_workdays = forms.IntegerField(label="办理时限（工作日）", initial=15, min_value=1, max_value=250)
    remarks = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, staff: list[Staff], **kwargs):
        kwargs.setdefault("auto_id", "id_task_%s")
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        # No one is preselected: the head chooses, the head is not the default.
        self.fields["handler"].choices = [
            ("", "请选择承办人"),
            *((s.user_id, s.user.display_name) for s in staff),
        ]
        self.fields["head"].choices = [(s.user_id, s.user.display_name) for s in staff if s.role == Role.HEAD]

    def clean_handler(self):
        return self.users[self.cleaned_data["handler"]]

    def clean_head(self):
        return self.users[self.cleaned_data["head"]]


class AnswerForm(forms.Form):
    investigation = forms.CharField(label="调查核实情况", widget=TEXTAREA, max_length=10000)
    is_substantiated = forms.TypedChoiceField(
        label="举报是否属实",
        choices=[("true", "属实"), ("false", "不属实")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label="答复举报人的内容", widget=TEXTAREA, max_length=10000)
    answered_on = forms.DateField(label="答复日期", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)


class RewardForm(forms.Form):
    amount = forms.DecimalField(label="拟奖励金额（元）", max_digits=10, decimal_places=2)
    reason = forms.CharField(label="奖励理由", widget=TEXTAREA, max_length=4000)
    proposed_on = forms.DateField(label="提出日期", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reward_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=RewardDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="决定意见", widget=TEXTAREA, max_length=4000, required=False)
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)


class HandlerForm(forms.Form):
    handler = forms.TypedChoiceField(label="承办人", coerce=int)

    def __init__(self, *args, staff, **kwargs):
        kwargs.setdefault("auto_id", "id_handler_%s")
        super().__init__(*args, **kwargs)
        # No one is preselected: the head chooses, and is not the default.
        self.fields["handler"].choices = [
            ("", "请选择承办人"),
            *((s.user_id, s.user.display_name) for s in staff),
        ]


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="办结日期", widget=DATE_WIDGET, initial=timezone.localdate)
    # Required by the service for a verified complaint only (R-CMP-1, R-GRD-2).
    rectification = forms.ChoiceField(
        label="整改情况（举报属实时填写）",
        choices=[("", "—"), *Rectification.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, substantiated: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)
        if not substantiated:
            del self.fields["rectification"]


class RectificationForm(forms.Form):
    rectification = forms.ChoiceField(
        label="整改结果",
        choices=[(Rectification.RECTIFIED, "已整改"), (Rectification.REFUSED, "拒不整改")],
        widget=forms.RadioSelect,
    )
    recorded_on = forms.DateField(label="记录日期", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_rectification_%s")
        super().__init__(*args, **kwargs)


class ReporterForm(ReporterFields):
    reason = forms.CharField(label="更正原因", max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reporter_%s")
        super().__init__(*args, **kwargs)


# List, export --------------------------------------------------------------------------------------


def _filterset(request) -> queries.ComplaintFilter:
    filterset = queries.ComplaintFilter(
        request.GET, queryset=queries.complaint_list(request.user), request=request
    )
    for name in ("channel", "state", "rectification"):
        field = filterset.form.fields[name]
        field.widget.choices = [("", "全部"), *((v, label) for v, label in field.choices if v != "")]
    return filterset


def _rows(complaints):
    # Masked for everyone: a list or an export never carries an identity (R-CMP-1).
    for complaint in complaints:
        yield {"complaint": complaint, "reporter": queries.masked_reporter(complaint.reporter)}


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_list(request):
    """信访投诉 list for every bureau section (R-ORG-2): filters by channel, state, rectification and
    facility, 50 a page, the reporter masked for everyone (the detail page shows it to those who may
    see it, and logs the view)."""
    filterset = _filterset(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": list(_rows(page.object_list)),
            "may_register": section_code(request.user) in complaint_rules.REGISTERING_SECTIONS,
            "sees_identity": queries.can_see_reporter(request.user),
            "may_read_access_log": queries.may_read_access_log(request.user),
        },
    )


EXPORT_COLUMNS = [
    ("投诉编号", 14),
    ("来源渠道", 10),
    ("受理日期", 12),
    ("被投诉单位", 32),
    ("反映内容", 48),
    ("举报人", 10),
    ("身份证号", 22),
    ("联系电话", 16),
    ("联系地址", 30),
    ("办理状态", 10),
    ("三监联动任务", 16),
    ("举报是否属实", 8),
    ("整改情况", 10),
    ("答复日期", 12),
    ("拟奖励金额（元）", 12),
    ("奖励决定", 10),
]


def export_rows(complaints):
    """One row per complaint; the reporter masked for everyone (R-CMP-1: never into exports)."""
    for row in _rows(complaints):
        complaint, reporter = row["complaint"], row["reporter"]
        yield [
            complaint.number,
            complaint.get_channel_display(),
            complaint.received_on,
            complaint.facility.name if complaint.facility_id else "",
            complaint.content,
            reporter.name,
            reporter.id_number,
            reporter.phone,
            reporter.address,
            complaint.get_state_display(),
            complaint.linkage_task.number if complaint.linkage_task_id else "",
            {True: "属实", False: "不属实"}.get(complaint.is_substantiated, ""),
            complaint.get_rectification_display(),
            complaint.answered_on,
            complaint.reward_amount,
            complaint.get_reward_decision_display(),
        ]


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_export(request):
    """The filtered list as Excel, all pages, the reporter masked for everyone, 法制科 and 局领导
    included: the identity never travels into exports (R-CMP-1), so an export logs no view."""
    complaints = _filterset(request).qs.iterator(chunk_size=EXPORT_CHUNK)
    output = excel.write_workbook("信访投诉", EXPORT_COLUMNS, export_rows(complaints))
    filename = f"信访投诉-{timezone.localdate():%Y%m%d}.xlsx"
    return excel.xlsx_response(output, filename)


# Intake --------------------------------------------------------------------------------------------


@section_required(*complaint_rules.REGISTERING_SECTIONS)
def complaint_new(request):
    """登记信访投诉 from any channel (R-CMP-1), for 执法大队 (R-ORG-2); the administrator, who may open
    every page, is refused here too: the service would refuse the form anyway."""
    if section_code(request.user) not in complaint_rules.REGISTERING_SECTIONS:
        raise PermissionDenied(cmp.ONLY_BRIGADE_REGISTERS)
    if request.method != "POST":
        return render(request, "complaints/form.html", {"form": ComplaintForm(user=request.user)})
    form = ComplaintForm(request.POST, user=request.user)

    def call(data):
        complaint = cmp.receive_complaint(
            by=request.user,
            channel=data["channel"],
            received_on=data["received_on"],
            content=data["content"],
            facility=data["facility"],
            reporter=form.reporter(),
        )
        return f"已登记信访投诉 {complaint.number}。", cmp.complaint_url(complaint)

    def render_again(*, form, status, alert):
        context = {"form": form or ComplaintForm(request.POST, user=request.user), "alert": alert}
        return render(request, "complaints/form.html", context, status=status)

    return submit_step(request, form, call=call, render_again=render_again)


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
            "reporter": queries.masked_reporter(complaint.reporter),
            "printed_at": timezone.localtime(),
            "url": request.build_absolute_uri(reverse("complaints:complaint-detail", args=[complaint.pk])),
        },
    )
    return pdf_response(pdf, (f"信访投诉办理单-{complaint.number}.pdf", f"{complaint.number}.pdf"))


# Correction (R-ORG-2) ----------------------------------------------------------------------------------


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_edit(request, pk):
    """更正投诉信息 (channel, date, facility, content), for 执法大队 (R-ORG-2); the history keeps the
    change and its reason."""
    complaint = queries.complaint_for_user(request.user, pk)
    if section_code(request.user) != complaint_rules.CORRECTING_SECTION:
        raise PermissionDenied(cmp.ONLY_BRIGADE_REGISTERS)
    initial = {
        "channel": complaint.channel,
        "received_on": complaint.received_on,
        "facility": complaint.facility_id,
        "content": complaint.content,
    }
    context = {"complaint": complaint, "editing": True}
    if request.method != "POST":
        form = CorrectionForm(user=request.user, initial=initial)
        return render(request, "complaints/form.html", {**context, "form": form})
    form = CorrectionForm(request.POST, user=request.user)

    def call(data):
        cmp.correct_complaint(by=request.user, complaint=complaint, **data)
        return "已更正投诉信息。"

    def render_again(*, form, status, alert):
        shown = form or CorrectionForm(request.POST, user=request.user)
        return render(
            request, "complaints/form.html", {**context, "form": shown, "alert": alert}, status=status
        )

    return submit_step(
        request, form, call=call, success_url=cmp.complaint_url(complaint), render_again=render_again
    )


# The log of views of reporters' identities (R-CMP-1) -------------------------------------------------

ACCESS_PAGE_SIZE = 100


@section_required(*complaint_rules.ACCESS_LOG_SECTIONS)
def reporter_access_list(request):
    """举报人信息查看记录 for 局领导: every view of a reporter's identity in full, newest first, who, when,
    which complaint and through which page or API; ``?complaint=`` narrows it to one complaint. The
    administrator, who may open every page, is refused: the log says who reported what to whom."""
    if not queries.may_read_access_log(request.user):
        raise PermissionDenied("举报人信息查看记录仅局领导可以查看。")
    complaint = None
    if request.GET.get("complaint"):
        complaint = queries.complaint_for_user(request.user, request.GET["complaint"])
    accesses = queries.reporter_accesses(request.user, complaint)
    page = Paginator(accesses, ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/access_log.html", {"page": page, "complaint": complaint})
