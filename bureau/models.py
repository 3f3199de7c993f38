"""The organisation (R-ORG-1, R-ORG-3), the work calendar (R-CAL-1) and the to-do list.

Business records are never hard-deleted and keep their history (R-RET-1, 003 第十二条):
``BusinessModel`` refuses ``delete()`` on instances and querysets, and every concrete business model
declares ``history = HistoricalRecords()`` so each change keeps who, when and the before/after.
"""

import uuid
from pathlib import Path

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bureau import sections


class HardDeleteForbidden(Exception):
    """Raised when code tries to delete a business record (R-RET-1)."""

    def __init__(self, model_name: str):
        super().__init__(f"业务记录“{model_name}”不得删除：按规定至少保存五年，请改为停用或注销。")


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise HardDeleteForbidden(self.model._meta.verbose_name)


class BusinessModel(models.Model):
    """Base of every business record: deletion is refused, history is kept by each subclass."""

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise HardDeleteForbidden(self._meta.verbose_name)


class User(AbstractUser):
    """A login. What the person does in the bureau lives on ``Staff``."""

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def get_full_name(self) -> str:
        # Chinese names read surname first, with no space: 王审批.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


# The section codes as model choices, named and labelled from the pure table in ``bureau.sections``.
SectionCode = models.TextChoices(
    "SectionCode", [(s.code.upper(), (s.code, s.name)) for s in sections.SECTIONS]
)


class Section(BusinessModel):
    """A section of the bureau (R-ORG-1, 003 第三条). Each is a permission group."""

    code = models.CharField("代码", max_length=20, choices=SectionCode.choices, unique=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=20)
    group = models.OneToOneField(
        Group, verbose_name="权限组", on_delete=models.PROTECT, related_name="section"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["id"]

    def __str__(self):
        return self.name


class TownKind(models.TextChoices):
    TOWN = "town", "街镇"
    PARK = "park", "工业园区"


class Town(BusinessModel):
    """A town, sub-district or industrial park: a jurisdiction (R-ORG-3, 000 二(一)2).

    Its staff see only the records of its jurisdiction: ``bureau.access.Viewer.within_jurisdiction``.
    """

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    kind = models.CharField("类型", max_length=10, choices=TownKind.choices, default=TownKind.TOWN)
    group = models.OneToOneField(Group, verbose_name="权限组", on_delete=models.PROTECT, related_name="town")
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "街镇（园区）"
        verbose_name_plural = "街镇（园区）"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    HANDLER = "handler", "经办人"
    HEAD = "head", "负责人"
    LEADER = "leader", "局领导"


class Staff(BusinessModel):
    """A person's place in the bureau: section, role, and for town staff the town (R-ORG-1)."""

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.PROTECT, related_name="staff")
    section = models.ForeignKey(Section, verbose_name="科室", on_delete=models.PROTECT, related_name="staff")
    town = models.ForeignKey(
        Town, verbose_name="所属街镇", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.HANDLER)
    certificate_no = models.CharField("执法证号", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["section_id", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~models.Q(certificate_no=""),
                name="staff_certificate_no_unique",
                violation_error_message="该执法证号已被其他人员使用。",
            ),
        ]

    def __str__(self):
        return f"{self.user.display_name}（{self.section.short_name}·{self.get_role_display()}）"

    @property
    def is_town_staff(self) -> bool:
        return self.section.code == SectionCode.TOWN


