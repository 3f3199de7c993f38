"""Every migration of this app up to 0008_history_reason_whole, in one, for a database made from nothing.

``manage.py migrate`` on an empty database took four minutes, nearly all of it Django re-rendering every model
(all are tied together through the user) after each small operation of the 61 migrations. A database that has
applied some of this app's goes on with them one by one as before; one that has applied all counts this one as
applied. Made with ``makemigrations`` from the models, indexes and constraints folded into their models; the
schema it makes was compared with the one the old migrations make (columns, constraints, indexes) on SQLite
and PostgreSQL and is the same. The checklists of seed 003 are published as 0002 published them."""

from decimal import Decimal
from importlib import import_module

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def standard_checklists(apps, schema_editor):
    import_module("inspections.migrations.0002_standard_checklists").seed(apps, schema_editor)


class Migration(migrations.Migration):
    replaces = [
        ("inspections", "0001_initial"),
        ("inspections", "0002_standard_checklists"),
        ("inspections", "0003_facility_as_signed"),
        ("inspections", "0004_planning_and_draws"),
        ("inspections", "0005_plan_settings_directions"),
        ("inspections", "0006_draw_officer_change"),
        ("inspections", "0007_conduct"),
        ("inspections", "0008_history_reason_whole"),
    ]

    initial = True

    dependencies = [
        ("bureau", "0008_history_reason_whole"),
        ("complaints", "0004_history_reason_whole"),
        ("linkage", "0008_history_reason_whole"),
        ("permits", "0001_squashed_0022_history_reason_whole"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChecklistPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("title", models.CharField(max_length=100, verbose_name="部分名称")),
            ],
            options={
                "verbose_name": "检查清单部分",
                "verbose_name_plural": "检查清单部分",
                "ordering": ["version", "order"],
            },
        ),
        migrations.CreateModel(
            name="AnnualPlan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年度")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "草稿"), ("adopted", "已纳入年度执法计划")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("computed_at", models.DateTimeField(blank=True, null=True, verbose_name="最近计算时间")),
                ("facility_count", models.PositiveIntegerField(default=0, verbose_name="纳入单位数")),
                ("registered_count", models.PositiveIntegerField(default=0, verbose_name="登记管理单位数")),
                (
                    "registered_sample",
                    models.PositiveIntegerField(default=0, verbose_name="登记管理单位应抽查数"),
                ),
                ("totals", models.JSONField(blank=True, default=dict, verbose_name="应检次数（按管理类别）")),
                ("adopted_at", models.DateTimeField(blank=True, null=True, verbose_name="纳入时间")),
                (
                    "document_no",
                    models.CharField(blank=True, max_length=100, verbose_name="年度执法计划文号"),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                (
                    "adopted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="纳入人",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度检查计划",
                "verbose_name_plural": "年度检查计划",
                "ordering": ["-year"],
            },
        ),
        migrations.CreateModel(
            name="Case",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, unique=True, verbose_name="案件编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("opened_on", models.DateField(verbose_name="立案日期")),
                ("summary", models.CharField(max_length=300, verbose_name="案由")),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("investigating", "调查取证"),
                            ("under_review", "法制审核中"),
                            ("reviewed", "审核通过，待决定"),
                            ("decided", "已决定"),
                        ],
                        db_index=True,
                        default="investigating",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("submitted_on", models.DateField(blank=True, null=True, verbose_name="提请法制审核日期")),
                (
                    "proposed_decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("penalty", "行政处罚"),
                            ("no_penalty", "不予行政处罚"),
                            ("transfer", "移送公安机关"),
                        ],
                        max_length=20,
                        verbose_name="拟处理意见",
                    ),
                ),
                ("proposal", models.TextField(blank=True, verbose_name="调查终结报告及拟处理意见")),
                ("review_opinion", models.TextField(blank=True, verbose_name="法制审核意见")),
                ("reviewed_on", models.DateField(blank=True, null=True, verbose_name="法制审核日期")),
                ("review_rounds", models.PositiveSmallIntegerField(default=0, verbose_name="审核轮次")),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("penalty", "行政处罚"),
                            ("no_penalty", "不予行政处罚"),
                            ("transfer", "移送公安机关"),
                        ],
                        max_length=20,
                        verbose_name="处理决定",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="决定日期")),
                ("decision_no", models.CharField(blank=True, max_length=100, verbose_name="决定书文号")),
                (
                    "penalty_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款金额（元）"
                    ),
                ),
                ("revokes_permit", models.BooleanField(default=False, verbose_name="吊销排污许可证")),
                (
                    "no_penalty_ground",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registration_not_filed", "未依法填报排污许可登记表"),
                            ("ledger_incomplete", "环境管理台账记录数据不全"),
                            ("report_not_submitted", "未按规定提交排污许可证执行报告"),
                            ("info_not_disclosed", "未按规定公开信息"),
                        ],
                        max_length=30,
                        verbose_name="不予处罚情形",
                    ),
                ),
                ("legal_basis", models.TextField(blank=True, verbose_name="法律依据")),
                ("corrected_on", models.DateField(blank=True, null=True, verbose_name="改正日期")),
                (
                    "police_office",
                    models.CharField(blank=True, max_length=100, verbose_name="接收的公安机关"),
                ),
                ("transferred_on", models.DateField(blank=True, null=True, verbose_name="移送日期")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="立案人",
                    ),
                ),
                (
                    "penalty_record",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.penaltyrecord",
                        verbose_name="行政处罚记录",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="吊销的许可证",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="法制审核人",
                    ),
                ),
            ],
            options={
                "verbose_name": "案件",
                "verbose_name_plural": "案件",
                "ordering": ["-opened_on", "-id"],
                "permissions": [("review_case", "法制审核该案件")],
                "constraints": [
                    models.UniqueConstraint(fields=("year", "sequence"), name="case_number_sequence")
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseOfficer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("certificate_no", models.CharField(max_length=30, verbose_name="执法证号")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="officers",
                        to="inspections.case",
                        verbose_name="案件",
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "案件承办人员",
                "verbose_name_plural": "案件承办人员",
                "ordering": ["case", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("case", "officer"), name="case_officer_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="Checklist",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="代码")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "applies_to",
                    models.CharField(
                        choices=[
                            ("permit_holders", "持证单位（重点管理、简化管理）"),
                            ("registered", "排污登记单位"),
                            ("key_industry", "重点行业持证单位"),
                        ],
                        max_length=20,
                        verbose_name="适用对象",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
                (
                    "key_industry",
                    models.ForeignKey(
                        blank=True,
                        help_text="适用对象为重点行业时填写：该行业的持证单位优先使用本清单。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.keyindustry",
                        verbose_name="重点行业",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查清单",
                "verbose_name_plural": "检查清单",
                "ordering": ["applies_to", "code"],
            },
        ),
        migrations.CreateModel(
            name="ChecklistPoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("code", models.CharField(max_length=10, verbose_name="编号")),
                ("text", models.TextField(verbose_name="检查要点")),
                ("legal_basis", models.CharField(blank=True, max_length=300, verbose_name="法律依据")),
                (
                    "permit_data",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("permit", "许可证信息"),
                            ("outlets", "排放口"),
                            ("limits", "许可排放限值"),
                            ("monitoring", "自行监测要求"),
                            ("registration", "排污登记信息"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="对应许可信息",
                    ),
                ),
                (
                    "finding_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="不符合时的违法类别（建议）",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="points",
                        to="inspections.checklistpart",
                        verbose_name="部分",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查要点",
                "verbose_name_plural": "检查要点",
                "ordering": ["version", "part__order", "order"],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "verdict",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未填"),
                            ("compliant", "符合"),
                            ("noncompliant", "不符合"),
                            ("not_applicable", "不适用"),
                        ],
                        max_length=20,
                        verbose_name="检查结论",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="情况说明")),
                (
                    "finding_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="违法类别",
                    ),
                ),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未定"),
                            ("on_the_spot", "立整立改"),
                            ("rectification", "限期整改"),
                            ("case", "立案查处"),
                        ],
                        max_length=20,
                        verbose_name="处理方式",
                    ),
                ),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "deadline_workdays",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="整改时限（工作日）"
                    ),
                ),
                (
                    "responsible_person",
                    models.CharField(blank=True, max_length=50, verbose_name="整改责任人"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="保存时间")),
                (
                    "updated_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="填写人",
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.checklistpoint",
                        verbose_name="检查要点",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查结论",
                "verbose_name_plural": "检查结论",
                "ordering": ["inspection", "point__part__order", "point__order"],
            },
        ),
        migrations.CreateModel(
            name="ChecklistVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="版本号")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "草稿"), ("published", "现行"), ("retired", "已停用")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="修订说明")),
                ("published_on", models.DateField(blank=True, null=True, verbose_name="发布日期")),
                (
                    "checklist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="inspections.checklist",
                        verbose_name="检查清单",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发布人",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查清单版本",
                "verbose_name_plural": "检查清单版本",
                "ordering": ["checklist", "-number"],
                "constraints": [
                    models.UniqueConstraint(fields=("checklist", "number"), name="checklist_version_number"),
                    models.UniqueConstraint(
                        condition=models.Q(("state", "published")),
                        fields=("checklist",),
                        name="checklist_one_published_version",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("state", "draft")),
                        fields=("checklist",),
                        name="checklist_one_draft_version",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="checklistpoint",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="points",
                to="inspections.checklistversion",
                verbose_name="版本",
            ),
        ),
        migrations.AddField(
            model_name="checklistpart",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="parts",
                to="inspections.checklistversion",
                verbose_name="版本",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalAnnualPlan",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="年度")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "草稿"), ("adopted", "已纳入年度执法计划")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("computed_at", models.DateTimeField(blank=True, null=True, verbose_name="最近计算时间")),
                ("facility_count", models.PositiveIntegerField(default=0, verbose_name="纳入单位数")),
                ("registered_count", models.PositiveIntegerField(default=0, verbose_name="登记管理单位数")),
                (
                    "registered_sample",
                    models.PositiveIntegerField(default=0, verbose_name="登记管理单位应抽查数"),
                ),
                ("totals", models.JSONField(blank=True, default=dict, verbose_name="应检次数（按管理类别）")),
                ("adopted_at", models.DateTimeField(blank=True, null=True, verbose_name="纳入时间")),
                (
                    "document_no",
                    models.CharField(blank=True, max_length=100, verbose_name="年度执法计划文号"),
                ),
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
                    "adopted_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="纳入人",
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
                "verbose_name": "historical 年度检查计划",
                "verbose_name_plural": "historical 年度检查计划",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCase",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="案件编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("opened_on", models.DateField(verbose_name="立案日期")),
                ("summary", models.CharField(max_length=300, verbose_name="案由")),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("investigating", "调查取证"),
                            ("under_review", "法制审核中"),
                            ("reviewed", "审核通过，待决定"),
                            ("decided", "已决定"),
                        ],
                        db_index=True,
                        default="investigating",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("submitted_on", models.DateField(blank=True, null=True, verbose_name="提请法制审核日期")),
                (
                    "proposed_decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("penalty", "行政处罚"),
                            ("no_penalty", "不予行政处罚"),
                            ("transfer", "移送公安机关"),
                        ],
                        max_length=20,
                        verbose_name="拟处理意见",
                    ),
                ),
                ("proposal", models.TextField(blank=True, verbose_name="调查终结报告及拟处理意见")),
                ("review_opinion", models.TextField(blank=True, verbose_name="法制审核意见")),
                ("reviewed_on", models.DateField(blank=True, null=True, verbose_name="法制审核日期")),
                ("review_rounds", models.PositiveSmallIntegerField(default=0, verbose_name="审核轮次")),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("penalty", "行政处罚"),
                            ("no_penalty", "不予行政处罚"),
                            ("transfer", "移送公安机关"),
                        ],
                        max_length=20,
                        verbose_name="处理决定",
                    ),
                ),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="决定日期")),
                ("decision_no", models.CharField(blank=True, max_length=100, verbose_name="决定书文号")),
                (
                    "penalty_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款金额（元）"
                    ),
                ),
                ("revokes_permit", models.BooleanField(default=False, verbose_name="吊销排污许可证")),
                (
                    "no_penalty_ground",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("registration_not_filed", "未依法填报排污许可登记表"),
                            ("ledger_incomplete", "环境管理台账记录数据不全"),
                            ("report_not_submitted", "未按规定提交排污许可证执行报告"),
                            ("info_not_disclosed", "未按规定公开信息"),
                        ],
                        max_length=30,
                        verbose_name="不予处罚情形",
                    ),
                ),
                ("legal_basis", models.TextField(blank=True, verbose_name="法律依据")),
                ("corrected_on", models.DateField(blank=True, null=True, verbose_name="改正日期")),
                (
                    "police_office",
                    models.CharField(blank=True, max_length=100, verbose_name="接收的公安机关"),
                ),
                ("transferred_on", models.DateField(blank=True, null=True, verbose_name="移送日期")),
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
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="立案人",
                    ),
                ),
                (
                    "penalty_record",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.penaltyrecord",
                        verbose_name="行政处罚记录",
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
                        verbose_name="吊销的许可证",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="法制审核人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 案件",
                "verbose_name_plural": "historical 案件",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCaseOfficer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("certificate_no", models.CharField(max_length=30, verbose_name="执法证号")),
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
                    "officer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 案件承办人员",
                "verbose_name_plural": "historical 案件承办人员",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChecklist",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.SlugField(max_length=40, verbose_name="代码")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "applies_to",
                    models.CharField(
                        choices=[
                            ("permit_holders", "持证单位（重点管理、简化管理）"),
                            ("registered", "排污登记单位"),
                            ("key_industry", "重点行业持证单位"),
                        ],
                        max_length=20,
                        verbose_name="适用对象",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
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
                    "key_industry",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="适用对象为重点行业时填写：该行业的持证单位优先使用本清单。",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.keyindustry",
                        verbose_name="重点行业",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查清单",
                "verbose_name_plural": "historical 检查清单",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChecklistPart",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("title", models.CharField(max_length=100, verbose_name="部分名称")),
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
                    "version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.checklistversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查清单部分",
                "verbose_name_plural": "historical 检查清单部分",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChecklistPoint",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("code", models.CharField(max_length=10, verbose_name="编号")),
                ("text", models.TextField(verbose_name="检查要点")),
                ("legal_basis", models.CharField(blank=True, max_length=300, verbose_name="法律依据")),
                (
                    "permit_data",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("permit", "许可证信息"),
                            ("outlets", "排放口"),
                            ("limits", "许可排放限值"),
                            ("monitoring", "自行监测要求"),
                            ("registration", "排污登记信息"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="对应许可信息",
                    ),
                ),
                (
                    "finding_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="不符合时的违法类别（建议）",
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
                    "part",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.checklistpart",
                        verbose_name="部分",
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
                        to="inspections.checklistversion",
                        verbose_name="版本",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查要点",
                "verbose_name_plural": "historical 检查要点",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChecklistVersion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.PositiveIntegerField(verbose_name="版本号")),
                (
                    "state",
                    models.CharField(
                        choices=[("draft", "草稿"), ("published", "现行"), ("retired", "已停用")],
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="修订说明")),
                ("published_on", models.DateField(blank=True, null=True, verbose_name="发布日期")),
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
                    "checklist",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.checklist",
                        verbose_name="检查清单",
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
                        verbose_name="发布人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查清单版本",
                "verbose_name_plural": "historical 检查清单版本",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMonthPlan",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "month",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                        verbose_name="月份",
                    ),
                ),
                ("made_at", models.DateTimeField(blank=True, editable=False, verbose_name="生成时间")),
                ("item_count", models.PositiveIntegerField(default=0, verbose_name="事项数")),
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
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="空表示系统按月自动生成。",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 月度检查计划",
                "verbose_name_plural": "historical 月度检查计划",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOfficerConflict",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="回避事由")),
                ("declared_on", models.DateField(verbose_name="申报日期")),
                ("is_active", models.BooleanField(default=True, verbose_name="有效")),
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
                        verbose_name="回避单位",
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
                    "officer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
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
                    "town",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.town",
                        verbose_name="本人所在街镇",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执法人员回避",
                "verbose_name_plural": "historical 执法人员回避",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPlanSettings",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "positive_list_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.5"),
                        help_text="列入执法正面清单的单位检查频次乘以该系数（不大于 1）。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0.1"),
                                message="正面清单系数应在 0.1–1 之间：该因素只能减少检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("1"),
                                message="正面清单系数应在 0.1–1 之间：该因素只能减少检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="正面清单系数",
                    ),
                ),
                (
                    "violation_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("2"),
                        help_text="上一年度有行政处罚或检查发现问题的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="违法记录系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="违法记录系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="违法记录系数",
                    ),
                ),
                (
                    "complaint_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1.5"),
                        help_text="上一年度有属实信访投诉的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="信访投诉系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="信访投诉系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="信访投诉系数",
                    ),
                ),
                (
                    "high_risk_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1.5"),
                        help_text="环境风险等级为重大的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="高环境风险系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="高环境风险系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="高环境风险系数",
                    ),
                ),
                (
                    "poor_credit_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("2"),
                        help_text="环境信用评价为警示或不良的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="信用较差系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="信用较差系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="信用较差系数",
                    ),
                ),
                (
                    "routine_cap",
                    models.PositiveSmallIntegerField(
                        default=4,
                        help_text="年度计划检查与双随机抽查合计；信访投诉、线索、案件复查等触发的检查不受此限。",
                        validators=[
                            django.core.validators.MinValueValidator(
                                2,
                                message="年度例行现场检查上限不能少于 2 次：重点管理单位每半年至少检查一次（R-INS-3）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                12, message="年度例行现场检查上限不能超过 12 次。"
                            ),
                        ],
                        verbose_name="每家单位年度例行现场检查上限",
                    ),
                ),
                (
                    "registered_share",
                    models.PositiveSmallIntegerField(
                        default=20,
                        help_text="不低于 20%（003 第六条），向上取整。",
                        validators=[
                            django.core.validators.MinValueValidator(
                                20, message="登记管理单位年度抽查比例不能低于 20%%（003 第六条）。"
                            ),
                            django.core.validators.MaxValueValidator(100, message="抽查比例不能超过 100%%。"),
                        ],
                        verbose_name="登记管理单位年度抽查比例（%）",
                    ),
                ),
                (
                    "due_soon_workdays",
                    models.PositiveSmallIntegerField(
                        default=10,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="临期提醒（工作日）",
                    ),
                ),
                (
                    "draw_exclude_recent_days",
                    models.PositiveSmallIntegerField(
                        default=180,
                        help_text="0 表示不排除。",
                        validators=[django.core.validators.MaxValueValidator(730)],
                        verbose_name="抽查排除近期已检查单位（天）",
                    ),
                ),
                (
                    "draw_exclude_positive_list",
                    models.BooleanField(default=True, verbose_name="抽查排除正面清单单位"),
                ),
                (
                    "draw_avoid_own_town",
                    models.BooleanField(
                        default=False,
                        help_text="执法人员登记了所在街镇的，不派往该街镇的单位。",
                        verbose_name="执法人员回避本人所在街镇",
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
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="最后修改人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查计划设置",
                "verbose_name_plural": "historical 检查计划设置",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRandomDraw",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="抽查编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("title", models.CharField(max_length=200, verbose_name="抽查事项")),
                (
                    "mode",
                    models.CharField(
                        choices=[("on_site", "现场检查"), ("remote", "远程核查")],
                        default="on_site",
                        max_length=10,
                        verbose_name="检查方式",
                    ),
                ),
                ("levels", models.JSONField(default=list, verbose_name="管理类别")),
                ("towns", models.JSONField(blank=True, default=list, verbose_name="街镇（代码）")),
                (
                    "industry_prefixes",
                    models.JSONField(blank=True, default=list, verbose_name="行业类别代码（前缀）"),
                ),
                (
                    "exclude_recent_days",
                    models.PositiveSmallIntegerField(default=0, verbose_name="排除近期已检查（天）"),
                ),
                (
                    "exclude_positive_list",
                    models.BooleanField(default=False, verbose_name="排除正面清单单位"),
                ),
                (
                    "avoid_own_town",
                    models.BooleanField(default=False, verbose_name="执法人员回避本人所在街镇"),
                ),
                (
                    "sample_percent",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="抽取比例（%）"),
                ),
                ("sample_size", models.PositiveIntegerField(default=0, verbose_name="抽取数量")),
                (
                    "inspect_from",
                    models.DateField(help_text="抽取结果在此日起公开。", verbose_name="检查开始日期"),
                ),
                ("inspect_until", models.DateField(verbose_name="检查截止日期")),
                ("pool_text", models.TextField(verbose_name="抽取池文件")),
                ("pool_hash", models.CharField(max_length=64, verbose_name="抽取池指纹（SHA-256）")),
                ("unit_count", models.PositiveIntegerField(verbose_name="抽取池单位数")),
                ("officer_count", models.PositiveIntegerField(verbose_name="执法人员库人数")),
                ("commitment", models.CharField(max_length=64, verbose_name="随机种子承诺值（SHA-256）")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("committed", "已公示，待抽取"),
                            ("drawn", "已抽取"),
                            ("cancelled", "已作废"),
                        ],
                        default="committed",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="公示时间")),
                ("drawn_at", models.DateTimeField(blank=True, null=True, verbose_name="抽取时间")),
                ("cancel_reason", models.CharField(blank=True, max_length=300, verbose_name="作废原因")),
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
                    "created_by",
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
            ],
            options={
                "verbose_name": "historical 双随机抽查",
                "verbose_name_plural": "historical 双随机抽查",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Inspection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, unique=True, verbose_name="检查编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("inspected_on", models.DateField(db_index=True, verbose_name="检查日期")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("random_draw", "双随机抽查"),
                            ("new_permit", "新发证检查"),
                            ("routine_plan", "年度计划检查"),
                            ("complaint", "信访投诉"),
                            ("linkage_task", "三监联动任务"),
                            ("report_lead", "执行报告线索"),
                            ("campaign", "专项行动"),
                            ("follow_up", "整改复查"),
                        ],
                        max_length=20,
                        verbose_name="检查事由",
                    ),
                ),
                (
                    "source_reference",
                    models.CharField(
                        blank=True,
                        help_text="抽查批次、年度计划或专项行动的名称与文号。",
                        max_length=200,
                        verbose_name="来源说明",
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("on_site", "现场检查"), ("remote", "远程核查")],
                        default="on_site",
                        max_length=10,
                        verbose_name="检查方式",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "填写中"),
                            ("signing", "待其他检查人员签名"),
                            ("signed", "已签署"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "representative_name",
                    models.CharField(blank=True, max_length=50, verbose_name="企业现场负责人"),
                ),
                ("representative_title", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                ("summary", models.TextField(blank=True, verbose_name="检查情况小结")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="签署完成时间")),
                (
                    "record_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="检查记录哈希（SHA-256）"),
                ),
                (
                    "facility_name",
                    models.CharField(blank=True, max_length=200, verbose_name="签署时的单位名称"),
                ),
                (
                    "facility_source_code",
                    models.CharField(blank=True, max_length=21, verbose_name="签署时的污染源编码"),
                ),
                (
                    "facility_address",
                    models.CharField(blank=True, max_length=300, verbose_name="签署时的生产经营场所地址"),
                ),
                (
                    "checklist_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="inspections",
                        to="inspections.checklistversion",
                        verbose_name="检查清单版本",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="complaints.complaint",
                        verbose_name="信访投诉",
                    ),
                ),
                (
                    "created_by",
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
                        related_name="inspections",
                        to="permits.facility",
                        verbose_name="排污单位",
                    ),
                ),
                (
                    "follow_up_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="follow_ups",
                        to="inspections.inspection",
                        verbose_name="复查的检查",
                    ),
                ),
                (
                    "linkage_task",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="linkage.linkagetask",
                        verbose_name="三监联动任务",
                    ),
                ),
                (
                    "permit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.permit",
                        verbose_name="新发许可证",
                    ),
                ),
                (
                    "report_lead",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.reportlead",
                        verbose_name="执行报告线索",
                    ),
                ),
            ],
            options={
                "verbose_name": "现场检查",
                "verbose_name_plural": "现场检查",
                "ordering": ["-inspected_on", "-id"],
                "permissions": [("conduct_inspection", "作为检查人员填写并签署该次检查")],
                "constraints": [
                    models.UniqueConstraint(fields=("year", "sequence"), name="inspection_number_sequence")
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalInspectionOfficer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("certificate_no", models.CharField(max_length=30, verbose_name="执法证号")),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="签名时间")),
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
                    "officer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查人员",
                "verbose_name_plural": "historical 检查人员",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalInspection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="检查编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("inspected_on", models.DateField(db_index=True, verbose_name="检查日期")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("random_draw", "双随机抽查"),
                            ("new_permit", "新发证检查"),
                            ("routine_plan", "年度计划检查"),
                            ("complaint", "信访投诉"),
                            ("linkage_task", "三监联动任务"),
                            ("report_lead", "执行报告线索"),
                            ("campaign", "专项行动"),
                            ("follow_up", "整改复查"),
                        ],
                        max_length=20,
                        verbose_name="检查事由",
                    ),
                ),
                (
                    "source_reference",
                    models.CharField(
                        blank=True,
                        help_text="抽查批次、年度计划或专项行动的名称与文号。",
                        max_length=200,
                        verbose_name="来源说明",
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("on_site", "现场检查"), ("remote", "远程核查")],
                        default="on_site",
                        max_length=10,
                        verbose_name="检查方式",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("draft", "填写中"),
                            ("signing", "待其他检查人员签名"),
                            ("signed", "已签署"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "representative_name",
                    models.CharField(blank=True, max_length=50, verbose_name="企业现场负责人"),
                ),
                ("representative_title", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                ("summary", models.TextField(blank=True, verbose_name="检查情况小结")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="签署完成时间")),
                (
                    "record_hash",
                    models.CharField(blank=True, max_length=64, verbose_name="检查记录哈希（SHA-256）"),
                ),
                (
                    "facility_name",
                    models.CharField(blank=True, max_length=200, verbose_name="签署时的单位名称"),
                ),
                (
                    "facility_source_code",
                    models.CharField(blank=True, max_length=21, verbose_name="签署时的污染源编码"),
                ),
                (
                    "facility_address",
                    models.CharField(blank=True, max_length=300, verbose_name="签署时的生产经营场所地址"),
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
                    "checklist_version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.checklistversion",
                        verbose_name="检查清单版本",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="complaints.complaint",
                        verbose_name="信访投诉",
                    ),
                ),
                (
                    "created_by",
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
                    "linkage_task",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="linkage.linkagetask",
                        verbose_name="三监联动任务",
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
                        verbose_name="新发许可证",
                    ),
                ),
                (
                    "report_lead",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.reportlead",
                        verbose_name="执行报告线索",
                    ),
                ),
                (
                    "follow_up_of",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.inspection",
                        verbose_name="复查的检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 现场检查",
                "verbose_name_plural": "historical 现场检查",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFinding",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("found_on", models.DateField(verbose_name="发现日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="违法类别",
                    ),
                ),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "disposition",
                    models.CharField(
                        choices=[
                            ("", "未定"),
                            ("on_the_spot", "立整立改"),
                            ("rectification", "限期整改"),
                            ("case", "立案查处"),
                        ],
                        max_length=20,
                        verbose_name="处理方式",
                    ),
                ),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "处理中"), ("closed", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                ("closing_note", models.CharField(blank=True, max_length=300, verbose_name="办结说明")),
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
                    "answer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.answer",
                        verbose_name="检查结论",
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
                    "linkage_task",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="linkage.linkagetask",
                        verbose_name="三监联动任务",
                    ),
                ),
                (
                    "rectification",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="permits.rectificationitem",
                        verbose_name="整改台账问题",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查发现问题",
                "verbose_name_plural": "historical 检查发现问题",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAnswer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "verdict",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未填"),
                            ("compliant", "符合"),
                            ("noncompliant", "不符合"),
                            ("not_applicable", "不适用"),
                        ],
                        max_length=20,
                        verbose_name="检查结论",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="情况说明")),
                (
                    "finding_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="违法类别",
                    ),
                ),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "未定"),
                            ("on_the_spot", "立整立改"),
                            ("rectification", "限期整改"),
                            ("case", "立案查处"),
                        ],
                        max_length=20,
                        verbose_name="处理方式",
                    ),
                ),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "deadline_workdays",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="整改时限（工作日）"
                    ),
                ),
                (
                    "responsible_person",
                    models.CharField(blank=True, max_length=50, verbose_name="整改责任人"),
                ),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="保存时间")),
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
                    "point",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.checklistpoint",
                        verbose_name="检查要点",
                    ),
                ),
                (
                    "updated_by",
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
                    "inspection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 检查结论",
                "verbose_name_plural": "historical 检查结论",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Finding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("found_on", models.DateField(verbose_name="发现日期")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("unlicensed", "无证排污行为"),
                            ("permit_violation", "违反排污许可证行为"),
                            ("self_monitoring", "违反自行监测要求的行为"),
                            ("other_duties", "违反其他环境管理要求的行为"),
                        ],
                        max_length=20,
                        verbose_name="违法类别",
                    ),
                ),
                ("description", models.TextField(verbose_name="问题描述")),
                (
                    "disposition",
                    models.CharField(
                        choices=[
                            ("", "未定"),
                            ("on_the_spot", "立整立改"),
                            ("rectification", "限期整改"),
                            ("case", "立案查处"),
                        ],
                        max_length=20,
                        verbose_name="处理方式",
                    ),
                ),
                (
                    "conduct",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "无"),
                            ("secret_discharge", "恶意偷排"),
                            ("tampering", "篡改台账记录"),
                            ("evading", "逃避监管"),
                        ],
                        max_length=20,
                        verbose_name="恶意偷排等行为",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "处理中"), ("closed", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                ("closing_note", models.CharField(blank=True, max_length=300, verbose_name="办结说明")),
                (
                    "answer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="finding",
                        to="inspections.answer",
                        verbose_name="检查结论",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="findings",
                        to="inspections.case",
                        verbose_name="案件",
                    ),
                ),
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
                    "linkage_task",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="linkage.linkagetask",
                        verbose_name="三监联动任务",
                    ),
                ),
                (
                    "rectification",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.rectificationitem",
                        verbose_name="整改台账问题",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="findings",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查发现问题",
                "verbose_name_plural": "检查发现问题",
                "ordering": ["-found_on", "-id"],
            },
        ),
        migrations.AddField(
            model_name="answer",
            name="inspection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="inspections.inspection",
                verbose_name="现场检查",
            ),
        ),
        migrations.CreateModel(
            name="Amendment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("field", models.CharField(max_length=50, verbose_name="更正事项")),
                ("before", models.TextField(blank=True, verbose_name="原记载")),
                ("after", models.TextField(verbose_name="更正为")),
                ("reason", models.TextField(verbose_name="更正理由")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="更正时间")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="更正人",
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.checklistpoint",
                        verbose_name="检查要点",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="amendments",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查记录更正",
                "verbose_name_plural": "检查记录更正",
                "ordering": ["inspection", "created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="InspectionOfficer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("certificate_no", models.CharField(max_length=30, verbose_name="执法证号")),
                ("order", models.PositiveSmallIntegerField(verbose_name="序号")),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="签名时间")),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="officers",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查人员",
                "verbose_name_plural": "检查人员",
                "ordering": ["inspection", "order"],
                "constraints": [
                    models.UniqueConstraint(fields=("inspection", "officer"), name="inspection_officer_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="InterferenceRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("occurred_on", models.DateField(verbose_name="发生日期")),
                ("interferer", models.CharField(max_length=200, verbose_name="干预人（姓名、单位、职务）")),
                ("method", models.CharField(max_length=100, verbose_name="干预方式")),
                ("detail", models.TextField(verbose_name="干预情况")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="记录时间")),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.case",
                        verbose_name="涉及的案件",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.inspection",
                        verbose_name="涉及的现场检查",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="记录人",
                    ),
                ),
            ],
            options={
                "verbose_name": "插手干预记录",
                "verbose_name_plural": "插手干预记录",
                "ordering": ["-recorded_at", "-id"],
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="MonthPlan",
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
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                        verbose_name="月份",
                    ),
                ),
                ("made_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                ("item_count", models.PositiveIntegerField(default=0, verbose_name="事项数")),
                (
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="空表示系统按月自动生成。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
            ],
            options={
                "verbose_name": "月度检查计划",
                "verbose_name_plural": "月度检查计划",
                "ordering": ["-year", "-month"],
                "constraints": [models.UniqueConstraint(fields=("year", "month"), name="month_plan_once")],
            },
        ),
        migrations.CreateModel(
            name="OfficerConflict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="回避事由")),
                ("declared_on", models.DateField(verbose_name="申报日期")),
                ("is_active", models.BooleanField(default=True, verbose_name="有效")),
                (
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permits.facility",
                        verbose_name="回避单位",
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflicts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
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
                    "town",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bureau.town",
                        verbose_name="本人所在街镇",
                    ),
                ),
            ],
            options={
                "verbose_name": "执法人员回避",
                "verbose_name_plural": "执法人员回避",
                "ordering": ["-declared_on", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("facility__isnull", True), ("town__isnull", True), _connector="XOR"
                        ),
                        name="conflict_unit_or_town",
                        violation_error_message="回避对象须为一家单位或本人所在街镇，二者选一。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("facility__isnull", False), ("is_active", True)),
                        fields=("officer", "facility"),
                        name="conflict_once_while_active",
                        violation_error_message="该执法人员对该单位已申报回避。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("is_active", True), ("town__isnull", False)),
                        fields=("officer",),
                        name="one_own_town_while_active",
                        violation_error_message="该执法人员已登记所在街镇。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Photo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("client_id", models.UUIDField(verbose_name="客户端编号")),
                ("file", models.FileField(upload_to="inspections/photos/%Y/%m/", verbose_name="照片")),
                ("original_name", models.CharField(blank=True, max_length=200, verbose_name="原文件名")),
                ("content_type", models.CharField(max_length=40, verbose_name="文件类型")),
                ("size", models.PositiveIntegerField(verbose_name="大小（字节）")),
                ("sha256", models.CharField(db_index=True, max_length=64, verbose_name="SHA-256")),
                ("taken_at", models.DateTimeField(blank=True, null=True, verbose_name="拍摄时间")),
                ("taken_at_source", models.CharField(blank=True, max_length=20, verbose_name="拍摄时间来源")),
                ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="接收时间")),
                (
                    "latitude",
                    models.DecimalField(
                        blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="纬度"
                    ),
                ),
                (
                    "longitude",
                    models.DecimalField(
                        blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="经度"
                    ),
                ),
                (
                    "accuracy_m",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="定位精度（米）"),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="photos",
                        to="inspections.inspection",
                        verbose_name="现场检查",
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.checklistpoint",
                        verbose_name="检查要点",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
            ],
            options={
                "verbose_name": "现场照片",
                "verbose_name_plural": "现场照片",
                "ordering": ["inspection", "received_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("inspection", "client_id"), name="photo_once_per_client_id"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PlanItem",
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
                            ("new_permit", "新发证检查"),
                            ("periodic", "例行检查"),
                            ("random_draw", "双随机抽查"),
                        ],
                        max_length=12,
                        verbose_name="类型",
                    ),
                ),
                ("key", models.CharField(max_length=40, verbose_name="标识")),
                ("window_start", models.DateField(verbose_name="期限起")),
                ("window_end", models.DateField(db_index=True, verbose_name="期限止")),
                ("planned_month", models.DateField(db_index=True, verbose_name="计划月份")),
                ("reason", models.CharField(max_length=300, verbose_name="依据")),
                ("figures", models.JSONField(blank=True, default=list, verbose_name="计算依据")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "待检查"), ("done", "已完成"), ("withdrawn", "不再需要")],
                        db_index=True,
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("done_on", models.DateField(blank=True, null=True, verbose_name="完成日期")),
                (
                    "withdrawn_reason",
                    models.CharField(blank=True, max_length=200, verbose_name="不再需要的原因"),
                ),
                (
                    "alert",
                    models.CharField(
                        blank=True,
                        choices=[("", "—"), ("due_soon", "临期"), ("overdue", "逾期")],
                        max_length=10,
                        verbose_name="提醒",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
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
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="inspections.annualplan",
                        verbose_name="年度计划",
                    ),
                ),
            ],
            options={
                "verbose_name": "计划检查事项",
                "verbose_name_plural": "计划检查事项",
                "ordering": ["planned_month", "window_end", "facility_id", "key"],
                "indexes": [models.Index(fields=["facility", "window_end"], name="plan_item_facility")],
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "facility", "key"), name="plan_item_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="MonthPlanEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month_plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="inspections.monthplan",
                        verbose_name="月度计划",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspections.planitem",
                        verbose_name="计划检查事项",
                    ),
                ),
            ],
            options={
                "verbose_name": "月度计划事项",
                "verbose_name_plural": "月度计划事项",
                "constraints": [
                    models.UniqueConstraint(fields=("month_plan", "item"), name="month_plan_entry_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="PlanSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "positive_list_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.5"),
                        help_text="列入执法正面清单的单位检查频次乘以该系数（不大于 1）。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0.1"),
                                message="正面清单系数应在 0.1–1 之间：该因素只能减少检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("1"),
                                message="正面清单系数应在 0.1–1 之间：该因素只能减少检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="正面清单系数",
                    ),
                ),
                (
                    "violation_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("2"),
                        help_text="上一年度有行政处罚或检查发现问题的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="违法记录系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="违法记录系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="违法记录系数",
                    ),
                ),
                (
                    "complaint_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1.5"),
                        help_text="上一年度有属实信访投诉的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="信访投诉系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="信访投诉系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="信访投诉系数",
                    ),
                ),
                (
                    "high_risk_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1.5"),
                        help_text="环境风险等级为重大的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="高环境风险系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="高环境风险系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="高环境风险系数",
                    ),
                ),
                (
                    "poor_credit_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("2"),
                        help_text="环境信用评价为警示或不良的单位。",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("1"),
                                message="信用较差系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("10"),
                                message="信用较差系数应在 1–10 之间：该因素只能增加检查频次（R-INS-4）。",
                            ),
                        ],
                        verbose_name="信用较差系数",
                    ),
                ),
                (
                    "routine_cap",
                    models.PositiveSmallIntegerField(
                        default=4,
                        help_text="年度计划检查与双随机抽查合计；信访投诉、线索、案件复查等触发的检查不受此限。",
                        validators=[
                            django.core.validators.MinValueValidator(
                                2,
                                message="年度例行现场检查上限不能少于 2 次：重点管理单位每半年至少检查一次（R-INS-3）。",
                            ),
                            django.core.validators.MaxValueValidator(
                                12, message="年度例行现场检查上限不能超过 12 次。"
                            ),
                        ],
                        verbose_name="每家单位年度例行现场检查上限",
                    ),
                ),
                (
                    "registered_share",
                    models.PositiveSmallIntegerField(
                        default=20,
                        help_text="不低于 20%（003 第六条），向上取整。",
                        validators=[
                            django.core.validators.MinValueValidator(
                                20, message="登记管理单位年度抽查比例不能低于 20%%（003 第六条）。"
                            ),
                            django.core.validators.MaxValueValidator(100, message="抽查比例不能超过 100%%。"),
                        ],
                        verbose_name="登记管理单位年度抽查比例（%）",
                    ),
                ),
                (
                    "due_soon_workdays",
                    models.PositiveSmallIntegerField(
                        default=10,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="临期提醒（工作日）",
                    ),
                ),
                (
                    "draw_exclude_recent_days",
                    models.PositiveSmallIntegerField(
                        default=180,
                        help_text="0 表示不排除。",
                        validators=[django.core.validators.MaxValueValidator(730)],
                        verbose_name="抽查排除近期已检查单位（天）",
                    ),
                ),
                (
                    "draw_exclude_positive_list",
                    models.BooleanField(default=True, verbose_name="抽查排除正面清单单位"),
                ),
                (
                    "draw_avoid_own_town",
                    models.BooleanField(
                        default=False,
                        help_text="执法人员登记了所在街镇的，不派往该街镇的单位。",
                        verbose_name="执法人员回避本人所在街镇",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="最后修改人",
                    ),
                ),
            ],
            options={
                "verbose_name": "检查计划设置",
                "verbose_name_plural": "检查计划设置",
            },
        ),
        migrations.CreateModel(
            name="RandomDraw",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, unique=True, verbose_name="抽查编号")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("sequence", models.PositiveIntegerField(verbose_name="序号")),
                ("title", models.CharField(max_length=200, verbose_name="抽查事项")),
                (
                    "mode",
                    models.CharField(
                        choices=[("on_site", "现场检查"), ("remote", "远程核查")],
                        default="on_site",
                        max_length=10,
                        verbose_name="检查方式",
                    ),
                ),
                ("levels", models.JSONField(default=list, verbose_name="管理类别")),
                ("towns", models.JSONField(blank=True, default=list, verbose_name="街镇（代码）")),
                (
                    "industry_prefixes",
                    models.JSONField(blank=True, default=list, verbose_name="行业类别代码（前缀）"),
                ),
                (
                    "exclude_recent_days",
                    models.PositiveSmallIntegerField(default=0, verbose_name="排除近期已检查（天）"),
                ),
                (
                    "exclude_positive_list",
                    models.BooleanField(default=False, verbose_name="排除正面清单单位"),
                ),
                (
                    "avoid_own_town",
                    models.BooleanField(default=False, verbose_name="执法人员回避本人所在街镇"),
                ),
                (
                    "sample_percent",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="抽取比例（%）"),
                ),
                ("sample_size", models.PositiveIntegerField(default=0, verbose_name="抽取数量")),
                (
                    "inspect_from",
                    models.DateField(help_text="抽取结果在此日起公开。", verbose_name="检查开始日期"),
                ),
                ("inspect_until", models.DateField(verbose_name="检查截止日期")),
                ("pool_text", models.TextField(verbose_name="抽取池文件")),
                ("pool_hash", models.CharField(max_length=64, verbose_name="抽取池指纹（SHA-256）")),
                ("unit_count", models.PositiveIntegerField(verbose_name="抽取池单位数")),
                ("officer_count", models.PositiveIntegerField(verbose_name="执法人员库人数")),
                ("seed", models.CharField(max_length=64, verbose_name="随机种子")),
                ("commitment", models.CharField(max_length=64, verbose_name="随机种子承诺值（SHA-256）")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("committed", "已公示，待抽取"),
                            ("drawn", "已抽取"),
                            ("cancelled", "已作废"),
                        ],
                        default="committed",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="公示时间")),
                ("drawn_at", models.DateTimeField(blank=True, null=True, verbose_name="抽取时间")),
                ("cancel_reason", models.CharField(blank=True, max_length=300, verbose_name="作废原因")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
                (
                    "drawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="抽取人",
                    ),
                ),
            ],
            options={
                "verbose_name": "双随机抽查",
                "verbose_name_plural": "双随机抽查",
                "ordering": ["-year", "-sequence"],
                "constraints": [
                    models.UniqueConstraint(fields=("year", "sequence"), name="draw_number_sequence")
                ],
            },
        ),
        migrations.CreateModel(
            name="DrawOfficer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("certificate_no", models.CharField(max_length=30, verbose_name="执法证号")),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="officers",
                        to="inspections.randomdraw",
                        verbose_name="抽查",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽查执法人员",
                "verbose_name_plural": "抽查执法人员",
                "ordering": ["certificate_no"],
                "constraints": [models.UniqueConstraint(fields=("draw", "user"), name="draw_officer_once")],
            },
        ),
        migrations.CreateModel(
            name="DrawItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="抽取顺序")),
                ("result_published_on", models.DateField(blank=True, null=True, verbose_name="结果公开日期")),
                (
                    "officer_change",
                    models.CharField(blank=True, max_length=400, verbose_name="执法人员调整说明"),
                ),
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
                    "officers",
                    models.ManyToManyField(
                        related_name="items", to="inspections.drawofficer", verbose_name="执法人员"
                    ),
                ),
                (
                    "inspection",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="draw_item",
                        to="inspections.inspection",
                        verbose_name="检查",
                    ),
                ),
                (
                    "plan_item",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="draw_item",
                        to="inspections.planitem",
                        verbose_name="计划检查事项",
                    ),
                ),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="inspections.randomdraw",
                        verbose_name="抽查",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽取结果",
                "verbose_name_plural": "抽取结果",
                "ordering": ["draw_id", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("draw", "position"), name="draw_item_position"),
                    models.UniqueConstraint(fields=("draw", "facility"), name="draw_item_facility"),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="checklistpoint",
            constraint=models.UniqueConstraint(fields=("version", "code"), name="checklist_point_code"),
        ),
        migrations.AddConstraint(
            model_name="checklistpart",
            constraint=models.UniqueConstraint(fields=("version", "order"), name="checklist_part_order"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(fields=("inspection", "point"), name="answer_once_per_point"),
        ),
        migrations.RunPython(standard_checklists, migrations.RunPython.noop),
    ]
