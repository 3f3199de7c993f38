"""What the top floor keeps of its own: the monthly (and year-end) summary (R-SUM-1) and the typical
cases 法制科 publishes (R-PUB-1, 002 十六). Both are business records: never deleted, history kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel


class SummaryState(models.TextChoices):
    DRAFT = "draft", "待报送"
    SENT = "sent", "已报送"


class Summary(BusinessModel):
    """The summary of one month's permit enforcement work (001 二: ready by the 3rd of the next month),
    or of a whole year (``month`` 0). ``figures`` holds what was counted when it was prepared, so a sent
    summary reads as sent whatever changes later. Preparing again replaces the draft; a sent one is kept
    and a new draft gets the next ``version``."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", help_text="0 表示全年（年终小结）")
    version = models.PositiveSmallIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=10, choices=SummaryState.choices, default=SummaryState.DRAFT)
    figures = models.JSONField("统计数据", default=dict)
    remarks = models.TextField("审批科补充说明", blank=True)
    prepared_at = models.DateTimeField("生成时间", default=timezone.now)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空表示由每月自动任务生成",
    )
    sent_on = models.DateField("报送日期", null=True, blank=True)
    sent_to = models.CharField("报送单位", max_length=100, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField("报送登记时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作小结"
        verbose_name_plural = "工作小结"
        ordering = ["-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "version"], name="summary_version_unique"),
            models.UniqueConstraint(
                fields=["year", "month"], condition=models.Q(state="draft"), name="summary_one_draft"
            ),
            models.CheckConstraint(condition=models.Q(month__lte=12), name="summary_month_range"),
        ]

    def __str__(self):
        return self.period_label

    @property
    def is_year(self) -> bool:
        return self.month == 0

    @property
    def period_label(self) -> str:
        return f"{self.year}年度" if self.is_year else f"{self.year}年{self.month}月"


class TypicalCase(BusinessModel):
    """A case 法制科 chose to publish as typical (002 十六: 典型案例 made public as a warning). The
    public page shows only ``title`` and ``summary`` as written here and the case's public facts; a
    withdrawn one leaves the public page and stays on record."""

    case = models.ForeignKey(
        "inspections.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="typical_entries"
    )
    title = models.CharField("标题", max_length=100)
    summary = models.TextField("案情简介（公开文本）", max_length=2000)
    published_on = models.DateField("公开日期")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公开人", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdraw_reason = models.CharField("撤回原因", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(withdrawn_at__isnull=True), name="typical_case_once"
            )
        ]

    def __str__(self):
        return self.title
