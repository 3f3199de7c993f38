"""The forms of the case and interference pages (R-INS-10, R-INS-11): they parse; the services decide.
Fields the services check (dates against today, a decision's required parts) are optional here, so
every refusal comes back as the service's Chinese message on its field."""

from django import forms
from django.utils import timezone

from bureau.web import DATE_WIDGET
from inspections import rules
from inspections.models import CaseDecision, CaseState, Conduct, NoPenaltyGround

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def conduct_field(help_text: str) -> forms.ChoiceField:
    """恶意偷排等行为 (R-POS-1; 002 十二): marking it takes the unit off the positive list at once."""
    return forms.ChoiceField(
        label="恶意偷排等行为", choices=Conduct.choices, required=False, help_text=help_text
    )


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *CaseState.choices], required=False)
    show = forms.ChoiceField(label="范围", choices=[("", "全部案件")], required=False)

    def __init__(self, *args, shows: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = [("", "全部案件"), *shows]


class OpenCaseForm(forms.Form):
    """立案: findings of one facility, the date, 案由 and the officers (R-INS-6, R-INS-10)."""

    findings = forms.TypedMultipleChoiceField(
        label="关联的检查发现问题", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    opened_on = forms.DateField(
        label="立案日期", widget=DATE_WIDGET, initial=timezone.localdate, required=False
    )
    summary = forms.CharField(
        label="案由",
        max_length=300,
        required=False,
        help_text="不填则按所选问题的违法类别生成，如“涉嫌违反排污许可证行为”。",
    )
    officers = forms.TypedMultipleChoiceField(
        label="承办人员", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    conduct = conduct_field(
        "存在恶意偷排、篡改台账记录或逃避监管行为的，立案即将该单位移出执法正面清单；"
        "不填则沿用所选问题检查时的标记。"
    )

    def __init__(self, *args, findings: list, officers: list, **kwargs):
        """``findings``: those a case may rest on; ``officers``: 执法大队's staff records."""
        super().__init__(*args, **kwargs)
        self.finding_rows = {f.pk: f for f in findings}
        self.officer_rows = {s.user_id: s.user for s in officers}
        self.fields["findings"].choices = [
            (
                f.pk,
                f"{f.inspection.number}（{f.found_on:%Y-%m-%d}）第 {f.answer.point.code} 项 "
                f"{f.get_kind_display()}：{f.description[:60]}",
            )
            for f in findings
        ]
        self.fields["officers"].choices = [
            (s.user_id, f"{s.user.display_name}（执法证号 {s.certificate_no or '未登记'}）") for s in officers
        ]

    def clean_findings(self):
        return [self.finding_rows[pk] for pk in self.cleaned_data["findings"]]

    def clean_officers(self):
        return [self.officer_rows[pk] for pk in self.cleaned_data["officers"]]


class SubmitCaseForm(forms.Form):
    proposed_decision = forms.ChoiceField(
        label="拟处理意见", choices=[("", "请选择"), *CaseDecision.choices], required=False
    )
    proposal = forms.CharField(
        label="调查终结报告及拟处理意见", widget=TEXTAREA, max_length=20000, required=False
    )
    submitted_on = forms.DateField(
        label="提请日期", widget=DATE_WIDGET, initial=timezone.localdate, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_submit_%s")
        super().__init__(*args, **kwargs)


class ReviewerForm(forms.Form):
    reviewer = forms.TypedChoiceField(label="法制审核人", coerce=int)

    def __init__(self, *args, staff: list, **kwargs):
        kwargs.setdefault("auto_id", "id_reviewer_%s")
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        # No one is preselected: the head chooses.
        self.fields["reviewer"].choices = [
            ("", "请选择法制科人员"),
            *((s.user_id, s.user.display_name) for s in staff),
        ]

    def clean_reviewer(self):
        return self.users[self.cleaned_data["reviewer"]]


class ReviewForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="审核结论",
        choices=[("true", "通过"), ("false", "退回补充调查")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label="法制审核意见", widget=TEXTAREA, max_length=20000, required=False)
    reviewed_on = forms.DateField(
        label="审核日期", widget=DATE_WIDGET, initial=timezone.localdate, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    """作出决定: the fields of the decision the review approved (R-INS-10; 002 十、十四)."""

    decided_on = forms.DateField(
        label="决定日期", widget=DATE_WIDGET, initial=timezone.localdate, required=False
    )
    decision_no = forms.CharField(label="决定书文号", max_length=100, required=False)
    penalty_amount = forms.DecimalField(
        label="罚款金额（元）", max_digits=14, decimal_places=2, required=False, min_value=0
    )
    revokes_permit = forms.BooleanField(label="吊销排污许可证", required=False)
    no_penalty_ground = forms.ChoiceField(
        label="不予处罚情形（指导意见（十四））",
        choices=[("", "请选择"), *NoPenaltyGround.choices],
        required=False,
    )
    first_violation = forms.BooleanField(label="初次违法", required=False)
    slight_harm = forms.BooleanField(label="危害后果轻微", required=False)
    corrected_on = forms.DateField(label="改正日期", widget=DATE_WIDGET, required=False)
    legal_basis = forms.CharField(
        label="法律依据", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    police_office = forms.CharField(label="接收的公安机关", max_length=100, required=False)
    conduct = conduct_field(
        "经查实存在恶意偷排、篡改台账记录或逃避监管行为的，决定即将该单位移出执法正面清单；"
        "不填则保留立案时的标记。"
    )

    FIELDS = {
        CaseDecision.PENALTY: ("decided_on", "decision_no", "penalty_amount", "revokes_permit", "conduct"),
        CaseDecision.NO_PENALTY: (
            "decided_on",
            "no_penalty_ground",
            "first_violation",
            "slight_harm",
            "corrected_on",
            "legal_basis",
            "decision_no",
            "conduct",
        ),
        CaseDecision.TRANSFER: ("decided_on", "police_office", "conduct"),
    }

    def __init__(self, *args, decision: str, **kwargs):
        kwargs.setdefault("auto_id", "id_decide_%s")
        if decision == CaseDecision.NO_PENALTY:
            kwargs.setdefault("initial", {"legal_basis": rules.DEFAULT_NO_PENALTY_BASIS})
        super().__init__(*args, **kwargs)
        self.decision = decision
        kept = self.FIELDS.get(decision, ("decided_on",))
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        if decision == CaseDecision.TRANSFER:
            self.fields["decided_on"].label = "移送日期"
        if decision == CaseDecision.NO_PENALTY:
            self.fields["decision_no"].label = "不予行政处罚决定书文号"


class ReopenCaseForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=TEXTAREA, max_length=90, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reopen_%s")
        super().__init__(*args, **kwargs)


class InterferenceForm(forms.Form):
    """记录插手干预 (R-INS-11): who, how, when, what happened."""

    occurred_on = forms.DateField(
        label="发生日期", widget=DATE_WIDGET, initial=timezone.localdate, required=False
    )
    interferer = forms.CharField(label="干预人（姓名、单位、职务）", max_length=200, required=False)
    method = forms.CharField(
        label="干预方式",
        max_length=100,
        required=False,
        help_text="如：打招呼、说情、要求不查处或从轻处理、阻挠检查。",
    )
    detail = forms.CharField(
        label="干预情况", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, required=False
    )
