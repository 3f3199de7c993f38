"""Records of the registry that 执法大队 keeps or receives: administrative penalties (R-ORG-2) and
unlicensed-discharge leads (R-PER-2, 004 三(一))."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits import rules
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


class LapseCase(models.TextChoices):
    """The cases of 004 三(一) that a permit's events show (R-PER-2); ``rules.LAPSE_CASES`` names them."""

    EXPIRED = "expired", "有效期届满未申请延续"
    RENEWAL_UNDECIDED = "renewal_undecided", "延续申请到期时尚未批准"
    RENEWAL_REFUSED = "renewal_refused", "延续申请未获批准"
    CANCELLED = "cancelled", "许可证被注销"
    WITHDRAWN = "withdrawn", "许可证被撤销"
    REVOKED = "revoked", "许可证被吊销"


class UnlicensedDischargeLead(BusinessModel):
    """无证排污线索 (R-PER-2, 004 三(一)): an operating facility whose permit no longer covers it, in one
    of the cases of ``LapseCase``; ``expired_on`` is the last day its permit covered it (the end of
    validity, or the date of 注销, 撤销 or 吊销), so one lapse makes one lead.

    The linkage service turns an open lead into a 三监联动 task for 执法大队 and marks it handed over;
    ``source_key`` is how that task links back here.
    """

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="leads"
    )
    permit = models.ForeignKey(
        Permit, verbose_name="失效许可证", on_delete=models.PROTECT, related_name="leads"
    )
    expired_on = models.DateField("许可证失效日期")
    case = models.CharField("情形", max_length=20, choices=LapseCase.choices, default=LapseCase.EXPIRED)
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
    def summary(self) -> str:
        """排污许可证 P-1 有效期至 …，有效期届满未申请延续 / 已于 … 被吊销: the case in 004's words."""
        return f"排污许可证 {self.permit.number} {rules.lapse_summary(self.case, self.expired_on)}"

    @property
    def source_key(self) -> str:
        return f"permits.unlicensed_lead:{self.pk}"  # permits.services.expiry.LEAD_KEY_PREFIX
