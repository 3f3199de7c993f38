"""Every rectification item so far came from a quality check: say so on each, and on each of its history
rows, with the check's date and method as its label, the check's date as the day the problem was found,
and the category's Chinese label.

The labels are copied here as they were when this migration was written (a migration must not read
today's code); reversing it leaves nothing to undo, since 0005 reversed drops the columns.
"""

from django.db import migrations

QUALITY_CHECK = "quality_check"
CATEGORY_LABELS = {
    "should_issue": "应发未发（应发尽发）",
    "should_register": "应登未登（应登尽登）",
    "level_lowered": "违规降低管理级别",
    "discharge_mismatch": "实际排放与许可不符",
}
METHOD_LABELS = {"on_site": "现场核查", "off_site": "非现场核查"}
BATCH = 500


def source_of(check_id: int, check: tuple) -> dict:
    checked_on, method = check
    return {
        "source_kind": QUALITY_CHECK,
        "source_key": f"permits.quality_check:{check_id}",
        "source_label": f"{checked_on:%Y-%m-%d} {METHOD_LABELS.get(method, method)}",
        "found_on": checked_on,
    }


def mark_quality_check_items(apps, schema_editor):
    QualityCheck = apps.get_model("permits", "QualityCheck")
    checks = {
        pk: (day, method) for pk, day, method in QualityCheck.objects.values_list("pk", "checked_on", "method")
    }
    fields = ["source_kind", "source_key", "source_label", "found_on", "category_label"]
    for model_name in ("RectificationItem", "HistoricalRectificationItem"):
        model = apps.get_model("permits", model_name)
        pending = model.objects.filter(quality_check_id__isnull=False, source_kind="").order_by("pk")
        rows = []
        for row in pending.iterator(chunk_size=BATCH):
            if row.quality_check_id not in checks:
                continue  # checks are never deleted; a history row cannot name a missing one
            for name, value in source_of(row.quality_check_id, checks[row.quality_check_id]).items():
                setattr(row, name, value)
            row.category_label = CATEGORY_LABELS.get(row.category, row.category)
            rows.append(row)
        model.objects.bulk_update(rows, fields, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0005_rectification_sources"),
    ]

    operations = [
        migrations.RunPython(mark_quality_check_items, migrations.RunPython.noop),
    ]
