"""Forms of the review screen and the notice page (R-REP-2, R-REP-3). They only parse what was typed;
the services decide whether it may be done."""

from django import forms
from django.utils import timezone

from bureau.web import DATE_WIDGET
from permits.reports import rules
from permits.reports.models import ProblemClass, VersionKind

RESULT_CHOICES = list(rules.RESULT_NAMES.items())


class PartFillForm(forms.Form):
    """One section's check points (R-REP-2): a result (无问题/存在问题/不涉及) and a note for each, and
    the part's opinion. Prefixed by the section, so three parts never share field names."""

    note = forms.CharField(label="本科室审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("prefix", part.section_code)
        if not args or args[0] is None:
            results = {r.point: r for r in part.results.all()}
            initial = {"note": part.note}
            for point in rules.CHECK_POINTS[part.section_code]:
                if point.code in results:
                    initial[f"result_{point.code}"] = results[point.code].result
                    initial[f"note_{point.code}"] = results[point.code].note
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.points = rules.CHECK_POINTS[part.section_code]
        for point in self.points:
            self.fields[f"result_{point.code}"] = forms.ChoiceField(
                label=point.name, choices=RESULT_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"note_{point.code}"] = forms.CharField(
                label=f"{point.name}·说明", required=False, max_length=500
            )
        # The opinion comes after the points.
        self.order_fields([*(f for p in self.points for f in (f"result_{p.code}", f"note_{p.code}")), "note"])

    def clean(self):
        data = super().clean()
        # A note for a point without its result would be dropped: ask for the result instead.
        for point in self.points:
            if data.get(f"note_{point.code}", "").strip() and not data.get(f"result_{point.code}"):
                self.add_error(f"result_{point.code}", "请先选择检查结果，再填写说明。")
        return data

    def rows(self):
        """(point, its result field, its note field), for the template."""
        return [(p, self[f"result_{p.code}"], self[f"note_{p.code}"]) for p in self.points]

    def results(self) -> dict[str, tuple[str, str]]:
        """What the service takes: point → (result, note), for the points given a result."""
        data = self.cleaned_data
        return {
            p.code: (data[f"result_{p.code}"], data[f"note_{p.code}"])
            for p in self.points
            if data.get(f"result_{p.code}")
        }

    def add_service_error(self, name: str, message: str) -> bool:
        """The service names a point by its code; put the message on that point's result."""
        if f"result_{name}" in self.fields:
            self.add_error(f"result_{name}", message)
            return True
        return False


class ProblemForm(forms.Form):
    """A problem written down under one of the section's own check points (R-REP-2, R-REP-4)."""

    point = forms.ChoiceField(label="检查要点")
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}))
    problem_class = forms.ChoiceField(
        label="问题性质", choices=ProblemClass.choices, widget=forms.RadioSelect, initial=rules.PROCEDURAL
    )

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("prefix", f"problem-{part.section_code}")
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.code, p.name) for p in rules.CHECK_POINTS[part.section_code]]


class ProposalForm(forms.Form):
    """采纳 (with its class) or 不予采纳 (with the reason) of a proposed exceedance (R-REP-2)."""

    problem = forms.IntegerField(widget=forms.HiddenInput)
    adopt = forms.TypedChoiceField(
        choices=[("1", "采纳"), ("0", "不予采纳")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    problem_class = forms.ChoiceField(
        label="问题性质", choices=ProblemClass.choices, required=False, initial=rules.SUBSTANTIVE
    )
    reason = forms.CharField(label="不予采纳理由", required=False, max_length=500)


class NoticeIssueForm(forms.Form):
    """出具反馈意见单 (R-REP-3): the date, the agreed time limit in working days and the contact."""

    issued_on = forms.DateField(label="反馈日期", widget=DATE_WIDGET)
    time_limit_workdays = forms.IntegerField(label="整改时限（工作日）", min_value=1, max_value=60)
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)

    def __init__(self, *args, defaults=None, **kwargs):
        if defaults is not None:
            kwargs.setdefault(
                "initial",
                {
                    "issued_on": timezone.localdate(),
                    "time_limit_workdays": defaults.feedback_workdays,
                    "contact": defaults.contact,
                },
            )
        super().__init__(*args, **kwargs)


class ProblemDecisionForm(forms.Form):
    """At re-review, one problem of the notice: 已整改 or 未整改, with the reason (R-REP-3)."""

    problem = forms.IntegerField(widget=forms.HiddenInput)
    is_fixed = forms.TypedChoiceField(
        label="复核结论",
        choices=[("1", "已整改"), ("0", "未整改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="复核意见（整改情况或未整改的理由）", max_length=500)


class AnswerForm(forms.Form):
    """The facility's answer to a notice (R-REP-3), recorded as a new version of the report."""

    received_on = forms.DateField(label="答复日期", widget=DATE_WIDGET)
    kind = forms.ChoiceField(
        label="答复材料",
        choices=[
            (VersionKind.CORRECTED, VersionKind.CORRECTED.label),
            (VersionKind.SUPPLEMENT, VersionKind.SUPPLEMENT.label),
        ],
    )
    platform_ref = forms.CharField(label="平台报告编号", max_length=60, required=False)
    file = forms.FileField(label="答复文件", required=False)
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
