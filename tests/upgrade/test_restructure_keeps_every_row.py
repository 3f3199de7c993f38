"""The restructure of issue 7 moves complaints and meetings out of ``linkage``, the yearly counters into
``bureau`` and gives rectification items a source: a demo database made by the code before it
migrates with every row kept.

The "before" database is made for real: the commit before the restructure is exported from git,
migrated and loaded with ``seed_demo`` by its own code, a django-guardian grant on a complaint is
added (the kind of per-object right that must follow the model), and then today's code migrates a
copy of it. Every table's rows are compared whole, under the table's new name where it moved. The same
runs on SQLite and, in CI's second pass, on PostgreSQL (a scratch database beside the test one).
"""

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

BEFORE = "05226ef"  # the last commit before the restructure (issue 7)
ROOT = Path(__file__).resolve().parents[2]
MOVED = {"linkage_complaint": "complaints", "linkage_complaintreporter": "complaints",
         "linkage_historicalcomplaint": "complaints", "linkage_historicalcomplaintreporter": "complaints",
         "linkage_dispatchmeeting": "meetings", "linkage_historicaldispatchmeeting": "meetings",
         "linkage_meetingdecision": "meetings", "linkage_historicalmeetingdecision": "meetings",
         "linkage_studysession": "meetings", "linkage_historicalstudysession": "meetings"}  # fmt: skip
COUNTERS = {"linkage_taskcounter": "linkage-task", "linkage_complaintcounter": "complaint"}
# Tables that grow with the new apps' migrations and models, not business data; django-celery-beat's
# change marker is touched when a new periodic job is registered.
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "sqlite_sequence",
    "django_celery_beat_periodictasks",
}
# The schedule gains a row for each new periodic job (``bureau.periodic`` creates only what is missing);
# the rows that were there, with any change the administrator made, stay as they were.
SCHEDULE = {"django_celery_beat_periodictask", "django_celery_beat_crontabschedule"}


