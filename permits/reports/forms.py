"""Forms of the execution-report pages (R-REP-1, R-REP-2): the period board's filters, a receipt
recorded by hand with its emission rows, a reminder (催报), the bureau's settings, the city's date for a
period, and a sample draw. They parse and check form input only; the services judge the rest and
their errors come back onto these fields (``bureau.web.add_service_errors``)."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from bureau.web import DATE_WIDGET
from permits.models import ManagementLevel
from permits.reports import rules
from permits.reports.models import ReviewState
from permits.reports.services.receipts import Emission

PERIOD_HELP = "月度写作 2026-03，季度写作 2026-Q1，年度写作 2026。"


class PeriodField(forms.CharField):
    """A reporting period as people write it (``rules.parse_period``), cleaned to a ``rules.Period``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "报告期")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", PERIOD_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return rules.parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class BoardFilterForm(forms.Form):
    """The board's GET filters (R-REP-1). Towns are passed in (one query, none for a town user)."""

    type = forms.ChoiceField(
        label="报告类型", required=False, choices=[("", "按报告期"), *rules.PERIOD_TYPE_NAMES.items()]
    )
    period = PeriodField(required=False, help_text="")
    town = forms.TypedChoiceField(label="街镇", required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label="管理类别",
        required=False,
        choices=[("", "全部"), *((v, n) for v, n in ManagementLevel.choices if v != "registered")],
    )
    receipt = forms.ChoiceField(
        label="提交情况", required=False, choices=[("", "全部"), *rules.RECEIPT_NAMES.items()]
    )
    review = forms.ChoiceField(label="审核", required=False, choices=[("", "全部"), *ReviewState.choices])

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", "全部"), *((t.pk, t.name) for t in towns)]

    def clean(self):
        data = super().clean()
        period, type = data.get("period"), data.get("type")
        if period is not None and type and period.type != type:
            self.add_error(
                "period",
                f"报告期「{period.label}」是{rules.PERIOD_TYPE_NAMES[period.type]}，"
                f"与报告类型（{rules.PERIOD_TYPE_NAMES[type]}）不符。",
            )
        return data


class ReceiptForm(forms.Form):
    """登记执行报告 by hand (R-REP-1): the permit (of this facility), the period, the platform's date
    and reference, the file."""

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int)
    period = PeriodField()
    received_on = forms.DateField(
        label="提交日期", widget=DATE_WIDGET, help_text="排污单位在全国平台提交的日期。"
    )
    platform_ref = forms.CharField(label="平台报告编号", max_length=60, required=False)
    file = forms.FileField(label="报告文件", required=False, help_text="PDF、Word、Excel 或图片。")
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, permits=(), **kwargs):
        kwargs.setdefault("prefix", "receipt")
        super().__init__(*args, **kwargs)
        self.fields["permit"].choices = [(p.pk, p.number) for p in permits]


class EmissionRowForm(forms.Form):
    outlet = forms.CharField(label="排放口编号", max_length=20, required=False)
    pollutant = forms.CharField(label="污染物", max_length=50, required=False)
    concentration = forms.DecimalField(label="实际排放浓度", max_digits=12, decimal_places=3, required=False)
    quantity = forms.DecimalField(label="实际排放量（吨）", max_digits=14, decimal_places=4, required=False)

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in self.fields)


EmissionFormSet = formset_factory(EmissionRowForm, extra=3, max_num=50)


def emissions_of(formset) -> list[Emission]:
    """The filled rows of a valid ``EmissionFormSet`` as the receipt services take them."""
    return [
        Emission(
            outlet=row.cleaned_data.get("outlet") or "",
            pollutant=row.cleaned_data.get("pollutant") or "",
            concentration=row.cleaned_data.get("concentration"),
            quantity=row.cleaned_data.get("quantity"),
        )
        for row in formset
        if not row.is_blank
    ]


class RequestForm(forms.Form):
    """催报 (R-REP-1)."""

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int)
    period = PeriodField()
    requested_on = forms.DateField(label="催报日期", widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label="催报方式及说明", max_length=200, required=False)

    def __init__(self, *args, permits=(), **kwargs):
        kwargs.setdefault("prefix", "request")
        super().__init__(*args, **kwargs)
        self.fields["permit"].choices = [(p.pk, p.number) for p in permits]


class SettingsForm(forms.Form):
    """The bureau's report settings (R-REP-1); the service checks the date and the ranges again."""

    days_after_period = forms.IntegerField(
        label="月度、季度报告截止（期末后天数）", min_value=1, max_value=90
    )
    annual_due_month = forms.IntegerField(label="年度报告截止月", min_value=1, max_value=6)
    annual_due_day = forms.IntegerField(label="年度报告截止日", min_value=1, max_value=31)
    grace_days = forms.IntegerField(
        label="逾期未报移交宽限（天）",
        min_value=0,
        max_value=365,
        help_text="截止日后仍未收到报告超过该天数的，作为线索交执法大队。",
    )
    leads_from = forms.DateField(
        label="逾期未报线索起算日期",
        required=False,
        widget=DATE_WIDGET,
        help_text="截止日期在此之前的报告逾期未报时不再生成线索（系统启用前的旧账由人工核实）；留空则全部生成。",
    )
    feedback_workdays = forms.IntegerField(
        label="反馈意见单默认整改时限（工作日）", min_value=1, max_value=60
    )
    contact = forms.CharField(label="反馈意见单联系人及电话", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "settings")
        super().__init__(*args, **kwargs)


class AnnounceForm(forms.Form):
    """The city's due date for one period (R-REP-1)."""

    period = PeriodField()
    due_on = forms.DateField(label="截止日期", widget=DATE_WIDGET)
    notice = forms.CharField(label="市级通知", max_length=200, help_text="通知名称或文号。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "announce")
        super().__init__(*args, **kwargs)


class SampleForm(forms.Form):
    """A sample draw (R-REP-2): the period and the share in percent."""

    period = PeriodField()
    share = forms.DecimalField(
        label="抽查比例（%）", max_digits=5, decimal_places=2, min_value=0, max_value=100, initial=10
    )
