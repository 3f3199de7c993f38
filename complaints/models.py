"""信访投诉/举报 (R-CMP-1; 002 十五、二十一): complaints and tip-offs from every channel, their
investigation (possibly through a 三监联动 task), the answer to the reporter, and rewards.

The reporter's identity lives in its own table, ``ComplaintReporter``, with its own history: the
complaint's history (shown to every section that handles complaints) then never holds a name, an ID
number, a phone number or an address, and the identity table is read only where
``complaints.queries.reporter_for`` shows it in full (the complaint's handler, 法制科, 局领导) or
masked (everyone else).

Until the restructure these models lived in the ``linkage`` app; ``complaints/migrations/0001``
took over their tables without copying a row. Nothing here is ever deleted (R-RET-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Section
from complaints import rules


class Channel(models.TextChoices):
    """Every channel a complaint comes in by (R-CMP-1; 002 二十一): the two hotlines, letters and
    visits, the web, referrals from above. The stored values of before issue 8 keep their meaning
    and are not rewritten (``hotline`` was and is the 12345 line, ``phone`` any other number): a
    rename would rewrite every history row that holds them, and R-RET-1 keeps history as it was."""

    HOTLINE_12369 = "12369", "12369 环保举报热线"
    HOTLINE_12345 = "hotline", "12345 市民服务热线"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    WEB = "web", "网络"
    PHONE = "phone", "其他电话"
    ASSIGNED = "assigned", "上级交办"
    INSPECTION = "inspection", "督察转办"


class Rectification(models.TextChoices):
    """What became of a verified problem, recorded at closing (R-CMP-1, read by R-GRD-2)."""

    RECTIFIED = rules.RECTIFIED, rules.RECTIFICATION_LABELS[rules.RECTIFIED]
    RECTIFYING = rules.RECTIFYING, rules.RECTIFICATION_LABELS[rules.RECTIFYING]
    REFUSED = rules.REFUSED, rules.RECTIFICATION_LABELS[rules.REFUSED]


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "已受理"
    INVESTIGATING = "investigating", "调查处理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class RewardDecision(models.TextChoices):
    APPROVED = "approved", "同意奖励"
    REJECTED = "rejected", "不予奖励"


def _user_fk(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class Complaint(BusinessModel):
    """One complaint or tip-off: what was reported, through which channel, and what became of it.

    Holds nothing that identifies the reporter (see ``ComplaintReporter``).
    """

    number = models.CharField("投诉编号", max_length=20, unique=True)
    year = models.PositiveIntegerField("年份")
    sequence = models.PositiveIntegerField("序号")
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    received_on = models.DateField("受理日期", db_index=True)
    content = models.TextField("反映内容")
    facility = models.ForeignKey(
        "permits.Facility",
        verbose_name="被投诉单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    state = models.CharField(
        "办理状态",
        max_length=20,
        choices=ComplaintState.choices,
        default=ComplaintState.RECEIVED,
        db_index=True,
    )
    registered_by = _user_fk("登记人")
    # The officer of 执法大队 who handles it and contacts the reporter (R-CMP-1); holds the grant
    # ``see_reporter`` on this complaint while they are its handler.
    handler = _user_fk("承办人")
    registered_section = models.ForeignKey(
        Section, verbose_name="登记科室", on_delete=models.PROTECT, related_name="+"
    )
    linkage_task = models.ForeignKey(
        "linkage.LinkageTask",
        verbose_name="三监联动任务",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # The investigation and the answer to the reporter (002 二十一: 调查处理并反馈信息).
    investigation = models.TextField("调查核实情况", blank=True)
    is_substantiated = models.BooleanField("举报是否属实", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = _user_fk("答复人")
    # The reward (002 十五: 举报奖励).
    reward_amount = models.DecimalField(
        "拟奖励金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    reward_reason = models.TextField("奖励理由", blank=True)
    reward_proposed_on = models.DateField("奖励提出日期", null=True, blank=True)
    reward_proposed_by = _user_fk("奖励提出人")
    reward_decision = models.CharField("奖励决定", max_length=10, choices=RewardDecision.choices, blank=True)
    reward_decision_note = models.TextField("决定意见", blank=True)
    reward_decided_on = models.DateField("奖励决定日期", null=True, blank=True)
    reward_decided_by = _user_fk("奖励决定人")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = _user_fk("办结人")
    # For a verified (属实) complaint: was the problem rectified or refused (R-CMP-1, R-GRD-2)?
    rectification = models.CharField(
        "整改情况", max_length=12, choices=Rectification.choices, blank=True, db_index=True
    )
    rectification_on = models.DateField("整改情况记录日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "信访投诉"
        verbose_name_plural = "信访投诉"
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="complaint_number_per_year")]
        # Granted per complaint to its handler (django-guardian), never to a group (R-CMP-1).
        permissions = [("see_reporter", "可查看本投诉举报人身份（承办人）")]

    def __str__(self):
        return self.number

    @property
    def reward_pending(self) -> bool:
        """A reward has been proposed and awaits the leadership's decision."""
        return self.reward_amount is not None and not self.reward_decision


class ComplaintReporter(BusinessModel):
    """The reporter of one complaint: identity and contact, kept apart so that only the handler, 法制科 and 局领导
    ever see them in full (R-CMP-1, 002 十五: 对举报人信息严格保密)."""

    complaint = models.OneToOneField(
        Complaint, verbose_name="信访投诉", on_delete=models.PROTECT, related_name="reporter"
    )
    is_anonymous = models.BooleanField("匿名举报", default=False)
    name = models.CharField("举报人姓名", max_length=50, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "举报人信息"
        verbose_name_plural = "举报人信息"

    def __str__(self):
        # Never the identity: this string may end up in logs and admin pages.
        return f"{self.complaint_id} 的举报人"


class AccessVia(models.TextChoices):
    """Where the identity was shown. No export, PDF or list is here: they never carry it (R-CMP-1)."""

    PAGE = "page", "详情页"
    API = "api", "接口"


class ReporterAccess(BusinessModel):
    """One view of a reporter's identity in full: who, when, which complaint, through the detail page
    or the API (R-CMP-1: every view is logged; R-RET-1: access logs kept at least six months, here
    forever like every business record). Written by ``complaints.services.log_reporter_views`` only,
    read by 局领导. A masked view is not a view of the identity and writes nothing."""

    complaint = models.ForeignKey(
        Complaint, verbose_name="信访投诉", on_delete=models.PROTECT, related_name="reporter_accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name="查看人科室", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    viewed_at = models.DateTimeField("查看时间", db_index=True)
    via = models.CharField("查看途径", max_length=10, choices=AccessVia.choices)
    path = models.CharField("访问地址", max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "举报人信息查看记录"
        verbose_name_plural = "举报人信息查看记录"
        ordering = ["-viewed_at", "-id"]

    def __str__(self):
        return f"{self.complaint_id} 的举报人信息查看记录"
