"""执法监测 (R-MON-1; 003 第三条、第七条): the year's monitoring plan (every key-managed holder, a drawn
share of simplified ones, checks of self-monitoring plans and online equipment), its tasks that 生态科
dispatches to 监测站 and follows, the sampling and the results against the permit's limits. A result over
the limit or an anomaly becomes a lead for 执法大队 through 三监联动."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from linkage.models import LinkageTask
from permits.models import EmissionLimit, Facility, Outlet


def _user(label: str, **extra) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.PROTECT, related_name="+", **extra
    )


class MonitoringPlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    DISPATCHED = "dispatched", "已下达"


class MonitoringPlan(BusinessModel):
    """The year's enforcement monitoring plan. The simplified-managed share is drawn like the random
    checks (``bureau.sampling``): the pool's fingerprint, the seed and its commitment are kept."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    state = models.CharField(
        "状态", max_length=12, choices=MonitoringPlanState.choices, default=MonitoringPlanState.DRAFT
    )
    simplified_share = models.PositiveSmallIntegerField(
        "简化管理单位抽测比例（%）", default=30, validators=[MinValueValidator(30), MaxValueValidator(100)]
    )
    key_count = models.PositiveIntegerField("重点管理单位数", default=0)
    simplified_count = models.PositiveIntegerField("简化管理单位数", default=0)
    simplified_sample = models.PositiveIntegerField("简化管理单位应抽测数", default=0)
    pool_text = models.TextField("抽测池文件", blank=True)
    pool_hash = models.CharField("抽测池指纹（SHA-256）", max_length=64, blank=True)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    commitment = models.CharField("随机种子承诺值（SHA-256）", max_length=64, blank=True)
    created_by = _user("编制人", null=True, blank=True)
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    dispatched_by = _user("下达人", null=True, blank=True)
    dispatched_on = models.DateField("下达日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度执法监测计划"
        verbose_name_plural = "年度执法监测计划"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年度执法监测计划"


class TaskKind(models.TextChoices):
    ENFORCEMENT = "enforcement", "执法监测"
    SELF_MONITORING = "self_monitoring", "自行监测方案检查"
    ONLINE_EQUIPMENT = "online_equipment", "在线监测设备运维检查"


class Basis(models.TextChoices):
    KEY_ALL = "key_all", "重点管理单位全覆盖"
    SIMPLIFIED_SAMPLE = "simplified_sample", "简化管理单位抽测"
    SELF_MONITORING = "self_monitoring", "自行监测方案检查"
    ONLINE_EQUIPMENT = "online_equipment", "安装自动监控的单位"
    ADDED = "added", "临时增派"


class TaskState(models.TextChoices):
    PLANNED = "planned", "待下达"
    DISPATCHED = "dispatched", "已下达监测站"
    SAMPLED = "sampled", "已采样"
    CONCLUDED = "concluded", "已出具结论"
    WITHDRAWN = "withdrawn", "已撤回"


class Conclusion(models.TextChoices):
    NONE = "", "未出结论"
    COMPLIANT = "compliant", "达标"
    EXCEEDED = "exceeded", "超标"
    ANOMALY = "anomaly", "存在异常"


class MonitoringTask(BusinessModel):
    number = models.CharField("监测任务编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    plan = models.ForeignKey(
        MonitoringPlan,
        verbose_name="年度计划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="monitoring_tasks"
    )
    kind = models.CharField("任务类型", max_length=20, choices=TaskKind.choices)
    basis = models.CharField("列入依据", max_length=20, choices=Basis.choices)
    state = models.CharField(
        "状态", max_length=12, choices=TaskState.choices, default=TaskState.PLANNED, db_index=True
    )
    due_on = models.DateField("完成期限", null=True, blank=True)
    dispatched_by = _user("下达人（生态科）", null=True, blank=True)
    dispatched_on = models.DateField("下达日期", null=True, blank=True)
    # The sampling (采样), by 监测站.
    sampled_on = models.DateField("采样日期", null=True, blank=True)
    outlet = models.ForeignKey(
        Outlet, verbose_name="排放口", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="采样人员", blank=True, related_name="+"
    )
    sampling_note = models.TextField("采样情况", blank=True)
    # The conclusion, and the lead it started when over a limit or anomalous.
    conclusion = models.CharField("结论", max_length=12, choices=Conclusion.choices, blank=True)
    conclusion_text = models.TextField("结论说明", blank=True)
    concluded_by = _user("出具人", null=True, blank=True)
    concluded_on = models.DateField("出具日期", null=True, blank=True)
    linkage_task = models.ForeignKey(
        LinkageTask,
        verbose_name="移交执法大队的联动任务",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_by = _user("登记人", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执法监测任务"
        verbose_name_plural = "执法监测任务"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="monitoring_task_number"),
            models.UniqueConstraint(
                fields=["plan", "facility", "kind"],
                condition=models.Q(plan__isnull=False),
                name="monitoring_task_once_per_plan",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.facility.name}"

    @property
    def source_key(self) -> str:
        return f"monitoring.task:{self.pk}"


class MonitoringResult(BusinessModel):
    """The result for one pollutant, against the permit's limit at that outlet (a pure rule compares)."""

    task = models.ForeignKey(
        MonitoringTask, verbose_name="监测任务", on_delete=models.PROTECT, related_name="results"
    )
    pollutant = models.CharField("污染物", max_length=50)
    measured = models.DecimalField("监测浓度", max_digits=12, decimal_places=3)
    unit = models.CharField("浓度单位", max_length=20)
    emission_limit = models.ForeignKey(
        EmissionLimit,
        verbose_name="许可排放限值",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    limit = models.DecimalField("许可排放浓度", max_digits=12, decimal_places=3, null=True, blank=True)
    exceeded = models.BooleanField("超标", default=False)
    times_over = models.DecimalField("超标倍数", max_digits=8, decimal_places=2, null=True, blank=True)
    recorded_by = _user("录入人")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "监测结果"
        verbose_name_plural = "监测结果"
        ordering = ["task_id", "pollutant"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "pollutant"],
                name="monitoring_result_once",
                violation_error_message="该任务已录入此污染物的结果。",
            )
        ]

    def __str__(self):
        return f"{self.pollutant} {self.measured} {self.unit}"
