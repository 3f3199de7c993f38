"""限期整改问题台账: the one rectification ledger (R-PER-3, 000 二(二)3). Every problem with a deadline
joins it, whatever found it: a quality check, a permit's 整改要求, an inspection finding, an
execution-report review. Overdue is derived from the deadline and the day asked about; the tables hold
what was said and done, with history (R-RET-1)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.quality import QualityCheck
from permits.models.registry import Facility


class RectificationSource(models.TextChoices):
    """What found the problem (R-PER-3: quality checks and permits here; inspections and report reviews
    in the apps above, which open their items through ``services.rectification``)."""

    QUALITY_CHECK = "quality_check", "核发质量检查"
    PERMIT = "permit", "许可证整改要求"
    INSPECTION = "inspection", "执法检查发现"
    REPORT_REVIEW = "report_review", "执行报告审核"
    OTHER = "other", "其他"


class RectificationItem(BusinessModel):
    """限期整改问题: one problem of one facility, with its deadline (R-PER-3, R-CAL-1).

    ``source_kind`` says what found it. A quality check's items keep ``quality_check``; every other
    source points back with ``source_key`` (``<app>.<record>:<id>``, as ``inspections.finding:12``), so
    an app above ``permits`` links its records here without ``permits`` importing it, and
    ``source_label`` says in Chinese what the ledger shows. ``category`` is the source's own class of
    problem, with its Chinese ``category_label`` stored beside it for the same reason.

    Open until closed with evidence; overdue is derived from ``deadline_on`` and the day asked about.
    """

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="rectifications"
    )
    source_kind = models.CharField("问题来源", max_length=20, choices=RectificationSource.choices)
    source_key = models.CharField("来源记录", max_length=100, blank=True, default="", db_index=True)
    source_label = models.CharField("来源说明", max_length=200)
    # The page of the record that found the problem, set by the app that owns it (permits cannot
    # reverse a higher app's URLs): the ledger links the label to it.
    source_url = models.CharField("来源链接", max_length=300, blank=True, default="")
    quality_check = models.ForeignKey(
        QualityCheck,
        verbose_name="质量检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    found_on = models.DateField("发现日期")
    category = models.CharField("问题类别", max_length=40)
    category_label = models.CharField("问题类别名称", max_length=100)
    description = models.TextField("问题描述")
    deadline_workdays = models.PositiveIntegerField("整改时限（工作日）", null=True, blank=True)
    deadline_on = models.DateField("整改期限", db_index=True)
    deadline_provisional = models.BooleanField(
        "期限暂定",
        default=False,
        help_text="期限落在或跨越尚未确认工作日历的年度，暂按双休日推算；该年度确认后自动重算（R-CAL-1）。",
    )
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
        constraints = [
            # A quality check's items, and only they, name their check.
            models.CheckConstraint(
                condition=(
                    models.Q(source_kind=RectificationSource.QUALITY_CHECK, quality_check__isnull=False)
                    | (
                        ~models.Q(source_kind=RectificationSource.QUALITY_CHECK)
                        & models.Q(quality_check__isnull=True)
                    )
                ),
                name="rectification_quality_check_iff_source",
                violation_error_message="只有来源为核发质量检查的整改问题关联质量检查，且必须关联。",
            )
        ]

    def __str__(self):
        return f"{self.facility.name}：{self.category_label}"

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
