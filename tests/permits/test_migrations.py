"""Migrations that move data: run on rows written under the schema before them.

Each test migrates a database of its own, made empty for it, forward to the state before the migration
and then through it. The test database stays as it is: taking it back to an old state and forward again
re-renders every model at every step and took minutes per test.
"""

import os
from datetime import date

import psycopg2
import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from django.utils import timezone

BEFORE_SOURCES = [("permits", "0004_emission_limit_unique")]
WITH_SOURCES = [("permits", "0007_rectification_sources_required")]
SCRATCH = "scratch"


class ToScratch:
    """Every model's reads and writes go to the scratch database."""

    def db_for_read(self, model, **hints):
        return SCRATCH

    db_for_write = db_for_read


@pytest.fixture
def migrator(tmp_path, django_db_blocker):
    """``migrate(targets)`` on an empty database of this test's own; returns the apps of that state."""
    settings = dict(connections["default"].settings_dict)
    postgres = settings["ENGINE"].endswith("postgresql")
    if postgres:
        settings["NAME"] = f"scratch_migrations_{os.getpid()}"
        admin = psycopg2.connect(
            dbname="postgres", user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
        )
        admin.autocommit = True
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        admin.cursor().execute(f'CREATE DATABASE "{settings["NAME"]}"')
    else:
        settings["NAME"] = str(tmp_path / "scratch.sqlite3")
    connections.settings[SCRATCH] = settings

    def migrate(targets):
        executor = MigrationExecutor(connections[SCRATCH])
        # the migrations one by one, as a database made before the squash went through them
        executor.loader = MigrationLoader(connections[SCRATCH], replace_migrations=False)
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor.loader.project_state(targets).apps

    try:
        with django_db_blocker.unblock(), override_settings(DATABASE_ROUTERS=[ToScratch()]):
            yield migrate
    finally:
        connections[SCRATCH].close()
        del connections[SCRATCH]
        del connections.settings[SCRATCH]
        if postgres:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            admin.close()


def people(apps):
    """A clerk and town A in the scratch database, as the schema of ``apps`` has them."""
    clerk = apps.get_model("bureau", "User").objects.create(username="approval_clerk")
    group = apps.get_model("auth", "Group").objects.create(name="街镇·甲镇")
    town = apps.get_model("bureau", "Town").objects.create(code="town_a", name="甲镇", group=group)
    return clerk, town


def test_r_per_3_existing_items_become_quality_check_items_of_the_ledger(migrator):
    # given: a quality check with two findings and their history, written before items had sources
    old = migrator(BEFORE_SOURCES)
    approval_clerk, town_a = people(old)
    Facility = old.get_model("permits", "Facility")
    QualityCheck = old.get_model("permits", "QualityCheck")
    Item = old.get_model("permits", "RectificationItem")
    HistoricalItem = old.get_model("permits", "HistoricalRectificationItem")
    facility = Facility.objects.create(
        credit_code="91310107MA1G8XY21P",
        name="甲镇涂料厂",
        town_id=town_a.pk,
        industry_code="2641",
        industry_name="涂料制造",
        management_level="key",
    )
    check = QualityCheck.objects.create(
        facility=facility,
        checked_on=date(2025, 9, 30),
        checked_by_id=approval_clerk.pk,
        method="on_site",
        selection="random",
    )
    items = [
        Item.objects.create(
            quality_check=check,
            facility=facility,
            category=category,
            description="问题",
            deadline_workdays=5,
            deadline_on=date(2025, 10, 14),
            responsible_person="王厂长",
        )
        for category in ("level_lowered", "discharge_mismatch")
    ]
    HistoricalItem.objects.create(
        id=items[0].pk,
        quality_check_id=check.pk,
        facility_id=facility.pk,
        category="level_lowered",
        description="问题",
        deadline_workdays=5,
        deadline_on=date(2025, 10, 14),
        responsible_person="王厂长",
        history_date=timezone.now(),
        history_type="+",
        history_user_id=approval_clerk.pk,
    )

    # when
    new = migrator(WITH_SOURCES)

    # then: each says it came from that check, found on its date, with its category's Chinese name
    Item = new.get_model("permits", "RectificationItem")
    rows = Item.objects.order_by("pk").values_list(
        "source_kind", "source_key", "source_label", "found_on", "category_label", "quality_check_id"
    )
    source = ("quality_check", f"permits.quality_check:{check.pk}", "2025-09-30 现场核查", date(2025, 9, 30))
    assert list(rows) == [
        (*source, "违规降低管理级别", check.pk),
        (*source, "实际排放与许可不符", check.pk),
    ]
    history = new.get_model("permits", "HistoricalRectificationItem").objects.get()
    assert (history.source_kind, history.source_label, history.found_on, history.category_label) == (
        "quality_check",
        "2025-09-30 现场核查",
        date(2025, 9, 30),
        "违规降低管理级别",
    )


