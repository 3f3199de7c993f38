"""Forms of the inspection plan's pages: the filters of the month's plan and of all items, 法制科's
adoption into the annual enforcement plan, and the planning settings (R-INS-3, R-INS-4)."""

from django import forms
from django.utils import timezone

from bureau.models import Town
from inspections import rules
from inspections.models import Alert, ItemKind, ItemState, PlanSettings
from inspections.services.planning import SETTING_FIELDS

ALL = [("", "全部")]
# Every item the plan owes: all states but 已撤销 (the coverage figures' 应检).
OWED = "owed"
LEVEL_CHOICES = ALL + [(level, label) for level, label in rules.LEVEL_LABELS.items()]


class ItemFilterForm(forms.Form):
    """The month's plan: town, management level, kind, state (and alert)."""

    town = forms.ModelChoiceField(
        label="所属街镇", queryset=Town.objects.none(), required=False, empty_label="全部"
    )
    level = forms.ChoiceField(label="管理类别", choices=LEVEL_CHOICES, required=False)
    kind = forms.ChoiceField(label="类型", choices=ALL + list(ItemKind.choices), required=False)
    state = forms.ChoiceField(
        label="状态", choices=ALL + [(OWED, "应检（不含已撤销）")] + list(ItemState.choices), required=False
    )
    alert = forms.ChoiceField(label="提醒", choices=ALL + [c for c in Alert.choices if c[0]], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.order_by("code")

    def filter(self, items):
        """``items`` narrowed by what the form holds (nothing narrowed when it is invalid)."""
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["town"]:
            items = items.filter(facility__town=data["town"])
        if data["level"]:
            items = items.filter(facility__management_level=data["level"])
        if data.get("kind"):
            items = items.filter(kind=data["kind"])
        if data.get("state") == OWED:
            items = items.exclude(state=ItemState.WITHDRAWN)
        elif data.get("state"):
            items = items.filter(state=data["state"])
        if data.get("alert") == Alert.OVERDUE:  # as of today, flagged by the daily job or not yet
            items = items.filter(state=ItemState.OPEN, window_end__lt=timezone.localdate())
        elif data.get("alert"):
            items = items.filter(alert=data["alert"], window_end__gte=timezone.localdate())
        return items


class AllItemsFilterForm(ItemFilterForm):
    """计划检查事项: the month filters plus the year and the planned month."""

    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label="计划月份", required=False, min_value=1, max_value=12)

    def filter(self, items):
        items = super().filter(items)
        if not self.is_valid():
            return items
        if self.cleaned_data["year"]:
            items = items.filter(plan__year=self.cleaned_data["year"])
        if self.cleaned_data["month"]:
            items = items.filter(planned_month__month=self.cleaned_data["month"])
        return items


class AdoptForm(forms.Form):
    document_no = forms.CharField(label="年度执法计划文号", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


class PlanSettingsForm(forms.ModelForm):
    """The settings of differentiated supervision and of draws; the service checks and saves them."""

    class Meta:
        model = PlanSettings
        fields = list(SETTING_FIELDS)

    def __init__(self, *args, may_edit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the model's bounds say why (R-INS-3, R-INS-4), not just where
            field.validators = []
            field.widget.attrs.pop("min", None), field.widget.attrs.pop("max", None)
        if not may_edit:
            for field in self.fields.values():
                field.disabled = True
