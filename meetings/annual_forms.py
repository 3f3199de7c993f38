"""Forms of the annual meeting's pages (R-MTG-4): they parse and check the shape of the input; every
rule and every write is ``meetings.annual``'s."""

from django import forms
from django.utils import timezone

from bureau.web import DATE_WIDGET
from meetings.annual import PRINCIPAL_MAX, REASON_MAX, AttendanceEntry, row_key
from meetings.models import AttendanceStatus

TEXTAREA = {"rows": 6}


class PlanForm(forms.Form):
    scheduled_on = forms.DateField(
        label="会议日期", widget=DATE_WIDGET, help_text="每年上半年（1月1日至6月30日）召开。"
    )
    location = forms.CharField(label="会议地点", max_length=200)
    notice_number = forms.CharField(
        label="通知文号", max_length=60, required=False, help_text="局办公室编发的文号；可暂不填写。"
    )
    work_report = forms.CharField(
        label="上年度排污许可工作整体开展情况",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="会上由工作组通报；可先起草，召开时定稿。",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)


class HeldForm(forms.Form):
    held_on = forms.DateField(label="召开日期", widget=DATE_WIDGET, initial=timezone.localdate)
    work_report = forms.CharField(
        label="上年度排污许可工作整体开展情况", max_length=20000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    requirements = forms.CharField(
        label="对持证单位提出的管理要求",
        max_length=20000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="保存后即记为“已召开”，会议记录不再修改。",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_held_%s")
        super().__init__(*args, **kwargs)


class AttendanceForm(forms.Form):
    """One holder's row: the row's id travels hidden; the facility shown beside it is the page's."""

    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    principal = forms.CharField(
        label="主要负责人",
        max_length=PRINCIPAL_MAX,
        required=False,
        widget=forms.TextInput(attrs={"aria-label": "主要负责人"}),
    )
    status = forms.ChoiceField(
        label="到会情况",
        choices=AttendanceStatus.choices,
        widget=forms.Select(attrs={"aria-label": "到会情况"}),
    )
    absence_reason = forms.CharField(
        label="缺席原因",
        max_length=REASON_MAX,
        required=False,
        widget=forms.TextInput(attrs={"aria-label": "缺席原因"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == AttendanceStatus.ABSENT and not (data.get("absence_reason") or "").strip():
            self.add_error("absence_reason", "主要负责人缺席的，请写明原因。")
        return data


class AttendanceFormSet(forms.BaseFormSet):
    """The rows of one page of the attendance sheet. ``rows`` are the attendance records shown, in
    order; each form carries its record as ``form.row`` for the page. A service error keyed by a row
    (``meetings.annual.row_key``) lands on that row."""

    def __init__(self, *args, rows, **kwargs):
        self.rows = list(rows)
        initial = [
            {"id": r.pk, "principal": r.principal, "status": r.status, "absence_reason": r.absence_reason}
            for r in self.rows
        ]
        super().__init__(*args, initial=initial, prefix="row", **kwargs)
        for form, row in zip(self.forms, self.rows, strict=False):
            form.row = row

    def entries(self) -> list[AttendanceEntry]:
        return [
            AttendanceEntry(
                id=f.cleaned_data["id"],
                principal=f.cleaned_data["principal"],
                status=f.cleaned_data["status"],
                absence_reason=f.cleaned_data["absence_reason"],
            )
            for f in self.forms
        ]

    def add_service_error(self, name: str, message: str) -> bool:
        for form in self.forms:
            if form.is_bound and row_key(form.data.get(form.add_prefix("id"), "")) == name:
                form.add_error(None, message)
                return True
            if not form.is_bound and row_key(form.initial.get("id")) == name:
                form.add_error(None, message)
                return True
        return False


def attendance_formset(data=None, *, rows):
    """The formset of ``rows``: exactly as many forms as rows, so a POST cannot add or drop any."""
    rows = list(rows)
    factory = forms.formset_factory(
        AttendanceForm,
        formset=AttendanceFormSet,
        extra=0,
        min_num=len(rows),
        max_num=len(rows),
        absolute_max=len(rows),
        validate_min=True,
        validate_max=True,
    )
    return factory(data, rows=rows)
