"""The annual grading of permit holders and what follows from it (003 第四条、附件1、附件2; 002 十二、二十):

- the work group of 附件1, as posts (``WorkGroupPost``): the person in a post is its member, so a
  successor inherits the membership (接任人员自然替补, R-ORG-1);
- one ``AnnualGrading`` a year, its ``FacilityGrade`` rows drafted by the rules (R-GRD-1…4), the work
  group's ``GradeOverride`` changes and the 组长's confirmation (R-GRD-5);
- the facts the sections record by hand (``GradingFact``: a commendation, failing to cooperate …);
- the enforcement positive list (``PositiveListEntry``) and the proposals a confirmed grading makes to
  it (``PositiveListProposal``, R-POS-1);
- credit ratings recorded by 法制科 (``CreditRecord``, R-CRD-1).

``FacilityGrade`` rows are drafted in bulk and keep no history of their own: a draft is recomputed from
the facts, and every change a person makes to one is a ``GradeOverride`` row, kept for ever.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, HardDeleteForbidden, Section, Staff
from grading import rules
from permits.models import CreditRating, Facility


def _user(label: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.PROTECT, related_name="+", **kwargs
    )


# --- the work group (R-ORG-1, 附件1) ---------------------------------------------------------------


class Duty(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class WorkGroupPost(BusinessModel):
    """A post in the work group (附件1): a duty in one section, held by one person at a time. Whoever
    holds the post is the member; when the holder moves on, the successor takes the post."""

    duty = models.CharField("职务", max_length=10, choices=Duty.choices)
    section = models.ForeignKey(Section, verbose_name="所在部门", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("岗位", max_length=50, help_text="如：分管副局长、科长、排污许可业务人员")
    holder = models.ForeignKey(
        Staff,
        verbose_name="现任人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_group_posts",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作组岗位"
        verbose_name_plural = "工作组岗位"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty"],
                condition=Q(duty="leader", is_active=True),
                name="work_group_one_leader",
                violation_error_message="工作组只设一名组长。",
            ),
            models.UniqueConstraint(
                fields=["holder"],
                condition=Q(is_active=True, holder__isnull=False),
                name="work_group_one_post_each",
                violation_error_message="该人员已在工作组中担任其他岗位。",
            ),
        ]

    def __str__(self):
        return f"{self.get_duty_display()}·{self.section.short_name}{self.title}"


# --- the grading (R-GRD-1…5, 附件2) ---------------------------------------------------------------


class GradingState(models.TextChoices):
    DRAFTING = "drafting", "起草中"
    DRAFT = "draft", "待工作组审核"
    FAILED = "failed", "起草失败"
    CONFIRMED = "confirmed", "已确认"


class Grade(models.TextChoices):
    EXCELLENT = rules.EXCELLENT, rules.GRADE_LABELS[rules.EXCELLENT]
    QUALIFIED = rules.QUALIFIED, rules.GRADE_LABELS[rules.QUALIFIED]
    UNQUALIFIED = rules.UNQUALIFIED, rules.GRADE_LABELS[rules.UNQUALIFIED]


class AnnualGrading(BusinessModel):
    """The grading of one year's permit holders (评定年度 ``year``; drafted the next January)."""

    year = models.PositiveSmallIntegerField("评定年度", unique=True)
    state = models.CharField(
        "状态", max_length=10, choices=GradingState.choices, default=GradingState.DRAFTING
    )
    holders = models.PositiveIntegerField("参评持证单位数", default=0)
    cap = models.PositiveIntegerField("优秀名额", default=0, help_text="上年度持证单位总数的 10%，向下取整。")
    done = models.PositiveIntegerField("已评定", default=0)
    total = models.PositiveIntegerField("待评定", default=0)
    drafted_at = models.DateTimeField("起草时间", null=True, blank=True)
    drafted_by = _user("起草人", null=True, blank=True)  # None: the January job
    draft_count = models.PositiveSmallIntegerField("起草次数", default=0)
    task_id = models.CharField("后台任务", max_length=50, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    cap_exceeded_reason = models.TextField("超出优秀名额的理由", blank=True)
    cap_exceeded_by = _user("超出名额记录人", null=True, blank=True)
    cap_exceeded_at = models.DateTimeField("超出名额记录时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = _user("确认人（组长）", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度等级评定"
        verbose_name_plural = "年度等级评定"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年度持证单位等级评定"

    @property
    def is_confirmed(self) -> bool:
        return self.state == GradingState.CONFIRMED


class HolderGrades(models.Manager):
    """The grades of the year's permit holders: a row set aside by a later draft is left out of every
    list, count, proposal and meeting."""

    def get_queryset(self):
        return super().get_queryset().filter(is_holder=True)


class FacilityGrade(models.Model):
    """One holder's grade in one year: what the rules gave (``rule_grade``, with ``reasons``) and the
    grade after the work group's changes (``grade``). ``reasons`` are ``rules.Reason`` as dicts:
    ``{"code", "text", "url"}``; ``record`` the year's figures the ranking reads.

    A facility that a later draft no longer finds among the year's holders (its permit data corrected)
    loses its row, unless the work group changed its grade: then the row and its changes are kept with
    ``is_holder`` False, out of ``objects`` (R-GRD-1 grades holders only) and in ``every_row``."""

    grading = models.ForeignKey(
        AnnualGrading, verbose_name="年度评定", on_delete=models.PROTECT, related_name="grades"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="持证单位", on_delete=models.PROTECT, related_name="grades"
    )
    rule_grade = models.CharField("规则评定等级", max_length=12, choices=Grade.choices)
    grade = models.CharField("评定等级", max_length=12, choices=Grade.choices, db_index=True)
    reasons = models.JSONField("评定理由", default=list)
    unqualified_conditions = models.CharField("不合格情形", max_length=20, blank=True)
    excellent_conditions = models.CharField("优秀条件", max_length=20, blank=True)
    rank = models.PositiveIntegerField("优秀候选排序", null=True, blank=True)
    record = models.JSONField("年度记录", default=dict)
    is_overridden = models.BooleanField("经工作组调整", default=False)
    is_holder = models.BooleanField("属于该年度持证单位", default=True)

    objects = HolderGrades()
    every_row = models.Manager()  # noqa: DJ012 (two managers; ruff takes the second for a field)

    class Meta:
        base_manager_name = "every_row"
        verbose_name = "单位评定等级"
        verbose_name_plural = "单位评定等级"
        ordering = ["grading", "facility__source_code"]
        constraints = [
            models.UniqueConstraint(fields=["grading", "facility"], name="grade_once_per_year"),
        ]
        indexes = [models.Index(fields=["facility", "grading"])]

    def __str__(self):
        return f"{self.grading.year} {self.facility} {self.get_grade_display()}"

    def delete(self, *args, **kwargs):  # rows of a confirmed year are kept; a draft replaces its own
        raise HardDeleteForbidden(self._meta.verbose_name)


class GradeOverride(BusinessModel):
    """A work-group member changed one grade, with a written reason (R-GRD-5). Never edited: a later
    change is a new row, and the grade is the last row's ``to_grade``."""

    facility_grade = models.ForeignKey(
        FacilityGrade, verbose_name="单位评定等级", on_delete=models.PROTECT, related_name="overrides"
    )
    from_grade = models.CharField("原等级", max_length=12, choices=Grade.choices)
    to_grade = models.CharField("调整为", max_length=12, choices=Grade.choices)
    condition = models.CharField(
        "不合格情形",
        max_length=4,
        blank=True,
        choices=[(c, f"{rules.ARTICLE[c]} {rules.CONDITIONS[c]}") for c in rules.UNQUALIFIED_CONDITIONS],
        help_text="调为不合格时所依据的附件2 三所列情形。",
    )
    reason = models.TextField("调整理由")
    post = models.CharField("调整人岗位", max_length=100)
    by = _user("调整人")
    at = models.DateTimeField("调整时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评定等级调整"
        verbose_name_plural = "评定等级调整"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_grade_display()} → {self.get_to_grade_display()}"


class FactKind(models.TextChoices):
    """The conditions of 附件2 that the sections record by hand, named as the text names them."""

    CAMPAIGN = rules.U_CAMPAIGN, rules.CONDITIONS[rules.U_CAMPAIGN]
    REFUSED_RECTIFICATION = rules.U_REFUSED, rules.CONDITIONS[rules.U_REFUSED]
    NOT_COOPERATING = rules.U_NOT_COOPERATING, rules.CONDITIONS[rules.U_NOT_COOPERATING]
    OTHER_SERIOUS = rules.U_OTHER, rules.CONDITIONS[rules.U_OTHER]
    COMMENDATION = rules.E_COMMENDATION, rules.CONDITIONS[rules.E_COMMENDATION]
    MEDIA = rules.E_MEDIA, rules.CONDITIONS[rules.E_MEDIA]
    RESPONSIBILITY = rules.E_RESPONSIBILITY, rules.CONDITIONS[rules.E_RESPONSIBILITY]


class GradingFact(BusinessModel):
    """A fact of a holder's year recorded by a section, with its evidence: a commendation, media
    coverage, failing to cooperate, a campaign finding … Withdrawn, never deleted."""

    facility = models.ForeignKey(
        Facility, verbose_name="持证单位", on_delete=models.PROTECT, related_name="grading_facts"
    )
    kind = models.CharField("情形", max_length=20, choices=FactKind.choices)
    occurred_on = models.DateField("发生日期", db_index=True)
    description = models.TextField("事实描述")
    evidence = models.CharField("证明材料", max_length=300, help_text="文件名称、文号或报道出处")
    evidence_file = models.FileField("证明文件", upload_to="grading/facts/%Y/", blank=True)
    section = models.ForeignKey(Section, verbose_name="记录科室", on_delete=models.PROTECT, related_name="+")
    recorded_by = _user("记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = _user("撤回人", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回理由", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "等级评定事实"
        verbose_name_plural = "等级评定事实"
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.facility} {self.get_kind_display()}（{self.occurred_on}）"


# --- the positive list (R-POS-1, 002 十二) ---------------------------------------------------------


class EntrySource(models.TextChoices):
    PROPOSAL = "proposal", "评定结果建议"
    MANUAL = "manual", "法制科决定"
    AUTOMATIC = "automatic", "系统及时移出"


class PositiveListEntry(BusinessModel):
    """A facility's time on the enforcement positive list: from ``listed_on`` until ``removed_on``
    (the day it is off the list)."""

    facility = models.ForeignKey(
        Facility, verbose_name="单位", on_delete=models.PROTECT, related_name="positive_list_entries"
    )
    listed_on = models.DateField("列入日期")
    reason = models.CharField("列入理由", max_length=300)
    source = models.CharField("列入依据", max_length=10, choices=EntrySource.choices)
    listed_by = _user("列入人")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出理由", max_length=300, blank=True)
    removal_url = models.CharField("移出依据链接", max_length=300, blank=True)
    removal_source = models.CharField("移出依据", max_length=10, choices=EntrySource.choices, blank=True)
    removed_by = _user("移出人", null=True, blank=True)  # None with AUTOMATIC: the system, at once
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执法正面清单"
        verbose_name_plural = "执法正面清单"
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(removed_on__isnull=True),
                name="positive_list_once",
                violation_error_message="该单位已在执法正面清单中。",
            )
        ]
        indexes = [models.Index(fields=["listed_on", "removed_on"])]

    def __str__(self):
        return f"{self.facility}（{self.listed_on} 起）"


