"""Each existing facility becomes site 001 of a unit made from its credit code and name (R-FAC-1).

Nothing is lost (R-RET-1): every facility row stays with its id, and its history rows are kept and
given the same unit, site number and source code, so a history diff shows no change that never
happened. Each new unit gets a history row saying where it came from.
"""

from django.db import migrations
from django.utils import timezone

REASON = "由原排污单位生成（污染源改为单位的厂区，序号 001）"


def units_from_facilities(apps, schema_editor):
    Facility = apps.get_model("permits", "Facility")
    HistoricalFacility = apps.get_model("permits", "HistoricalFacility")
    Unit = apps.get_model("permits", "Unit")
    HistoricalUnit = apps.get_model("permits", "HistoricalUnit")
    now = timezone.now()
    for facility in Facility.objects.order_by("id").iterator(chunk_size=2000):
        unit, created = Unit.objects.get_or_create(
            credit_code=facility.credit_code, defaults={"name": facility.name}
        )
        if created:
            HistoricalUnit.objects.create(
                id=unit.pk,
                credit_code=unit.credit_code,
                name=unit.name,
                created_at=unit.created_at,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
        source_code = f"{facility.credit_code}001"
        Facility.objects.filter(pk=facility.pk).update(unit=unit, site_number="001", source_code=source_code)
        HistoricalFacility.objects.filter(id=facility.pk).update(
            unit_id=unit.pk, site_number="001", source_code=source_code
        )


class Migration(migrations.Migration):
    dependencies = [("permits", "0012_units_and_sites")]
    operations = [migrations.RunPython(units_from_facilities, migrations.RunPython.noop)]
