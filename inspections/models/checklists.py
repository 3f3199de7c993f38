"""Checklists as versioned data (R-INS-1, R-INS-2): a checklist has versions, a version has parts, a
part has points. The administrator edits a draft; publishing it retires the version before. A
published version is never changed again (``inspections.services.checklists`` refuses), and an
inspection keeps the version it used, so editing a checklist never changes a past inspection."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel
from permits.models import KeyIndustry


class AppliesTo(models.TextChoices):
    PERMIT_HOLDERS = "permit_holders", "持证单位（重点管理、简化管理）"
    REGISTERED = "registered", "排污登记单位"
    KEY_INDUSTRY = "key_industry", "重点行业持证单位"


class FindingKind(models.TextChoices):
    """The four classes of violation of 004 三 (R-INS-7), in its words."""

    UNLICENSED = "unlicensed", "无证排污行为"
    PERMIT_VIOLATION = "permit_violation", "违反排污许可证行为"
    SELF_MONITORING = "self_monitoring", "违反自行监测要求的行为"
    OTHER_DUTIES = "other_duties", "违反其他环境管理要求的行为"


class Conduct(models.TextChoices):
    """Conduct that takes a unit off the enforcement positive list at once (R-POS-1; 002 十二 "将存在恶意偷排、
    篡改台账记录、逃避监管等行为的排污单位及时移出清单"), marked on the answer, the finding and the case that show it."""

    NONE = "", "无"
    SECRET_DISCHARGE = "secret_discharge", "恶意偷排"
    TAMPERING = "tampering", "篡改台账记录"
    EVADING = "evading", "逃避监管"


class PermitData(models.TextChoices):
    """Which of the facility's registry data a point concerns: the form shows it beside the point."""

    NONE = "", "无"
    PERMIT = "permit", "许可证信息"
    OUTLETS = "outlets", "排放口"
    LIMITS = "limits", "许可排放限值"
    MONITORING = "monitoring", "自行监测要求"
    REGISTRATION = "registration", "排污登记信息"


class VersionState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "现行"
    RETIRED = "retired", "已停用"


class Checklist(BusinessModel):
    """A checklist and what it applies to. Its content lives in its versions."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    applies_to = models.CharField("适用对象", max_length=20, choices=AppliesTo.choices)
    key_industry = models.ForeignKey(
        KeyIndustry,
        verbose_name="重点行业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="适用对象为重点行业时填写：该行业的持证单位优先使用本清单。",
    )
    source = models.CharField("依据", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查清单"
        verbose_name_plural = "检查清单"
        ordering = ["applies_to", "code"]

    def __str__(self):
        return self.name


class ChecklistVersion(BusinessModel):
    checklist = models.ForeignKey(
        Checklist, verbose_name="检查清单", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    state = models.CharField("状态", max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    note = models.CharField("修订说明", max_length=300, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查清单版本"
        verbose_name_plural = "检查清单版本"
        ordering = ["checklist", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklist_version_number"),
            models.UniqueConstraint(
                fields=["checklist"],
                condition=models.Q(state="published"),
                name="checklist_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["checklist"], condition=models.Q(state="draft"), name="checklist_one_draft_version"
            ),
        ]

    def __str__(self):
        return f"{self.checklist.name}（第 {self.number} 版）"

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT


class ChecklistPart(BusinessModel):
    version = models.ForeignKey(
        ChecklistVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="parts"
    )
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("部分名称", max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查清单部分"
        verbose_name_plural = "检查清单部分"
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="checklist_part_order")]

    def __str__(self):
        return self.title


class ChecklistPoint(BusinessModel):
    """One point to check. ``code`` (二.5) is how answers of two versions are matched (last
    inspection's answer, a follow-up's pre-filled form)."""

    part = models.ForeignKey(
        ChecklistPart, verbose_name="部分", on_delete=models.PROTECT, related_name="points"
    )
    version = models.ForeignKey(
        ChecklistVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="points"
    )
    order = models.PositiveSmallIntegerField("序号")
    code = models.CharField("编号", max_length=10)
    text = models.TextField("检查要点")
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    permit_data = models.CharField(
        "对应许可信息", max_length=20, choices=PermitData.choices, blank=True, default=PermitData.NONE
    )
    finding_kind = models.CharField(
        "不符合时的违法类别（建议）", max_length=20, choices=FindingKind.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查要点"
        verbose_name_plural = "检查要点"
        ordering = ["version", "part__order", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="checklist_point_code")]

    def __str__(self):
        return f"{self.code} {self.text[:30]}"
