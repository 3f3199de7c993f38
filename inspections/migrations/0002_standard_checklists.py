"""The checklists of seed 003, first version, published (R-INS-1, R-INS-2): so a fresh system inspects
with 附件3 word for word. The texts are ``inspections.checklist_texts``; a later edit is a new version
(the administrator's), never a change here."""

from django.db import migrations

from inspections.checklist_texts import CHECKLISTS, point_code


def seed(apps, schema_editor):
    Checklist = apps.get_model("inspections", "Checklist")
    Version = apps.get_model("inspections", "ChecklistVersion")
    Part = apps.get_model("inspections", "ChecklistPart")
    Point = apps.get_model("inspections", "ChecklistPoint")
    for code, name, applies_to, source, parts in CHECKLISTS:
        if Checklist.objects.filter(code=code).exists():
            continue
        checklist = Checklist.objects.create(code=code, name=name, applies_to=applies_to, source=source)
        version = Version.objects.create(checklist=checklist, number=1, state="published", note="初始版本")
        order = 0
        for part_index, (title, points) in enumerate(parts):
            part = Part.objects.create(version=version, order=part_index + 1, title=title)
            for point_index, (text, permit_data, kind) in enumerate(points):
                order += 1
                Point.objects.create(
                    part=part,
                    version=version,
                    order=point_index + 1,
                    code=point_code(part_index, point_index),
                    text=text,
                    legal_basis=source,
                    permit_data=permit_data,
                    finding_kind=kind,
                )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