def schedule_last_ids(database: "Database") -> dict[str, int]:
    """The last row id of each schedule table, before the migration."""
    return {table: database.rows(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')[0][0] for table in SCHEDULE}


def assert_schedule_kept(database: "Database", before_columns, before, last_ids: dict[str, int]) -> None:
    """Every schedule row that was there before is there after, unchanged; new jobs may add rows."""
    for table, last_id in last_ids.items():
        kept = database.digest(table, before_columns[table], up_to=last_id)
        assert kept == before[table], f"{table} 原有的定时任务有变化"


# Changed on purpose: 污染防治科 takes its full name (bureau.sections), with a history row saying why and
# its permission group renamed; the towns' guardian grants on themselves go (R-ORG-3 is the Viewer's).
CHANGED_ON_PURPOSE = {
    "bureau_section",
    "bureau_historicalsection",
    "auth_group",
    "guardian_groupobjectpermission",
    # issue 8: the key industries as DESIGN lists them (R-FAC-2), proven in test_sites_keep_every_row.
    "permits_keyindustry",
    "permits_historicalkeyindustry",
}
GRANT = """
from django.contrib.auth.models import Permission
from guardian.models import UserObjectPermission
from django.contrib.contenttypes.models import ContentType
from bureau.models import User
ct = ContentType.objects.get(app_label="linkage", model="complaint")
perm = Permission.objects.get(content_type=ct, codename="view_complaint")
UserObjectPermission.objects.create(
    user=User.objects.get(username="enforcement"), permission=perm, content_type=ct,
    object_pk=str(ct.model_class().objects.order_by("pk").first().pk),
)
"""


class Database:
    """A scratch database of the kind the suite runs on: a SQLite file, or a PostgreSQL database."""

    def __init__(self, tmp_path: Path):
        engine = settings.DATABASES["default"]["ENGINE"]
        self.is_postgres = "postgresql" in engine
        if self.is_postgres:
            base = settings.DATABASES["default"]
            self.name = f"bureau_migration_{uuid.uuid4().hex[:8]}"
            self.admin = dict(
                host=base["HOST"], port=base["PORT"], user=base["USER"], password=base["PASSWORD"]
            )
            self._admin_sql(f'CREATE DATABASE "{self.name}"')
            self.url = (
                f"postgres://{base['USER']}:{base['PASSWORD']}@{base['HOST']}:{base['PORT']}/{self.name}"
            )
        else:
            self.url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"

    def _admin_sql(self, sql: str) -> None:
        import psycopg2

        connection = psycopg2.connect(dbname="postgres", **self.admin)
        connection.autocommit = True
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    def drop(self) -> None:
        if self.is_postgres:
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.name}"')

    def connect(self):
        if self.is_postgres:
            import psycopg2

            return psycopg2.connect(dbname=self.name, **self.admin)
        import sqlite3

        return sqlite3.connect(dj_database_url.parse(self.url)["NAME"])

    def columns(self) -> dict[str, list[str]]:
        """Every table and its columns."""
        connection = self.connect()
        try:
            cursor = connection.cursor()
            if self.is_postgres:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            result = {}
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
                result[table] = [column[0] for column in cursor.description]
            return result
        finally:
            connection.close()

    def digest(self, table: str, columns: list[str], *, up_to: int | None = None) -> tuple[int, str]:
        """The row count and a digest of ``columns`` of every row, in the order of the first column;
        with ``up_to``, of the rows whose first column is at most that (the rows that were there)."""
        names = ", ".join(f'"{c}"' for c in columns)
        where = "" if up_to is None else f' WHERE "{columns[0]}" <= {int(up_to)}'
        rows = self.rows(f'SELECT {names} FROM "{table}"{where} ORDER BY "{columns[0]}"')
        return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()

    def rows(self, sql: str) -> list[tuple]:
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return cursor.fetchall()
        finally:
            connection.close()


def manage(code_dir: Path, database_url: str, *args: str, stdin: str | None = None) -> None:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(code_dir / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code_dir, env=env, input=stdin, text=True, check=True,
        capture_output=True,
    )  # fmt: skip


def export_before(target: Path, commit: str = BEFORE) -> Path:
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        pytest.fail(
            f"需要 git 历史中的提交 {commit} 来生成重构前的演示数据库（浅克隆请先 git fetch --unshallow）："
            + archive.stderr.decode(errors="replace")
        )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def test_r_ret_1_the_demo_database_of_before_the_restructure_migrates_with_every_row_kept(tmp_path):
    # given: a demo database made by the code before the restructure, with a guardian grant
    before_code = export_before(tmp_path / "before")
    database = Database(tmp_path)
    try:
        manage(before_code, database.url, "migrate", "--noinput")
        manage(before_code, database.url, "seed_demo")
        manage(before_code, database.url, "shell", stdin=GRANT)
        before_columns = database.columns()
        before = {table: database.digest(table, cols) for table, cols in before_columns.items()}
        sections_before = database.rows("SELECT id, code, name, short_name FROM bureau_section ORDER BY id")
        # by name, not by position: SQLite rebuilds a table whose column changes type and puts it last
        section_history_sql = (
            "SELECT "
            + ", ".join(f'"{column}"' for column in before_columns["bureau_historicalsection"])
            + " FROM bureau_historicalsection ORDER BY history_id"
        )
        section_history_before = database.rows(section_history_sql)
        groups_before = database.rows("SELECT id, name FROM auth_group ORDER BY id")
        grants_before = database.rows(
            "SELECT g.id, ct.model FROM guardian_groupobjectpermission g "
            "JOIN django_content_type ct ON ct.id = g.content_type_id ORDER BY g.id"
        )
        counters = {
            series: database.rows(f"SELECT year, last FROM {table} ORDER BY year")
            for table, series in COUNTERS.items()
        }
        last_ids = schedule_last_ids(database)
        # when: today's code migrates it
        manage(ROOT, database.url, "migrate", "--noinput")
        after_columns = database.columns()
        assert_schedule_kept(database, before_columns, before, last_ids)
        # then: every business table keeps every row and every value of the columns it had, under its
        # new name if it moved (columns added since, like a rectification's source, may be new)
        for table, (count, digest) in before.items():
            if table in BOOKKEEPING or table in COUNTERS or table in CHANGED_ON_PURPOSE or table in SCHEDULE:
                continue
            new_name = table.replace("linkage_", f"{MOVED[table]}_", 1) if table in MOVED else table
            assert new_name in after_columns, f"{table} 迁移后不见了"
            lost = set(before_columns[table]) - set(after_columns[new_name])
            assert not lost, f"{table} → {new_name} 少了列 {lost}"
            assert database.digest(new_name, before_columns[table]) == (count, digest), (
                f"{table} → {new_name} 的数据有变化"
            )
        assert (
            before["permits_rectificationitem"][0] > 0
            and before["linkage_complaint"][0] > 0
            and before["linkage_dispatchmeeting"][0] > 0
        )
        # the sections are the same rows; only 污染防治科 reads as 《规定》 writes it, and its history says so
        assert database.rows("SELECT id, code, name, short_name FROM bureau_section ORDER BY id") == [
            (pk, code, "污染防治科（辐射安全管理科）" if code == "pollution" else name, short)
            for pk, code, name, short in sections_before
        ]
        section_history = database.rows(section_history_sql)
        assert section_history[: len(section_history_before)] == section_history_before
        assert len(section_history) == len(section_history_before) + 1
        # every rectification item came from a quality check and now says so, with its link back
        assert database.rows(
            "SELECT DISTINCT source_kind FROM permits_rectificationitem WHERE quality_check_id IS NOT NULL"
        ) == [("quality_check",)]
        assert database.rows(
            "SELECT COUNT(*) FROM permits_rectificationitem WHERE source_url = "
            + ("'/facilities/' || facility_id || '/#check-' || quality_check_id")
        ) == [(before["permits_rectificationitem"][0],)]
        assert database.rows("SELECT id, name FROM auth_group ORDER BY id") == [
            (pk, "科室：污染防治科（辐射安全管理科）" if name == "科室：污染防治科" else name)
            for pk, name in groups_before
        ]
        assert grants_before and {model for _, model in grants_before} == {"town"}
        assert not database.rows("SELECT id FROM guardian_groupobjectpermission")
        # the counters went on as bureau's number series, so the next numbers follow on
        for series, rows in counters.items():
            assert rows, f"{series} 计数为空"
            assert (
                database.rows(
                    f"SELECT year, last FROM bureau_numberseries WHERE series = '{series}' ORDER BY year"
                )
                == rows
            )
        # the content types moved with the models, so the guardian grant still names the complaint
        assert database.rows(
            "SELECT ct.app_label, ct.model FROM guardian_userobjectpermission g "
            "JOIN django_content_type ct ON ct.id = g.content_type_id"
        ) == [("complaints", "complaint")]
        assert not database.rows(
            "SELECT model FROM django_content_type WHERE app_label = 'linkage' AND model LIKE '%complaint%'"
        )
    finally:
        database.drop()
