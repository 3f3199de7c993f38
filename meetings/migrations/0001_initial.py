"""调度会与业务学习: the models that lived in ``linkage`` until the restructure, taken over with their rows.

The state is created on the existing ``linkage_*`` tables (no database operation), the content types
move with their permissions (and any django-guardian grant or admin log pointing at them), and only
then are the tables renamed to this app's names. Not a row is copied, so none can be lost.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ('dispatchmeeting', 'historicaldispatchmeeting', 'historicalmeetingdecision', 'historicalstudysession', 'meetingdecision', 'studysession')


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="meetings", model=model).exists():
            ContentType.objects.filter(app_label="linkage", model=model).update(app_label="meetings")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="meetings", model__in=MODELS).update(app_label="linkage")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('bureau', '0002_numberseries'),
        ('linkage', '0004_complaints_and_meetings_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DispatchMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('quarterly', '季度调度会'), ('extra', '临时调度会')], max_length=10, verbose_name='会议类型')),
                        ('year', models.PositiveIntegerField(verbose_name='年份')),
                        ('quarter_month', models.PositiveSmallIntegerField(blank=True, choices=[(2, '2月'), (5, '5月'), (8, '8月'), (11, '11月')], help_text='季度调度会召开的月份；临时调度会为空。', null=True, verbose_name='季度调度月份')),
                        ('topic', models.CharField(blank=True, max_length=200, verbose_name='会议事由')),
                        ('scheduled_on', models.DateField(verbose_name='拟召开日期')),
                        ('held_on', models.DateField(blank=True, null=True, verbose_name='召开日期')),
                        ('location', models.CharField(blank=True, max_length=200, verbose_name='会议地点')),
                        ('attendees', models.CharField(blank=True, max_length=500, verbose_name='参会人员')),
                        ('minutes', models.TextField(blank=True, verbose_name='会议纪要')),
                        ('status', models.CharField(choices=[('planned', '待召开'), ('held', '已召开')], default='planned', max_length=10, verbose_name='状态')),
                        ('agenda', models.JSONField(blank=True, editable=False, null=True, verbose_name='会议议程与数据（召开时固定）')),
                        ('version', models.PositiveIntegerField(default=0, editable=False, verbose_name='纪要版本')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('convener', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bureau.section', verbose_name='召集部门')),
                        ('created_by', models.ForeignKey(blank=True, help_text='由定时任务创建的季度调度会为空。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                    ],
                    options={
                        'db_table': 'linkage_dispatchmeeting',
                        'verbose_name': '调度会',
                        'verbose_name_plural': '调度会',
                        'ordering': ['-scheduled_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalDispatchMeeting',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('quarterly', '季度调度会'), ('extra', '临时调度会')], max_length=10, verbose_name='会议类型')),
                        ('year', models.PositiveIntegerField(verbose_name='年份')),
                        ('quarter_month', models.PositiveSmallIntegerField(blank=True, choices=[(2, '2月'), (5, '5月'), (8, '8月'), (11, '11月')], help_text='季度调度会召开的月份；临时调度会为空。', null=True, verbose_name='季度调度月份')),
                        ('topic', models.CharField(blank=True, max_length=200, verbose_name='会议事由')),
                        ('scheduled_on', models.DateField(verbose_name='拟召开日期')),
                        ('held_on', models.DateField(blank=True, null=True, verbose_name='召开日期')),
                        ('location', models.CharField(blank=True, max_length=200, verbose_name='会议地点')),
                        ('attendees', models.CharField(blank=True, max_length=500, verbose_name='参会人员')),
                        ('minutes', models.TextField(blank=True, verbose_name='会议纪要')),
                        ('status', models.CharField(choices=[('planned', '待召开'), ('held', '已召开')], default='planned', max_length=10, verbose_name='状态')),
                        ('agenda', models.JSONField(blank=True, editable=False, null=True, verbose_name='会议议程与数据（召开时固定）')),
                        ('version', models.PositiveIntegerField(default=0, editable=False, verbose_name='纪要版本')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='创建时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('convener', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bureau.section', verbose_name='召集部门')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, help_text='由定时任务创建的季度调度会为空。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'linkage_historicaldispatchmeeting',
                        'verbose_name': 'historical 调度会',
                        'verbose_name_plural': 'historical 调度会',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalMeetingDecision',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='议定事项')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='完成期限')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                        ('done_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.dispatchmeeting', verbose_name='调度会')),
                        ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='责任人')),
                    ],
                    options={
                        'db_table': 'linkage_historicalmeetingdecision',
                        'verbose_name': 'historical 调度会议定事项',
                        'verbose_name_plural': 'historical 调度会议定事项',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalStudySession',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='举办日期')),
                        ('topic', models.CharField(max_length=200, verbose_name='学习主题')),
                        ('speaker', models.CharField(blank=True, help_text='可为本局人员或外请专家。', max_length=100, verbose_name='主讲人')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('host', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bureau.section', verbose_name='主持部门')),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.dispatchmeeting', verbose_name='所在调度会')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'db_table': 'linkage_historicalstudysession',
                        'verbose_name': 'historical 业务学习交流',
                        'verbose_name_plural': 'historical 业务学习交流',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='MeetingDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='议定事项')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='完成期限')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结人')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='meetings.dispatchmeeting', verbose_name='调度会')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meeting_decisions', to=settings.AUTH_USER_MODEL, verbose_name='责任人')),
                    ],
                    options={
                        'db_table': 'linkage_meetingdecision',
                        'verbose_name': '调度会议定事项',
                        'verbose_name_plural': '调度会议定事项',
                        'ordering': ['meeting_id', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='StudySession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField(verbose_name='举办日期')),
                        ('topic', models.CharField(max_length=200, verbose_name='学习主题')),
                        ('speaker', models.CharField(blank=True, help_text='可为本局人员或外请专家。', max_length=100, verbose_name='主讲人')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('host', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='bureau.section', verbose_name='主持部门')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='study_sessions', to='meetings.dispatchmeeting', verbose_name='所在调度会')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'db_table': 'linkage_studysession',
                        'verbose_name': '业务学习交流',
                        'verbose_name_plural': '业务学习交流',
                        'ordering': ['-held_on', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='dispatchmeeting',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'quarterly')), fields=('year', 'quarter_month'), name='dispatch_meeting_once_per_quarter', violation_error_message='该季度的调度会已经存在。'),
                ),
                migrations.AddConstraint(
                    model_name='dispatchmeeting',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'quarterly'), ('quarter_month__in', [2, 5, 8, 11])), models.Q(('kind', 'extra'), ('quarter_month__isnull', True)), _connector='OR'), name='dispatch_meeting_quarter_month_by_kind', violation_error_message='季度调度会应在 2、5、8、11 月召开；临时调度会不填季度月份。'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name='DispatchMeeting', table=None),
        migrations.AlterModelTable(name='HistoricalDispatchMeeting', table=None),
        migrations.AlterModelTable(name='HistoricalMeetingDecision', table=None),
        migrations.AlterModelTable(name='HistoricalStudySession', table=None),
        migrations.AlterModelTable(name='MeetingDecision', table=None),
        migrations.AlterModelTable(name='StudySession', table=None),
    ]
