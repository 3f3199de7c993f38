"""Forms of the grading's registers: the positive list, credit ratings, the work group and recorded
facts. They parse input only; every write goes through ``grading.services`` with ``cleaned_data``,
which checks the rules again and answers in Chinese (R-POS-1, R-CRD-1, R-ORG-1)."""

from django import forms
from django.utils import timezone

from bureau.models import Town
from bureau.web import DATE_WIDGET
from grading import register_queries as queries
from grading import rules
from grading.models import Duty, FactKind
from permits.forms import FacilityField
from permits.models import CreditRating

ALL = [("", "全部")]
LEVELS = [c for c in CreditRating.choices if c[0]]
REASON = {"rows": 2, "maxlength": 300}

# --- the positive list ------------------------------------------------------------------------------


class EntryFilterForm(forms.Form):
    view = forms.ChoiceField(
        label="清单", choices=[("", "现列入单位"), ("history", "历史（已移出）")], required=False
    )
    q = forms.CharField(label="单位名称或代码", max_length=100, required=False)


class PositiveAddForm(forms.Form):
    facility = FacilityField(
        label="列入单位",
        queryset=queries.listable_facilities(),
        error_messages={"required": "请选择要列入的单位。"},
    )
    reason = forms.CharField(
        label="列入理由",
        max_length=300,
        widget=forms.Textarea(attrs=REASON),
        error_messages={"required": "请填写列入理由。"},
    )


class ReasonForm(forms.Form):
    """A reason alone: removing a unit from the list, retiring a post, withdrawing a fact."""

    reason = forms.CharField(
        label="理由",
        max_length=300,
        widget=forms.Textarea(attrs=REASON),
        error_messages={"required": "请填写理由。"},
    )

    def __init__(self, *args, label: str = "理由", required_message: str = "请填写理由。", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="决定",
        choices=[("accept", "采纳"), ("reject", "不予采纳")],
        error_messages={"required": "请选择采纳或不予采纳。", "invalid_choice": "请选择采纳或不予采纳。"},
    )
    note = forms.CharField(
        label="决定意见", max_length=300, required=False, help_text="不予采纳的须填写理由。"
    )


class PositiveSettingsForm(forms.Form):
    require_no_penalty = forms.BooleanField(
        label="无行政处罚（评定年度及其后至今未受行政处罚）", required=False
    )
    credit_levels = forms.MultipleChoiceField(
        label="信用评价要求（不选表示不限）",
        choices=LEVELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "信用等级有误：%(value)s"},
    )


# --- credit -----------------------------------------------------------------------------------------


class CreditFilterForm(forms.Form):
    rating = forms.ChoiceField(
        label="信用评价", choices=ALL + [(queries.UNRATED, "未评价")] + LEVELS, required=False
    )
    town = forms.ModelChoiceField(
        label="所属街镇", queryset=Town.objects.none(), required=False, empty_label="全部"
    )
    q = forms.CharField(label="单位名称或代码", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.order_by("code")


class CreditRecordForm(forms.Form):
    facility = FacilityField(
        label="持证单位",
        queryset=queries.permit_holding_facilities(),
        error_messages={"required": "请选择持证单位。"},
    )
    rated_on = forms.DateField(
        label="评价日期",
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        error_messages={"required": "请填写评价日期。", "invalid": "评价日期格式不正确。"},
    )
    level = forms.ChoiceField(
        label="信用等级",
        choices=[("", "请选择")] + LEVELS,
        error_messages={"required": "请选择信用等级。", "invalid_choice": "请选择信用等级。"},
    )
    source = forms.CharField(
        label="评价来源",
        max_length=200,
        help_text="评价机关及文件，如：市生态环境局企业环境信用评价结果",
        error_messages={"required": "请填写评价来源（评价机关及文件）。"},
    )
    note = forms.CharField(label="备注", max_length=300, required=False)


# --- the work group ---------------------------------------------------------------------------------


class PostForm(forms.Form):
    duty = forms.ChoiceField(label="职务", choices=Duty.choices, error_messages={"required": "请选择职务。"})
    section = forms.ModelChoiceField(
        label="所在部门",
        queryset=queries.post_sections(),
        empty_label="请选择",
        error_messages={"required": "请选择所在部门。", "invalid_choice": "请选择所在部门。"},
    )
    title = forms.CharField(
        label="岗位",
        max_length=50,
        help_text="如：分管副局长、科长、排污许可业务人员",
        error_messages={"required": "请填写岗位名称。"},
    )
    holder = forms.TypedChoiceField(
        label="现任人员",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="可暂时空缺；须为所选部门的在岗人员。",
        error_messages={"invalid_choice": "请从在岗人员中选择现任人员。"},
    )
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0, required=False)

    def __init__(self, *args, staff_by_section: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {person.pk: person for people in staff_by_section.values() for person in people}
        self.fields["holder"].choices = [("", "空缺")] + [
            (people[0].section.short_name, [(p.pk, p.user.display_name) for p in people])
            for people in staff_by_section.values()
        ]

    def clean_holder(self):
        pk = self.cleaned_data["holder"]
        return self.staff.get(pk) if pk else None


class HandOverForm(forms.Form):
    """A successor for one post, chosen among the active staff of the post's section (附件1)."""

    holder = forms.TypedChoiceField(
        label="接任人员",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "请从该岗位所在部门的在岗人员中选择接任人员。"},
    )
    reason = forms.CharField(label="说明", max_length=200, required=False, help_text="如：原岗位人员调离。")

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {p.pk: p for p in candidates}
        self.fields["holder"].choices = [("", "空缺（暂无接任人员）")] + [
            (p.pk, f"{p.user.display_name}（{p.get_role_display()}）") for p in candidates
        ]

    def clean_holder(self):
        pk = self.cleaned_data["holder"]
        return self.staff.get(pk) if pk else None


# --- facts ------------------------------------------------------------------------------------------

UNQUALIFIED_GROUP = "不合格情形（附件2 三）"
EXCELLENT_GROUP = "优先评为优秀（附件2 四）"


def kind_choices() -> list:
    """The kinds recorded by hand, grouped as 附件2 groups them."""
    return [
        (
            UNQUALIFIED_GROUP,
            [(code, label) for code, label in FactKind.choices if code in rules.UNQUALIFIED_CONDITIONS],
        ),
        (
            EXCELLENT_GROUP,
            [(code, label) for code, label in FactKind.choices if code in rules.EXCELLENT_CONDITIONS],
        ),
    ]


class FactFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(label="情形", required=False)
    section = forms.ModelChoiceField(
        label="记录科室", queryset=queries.fact_sections(), required=False, empty_label="全部"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ALL + kind_choices()


class FactForm(forms.Form):
    facility = FacilityField(
        label="持证单位",
        queryset=queries.permit_holding_facilities(),
        error_messages={"required": "请选择持证单位。"},
    )
    kind = forms.ChoiceField(
        label="情形",
        error_messages={"required": "请选择附件2所列的情形。", "invalid_choice": "请选择附件2所列的情形。"},
    )
    occurred_on = forms.DateField(
        label="发生日期",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写发生日期。", "invalid": "发生日期格式不正确。"},
    )
    description = forms.CharField(
        label="事实描述",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写事实描述。"},
    )
    evidence = forms.CharField(
        label="证明材料",
        max_length=300,
        help_text="文件名称、文号或报道出处",
        error_messages={"required": "请填写证明材料（文件名称、文号或报道出处）。"},
    )
    evidence_file = forms.FileField(
        label="证明文件", required=False, help_text="可选：PDF、OFD、图片、Word、Excel 或 ZIP，不超过 20 MB。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择")] + kind_choices()
