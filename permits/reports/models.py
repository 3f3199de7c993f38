"""执行报告 and their review (R-REP-1…4; 003 第五条、第十三条). ``permits.models`` imports this module, so
Django registers these models in the ``permits`` app.

- ``ExecutionReport``: one report a permit owes for one period (R-REP-1), made when the period ends
  (or when a receipt or a reminder names it first), with its due date, its receipt and its reminders;
- ``ReportVersion``: what the facility filed, each filing a new version, never an edit (R-REP-3),
  with the actual emissions it reports (``ReportedEmission``);
- ``ReportReview``: one round of review of one version, led by 审批科, with one ``ReviewPart`` per
  section and its check-point results (``PartResult``) and ``ReviewProblem``s (R-REP-2);
- ``FeedbackNotice``: 排污许可执行报告问题反馈意见单, every problem of one review at once (R-REP-3);
- ``ReportLead``: a missing report, or a problem that must go to 执法大队 (R-REP-1, R-REP-4);
- ``ReportSettings`` (the bureau's due dates and grace period), ``AnnouncedDueDate`` (the city's date
  for one period), ``ReviewSample`` (a reproducible draw for content review).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Section
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
