"""Facilities become sites of units (R-FAC-1): the Unit table, and each facility's unit, site number and
source code, nullable until ``0013_facilities_become_site_001`` fills them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0004_drop_town_grants"),
        ("permits", "0011_split_renewal_decisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Unit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(max_length=18, unique=True, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="建档时间")),
            ],
            options={"verbose_name": "单位", "verbose_name_plural": "单位", "ordering": ["credit_code"]},
        ),
        migrations.CreateModel(
            name="HistoricalUnit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "credit_code",
                    models.CharField(db_index=True, max_length=18, verbose_name="统一社会信用代码"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="单位名称")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="建档时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
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
            ],
            options={
                "verbose_name": "historical 单位",
                "verbose_name_plural": "historical 单位",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="facility",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facilities",
                to="permits.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="site_number",
            field=models.CharField(default="001", max_length=3, verbose_name="污染源序号"),
        ),
        migrations.AddField(
            model_name="facility",
            name="source_code",
            field=models.CharField(max_length=21, null=True, verbose_name="污染源编码"),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="permits.unit",
                verbose_name="单位",
            ),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="site_number",
            field=models.CharField(default="001", max_length=3, verbose_name="污染源序号"),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="source_code",
            field=models.CharField(db_index=True, max_length=21, null=True, verbose_name="污染源编码"),
        ),
        # One unit may have several sites: the credit code stays on the row (the unit's), no longer unique.
        migrations.AlterField(
            model_name="facility",
            name="credit_code",
            field=models.CharField(db_index=True, max_length=18, verbose_name="统一社会信用代码"),
        ),
    ]
