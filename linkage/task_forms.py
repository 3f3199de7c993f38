"""Forms of the 三监联动 task pages. They parse and validate input only: every write goes through
``linkage.services.tasks`` (the views call a service with ``cleaned_data``), and the services' own
checks (who may take a step, whether it is its turn, who may sign) stay the authority.

The 经办人 and 负责人 choices are the staff of the acting department, loaded once by the view and
passed in, so a page with several forms costs one query for them.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bureau.models import Role, SectionCode, Staff
from bureau.web import DATE_WIDGET, SearchInput
from linkage import rules
from linkage.models import AttachmentKind, SourceKind, TaskState
from linkage.services.tasks import DEFAULT_DEADLINE_WORKDAYS
from permits.forms import FacilityField

DATE_ERRORS = {"required": "请填写日期。", "invalid": "请按“年-月-日”填写日期，如 2025-03-01。"}
FUTURE_DATE = "日期不能晚于今天。"
NO_HEAD = "本部门尚未设置负责人（科长），请联系系统管理员。"


def department_choices(codes) -> list[tuple[str, str]]:
    """``(code, full name)`` of the linkage departments among ``codes``, in the 附件5 order."""
    labels = dict(SectionCode.choices)
    return [(code, labels[code]) for code in rules.DEPARTMENT_ORDER if code in codes]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SignedForm(forms.Form):
    """A step signed by a 经办人 and a 负责人 of the acting department (附件5's two columns).

    ``staff`` is the department's staff; the handler defaults to the person filling the form, the
    head to the department's first 负责人. Field names follow the services' error keys.
    """

    handler = forms.TypedChoiceField(
        label="经办人",
        coerce=int,
        error_messages={"required": "请选择经办人。", "invalid_choice": "经办人应为本部门的工作人员。"},
    )
    head = forms.TypedChoiceField(
        label="负责人",
        coerce=int,
        error_messages={"required": "请选择负责人。", "invalid_choice": "负责人应为本部门的负责人（科长）。"},
    )

    def __init__(self, *args, staff: list[Staff], user, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        heads = [s for s in staff if s.role == Role.HEAD]
        self.fields["handler"].choices = [(s.user_id, _staff_label(s)) for s in staff]
        self.fields["head"].choices = [(s.user_id, s.user.display_name) for s in heads]
        if not heads:
            self.fields["head"].help_text = NO_HEAD
        if not self.is_bound:
            if user.pk in self.users:
                self.initial.setdefault("handler", user.pk)
            if heads:
                self.initial.setdefault("head", heads[0].user_id)

    def clean_handler(self):
        return self.users[self.cleaned_data["handler"]]

    def clean_head(self):
        return self.users[self.cleaned_data["head"]]


def _staff_label(staff: Staff) -> str:
    return f"{staff.user.display_name}（{staff.get_role_display()}）"


def _not_in_future(value: date) -> date:
    if value > timezone.localdate():
        raise ValidationError(FUTURE_DATE)
    return value


class StepDateMixin:
    """A step's date: not later than today, not earlier than the task's date (a slip entered from
    paper keeps the paper's dates, which are in the past, so past dates are allowed)."""

    date_field = ""

    def _clean_step_date(self):
        value = _not_in_future(self.cleaned_data[self.date_field])
        if value < self.task.started_on:
            raise ValidationError(f"日期不能早于任务发起日期（{self.task.started_on:%Y-%m-%d}）。")
        return value


class TaskStartForm(SignedForm):
    """任务发起 (R-LNK-1, 附件5): department, problem description, handler, head, date, remarks; the
    receiving departments (R-LNK-2) and the deadline in working days (R-LNK-7).

    ``paper`` is a slip done on paper and entered afterwards (R-LNK-5): the date is the paper's.
    """

    receivers = forms.MultipleChoiceField(
        label="接收部门",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一个接收部门。",
            "invalid_choice": "接收部门不能是本部门或其他科室。",
        },
    )
    facility = FacilityField(
        label="排污单位（可选）",
        required=False,
        help_text="输入名称、统一社会信用代码或污染源编码并从提示中选择；与具体单位无关的任务可不填。",
    )
    description = forms.CharField(
        label="问题描述",
        widget=_textarea(4),
        max_length=4000,
        help_text="主要记录问题缘由、需要联动的内容（附件5 说明（1））。",
        error_messages={"required": "请填写问题描述。"},
    )
    started_on = forms.DateField(
        label="发起日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    deadline_workdays = forms.IntegerField(
        label="办理时限（工作日）",
        min_value=1,
        max_value=250,
        initial=DEFAULT_DEADLINE_WORKDAYS,
        help_text="按工作日计算，节假日顺延、调休上班日计入。",
    )
    source_kind = forms.ChoiceField(label="任务来源", choices=SourceKind.choices, initial=SourceKind.MANUAL)
    remarks = forms.CharField(label="备注", max_length=500, required=False)
    requested_by = forms.ChoiceField(
        label="提出需求部门（代为派发）",
        required=False,
        help_text="生态科应其他部门要求向环境监测站派发监测任务时选择；任务将注明“应该部门要求，由生态科派发”。",
    )
    slip_scan = forms.FileField(
        label="纸质转办单扫描件",
        help_text="PDF 或图片（JPG、PNG），不超过 10 MB。",
        error_messages={"required": "请上传纸质转办单扫描件。"},
    )
    contact_record = forms.FileField(
        label="在线联络记录（可选）",
        required=False,
        help_text="邮件（PDF 或 .eml）、微信截图（JPG、PNG）等，不超过 10 MB（附件5 说明（5））。",
    )

    field_order = [
        "receivers",
        "facility",
        "description",
        "handler",
        "head",
        "started_on",
        "deadline_workdays",
        "source_kind",
        "remarks",
    ]

    def __init__(self, *args, initiator: str, facilities, paper: bool = False, anomaly=None, **kwargs):
        kwargs.setdefault("auto_id", "id_start_%s")
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if anomaly is not None:
            # The task is about the report's facility and comes from the report (R-ANM-1).
            del self.fields["facility"], self.fields["source_kind"]
            self.fields["anomaly"] = forms.IntegerField(widget=forms.HiddenInput, initial=anomaly.pk)
            self.initial.setdefault(
                "description",
                f"{anomaly.facility.name}报告{anomaly.get_kind_display()}（异常情况报告 {anomaly.number}，"
                f"自 {timezone.localtime(anomaly.started_at):%Y-%m-%d %H:%M} 起）：{anomaly.description}\n单位已采取的措施：{anomaly.measures}",
            )
        self.fields["receivers"].choices = department_choices(rules.LINKAGE_SECTIONS - {initiator})
        if initiator == rules.MONITORING_LEAD:
            self.fields["requested_by"].choices = [
                ("", "（本部门发起）"),
                *department_choices(rules.REQUESTING_SECTIONS),
            ]
        else:
            del self.fields["requested_by"]
        if not paper:
            del self.fields["slip_scan"], self.fields["contact_record"]
        if paper:
            self.fields["started_on"].label = "转办单日期"
            self.fields["started_on"].initial = None
            self.fields["started_on"].help_text = "纸质转办单上的发起日期；办理期限从该日起按工作日计算。"

    def clean_started_on(self):
        return _not_in_future(self.cleaned_data["started_on"])

    def attachments(self) -> list[tuple[str, object]]:
        """The files of a paper slip, for the service, which checks them by content (R-LNK-5)."""
        data = self.cleaned_data
        files = [
            (AttachmentKind.SLIP_SCAN, data.get("slip_scan")),
            (AttachmentKind.ONLINE_CONTACT, data.get("contact_record")),
        ]
        return [(kind, upload) for kind, upload in files if upload]


class ReceiveForm(StepDateMixin, SignedForm):
    """任务接收与执行 (R-LNK-2, 附件5): what the department did, handler, head, date, remarks."""

    execution = forms.CharField(
        label="接收与执行情况",
        widget=_textarea(),
        max_length=4000,
        error_messages={"required": "请填写接收与执行情况。"},
    )
    executed_on = forms.DateField(
        label="日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    remarks = forms.CharField(label="备注", max_length=500, required=False)
    field_order = ["execution", "handler", "head", "executed_on", "remarks"]
    date_field = "executed_on"

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("auto_id", "id_receive_%s")
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_executed_on(self):
        return self._clean_step_date()


class FeedbackForm(StepDateMixin, SignedForm):
    """任务反馈 (R-LNK-3, 附件5): the result fed back to the initiator, handler, head, date, remarks."""

    result = forms.CharField(
        label="结果反馈", widget=_textarea(), max_length=4000, error_messages={"required": "请填写结果反馈。"}
    )
    fed_back_on = forms.DateField(
        label="日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    remarks = forms.CharField(label="备注", max_length=500, required=False)
    field_order = ["result", "handler", "head", "fed_back_on", "remarks"]
    date_field = "fed_back_on"

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("auto_id", "id_feedback_%s")
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_fed_back_on(self):
        return self._clean_step_date()


class CloseForm(StepDateMixin, forms.Form):
    """问题销号 by the initiator (R-LNK-6)."""

    closed_on = forms.DateField(
        label="销号日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    note = forms.CharField(label="销号说明（可选）", widget=_textarea(2), max_length=2000, required=False)
    date_field = "closed_on"

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_closed_on(self):
        return self._clean_step_date()


class ReturnForm(StepDateMixin, forms.Form):
    """退回 by the initiator with a reason: every department feeds back again."""

    reason = forms.CharField(
        label="退回理由",
        widget=_textarea(2),
        max_length=2000,
        error_messages={"required": "退回时请说明理由。"},
    )
    returned_on = forms.DateField(
        label="退回日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    date_field = "returned_on"

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("auto_id", "id_return_%s")
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_returned_on(self):
        return self._clean_step_date()


class ArchiveForm(StepDateMixin, forms.Form):
    """归档整理 by 审批科 (R-LNK-4)."""

    archived_on = forms.DateField(
        label="归档日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    date_field = "archived_on"

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault("auto_id", "id_archive_%s")
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_archived_on(self):
        return self._clean_step_date()


class TaskFilterForm(forms.Form):
    """Filters of the 全部任务 list: department, state, not yet closed, overdue, facility (R-LNK-6),
    and the town the dashboards' figures link with (hidden: the list offers no town choice)."""

    department = forms.ChoiceField(label="涉及部门", required=False)
    state = forms.ChoiceField(label="状态", required=False)
    active = forms.BooleanField(label="仅看未销号", required=False)
    overdue = forms.BooleanField(label="仅看已逾期", required=False)
    town = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    facility = forms.CharField(
        label="排污单位", max_length=200, required=False, widget=SearchInput("permits:facility-search")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "全部"), *department_choices(rules.LINKAGE_SECTIONS)]
        self.fields["state"].choices = [("", "全部"), *TaskState.choices]
        self.fields["facility"].widget.attrs["placeholder"] = "名称或代码，可从提示中选择"

    @property
    def active_count(self) -> int:
        if not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value)


class PaperRowForm(forms.Form):
    """One receiving department's rows of a slip done on paper (R-LNK-5, 附件5): 任务接收与执行 and,
    when the paper has it, 任务反馈, each with the 经办人 and 负责人 who signed the paper (staff of the
    receiving department) and the paper's date. A row already received keeps only the feedback half.

    ``staff`` is the receiving department's staff; the people are not preselected: they are read off
    the paper. Field names follow ``enter_paper_rows``' arguments and error keys.
    """

    section = forms.CharField(widget=forms.HiddenInput)
    execution = forms.CharField(
        label="接收与执行情况",
        widget=_textarea(),
        max_length=4000,
        error_messages={"required": "请按纸质转办单填写接收与执行情况。"},
    )
    execution_handler = forms.TypedChoiceField(label="经办人（接收与执行）", coerce=int)
    execution_head = forms.TypedChoiceField(label="负责人（接收与执行）", coerce=int)
    executed_on = forms.DateField(label="接收与执行日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    execution_remarks = forms.CharField(label="备注（接收与执行）", max_length=500, required=False)
    feedback = forms.CharField(
        label="结果反馈",
        widget=_textarea(),
        max_length=4000,
        required=False,
        help_text="纸质转办单上尚无结果反馈时可不填，以后再补录。",
    )
    feedback_handler = forms.TypedChoiceField(
        label="经办人（结果反馈）", coerce=int, required=False, empty_value=None
    )
    feedback_head = forms.TypedChoiceField(
        label="负责人（结果反馈）", coerce=int, required=False, empty_value=None
    )
    fed_back_on = forms.DateField(
        label="结果反馈日期", widget=DATE_WIDGET, required=False, error_messages=DATE_ERRORS
    )
    feedback_remarks = forms.CharField(label="备注（结果反馈）", max_length=500, required=False)

    def __init__(self, *args, task, assignment, staff: list[Staff], **kwargs):
        code = assignment.section.code
        kwargs.setdefault("auto_id", f"id_paper_{code}_%s")
        kwargs.setdefault("initial", {"section": code})
        super().__init__(*args, **kwargs)
        self.task, self.assignment = task, assignment
        self.users = {s.user_id: s.user for s in staff}
        name = assignment.section.short_name
        people = [("", "—")] + [(s.user_id, _staff_label(s)) for s in staff]
        heads = [("", "—")] + [(s.user_id, s.user.display_name) for s in staff if s.role == Role.HEAD]
        for prefix in ("execution_", "feedback_"):
            self.fields[f"{prefix}handler"].choices = people
            self.fields[f"{prefix}head"].choices = heads
            self.fields[f"{prefix}handler"].error_messages |= {
                "required": "请选择纸质转办单上的经办人。",
                "invalid_choice": f"经办人应为{name}的工作人员。",
            }
            self.fields[f"{prefix}head"].error_messages |= {
                "required": "请选择纸质转办单上的负责人。",
                "invalid_choice": f"负责人应为{name}的负责人（科长）。",
            }
        if assignment.state != rules.PENDING:
            # Received already: only the feedback half is left, and it is required now.
            for field in (
                "execution",
                "execution_handler",
                "execution_head",
                "executed_on",
                "execution_remarks",
            ):
                del self.fields[field]
            self.fields["feedback"].required = True
            self.fields["feedback"].help_text = ""
            self.fields["feedback"].error_messages["required"] = "请按纸质转办单填写结果反馈。"

    def _user(self, name):
        value = self.cleaned_data.get(name)
        return None if value is None else self.users[value]

    def _date(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        value = _not_in_future(value)
        if value < self.task.started_on:
            raise ValidationError(f"日期不能早于任务发起日期（{self.task.started_on:%Y-%m-%d}）。")
        return value

    def clean_execution_handler(self):
        return self._user("execution_handler")

    def clean_execution_head(self):
        return self._user("execution_head")

    def clean_feedback_handler(self):
        return self._user("feedback_handler")

    def clean_feedback_head(self):
        return self._user("feedback_head")

    def clean_executed_on(self):
        return self._date("executed_on")

    def clean_fed_back_on(self):
        return self._date("fed_back_on")

    def service_arguments(self) -> dict:
        """``cleaned_data`` as ``enter_paper_rows`` takes it (a received row has no execution half)."""
        data = dict(self.cleaned_data)
        data.pop("section")
        for name in ("execution", "execution_remarks"):
            data.setdefault(name, "")
        for name in ("execution_handler", "execution_head", "executed_on"):
            data.setdefault(name, None)
        return data


class ConfirmForm(StepDateMixin, forms.Form):
    """负责人确认 of a task the system started (R-LNK-1): the head names the 经办人 and signs."""

    handler = forms.TypedChoiceField(
        label="经办人",
        coerce=int,
        error_messages={"required": "请选择经办人。", "invalid_choice": "经办人应为本部门的工作人员。"},
    )
    confirmed_on = forms.DateField(
        label="确认日期", widget=DATE_WIDGET, initial=timezone.localdate, error_messages=DATE_ERRORS
    )
    date_field = "confirmed_on"

    def __init__(self, *args, task, staff: list[Staff], user=None, **kwargs):
        kwargs.setdefault("auto_id", "id_confirm_%s")
        super().__init__(*args, **kwargs)
        self.task = task
        self.users = {s.user_id: s.user for s in staff}
        self.fields["handler"].choices = [(s.user_id, _staff_label(s)) for s in staff]

    def clean_handler(self):
        return self.users[self.cleaned_data["handler"]]

    def clean_confirmed_on(self):
        return self._clean_step_date()


class PaperFileForm(forms.Form):
    """补充材料 of a paper slip (R-LNK-5): a scan or a record of online contact."""

    kind = forms.ChoiceField(label="材料类别", choices=AttachmentKind.choices)
    file = forms.FileField(
        label="文件",
        help_text="PDF、图片（JPG、PNG）或邮件（.eml），不超过 10 MB；扫描件只接受 PDF 或图片。",
        error_messages={"required": "请选择文件。"},
    )
