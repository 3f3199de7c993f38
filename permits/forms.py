"""Forms of the registry pages. They parse and validate input only: every write goes through
``permits.services`` (the views call the service with ``cleaned_data``), never ``form.save()``."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from bureau.models import Town
from bureau.web import DATE_WIDGET, SearchInput
from permits import queries, rules
from permits.models import (
    CheckMethod,
    CheckSelection,
    Facility,
    FindingCategory,
    ManagementLevel,
    Outlet,
    OutletKind,
    Permit,
    PermitEventKind,
)
from permits.services.quality import Finding
from permits.services.rectification import Requirement

# Evidence of a closed rectification: documents and pictures, at most 20 MB.
EVIDENCE_EXTENSIONS = ["pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip"]
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


INDUSTRY_CODE_HELP = "国民经济行业分类，如 2641 或 C2641（只保存数字）。"


class FacilityField(forms.CharField):
    """Picks one facility by search-as-you-type over name and codes (``permits.queries``): the widget
    suggests from ``permits:facility-search``; what arrives, chosen or typed, is resolved on the server
    among ``queryset`` (set per user, R-ORG-3), with a Chinese message when it is unknown or ambiguous.
    Cleans to a ``Facility``, or None when left empty and not required."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", SearchInput("permits:facility-search"))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.attrs.setdefault("placeholder", "输入名称、统一社会信用代码或污染源编码")

    def prepare_value(self, value):
        return queries.facility_label(value) if isinstance(value, Facility) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return queries.resolve_facility(self.queryset, text)


def owned_fields(user, section: str | None) -> list[str]:
    """The facility fields ``user``'s section maintains, in FIELD_OWNERS order (R-ORG-2)."""
    return [
        name
        for name in rules.FIELD_OWNERS
        if not rules.fields_not_owned(section, [name], is_superuser=user.is_superuser)
    ]


class FacilityPartForm(forms.Form):
    """The part of a facility one section maintains (R-ORG-2): exactly the fields it is given, with the
    model's labels, choices and widgets."""

    def __init__(self, *args, facility: Facility, field_names: list[str], **kwargs):
        kwargs.setdefault("initial", {name: _initial(facility, name) for name in field_names})
        kwargs.setdefault("auto_id", "id_facility_%s")
        super().__init__(*args, **kwargs)
        for name in field_names:
            field = Facility._meta.get_field(name).formfield()
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
            if name == "industry_code":
                # C2641 and "C2641 涂料制造" are accepted; the service keeps the digits (R-FAC-2).
                field = forms.CharField(label=field.label, max_length=30, help_text=INDUSTRY_CODE_HELP)
            self.fields[name] = field


def _initial(facility: Facility, name: str):
    field = Facility._meta.get_field(name)
    return getattr(facility, field.attname)