class ProposalKind(models.TextChoices):
    ADD = "add", "建议列入"
    REMOVE = "remove", "建议移出"


class ProposalState(models.TextChoices):
    PENDING = "pending", "待法制科决定"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "不予采纳"


class PositiveListProposal(BusinessModel):
    """A change to the positive list that a confirmed grading proposes; 法制科 accepts or rejects it."""

    facility = models.ForeignKey(
        Facility, verbose_name="单位", on_delete=models.PROTECT, related_name="positive_list_proposals"
    )
    kind = models.CharField("建议", max_length=10, choices=ProposalKind.choices)
    grading = models.ForeignKey(
        AnnualGrading, verbose_name="依据的年度评定", on_delete=models.PROTECT, related_name="proposals"
    )
    reason = models.CharField("建议理由", max_length=300)
    state = models.CharField(
        "状态", max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    decided_by = _user("决定人", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.CharField("决定意见", max_length=300, blank=True)
    entry = models.ForeignKey(
        PositiveListEntry,
        verbose_name="清单记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "正面清单调整建议"
        verbose_name_plural = "正面清单调整建议"
        ordering = ["state", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grading", "facility", "kind"], name="proposal_once_per_grading")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.facility}"


class PositiveListSettings(BusinessModel):
    """The conditions the bureau sets for proposing a unit to the list, besides an 优秀 grade (R-POS-1)."""

    require_no_penalty = models.BooleanField(
        "无行政处罚", default=True, help_text="评定年度及其后至今未受行政处罚。"
    )
    credit_levels = models.CharField(
        "信用评价要求",
        max_length=60,
        default="excellent,good",
        blank=True,
        help_text="逗号分隔的信用等级代码（excellent、good、warning、dishonest），留空表示不限。",
    )
    updated_by = _user("最后修改人", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "正面清单建议条件"
        verbose_name_plural = "正面清单建议条件"

    def __str__(self):
        return "正面清单建议条件"

    @property
    def credit_level_set(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.credit_levels.split(",") if c.strip())


# --- credit (R-CRD-1, 000 四2, 002 二十) ------------------------------------------------------------


class CreditRecord(BusinessModel):
    """A credit rating of a permit holder recorded by 法制科: the latest by date is the facility's."""

    facility = models.ForeignKey(
        Facility, verbose_name="单位", on_delete=models.PROTECT, related_name="credit_records"
    )
    rated_on = models.DateField("评价日期")
    level = models.CharField("信用等级", max_length=10, choices=[c for c in CreditRating.choices if c[0]])
    source = models.CharField(
        "评价来源", max_length=200, help_text="评价机关及文件，如：市生态环境局企业环境信用评价结果"
    )
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = _user("记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "信用评价记录"
        verbose_name_plural = "信用评价记录"
        ordering = ["-rated_on", "-id"]
        indexes = [models.Index(fields=["facility", "rated_on"])]

    def __str__(self):
        return f"{self.facility} {self.get_level_display()}（{self.rated_on}）"
