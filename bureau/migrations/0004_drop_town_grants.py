"""R-ORG-3 has one mechanism, the Viewer: the django-guardian grants each town's group held on its own
town (``view_town``, made by the former ``grant_to_town``) are read by nothing any more and go.
Permissions are not business records (R-RET-1 keeps those), so nothing of the record is lost."""

from django.db import migrations


def drop_town_grants(apps, schema_editor):
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    GroupObjectPermission.objects.filter(
        content_type__app_label="bureau", content_type__model="town", permission__codename="view_town"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0003_section_full_names"),
        ("guardian", "0002_generic_permissions_index"),
    ]

    operations = [migrations.RunPython(drop_town_grants, migrations.RunPython.noop)]