class PermitEventForm(forms.Form):
    """登记许可证事项 (R-PER-1): the facility's permits are passed in, so the page costs no query. A
    延续决定 says granted or refused; a 变更 by 审批科 (依职权变更) carries its notice to the unit."""

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int)
    kind = forms.ChoiceField(
        label="事项",
        choices=[c for c in PermitEventKind.choices if c[0] not in ("first_application", "reapplication")],
    )
    occurred_on = forms.DateField(label="日期", widget=DATE_WIDGET, initial=timezone.localdate)
    document_no = forms.CharField(label="文号", max_length=100, required=False, help_text="延续决定须填写。")
    note = forms.CharField(label="备注", max_length=500, required=False)
    renewal_granted = forms.TypedChoiceField(
        label="延续决定",
        choices=[("", "—"), ("yes", "准予延续"), ("no", "不予延续")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text="仅登记“延续决定”时选择。",
    )
    new_valid_until = forms.DateField(
        label="延续后有效期至",
        required=False,
        widget=DATE_WIDGET,
        help_text="准予延续时填写。",
    )
    is_bureau_initiated = forms.BooleanField(label="审批科依职权变更（标准等变化）", required=False)
    notice_no = forms.CharField(label="告知书文号", max_length=100, required=False)
    notice_on = forms.DateField(label="告知日期", widget=DATE_WIDGET, required=False)
    notice_file = forms.FileField(
        label="告知书扫描件（可选）", required=False, help_text="PDF、OFD 或图片，不超过 20 MB。"
    )
    requirement_description = forms.CharField(
        label="整改要求（可选）",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="该事项载明的整改要求，列入限期整改问题台账。",
    )
    requirement_deadline_on = forms.DateField(label="整改期限", widget=DATE_WIDGET, required=False)
    requirement_responsible_person = forms.CharField(label="整改责任人", max_length=50, required=False)

    def __init__(self, *args, permits: list[Permit], **kwargs):
        kwargs.setdefault("auto_id", "id_event_%s")
        super().__init__(*args, **kwargs)
        self.permits = {p.pk: p for p in permits}
        self.fields["permit"].choices = [(p.pk, p.number) for p in permits]

    def clean_permit(self):
        return self.permits[self.cleaned_data["permit"]]

    def clean(self):
        cleaned = super().clean()
        cleaned["requirements"] = []
        if cleaned.get("requirement_description", "").strip():
            if cleaned.get("requirement_deadline_on") is None:
                self.add_error("requirement_deadline_on", "填写整改要求时请填写整改期限。")
            else:
                cleaned["requirements"] = [
                    Requirement(
                        cleaned["requirement_description"],
                        cleaned["requirement_deadline_on"],
                        cleaned.get("requirement_responsible_person", ""),
                    )
                ]
        return cleaned

    def add_service_error(self, name: str, message: str) -> bool:
        """The service's ``requirements[1].<field>`` belongs on ``requirement_<field>``."""
        if not name.startswith("requirements[1]."):
            return False
        field = "requirement_" + name.split(".", 1)[1]
        self.add_error(field if field in self.fields else "requirement_description", message)
        return True


# 核发排污许可证 in the browser (R-PER-1, R-FAC-3) ----------------------------------------------------

ISSUE_ROWS = {"outlet": 4, "limit": 8, "requirement": 3}
ROW_KEY = re.compile(r"^(outlets|limits|requirements)\[(\d+)\]\.(\w+)$")


class IssueOutletForm(forms.Form):
    # The rows' help is said once above them on the page, not under every row.
    code = forms.CharField(label="排放口编号", max_length=20)
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *OutletKind.choices])
    name = forms.CharField(label="名称", max_length=100, required=False)
    location = forms.CharField(label="位置", max_length=200, required=False)


class IssueLimitForm(forms.Form):
    outlet_code = forms.CharField(label="排放口编号", max_length=20)
    pollutant = forms.CharField(label="污染物", max_length=50)
    concentration = forms.DecimalField(label="许可排放浓度", max_digits=12, decimal_places=3, required=False)
    unit = forms.CharField(label="浓度单位", max_length=20, required=False)
    annual_quantity = forms.DecimalField(
        label="年许可排放量（吨）", max_digits=14, decimal_places=4, required=False
    )


class IssueRequirementForm(forms.Form):
    description = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    deadline_on = forms.DateField(
        label="整改期限", widget=DATE_WIDGET, help_text="许可证载明的整改完成日期。"
    )
    responsible_person = forms.CharField(label="整改责任人", max_length=50)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)


def _row_formset(form_class, rows: int):
    return forms.formset_factory(form_class, extra=rows, max_num=rows, absolute_max=rows)


