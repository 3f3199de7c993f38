"""Every migration of this app up to 0002_history_reason_whole, in one, for a database made from nothing.

``manage.py migrate`` on an empty database took four minutes, nearly all of it Django re-rendering every model
(all are tied together through the user) after each small operation of the 61 migrations. A database that has
applied some of this app's goes on with them one by one as before; one that has applied all counts this one as
applied. Made with ``makemigrations`` from the models, indexes and constraints folded into their models; the
schema it makes was compared with the one the old migrations make (columns, constraints, indexes) on SQLite
and PostgreSQL and is the same."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [("reports", "0001_initial"), ("reports", "0002_history_reason_whole")]

    initial = True

    dependencies = [
        ("inspections", "0001_squashed_0008_history_reason_whole"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSummary",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "month",
                    models.PositiveSmallIntegerField(help_text="0 表示全年（年终小结）", verbose_name="月份"),
                ),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="版本")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "待报送"), ("sent", "已报送")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("figures", models.JSONField(default=dict, verbose_name="统计数据")),
                ("remarks", models.TextField(blank=True, verbose_name="审批科补充说明")),
                (
                    "prepared_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="生成时间"),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="报送日期")),
                ("sent_to", models.CharField(blank=True, max_length=100, verbose_name="报送单位")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="报送登记时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "prepared_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="空表示由每月自动任务生成",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报送人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 工作小结",
                "verbose_name_plural": "historical 工作小结",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTypicalCase",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=100, verbose_name="标题")),
                ("summary", models.TextField(max_length=2000, verbose_name="案情简介（公开文本）")),
                ("published_on", models.DateField(verbose_name="公开日期")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("withdraw_reason", models.CharField(blank=True, max_length=200, verbose_name="撤回原因")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.case",
                        verbose_name="案件",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="公开人",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤回人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 典型案例",
                "verbose_name_plural": "historical 典型案例",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Summary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "month",
                    models.PositiveSmallIntegerField(help_text="0 表示全年（年终小结）", verbose_name="月份"),
                ),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="版本")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "待报送"), ("sent", "已报送")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("figures", models.JSONField(default=dict, verbose_name="统计数据")),
                ("remarks", models.TextField(blank=True, verbose_name="审批科补充说明")),
                (
                    "prepared_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="生成时间"),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="报送日期")),
                ("sent_to", models.CharField(blank=True, max_length=100, verbose_name="报送单位")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="报送登记时间")),
                (
                    "prepared_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="空表示由每月自动任务生成",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报送人",
                    ),
                ),
            ],
            options={
                "verbose_name": "工作小结",
                "verbose_name_plural": "工作小结",
                "ordering": ["-year", "-month", "-version"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "month", "version"), name="summary_version_unique"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("state", "draft")),
                        fields=("year", "month"),
                        name="summary_one_draft",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("month__lte", 12)), name="summary_month_range"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TypicalCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=100, verbose_name="标题")),
                ("summary", models.TextField(max_length=2000, verbose_name="案情简介（公开文本）")),
                ("published_on", models.DateField(verbose_name="公开日期")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("withdraw_reason", models.CharField(blank=True, max_length=200, verbose_name="撤回原因")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="typical_entries",
                        to="inspections.case",
                        verbose_name="案件",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="公开人",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤回人",
                    ),
                ),
            ],
            options={
                "verbose_name": "典型案例",
                "verbose_name_plural": "典型案例",
                "ordering": ["-published_on", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=("case",),
                        name="typical_case_once",
                    )
                ],
            },
        ),
    ]
