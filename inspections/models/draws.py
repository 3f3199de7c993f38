"""双随机一公开 (R-INS-5; 002 十一, 000 四1): a draw of units and pairs of officers at random, verifiable
by anyone (``bureau.sampling``), and the conflicts officers declare so they are kept away from a unit."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Town
from inspections.models.planning import PlanItem
from permits.models import Facility


class CheckMode(models.TextChoices):
    ON_SITE = "on_site", "现场检查"
    REMOTE = "remote", "远程核查"


class DrawState(models.TextChoices):
    COMMITTED = "committed", "已公示，待抽取"
    DRAWN = "drawn", "已抽取"
    CANCELLED = "cancelled", "已作废"


class RandomDraw(BusinessModel):
    """One draw. Before it runs the pool's fingerprint and the seed's commitment are public with the
    parameters; the seed, the pool and the selection become public on the inspection date."""

    number = models.CharField("抽查编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    title = models.CharField("抽查事项", max_length=200)
    mode = models.CharField("检查方式", max_length=10, choices=CheckMode.choices, default=CheckMode.ON_SITE)
    # The pool: a filter over facilities, as asked (shown with the draw) …
    levels = models.JSONField("管理类别", default=list)
    towns = models.JSONField("街镇（代码）", default=list, blank=True)
    industry_prefixes = models.JSONField("行业类别代码（前缀）", default=list, blank=True)
    exclude_recent_days = models.PositiveSmallIntegerField("排除近期已检查（天）", default=0)
    exclude_positive_list = models.BooleanField("排除正面清单单位", default=False)
    avoid_own_town = models.BooleanField("执法人员回避本人所在街镇", default=False)
    sample_percent = models.PositiveSmallIntegerField("抽取比例（%）", null=True, blank=True)
    sample_size = models.PositiveIntegerField("抽取数量", default=0)
    inspect_from = models.DateField("检查开始日期", help_text="抽取结果在此日起公开。")
    inspect_until = models.DateField("检查截止日期")
    # … and as fixed at creation: the pool file, its fingerprint, the seed and its commitment.
    pool_text = models.TextField("抽取池文件")
    pool_hash = models.CharField("抽取池指纹（SHA-256）", max_length=64)
    unit_count = models.PositiveIntegerField("抽取池单位数")
    officer_count = models.PositiveIntegerField("执法人员库人数")
    seed = models.CharField("随机种子", max_length=64)
    commitment = models.CharField("随机种子承诺值（SHA-256）", max_length=64)
    state = models.CharField("状态", max_length=10, choices=DrawState.choices, default=DrawState.COMMITTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("公示时间", auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    cancel_reason = models.CharField("作废原因", max_length=300, blank=True)
    # The seed stays out of the history: nobody reads it there before the draw is public.
    history = HistoricalRecords(excluded_fields=["seed"])

    class Meta:
        verbose_name = "双随机抽查"
        verbose_name_plural = "双随机抽查"
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="draw_number_sequence")]

    def __str__(self):
        return f"{self.number} {self.title}"


class DrawOfficer(models.Model):
    """An officer in a draw's pool, as they were when the draw was made (certificate, name, town)."""

    draw = models.ForeignKey(
        RandomDraw, verbose_name="抽查", on_delete=models.PROTECT, related_name="officers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    certificate_no = models.CharField("执法证号", max_length=30)
    name = models.CharField("姓名", max_length=50)

    class Meta:
        verbose_name = "抽查执法人员"
        verbose_name_plural = "抽查执法人员"
        ordering = ["certificate_no"]
        constraints = [models.UniqueConstraint(fields=["draw", "user"], name="draw_officer_once")]

    def __str__(self):
        return f"{self.name}（{self.certificate_no}）"


class DrawItem(models.Model):
    """One unit drawn, with its pair of officers, its place in the plan and, once done, its inspection
    and the result published (R-INS-5)."""

    draw = models.ForeignKey(RandomDraw, verbose_name="抽查", on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField("抽取顺序")
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="+"
    )
    officers = models.ManyToManyField(DrawOfficer, verbose_name="执法人员", related_name="items")
    plan_item = models.OneToOneField(
        PlanItem,
        verbose_name="计划检查事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draw_item",
    )
    inspection = models.OneToOneField(
        "inspections.Inspection",
        verbose_name="检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draw_item",
    )
    result_published_on = models.DateField("结果公开日期", null=True, blank=True)
    # When the inspection was not made by the drawn pair (回避 declared after the draw, leave): who
    # instead and why, published with the result.
    officer_change = models.CharField("执法人员调整说明", max_length=400, blank=True)

    class Meta:
        verbose_name = "抽取结果"
        verbose_name_plural = "抽取结果"
        ordering = ["draw_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="draw_item_position"),
            models.UniqueConstraint(fields=["draw", "facility"], name="draw_item_facility"),
        ]

    def __str__(self):
        return f"{self.draw_id}-{self.position}"


class OfficerConflict(BusinessModel):
    """Why an officer stays away (回避): from one unit (a declared conflict, always honoured), or from
    the units of their own town (所在街镇, honoured when the bureau's settings say so)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="conflicts"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="回避单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    town = models.ForeignKey(
        Town, verbose_name="本人所在街镇", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("申报日期")
    is_active = models.BooleanField("有效", default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执法人员回避"
        verbose_name_plural = "执法人员回避"
        ordering = ["-declared_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(facility__isnull=True) ^ models.Q(town__isnull=True),
                name="conflict_unit_or_town",
                violation_error_message="回避对象须为一家单位或本人所在街镇，二者选一。",
            ),
            models.UniqueConstraint(
                fields=["officer", "facility"],
                condition=models.Q(is_active=True, facility__isnull=False),
                name="conflict_once_while_active",
                violation_error_message="该执法人员对该单位已申报回避。",
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=models.Q(is_active=True, town__isnull=False),
                name="one_own_town_while_active",
                violation_error_message="该执法人员已登记所在街镇。",
            ),
        ]

    def __str__(self):
        return f"{self.officer} 回避 {self.facility or self.town}"
