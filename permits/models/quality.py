"""核发质量检查 of permits and registrations, and the classes of what they find (R-PER-3, 002 五,
001 一)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.registry import Facility, Permit


class CheckMethod(models.TextChoices):
    ON_SITE = "on_site", "现场核查"
    OFF_SITE = "off_site", "非现场核查"


class CheckSelection(models.TextChoices):
    RANDOM = "random", "随机抽查"
    TARGETED = "targeted", "靶向核查"


class QualityCheck(BusinessModel):
    """核发质量检查 of a facility's permit or registration (R-PER-3, 002 五, 001 一)."""

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="quality_checks"
    )
    permit = models.ForeignKey(
        Permit,
        verbose_name="排污许可证",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quality_checks",
    )
    checked_on = models.DateField("检查日期")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("方式", max_length=10, choices=CheckMethod.choices)
    selection = models.CharField("选取方式", max_length=10, choices=CheckSelection.choices)
    summary = models.TextField("检查结论", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "核发质量检查"
        verbose_name_plural = "核发质量检查"
        ordering = ["-checked_on", "-id"]


class FindingCategory(models.TextChoices):
    SHOULD_ISSUE = "should_issue", "应发未发（应发尽发）"
    SHOULD_REGISTER = "should_register", "应登未登（应登尽登）"
    LEVEL_LOWERED = "level_lowered", "违规降低管理级别"
    DISCHARGE_MISMATCH = "discharge_mismatch", "实际排放与许可不符"
