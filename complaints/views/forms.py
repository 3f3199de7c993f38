"""The forms of the complaint pages: they parse; the services decide."""

from django import forms
from django.utils import timezone

from bureau import sections
from bureau.models import Role, Staff
from bureau.web import DATE_WIDGET
from complaints import services as cmp
from complaints.models import (
    Channel,
    Rectification,
    RewardDecision,
)
from linkage import rules
from permits.forms import FacilityField
from permits.queries import visible_facilities

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


class CorrectionForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices)
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET)
    facility = FacilityField(label="被投诉单位", required=False, help_text="不明确的可不填。")
    content = forms.CharField(
        label="反映内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, required=False
    )
    reason = forms.CharField(label="更正原因", max_length=500)

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
    # Only for a verified (属实) complaint; the service says when it is missing.
    rectification = forms.ChoiceField(
        label="整改情况", choices=Rectification.choices, required=False, widget=forms.RadioSelect
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
