"""The review by section (R-REP-2): one round per version, its parts, check-point results and
problems, and the reproducible samples for content review."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Section
from permits.reports import rules
from permits.reports.models.filings import ExecutionReport, PeriodType, ReportVersion


class ReviewState(models.TextChoices):
    OPEN = "open", "审核中"
    COMPLETE = "complete", "审核完成"


class ReportReview(BusinessModel):
    """One round of review of one version (R-REP-2), opened by 审批科. A first review has no
    ``notice_answered``; a re-review checks the answer to a notice. Complete when all three parts are
    signed off by their heads."""

    report = models.ForeignKey(
        ExecutionReport, verbose_name="执行报告", on_delete=models.PROTECT, related_name="reviews"
    )
    version = models.ForeignKey(
        ReportVersion, verbose_name="审核版本", on_delete=models.PROTECT, related_name="reviews"
    )
    round = models.PositiveSmallIntegerField("审核轮次", default=1)
    answers = models.ForeignKey(
        "FeedbackNotice",
        verbose_name="复核的反馈意见单",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rereviews",
    )
    sample = models.ForeignKey(
        "ReviewSample",
        verbose_name="抽查批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    state = models.CharField("状态", max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    opened_on = models.DateField("开始日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告审核"
        verbose_name_plural = "执行报告审核"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "round"],
                name="review_round_unique",
                violation_error_message="该执行报告已有这一轮审核。",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(state="open"),
                name="one_open_review_per_report",
                violation_error_message="该执行报告已有进行中的审核。",
            ),
        ]

    def __str__(self):
        return f"{self.report} 第{self.round}轮审核"


class ReviewPart(BusinessModel):
    """One section's part of a review (R-REP-2): filled by the section's staff, signed off by its head."""

    review = models.ForeignKey(
        ReportReview, verbose_name="审核", on_delete=models.PROTECT, related_name="parts"
    )
    section = models.ForeignKey(Section, verbose_name="科室", on_delete=models.PROTECT, related_name="+")
    section_code = models.CharField("科室代码", max_length=20)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填写人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filled_at = models.DateTimeField("填写时间", null=True, blank=True)
    note = models.TextField("审核意见", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签核负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_on = models.DateField("签核日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "审核分工部分"
        verbose_name_plural = "审核分工部分"
        ordering = ["review_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "section_code"],
                name="review_part_once_per_section",
                violation_error_message="该审核已有此科室的部分。",
            )
        ]

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    def __str__(self):
        return f"{self.review} · {self.section.short_name}"


class PartResult(BusinessModel):
    """The result of one check point of one part (R-REP-2)."""

    part = models.ForeignKey(
        ReviewPart, verbose_name="审核部分", on_delete=models.PROTECT, related_name="results"
    )
    point = models.CharField("检查要点", max_length=40)
    result = models.CharField(
        "检查结果", max_length=20, choices=[(k, v) for k, v in rules.RESULT_NAMES.items()]
    )
    note = models.CharField("说明", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查要点结果"
        verbose_name_plural = "检查要点结果"
        ordering = ["part_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "point"],
                name="part_result_once_per_point",
                violation_error_message="该检查要点已有结果。",
            )
        ]

    @property
    def point_name(self) -> str:
        return rules.check_point(self.part.section_code, self.point).name


class ProblemClass(models.TextChoices):
    PROCEDURAL = rules.PROCEDURAL, "程序性问题（漏填、错填等）"
    SUBSTANTIVE = rules.SUBSTANTIVE, "实质性问题（未按证排污等）"


class ProblemStatus(models.TextChoices):
    PROPOSED = "proposed", "系统提示待确认"
    DISMISSED = "dismissed", "不予采纳"
    OPEN = "open", "待整改"
    CLOSED = "closed", "已整改"


class ReviewProblem(BusinessModel):
    """One problem found in a review, under its section's check point (R-REP-2), classed for escalation
    (R-REP-4). A problem the system proposes (an exceedance against the permit's limits) waits for the
    section to adopt or dismiss it. Once the notice goes out it joins the rectification ledger and is
    closed or kept open at re-review, with the reason; one lead (and so one task) at most per problem."""

    review = models.ForeignKey(
        ReportReview, verbose_name="审核", on_delete=models.PROTECT, related_name="problems"
    )
    part = models.ForeignKey(
        ReviewPart, verbose_name="审核部分", on_delete=models.PROTECT, related_name="problems"
    )
    point = models.CharField("检查要点", max_length=40)
    description = models.TextField("问题描述")
    problem_class = models.CharField("问题性质", max_length=12, choices=ProblemClass.choices)
    status = models.CharField(
        "状态", max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    figures = models.CharField("比对数据", max_length=500, blank=True)
    notice = models.ForeignKey(
        "FeedbackNotice",
        verbose_name="反馈意见单",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    decision_note = models.CharField("复核意见", max_length=500, blank=True)
    decided_on = models.DateField("复核日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告问题"
        verbose_name_plural = "执行报告问题"
        ordering = ["part_id", "id"]

    @property
    def point_name(self) -> str:
        return rules.check_point(self.part.section_code, self.point).name

    @property
    def source_key(self) -> str:
        return f"permits.report_problem:{self.pk}"

    def __str__(self):
        return f"{self.point_name}：{self.description[:30]}"


class ReviewSample(BusinessModel):
    """A reproducible random draw of one period's received reports for content review (R-REP-2): the
    section, the share it set, the seed, and the reports drawn. Redrawing from the kept seed gives the
    same reports (``rules.draw_sample``)."""

    section = models.ForeignKey(Section, verbose_name="抽查科室", on_delete=models.PROTECT, related_name="+")
    period_type = models.CharField("报告类型", max_length=10, choices=PeriodType.choices)
    period_start = models.DateField("报告期起")
    share = models.DecimalField(
        "抽查比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("报告总数")
    # The ids the draw was made from, so that it can be redrawn from the seed even after more reports
    # of the period arrived.
    population_ids = models.JSONField("抽样总体", default=list)
    reports = models.ManyToManyField(ExecutionReport, verbose_name="抽中的报告", related_name="samples")
    drawn_on = models.DateField("抽取日期")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执行报告抽查"
        verbose_name_plural = "执行报告抽查"
        ordering = ["-drawn_on", "-id"]

    @property
    def period(self) -> rules.Period:
        return rules.Period.starting(self.period_type, self.period_start)
