"""Cases (案件, R-INS-10) and interference records (插手干预记录, R-INS-11).

A case rests on findings of signed inspections, goes through 法制科's legal review (法制审核) to a
decision: a penalty (with 吊销 recorded against the permit through the registry's service), no
penalty under 002 十四 with its legal basis, or transfer to the police (002 十). The legal reviewer of
a case holds ``inspections.review_case`` on that case (django-guardian)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from inspections.models.checklists import Conduct
from permits.models import Facility, PenaltyRecord, Permit


class CaseState(models.TextChoices):
    INVESTIGATING = "investigating", "调查取证"
    UNDER_REVIEW = "under_review", "法制审核中"
    REVIEWED = "reviewed", "审核通过，待决定"
    DECIDED = "decided", "已决定"


class CaseDecision(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送公安机关"


class NoPenaltyGround(models.TextChoices):
    """The first violations 002 十四 lists as possibly not penalised when the harm is slight and they
    are corrected in time (R-INS-10), in its words."""

    REGISTRATION_NOT_FILED = "registration_not_filed", "未依法填报排污许可登记表"
    LEDGER_INCOMPLETE = "ledger_incomplete", "环境管理台账记录数据不全"
    REPORT_NOT_SUBMITTED = "report_not_submitted", "未按规定提交排污许可证执行报告"
    INFO_NOT_DISCLOSED = "info_not_disclosed", "未按规定公开信息"


class Case(BusinessModel):
    number = models.CharField("案件编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="cases"
    )
    opened_on = models.DateField("立案日期")
    summary = models.CharField("案由", max_length=300)
    conduct = models.CharField("恶意偷排等行为", max_length=20, choices=Conduct.choices, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=CaseState.choices, default=CaseState.INVESTIGATING, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("提请法制审核日期", null=True, blank=True)
    proposed_decision = models.CharField(
        "拟处理意见", max_length=20, choices=CaseDecision.choices, blank=True
    )
    proposal = models.TextField("调查终结报告及拟处理意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法制审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_opinion = models.TextField("法制审核意见", blank=True)
    reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    review_rounds = models.PositiveSmallIntegerField("审核轮次", default=0)
    decision = models.CharField("处理决定", max_length=20, choices=CaseDecision.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_no = models.CharField("决定书文号", max_length=100, blank=True)
    penalty_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    revokes_permit = models.BooleanField("吊销排污许可证", default=False)
    permit = models.ForeignKey(
        Permit, verbose_name="吊销的许可证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    penalty_record = models.OneToOneField(
        PenaltyRecord,
        verbose_name="行政处罚记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    no_penalty_ground = models.CharField(
        "不予处罚情形", max_length=30, choices=NoPenaltyGround.choices, blank=True
    )
    legal_basis = models.TextField("法律依据", blank=True)
    corrected_on = models.DateField("改正日期", null=True, blank=True)
    police_office = models.CharField("接收的公安机关", max_length=100, blank=True)
    transferred_on = models.DateField("移送日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="case_number_sequence")]
        # Granted per case to its legal reviewer (django-guardian), by 法制科's head.
        permissions = [("review_case", "法制审核该案件")]

    def __str__(self):
        return f"{self.number} {self.facility.name}"


class CaseOfficer(BusinessModel):
    """An officer who handles a case (承办人员), with the certificate number held then."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    certificate_no = models.CharField("执法证号", max_length=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "案件承办人员"
        verbose_name_plural = "案件承办人员"
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once")]


class InterferenceRecord(BusinessModel):
    """插手干预记录 (R-INS-11, 002 十九, 000 五3): written once, never edited or deleted, seen only by
    局领导 and 法制科. It has no history table on purpose: nothing changes it, and a history table
    would be one more place where its existence could show."""

    occurred_on = models.DateField("发生日期")
    interferer = models.CharField("干预人（姓名、单位、职务）", max_length=200)
    method = models.CharField("干预方式", max_length=100)
    detail = models.TextField("干预情况")
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name="涉及的现场检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case, verbose_name="涉及的案件", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "插手干预记录"
        verbose_name_plural = "插手干预记录"
        ordering = ["-recorded_at", "-id"]
        # Nobody holds these: the two sections that read the records do so by section (services).
        default_permissions = ()

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("插手干预记录一经记录不得修改。")
        super().save(*args, **kwargs)
