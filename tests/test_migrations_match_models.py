"""The migrations describe the models exactly, and a new database is made by the squashed ones."""

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

# linkage, complaints and meetings are not squashed: the last two were moved out of linkage by migrations
# that rename its tables, so a database part-way through them goes on one by one, all three together.
SQUASHED_APPS = {"grading", "inspections", "monitoring", "permits", "reports"}


@pytest.mark.django_db  # makemigrations checks the history the database has applied
def test_no_model_change_lacks_its_migration():
    # SystemExit(1) names the app whose models differ from their migrations
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_new_database_is_made_by_one_migration_per_squashed_app():
    # given: the plan for a database that has applied nothing
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = {key for key in loader.graph.nodes if key[0] in SQUASHED_APPS}
    # then: each of those apps is its one squashed migration, and every later migration builds on it
    squashed = {key for key, migration in loader.disk_migrations.items() if migration.replaces}
    assert {app for app, _ in squashed} == SQUASHED_APPS
    assert squashed <= plan
    first = {app: key for key in squashed for app in [key[0]]}
    for key in plan - squashed:
        assert first[key[0]] in loader.graph.forwards_plan(key), f"{key} does not build on {first[key[0]]}"
