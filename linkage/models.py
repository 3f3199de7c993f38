"""三监联动 (003 第八条, 附件4、附件5; 002 八; 001 三): linkage tasks between the regulation, monitoring
and enforcement sides, their assignments to receiving departments and every step taken (R-LNK-1…7).

A task's and an assignment's ``state`` are the record of the steps taken (each move is one
conditional update, so two people taking the same step cannot both succeed); the allowed moves are
``linkage.rules``. Tasks are never deleted (R-RET-1).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.models import BusinessModel, Section


class SourceKind(models.TextChoices):
    REPORT_REVIEW = "report_review", "执行报告审核"
    INSPECTION = "inspection", "现场检查"
    MONITORING_ANOMALY = "monitoring_anomaly", "监测异常"
    COMPLAINT = "complaint", "信访投诉"
    # The stored value predates the other cases of 004 三(一) (撤销、注销、吊销、不予延续); keep it.
    EXPIRED_PERMIT = "expired_permit", "无证排污线索"
    TOWN_REPORT = "town_report", "街镇报送线索"
    HOLDER_ANOMALY = "holder_anomaly", "排污单位异常情况报告"
    MANUAL = "manual", "手工发起"


class TaskState(models.TextChoices):
    OPEN = "open", "办理中"
    AWAITING_CLOSE = "awaiting_close", "待销号"
    CLOSED = "closed", "已销号"
    ARCHIVED = "archived", "已归档"


class AssignmentState(models.TextChoices):
    PENDING = "pending", "待接收"
    RECEIVED = "received", "已接收，待反馈"
    FED_BACK = "fed_back", "已反馈"


class LinkageTask(BusinessModel):
    """A 三监联动 task (R-LNK-1): who started it, about what, to whom, by when."""

    number = models.CharField("任务编号", max_length=20, unique=True)
    year = models.PositiveIntegerField("年份")
    sequence = models.PositiveIntegerField("序号")
    initiator = models.ForeignKey(
        Section, verbose_name="发起部门", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "permits.Facility",
        verbose_name="排污单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linkage_tasks",
    )
    description = models.TextField("问题描述")
    # A task the system starts from a lead carries no signature nobody gave (R-LNK-1): no 经办人 and
    # no 负责人 until the initiating section's head confirms it.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_by_system = models.BooleanField("系统发起", default=False)
    head_confirmed_on = models.DateField("负责人确认日期", null=True, blank=True)
    # 生态科 dispatches monitoring tasks to 监测站 at another section's request (R-LNK-2, 003 第三条).
    requested_by = models.ForeignKey(
        Section,
        verbose_name="提出需求部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField("发起日期")
    remarks = models.CharField("备注", max_length=500, blank=True)
    source_kind = models.CharField(
        "任务来源", max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_key = models.CharField("来源记录", max_length=100, blank=True, db_index=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    source_label = models.CharField("来源记录名称", max_length=300, blank=True)
    deadline_workdays = models.PositiveIntegerField("办理时限（工作日）")
    deadline_on = models.DateField("办理期限", db_index=True)
    deadline_provisional = models.BooleanField(
        "期限暂定",
        default=False,
        help_text="期限落在或跨越尚未确认工作日历的年度，暂按双休日推算；该年度确认后自动重算（R-CAL-1）。",
    )
    state = models.CharField(
        "状态", max_length=20, choices=TaskState.choices, default=TaskState.OPEN, db_index=True
    )
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    archived_on = models.DateField("归档日期", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="归档人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_paper = models.BooleanField("据纸质转办单补录", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "三监联动任务"
        verbose_name_plural = "三监联动任务"
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="task_number_per_year")]
        indexes = [
            # A queue's page in deadline order by state (待归档, 已逾期) and the tabs' counts.
            models.Index(fields=["state", "deadline_on", "id"], name="linkage_task_state_deadline"),
            # 待销号 and 本部门发起 of one department, and the per-department summary.
            models.Index(fields=["initiator", "state", "deadline_on"], name="linkage_task_initiator_state"),
            # The dispatch meeting's agenda (linkage.agenda): the tasks started, closed or archived in its
            # period, each table's first rows by start.
            models.Index(fields=["started_on", "id"], name="linkage_task_started"),
            models.Index(fields=["closed_on"], name="linkage_task_closed"),
            models.Index(fields=["archived_on"], name="linkage_task_archived"),
        ]

    def __str__(self):
        return self.number


class Assignment(BusinessModel):
    """One receiving department of a task: receipt and execution (R-LNK-2), then feedback (R-LNK-3)."""

    task = models.ForeignKey(
        LinkageTask, verbose_name="任务", on_delete=models.PROTECT, related_name="assignments"
    )
    section = models.ForeignKey(Section, verbose_name="接收部门", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "状态", max_length=20, choices=AssignmentState.choices, default=AssignmentState.PENDING
    )
    received_on = models.DateField("接收日期", null=True, blank=True)
    execution = models.TextField("接收与执行情况", blank=True)
    execution_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="执行经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    execution_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="执行负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_on = models.DateField("执行日期", null=True, blank=True)
    execution_remarks = models.CharField("执行备注", max_length=500, blank=True)
    feedback = models.TextField("结果反馈", blank=True)
    feedback_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fed_back_on = models.DateField("反馈日期", null=True, blank=True)
    feedback_remarks = models.CharField("反馈备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务接收部门"
        verbose_name_plural = "任务接收部门"
        ordering = ["task_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "section"], name="assignment_once_per_section")
        ]
        indexes = [
            # 待接收 and 办理中 of one department (its assignments by state), and the summary's counts.
            models.Index(fields=["section", "state", "task"], name="linkage_assignment_queue"),
        ]

    def __str__(self):
        return f"{self.task.number} → {self.section.short_name}"


class TaskStep(models.Model):
    """Every step taken on a task, with who and when (R-LNK-6, R-RET-1). Append-only."""

    task = models.ForeignKey(LinkageTask, verbose_name="任务", on_delete=models.PROTECT, related_name="steps")
    assignment = models.ForeignKey(
        Assignment,
        verbose_name="接收部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
    )
    action = models.CharField("操作", max_length=20)
    section = models.ForeignKey(
        Section, verbose_name="操作部门", on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("操作时间", auto_now_add=True)
    on = models.DateField("业务日期")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "任务办理记录"
        verbose_name_plural = "任务办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.task_id} {self.action} {self.on}"

    def delete(self, *args, **kwargs):
        from bureau.models import HardDeleteForbidden

        raise HardDeleteForbidden(self._meta.verbose_name)


class AttachmentKind(models.TextChoices):
    SLIP_SCAN = "slip_scan", "纸质转办单扫描件"
    ONLINE_CONTACT = "online_contact", "在线联络记录（邮件、微信截图）"


def _attachment_path(instance, filename):
    # The stored name is ours; the user's file name is kept in ``original_name`` only.
    return f"linkage/{instance.task.year}/{instance.task.number}/{instance.kind}-{instance.digest[:16]}{instance.extension}"


class TaskAttachment(BusinessModel):
    """A file kept with a slip done on paper (R-LNK-5; 003 附件5 说明（5））: the scan of the slip, or a
    record of the online contact (e-mail, WeChat screenshot). Its type was checked by its content."""

    task = models.ForeignKey(
        LinkageTask, verbose_name="任务", on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField("材料类别", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=_attachment_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=50)
    extension = models.CharField("扩展名", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    digest = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "转办单附件"
        verbose_name_plural = "转办单附件"
        ordering = ["task_id", "id"]

    def __str__(self):
        return f"{self.task_id} {self.get_kind_display()} {self.original_name}"
