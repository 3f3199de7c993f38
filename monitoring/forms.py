"""The forms of the monitoring pages (R-MON-1): they parse; the services decide. Fields the services
check (dates against today, the outlet's facility, units) are optional here, so every refusal comes
back as the service's Chinese message on its field."""

from django import forms
from django.utils import timezone

from bureau.models import Town
from bureau.web import DATE_WIDGET
from monitoring.models import Basis, Conclusion, TaskKind, TaskState

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )


class DispatchForm(forms.Form):
    due_on = forms.DateField(label="完成期限", widget=DATE_WIDGET, required=False)


class TaskFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *TaskState.choices], required=False)
    kind = forms.ChoiceField(label="任务类型", choices=[("", "全部"), *TaskKind.choices], required=False)
    basis = forms.ChoiceField(label="列入依据", choices=[("", "全部"), *Basis.choices], required=False)
    town = forms.ModelChoiceField(
        label="所属街镇", queryset=Town.objects.order_by("code"), required=False, empty_label="全部"
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label="只看超期", required=False)


class AddTaskForm(forms.Form):
    facility = forms.CharField(
        label="排污单位（污染源编码）", max_length=21, help_text="填写 21 位污染源编码。"
    )
    kind = forms.ChoiceField(label="任务类型", choices=TaskKind.choices)
    due_on = forms.DateField(label="完成期限", widget=DATE_WIDGET, required=False)
    note = forms.CharField(label="增派事由", max_length=300, required=False)


class SamplingForm(forms.Form):
    sampled_on = forms.DateField(label="采样日期", widget=DATE_WIDGET, required=False)
    outlet = forms.TypedChoiceField(label="排放口", coerce=int, required=False, empty_value=None)
    staff = forms.TypedMultipleChoiceField(
        label="采样人员", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label="采样情况", widget=TEXTAREA, required=False, max_length=2000)

    def __init__(self, *args, outlets=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [
            ("", "请选择"),
            *[(o.pk, f"{o.code} {o.name}".strip()) for o in outlets],
        ]
        self.fields["staff"].choices = [(u.pk, u.display_name) for u in people]


class ResultForm(forms.Form):
    pollutant = forms.CharField(
        label="污染物",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"list": "limited-pollutants", "autocomplete": "off"}),
        help_text="请按许可证的污染物名称填写（可从列表选择），名称不一致的不与许可限值比对。",
    )
    measured = forms.DecimalField(label="监测浓度", max_digits=12, decimal_places=3, required=False)
    unit = forms.CharField(label="浓度单位", max_length=20, required=False, initial="mg/m³")


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="结论", choices=[("", "请选择"), *[c for c in Conclusion.choices if c[0]]], required=False
    )
    text = forms.CharField(label="结论说明", widget=TEXTAREA, required=False, max_length=2000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300, required=False)
