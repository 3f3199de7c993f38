"""Migrations that move data: run on rows written under the schema before them."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_SOURCES = [("permits", "0004_emission_limit_unique")]
WITH_SOURCES = [("permits", "0007_rectification_sources_required")]


def migrate(targets):
    """Migrate to ``targets`` and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrator(transactional_db):
    """Migrations run outside a test transaction; the schema is put back to the latest afterwards."""
    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_r_per_3_existing_items_become_quality_check_items_of_the_ledger(migrator, approval_clerk, town_a):
    # given: a quality check with two findings and their history, written before items had sources
    old = migrator(BEFORE_SOURCES)
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
