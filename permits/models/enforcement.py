"""Records of the registry that 执法大队 keeps or receives: administrative penalties (R-ORG-2) and
unlicensed-discharge leads (R-PER-2, 004 三(一))."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.registry import Facility, Permit


class PenaltyRecord(BusinessModel):
    """An administrative penalty against a facility, kept by 执法大队 (R-ORG-2)."""

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="penalties"
    )
    decision_no = models.CharField("处罚决定书文号", max_length=100, unique=True)
    decided_on = models.DateField("处罚日期")
    violation = models.CharField("违法行为", max_length=300)
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政处罚记录"
        verbose_name_plural = "行政处罚记录"
        ordering = ["-decided_on"]


class LeadStatus(models.TextChoices):
    OPEN = "open", "待移交"
    HANDED_OVER = "handed_over", "已移交执法大队"
    CLOSED = "closed", "已办结"


class UnlicensedDischargeLead(BusinessModel):
    """无证排污线索 (R-PER-2, 004 三(一)): a permit expired without renewal while the facility operates.

    The linkage service turns an open lead into a 三监联动 task for 执法大队 and marks it handed over;
    ``source_key`` is how that task links back here.
    """

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="leads"
    )
    permit = models.ForeignKey(
        Permit, verbose_name="过期许可证", on_delete=models.PROTECT, related_name="leads"
    )
    expired_on = models.DateField("许可证到期日")
    detected_on = models.DateField("发现日期")
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "无证排污线索"
        verbose_name_plural = "无证排污线索"
        ordering = ["-detected_on"]
        constraints = [models.UniqueConstraint(fields=["permit", "expired_on"], name="lead_once_per_expiry")]

    @property
    def source_key(self) -> str:
        return f"permits.unlicensed_lead:{self.pk}"  # permits.services.expiry.LEAD_KEY_PREFIX