class PermitIssueForm(forms.Form):
    """核发排污许可证 (首次申请 or 重新申请) with its outlets, limits and 整改要求 (R-PER-1, R-PER-3).
    Empty rows are skipped; the service's errors about the n-th filled row come back on that row."""

    number = forms.CharField(label="许可证编号", max_length=40)
    application = forms.ChoiceField(
        label="申请类型",
        choices=[
            (PermitEventKind.FIRST_APPLICATION, "首次申请"),
            (PermitEventKind.REAPPLICATION, "重新申请"),
        ],
    )
    management_level = forms.ChoiceField(
        label="管理类别", choices=[c for c in Permit._meta.get_field("management_level").choices]
    )
    issued_on = forms.DateField(label="发证日期", widget=DATE_WIDGET, initial=timezone.localdate)
    valid_from = forms.DateField(label="有效期起", widget=DATE_WIDGET)
    valid_until = forms.DateField(label="有效期至", widget=DATE_WIDGET)
    report_frequency = forms.ChoiceField(
        label="执行报告频次", choices=Permit._meta.get_field("report_frequency").choices
    )
    document_no = forms.CharField(label="发证文号", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_issue_%s")
        super().__init__(*args, **kwargs)
        data = None
        if self.is_bound:
            data = self.data.copy()
            for prefix, rows in ISSUE_ROWS.items():
                data[f"{prefix}-TOTAL_FORMS"], data[f"{prefix}-INITIAL_FORMS"] = str(rows), "0"
        self.rows = {
            "outlets": _row_formset(IssueOutletForm, ISSUE_ROWS["outlet"])(data, prefix="outlet"),
            "limits": _row_formset(IssueLimitForm, ISSUE_ROWS["limit"])(data, prefix="limit"),
            "requirements": _row_formset(IssueRequirementForm, ISSUE_ROWS["requirement"])(
                data, prefix="requirement"
            ),
        }
        self.filled: dict[str, list[int]] = {name: [] for name in self.rows}

    def is_valid(self) -> bool:
        return all([super().is_valid(), *(formset.is_valid() for formset in self.rows.values())])

    def clean(self):
        cleaned = super().clean()
        for name, formset in self.rows.items():
            if formset.is_valid():
                self.filled[name] = [i for i, row in enumerate(formset.forms) if row.cleaned_data]
                cleaned[name] = [formset.forms[i].cleaned_data for i in self.filled[name]]
        return cleaned

    def add_service_error(self, name: str, message: str) -> bool:
        match = ROW_KEY.match(name)
        if match is None:
            return False
        rows, index, field = match.group(1), int(match.group(2)), match.group(3)
        row = self.rows[rows].forms[self.filled[rows][index - 1]]
        row.add_error(field if field in row.fields else None, message)
        return True


# 核发质量检查 (R-PER-3) ----------------------------------------------------------------------------

MAX_FINDINGS = 5
FINDING_KEY = re.compile(r"^findings\[(\d+)\]\.(\w+)$")


class FindingForm(forms.Form):
    """One row of findings. A row left empty is not a finding: the formset skips it."""

    category = forms.ChoiceField(label="问题类别", choices=[("", "请选择"), *FindingCategory.choices])
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    deadline_workdays = forms.IntegerField(
        label="整改时限（工作日）",
        widget=forms.NumberInput(attrs={"min": 1, "max": 250}),
        help_text="从检查日期次日起按工作日计算，节假日不计。",
    )
    responsible_person = forms.CharField(label="整改责任人", max_length=50)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)


FindingFormSet = forms.formset_factory(
    FindingForm, extra=MAX_FINDINGS, max_num=MAX_FINDINGS, absolute_max=MAX_FINDINGS
)


