"""固定污染源信息库: facilities, permits and their events, registrations, outlets and limits (R-FAC-1,
R-FAC-2, R-ORG-2, R-PER-1).

State that can be derived is derived (a permit's state from its events and dates); the tables hold
what was said and done, with history (R-RET-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Town


class ManagementLevel(models.TextChoices):
    KEY = "key", "重点管理"
    SIMPLIFIED = "simplified", "简化管理"
    REGISTERED = "registered", "登记管理"


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", "在产"
    HALTED = "halted", "停产"
    CLOSED = "closed", "关闭"


class RiskLevel(models.TextChoices):
    NONE = "", "未评估"
    GENERAL = "general", "一般环境风险"
    MODERATE = "moderate", "较大环境风险"
    MAJOR = "major", "重大环境风险"


class CreditRating(models.TextChoices):
    NONE = "", "未评价"
    EXCELLENT = "excellent", "环保诚信"
    GOOD = "good", "环保良好"
    WARNING = "warning", "环保警示"
    DISHONEST = "dishonest", "环保不良"


class KeyIndustry(BusinessModel):
    """An industry under checklist inspection (R-FAC-2, 000 二(二), 001 二), matched by the leading
    digits of the facility's 国民经济行业分类 code. The administrator extends the list."""

    code = models.CharField("行业代码（前缀）", max_length=4, unique=True)
    name = models.CharField("行业名称", max_length=50)
    source = models.CharField("依据", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "重点行业"
        verbose_name_plural = "重点行业"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Unit(BusinessModel):
    """单位 (法人), keyed by its 统一社会信用代码 (R-FAC-1, GB 32100-2015). Its sites are facilities."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200, db_index=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["credit_code"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class Facility(BusinessModel):
    """排污单位/污染源: one site of a unit, with its own address, town, level and permit or registration
    (R-FAC-1, HJ 608-2017, 003 第八条), keyed by ``source_code`` = the unit's credit code + ``site_number``.

    ``credit_code`` is the unit's code kept on the row: it never differs from ``unit.credit_code`` (both
    are written only by ``register_facility`` and the unit's code never changes), and it lets the many
    readers that filter, search and show by credit code do so without a join. It is not unique: one
    unit may have several sites.

    Each section maintains its own part (R-ORG-2): see ``permits.rules.FIELD_OWNERS``.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="facilities")
    site_number = models.CharField("污染源序号", max_length=3, default="001")
    source_code = models.CharField("污染源编码", max_length=21, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    name = models.CharField("单位名称", max_length=200, db_index=True)
    address = models.CharField("生产经营场所地址", max_length=300, blank=True)
    town = models.ForeignKey(
        Town, verbose_name="所属街镇", on_delete=models.PROTECT, related_name="facilities"
    )
    industry_code = models.CharField("行业类别代码", max_length=4)
    industry_name = models.CharField("行业类别", max_length=100)
    key_industry = models.ForeignKey(
        KeyIndustry,
        verbose_name="重点行业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    management_level = models.CharField("管理类别", max_length=12, choices=ManagementLevel.choices)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    eia_document_no = models.CharField("环评批复文号", max_length=100, blank=True)
    status = models.CharField(
        "生产状态", max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.OPERATING
    )
    # 污防科: 环境监管重点单位 and the data of key-regulated units.
    is_key_regulated = models.BooleanField("环境监管重点单位", default=False)
    # 003 第十九条: units involving state secrets never appear on public pages (R-PUB-1) nor in draws,
    # whose pools are published.
    is_confidential = models.BooleanField("涉及国家秘密", default=False)
    risk_level = models.CharField("环境风险等级", max_length=10, choices=RiskLevel.choices, blank=True)
    has_auto_monitoring = models.BooleanField("安装自动监控", default=False)
    # 生态科: environmental statistics.
    in_environmental_statistics = models.BooleanField("纳入环境统计", default=False)
    # 法制科: credit evaluation (R-CRD-1).
    credit_rating = models.CharField("环境信用评价", max_length=10, choices=CreditRating.choices, blank=True)
    credit_rated_on = models.DateField("信用评价日期", null=True, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排污单位"
        verbose_name_plural = "排污单位"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["town", "management_level"]), models.Index(fields=["industry_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "site_number"],
                name="facility_site_once_per_unit",
                violation_error_message="该单位已有此序号的污染源。",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_key_industry(self) -> bool:
        return self.key_industry_id is not None


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", "月度"
    QUARTERLY = "quarterly", "季度"
    ANNUAL = "annual", "年度"


class PermitState(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "已过期"
    CANCELLED = "cancelled", "已注销"
    WITHDRAWN = "withdrawn", "已撤销"
    REVOKED = "revoked", "已吊销"


class Permit(BusinessModel):
    """排污许可证 (R-PER-1). Its state is derived from its events and dates: see ``rules.permit_state``.

    ``valid_until`` is the end of the current validity: the renewal service moves it when a 延续 is
    granted, and history keeps every earlier value; the grant event keeps the end it extended, so a
    grant after expiry leaves its gap uncovered (``rules.covered_on``).
    """

    number = models.CharField("许可证编号", max_length=40, unique=True)
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="permits"
    )
    management_level = models.CharField(
        "管理类别", max_length=12, choices=[c for c in ManagementLevel.choices if c[0] != "registered"]
    )
    issued_on = models.DateField("发证日期")
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至", db_index=True)
    report_frequency = models.CharField("执行报告频次", max_length=10, choices=ReportFrequency.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排污许可证"
        verbose_name_plural = "排污许可证"
        ordering = ["-issued_on", "id"]

    def __str__(self):
        return self.number


class PermitEventKind(models.TextChoices):
    FIRST_APPLICATION = "first_application", "首次申请"
    REAPPLICATION = "reapplication", "重新申请"
    CHANGE = "change", "变更"
    RENEWAL = "renewal", "延续申请"
    RENEWAL_DECISION = "renewal_decision", "延续决定"
    CANCELLATION = "cancellation", "注销"
    WITHDRAWAL = "withdrawal", "撤销"
    REVOCATION = "revocation", "吊销"
    REPLACEMENT = "replacement", "遗失补办"


class PermitEvent(BusinessModel):
    """One step in a permit's life (R-PER-1, 003 第十条, 002 四).

    A 延续 is two events: the application (``renewal``) and, on its own date with its own 文号, the
    decision (``renewal_decision``), which names its application and is granted with a new validity
    (``new_valid_until``, with the end it extended in ``previous_valid_until``) or refused. A 变更
    initiated by 审批科 (依职权变更, when standards change) carries the notice sent to the unit.
    """

    permit = models.ForeignKey(
        Permit, verbose_name="排污许可证", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=PermitEventKind.choices)
    occurred_on = models.DateField("日期")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    renewal_application = models.OneToOneField(
        "self",
        verbose_name="所决定的延续申请",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_decision",
    )
    renewal_granted = models.BooleanField("准予延续", null=True, blank=True)
    previous_valid_until = models.DateField("原有效期至", null=True, blank=True)
    new_valid_until = models.DateField("延续后有效期至", null=True, blank=True)
    is_bureau_initiated = models.BooleanField("依职权变更", default=False)
    notice_no = models.CharField("告知书文号", max_length=100, blank=True)
    notice_on = models.DateField("告知日期", null=True, blank=True)
    notice_file = models.FileField("告知书扫描件", upload_to="permit-notices/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "许可证事项"
        verbose_name_plural = "许可证事项"
        ordering = ["occurred_on", "id"]

    def __str__(self):
        return f"{self.permit.number} {self.get_kind_display()} {self.occurred_on}"


class Registration(BusinessModel):
    """排污登记 of a unit under registration management (登记管理)."""

    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="registrations"
    )
    receipt_no = models.CharField("登记回执编号", max_length=40, unique=True)
    registered_on = models.DateField("登记日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排污登记"
        verbose_name_plural = "排污登记"
        ordering = ["-registered_on", "id"]

    def __str__(self):
        return self.receipt_no


class OutletKind(models.TextChoices):
    GAS = "gas", "废气"
    WATER = "water", "废水"


class Outlet(BusinessModel):
    """排放口 of a permit: DA001 (废气), DW001 (废水)."""

    permit = models.ForeignKey(
        Permit, verbose_name="排污许可证", on_delete=models.PROTECT, related_name="outlets"
    )
    code = models.CharField("排放口编号", max_length=20)
    kind = models.CharField("类别", max_length=10, choices=OutletKind.choices)
    name = models.CharField("名称", max_length=100, blank=True)
    location = models.CharField("位置", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排放口"
        verbose_name_plural = "排放口"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "code"],
                name="outlet_code_unique",
                violation_error_message="该许可证已有此排放口编号。",
            )
        ]

    def __str__(self):
        return self.code


class EmissionLimit(BusinessModel):
    """许可排放限值 of one pollutant at one outlet."""

    outlet = models.ForeignKey(Outlet, verbose_name="排放口", on_delete=models.PROTECT, related_name="limits")
    pollutant = models.CharField("污染物", max_length=50)
    concentration = models.DecimalField(
        "许可排放浓度", max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField("浓度单位", max_length=20, default="mg/m³")
    annual_quantity = models.DecimalField(
        "年许可排放量（吨）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "许可排放限值"
        verbose_name_plural = "许可排放限值"
        ordering = ["outlet_id", "pollutant"]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "pollutant"],
                name="limit_once_per_pollutant",
                violation_error_message="该排放口已有此污染物的限值。",
            )
        ]

    def __str__(self):
        return f"{self.outlet.code} {self.pollutant}"
