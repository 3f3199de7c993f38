"""Backup and restore (README, 备份与恢复): bin/backup.sh dumps the database and packs the uploaded files;
bin/restore.sh puts both into a fresh database and an empty directory, with every row and file intact."""

import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from bureau.accounts.tokens import issue

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _row_counts(dsn: str) -> dict[str, int]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            counts = {}
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    finally:
        conn.close()
    return counts


def test_backup_then_restore_into_a_fresh_database_keeps_every_row_and_file(
    tmp_path, settings, personas, administrator
):
    # given: rows of several kinds and an uploaded file
    settings.MEDIA_ROOT = str(tmp_path / "media")
    issue(administrator, "备份测试")
    content = "整改报告\n".encode() + bytes(range(256))
    stored = default_storage.save("uploads/2026/整改报告.bin", ContentFile(content))
    source = _url(connection.settings_dict["NAME"])
    before = _row_counts(source)
    assert sum(before.values()) > 20
    restored_name = f"restore_{uuid.uuid4().hex[:10]}"
    restored_media = tmp_path / "restored-media"
    try:
        # when
        backup = subprocess.run(
            ["bin/backup.sh", str(tmp_path / "backups")], cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": source, "MEDIA_ROOT": settings.MEDIA_ROOT},
        )
        assert backup.returncode == 0, backup.stderr
        directory = backup.stdout.strip().splitlines()[-1]
        restore = subprocess.run(
            ["bin/restore.sh", directory], cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(restored_name), "MEDIA_ROOT": str(restored_media)},
        )
        assert restore.returncode == 0, restore.stderr
        # then
        assert _row_counts(_url(restored_name)) == before
        assert (restored_media / stored).read_bytes() == content
        # and a second restore into the now non-empty database is refused
        again = subprocess.run(
            ["bin/restore.sh", directory], cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(restored_name), "MEDIA_ROOT": str(tmp_path / "x")},
        )
        assert again.returncode == 3 and "新的空库" in again.stderr
    finally:
        admin = psycopg2.connect(_url("postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        admin.close()
