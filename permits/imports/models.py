"""Import batches of the national permit platform's Excel export (全国排污许可证管理信息平台).

A batch is the audit record of one import: who uploaded which file and when, what the preview
found, who confirmed it and when, and how it ended. Its rows hold the parsed values and the
classification the preview showed, so that confirming applies exactly what was seen (R-FAC-1,
R-ORG-2, R-PER-1; see ``permits.imports.services``).

``permits.models`` imports this module, so Django registers these models in the ``permits`` app
(their tables stay ``permits_importbatch`` and ``permits_importrow``).
"""

from django.conf import settings
from django.db import models

from bureau.models import BusinessModel


class ImportStatus(models.TextChoices):
    PARSING = "parsing", "解析中"
    READY = "ready", "待确认"
    APPLYING = "applying", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class ImportKind(models.TextChoices):
    """What a batch imports: the registry (facilities, permits, registrations) or the receipts of
    execution reports (R-REP-1). Each kind has its own columns, parser and apply step; the batch, its
    rows, the preview and the confirmation are shared."""

    REGISTRY = "registry", "排污单位、许可证和登记"
    EXECUTION_REPORTS = "execution_reports", "执行报告提交情况"


class ImportRowKind(models.TextChoices):
    NEW = "new", "新增"
    CHANGED = "changed", "变更"
    UNCHANGED = "unchanged", "无变化"
    REJECTED = "rejected", "不予导入"


ROW_KIND_LABELS = {ImportKind.EXECUTION_REPORTS: {ImportRowKind.CHANGED: "新版本"}}


class ImportBatch(BusinessModel):
    """One uploaded file and its way through preview and confirmation.

    Business data is written only by the confirmed apply step, through the services, with
    ``source_label`` as the history reason. State changes are conditional updates on ``status``, so
    two confirmations of one batch cannot both win. No ``HistoricalRecords``: the batch itself is
    the record of the import (each step's who and when are fields), and everything the import
    changes is in the history of the facility, permit or registration it changed.
    """

    kind = models.CharField(
        "导入内容", max_length=20, choices=ImportKind.choices, default=ImportKind.REGISTRY
    )
    file = models.FileField("导入文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PARSING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已解析行数", default=0)
    new_count = models.PositiveIntegerField("新增", default=0)
    changed_count = models.PositiveIntegerField("变更", default=0)
    unchanged_count = models.PositiveIntegerField("无变化", default=0)
    rejected_count = models.PositiveIntegerField("不予导入", default=0)
    applied_rows = models.PositiveIntegerField("已写入行数", default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.TextField("失败原因", blank=True)
    notice = models.TextField("提示", blank=True)
    # The background step now running (parse, then apply): when it was queued or last claimed by a
    # worker, and how many workers claimed it. The sweep (``services.sweep_stuck_batches``) queues again
    # a step whose worker died, and fails it visibly after JOB_MAX_ATTEMPTS tries (README “后台任务的可靠性”).
    attempts = models.PositiveSmallIntegerField("本步骤尝试次数", default=0)
    started_at = models.DateTimeField("本步骤开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)

    class Meta:
        verbose_name = "数据导入批次"
        verbose_name_plural = "数据导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"导入批次 {self.pk}（{self.original_name}）"

    @property
    def source_label(self) -> str:
        """What history names as the source of every change this batch makes."""
        if self.is_report_import:
            return f"执行报告平台导出导入（批次 {self.pk}）"
        return f"排污许可平台导入（批次 {self.pk}）"

    @property
    def is_report_import(self) -> bool:
        return self.kind == ImportKind.EXECUTION_REPORTS

    def row_kind_label(self, row_kind: str) -> str:
        """The preview's name for a class of rows: for execution reports a changed row is a new
        version of a report already received (修改后的执行报告), never an edit."""
        return ROW_KIND_LABELS.get(self.kind, {}).get(row_kind) or ImportRowKind(row_kind).label

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PARSING, ImportStatus.APPLYING)

    @property
    def has_preview(self) -> bool:
        """Whether parsing finished, so the counters hold the preview's classes."""
        return self.new_count + self.changed_count + self.unchanged_count + self.rejected_count > 0

    def count_of(self, kind: str) -> int:
        return getattr(self, f"{kind}_count")


class ImportRow(models.Model):
    """One data row of a batch: the values parsed from the file and what the preview found.

    ``changes`` is a list of ``[label, old, new]`` for a changed row; ``reasons`` says in Chinese why
    a row is rejected. ``is_stale`` marks a row whose facility changed between preview and confirm.
    Derived from the file, so not a business record of its own.
    """

    batch = models.ForeignKey(
        ImportBatch, verbose_name="导入批次", on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField("行号")
    kind = models.CharField("分类", max_length=10, choices=ImportRowKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=60, blank=True)
    name = models.CharField("单位名称", max_length=300, blank=True)
    values = models.JSONField("解析后的数据", default=dict)
    changes = models.JSONField("变更内容", default=list)
    reasons = models.JSONField("不予导入原因", default=list)
    is_stale = models.BooleanField("预览后数据已变化", default=False)

    class Meta:
        verbose_name = "导入数据行"
        verbose_name_plural = "导入数据行"
        ordering = ["batch_id", "row_number"]
        indexes = [models.Index(fields=["batch", "kind", "row_number"])]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="import_row_once")]

    def __str__(self):
        return f"第 {self.row_number} 行 {self.name}"
