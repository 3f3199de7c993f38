"""After ``0013_facilities_become_site_001``: every facility has its unit and a unique source code, and a
unit's site numbers do not repeat (R-FAC-1)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("permits", "0013_facilities_become_site_001")]

    operations = [
        migrations.AlterField(
            model_name="facility",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facilities",
                to="permits.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AlterField(
            model_name="facility",
            name="source_code",
            field=models.CharField(max_length=21, unique=True, verbose_name="污染源编码"),
        ),
        migrations.AlterField(
            model_name="historicalfacility",
            name="source_code",
            field=models.CharField(db_index=True, max_length=21, verbose_name="污染源编码"),
        ),
        migrations.AddConstraint(
            model_name="facility",
            constraint=models.UniqueConstraint(
                fields=("unit", "site_number"),
                name="facility_site_once_per_unit",
                violation_error_message="该单位已有此序号的污染源。",
            ),
        ),
    ]
