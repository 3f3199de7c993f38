"""The key industries as DESIGN lists them (R-FAC-2): 电力 is 电力生产 (441), and 221 纸浆制造 joins
造纸 because HJ 887 covers pulping. Rows the administrator added or renamed otherwise are left alone;
each change is recorded in the table's history."""

from django.db import migrations
from django.utils import timezone

REASON = "按设计调整重点行业名录（R-FAC-2）"


def _record(HistoricalKeyIndustry, row, kind):
    HistoricalKeyIndustry.objects.create(
        id=row.pk,
        code=row.code,
        name=row.name,
        source=row.source,
        is_active=row.is_active,
        history_date=timezone.now(),
        history_type=kind,
        history_change_reason=REASON,
    )


def adjust(apps, schema_editor):
    KeyIndustry = apps.get_model("permits", "KeyIndustry")
    HistoricalKeyIndustry = apps.get_model("permits", "HistoricalKeyIndustry")
    power = KeyIndustry.objects.filter(code="441", name="电力").first()
    if power is not None:
        power.name = "电力生产"
        power.save(update_fields=["name"])
        _record(HistoricalKeyIndustry, power, "~")
    pulp, created = KeyIndustry.objects.get_or_create(
        code="221",
        defaults={"name": "纸浆制造", "source": "001 吉环执法字〔2023〕9号（造纸）；HJ 887 涵盖制浆"},
    )
    if created:
        _record(HistoricalKeyIndustry, pulp, "+")
        # Pulp mills registered before now take the flag their code already earns.
        Facility = apps.get_model("permits", "Facility")
        Facility.objects.filter(industry_code__startswith="221", key_industry=None).update(key_industry=pulp)


class Migration(migrations.Migration):
    dependencies = [("permits", "0014_sites_required")]
    operations = [migrations.RunPython(adjust, migrations.RunPython.noop)]
