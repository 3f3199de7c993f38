"""Forms of 双随机一公开 (R-INS-5): a new draw, cancelling one, officers' conflicts. Field names are the
service's error keys, so every refusal of ``services.draws`` lands on its field."""

from django import forms

from bureau.models import SectionCode, Staff, Town
from bureau.web import DATE_WIDGET
from inspections.models import CheckMode
from permits.forms import FacilityField
from permits.models import ManagementLevel

DATE_ERRORS = {"required": "请填写日期。", "invalid": "请按“年-月-日”填写日期，如 2026-06-15。"}
NUMBER_ERRORS = {"invalid": "请填写整数。"}


def draw_officers() -> list[Staff]:
    """The officers a draw may take (R-INS-5, R-INS-6): 执法大队's active members with a certificate
    number. One query."""
    return list(
        Staff.objects.filter(section__code=SectionCode.ENFORCEMENT, user__is_active=True)
        .exclude(certificate_no="")
        .select_related("user")
        .order_by("certificate_no")
    )


def enforcement_staff() -> list[Staff]:
    """执法大队's active members (with a certificate or not), for declaring a conflict. One query."""
    return list(
        Staff.objects.filter(section__code=SectionCode.ENFORCEMENT, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


class DrawForm(forms.Form):
    """新建双随机抽查: the pool as a filter, the sample as a share or a size, the officers' pool and the
    inspection period. The exclusions start from the bureau's settings."""

    title = forms.CharField(
        label="抽查事项", max_length=200, error_messages={"required": "请填写抽查事项名称。"}
    )
    mode = forms.ChoiceField(
        label="检查方式",
        choices=CheckMode.choices,
        initial=CheckMode.ON_SITE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择检查方式。",
            "invalid_choice": "检查方式只能是现场检查或远程核查。",
        },
    )
    levels = forms.MultipleChoiceField(
        label="管理类别",
        choices=ManagementLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请选择抽查的管理类别。",
            "invalid_choice": "管理类别“%(value)s”不存在。",
        },
    )
    towns = forms.MultipleChoiceField(
        label="街镇",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选即全部街镇。",
        error_messages={"invalid_choice": "选择的街镇不存在：%(value)s"},
    )
    industry_prefixes = forms.CharField(
        label="行业类别代码前缀",
        required=False,
        max_length=200,
        help_text="国民经济行业分类代码的前 1–4 位，多个用逗号分隔，如 26, 3130；不填即全部行业。",
    )
    sample_percent = forms.IntegerField(
        label="抽取比例（%）",
        required=False,
        error_messages=NUMBER_ERRORS,
        help_text="与抽取数量二者填一项，向上取整。",
    )
    sample_size = forms.IntegerField(label="抽取数量", required=False, error_messages=NUMBER_ERRORS)
    exclude_recent_days = forms.IntegerField(
        label="排除近期已检查（天）",
        error_messages={**NUMBER_ERRORS, "required": "请填写排除近期已检查的天数（0 表示不排除）。"},
        help_text="此期间内已签署检查记录的单位不进入抽取池；0 表示不排除。",
    )
    exclude_positive_list = forms.BooleanField(label="排除正面清单单位", required=False)
    avoid_own_town = forms.BooleanField(label="执法人员回避本人所在街镇", required=False)
    officers = forms.TypedMultipleChoiceField(
        label="执法人员库",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="在岗、持有执法证的执法大队人员；每家单位随机派两人。",
        error_messages={
            "required": "请选择执法人员库。",
            "invalid_choice": "所选人员不是在岗的执法大队持证执法人员。",
        },
    )
    inspect_from = forms.DateField(label="检查开始日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    inspect_until = forms.DateField(label="检查截止日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)

    def __init__(self, *args, staff: list[Staff], towns: list[Town], settings_row, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        self.fields["officers"].choices = [
            (s.user_id, f"{s.user.display_name}（{s.certificate_no}）") for s in staff
        ]
        self.fields["towns"].choices = [(t.code, t.name) for t in towns]
        if not self.is_bound:
            self.initial.setdefault("officers", [s.user_id for s in staff])
            self.initial.setdefault("exclude_recent_days", settings_row.draw_exclude_recent_days)
            self.initial.setdefault("exclude_positive_list", settings_row.draw_exclude_positive_list)
            self.initial.setdefault("avoid_own_town", settings_row.draw_avoid_own_town)

    def clean_officers(self):
        return [self.users[pk] for pk in self.cleaned_data["officers"]]

    def clean_industry_prefixes(self):
        text = self.cleaned_data["industry_prefixes"].replace("，", ",").replace("、", ",")
        return [part.strip() for part in text.split(",") if part.strip()]

    def add_service_error(self, name: str, message: str) -> bool:
        """The service's ``sample`` (share or size) goes on the share; ``pool`` at the top."""
        if name == "sample":
            self.add_error("sample_percent", message)
            return True
        if name == "pool":
            self.add_error(None, message)
            return True
        return False


class CancelDrawForm(forms.Form):
    reason = forms.CharField(
        label="作废原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写作废原因。"},
    )


class ConflictForm(forms.Form):
    """登记执法人员回避: an officer and either one unit or the officer's own town, with the reason."""

    officer = forms.TypedChoiceField(
        label="执法人员",
        coerce=int,
        error_messages={"required": "请选择执法人员。", "invalid_choice": "所选人员不是在岗的执法大队人员。"},
    )
    facility = FacilityField(
        label="回避单位", required=False, help_text="与某一单位存在利害关系的，填写该单位。"
    )
    town = forms.ModelChoiceField(
        label="本人所在街镇",
        queryset=Town.objects.none(),
        required=False,
        empty_label="（不是所在街镇回避）",
        help_text="登记本人所在街镇；按局里的设置，抽查时不派往该街镇的单位。",
        error_messages={"invalid_choice": "选择的街镇不存在。"},
    )
    reason = forms.CharField(
        label="回避事由", max_length=200, error_messages={"required": "请填写回避事由。"}
    )

    def __init__(self, *args, staff: list[Staff], facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        self.fields["officer"].choices = [("", "请选择")] + [
            (s.user_id, f"{s.user.display_name}（{s.certificate_no or '未登记执法证号'}）") for s in staff
        ]
        self.fields["facility"].queryset = facilities
        self.fields["town"].queryset = Town.objects.order_by("code")

    def clean_officer(self):
        return self.users[self.cleaned_data["officer"]]


class EndConflictForm(forms.Form):
    reason = forms.CharField(label="解除原因", max_length=200, required=False)
