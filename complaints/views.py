"""Pages of 信访投诉/举报 (R-CMP-1): the list with its Excel export, the intake form, the detail page
with the forms of each step, and the printable 办理单 (PDF). The navigation entry is registered by
``ComplaintsConfig.ready``.

Views parse, check and call: reads come from ``complaints.queries`` (scoped, fixed query counts),
writes go through ``complaints.services``, and the reporter is shown only through ``reporter_for`` — in
full to the complaint's handler, 法制科 and 局领导, masked to everyone else, on the page, in the export
and in the PDF alike.
"""

import functools
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
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
from complaints.models import Channel, Complaint, ComplaintReporter, ComplaintState, RewardDecision
from linkage import rules
from permits.forms import FacilityField
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
    facility = FacilityField(label="被投诉单位", required=False, help_text="不明确的可不填。")
    # Not required here: the service says what is missing, together with the reporter's checks.
    content = forms.CharField(
        label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, required=False
    )

    field_order = ["channel", "received_on", "facility", "content", *ReporterFields.base_fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = visible_facilities(user)


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
        self.fields["handler"].choices = [("", "请选择承办人"), *((s.user_id, s.user.display_name) for s in staff)]
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
        self.fields["handler"].choices = [("", "请选择承办人"), *((s.user_id, s.user.display_name) for s in staff)]


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="办结日期", widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)


class ReporterForm(ReporterFields):
    reason = forms.CharField(label="更正原因", max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reporter_%s")
        super().__init__(*args, **kwargs)


# List, export --------------------------------------------------------------------------------------


def _filterset(request) -> queries.ComplaintFilter:
    filterset = queries.ComplaintFilter(request.GET, queryset=queries.complaint_list(request.user), request=request)
    for name in ("channel", "state"):
        field = filterset.form.fields[name]
        field.widget.choices = [("", "全部"), *((v, label) for v, label in field.choices if v != "")]
    return filterset


def _rows(user, complaints):
    for complaint in complaints:
        yield {"complaint": complaint, "reporter": queries.reporter_for(user, complaint.reporter, complaint)}


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_list(request):
    """信访投诉 list: filters by channel, state and facility, 50 a page, reporter as the user may see."""
    filterset = _filterset(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": list(_rows(request.user, page.object_list)),
            "may_register": section_code(request.user) in complaint_rules.REGISTERING_SECTIONS,
            "sees_identity": queries.can_see_reporter(request.user),
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
    ("答复日期", 12),
    ("拟奖励金额（元）", 12),
    ("奖励决定", 10),
]


def export_rows(user, complaints):
    """One row per complaint; the reporter through ``reporter_for`` as on the page."""
    for row in _rows(user, complaints):
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
            complaint.answered_on,
            complaint.reward_amount,
            complaint.get_reward_decision_display(),
        ]


@section_required(*complaint_rules.COMPLAINT_SECTIONS)
def complaint_export(request):
    """The filtered list as Excel, all pages, the reporter masked as on the page."""
    complaints = _filterset(request).qs.iterator(chunk_size=EXPORT_CHUNK)
    output = excel.write_workbook("信访投诉", EXPORT_COLUMNS, export_rows(request.user, complaints))
    filename = f"信访投诉-{timezone.localdate():%Y%m%d}.xlsx"
    return excel.xlsx_response(output, filename)


# Intake --------------------------------------------------------------------------------------------


@section_required(*complaint_rules.REGISTERING_SECTIONS)
def complaint_new(request):
    """登记信访投诉 from any channel (R-CMP-1), for 执法大队 and 法制科."""
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
            found["close"] = bound.get("close") or CloseForm()
    if code == complaint_rules.DECIDING_SECTION and complaint.reward_pending:
        found["decision"] = bound.get("decision") or DecisionForm()
    if code == complaint_rules.CORRECTING_SECTION:
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


def _render_detail(request, pk, *, bound: dict | None = None, status: int = 200, alert: str = ""):
    user = request.user
    complaint = queries.complaint_for_user(user, pk)
    context = {
        "complaint": complaint,
        "reporter": queries.reporter_for(user, complaint.reporter, complaint),
        "sees_identity": queries.can_see_reporter(user, complaint),
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
    """One complaint: what was reported, the reporter as the user may see them, the linkage task, the
    answer, the reward, the history, and the forms of the steps the user's section may take. Other
    departments open it only from a linkage task they received (404 otherwise)."""
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
        cmp.close_complaint(by=request.user, complaint=complaint, **data)
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
    """信访投诉办理单 as a PDF, the reporter as the user may see them (masked for most)."""
    complaint = queries.complaint_for_user(request.user, pk)
    pdf = render_pdf(
        "complaints/pdf.html",
        {
            "complaint": complaint,
            "reporter": queries.reporter_for(request.user, complaint.reporter, complaint),
            "printed_at": timezone.localtime(),
            "url": request.build_absolute_uri(reverse("complaints:complaint-detail", args=[complaint.pk])),
        },
    )
    return pdf_response(pdf, (f"信访投诉办理单-{complaint.number}.pdf", f"{complaint.number}.pdf"))
