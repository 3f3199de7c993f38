"""限期整改问题台账: the one rectification ledger (R-PER-3, 000 二(二)3). Overdue is derived from the
deadline and the day asked about; the tables hold what was said and done, with history (R-RET-1)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.quality import FindingCategory, QualityCheck
from permits.models.registry import Facility


class RectificationItem(BusinessModel):
    """限期整改问题: one finding of a quality check, with a deadline in working days (R-PER-3, R-CAL-1).

    Open until closed with evidence; overdue is derived from ``deadline_on`` and the day asked about.
    """

    quality_check = models.ForeignKey(
        QualityCheck, verbose_name="质量检查", on_delete=models.PROTECT, related_name="items"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="rectifications"
    )
    category = models.CharField("问题类别", max_length=20, choices=FindingCategory.choices)
    description = models.TextField("问题描述")
    deadline_workdays = models.PositiveIntegerField("整改时限（工作日）")
    deadline_on = models.DateField("整改期限", db_index=True)
    responsible_person = models.CharField("整改责任人", max_length=50)
    responsible_phone = models.CharField("责任人电话", max_length=30, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closing_evidence = models.TextField("整改完成证明", blank=True)
    closing_file = models.FileField("证明材料", upload_to="rectifications/%Y/", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "限期整改问题"
        verbose_name_plural = "限期整改问题台账"
        ordering = ["deadline_on", "id"]
        indexes = [models.Index(fields=["closed_on", "deadline_on"])]

    def __str__(self):
        return f"{self.facility.name}：{self.get_category_display()}"

    def is_overdue_on(self, today) -> bool:
        return self.closed_on is None and self.deadline_on < today


class RectificationProgress(BusinessModel):
    """A progress note on a rectification item."""

    item = models.ForeignKey(
        RectificationItem, verbose_name="整改问题", on_delete=models.PROTECT, related_name="progress"
    )
    noted_on = models.DateField("日期")
    note = models.TextField("进展情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["noted_on", "id"]