class CalendarDay(BusinessModel):
    """One day of the work calendar (R-CAL-1, 003 第十八条).

    The table overrides the chinese-calendar package, so the administrator can enter a new year's
    holiday schedule (and its 调休 weekends) as soon as the State Council publishes it.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")
    note = models.CharField("说明", max_length=50, blank=True, help_text="如：国庆节、调休上班")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}"


class CalendarYearStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    CONFIRMED = "confirmed", "已确认"


class CalendarYear(BusinessModel):
    """Whether one year of the work calendar is confirmed (R-CAL-1, 003 第十八条).

    A year counts by its table days only once the administrator has confirmed it, after the State
    Council published its holiday schedule. A year without a row, or with a draft row, is not confirmed:
    its deadlines are computed on weekends alone and shown as 暂定, and nothing waits for it.
    """

    year = models.PositiveIntegerField("年份", unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=CalendarYearStatus.choices, default=CalendarYearStatus.DRAFT
    )
    source = models.CharField(
        "来源", max_length=100, blank=True, help_text="如：chinese-calendar、国办发明电〔2026〕X号"
    )
    confirmed_by = models.ForeignKey(
        User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年（{self.get_status_display()}）"

    @property
    def is_confirmed(self) -> bool:
        return self.status == CalendarYearStatus.CONFIRMED


class NumberSeries(models.Model):
    """The last number given in one series (``linkage-task``, ``complaint`` …) in one year.

    ``bureau.numbers.next_in_series`` locks the row until the caller's transaction ends, so numbers are
    gap-free: a record that is not committed gives its number back.
    """

    series = models.CharField("编号序列", max_length=40)
    year = models.PositiveIntegerField("年份")
    last = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "年度编号序列"
        verbose_name_plural = "年度编号序列"
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="number_series_unique")]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"


class TodoItem(models.Model):
    """An entry on someone's to-do list (待办), contributed by any app through ``bureau.todo``.

    Addressed to a user, or to a section (optionally only its heads, optionally only one town).
    ``key`` makes contributions idempotent: a daily job that adds the same item twice updates it.
    """

    key = models.CharField("来源标识", max_length=120, unique=True)
    title = models.CharField("事项", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)
    is_urgent = models.BooleanField("紧急", default=False)
    user = models.ForeignKey(
        User, verbose_name="办理人", on_delete=models.PROTECT, null=True, blank=True, related_name="todos"
    )
    section = models.ForeignKey(
        Section, verbose_name="科室", on_delete=models.PROTECT, null=True, blank=True, related_name="todos"
    )
    role = models.CharField("限角色", max_length=10, choices=Role.choices, blank=True)
    town = models.ForeignKey(Town, verbose_name="限街镇", on_delete=models.PROTECT, null=True, blank=True)
    for_superusers = models.BooleanField("系统管理员", default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)
    done_by = models.ForeignKey(
        User, verbose_name="办结人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "待办事项"
        verbose_name_plural = "待办事项"
        indexes = [models.Index(fields=["done_at", "section"]), models.Index(fields=["done_at", "user"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False)
                | models.Q(section__isnull=False)
                | models.Q(for_superusers=True),
                name="todo_has_addressee",
                violation_error_message="待办事项必须指定办理人、科室或系统管理员。",
            )
        ]

    def __str__(self):
        return self.title

    def delete(self, *args, **kwargs):
        raise HardDeleteForbidden(self._meta.verbose_name)

    def is_overdue_on(self, today) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today


class DocumentJobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


def _document_path(job, filename: str) -> str:
    return f"documents/{job.created_at:%Y/%m}/{job.pk}{Path(filename).suffix}"


class DocumentJob(models.Model):
    """A document made in the background for the person who asked (a long PDF, an export of 10,000+
    rows): ``bureau.documents.jobs`` runs the registered builder in Celery with the asker's rights as
    they stand when it runs, moves ``done``/``total`` for the progress bar, and keeps the file for its
    asker alone. Not a business record: the record it was made from keeps the history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("文档类型", max_length=80)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("条件", default=dict, blank=True)
    requested_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    state = models.CharField("状态", max_length=10, choices=DocumentJobState.choices, default="queued")
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    file = models.FileField("文件", upload_to=_document_path, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    error = models.TextField("失败原因", blank=True)
    # When a worker last claimed it, when it last showed life, and how many times it was claimed: the
    # sweep (bureau.documents.jobs) queues a job whose worker died again, and fails it visibly after too
    # many tries.
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台生成的文档"
        verbose_name_plural = "后台生成的文档"
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == DocumentJobState.DONE else None
        return min(100, self.done * 100 // self.total)


# Login, tokens and passwords (等保 8.1.4.1; bureau/accounts/) ----------------------------------------------


class LoginEventKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGOUT = "logout", "退出登录"
    FAILED = "failed", "登录失败"
    LOCKED_OUT = "locked_out", "锁定"
    UNLOCKED = "unlocked", "解除锁定"
    SECOND_FACTOR_FAILED = "otp_failed", "动态口令错误"
    SECOND_FACTOR_ENROLLED = "otp_enrolled", "绑定动态口令"
    SECOND_FACTOR_RESET = "otp_reset", "重置动态口令"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    SESSION_EXPIRED = "session_expired", "会话超时"
    TOKEN_ISSUED = "token_issued", "签发令牌"
    TOKEN_FAILED = "token_failed", "令牌申请失败"
    TOKEN_REVOKED = "token_revoked", "吊销令牌"


class LoginEvent(models.Model):
    """One entry of the login audit (等保 8.1.4.3 安全审计): who, when, from which address, what
    happened and how it ended. ``user`` is empty when the name typed matches no account; ``username``
    keeps what was typed. Kept at least six months (R-RET-1); the product never deletes a row."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField("登录名", max_length=150, blank=True)
    kind = models.CharField("事件", max_length=20, choices=LoginEventKind.choices)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["kind", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"

    def delete(self, *args, **kwargs):
        raise HardDeleteForbidden(self._meta.verbose_name)


class ApiToken(models.Model):
    """An API token (等保 8.1.4.1): only its SHA-256 is kept, so it is shown in full once, when it is
    made; ``prefix`` names it afterwards. It stops working at ``expires_at``, when its owner or the
    administrator revokes it, and when its owner logs out or changes the password."""

    user = models.ForeignKey(User, verbose_name="所有人", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=12)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间", db_index=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name="吊销人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField("吊销原因", max_length=100, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}…（{self.user}）"

    def delete(self, *args, **kwargs):
        raise HardDeleteForbidden(self._meta.verbose_name)


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so that the last few are not used again (等保)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"
