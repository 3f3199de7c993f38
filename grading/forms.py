"""Forms of the grading pages: 审批科's start of a draft, the filters of the grades, a work-group
member's change of one grade with its reason, the cap-exceeded reason, and the 组长's confirmation
(R-GRD-1…5). The services check everything again; these only parse what was typed."""

from django import forms
from django.utils import timezone

from bureau.models import Town
from grading import queries, rules
from grading.models import Grade

ALL = [("", "全部")]
CONDITION_CHOICES = ALL + [
    (code, f"{rules.ARTICLE[code]} {rules.CONDITIONS[code]}")
    for code in (*rules.UNQUALIFIED_CONDITIONS, *rules.EXCELLENT_CONDITIONS)
]
CHANGED_CHOICES = ALL + [
    (queries.CHANGED, "经工作组调整"),
    (queries.DIFFERS, "与规则评定不同"),
]


class StartForm(forms.Form):
    """「起草年度等级评定」: the year graded, last year unless told otherwise."""

    year = forms.IntegerField(
        label="评定年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写评定年度，如 2025。",
            "invalid": "请填写评定年度，如 2025。",
            "min_value": "评定年度有误。",
            "max_value": "评定年度有误。",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year - 1})
        super().__init__(*args, **kwargs)


class GradeFilterForm(forms.Form):
    """The filters of a year's grades: grade, changes, town, name or code, condition of 附件2."""

    q = forms.CharField(label="单位名称或污染源编码", required=False, max_length=100)
    grade = forms.ChoiceField(label="评定等级", choices=ALL + list(Grade.choices), required=False)
    changed = forms.ChoiceField(label="调整情况", choices=CHANGED_CHOICES, required=False)
    town = forms.TypedChoiceField(label="所属街镇", coerce=int, required=False, empty_value=None)
    condition = forms.ChoiceField(label="附件2 情形", choices=CONDITION_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = ALL + list(Town.objects.order_by("code").values_list("pk", "name"))

    def wanted(self) -> queries.GradeFilter:
        """What the form asks for; nothing narrowed when it is invalid."""
        if not self.is_valid():
            return queries.GradeFilter()
        data = self.cleaned_data
        return queries.GradeFilter(
            grade=data["grade"],
            changed=data["changed"],
            town=data["town"],
            q=data["q"].strip(),
            condition=data["condition"],
        )


class OverrideForm(forms.Form):
    """A work-group member's change of one grade, with the written reason (R-GRD-5)."""

    to_grade = forms.ChoiceField(
        label="调整为", choices=Grade.choices, error_messages={"required": "请选择调整后的评定等级。"}
    )
    condition = forms.ChoiceField(
        label="不合格情形（调为不合格时必选）",
        choices=[("", "—")]
        + [(c, f"{rules.ARTICLE[c]} {rules.CONDITIONS[c]}") for c in rules.UNQUALIFIED_CONDITIONS],
        required=False,
    )
    reason = forms.CharField(
        label="调整理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "调整评定等级必须填写书面理由。"},
    )


class CapForm(forms.Form):
    """The work group's reason for more 优秀 than places (R-GRD-4); empty withdraws it."""

    reason = forms.CharField(
        label="超出优秀名额的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="留空并提交即撤回已记录的理由。",
    )


class ConfirmForm(forms.Form):
    """The 组长's confirmation, a deliberate second step: the box must be ticked."""

    agree = forms.BooleanField(
        label="我已审核本年度全部评定结果，确认后锁定，不能再修改",
        error_messages={"required": "请勾选确认：确认后评定结果锁定，不能再修改。"},
    )
