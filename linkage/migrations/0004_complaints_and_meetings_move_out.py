"""Complaints and meetings become apps of their own; the two yearly counters become bureau's number series.

Nothing here touches a business table: the models of complaints and meetings leave this app's state only
(``complaints/0001`` and ``meetings/0001`` take them over, tables and rows as they are), and the task and
complaint counters are copied into ``bureau.NumberSeries`` before their tables are dropped.
"""

from django.db import migrations


def copy_counters(apps, schema_editor):
    NumberSeries = apps.get_model("bureau", "NumberSeries")
    for model, series in (("TaskCounter", "linkage-task"), ("ComplaintCounter", "complaint")):
        for counter in apps.get_model("linkage", model).objects.all():
            NumberSeries.objects.update_or_create(series=series, year=counter.year, defaults={"last": counter.last})


def copy_counters_back(apps, schema_editor):
    NumberSeries = apps.get_model("bureau", "NumberSeries")
    for model, series in (("TaskCounter", "linkage-task"), ("ComplaintCounter", "complaint")):
        Counter = apps.get_model("linkage", model)
        for row in NumberSeries.objects.filter(series=series):
            Counter.objects.update_or_create(year=row.year, defaults={"last": row.last})


def drop_counter_content_types(apps, schema_editor):
    # The counters' tables are gone; their content types and permissions would only mislead the admin.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="linkage", model__in=["taskcounter", "complaintcounter"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('linkage', '0003_dispatch_meetings'),
        ('bureau', '0002_numberseries'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_counters_back),
        migrations.DeleteModel(
            name='ComplaintCounter',
        ),
        migrations.DeleteModel(
            name='TaskCounter',
        ),
        migrations.RunPython(drop_counter_content_types, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='complaint',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='facility',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='linkage_task',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='registered_by',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='registered_section',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='reward_decided_by',
                ),
                migrations.RemoveField(
                    model_name='complaint',
                    name='reward_proposed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaintreporter',
                    name='complaint',
                ),
                migrations.RemoveField(
                    model_name='complaintreporter',
                    name='complaint',
                ),
                migrations.RemoveField(
                    model_name='dispatchmeeting',
                    name='convener',
                ),
                migrations.RemoveField(
                    model_name='dispatchmeeting',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='meetingdecision',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='studysession',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='historicalstudysession',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='historicalmeetingdecision',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='facility',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='linkage_task',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='registered_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='registered_section',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='reward_decided_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaint',
                    name='reward_proposed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcomplaintreporter',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldispatchmeeting',
                    name='convener',
                ),
                migrations.RemoveField(
                    model_name='historicaldispatchmeeting',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicaldispatchmeeting',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalmeetingdecision',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicalmeetingdecision',
                    name='done_by',
                ),
                migrations.RemoveField(
                    model_name='historicalmeetingdecision',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalmeetingdecision',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='historicalstudysession',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalstudysession',
                    name='host',
                ),
                migrations.RemoveField(
                    model_name='historicalstudysession',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='meetingdecision',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='meetingdecision',
                    name='done_by',
                ),
                migrations.RemoveField(
                    model_name='meetingdecision',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='studysession',
                    name='host',
                ),
                migrations.RemoveField(
                    model_name='studysession',
                    name='recorded_by',
                ),
                migrations.DeleteModel(
                    name='Complaint',
                ),
                migrations.DeleteModel(
                    name='ComplaintReporter',
                ),
                migrations.DeleteModel(
                    name='DispatchMeeting',
                ),
                migrations.DeleteModel(
                    name='HistoricalComplaint',
                ),
                migrations.DeleteModel(
                    name='HistoricalComplaintReporter',
                ),
                migrations.DeleteModel(
                    name='HistoricalDispatchMeeting',
                ),
                migrations.DeleteModel(
                    name='HistoricalMeetingDecision',
                ),
                migrations.DeleteModel(
                    name='HistoricalStudySession',
                ),
                migrations.DeleteModel(
                    name='MeetingDecision',
                ),
                migrations.DeleteModel(
                    name='StudySession',
                ),
            ],
            database_operations=[],
        ),
    ]
