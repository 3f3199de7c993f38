"""R-PER-1: a 延续 decision becomes its own event. Until now a granted 延续 was written onto its
application (``new_valid_until``); each such application gets a separate 延续决定 event, granted, with
the validity it extended, and the application keeps only what the holder applied for.

The decision's own date was never recorded: the migrated decision takes the application's date and
says so in its note, so no gap is invented. Leads get their case from the events of their permit (撤销
and 吊销 were one state before, but were always separate events). Every row is kept; reversible."""

from django.db import migrations

MIGRATED_NOTE = "（迁移：原记录未载明延续决定日期，按申请日期记）"
ENDING_CASES = {"cancellation": "cancelled", "withdrawal": "withdrawn", "revocation": "revoked"}


def _first_valid_until(apps, permit):
    """The validity the permit was issued with: its earliest recorded value in history."""
    HistoricalPermit = apps.get_model("permits", "HistoricalPermit")
    first = HistoricalPermit.objects.filter(id=permit.pk).order_by("history_date", "history_id").first()
    return first.valid_until if first is not None else None


def split_decisions(apps, schema_editor):
    PermitEvent = apps.get_model("permits", "PermitEvent")
    Permit = apps.get_model("permits", "Permit")
    granted = PermitEvent.objects.filter(kind="renewal", new_valid_until__isnull=False).order_by(
        "permit_id", "occurred_on", "id"
    )
    previous_by_permit = {}
    for application in granted:
        permit = Permit.objects.get(pk=application.permit_id)
        if application.permit_id not in previous_by_permit:
            previous_by_permit[application.permit_id] = _first_valid_until(apps, permit) or application.occurred_on
        previous = previous_by_permit[application.permit_id]
        PermitEvent.objects.create(
            permit_id=application.permit_id,
            kind="renewal_decision",
            occurred_on=application.occurred_on,
            document_no=application.document_no,
            note=MIGRATED_NOTE,
            renewal_application=application,
            renewal_granted=True,
            previous_valid_until=previous,
            new_valid_until=application.new_valid_until,
            recorded_by_id=application.recorded_by_id,
        )
        previous_by_permit[application.permit_id] = application.new_valid_until
        application.new_valid_until = None
        application.document_no = ""
        application.save(update_fields=["new_valid_until", "document_no"])


def join_decisions(apps, schema_editor):
    PermitEvent = apps.get_model("permits", "PermitEvent")
    for decision in PermitEvent.objects.filter(kind="renewal_decision", renewal_granted=True).select_related(
        "renewal_application"
    ):
        application = decision.renewal_application
        application.new_valid_until = decision.new_valid_until
        application.document_no = decision.document_no
        application.save(update_fields=["new_valid_until", "document_no"])
    PermitEvent.objects.filter(kind="renewal_decision").delete()


def lead_cases(apps, schema_editor):
    UnlicensedDischargeLead = apps.get_model("permits", "UnlicensedDischargeLead")
    PermitEvent = apps.get_model("permits", "PermitEvent")
    for lead in UnlicensedDischargeLead.objects.all():
        ending = (
            PermitEvent.objects.filter(permit_id=lead.permit_id, kind__in=list(ENDING_CASES))
            .order_by("occurred_on")
            .first()
        )
        if ending is not None and ending.occurred_on <= lead.detected_on:
            lead.case = ENDING_CASES[ending.kind]
            lead.save(update_fields=["case"])


class Migration(migrations.Migration):
    dependencies = [("permits", "0010_permit_events_renewal_decisions_and_lapse_cases")]

    operations = [
        migrations.RunPython(split_decisions, join_decisions),
        migrations.RunPython(lead_cases, migrations.RunPython.noop),
    ]
