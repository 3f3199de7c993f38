"""Forms of the inspection pages (list filters, 登记现场检查, 登记更正, findings, 发起三监联动). They
parse and resolve what was typed; ``inspections.services`` decide (R-INS-6, R-INS-8)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from bureau.models import SectionCode, Staff, Town
from bureau.web import DATE_WIDGET
from complaints.queries import visible_complaints
from inspections import rules
from inspections.models import (
    ChecklistVersion,
    Disposition,
    DrawItem,
    DrawState,
    FindingKind,
    FindingState,
    Inspection,
    InspectionState,
    Reason,
    Verdict,
    VersionState,
)
from inspections.services.inspections import AMENDABLE
from linkage.models import LinkageTask
from linkage.rules import LINKAGE_SECTIONS
from linkage.services.tasks import DEFAULT_DEADLINE_WORKDAYS
from linkage.task_forms import SignedForm, department_choices
from permits.forms import FacilityField
from permits.models import Permit, ReportLead
from permits.queries import visible_facilities

DATE_ERRORS = {"required": "请填写检查日期。", "invalid": "请按“年-月-日”填写日期，如 2026-06-15。"}
ALL = [("", "全部")]


def _all(choices) -> list[tuple[str, str]]:
    return [*ALL, *((value, label) for value, label in choices if value != "")]


# The list and its filters ------------------------------------------------------------------------------


class InspectionFilterForm(forms.Form):
    """全部检查: facility search, state, reason, date range, town."""

    q = forms.CharField(label="检查编号或排污单位", required=False, max_length=100)
    state = forms.ChoiceField(label="状态", choices=_all(InspectionState.choices), required=False)
    reason = forms.ChoiceField(label="检查事由", choices=_all(Reason.choices), required=False)
    date_from = forms.DateField(label="检查日期自", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="至", required=False, widget=DATE_WIDGET)
    town = forms.ModelChoiceField(
        label="所属街镇", queryset=Town.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.order_by("code")

    def filter(self, inspections):
        """``inspections`` narrowed by what the form holds (nothing narrowed when it is invalid)."""
        if not self.is_valid():
            return inspections
        data = self.cleaned_data
        text = data["q"].strip()
        if text:
            inspections = inspections.filter(
                Q(number__icontains=text)
                | Q(facility__name__icontains=text)
                | Q(facility__source_code__iexact=text)
                | Q(facility__credit_code__iexact=text)
            )
        if data["state"]:
            inspections = inspections.filter(state=data["state"])
        if data["reason"]:
            inspections = inspections.filter(reason=data["reason"])
        if data["date_from"]:
            inspections = inspections.filter(inspected_on__gte=data["date_from"])
        if data["date_to"]:
            inspections = inspections.filter(inspected_on__lte=data["date_to"])
        if data["town"]:
            inspections = inspections.filter(facility__town=data["town"])
        return inspections


class FindingFilterForm(forms.Form):
    """检查发现问题: class (R-INS-7), disposition (R-INS-8), state, facility, date."""

    kind = forms.ChoiceField(label="违法类别", choices=_all(FindingKind.choices), required=False)
    disposition = forms.ChoiceField(label="处理方式", choices=_all(Disposition.choices), required=False)
    state = forms.ChoiceField(label="状态", choices=_all(FindingState.choices), required=False)
    q = forms.CharField(label="排污单位或检查编号", required=False, max_length=100)
    date_from = forms.DateField(label="发现日期自", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="至", required=False, widget=DATE_WIDGET)

    def filter(self, findings):
        if not self.is_valid():
            return findings
        data = self.cleaned_data
        for name in ("kind", "disposition", "state"):
            if data[name]:
                findings = findings.filter(**{name: data[name]})
        text = data["q"].strip()
        if text:
            findings = findings.filter(
                Q(inspection__number__icontains=text)
                | Q(facility__name__icontains=text)
                | Q(facility__source_code__iexact=text)
                | Q(facility__credit_code__iexact=text)
            )
        if data["date_from"]:
            findings = findings.filter(found_on__gte=data["date_from"])
        if data["date_to"]:
            findings = findings.filter(found_on__lte=data["date_to"])
        return findings


# 登记现场检查 ---------------------------------------------------------------------------------------------


def inspecting_staff(user) -> list[Staff]:
    """The officers a new inspection may name (R-INS-6): 执法大队's active members with a certificate
    number, and the person filling the form (who, without a certificate, hears why from the service).
    One query."""
    return list(
        Staff.objects.filter(section__code=SectionCode.ENFORCEMENT, user__is_active=True)
        .filter(~Q(certificate_no="") | Q(user=user))
        .select_related("user")
        .order_by("-role", "user__username")
    )


class _NumberField(forms.CharField):
    """A source typed by its number, resolved among ``queryset`` by ``lookup`` (an id for leads)."""

    def __init__(self, *, lookup: str = "number", missing: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.lookup, self.missing, self.queryset = lookup, missing, None

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if self.lookup == "pk" and not text.isdigit():
            raise ValidationError(self.missing.format(text))
        found = self.queryset.filter(**{self.lookup: text}).first()
        if found is None:
            raise ValidationError(self.missing.format(text))
        return found


class InspectionStartForm(forms.Form):
    """登记现场检查 (R-INS-6): the facility, the date, two or more officers, the reason and its source,
    the checklist version. Field names are the service's error keys, so every refusal lands on its
    field."""

    facility = FacilityField(label="被检查单位", error_messages={"required": "请选择被检查的排污单位。"})
    inspected_on = forms.DateField(label="检查日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    officers = forms.TypedMultipleChoiceField(
        label="检查人员",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="至少两名持有执法证的执法大队人员。",
        error_messages={
            "required": "请选择至少两名检查人员。",
            "invalid_choice": "所选人员不是执法大队持证执法人员。",
        },
    )
    reason = forms.ChoiceField(
        label="检查事由",
        choices=[("", "请选择"), *Reason.choices],
        error_messages={"required": "请选择检查事由。"},
    )
    source_reference = forms.CharField(
        label="来源说明",
        required=False,
        max_length=200,
        help_text="双随机抽查、年度计划检查或专项行动：填写抽查批次、计划或行动的名称与文号。",
    )
    complaint = _NumberField(label="信访投诉编号", missing="未找到编号为 {} 的信访投诉。")
    linkage_task = _NumberField(label="三监联动任务编号", missing="未找到编号为 {} 的三监联动任务。")
    report_lead = _NumberField(
        label="执行报告线索编号", lookup="pk", missing="未找到编号为 {} 的执行报告线索。"
    )
    permit = _NumberField(label="新发许可证编号", missing="未找到编号为 {} 的排污许可证。")
    follow_up_of = _NumberField(label="被复查的检查编号", missing="未找到编号为 {} 的现场检查。")
    checklist_version = forms.ModelChoiceField(
        label="检查清单",
        queryset=ChecklistVersion.objects.none(),
        required=False,
        empty_label="按单位类别自动选择现行清单",
    )
    # A unit drawn in a 双随机抽查 (R-INS-5): ``?draw_item=`` fills it; the service checks it.
    draw_item = forms.ModelChoiceField(
        queryset=DrawItem.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "该抽查结果不存在或已登记检查。"},
    )

    officer_change_reason = forms.CharField(
        label="执法人员调整原因",
        max_length=200,
        required=False,
        help_text="仅双随机抽查：检查人员不是随机选派的两人时（回避、请假等）填写，随检查结果公开。",
    )

    def __init__(self, *args, user, staff: list[Staff], **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        self.fields["officers"].choices = [
            (s.user_id, f"{s.user.display_name}（{s.certificate_no or '未登记执法证号'}）") for s in staff
        ]
        facilities = visible_facilities(user)
        self.fields["facility"].queryset = facilities
        self.fields["complaint"].queryset = visible_complaints(user)
        self.fields["linkage_task"].queryset = LinkageTask.objects.all()
        self.fields["report_lead"].queryset = ReportLead.objects.filter(facility__in=facilities)
        self.fields["permit"].queryset = Permit.objects.filter(facility__in=facilities)
        self.fields["follow_up_of"].queryset = Inspection.objects.filter(facility__in=facilities)
        self.fields["checklist_version"].queryset = ChecklistVersion.objects.filter(
            state=VersionState.PUBLISHED
        ).select_related("checklist")
        self.fields["draw_item"].queryset = DrawItem.objects.filter(
            inspection__isnull=True, draw__state=DrawState.DRAWN
        ).select_related("draw")
        if not self.is_bound:
            self.initial.setdefault("inspected_on", timezone.localdate())
            if user.pk in self.users:
                self.initial.setdefault("officers", [user.pk])

    def clean_officers(self):
        return [self.users[pk] for pk in self.cleaned_data["officers"]]


# 登记更正 (R-INS-6) -------------------------------------------------------------------------------------


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(
        label="更正事项",
        choices=[("", "请选择"), *AMENDABLE.items()],
        error_messages={"required": "请选择更正事项。"},
    )
    point = forms.TypedChoiceField(label="检查要点", coerce=int, required=False, empty_value=None)
    before = forms.CharField(
        label="原记载",
        required=False,
        max_length=2000,
        help_text="更正“其他”事项时填写；检查结论、情况说明等按检查记录自动带出。",
    )
    after = forms.CharField(
        label="更正为",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": "请填写更正后的内容。"},
    )
    reason = forms.CharField(
        label="更正理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写更正理由。"},
    )

    def __init__(self, *args, points, **kwargs):
        kwargs.setdefault("auto_id", "id_amend_%s")
        super().__init__(*args, **kwargs)
        self.points = {p.pk: p for p in points}
        self.fields["point"].choices = [
            ("", "（不涉及具体要点）"),
            *((p.pk, f"{p.code} {p.text[:40]}") for p in points),
        ]
        self.fields["after"].help_text = "更正检查结论时填写：" + "、".join(
            label for value, label in Verdict.choices if value
        )

    def clean_point(self):
        pk = self.cleaned_data["point"]
        return self.points.get(pk) if pk else None


# 发起三监联动 from a finding (R-LNK-1) --------------------------------------------------------------------


class FindingTaskForm(SignedForm):
    """The task a finding another department must act on starts (R-LNK-1): receivers, description
    (pre-filled from the finding), handler and head of 执法大队, date, deadline, remarks."""

    receivers = forms.MultipleChoiceField(
        label="接收部门",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个接收部门。", "invalid_choice": "接收部门不能是本部门。"},
    )
    description = forms.CharField(
        label="问题描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "请填写问题描述。"},
    )
    started_on = forms.DateField(label="发起日期", widget=DATE_WIDGET)
    deadline_workdays = forms.IntegerField(
        label="办理时限（工作日）", min_value=1, max_value=250, initial=DEFAULT_DEADLINE_WORKDAYS
    )
    remarks = forms.CharField(label="备注", max_length=500, required=False)

    field_order = [
        "receivers",
        "description",
        "handler",
        "head",
        "started_on",
        "deadline_workdays",
        "remarks",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_task_%s")
        super().__init__(*args, **kwargs)
        self.fields["receivers"].choices = department_choices(LINKAGE_SECTIONS - {rules.INSPECTING_SECTION})
        if not self.is_bound:
            self.initial.setdefault("started_on", timezone.localdate())
