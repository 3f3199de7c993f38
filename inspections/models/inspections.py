"""An inspection on site (R-INS-6): one facility, one date, at least two enforcement officers with
their certificate numbers, a reason linked to its source, the checklist version it used; the answers
point by point, the photos with their receipts, the signatures, and after signing only amendments.
Non-compliant points become findings (R-INS-7, R-INS-8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from complaints.models import Complaint
from inspections.models.checklists import ChecklistPoint, ChecklistVersion, Conduct, FindingKind
from inspections.models.draws import CheckMode
from linkage.models import LinkageTask
from permits.models import Facility, Permit, RectificationItem, ReportLead


class Reason(models.TextChoices):
    RANDOM_DRAW = "random_draw", "双随机抽查"
    NEW_PERMIT = "new_permit", "新发证检查"
    ROUTINE_PLAN = "routine_plan", "年度计划检查"
    COMPLAINT = "complaint", "信访投诉"
    LINKAGE_TASK = "linkage_task", "三监联动任务"
    REPORT_LEAD = "report_lead", "执行报告线索"
    CAMPAIGN = "campaign", "专项行动"
    FOLLOW_UP = "follow_up", "整改复查"


class InspectionState(models.TextChoices):
    DRAFT = "draft", "填写中"
    SIGNING = "signing", "待其他检查人员签名"
    SIGNED = "signed", "已签署"


class Verdict(models.TextChoices):
    UNANSWERED = "", "未填"
    COMPLIANT = "compliant", "符合"
    NONCOMPLIANT = "noncompliant", "不符合"
    NOT_APPLICABLE = "not_applicable", "不适用"


class Disposition(models.TextChoices):
    """What becomes of a non-compliant point (R-INS-8, 001 二)."""

    UNDECIDED = "", "未定"
    ON_THE_SPOT = "on_the_spot", "立整立改"
    RECTIFICATION = "rectification", "限期整改"
    CASE = "case", "立案查处"


class Inspection(BusinessModel):
    number = models.CharField("检查编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField("检查日期", db_index=True)
    checklist_version = models.ForeignKey(
        ChecklistVersion, verbose_name="检查清单版本", on_delete=models.PROTECT, related_name="inspections"
    )
    reason = models.CharField("检查事由", max_length=20, choices=Reason.choices)
    # The source of the reason: exactly the one its kind needs (services.inspections checks it).
    complaint = models.ForeignKey(
        Complaint, verbose_name="信访投诉", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linkage_task = models.ForeignKey(
        LinkageTask,
        verbose_name="三监联动任务",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    report_lead = models.ForeignKey(
        ReportLead,
        verbose_name="执行报告线索",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    permit = models.ForeignKey(
        Permit, verbose_name="新发许可证", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name="复查的检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    source_reference = models.CharField(
        "来源说明", max_length=200, blank=True, help_text="抽查批次、年度计划或专项行动的名称与文号。"
    )
    mode = models.CharField("检查方式", max_length=10, choices=CheckMode.choices, default=CheckMode.ON_SITE)
    state = models.CharField(
        "状态", max_length=10, choices=InspectionState.choices, default=InspectionState.DRAFT, db_index=True
    )
    representative_name = models.CharField("企业现场负责人", max_length=50, blank=True)
    representative_title = models.CharField("职务", max_length=50, blank=True)
    summary = models.TextField("检查情况小结", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    signed_at = models.DateTimeField("签署完成时间", null=True, blank=True)
    record_hash = models.CharField("检查记录哈希（SHA-256）", max_length=64, blank=True)
    # The facility as it was named on the day the record was signed: the record and its hash keep it
    # when the unit is renamed later.
    facility_name = models.CharField("签署时的单位名称", max_length=200, blank=True)
    facility_source_code = models.CharField("签署时的污染源编码", max_length=21, blank=True)
    facility_address = models.CharField("签署时的生产经营场所地址", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "现场检查"
        verbose_name_plural = "现场检查"
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="inspection_number_sequence")
        ]
        indexes = [
            # Which facilities have a signed inspection by a date (coverage, R-INS-9; the plan's
            # registered sample, R-INS-4): one index-only probe per facility, 100–140 ms for 100,000 facilities
            # against 1,000,000 inspections.
            models.Index(
                fields=["facility", "inspected_on"], condition=Q(state="signed"), name="inspection_signed_on"
            )
        ]
        # Granted per inspection to each of its officers (django-guardian): fill the form, sign it.
        permissions = [("conduct_inspection", "作为检查人员填写并签署该次检查")]

    def __str__(self):
        return f"{self.number} {self.facility.name}"

    @property
    def is_signed(self) -> bool:
        return self.state == InspectionState.SIGNED

    @property
    def source_key(self) -> str:
        return f"inspections.inspection:{self.pk}"


class InspectionOfficer(BusinessModel):
    """One of the officers of an inspection, with the certificate number they held that day
    (R-INS-6) and their signature."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="现场检查", on_delete=models.PROTECT, related_name="officers"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    certificate_no = models.CharField("执法证号", max_length=30)
    order = models.PositiveSmallIntegerField("序号")
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员"
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "officer"], name="inspection_officer_once")
        ]

    def __str__(self):
        return f"{self.name}（{self.certificate_no}）"


