"""The feedback notice (R-REP-3) and the leads for 执法大队 (R-REP-1, R-REP-4)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models.registry import Facility
from permits.reports.models.filings import ExecutionReport
from permits.reports.models.review import ReportReview, ReviewProblem


class NoticeState(models.TextChoices):
    ISSUED = "issued", "已反馈，待整改"
    ANSWERED = "answered", "已答复，待复核"
    CLOSED = "closed", "复核完毕"


class FeedbackNotice(BusinessModel):
    """排污许可执行报告问题反馈意见单 (R-REP-3; 003 第五条): every problem of one review, told to the
    facility at once, with the agreed time limit in working days."""

    number = models.CharField("文书编号", max_length=30, unique=True)
    review = models.OneToOneField(
        ReportReview, verbose_name="审核", on_delete=models.PROTECT, related_name="notice"
    )
    report = models.ForeignKey(
        ExecutionReport, verbose_name="执行报告", on_delete=models.PROTECT, related_name="notices"
    )
    issued_on = models.DateField("反馈日期")
    time_limit_workdays = models.PositiveSmallIntegerField(
        "整改时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    due_on = models.DateField("整改期限", db_index=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    contact = models.CharField("联系人及电话", max_length=100)
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default=NoticeState.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "排污许可执行报告问题反馈意见单"
        verbose_name_plural = "排污许可执行报告问题反馈意见单"
        ordering = ["-issued_on", "-id"]

    @property
    def source_key(self) -> str:
        return f"permits.feedback_notice:{self.pk}"

    def __str__(self):
        return self.number


class LeadKind(models.TextChoices):
    MISSING = "missing", "未按规定提交执行报告"
    PROBLEM = "problem", "执行报告问题移交"


class ReportLead(BusinessModel):
    """A lead for 执法大队 from execution reports: a report still missing after the grace period
    (R-REP-1), or a problem that must be followed up on site (R-REP-4). Unique per report or per
    problem, so running a check twice records nothing twice; ``task_number`` names the linkage task
    that took it over."""

    kind = models.CharField("线索类别", max_length=10, choices=LeadKind.choices)
    report = models.ForeignKey(
        ExecutionReport, verbose_name="执行报告", on_delete=models.PROTECT, related_name="leads"
    )
    problem = models.OneToOneField(
        ReviewProblem,
        verbose_name="问题",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="+"
    )
    detected_on = models.DateField("发现日期")
    summary = models.CharField("线索内容", max_length=500)
    task_number = models.CharField("三监联动任务编号", max_length=20, blank=True)
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告线索"
        verbose_name_plural = "执行报告线索"
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(kind="missing"),
                name="one_missing_lead_per_report",
                violation_error_message="该执行报告已有逾期未报线索。",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="missing", problem__isnull=True)
                | models.Q(kind="problem", problem__isnull=False),
                name="report_lead_problem_iff_kind",
                violation_error_message="问题移交线索必须指明问题，逾期未报线索不指明问题。",
            ),
        ]

    @property
    def source_key(self) -> str:
        return f"permits.report_lead:{self.pk}"

    def __str__(self):
        return self.summary