class QualityCheckForm(forms.Form):
    """登记核发质量检查 (R-PER-3) with up to five findings; each becomes a rectification item.

    ``cleaned_data["findings"]`` holds the filled rows as ``Finding`` values, in page order; the
    service's errors about the n-th of them come back on that row.
    """

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int, required=False, empty_value=None)
    checked_on = forms.DateField(label="检查日期", widget=DATE_WIDGET, initial=timezone.localdate)
    method = forms.ChoiceField(label="检查方式", choices=CheckMethod.choices)
    selection = forms.ChoiceField(label="选取方式", choices=CheckSelection.choices)
    summary = forms.CharField(
        label="检查结论",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
        help_text="未发现问题的，请在此写明“未发现问题”。",
    )

    def __init__(self, *args, permits: list[Permit], **kwargs):
        kwargs.setdefault("auto_id", "id_check_%s")
        super().__init__(*args, **kwargs)
        self.permits = {p.pk: p for p in permits}
        self.fields["permit"].choices = [("", "不针对具体许可证（如应发未发、应登未登）")] + [
            (p.pk, p.number) for p in permits
        ]
        data = None
        if self.is_bound:
            # The page always has MAX_FINDINGS rows: the server decides that, not the row counts a
            # POST carries, so a POST without them is read like any other rather than refused.
            data = self.data.copy()
            data["finding-TOTAL_FORMS"], data["finding-INITIAL_FORMS"] = str(MAX_FINDINGS), "0"
        self.findings = FindingFormSet(data, prefix="finding", auto_id="id_check_%s")
        self.filled_rows: list[int] = []

    def clean_permit(self):
        pk = self.cleaned_data["permit"]
        return None if pk is None else self.permits[pk]

    def is_valid(self) -> bool:
        # Both, so the rows show their own errors even when the check's fields have some too.
        return all([super().is_valid(), self.findings.is_valid()])

    def clean(self):
        cleaned = super().clean()
        if self.findings.is_valid():
            self.filled_rows = [i for i, row in enumerate(self.findings.forms) if row.cleaned_data]
            cleaned["findings"] = [Finding(**self.findings.forms[i].cleaned_data) for i in self.filled_rows]
        return cleaned

    def add_service_error(self, name: str, message: str) -> bool:
        """Place the service's ``findings[n].<field>`` on the n-th filled row, ``findings`` at the top."""
        if name == "findings":
            self.add_error(None, message)
            return True
        match = FINDING_KEY.match(name)
        if match is None:
            return False
        index, field = int(match.group(1)), match.group(2)
        row = self.findings.forms[self.filled_rows[index - 1]]
        if field in row.fields:
            row.add_error(field, message)
        else:
            row.add_error(None, message)
        return True


# 排污登记、排放口、许可排放限值、行政处罚 (R-ORG-2) ------------------------------------------------------


class RegistrationForm(forms.Form):
    """排污登记, kept by the approval section. The same receipt number again updates its dates."""

    receipt_no = forms.CharField(label="登记回执编号", max_length=40)
    registered_on = forms.DateField(label="登记日期", widget=DATE_WIDGET, initial=timezone.localdate)
    valid_until = forms.DateField(label="有效期至", widget=DATE_WIDGET, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_registration_%s")
        super().__init__(*args, **kwargs)


class OutletForm(forms.Form):
    """添加排放口 to one of the facility's permits (passed in, so the page costs no query)."""

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int)
    code = forms.CharField(label="排放口编号", max_length=20, help_text="废气 DA001，废水 DW001。")
    kind = forms.ChoiceField(label="类别", choices=OutletKind.choices)
    name = forms.CharField(label="名称", max_length=100, required=False)
    location = forms.CharField(label="位置", max_length=200, required=False)

    def __init__(self, *args, permits: list[Permit], **kwargs):
        kwargs.setdefault("auto_id", "id_outlet_%s")
        super().__init__(*args, **kwargs)
        self.permits = {p.pk: p for p in permits}
        self.fields["permit"].choices = [(p.pk, p.number) for p in permits]

    def clean_permit(self):
        return self.permits[self.cleaned_data["permit"]]


