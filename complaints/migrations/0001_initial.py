"""信访投诉: the models that lived in ``linkage`` until the restructure, taken over with their rows.

The state is created on the existing ``linkage_*`` tables (no database operation), the content types
move with their permissions (and any django-guardian grant or admin log pointing at them), and only
then are the tables renamed to this app's names. Not a row is copied, so none can be lost.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ('complaint', 'complaintreporter', 'historicalcomplaint', 'historicalcomplaintreporter')


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="complaints", model=model).exists():
            ContentType.objects.filter(app_label="linkage", model=model).update(app_label="complaints")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="complaints", model__in=MODELS).update(app_label="linkage")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('bureau', '0002_numberseries'),
        ('linkage', '0004_complaints_and_meetings_move_out'),
        ('permits', '0004_emission_limit_unique'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Complaint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=20, unique=True, verbose_name='投诉编号')),
                        ('year', models.PositiveIntegerField(verbose_name='年份')),
                        ('sequence', models.PositiveIntegerField(verbose_name='序号')),
                        ('channel', models.CharField(choices=[('hotline', '12345 热线'), ('letter', '来信'), ('visit', '来访'), ('web', '网络'), ('phone', '电话')], max_length=10, verbose_name='来源渠道')),
                        ('received_on', models.DateField(db_index=True, verbose_name='受理日期')),
                        ('content', models.TextField(verbose_name='反映内容')),
                        ('state', models.CharField(choices=[('received', '已受理'), ('investigating', '调查处理中'), ('answered', '已答复'), ('closed', '已办结')], db_index=True, default='received', max_length=20, verbose_name='办理状态')),
                        ('investigation', models.TextField(blank=True, verbose_name='调查核实情况')),
                        ('is_substantiated', models.BooleanField(blank=True, null=True, verbose_name='举报是否属实')),
                        ('answer', models.TextField(blank=True, verbose_name='答复内容')),
                        ('answered_on', models.DateField(blank=True, null=True, verbose_name='答复日期')),
                        ('reward_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='拟奖励金额（元）')),
                        ('reward_reason', models.TextField(blank=True, verbose_name='奖励理由')),
                        ('reward_proposed_on', models.DateField(blank=True, null=True, verbose_name='奖励提出日期')),
                        ('reward_decision', models.CharField(blank=True, choices=[('approved', '同意奖励'), ('rejected', '不予奖励')], max_length=10, verbose_name='奖励决定')),
                        ('reward_decision_note', models.TextField(blank=True, verbose_name='决定意见')),
                        ('reward_decided_on', models.DateField(blank=True, null=True, verbose_name='奖励决定日期')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='办结日期')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结人')),
                        ('facility', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='permits.facility', verbose_name='被投诉单位')),
                        ('linkage_task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='linkage.linkagetask', verbose_name='三监联动任务')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('registered_section', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bureau.section', verbose_name='登记科室')),
                        ('reward_decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='奖励决定人')),
                        ('reward_proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='奖励提出人')),
                    ],
                    options={
                        'db_table': 'linkage_complaint',
                        'verbose_name': '信访投诉',
                        'verbose_name_plural': '信访投诉',
                        'ordering': ['-year', '-sequence'],
                    },
                ),
                migrations.CreateModel(
                    name='ComplaintReporter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_anonymous', models.BooleanField(default=False, verbose_name='匿名举报')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='举报人姓名')),
                        ('id_number', models.CharField(blank=True, max_length=18, verbose_name='身份证号')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='联系地址')),
                        ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reporter', to='complaints.complaint', verbose_name='信访投诉')),
                    ],
                    options={
                        'db_table': 'linkage_complaintreporter',
                        'verbose_name': '举报人信息',
                        'verbose_name_plural': '举报人信息',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalComplaint',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('number', models.CharField(db_index=True, max_length=20, verbose_name='投诉编号')),
                        ('year', models.PositiveIntegerField(verbose_name='年份')),
                        ('sequence', models.PositiveIntegerField(verbose_name='序号')),
                        ('channel', models.CharField(choices=[('hotline', '12345 热线'), ('letter', '来信'), ('visit', '来访'), ('web', '网络'), ('phone', '电话')], max_length=10, verbose_name='来源渠道')),
                        ('received_on', models.DateField(db_index=True, verbose_name='受理日期')),
                        ('content', models.TextField(verbose_name='反映内容')),
                        ('state', models.CharField(choices=[('received', '已受理'), ('investigating', '调查处理中'), ('answered', '已答复'), ('closed', '已办结')], db_index=True, default='received', max_length=20, verbose_name='办理状态')),
                        ('investigation', models.TextField(blank=True, verbose_name='调查核实情况')),
                        ('is_substantiated', models.BooleanField(blank=True, null=True, verbose_name='举报是否属实')),
                        ('answer', models.TextField(blank=True, verbose_name='答复内容')),
                        ('answered_on', models.DateField(blank=True, null=True, verbose_name='答复日期')),
                        ('reward_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='拟奖励金额（元）')),
                        ('reward_reason', models.TextField(blank=True, verbose_name='奖励理由')),
                        ('reward_proposed_on', models.DateField(blank=True, null=True, verbose_name='奖励提出日期')),
                        ('reward_decision', models.CharField(blank=True, choices=[('approved', '同意奖励'), ('rejected', '不予奖励')], max_length=10, verbose_name='奖励决定')),
                        ('reward_decision_note', models.TextField(blank=True, verbose_name='决定意见')),
                        ('reward_decided_on', models.DateField(blank=True, null=True, verbose_name='奖励决定日期')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='办结日期')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='录入时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('answered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                        ('closed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结人')),
                        ('facility', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='permits.facility', verbose_name='被投诉单位')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('linkage_task', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='linkage.linkagetask', verbose_name='三监联动任务')),
                        ('registered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('registered_section', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bureau.section', verbose_name='登记科室')),
                        ('reward_decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='奖励决定人')),
                        ('reward_proposed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='奖励提出人')),
                    ],
                    options={
                        'db_table': 'linkage_historicalcomplaint',
                        'verbose_name': 'historical 信访投诉',
                        'verbose_name_plural': 'historical 信访投诉',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalComplaintReporter',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('is_anonymous', models.BooleanField(default=False, verbose_name='匿名举报')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='举报人姓名')),
                        ('id_number', models.CharField(blank=True, max_length=18, verbose_name='身份证号')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='联系地址')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('complaint', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='complaints.complaint', verbose_name='信访投诉')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'linkage_historicalcomplaintreporter',
                        'verbose_name': 'historical 举报人信息',
                        'verbose_name_plural': 'historical 举报人信息',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='complaint',
                    constraint=models.UniqueConstraint(fields=('year', 'sequence'), name='complaint_number_per_year'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name='Complaint', table=None),
        migrations.AlterModelTable(name='ComplaintReporter', table=None),
        migrations.AlterModelTable(name='HistoricalComplaint', table=None),
        migrations.AlterModelTable(name='HistoricalComplaintReporter', table=None),
    ]
