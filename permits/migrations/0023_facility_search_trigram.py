"""Trigram indexes for the facility search (issue 15: the name search read every row, twice a page).

``icontains`` compares ``UPPER(column::text) LIKE UPPER('%…%')`` on PostgreSQL; a GIN index with
``gin_trgm_ops`` on that very expression answers it for any substring of three characters or more,
Chinese included (pg_trgm counts a CJK character as a word character under a UTF-8 locale). Name and
source code are indexed: a source code begins with its unit's credit code, so the search matches the
credit code through it (``permits.queries.facility_matching``).

PostgreSQL only: SQLite has neither the extension nor GIN, and keeps its plain ``LIKE``. The indexes
are not declared on the model (Django cannot declare an index for one database only), so the model
state is unchanged and ``makemigrations`` sees nothing to do. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

INDEXES = {
    "permits_facility_name_trgm": "name",
    "permits_facility_source_code_trgm": "source_code",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "permits_facility" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [("permits", "0022_history_reason_whole")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
