"""Every migration of this app up to 0003_history_reason_whole, in one, for a database made from nothing.

``manage.py migrate`` on an empty database took four minutes, nearly all of it Django re-rendering every model
(all are tied together through the user) after each small operation of the 61 migrations. A database that has
applied some of this app's goes on with them one by one as before; one that has applied all counts this one as
applied. Made with ``makemigrations`` from the models, indexes and constraints folded into their models; the
schema it makes was compared with the one the old migrations make (columns, constraints, indexes) on SQLite
and PostgreSQL and is the same."""

import django.db.models.deletion
import django.db.models.manager
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("grading", "0001_initial"),
        ("grading", "0002_grade_is_holder_override_condition"),
        ("grading", "0003_history_reason_whole"),
    ]

    initial = True

    dependencies = [
        ("bureau", "0008_history_reason_whole"),
        ("permits", "0001_squashed_0022_history_reason_whole"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnnualGrading",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="评定年度")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("drafting", "起草中"),
                            ("draft", "待工作组审核"),
                            ("failed", "起草失败"),
                            ("confirmed", "已确认"),
                        ],
                        default="drafting",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("holders", models.PositiveIntegerField(default=0, verbose_name="参评持证单位数")),
                (
                    "cap",
                    models.PositiveIntegerField(
                        default=0, help_text="上年度持证单位总数的 10%，向下取整。", verbose_name="优秀名额"
                    ),
                ),
                ("done", models.PositiveIntegerField(default=0, verbose_name="已评定")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="待评定")),
                ("drafted_at", models.DateTimeField(blank=True, null=True, verbose_name="起草时间")),
                ("draft_count", models.PositiveSmallIntegerField(default=0, verbose_name="起草次数")),
                ("task_id", models.CharField(blank=True, max_length=50, verbose_name="后台任务")),
                ("error", models.CharField(blank=True, max_length=300, verbose_name="失败原因")),
                ("cap_exceeded_reason", models.TextField(blank=True, verbose_name="超出优秀名额的理由")),
                (
                    "cap_exceeded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="超出名额记录时间"),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                (
                    "cap_exceeded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="超出名额记录人",
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
                        verbose_name="确认人（组长）",
                    ),
                ),
                (
                    "drafted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="起草人",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度等级评定",
                "verbose_name_plural": "年度等级评定",
                "ordering": ["-year"],
            },
        ),
        migrations.CreateModel(
            name="FacilityGrade",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rule_grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        max_length=12,
                        verbose_name="规则评定等级",
                    ),
                ),
                (
                    "grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        db_index=True,
                        max_length=12,
                        verbose_name="评定等级",
                    ),
                ),
                ("reasons", models.JSONField(default=list, verbose_name="评定理由")),
                (
                    "unqualified_conditions",
                    models.CharField(blank=True, max_length=20, verbose_name="不合格情形"),
                ),
                (
                    "excellent_conditions",
                    models.CharField(blank=True, max_length=20, verbose_name="优秀条件"),
                ),
                ("rank", models.PositiveIntegerField(blank=True, null=True, verbose_name="优秀候选排序")),
                ("record", models.JSONField(default=dict, verbose_name="年度记录")),
                ("is_overridden", models.BooleanField(default=False, verbose_name="经工作组调整")),
                ("is_holder", models.BooleanField(default=True, verbose_name="属于该年度持证单位")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grades",
                        to="permits.facility",
                        verbose_name="持证单位",
                    ),
                ),
                (
                    "grading",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grades",
                        to="grading.annualgrading",
                        verbose_name="年度评定",
                    ),
                ),
            ],
            options={
                "verbose_name": "单位评定等级",
                "verbose_name_plural": "单位评定等级",
                "ordering": ["grading", "facility__source_code"],
                "base_manager_name": "every_row",
                "indexes": [
                    models.Index(fields=["facility", "grading"], name="grading_fac_facilit_ec8c4a_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("grading", "facility"), name="grade_once_per_year")
                ],
            },
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("every_row", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="GradeOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        max_length=12,
                        verbose_name="原等级",
                    ),
                ),
                (
                    "to_grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        max_length=12,
                        verbose_name="调整为",
                    ),
                ),
                (
                    "condition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("u1", "附件2 三1 接受过生态环境部门行政处罚"),
                            (
                                "u2",
                                "附件2 三2 在各级生态环境保护督察、监督帮扶等专项工作中被核查出存在未“按证排污”等严重问题",
                            ),
                            ("u3", "附件2 三3 涉及信访、投诉，经核查存在问题但拒不整改"),
                            ("u4", "附件2 三4 未能依法依规配合生态环境部门完成相关工作"),
                            ("u5", "附件2 三5 有其他严重违法违规行为"),
                        ],
                        help_text="调为不合格时所依据的附件2 三所列情形。",
                        max_length=4,
                        verbose_name="不合格情形",
                    ),
                ),
                ("reason", models.TextField(verbose_name="调整理由")),
                ("post", models.CharField(max_length=100, verbose_name="调整人岗位")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="调整时间")),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="调整人",
                    ),
                ),
                (
                    "facility_grade",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="overrides",
                        to="grading.facilitygrade",
                        verbose_name="单位评定等级",
                    ),
                ),
            ],
            options={
                "verbose_name": "评定等级调整",
                "verbose_name_plural": "评定等级调整",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="GradingFact",
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
                            (
                                "u2",
                                "在各级生态环境保护督察、监督帮扶等专项工作中被核查出存在未“按证排污”等严重问题",
                            ),
                            ("u3", "涉及信访、投诉，经核查存在问题但拒不整改"),
                            ("u4", "未能依法依规配合生态环境部门完成相关工作"),
                            ("u5", "有其他严重违法违规行为"),
                            ("e1", "受到各级生态环境管理部门表彰"),
                            (
                                "e2",
                                "生态环境保护先进事迹得到官方媒体报道或积极配合相关管理部门开展生态环境保护宣传推广工作",
                            ),
                            (
                                "e3",
                                "主动承担社会责任，积极参与环境治理，在污染物减排和“碳达峰碳中和”等国家战略中有突出贡献",
                            ),
                        ],
                        max_length=20,
                        verbose_name="情形",
                    ),
                ),
                ("occurred_on", models.DateField(db_index=True, verbose_name="发生日期")),
                ("description", models.TextField(verbose_name="事实描述")),
                (
                    "evidence",
                    models.CharField(
                        help_text="文件名称、文号或报道出处", max_length=300, verbose_name="证明材料"
                    ),
                ),
                (
                    "evidence_file",
                    models.FileField(blank=True, upload_to="grading/facts/%Y/", verbose_name="证明文件"),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="记录时间")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("withdrawn_reason", models.CharField(blank=True, max_length=300, verbose_name="撤回理由")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grading_facts",
                        to="permits.facility",
                        verbose_name="持证单位",
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
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="记录科室",
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
                "verbose_name": "等级评定事实",
                "verbose_name_plural": "等级评定事实",
                "ordering": ["-occurred_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAnnualGrading",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="评定年度")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("drafting", "起草中"),
                            ("draft", "待工作组审核"),
                            ("failed", "起草失败"),
                            ("confirmed", "已确认"),
                        ],
                        default="drafting",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("holders", models.PositiveIntegerField(default=0, verbose_name="参评持证单位数")),
                (
                    "cap",
                    models.PositiveIntegerField(
                        default=0, help_text="上年度持证单位总数的 10%，向下取整。", verbose_name="优秀名额"
                    ),
                ),
                ("done", models.PositiveIntegerField(default=0, verbose_name="已评定")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="待评定")),
                ("drafted_at", models.DateTimeField(blank=True, null=True, verbose_name="起草时间")),
                ("draft_count", models.PositiveSmallIntegerField(default=0, verbose_name="起草次数")),
                ("task_id", models.CharField(blank=True, max_length=50, verbose_name="后台任务")),
                ("error", models.CharField(blank=True, max_length=300, verbose_name="失败原因")),
                ("cap_exceeded_reason", models.TextField(blank=True, verbose_name="超出优秀名额的理由")),
                (
                    "cap_exceeded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="超出名额记录时间"),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
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
                    "cap_exceeded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="超出名额记录人",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="确认人（组长）",
                    ),
                ),
                (
                    "drafted_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="起草人",
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
                "verbose_name": "historical 年度等级评定",
                "verbose_name_plural": "historical 年度等级评定",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCreditRecord",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("rated_on", models.DateField(verbose_name="评价日期")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("excellent", "环保诚信"),
                            ("good", "环保良好"),
                            ("warning", "环保警示"),
                            ("dishonest", "环保不良"),
                        ],
                        max_length=10,
                        verbose_name="信用等级",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="评价机关及文件，如：市生态环境局企业环境信用评价结果",
                        max_length=200,
                        verbose_name="评价来源",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("recorded_at", models.DateTimeField(blank=True, editable=False, verbose_name="记录时间")),
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
                        verbose_name="单位",
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
                        verbose_name="记录人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 信用评价记录",
                "verbose_name_plural": "historical 信用评价记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGradeOverride",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "from_grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        max_length=12,
                        verbose_name="原等级",
                    ),
                ),
                (
                    "to_grade",
                    models.CharField(
                        choices=[("excellent", "优秀"), ("qualified", "合格"), ("unqualified", "不合格")],
                        max_length=12,
                        verbose_name="调整为",
                    ),
                ),
                (
                    "condition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("u1", "附件2 三1 接受过生态环境部门行政处罚"),
                            (
                                "u2",
                                "附件2 三2 在各级生态环境保护督察、监督帮扶等专项工作中被核查出存在未“按证排污”等严重问题",
                            ),
                            ("u3", "附件2 三3 涉及信访、投诉，经核查存在问题但拒不整改"),
                            ("u4", "附件2 三4 未能依法依规配合生态环境部门完成相关工作"),
                            ("u5", "附件2 三5 有其他严重违法违规行为"),
                        ],
                        help_text="调为不合格时所依据的附件2 三所列情形。",
                        max_length=4,
                        verbose_name="不合格情形",
                    ),
                ),
                ("reason", models.TextField(verbose_name="调整理由")),
                ("post", models.CharField(max_length=100, verbose_name="调整人岗位")),
                ("at", models.DateTimeField(blank=True, editable=False, verbose_name="调整时间")),
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
                    "by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="调整人",
                    ),
                ),
                (
                    "facility_grade",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="grading.facilitygrade",
                        verbose_name="单位评定等级",
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
                "verbose_name": "historical 评定等级调整",
                "verbose_name_plural": "historical 评定等级调整",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGradingFact",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            (
                                "u2",
                                "在各级生态环境保护督察、监督帮扶等专项工作中被核查出存在未“按证排污”等严重问题",
                            ),
                            ("u3", "涉及信访、投诉，经核查存在问题但拒不整改"),
                            ("u4", "未能依法依规配合生态环境部门完成相关工作"),
                            ("u5", "有其他严重违法违规行为"),
                            ("e1", "受到各级生态环境管理部门表彰"),
                            (
                                "e2",
                                "生态环境保护先进事迹得到官方媒体报道或积极配合相关管理部门开展生态环境保护宣传推广工作",
                            ),
                            (
                                "e3",
                                "主动承担社会责任，积极参与环境治理，在污染物减排和“碳达峰碳中和”等国家战略中有突出贡献",
                            ),
                        ],
                        max_length=20,
                        verbose_name="情形",
                    ),
                ),
                ("occurred_on", models.DateField(db_index=True, verbose_name="发生日期")),
                ("description", models.TextField(verbose_name="事实描述")),
                (
                    "evidence",
                    models.CharField(
                        help_text="文件名称、文号或报道出处", max_length=300, verbose_name="证明材料"
                    ),
                ),
                ("evidence_file", models.TextField(blank=True, max_length=100, verbose_name="证明文件")),
                ("recorded_at", models.DateTimeField(blank=True, editable=False, verbose_name="记录时间")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="撤回时间")),
                ("withdrawn_reason", models.CharField(blank=True, max_length=300, verbose_name="撤回理由")),
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
                        verbose_name="持证单位",
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
                        verbose_name="记录人",
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
                        verbose_name="记录科室",
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
                "verbose_name": "historical 等级评定事实",
                "verbose_name_plural": "historical 等级评定事实",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPositiveListEntry",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("listed_on", models.DateField(verbose_name="列入日期")),
                ("reason", models.CharField(max_length=300, verbose_name="列入理由")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("proposal", "评定结果建议"),
                            ("manual", "法制科决定"),
                            ("automatic", "系统及时移出"),
                        ],
                        max_length=10,
                        verbose_name="列入依据",
                    ),
                ),
                ("removed_on", models.DateField(blank=True, null=True, verbose_name="移出日期")),
                ("removal_reason", models.CharField(blank=True, max_length=300, verbose_name="移出理由")),
                ("removal_url", models.CharField(blank=True, max_length=300, verbose_name="移出依据链接")),
                (
                    "removal_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("proposal", "评定结果建议"),
                            ("manual", "法制科决定"),
                            ("automatic", "系统及时移出"),
                        ],
                        max_length=10,
                        verbose_name="移出依据",
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
                        verbose_name="单位",
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
                    "listed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="列入人",
                    ),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="移出人",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 执法正面清单",
                "verbose_name_plural": "historical 执法正面清单",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPositiveListSettings",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "require_no_penalty",
                    models.BooleanField(
                        default=True, help_text="评定年度及其后至今未受行政处罚。", verbose_name="无行政处罚"
                    ),
                ),
                (
                    "credit_levels",
                    models.CharField(
                        blank=True,
                        default="excellent,good",
                        help_text="逗号分隔的信用等级代码（excellent、good、warning、dishonest），留空表示不限。",
                        max_length=60,
                        verbose_name="信用评价要求",
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
                "verbose_name": "historical 正面清单建议条件",
                "verbose_name_plural": "historical 正面清单建议条件",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalWorkGroupPost",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "duty",
                    models.CharField(
                        choices=[("leader", "组长"), ("deputy", "副组长"), ("member", "成员")],
                        max_length=10,
                        verbose_name="职务",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="如：分管副局长、科长、排污许可业务人员", max_length=50, verbose_name="岗位"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
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
                (
                    "holder",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.staff",
                        verbose_name="现任人员",
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
                        verbose_name="所在部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 工作组岗位",
                "verbose_name_plural": "historical 工作组岗位",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PositiveListEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("listed_on", models.DateField(verbose_name="列入日期")),
                ("reason", models.CharField(max_length=300, verbose_name="列入理由")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("proposal", "评定结果建议"),
                            ("manual", "法制科决定"),
                            ("automatic", "系统及时移出"),
                        ],
                        max_length=10,
                        verbose_name="列入依据",
                    ),
                ),
                ("removed_on", models.DateField(blank=True, null=True, verbose_name="移出日期")),
                ("removal_reason", models.CharField(blank=True, max_length=300, verbose_name="移出理由")),
                ("removal_url", models.CharField(blank=True, max_length=300, verbose_name="移出依据链接")),
                (
                    "removal_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("proposal", "评定结果建议"),
                            ("manual", "法制科决定"),
                            ("automatic", "系统及时移出"),
                        ],
                        max_length=10,
                        verbose_name="移出依据",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="positive_list_entries",
                        to="permits.facility",
                        verbose_name="单位",
                    ),
                ),
                (
                    "listed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="列入人",
                    ),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="移出人",
                    ),
                ),
            ],
            options={
                "verbose_name": "执法正面清单",
                "verbose_name_plural": "执法正面清单",
                "ordering": ["-listed_on", "-id"],
                "indexes": [
                    models.Index(fields=["listed_on", "removed_on"], name="grading_pos_listed__e1602b_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("removed_on__isnull", True)),
                        fields=("facility",),
                        name="positive_list_once",
                        violation_error_message="该单位已在执法正面清单中。",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPositiveListProposal",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("add", "建议列入"), ("remove", "建议移出")],
                        max_length=10,
                        verbose_name="建议",
                    ),
                ),
                ("reason", models.CharField(max_length=300, verbose_name="建议理由")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "待法制科决定"),
                            ("accepted", "已采纳"),
                            ("rejected", "不予采纳"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="决定时间")),
                ("decision_note", models.CharField(blank=True, max_length=300, verbose_name="决定意见")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="提出时间")),
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
                        verbose_name="决定人",
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
                        verbose_name="单位",
                    ),
                ),
                (
                    "grading",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="grading.annualgrading",
                        verbose_name="依据的年度评定",
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
                    "entry",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="grading.positivelistentry",
                        verbose_name="清单记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 正面清单调整建议",
                "verbose_name_plural": "historical 正面清单调整建议",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PositiveListProposal",
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
                        choices=[("add", "建议列入"), ("remove", "建议移出")],
                        max_length=10,
                        verbose_name="建议",
                    ),
                ),
                ("reason", models.CharField(max_length=300, verbose_name="建议理由")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "待法制科决定"),
                            ("accepted", "已采纳"),
                            ("rejected", "不予采纳"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="决定时间")),
                ("decision_note", models.CharField(blank=True, max_length=300, verbose_name="决定意见")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提出时间")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="决定人",
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="grading.positivelistentry",
                        verbose_name="清单记录",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="positive_list_proposals",
                        to="permits.facility",
                        verbose_name="单位",
                    ),
                ),
                (
                    "grading",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposals",
                        to="grading.annualgrading",
                        verbose_name="依据的年度评定",
                    ),
                ),
            ],
            options={
                "verbose_name": "正面清单调整建议",
                "verbose_name_plural": "正面清单调整建议",
                "ordering": ["state", "-created_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("grading", "facility", "kind"), name="proposal_once_per_grading"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PositiveListSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "require_no_penalty",
                    models.BooleanField(
                        default=True, help_text="评定年度及其后至今未受行政处罚。", verbose_name="无行政处罚"
                    ),
                ),
                (
                    "credit_levels",
                    models.CharField(
                        blank=True,
                        default="excellent,good",
                        help_text="逗号分隔的信用等级代码（excellent、good、warning、dishonest），留空表示不限。",
                        max_length=60,
                        verbose_name="信用评价要求",
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
                "verbose_name": "正面清单建议条件",
                "verbose_name_plural": "正面清单建议条件",
            },
        ),
        migrations.CreateModel(
            name="WorkGroupPost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "duty",
                    models.CharField(
                        choices=[("leader", "组长"), ("deputy", "副组长"), ("member", "成员")],
                        max_length=10,
                        verbose_name="职务",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="如：分管副局长、科长、排污许可业务人员", max_length=50, verbose_name="岗位"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                (
                    "holder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_group_posts",
                        to="bureau.staff",
                        verbose_name="现任人员",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bureau.section",
                        verbose_name="所在部门",
                    ),
                ),
            ],
            options={
                "verbose_name": "工作组岗位",
                "verbose_name_plural": "工作组岗位",
                "ordering": ["order", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("duty", "leader"), ("is_active", True)),
                        fields=("duty",),
                        name="work_group_one_leader",
                        violation_error_message="工作组只设一名组长。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("holder__isnull", False), ("is_active", True)),
                        fields=("holder",),
                        name="work_group_one_post_each",
                        violation_error_message="该人员已在工作组中担任其他岗位。",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CreditRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rated_on", models.DateField(verbose_name="评价日期")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("excellent", "环保诚信"),
                            ("good", "环保良好"),
                            ("warning", "环保警示"),
                            ("dishonest", "环保不良"),
                        ],
                        max_length=10,
                        verbose_name="信用等级",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="评价机关及文件，如：市生态环境局企业环境信用评价结果",
                        max_length=200,
                        verbose_name="评价来源",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="备注")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="记录时间")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credit_records",
                        to="permits.facility",
                        verbose_name="单位",
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
                "verbose_name": "信用评价记录",
                "verbose_name_plural": "信用评价记录",
                "ordering": ["-rated_on", "-id"],
                "indexes": [
                    models.Index(fields=["facility", "rated_on"], name="grading_cre_facilit_b2d531_idx")
                ],
            },
        ),
    ]