class Answer(BusinessModel):
    """The answer to one point. Saved as the officer goes; frozen at the first signature."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="现场检查", on_delete=models.PROTECT, related_name="answers"
    )
    point = models.ForeignKey(
        ChecklistPoint, verbose_name="检查要点", on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField("检查结论", max_length=20, choices=Verdict.choices, blank=True)
    note = models.TextField("情况说明", blank=True)
    finding_kind = models.CharField("违法类别", max_length=20, choices=FindingKind.choices, blank=True)
    disposition = models.CharField("处理方式", max_length=20, choices=Disposition.choices, blank=True)
    conduct = models.CharField("恶意偷排等行为", max_length=20, choices=Conduct.choices, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField("整改时限（工作日）", null=True, blank=True)
    responsible_person = models.CharField("整改责任人", max_length=50, blank=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查结论"
        verbose_name_plural = "检查结论"
        ordering = ["inspection", "point__part__order", "point__order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "point"], name="answer_once_per_point")]


class Photo(BusinessModel):
    """A photo as it arrived: never replaced, never deleted. ``client_id`` is the browser's id for
    it, so sending it twice (a retry after a lost answer) gives the same receipt."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="现场检查", on_delete=models.PROTECT, related_name="photos"
    )
    point = models.ForeignKey(
        ChecklistPoint,
        verbose_name="检查要点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    client_id = models.UUIDField("客户端编号")
    file = models.FileField("照片", upload_to="inspections/photos/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    taken_at_source = models.CharField("拍摄时间来源", max_length=20, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["inspection", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "client_id"], name="photo_once_per_client_id")
        ]


class Amendment(BusinessModel):
    """A correction of a signed record (R-INS-6): the record stays as signed; this says what should
    read otherwise, who says so, when and why. Never edited."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="现场检查", on_delete=models.PROTECT, related_name="amendments"
    )
    point = models.ForeignKey(
        ChecklistPoint,
        verbose_name="检查要点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField("更正事项", max_length=50)
    before = models.TextField("原记载", blank=True)
    after = models.TextField("更正为")
    reason = models.TextField("更正理由")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查记录更正"
        verbose_name_plural = "检查记录更正"
        ordering = ["inspection", "created_at", "id"]


class FindingState(models.TextChoices):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已办结"


class Finding(BusinessModel):
    """A non-compliant point of a signed inspection, classed (R-INS-7) and disposed of (R-INS-8): fixed
    on the spot, on the rectification ledger with a deadline, or in a case."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="现场检查", on_delete=models.PROTECT, related_name="findings"
    )
    answer = models.OneToOneField(
        Answer, verbose_name="检查结论", on_delete=models.PROTECT, related_name="finding"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="排污单位", on_delete=models.PROTECT, related_name="+"
    )
    found_on = models.DateField("发现日期")
    kind = models.CharField("违法类别", max_length=20, choices=FindingKind.choices)
    description = models.TextField("问题描述")
    disposition = models.CharField("处理方式", max_length=20, choices=Disposition.choices)
    conduct = models.CharField("恶意偷排等行为", max_length=20, choices=Conduct.choices, blank=True)
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    rectification = models.OneToOneField(
        RectificationItem,
        verbose_name="整改台账问题",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "inspections.Case",
        verbose_name="案件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    linkage_task = models.ForeignKey(
        LinkageTask,
        verbose_name="三监联动任务",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closing_note = models.CharField("办结说明", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查发现问题"
        verbose_name_plural = "检查发现问题"
        ordering = ["-found_on", "-id"]

    @property
    def source_key(self) -> str:
        return f"inspections.finding:{self.pk}"
