"""Indexes of the department queues at city scale (issue 15): a queue's page in deadline order by
state, a department's own tasks by state, and its assignments by state."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0008_history_reason_whole"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="linkagetask",
            index=models.Index(fields=["state", "deadline_on", "id"], name="linkage_task_state_deadline"),
        ),
        migrations.AddIndex(
            model_name="linkagetask",
            index=models.Index(
                fields=["initiator", "state", "deadline_on"], name="linkage_task_initiator_state"
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["section", "state", "task"], name="linkage_assignment_queue"),
        ),
    ]