class EmissionLimitForm(forms.Form):
    """许可排放限值 of one pollutant at one of the facility's outlets, grouped by permit. Setting a
    pollutant that the outlet already limits changes that limit."""

    outlet = forms.TypedChoiceField(label="排放口", coerce=int)
    pollutant = forms.CharField(label="污染物", max_length=50)
    concentration = forms.DecimalField(label="许可排放浓度", max_digits=12, decimal_places=3, required=False)
    unit = forms.CharField(
        label="浓度单位", max_length=20, initial="mg/m³", required=False, help_text="废气 mg/m³，废水 mg/L。"
    )
    annual_quantity = forms.DecimalField(
        label="年许可排放量（吨）", max_digits=14, decimal_places=4, required=False
    )

    def __init__(self, *args, outlets: list[Outlet], **kwargs):
        kwargs.setdefault("auto_id", "id_limit_%s")
        super().__init__(*args, **kwargs)
        self.outlets = {o.pk: o for o in outlets}
        groups: dict[str, list] = {}
        for outlet in outlets:
            label = f"{outlet.code} {outlet.name}".strip()
            groups.setdefault(outlet.permit.number, []).append((outlet.pk, label))
        self.fields["outlet"].choices = list(groups.items())

    def clean_outlet(self):
        return self.outlets[self.cleaned_data["outlet"]]


class PenaltyForm(forms.Form):
    """行政处罚 decision against the facility, kept by 执法大队."""

    decision_no = forms.CharField(label="处罚决定书文号", max_length=100)
    decided_on = forms.DateField(label="处罚日期", widget=DATE_WIDGET, initial=timezone.localdate)
    violation = forms.CharField(label="违法行为", max_length=300)
    amount = forms.DecimalField(label="罚款金额（元）", max_digits=14, decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_penalty_%s")
        super().__init__(*args, **kwargs)


class RectificationProgressForm(forms.Form):
    noted_on = forms.DateField(label="日期", widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, item_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_progress{item_pk}_%s")
        super().__init__(*args, **kwargs)


class RectificationCloseForm(forms.Form):
    """问题销号 with its evidence (R-PER-3). Field names follow the service's error keys."""

    closed_on = forms.DateField(label="销号日期", widget=DATE_WIDGET, initial=timezone.localdate)
    closing_evidence = forms.CharField(
        label="整改完成证明", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    closing_file = forms.FileField(
        label="证明材料（可选）",
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text="PDF、OFD、图片、Word、Excel 或 ZIP，不超过 20 MB。",
    )

    def __init__(self, *args, item_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_close{item_pk}_%s")
        super().__init__(*args, **kwargs)

    def clean_closing_file(self):
        upload = self.cleaned_data.get("closing_file")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError("证明材料不能超过 20 MB。")
        return upload


# 登记污染源 (R-FAC-1, R-FAC-2) -----------------------------------------------------------------------


class FacilityRegistrationForm(forms.Form):
    """登记污染源: a new unit's first site, or another site of a known unit. It parses only: the credit
    code's check character, the industry code and whether the site exists are checked by
    ``permits.services.facilities.add_facility``, whose errors come back on these fields."""

    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        help_text="18 位。已登记的单位在此新增一个污染源（厂区）；新单位同时建立单位档案。",
    )
    unit_name = forms.CharField(
        label="单位名称（法人）",
        max_length=200,
        required=False,
        help_text="新单位填写；留空时与污染源名称相同。",
    )
    site_number = forms.CharField(
        label="污染源序号",
        max_length=5,
        required=False,
        help_text="3 位，如 002；留空时取该单位下一个未用的序号（新单位为 001）。污染源编码 = 信用代码 + 序号。",
    )
    name = forms.CharField(
        label="污染源名称", max_length=200, help_text="如“某某有限公司”或“某某有限公司二厂”。"
    )
    address = forms.CharField(label="生产经营场所地址", max_length=300, required=False)
    town = forms.ModelChoiceField(label="所属街镇", queryset=Town.objects.none(), empty_label="请选择")
    industry_code = forms.CharField(label="行业类别代码", max_length=30, help_text=INDUSTRY_CODE_HELP)
    industry_name = forms.CharField(label="行业类别", max_length=100)
    management_level = forms.ChoiceField(label="管理类别", choices=[("", "请选择"), *ManagementLevel.choices])
    contact_person = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    eia_document_no = forms.CharField(label="环评批复文号", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_register_%s")
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.filter(is_active=True).order_by("code")