BEFORE_DECISIONS = [("permits", "0009_rectification_deadline_provisional")]
WITH_DECISIONS = [("permits", "0011_split_renewal_decisions")]


def test_r_per_1_a_granted_renewal_becomes_an_application_and_its_decision(migrator):
    # given: a permit renewed under the old schema (the grant written onto its application), with the
    # history of its first validity, and a lead of a withdrawn permit
    old = migrator(BEFORE_DECISIONS)
    approval_clerk, town_a = people(old)
    Facility = old.get_model("permits", "Facility")
    Permit = old.get_model("permits", "Permit")
    HistoricalPermit = old.get_model("permits", "HistoricalPermit")
    Event = old.get_model("permits", "PermitEvent")
    Lead = old.get_model("permits", "UnlicensedDischargeLead")
    facility = Facility.objects.create(
        credit_code="91310107MA1G8XY21P",
        name="甲镇涂料厂",
        town_id=town_a.pk,
        industry_code="2641",
        industry_name="涂料制造",
        management_level="key",
    )
    fields = {
        "number": "P-1",
        "facility": facility,
        "management_level": "key",
        "issued_on": date(2021, 1, 10),
    }
    fields |= {"valid_from": date(2021, 1, 10), "report_frequency": "quarterly"}
    permit = Permit.objects.create(valid_until=date(2031, 1, 9), **fields)
    HistoricalPermit.objects.create(
        id=permit.pk,
        valid_until=date(2026, 1, 9),
        facility_id=facility.pk,
        history_date=timezone.now(),
        history_type="+",
        **{k: v for k, v in fields.items() if k != "facility"},
    )
    Event.objects.create(permit=permit, kind="first_application", occurred_on=date(2021, 1, 10))
    application = Event.objects.create(
        permit=permit,
        kind="renewal",
        occurred_on=date(2025, 10, 1),
        new_valid_until=date(2031, 1, 9),
        document_no="普环许延〔2025〕1号",
        recorded_by_id=approval_clerk.pk,
    )
    withdrawn = Permit.objects.create(valid_until=date(2028, 1, 9), **{**fields, "number": "P-2"})
    Event.objects.create(permit=withdrawn, kind="first_application", occurred_on=date(2021, 1, 10))
    Event.objects.create(permit=withdrawn, kind="withdrawal", occurred_on=date(2025, 3, 1))
    lead = Lead.objects.create(
        facility=facility, permit=withdrawn, expired_on=date(2025, 3, 1), detected_on=date(2025, 3, 2)
    )
    # when
    new = migrator(WITH_DECISIONS)
    # then: the application keeps what was applied for; the decision is its own event
    Event = new.get_model("permits", "PermitEvent")
    application = Event.objects.get(pk=application.pk)
    decision = Event.objects.get(kind="renewal_decision")
    assert (application.new_valid_until, application.document_no, application.occurred_on) == (
        None,
        "",
        date(2025, 10, 1),
    )
    assert (
        decision.renewal_application_id,
        decision.renewal_granted,
        decision.previous_valid_until,
        decision.new_valid_until,
        decision.document_no,
        decision.recorded_by_id,
    ) == (application.pk, True, date(2026, 1, 9), date(2031, 1, 9), "普环许延〔2025〕1号", approval_clerk.pk)
    assert "迁移" in decision.note
    assert Event.objects.count() == 5
    # and the lead of the withdrawn permit says so
    assert new.get_model("permits", "UnlicensedDischargeLead").objects.get(pk=lead.pk).case == "withdrawn"
