"""What is owed and what was filed (R-REP-1, R-REP-3): the bureau's settings, the city's dates, one
report a permit owes for one period, its versions and the emissions they report."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.registry import Facility, Outlet, Permit
from permits.reports import rules


class PeriodType(models.TextChoices):
    MONTH = rules.MONTH, "月度"
    QUARTER = rules.QUARTER, "季度"
    YEAR = rules.YEAR, "年度"


class ReportSettings(BusinessModel):
    """The bureau's execution-report settings (R-REP-1), one row, edited by the administrator or 审批科.
    The defaults are those of R-REP-1."""

    days_after_period = models.PositiveSmallIntegerField(
        "月度、季度报告截止（期末后天数）",
        default=rules.DEFAULT_DAYS_AFTER_PERIOD,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    annual_due_month = models.PositiveSmallIntegerField(
        "年度报告截止月",
        default=rules.DEFAULT_ANNUAL_DUE[0],
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    annual_due_day = models.PositiveSmallIntegerField(
        "年度报告截止日",
        default=rules.DEFAULT_ANNUAL_DUE[1],
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    grace_days = models.PositiveSmallIntegerField(
        "逾期未报移交宽限（天）",
        default=rules.DEFAULT_GRACE_DAYS,
        validators=[MaxValueValidator(365)],
        help_text="截止日后仍未收到报告超过该天数的，作为未按规定提交执行报告线索交执法大队。",
    )
    leads_from = models.DateField(
        "逾期未报线索起算日期",
        null=True,
        blank=True,
        help_text="截止日期在此日期之前的报告逾期未报时不再生成线索（系统启用前的旧账由人工核实）；留空则全部生成。",
    )
    feedback_workdays = models.PositiveSmallIntegerField(
        "反馈意见单默认整改时限（工作日）",
        default=rules.DEFAULT_FEEDBACK_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    contact = models.CharField("反馈意见单联系人及电话", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告设置"
        verbose_name_plural = "执行报告设置"

    def __str__(self):
        return "执行报告设置"


class AnnouncedDueDate(BusinessModel):
    """A due date the city announced for one period, replacing the default for every report of it
    (R-REP-1; 003 第五条: "按照市级管理部门安排的时间节点")."""

    period_type = models.CharField("报告类型", max_length=10, choices=PeriodType.choices)
    period_start = models.DateField("报告期起")
    due_on = models.DateField("截止日期")
    notice = models.CharField("市级通知", max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "市级公布的报告截止日期"
        verbose_name_plural = "市级公布的报告截止日期"
        ordering = ["-period_start", "period_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_type", "period_start"],
                name="announced_due_once_per_period",
                violation_error_message="该报告期已有市级公布的截止日期。",
            )
        ]

    @property
    def period(self) -> rules.Period:
        return rules.Period.starting(self.period_type, self.period_start)

    def __str__(self):
        return f"{self.period.label} {self.due_on}"


class ExecutionReport(BusinessModel):
    """One report a permit owes for one period (R-REP-1). ``received_on`` is the first filing's date
    (what on-time is judged by); later filings are versions. ``due_on`` is the nominal date moved to
    the next working day when it falls on a rest day (民法典 第二百零三条), ``due_provisional`` when that
    day lies in a year whose calendar is not confirmed (R-CAL-1)."""

    permit = models.ForeignKey(
        Permit, verbose_name="排污许可证", on_delete=models.PROTECT, related_name="execution_reports"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="execution_reports"
    )
    period_type = models.CharField("报告类型", max_length=10, choices=PeriodType.choices)
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    due_on = models.DateField("截止日期", db_index=True)
    due_provisional = models.BooleanField("截止日期暂定", default=False)
    received_on = models.DateField("首次提交日期", null=True, blank=True, db_index=True)
    version_count = models.PositiveSmallIntegerField("版本数", default=0)
    requested_on = models.DateField("催报日期", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request_note = models.CharField("催报方式及说明", max_length=200, blank=True)
    flagged_on = models.DateField("逾期标记日期", null=True, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告"
        verbose_name_plural = "执行报告"
        ordering = ["-period_end", "period_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "period_type", "period_start"],
                name="report_once_per_permit_period",
                violation_error_message="该许可证已有该报告期的执行报告。",
            )
        ]
        indexes = [models.Index(fields=["period_type", "period_start"])]

    @property
    def period(self) -> rules.Period:
        return rules.Period.starting(self.period_type, self.period_start)

    def receipt_state(self, today) -> str:
        return rules.receipt_state(due_on=self.due_on, received_on=self.received_on, today=today)

    def __str__(self):
        return f"{self.permit.number} {self.period.label}执行报告"


class VersionKind(models.TextChoices):
    REPORT = "report", "执行报告"
    CORRECTED = "corrected", "修改后的执行报告"
    SUPPLEMENT = "supplement", "补充说明材料"


class ReceiptSource(models.TextChoices):
    HAND = "hand", "手工登记"
    IMPORT = "import", "平台导出导入"


class ReportVersion(BusinessModel):
    """One filing of a report (R-REP-3: a resubmission is a new version, never an edit)."""

    report = models.ForeignKey(
        ExecutionReport, verbose_name="执行报告", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("版本")
    kind = models.CharField("类型", max_length=12, choices=VersionKind.choices, default=VersionKind.REPORT)
    received_on = models.DateField("提交日期")
    platform_ref = models.CharField("平台报告编号", max_length=60, blank=True)
    file = models.FileField("报告文件", upload_to="execution-reports/%Y/", blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    source = models.CharField(
        "登记方式", max_length=10, choices=ReceiptSource.choices, default=ReceiptSource.HAND
    )
    answers_notice = models.ForeignKey(
        "FeedbackNotice",
        verbose_name="答复的反馈意见单",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告版本"
        verbose_name_plural = "执行报告版本"
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="report_version_unique",
                violation_error_message="该执行报告已有此版本，请刷新后重试。",
            )
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}版"


class ReportedEmission(BusinessModel):
    """实际排放情况: one outlet and pollutant as a version reports it (R-REP-2)."""

    version = models.ForeignKey(
        ReportVersion, verbose_name="报告版本", on_delete=models.PROTECT, related_name="emissions"
    )
    outlet = models.ForeignKey(Outlet, verbose_name="排放口", on_delete=models.PROTECT, related_name="+")
    pollutant = models.CharField("污染物", max_length=50)
    concentration = models.DecimalField(
        "实际排放浓度", max_digits=12, decimal_places=3, null=True, blank=True
    )
    quantity = models.DecimalField("实际排放量（吨）", max_digits=14, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "实际排放情况"
        verbose_name_plural = "实际排放情况"
        ordering = ["outlet__code", "pollutant"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "outlet", "pollutant"],
                name="emission_once_per_version",
                violation_error_message="该报告版本已有此排放口、此污染物的实际排放数据。",
            )
        ]
