"""Dispatch meetings (调度会), their decisions, and business study sessions (业务学习交流)
(R-MTG-1…3, 003 第四条).

Until the restructure these models lived in the ``linkage`` app; ``meetings/migrations/0001`` took
over their tables without copying a row. Every record is kept with its history and never deleted
(R-RET-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Section
from meetings import rules as meeting_rules


class MeetingKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度调度会"
    EXTRA = "extra", "临时调度会"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "待召开"
    HELD = "held", "已召开"


class DispatchMeeting(BusinessModel):
    """排污许可证后监管工作调度会 (R-MTG-1): quarterly in the first ten days of February, May, August
    and November, or extra when the work calls for it; 审批科 convenes.

    ``agenda`` is empty while the meeting is planned (the page builds it from the data); when the
    minutes are first recorded it keeps the figures the meeting reviewed (R-MTG-2, R-LNK-4), so the
    record of the meeting does not change as the data moves on. ``version`` counts saves of the
    minutes, so two clerks editing them at once cannot silently overwrite each other.
    """

    kind = models.CharField("会议类型", max_length=10, choices=MeetingKind.choices)
    year = models.PositiveIntegerField("年份")
    quarter_month = models.PositiveSmallIntegerField(
        "季度调度月份",
        null=True,
        blank=True,
        choices=[(2, "2月"), (5, "5月"), (8, "8月"), (11, "11月")],
        help_text="季度调度会召开的月份；临时调度会为空。",
    )
    topic = models.CharField("会议事由", max_length=200, blank=True)
    scheduled_on = models.DateField("拟召开日期")
    held_on = models.DateField("召开日期", null=True, blank=True)
    late_reason = models.TextField(
        "推迟召开原因",
        blank=True,
        help_text="季度调度会安排或召开在当月10日以后的，须说明原因（003 第四条：每年2月、5月、8月、11月的上旬召开）。",
    )
    convener = models.ForeignKey(Section, verbose_name="召集部门", on_delete=models.PROTECT, related_name="+")
    location = models.CharField("会议地点", max_length=200, blank=True)
    attendees = models.CharField("参会人员", max_length=500, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    agenda = models.JSONField("会议议程与数据（召开时固定）", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("纪要版本", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="由定时任务创建的季度调度会为空。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "调度会"
        verbose_name_plural = "调度会"
        ordering = ["-scheduled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter_month"],
                condition=models.Q(kind="quarterly"),
                name="dispatch_meeting_once_per_quarter",
                violation_error_message="该季度的调度会已经存在。",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="quarterly") & models.Q(quarter_month__in=[2, 5, 8, 11]))
                | (models.Q(kind="extra") & models.Q(quarter_month__isnull=True)),
                name="dispatch_meeting_quarter_month_by_kind",
                violation_error_message="季度调度会应在 2、5、8、11 月召开；临时调度会不填季度月份。",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.kind == MeetingKind.QUARTERLY:
            return f"{self.year}年{self.quarter_month}月排污许可证后监管工作调度会"
        return f"排污许可证后监管工作临时调度会（{self.scheduled_on:%Y-%m-%d}）"

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_late(self) -> bool:
        """Planned or held after the first ten days of its month (R-MTG-1)."""
        return meeting_rules.is_late(self.quarter_month, self.meeting_on)

    @property
    def meeting_on(self):
        """The day the meeting was held, or is planned for."""
        return self.held_on or self.scheduled_on


class MeetingDecision(BusinessModel):
    """会议议定事项. With an owner and a deadline it is on the owner's to-do list
    (key ``meeting-decision:<pk>``) until marked done."""

    meeting = models.ForeignKey(
        DispatchMeeting, verbose_name="调度会", on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField("议定事项")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
    )
    due_on = models.DateField("完成期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "调度会议定事项"
        verbose_name_plural = "调度会议定事项"
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.text[:50]

    @property
    def todo_key(self) -> str:
        return f"meeting-decision:{self.pk}"

    def is_overdue_on(self, today) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


class StudySession(BusinessModel):
    """业务学习交流 (R-MTG-3): hosted in rotation by the bureau's business sections, 执法大队 and
    环境监测站, on permit law, discharge standards and technical guides, at least twice a year."""

    held_on = models.DateField("举办日期")
    host = models.ForeignKey(Section, verbose_name="主持部门", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("学习主题", max_length=200)
    speaker = models.CharField("主讲人", max_length=100, blank=True, help_text="可为本局人员或外请专家。")
    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name="所在调度会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="study_sessions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "业务学习交流"
        verbose_name_plural = "业务学习交流"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


# The annual meeting of permit holders (R-MTG-4, 003 第四条) ------------------------------------------------


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", "未登记"
    ATTENDED = "attended", "到会"
    ABSENT = "absent", "缺席"


class AnnualMeeting(BusinessModel):
    """排污许可持证单位年会 (R-MTG-4, 003 第四条): held in the first half of ``year``, after the work
    group confirmed the grading of the year before (``grading``, 评定年度 ``graded_year`` = ``year``-1).
    The holders' principals (主要负责人) attend; the work group reports last year's permit work and the
    grading results and presents its management requirements, which are kept with the meeting. One a
    year; planned by 审批科, who records that it was held and who attended."""

    year = models.PositiveSmallIntegerField("年会年度", unique=True)
    graded_year = models.PositiveSmallIntegerField("通报的评定年度")
    grading = models.ForeignKey(
        "grading.AnnualGrading",
        verbose_name="通报的年度等级评定",
        on_delete=models.PROTECT,
        related_name="annual_meetings",
    )
    scheduled_on = models.DateField("会议日期")
    location = models.CharField("会议地点", max_length=200)
    notice_number = models.CharField(
        "通知文号",
        max_length=60,
        blank=True,
        help_text="局办公室编发的文号，如：X环许〔2026〕3号；可暂不填写。",
    )
    work_report = models.TextField(
        "上年度排污许可工作整体开展情况", blank=True, help_text="会上由工作组通报；可在会前起草，召开时定稿。"
    )
    requirements = models.TextField("对持证单位提出的管理要求", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_on = models.DateField("召开日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="会议记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("会议记录时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="安排人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("安排时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "持证单位年会"
        verbose_name_plural = "持证单位年会"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(graded_year=models.F("year") - 1),
                name="annual_meeting_reports_last_year",
                violation_error_message="年会通报的是上年度的等级评定结果。",
            ),
            models.CheckConstraint(
                condition=models.Q(status="planned") | models.Q(held_on__isnull=False),
                name="annual_meeting_held_has_date",
                violation_error_message="已召开的年会须有召开日期。",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return f"{self.year}年度排污许可持证单位年会"

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def meeting_on(self):
        return self.held_on or self.scheduled_on


class AnnualMeetingAttendance(BusinessModel):
    """One holder graded in the meeting's grading, and whether its principal (主要负责人) came: a row
    for every ``FacilityGrade`` of the grading, made when the meeting is planned (R-MTG-4)."""

    meeting = models.ForeignKey(
        AnnualMeeting, verbose_name="年会", on_delete=models.PROTECT, related_name="attendances"
    )
    facility = models.ForeignKey(
        "permits.Facility", verbose_name="持证单位", on_delete=models.PROTECT, related_name="+"
    )
    facility_grade = models.ForeignKey(
        "grading.FacilityGrade", verbose_name="评定等级", on_delete=models.PROTECT, related_name="+"
    )
    principal = models.CharField("主要负责人", max_length=50, blank=True)
    status = models.CharField(
        "到会情况", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING
    )
    absence_reason = models.CharField("缺席原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年会到会情况"
        verbose_name_plural = "年会到会情况"
        ordering = ["meeting", "facility__source_code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "facility"], name="annual_attendance_once"),
            models.CheckConstraint(
                condition=~models.Q(status="absent") | ~models.Q(absence_reason=""),
                name="annual_attendance_absence_has_reason",
                violation_error_message="缺席须写明原因。",
            ),
        ]

    def __str__(self):
        return f"{self.meeting.year} {self.facility}：{self.get_status_display()}"
