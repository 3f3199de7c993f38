"""异常情况报告 (R-ANM-1; 003 第九条): a holder's report, by phone or letter, that its pollution-control
facilities do not run normally, its emissions are abnormal, its online monitoring equipment is faulty
or its self-monitoring cannot be done. Staff enter it; it goes at once to 生态科 and 污防科 (the
监管部门 第九条 names) and is followed until it is closed with its outcome. Never deleted (R-RET-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.registry import Facility


class AnomalyKind(models.TextChoices):
    # The four cases of 003 第九条, in its words, and any other abnormal situation.
    FACILITY_ABNORMAL = "facility_abnormal", "污染防治设施不正常运行"
    EMISSION_ABNORMAL = "emission_abnormal", "污染物排放异常"
    ONLINE_EQUIPMENT = "online_equipment", "在线监测监控设备异常"
    SELF_MONITORING = "self_monitoring", "自行监测无法完成"
    OTHER = "other", "其他异常情况"


class AnomalyChannel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "书面（函件）"
    IN_PERSON = "in_person", "当面报告"
    ONLINE = "online", "电子邮件或其他在线方式"


class AnomalyReport(BusinessModel):
    """One report of an anomaly by a holder (R-ANM-1)."""

    number = models.CharField("报告编号", max_length=20, unique=True)
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="anomaly_reports"
    )
    kind = models.CharField("异常类别", max_length=20, choices=AnomalyKind.choices)
    description = models.TextField("异常情况")
    started_at = models.DateTimeField("异常开始时间")
    measures = models.TextField("已采取的措施")
    channel = models.CharField("报告方式", max_length=20, choices=AnomalyChannel.choices)
    reporter = models.CharField("报告人及联系方式", max_length=200)
    reported_at = models.DateTimeField("报告时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    linkage_task_number = models.CharField("三监联动任务编号", max_length=20, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.TextField("处理结果", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "异常情况报告"
        verbose_name_plural = "异常情况报告"
        ordering = ["-reported_at", "-id"]

    def __str__(self):
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def source_key(self) -> str:
        """How a linkage task started from this report points back to it."""
        return f"permits.anomaly_report:{self.pk}"
