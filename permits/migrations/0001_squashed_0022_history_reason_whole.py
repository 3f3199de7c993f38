"""Every migration of this app up to 0022_history_reason_whole, in one, for a database made from nothing.

``manage.py migrate`` on an empty database took four minutes, nearly all of it Django re-rendering every model
(all are tied together through the user) after each small operation of the 61 migrations. A database that has
applied some of this app's goes on with them one by one as before; one that has applied all counts this one as
applied. Made with ``makemigrations`` from the models, indexes and constraints folded into their models; the
schema it makes was compared with the one the old migrations make (columns, constraints, indexes) on SQLite
and PostgreSQL and is the same. The key industries are seeded as 0002 seeded them and 0015 adjusted them."""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def key_industries(apps, schema_editor):
    for name, function in (("0002_key_industries", "seed"), ("0015_key_industries_per_design", "adjust")):
        getattr(import_module(f"permits.migrations.{name}"), function)(apps, schema_editor)


class Migration(migrations.Migration):
    replaces = [
        ("permits", "0001_initial"),
        ("permits", "0002_key_industries"),
        ("permits", "0003_importbatch_importrow"),
        ("permits", "0004_emission_limit_unique"),
        ("permits", "0005_rectification_sources"),
        ("permits", "0006_rectification_sources_of_existing_items"),
        ("permits", "0007_rectification_sources_required"),
        ("permits", "0008_rectification_source_url"),
        ("permits", "0009_rectification_deadline_provisional"),
        ("permits", "0010_permit_events_renewal_decisions_and_lapse_cases"),
        ("permits", "0011_split_renewal_decisions"),
        ("permits", "0012_units_and_sites"),
        ("permits", "0013_facilities_become_site_001"),
        ("permits", "0014_sites_required"),
        ("permits", "0015_key_industries_per_design"),
        ("permits", "0016_anomaly_reports"),
        ("permits", "0017_execution_reports"),
        ("permits", "0018_import_kind"),
        ("permits", "0019_report_leads_from"),
        ("permits", "0020_facility_is_confidential"),
        ("permits", "0021_import_job_attempts"),
        ("permits", "0022_history_reason_whole"),
    ]

    initial = True

    dependencies = [
        ("bureau", "0008_history_reason_whole"),
    ]

    operations = [
        migrations.CreateModel(
            name="KeyIndustry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=4, unique=True, verbose_name="行业代码（前缀）")),
                ("name", models.CharField(max_length=50, verbose_name="行业名称")),
                ("source", models.CharField(blank=True, max_length=100, verbose_name="依据")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "重点行业",
                "verbose_name_plural": "重点行业",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="Outlet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, verbose_name="排放口编号")),
                (
                    "kind",
                    models.CharField(
                        choices=[("gas", "废气"), ("water", "废水")], max_length=10, verbose_name="类别"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="名称")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="位置")),
            ],
            options={
                "verbose_name": "排放口",
                "verbose_name_plural": "排放口",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="ReportSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "days_after_period",
                    models.PositiveSmallIntegerField(
                        default=15,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="月度、季度报告截止（期末后天数）",
                    ),
                ),
                (
                    "annual_due_month",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(6),
                        ],
                        verbose_name="年度报告截止月",
                    ),
                ),
                (
                    "annual_due_day",
                    models.PositiveSmallIntegerField(
                        default=31,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(31),
                        ],
                        verbose_name="年度报告截止日",
                    ),
                ),
                (
                    "grace_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        help_text="截止日后仍未收到报告超过该天数的，作为未按规定提交执行报告线索交执法大队。",
                        validators=[django.core.validators.MaxValueValidator(365)],
                        verbose_name="逾期未报移交宽限（天）",
                    ),
                ),
                (
                    "leads_from",
                    models.DateField(
                        blank=True,
                        help_text="截止日期在此日期之前的报告逾期未报时不再生成线索（系统启用前的旧账由人工核实）；留空则全部生成。",
                        null=True,
                        verbose_name="逾期未报线索起算日期",
                    ),
                ),
                (
                    "feedback_workdays",
                    models.PositiveSmallIntegerField(
                        default=10,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="反馈意见单默认整改时限（工作日）",
                    ),
                ),
                (
                    "contact",
                    models.CharField(blank=True, max_length=100, verbose_name="反馈意见单联系人及电话"),
                ),
            ],
            options={
                "verbose_name": "执行报告设置",
                "verbose_name_plural": "执行报告设置",
            },
        ),
        migrations.CreateModel(
            name="Unit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(max_length=18, unique=True, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="建档时间")),
            ],
            options={
                "verbose_name": "单位",
                "verbose_name_plural": "单位",
                "ordering": ["credit_code"],
            },
        ),
        migrations.CreateModel(
            name="AnnouncedDueDate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                ("due_on", models.DateField(verbose_name="截止日期")),
                ("notice", models.CharField(max_length=200, verbose_name="市级通知")),
            ],
            options={
                "verbose_name": "市级公布的报告截止日期",
                "verbose_name_plural": "市级公布的报告截止日期",
                "ordering": ["-period_start", "period_type"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("period_type", "period_start"),
                        name="announced_due_once_per_period",
                        violation_error_message="该报告期已有市级公布的截止日期。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Facility",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("site_number", models.CharField(default="001", max_length=3, verbose_name="污染源序号")),
                ("source_code", models.CharField(max_length=21, unique=True, verbose_name="污染源编码")),
                (
                    "credit_code",
                    models.CharField(db_index=True, max_length=18, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="生产经营场所地址")),
                ("industry_code", models.CharField(max_length=4, verbose_name="行业类别代码")),
                ("industry_name", models.CharField(max_length=100, verbose_name="行业类别")),
                (
                    "management_level",
                    models.CharField(
                        choices=[("key", "重点管理"), ("simplified", "简化管理"), ("registered", "登记管理")],
                        max_length=12,
                        verbose_name="管理类别",
                    ),
                ),
                ("contact_person", models.CharField(blank=True, max_length=50, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="联系电话")),
                (
                    "eia_document_no",
                    models.CharField(blank=True, max_length=100, verbose_name="环评批复文号"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("operating", "在产"), ("halted", "停产"), ("closed", "关闭")],
                        default="operating",
                        max_length=10,
                        verbose_name="生产状态",
                    ),
                ),
                ("is_key_regulated", models.BooleanField(default=False, verbose_name="环境监管重点单位")),
                ("is_confidential", models.BooleanField(default=False, verbose_name="涉及国家秘密")),
                (
                    "risk_level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未评估"),
                            ("general", "一般环境风险"),
                            ("moderate", "较大环境风险"),
                            ("major", "重大环境风险"),
                        ],
                        max_length=10,
                        verbose_name="环境风险等级",
                    ),
                ),
                ("has_auto_monitoring", models.BooleanField(default=False, verbose_name="安装自动监控")),
                (
                    "in_environmental_statistics",
                    models.BooleanField(default=False, verbose_name="纳入环境统计"),
                ),
                (
                    "credit_rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未评价"),
                            ("excellent", "环保诚信"),
                            ("good", "环保良好"),
                            ("warning", "环保警示"),
                            ("dishonest", "环保不良"),
                        ],
                        max_length=10,
                        verbose_name="环境信用评价",
                    ),
                ),
                ("credit_rated_on", models.DateField(blank=True, null=True, verbose_name="信用评价日期")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="建档时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "town",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="facilities",
                        to="bureau.town",
                        verbose_name="所属街镇",
                    ),
                ),
                (
                    "key_industry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.keyindustry",
                        verbose_name="重点行业",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="facilities",
                        to="permits.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "排污单位",
                "verbose_name_plural": "排污单位",
                "ordering": ["name", "id"],
                "indexes": [
                    models.Index(fields=["town", "management_level"], name="permits_fac_town_id_d48edf_idx"),
                    models.Index(fields=["industry_code"], name="permits_fac_industr_f8fc1d_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "site_number"),
                        name="facility_site_once_per_unit",
                        violation_error_message="该单位已有此序号的污染源。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ExecutionReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                ("period_end", models.DateField(verbose_name="报告期止")),
                ("due_on", models.DateField(db_index=True, verbose_name="截止日期")),
                ("due_provisional", models.BooleanField(default=False, verbose_name="截止日期暂定")),
                (
                    "received_on",
                    models.DateField(blank=True, db_index=True, null=True, verbose_name="首次提交日期"),
                ),
                ("version_count", models.PositiveSmallIntegerField(default=0, verbose_name="版本数")),
                ("requested_on", models.DateField(blank=True, null=True, verbose_name="催报日期")),
                ("request_note", models.CharField(blank=True, max_length=200, verbose_name="催报方式及说明")),
                ("flagged_on", models.DateField(blank=True, null=True, verbose_name="逾期标记日期")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="建档时间")),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="催报人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="execution_reports",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告",
                "verbose_name_plural": "执行报告",
                "ordering": ["-period_end", "period_type", "id"],
            },
        ),
        migrations.CreateModel(
            name="AnomalyReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, unique=True, verbose_name="报告编号")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("facility_abnormal", "污染防治设施不正常运行"),
                            ("emission_abnormal", "污染物排放异常"),
                            ("online_equipment", "在线监测监控设备异常"),
                            ("self_monitoring", "自行监测无法完成"),
                            ("other", "其他异常情况"),
                        ],
                        max_length=20,
                        verbose_name="异常类别",
                    ),
                ),
                ("description", models.TextField(verbose_name="异常情况")),
                ("started_at", models.DateTimeField(verbose_name="异常开始时间")),
                ("measures", models.TextField(verbose_name="已采取的措施")),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("phone", "电话"),
                            ("letter", "书面（函件）"),
                            ("in_person", "当面报告"),
                            ("online", "电子邮件或其他在线方式"),
                        ],
                        max_length=20,
                        verbose_name="报告方式",
                    ),
                ),
                ("reporter", models.CharField(max_length=200, verbose_name="报告人及联系方式")),
                ("reported_at", models.DateTimeField(verbose_name="报告时间")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "linkage_task_number",
                    models.CharField(blank=True, max_length=20, verbose_name="三监联动任务编号"),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                ("outcome", models.TextField(blank=True, verbose_name="处理结果")),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="办结人",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="anomaly_reports",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "异常情况报告",
                "verbose_name_plural": "异常情况报告",
                "ordering": ["-reported_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="FeedbackNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=30, unique=True, verbose_name="文书编号")),
                ("issued_on", models.DateField(verbose_name="反馈日期")),
                (
                    "time_limit_workdays",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="整改时限（工作日）",
                    ),
                ),
                ("due_on", models.DateField(db_index=True, verbose_name="整改期限")),
                ("due_provisional", models.BooleanField(default=False, verbose_name="期限暂定")),
                ("contact", models.CharField(max_length=100, verbose_name="联系人及电话")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("issued", "已反馈，待整改"),
                            ("answered", "已答复，待复核"),
                            ("closed", "复核完毕"),
                        ],
                        default="issued",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签发人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notices",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "排污许可执行报告问题反馈意见单",
                "verbose_name_plural": "排污许可执行报告问题反馈意见单",
                "ordering": ["-issued_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAnnouncedDueDate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                ("due_on", models.DateField(verbose_name="截止日期")),
                ("notice", models.CharField(max_length=200, verbose_name="市级通知")),
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
            ],
            options={
                "verbose_name": "historical 市级公布的报告截止日期",
                "verbose_name_plural": "historical 市级公布的报告截止日期",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAnomalyReport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="报告编号")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("facility_abnormal", "污染防治设施不正常运行"),
                            ("emission_abnormal", "污染物排放异常"),
                            ("online_equipment", "在线监测监控设备异常"),
                            ("self_monitoring", "自行监测无法完成"),
                            ("other", "其他异常情况"),
                        ],
                        max_length=20,
                        verbose_name="异常类别",
                    ),
                ),
                ("description", models.TextField(verbose_name="异常情况")),
                ("started_at", models.DateTimeField(verbose_name="异常开始时间")),
                ("measures", models.TextField(verbose_name="已采取的措施")),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("phone", "电话"),
                            ("letter", "书面（函件）"),
                            ("in_person", "当面报告"),
                            ("online", "电子邮件或其他在线方式"),
                        ],
                        max_length=20,
                        verbose_name="报告方式",
                    ),
                ),
                ("reporter", models.CharField(max_length=200, verbose_name="报告人及联系方式")),
                ("reported_at", models.DateTimeField(verbose_name="报告时间")),
                ("recorded_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
                (
                    "linkage_task_number",
                    models.CharField(blank=True, max_length=20, verbose_name="三监联动任务编号"),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                ("outcome", models.TextField(blank=True, verbose_name="处理结果")),
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
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="办结人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 异常情况报告",
                "verbose_name_plural": "historical 异常情况报告",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalKeyIndustry",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.CharField(db_index=True, max_length=4, verbose_name="行业代码（前缀）")),
                ("name", models.CharField(max_length=50, verbose_name="行业名称")),
                ("source", models.CharField(blank=True, max_length=100, verbose_name="依据")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
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
            ],
            options={
                "verbose_name": "historical 重点行业",
                "verbose_name_plural": "historical 重点行业",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPenaltyRecord",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "decision_no",
                    models.CharField(db_index=True, max_length=100, verbose_name="处罚决定书文号"),
                ),
                ("decided_on", models.DateField(verbose_name="处罚日期")),
                ("violation", models.CharField(max_length=300, verbose_name="违法行为")),
                (
                    "amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款金额（元）"
                    ),
                ),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 行政处罚记录",
                "verbose_name_plural": "historical 行政处罚记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPermit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=40, verbose_name="许可证编号")),
                (
                    "management_level",
                    models.CharField(
                        choices=[("key", "重点管理"), ("simplified", "简化管理")],
                        max_length=12,
                        verbose_name="管理类别",
                    ),
                ),
                ("issued_on", models.DateField(verbose_name="发证日期")),
                ("valid_from", models.DateField(verbose_name="有效期起")),
                ("valid_until", models.DateField(db_index=True, verbose_name="有效期至")),
                (
                    "report_frequency",
                    models.CharField(
                        choices=[("monthly", "月度"), ("quarterly", "季度"), ("annual", "年度")],
                        max_length=10,
                        verbose_name="执行报告频次",
                    ),
                ),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
            ],
            options={
                "verbose_name": "historical 排污许可证",
                "verbose_name_plural": "historical 排污许可证",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRegistration",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("receipt_no", models.CharField(db_index=True, max_length=40, verbose_name="登记回执编号")),
                ("registered_on", models.DateField(verbose_name="登记日期")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="有效期至")),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
            ],
            options={
                "verbose_name": "historical 排污登记",
                "verbose_name_plural": "historical 排污登记",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalReportSettings",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "days_after_period",
                    models.PositiveSmallIntegerField(
                        default=15,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="月度、季度报告截止（期末后天数）",
                    ),
                ),
                (
                    "annual_due_month",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(6),
                        ],
                        verbose_name="年度报告截止月",
                    ),
                ),
                (
                    "annual_due_day",
                    models.PositiveSmallIntegerField(
                        default=31,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(31),
                        ],
                        verbose_name="年度报告截止日",
                    ),
                ),
                (
                    "grace_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        help_text="截止日后仍未收到报告超过该天数的，作为未按规定提交执行报告线索交执法大队。",
                        validators=[django.core.validators.MaxValueValidator(365)],
                        verbose_name="逾期未报移交宽限（天）",
                    ),
                ),
                (
                    "leads_from",
                    models.DateField(
                        blank=True,
                        help_text="截止日期在此日期之前的报告逾期未报时不再生成线索（系统启用前的旧账由人工核实）；留空则全部生成。",
                        null=True,
                        verbose_name="逾期未报线索起算日期",
                    ),
                ),
                (
                    "feedback_workdays",
                    models.PositiveSmallIntegerField(
                        default=10,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="反馈意见单默认整改时限（工作日）",
                    ),
                ),
                (
                    "contact",
                    models.CharField(blank=True, max_length=100, verbose_name="反馈意见单联系人及电话"),
                ),
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
            ],
            options={
                "verbose_name": "historical 执行报告设置",
                "verbose_name_plural": "historical 执行报告设置",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalReportVersion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="版本")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report", "执行报告"),
                            ("corrected", "修改后的执行报告"),
                            ("supplement", "补充说明材料"),
                        ],
                        default="report",
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                ("received_on", models.DateField(verbose_name="提交日期")),
                ("platform_ref", models.CharField(blank=True, max_length=60, verbose_name="平台报告编号")),
                ("file", models.TextField(blank=True, max_length=100, verbose_name="报告文件")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                (
                    "source",
                    models.CharField(
                        choices=[("hand", "手工登记"), ("import", "平台导出导入")],
                        default="hand",
                        max_length=10,
                        verbose_name="登记方式",
                    ),
                ),
                ("recorded_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
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
                    "answers_notice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.feedbacknotice",
                        verbose_name="答复的反馈意见单",
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告版本",
                "verbose_name_plural": "historical 执行报告版本",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalReviewSample",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                (
                    "share",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="抽查比例（%）",
                    ),
                ),
                ("seed", models.BigIntegerField(verbose_name="随机种子")),
                ("population", models.PositiveIntegerField(verbose_name="报告总数")),
                ("population_ids", models.JSONField(default=list, verbose_name="抽样总体")),
                ("drawn_on", models.DateField(verbose_name="抽取日期")),
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
                    "drawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="抽取人",
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
                    "section",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="抽查科室",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告抽查",
                "verbose_name_plural": "historical 执行报告抽查",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUnit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "credit_code",
                    models.CharField(db_index=True, max_length=18, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="建档时间")),
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
            ],
            options={
                "verbose_name": "historical 单位",
                "verbose_name_plural": "historical 单位",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ImportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("registry", "排污单位、许可证和登记"),
                            ("execution_reports", "执行报告提交情况"),
                        ],
                        default="registry",
                        max_length=20,
                        verbose_name="导入内容",
                    ),
                ),
                ("file", models.FileField(upload_to="imports/%Y/%m/", verbose_name="导入文件")),
                ("original_name", models.CharField(max_length=255, verbose_name="文件名")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("parsing", "解析中"),
                            ("ready", "待确认"),
                            ("applying", "导入中"),
                            ("done", "已完成"),
                            ("failed", "失败"),
                            ("cancelled", "已取消"),
                        ],
                        db_index=True,
                        default="parsing",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                ("total_rows", models.PositiveIntegerField(default=0, verbose_name="数据行数")),
                ("processed_rows", models.PositiveIntegerField(default=0, verbose_name="已解析行数")),
                ("new_count", models.PositiveIntegerField(default=0, verbose_name="新增")),
                ("changed_count", models.PositiveIntegerField(default=0, verbose_name="变更")),
                ("unchanged_count", models.PositiveIntegerField(default=0, verbose_name="无变化")),
                ("rejected_count", models.PositiveIntegerField(default=0, verbose_name="不予导入")),
                ("applied_rows", models.PositiveIntegerField(default=0, verbose_name="已写入行数")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                ("cancelled_at", models.DateTimeField(blank=True, null=True, verbose_name="取消时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                ("error", models.TextField(blank=True, verbose_name="失败原因")),
                ("notice", models.TextField(blank=True, verbose_name="提示")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="本步骤尝试次数")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="本步骤开始时间")),
                ("heartbeat_at", models.DateTimeField(blank=True, null=True, verbose_name="最近进展")),
                (
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="取消人",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="确认人",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
            ],
            options={
                "verbose_name": "数据导入批次",
                "verbose_name_plural": "数据导入批次",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalEmissionLimit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("pollutant", models.CharField(max_length=50, verbose_name="污染物")),
                (
                    "concentration",
                    models.DecimalField(
                        blank=True, decimal_places=3, max_digits=12, null=True, verbose_name="许可排放浓度"
                    ),
                ),
                ("unit", models.CharField(default="mg/m³", max_length=20, verbose_name="浓度单位")),
                (
                    "annual_quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=14,
                        null=True,
                        verbose_name="年许可排放量（吨）",
                    ),
                ),
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
                    "outlet",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.outlet",
                        verbose_name="排放口",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 许可排放限值",
                "verbose_name_plural": "historical 许可排放限值",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PenaltyRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("decision_no", models.CharField(max_length=100, unique=True, verbose_name="处罚决定书文号")),
                ("decided_on", models.DateField(verbose_name="处罚日期")),
                ("violation", models.CharField(max_length=300, verbose_name="违法行为")),
                (
                    "amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款金额（元）"
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="penalties",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "行政处罚记录",
                "verbose_name_plural": "行政处罚记录",
                "ordering": ["-decided_on"],
            },
        ),
        migrations.CreateModel(
            name="Permit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=40, unique=True, verbose_name="许可证编号")),
                (
                    "management_level",
                    models.CharField(
                        choices=[("key", "重点管理"), ("simplified", "简化管理")],
                        max_length=12,
                        verbose_name="管理类别",
                    ),
                ),
                ("issued_on", models.DateField(verbose_name="发证日期")),
                ("valid_from", models.DateField(verbose_name="有效期起")),
                ("valid_until", models.DateField(db_index=True, verbose_name="有效期至")),
                (
                    "report_frequency",
                    models.CharField(
                        choices=[("monthly", "月度"), ("quarterly", "季度"), ("annual", "年度")],
                        max_length=10,
                        verbose_name="执行报告频次",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="permits",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "排污许可证",
                "verbose_name_plural": "排污许可证",
                "ordering": ["-issued_on", "id"],
            },
        ),
        migrations.AddField(
            model_name="outlet",
            name="permit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outlets",
                to="permits.permit",
                verbose_name="排污许可证",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalUnlicensedDischargeLead",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("expired_on", models.DateField(verbose_name="许可证失效日期")),
                (
                    "case",
                    models.CharField(
                        choices=[
                            ("expired", "有效期届满未申请延续"),
                            ("renewal_undecided", "延续申请到期时尚未批准"),
                            ("renewal_refused", "延续申请未获批准"),
                            ("cancelled", "许可证被注销"),
                            ("withdrawn", "许可证被撤销"),
                            ("revoked", "许可证被吊销"),
                        ],
                        default="expired",
                        max_length=20,
                        verbose_name="情形",
                    ),
                ),
                ("detected_on", models.DateField(verbose_name="发现日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "待移交"), ("handed_over", "已移交执法大队"), ("closed", "已办结")],
                        default="open",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("handed_over_on", models.DateField(blank=True, null=True, verbose_name="移交日期")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="失效许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 无证排污线索",
                "verbose_name_plural": "historical 无证排污线索",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQualityCheck",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("checked_on", models.DateField(verbose_name="检查日期")),
                (
                    "method",
                    models.CharField(
                        choices=[("on_site", "现场核查"), ("off_site", "非现场核查")],
                        max_length=10,
                        verbose_name="方式",
                    ),
                ),
                (
                    "selection",
                    models.CharField(
                        choices=[("random", "随机抽查"), ("targeted", "靶向核查")],
                        max_length=10,
                        verbose_name="选取方式",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="检查结论")),
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
                    "checked_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="检查人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 核发质量检查",
                "verbose_name_plural": "historical 核发质量检查",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOutlet",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.CharField(max_length=20, verbose_name="排放口编号")),
                (
                    "kind",
                    models.CharField(
                        choices=[("gas", "废气"), ("water", "废水")], max_length=10, verbose_name="类别"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="名称")),
                ("location", models.CharField(blank=True, max_length=200, verbose_name="位置")),
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
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 排放口",
                "verbose_name_plural": "historical 排放口",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalExecutionReport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                ("period_end", models.DateField(verbose_name="报告期止")),
                ("due_on", models.DateField(db_index=True, verbose_name="截止日期")),
                ("due_provisional", models.BooleanField(default=False, verbose_name="截止日期暂定")),
                (
                    "received_on",
                    models.DateField(blank=True, db_index=True, null=True, verbose_name="首次提交日期"),
                ),
                ("version_count", models.PositiveSmallIntegerField(default=0, verbose_name="版本数")),
                ("requested_on", models.DateField(blank=True, null=True, verbose_name="催报日期")),
                ("request_note", models.CharField(blank=True, max_length=200, verbose_name="催报方式及说明")),
                ("flagged_on", models.DateField(blank=True, null=True, verbose_name="逾期标记日期")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="建档时间")),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="催报人",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告",
                "verbose_name_plural": "historical 执行报告",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="executionreport",
            name="permit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="execution_reports",
                to="permits.permit",
                verbose_name="排污许可证",
            ),
        ),
        migrations.CreateModel(
            name="PermitEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("first_application", "首次申请"),
                            ("reapplication", "重新申请"),
                            ("change", "变更"),
                            ("renewal", "延续申请"),
                            ("renewal_decision", "延续决定"),
                            ("cancellation", "注销"),
                            ("withdrawal", "撤销"),
                            ("revocation", "吊销"),
                            ("replacement", "遗失补办"),
                        ],
                        max_length=20,
                        verbose_name="事项",
                    ),
                ),
                ("occurred_on", models.DateField(verbose_name="日期")),
                ("document_no", models.CharField(blank=True, max_length=100, verbose_name="文号")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("renewal_granted", models.BooleanField(blank=True, null=True, verbose_name="准予延续")),
                ("previous_valid_until", models.DateField(blank=True, null=True, verbose_name="原有效期至")),
                ("new_valid_until", models.DateField(blank=True, null=True, verbose_name="延续后有效期至")),
                ("is_bureau_initiated", models.BooleanField(default=False, verbose_name="依职权变更")),
                ("notice_no", models.CharField(blank=True, max_length=100, verbose_name="告知书文号")),
                ("notice_on", models.DateField(blank=True, null=True, verbose_name="告知日期")),
                (
                    "notice_file",
                    models.FileField(blank=True, upload_to="permit-notices/%Y/", verbose_name="告知书扫描件"),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "permit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "renewal_application",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="renewal_decision",
                        to="permits.permitevent",
                        verbose_name="所决定的延续申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "许可证事项",
                "verbose_name_plural": "许可证事项",
                "ordering": ["occurred_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPermitEvent",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("first_application", "首次申请"),
                            ("reapplication", "重新申请"),
                            ("change", "变更"),
                            ("renewal", "延续申请"),
                            ("renewal_decision", "延续决定"),
                            ("cancellation", "注销"),
                            ("withdrawal", "撤销"),
                            ("revocation", "吊销"),
                            ("replacement", "遗失补办"),
                        ],
                        max_length=20,
                        verbose_name="事项",
                    ),
                ),
                ("occurred_on", models.DateField(verbose_name="日期")),
                ("document_no", models.CharField(blank=True, max_length=100, verbose_name="文号")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("renewal_granted", models.BooleanField(blank=True, null=True, verbose_name="准予延续")),
                ("previous_valid_until", models.DateField(blank=True, null=True, verbose_name="原有效期至")),
                ("new_valid_until", models.DateField(blank=True, null=True, verbose_name="延续后有效期至")),
                ("is_bureau_initiated", models.BooleanField(default=False, verbose_name="依职权变更")),
                ("notice_no", models.CharField(blank=True, max_length=100, verbose_name="告知书文号")),
                ("notice_on", models.DateField(blank=True, null=True, verbose_name="告知日期")),
                ("notice_file", models.TextField(blank=True, max_length=100, verbose_name="告知书扫描件")),
                ("recorded_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
                (
                    "renewal_application",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.permitevent",
                        verbose_name="所决定的延续申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 许可证事项",
                "verbose_name_plural": "historical 许可证事项",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="QualityCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("checked_on", models.DateField(verbose_name="检查日期")),
                (
                    "method",
                    models.CharField(
                        choices=[("on_site", "现场核查"), ("off_site", "非现场核查")],
                        max_length=10,
                        verbose_name="方式",
                    ),
                ),
                (
                    "selection",
                    models.CharField(
                        choices=[("random", "随机抽查"), ("targeted", "靶向核查")],
                        max_length=10,
                        verbose_name="选取方式",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="检查结论")),
                (
                    "checked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="检查人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="quality_checks",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="quality_checks",
                        to="permits.permit",
                        verbose_name="排污许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "核发质量检查",
                "verbose_name_plural": "核发质量检查",
                "ordering": ["-checked_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalRectificationItem",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "source_kind",
                    models.CharField(
                        choices=[
                            ("quality_check", "核发质量检查"),
                            ("permit", "许可证整改要求"),
                            ("inspection", "执法检查发现"),
                            ("report_review", "执行报告审核"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="问题来源",
                    ),
                ),
                (
                    "source_key",
                    models.CharField(
                        blank=True, db_index=True, default="", max_length=100, verbose_name="来源记录"
                    ),
                ),
                ("source_label", models.CharField(max_length=200, verbose_name="来源说明")),
                (
                    "source_url",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="来源链接"),
                ),
                ("found_on", models.DateField(verbose_name="发现日期")),
                ("category", models.CharField(max_length=40, verbose_name="问题类别")),
                ("category_label", models.CharField(max_length=100, verbose_name="问题类别名称")),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "deadline_workdays",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="整改时限（工作日）"),
                ),
                ("deadline_on", models.DateField(db_index=True, verbose_name="整改期限")),
                (
                    "deadline_provisional",
                    models.BooleanField(
                        default=False,
                        help_text="期限落在或跨越尚未确认工作日历的年度，暂按双休日推算；该年度确认后自动重算（R-CAL-1）。",
                        verbose_name="期限暂定",
                    ),
                ),
                ("responsible_person", models.CharField(max_length=50, verbose_name="整改责任人")),
                ("responsible_phone", models.CharField(blank=True, max_length=30, verbose_name="责任人电话")),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="销号日期")),
                ("closing_evidence", models.TextField(blank=True, verbose_name="整改完成证明")),
                ("closing_file", models.TextField(blank=True, max_length=100, verbose_name="证明材料")),
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
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="销号人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "quality_check",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.qualitycheck",
                        verbose_name="质量检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 限期整改问题",
                "verbose_name_plural": "historical 限期整改问题台账",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RectificationItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_kind",
                    models.CharField(
                        choices=[
                            ("quality_check", "核发质量检查"),
                            ("permit", "许可证整改要求"),
                            ("inspection", "执法检查发现"),
                            ("report_review", "执行报告审核"),
                            ("other", "其他"),
                        ],
                        max_length=20,
                        verbose_name="问题来源",
                    ),
                ),
                (
                    "source_key",
                    models.CharField(
                        blank=True, db_index=True, default="", max_length=100, verbose_name="来源记录"
                    ),
                ),
                ("source_label", models.CharField(max_length=200, verbose_name="来源说明")),
                (
                    "source_url",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="来源链接"),
                ),
                ("found_on", models.DateField(verbose_name="发现日期")),
                ("category", models.CharField(max_length=40, verbose_name="问题类别")),
                ("category_label", models.CharField(max_length=100, verbose_name="问题类别名称")),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "deadline_workdays",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="整改时限（工作日）"),
                ),
                ("deadline_on", models.DateField(db_index=True, verbose_name="整改期限")),
                (
                    "deadline_provisional",
                    models.BooleanField(
                        default=False,
                        help_text="期限落在或跨越尚未确认工作日历的年度，暂按双休日推算；该年度确认后自动重算（R-CAL-1）。",
                        verbose_name="期限暂定",
                    ),
                ),
                ("responsible_person", models.CharField(max_length=50, verbose_name="整改责任人")),
                ("responsible_phone", models.CharField(blank=True, max_length=30, verbose_name="责任人电话")),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="销号日期")),
                ("closing_evidence", models.TextField(blank=True, verbose_name="整改完成证明")),
                (
                    "closing_file",
                    models.FileField(blank=True, upload_to="rectifications/%Y/", verbose_name="证明材料"),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="销号人",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rectifications",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "quality_check",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="permits.qualitycheck",
                        verbose_name="质量检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "限期整改问题",
                "verbose_name_plural": "限期整改问题台账",
                "ordering": ["deadline_on", "id"],
                "indexes": [
                    models.Index(fields=["closed_on", "deadline_on"], name="permits_rec_closed__d55841_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("quality_check__isnull", False), ("source_kind", "quality_check")),
                            models.Q(
                                models.Q(("source_kind", "quality_check"), _negated=True),
                                ("quality_check__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="rectification_quality_check_iff_source",
                        violation_error_message="只有来源为核发质量检查的整改问题关联质量检查，且必须关联。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalRectificationProgress",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("noted_on", models.DateField(verbose_name="日期")),
                ("note", models.TextField(verbose_name="进展情况")),
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.rectificationitem",
                        verbose_name="整改问题",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 整改进展",
                "verbose_name_plural": "historical 整改进展",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RectificationProgress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("noted_on", models.DateField(verbose_name="日期")),
                ("note", models.TextField(verbose_name="进展情况")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="progress",
                        to="permits.rectificationitem",
                        verbose_name="整改问题",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "整改进展",
                "verbose_name_plural": "整改进展",
                "ordering": ["noted_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="Registration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("receipt_no", models.CharField(max_length=40, unique=True, verbose_name="登记回执编号")),
                ("registered_on", models.DateField(verbose_name="登记日期")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="有效期至")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registrations",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "排污登记",
                "verbose_name_plural": "排污登记",
                "ordering": ["-registered_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="ReportReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="审核轮次")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "审核中"), ("complete", "审核完成")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("opened_on", models.DateField(verbose_name="开始日期")),
                ("completed_on", models.DateField(blank=True, null=True, verbose_name="完成日期")),
                (
                    "answers",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rereviews",
                        to="permits.feedbacknotice",
                        verbose_name="复核的反馈意见单",
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告审核",
                "verbose_name_plural": "执行报告审核",
                "ordering": ["-opened_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalReviewPart",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("section_code", models.CharField(max_length=20, verbose_name="科室代码")),
                ("filled_at", models.DateTimeField(blank=True, null=True, verbose_name="填写时间")),
                ("note", models.TextField(blank=True, verbose_name="审核意见")),
                ("signed_on", models.DateField(blank=True, null=True, verbose_name="签核日期")),
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
                    "filled_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="填写人",
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
                    "section",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="科室",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签核负责人",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportreview",
                        verbose_name="审核",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 审核分工部分",
                "verbose_name_plural": "historical 审核分工部分",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFeedbackNotice",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=30, verbose_name="文书编号")),
                ("issued_on", models.DateField(verbose_name="反馈日期")),
                (
                    "time_limit_workdays",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="整改时限（工作日）",
                    ),
                ),
                ("due_on", models.DateField(db_index=True, verbose_name="整改期限")),
                ("due_provisional", models.BooleanField(default=False, verbose_name="期限暂定")),
                ("contact", models.CharField(max_length=100, verbose_name="联系人及电话")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("issued", "已反馈，待整改"),
                            ("answered", "已答复，待复核"),
                            ("closed", "复核完毕"),
                        ],
                        default="issued",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
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
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签发人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportreview",
                        verbose_name="审核",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 排污许可执行报告问题反馈意见单",
                "verbose_name_plural": "historical 排污许可执行报告问题反馈意见单",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="feedbacknotice",
            name="review",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notice",
                to="permits.reportreview",
                verbose_name="审核",
            ),
        ),
        migrations.CreateModel(
            name="ReportVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="版本")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report", "执行报告"),
                            ("corrected", "修改后的执行报告"),
                            ("supplement", "补充说明材料"),
                        ],
                        default="report",
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                ("received_on", models.DateField(verbose_name="提交日期")),
                ("platform_ref", models.CharField(blank=True, max_length=60, verbose_name="平台报告编号")),
                (
                    "file",
                    models.FileField(blank=True, upload_to="execution-reports/%Y/", verbose_name="报告文件"),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                (
                    "source",
                    models.CharField(
                        choices=[("hand", "手工登记"), ("import", "平台导出导入")],
                        default="hand",
                        max_length=10,
                        verbose_name="登记方式",
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "answers_notice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="permits.feedbacknotice",
                        verbose_name="答复的反馈意见单",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告版本",
                "verbose_name_plural": "执行报告版本",
                "ordering": ["report_id", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "number"),
                        name="report_version_unique",
                        violation_error_message="该执行报告已有此版本，请刷新后重试。",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="reportreview",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviews",
                to="permits.reportversion",
                verbose_name="审核版本",
            ),
        ),
        migrations.CreateModel(
            name="ReportedEmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pollutant", models.CharField(max_length=50, verbose_name="污染物")),
                (
                    "concentration",
                    models.DecimalField(
                        blank=True, decimal_places=3, max_digits=12, null=True, verbose_name="实际排放浓度"
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=14,
                        null=True,
                        verbose_name="实际排放量（吨）",
                    ),
                ),
                (
                    "outlet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.outlet",
                        verbose_name="排放口",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="emissions",
                        to="permits.reportversion",
                        verbose_name="报告版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "实际排放情况",
                "verbose_name_plural": "实际排放情况",
                "ordering": ["outlet__code", "pollutant"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "outlet", "pollutant"),
                        name="emission_once_per_version",
                        violation_error_message="该报告版本已有此排放口、此污染物的实际排放数据。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalReportedEmission",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("pollutant", models.CharField(max_length=50, verbose_name="污染物")),
                (
                    "concentration",
                    models.DecimalField(
                        blank=True, decimal_places=3, max_digits=12, null=True, verbose_name="实际排放浓度"
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=14,
                        null=True,
                        verbose_name="实际排放量（吨）",
                    ),
                ),
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
                    "outlet",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.outlet",
                        verbose_name="排放口",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportversion",
                        verbose_name="报告版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 实际排放情况",
                "verbose_name_plural": "historical 实际排放情况",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReviewPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("section_code", models.CharField(max_length=20, verbose_name="科室代码")),
                ("filled_at", models.DateTimeField(blank=True, null=True, verbose_name="填写时间")),
                ("note", models.TextField(blank=True, verbose_name="审核意见")),
                ("signed_on", models.DateField(blank=True, null=True, verbose_name="签核日期")),
                (
                    "filled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="填写人",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="parts",
                        to="permits.reportreview",
                        verbose_name="审核",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="科室",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签核负责人",
                    ),
                ),
            ],
            options={
                "verbose_name": "审核分工部分",
                "verbose_name_plural": "审核分工部分",
                "ordering": ["review_id", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("review", "section_code"),
                        name="review_part_once_per_section",
                        violation_error_message="该审核已有此科室的部分。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PartResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("point", models.CharField(max_length=40, verbose_name="检查要点")),
                (
                    "result",
                    models.CharField(
                        choices=[("fine", "无问题"), ("problem", "存在问题"), ("not_applicable", "不涉及")],
                        max_length=20,
                        verbose_name="检查结果",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="permits.reviewpart",
                        verbose_name="审核部分",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查要点结果",
                "verbose_name_plural": "检查要点结果",
                "ordering": ["part_id", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("part", "point"),
                        name="part_result_once_per_point",
                        violation_error_message="该检查要点已有结果。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalReviewProblem",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("point", models.CharField(max_length=40, verbose_name="检查要点")),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "problem_class",
                    models.CharField(
                        choices=[
                            ("procedural", "程序性问题（漏填、错填等）"),
                            ("substantive", "实质性问题（未按证排污等）"),
                        ],
                        max_length=12,
                        verbose_name="问题性质",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "系统提示待确认"),
                            ("dismissed", "不予采纳"),
                            ("open", "待整改"),
                            ("closed", "已整改"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("figures", models.CharField(blank=True, max_length=500, verbose_name="比对数据")),
                ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="复核意见")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="复核日期")),
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
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="复核人",
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
                    "notice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.feedbacknotice",
                        verbose_name="反馈意见单",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportreview",
                        verbose_name="审核",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reviewpart",
                        verbose_name="审核部分",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告问题",
                "verbose_name_plural": "historical 执行报告问题",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPartResult",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("point", models.CharField(max_length=40, verbose_name="检查要点")),
                (
                    "result",
                    models.CharField(
                        choices=[("fine", "无问题"), ("problem", "存在问题"), ("not_applicable", "不涉及")],
                        max_length=20,
                        verbose_name="检查结果",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="说明")),
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
                    "part",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reviewpart",
                        verbose_name="审核部分",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查要点结果",
                "verbose_name_plural": "historical 检查要点结果",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReviewProblem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("point", models.CharField(max_length=40, verbose_name="检查要点")),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "problem_class",
                    models.CharField(
                        choices=[
                            ("procedural", "程序性问题（漏填、错填等）"),
                            ("substantive", "实质性问题（未按证排污等）"),
                        ],
                        max_length=12,
                        verbose_name="问题性质",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "系统提示待确认"),
                            ("dismissed", "不予采纳"),
                            ("open", "待整改"),
                            ("closed", "已整改"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("figures", models.CharField(blank=True, max_length=500, verbose_name="比对数据")),
                ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="复核意见")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="复核日期")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="复核人",
                    ),
                ),
                (
                    "notice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="problems",
                        to="permits.feedbacknotice",
                        verbose_name="反馈意见单",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="problems",
                        to="permits.reviewpart",
                        verbose_name="审核部分",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="problems",
                        to="permits.reportreview",
                        verbose_name="审核",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告问题",
                "verbose_name_plural": "执行报告问题",
                "ordering": ["part_id", "id"],
            },
        ),
        migrations.CreateModel(
            name="ReportLead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("missing", "未按规定提交执行报告"), ("problem", "执行报告问题移交")],
                        max_length=10,
                        verbose_name="线索类别",
                    ),
                ),
                ("detected_on", models.DateField(verbose_name="发现日期")),
                ("summary", models.CharField(max_length=500, verbose_name="线索内容")),
                ("task_number", models.CharField(blank=True, max_length=20, verbose_name="三监联动任务编号")),
                ("handed_over_on", models.DateField(blank=True, null=True, verbose_name="移交日期")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leads",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
                (
                    "problem",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lead",
                        to="permits.reviewproblem",
                        verbose_name="问题",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告线索",
                "verbose_name_plural": "执行报告线索",
                "ordering": ["-detected_on", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "missing")),
                        fields=("report",),
                        name="one_missing_lead_per_report",
                        violation_error_message="该执行报告已有逾期未报线索。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "missing"), ("problem__isnull", True)),
                            models.Q(("kind", "problem"), ("problem__isnull", False)),
                            _connector="OR",
                        ),
                        name="report_lead_problem_iff_kind",
                        violation_error_message="问题移交线索必须指明问题，逾期未报线索不指明问题。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalReportLead",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("missing", "未按规定提交执行报告"), ("problem", "执行报告问题移交")],
                        max_length=10,
                        verbose_name="线索类别",
                    ),
                ),
                ("detected_on", models.DateField(verbose_name="发现日期")),
                ("summary", models.CharField(max_length=500, verbose_name="线索内容")),
                ("task_number", models.CharField(blank=True, max_length=20, verbose_name="三监联动任务编号")),
                ("handed_over_on", models.DateField(blank=True, null=True, verbose_name="移交日期")),
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
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="排污单位",
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
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
                (
                    "problem",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reviewproblem",
                        verbose_name="问题",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告线索",
                "verbose_name_plural": "historical 执行报告线索",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReviewSample",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "period_type",
                    models.CharField(
                        choices=[("month", "月度"), ("quarter", "季度"), ("year", "年度")],
                        max_length=10,
                        verbose_name="报告类型",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="报告期起")),
                (
                    "share",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="抽查比例（%）",
                    ),
                ),
                ("seed", models.BigIntegerField(verbose_name="随机种子")),
                ("population", models.PositiveIntegerField(verbose_name="报告总数")),
                ("population_ids", models.JSONField(default=list, verbose_name="抽样总体")),
                ("drawn_on", models.DateField(verbose_name="抽取日期")),
                (
                    "drawn_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="抽取人",
                    ),
                ),
                (
                    "reports",
                    models.ManyToManyField(
                        related_name="samples", to="permits.executionreport", verbose_name="抽中的报告"
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="抽查科室",
                    ),
                ),
            ],
            options={
                "verbose_name": "执行报告抽查",
                "verbose_name_plural": "执行报告抽查",
                "ordering": ["-drawn_on", "-id"],
            },
        ),
        migrations.AddField(
            model_name="reportreview",
            name="sample",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reviews",
                to="permits.reviewsample",
                verbose_name="抽查批次",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalReportReview",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="审核轮次")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "审核中"), ("complete", "审核完成")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("opened_on", models.DateField(verbose_name="开始日期")),
                ("completed_on", models.DateField(blank=True, null=True, verbose_name="完成日期")),
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
                    "answers",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.feedbacknotice",
                        verbose_name="复核的反馈意见单",
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
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.executionreport",
                        verbose_name="执行报告",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportversion",
                        verbose_name="审核版本",
                    ),
                ),
                (
                    "sample",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reviewsample",
                        verbose_name="抽查批次",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执行报告审核",
                "verbose_name_plural": "historical 执行报告审核",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFacility",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("site_number", models.CharField(default="001", max_length=3, verbose_name="污染源序号")),
                ("source_code", models.CharField(db_index=True, max_length=21, verbose_name="污染源编码")),
                (
                    "credit_code",
                    models.CharField(db_index=True, max_length=18, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="生产经营场所地址")),
                ("industry_code", models.CharField(max_length=4, verbose_name="行业类别代码")),
                ("industry_name", models.CharField(max_length=100, verbose_name="行业类别")),
                (
                    "management_level",
                    models.CharField(
                        choices=[("key", "重点管理"), ("simplified", "简化管理"), ("registered", "登记管理")],
                        max_length=12,
                        verbose_name="管理类别",
                    ),
                ),
                ("contact_person", models.CharField(blank=True, max_length=50, verbose_name="联系人")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="联系电话")),
                (
                    "eia_document_no",
                    models.CharField(blank=True, max_length=100, verbose_name="环评批复文号"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("operating", "在产"), ("halted", "停产"), ("closed", "关闭")],
                        default="operating",
                        max_length=10,
                        verbose_name="生产状态",
                    ),
                ),
                ("is_key_regulated", models.BooleanField(default=False, verbose_name="环境监管重点单位")),
                ("is_confidential", models.BooleanField(default=False, verbose_name="涉及国家秘密")),
                (
                    "risk_level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未评估"),
                            ("general", "一般环境风险"),
                            ("moderate", "较大环境风险"),
                            ("major", "重大环境风险"),
                        ],
                        max_length=10,
                        verbose_name="环境风险等级",
                    ),
                ),
                ("has_auto_monitoring", models.BooleanField(default=False, verbose_name="安装自动监控")),
                (
                    "in_environmental_statistics",
                    models.BooleanField(default=False, verbose_name="纳入环境统计"),
                ),
                (
                    "credit_rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未评价"),
                            ("excellent", "环保诚信"),
                            ("good", "环保良好"),
                            ("warning", "环保警示"),
                            ("dishonest", "环保不良"),
                        ],
                        max_length=10,
                        verbose_name="环境信用评价",
                    ),
                ),
                ("credit_rated_on", models.DateField(blank=True, null=True, verbose_name="信用评价日期")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="建档时间")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
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
                    "town",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.town",
                        verbose_name="所属街镇",
                    ),
                ),
                (
                    "key_industry",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.keyindustry",
                        verbose_name="重点行业",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 排污单位",
                "verbose_name_plural": "historical 排污单位",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="UnlicensedDischargeLead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("expired_on", models.DateField(verbose_name="许可证失效日期")),
                (
                    "case",
                    models.CharField(
                        choices=[
                            ("expired", "有效期届满未申请延续"),
                            ("renewal_undecided", "延续申请到期时尚未批准"),
                            ("renewal_refused", "延续申请未获批准"),
                            ("cancelled", "许可证被注销"),
                            ("withdrawn", "许可证被撤销"),
                            ("revoked", "许可证被吊销"),
                        ],
                        default="expired",
                        max_length=20,
                        verbose_name="情形",
                    ),
                ),
                ("detected_on", models.DateField(verbose_name="发现日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "待移交"), ("handed_over", "已移交执法大队"), ("closed", "已办结")],
                        default="open",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                ("handed_over_on", models.DateField(blank=True, null=True, verbose_name="移交日期")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leads",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leads",
                        to="permits.permit",
                        verbose_name="失效许可证",
                    ),
                ),
            ],
            options={
                "verbose_name": "无证排污线索",
                "verbose_name_plural": "无证排污线索",
                "ordering": ["-detected_on"],
                "constraints": [
                    models.UniqueConstraint(fields=("permit", "expired_on"), name="lead_once_per_expiry")
                ],
            },
        ),
        migrations.CreateModel(
            name="ImportRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_number", models.PositiveIntegerField(verbose_name="行号")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("new", "新增"),
                            ("changed", "变更"),
                            ("unchanged", "无变化"),
                            ("rejected", "不予导入"),
                        ],
                        max_length=10,
                        verbose_name="分类",
                    ),
                ),
                ("credit_code", models.CharField(blank=True, max_length=60, verbose_name="统一社会信用代码")),
                ("name", models.CharField(blank=True, max_length=300, verbose_name="单位名称")),
                ("values", models.JSONField(default=dict, verbose_name="解析后的数据")),
                ("changes", models.JSONField(default=list, verbose_name="变更内容")),
                ("reasons", models.JSONField(default=list, verbose_name="不予导入原因")),
                ("is_stale", models.BooleanField(default=False, verbose_name="预览后数据已变化")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="permits.importbatch",
                        verbose_name="导入批次",
                    ),
                ),
            ],
            options={
                "verbose_name": "导入数据行",
                "verbose_name_plural": "导入数据行",
                "ordering": ["batch_id", "row_number"],
                "indexes": [
                    models.Index(
                        fields=["batch", "kind", "row_number"], name="permits_imp_batch_i_e96e09_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "row_number"), name="import_row_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="EmissionLimit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pollutant", models.CharField(max_length=50, verbose_name="污染物")),
                (
                    "concentration",
                    models.DecimalField(
                        blank=True, decimal_places=3, max_digits=12, null=True, verbose_name="许可排放浓度"
                    ),
                ),
                ("unit", models.CharField(default="mg/m³", max_length=20, verbose_name="浓度单位")),
                (
                    "annual_quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=14,
                        null=True,
                        verbose_name="年许可排放量（吨）",
                    ),
                ),
                (
                    "outlet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="limits",
                        to="permits.outlet",
                        verbose_name="排放口",
                    ),
                ),
            ],
            options={
                "verbose_name": "许可排放限值",
                "verbose_name_plural": "许可排放限值",
                "ordering": ["outlet_id", "pollutant"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("outlet", "pollutant"),
                        name="limit_once_per_pollutant",
                        violation_error_message="该排放口已有此污染物的限值。",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="outlet",
            constraint=models.UniqueConstraint(
                fields=("permit", "code"),
                name="outlet_code_unique",
                violation_error_message="该许可证已有此排放口编号。",
            ),
        ),
        migrations.AddIndex(
            model_name="executionreport",
            index=models.Index(fields=["period_type", "period_start"], name="permits_exe_period__b15404_idx"),
        ),
        migrations.AddConstraint(
            model_name="executionreport",
            constraint=models.UniqueConstraint(
                fields=("permit", "period_type", "period_start"),
                name="report_once_per_permit_period",
                violation_error_message="该许可证已有该报告期的执行报告。",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportreview",
            constraint=models.UniqueConstraint(
                fields=("report", "round"),
                name="review_round_unique",
                violation_error_message="该执行报告已有这一轮审核。",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportreview",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "open")),
                fields=("report",),
                name="one_open_review_per_report",
                violation_error_message="该执行报告已有进行中的审核。",
            ),
        ),
        migrations.RunPython(key_industries, migrations.RunPython.noop),
    ]
