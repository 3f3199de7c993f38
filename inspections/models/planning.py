"""How often each facility is inspected, and when (R-INS-3, R-INS-4; 003 第六条, 002 十一): the bureau's
settings for differentiated supervision, the year's plan that 法制科 adopts into the annual enforcement
plan, its items (one inspection owed by one facility in one window, with the reason and the figures
behind it), and the month's plan for 执法大队 (按月细化)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models import Facility


def _factor(label: str, default: str, help_text: str, *, lowers: bool = False) -> models.DecimalField:
    """A multiplier of R-INS-4: the positive list only lowers the checks (0.1–1); violations, complaints,
    risk and credit only raise them (1–10)."""
    low, high = (Decimal("0.1"), Decimal("1")) if lowers else (Decimal("1"), Decimal("10"))
    direction = "减少" if lowers else "增加"
    message = f"{label}应在 {low}–{high} 之间：该因素只能{direction}检查频次（R-INS-4）。"
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(low, message=message), MaxValueValidator(high, message=message)],
        help_text=help_text,
    )


class PlanSettings(BusinessModel):
    """The bureau's one row of planning settings (R-INS-4 multipliers, the routine cap, draws)."""

    positive_list_factor = _factor(
        "正面清单系数", "0.5", "列入执法正面清单的单位检查频次乘以该系数（不大于 1）。", lowers=True
    )
    violation_factor = _factor("违法记录系数", "2", "上一年度有行政处罚或检查发现问题的单位。")
    complaint_factor = _factor("信访投诉系数", "1.5", "上一年度有属实信访投诉的单位。")
    high_risk_factor = _factor("高环境风险系数", "1.5", "环境风险等级为重大的单位。")
    poor_credit_factor = _factor("信用较差系数", "2", "环境信用评价为警示或不良的单位。")
    routine_cap = models.PositiveSmallIntegerField(
        "每家单位年度例行现场检查上限",
        default=4,
        validators=[
            MinValueValidator(
                2, message="年度例行现场检查上限不能少于 2 次：重点管理单位每半年至少检查一次（R-INS-3）。"
            ),
            MaxValueValidator(12, message="年度例行现场检查上限不能超过 12 次。"),
        ],
        help_text="年度计划检查与双随机抽查合计；信访投诉、线索、案件复查等触发的检查不受此限。",
    )
    registered_share = models.PositiveSmallIntegerField(
        "登记管理单位年度抽查比例（%）",
        default=20,
        validators=[
            MinValueValidator(20, message="登记管理单位年度抽查比例不能低于 20%%（003 第六条）。"),
            MaxValueValidator(100, message="抽查比例不能超过 100%%。"),
        ],
        help_text="不低于 20%（003 第六条），向上取整。",
    )
    due_soon_workdays = models.PositiveSmallIntegerField(
        "临期提醒（工作日）", default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    draw_exclude_recent_days = models.PositiveSmallIntegerField(
        "抽查排除近期已检查单位（天）",
        default=180,
        validators=[MaxValueValidator(730)],
        help_text="0 表示不排除。",
    )
    draw_exclude_positive_list = models.BooleanField("抽查排除正面清单单位", default=True)
    draw_avoid_own_town = models.BooleanField(
        "执法人员回避本人所在街镇", default=False, help_text="执法人员登记了所在街镇的，不派往该街镇的单位。"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查计划设置"
        verbose_name_plural = "检查计划设置"

    def __str__(self):
        return "检查计划设置"


class PlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ADOPTED = "adopted", "已纳入年度执法计划"


class AnnualPlan(BusinessModel):
    """The year's inspections owed by the rules, adopted by 法制科 into the annual enforcement plan."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    state = models.CharField("状态", max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    computed_at = models.DateTimeField("最近计算时间", null=True, blank=True)
    facility_count = models.PositiveIntegerField("纳入单位数", default=0)
    registered_count = models.PositiveIntegerField("登记管理单位数", default=0)
    registered_sample = models.PositiveIntegerField("登记管理单位应抽查数", default=0)
    totals = models.JSONField("应检次数（按管理类别）", default=dict, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="纳入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_at = models.DateTimeField("纳入时间", null=True, blank=True)
    document_no = models.CharField("年度执法计划文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度检查计划"
        verbose_name_plural = "年度检查计划"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年度检查计划"

    @property
    def is_adopted(self) -> bool:
        return self.state == PlanState.ADOPTED


class ItemKind(models.TextChoices):
    NEW_PERMIT = "new_permit", "新发证检查"
    PERIODIC = "periodic", "例行检查"
    RANDOM_DRAW = "random_draw", "双随机抽查"


class ItemState(models.TextChoices):
    OPEN = "open", "待检查"
    DONE = "done", "已完成"
    WITHDRAWN = "withdrawn", "不再需要"


class Alert(models.TextChoices):
    NONE = "", "—"
    DUE_SOON = "due_soon", "临期"
    OVERDUE = "overdue", "逾期"


class PlanItem(models.Model):
    """One inspection owed by one facility in one window, as the rules put it (R-INS-3, R-INS-4).

    Written by the planning jobs only (many rows a year, no per-row history): what changes is the
    state, kept with its date and the inspection that satisfied it; an item is never deleted, an
    item the rules no longer owe is 不再需要 with the reason."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="年度计划", on_delete=models.PROTECT, related_name="items"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=ItemKind.choices)
    key = models.CharField("标识", max_length=40)
    window_start = models.DateField("期限起")
    window_end = models.DateField("期限止", db_index=True)
    planned_month = models.DateField("计划月份", db_index=True)
    reason = models.CharField("依据", max_length=300)
    figures = models.JSONField("计算依据", default=list, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=ItemState.choices, default=ItemState.OPEN, db_index=True
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    withdrawn_reason = models.CharField("不再需要的原因", max_length=200, blank=True)
    alert = models.CharField("提醒", max_length=10, choices=Alert.choices, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计划检查事项"
        verbose_name_plural = "计划检查事项"
        ordering = ["planned_month", "window_end", "facility_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "facility", "key"], name="plan_item_once"),
        ]
        indexes = [models.Index(fields=["facility", "window_end"], name="plan_item_facility")]

    def __str__(self):
        return f"{self.facility_id} {self.reason}"


class MonthPlan(BusinessModel):
    """The month's plan for 执法大队 (按月细化, 002 十一), made on the month's first working day from the
    year's items and what was already done. Made again for the same month, it adds what is new."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    made_at = models.DateTimeField("生成时间", auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空表示系统按月自动生成。",
    )
    item_count = models.PositiveIntegerField("事项数", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "月度检查计划"
        verbose_name_plural = "月度检查计划"
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="month_plan_once")]

    def __str__(self):
        return f"{self.year} 年 {self.month} 月检查计划"


class MonthPlanEntry(models.Model):
    month_plan = models.ForeignKey(
        MonthPlan, verbose_name="月度计划", on_delete=models.PROTECT, related_name="entries"
    )
    item = models.ForeignKey(
        PlanItem, verbose_name="计划检查事项", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "月度计划事项"
        verbose_name_plural = "月度计划事项"
        constraints = [models.UniqueConstraint(fields=["month_plan", "item"], name="month_plan_entry_once")]

    def __str__(self):
        return f"{self.month_plan_id}-{self.item_id}"
