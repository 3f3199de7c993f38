"""Issue 8 makes each facility a site of a unit (R-FAC-1) and adjusts the key industries (R-FAC-2): a
demo database made by the code before it migrates with every row kept (R-RET-1).

As in ``test_restructure_keeps_every_row``, the "before" database is made for real: commit e013dbf (the
last before issue 8) is exported from git, migrated and seeded by its own ``seed_demo``, and today's
code migrates it. That costs one demo seed (about half a minute on SQLite); migrating back with
``MigrationExecutor`` would be cheaper but could only seed hand-made rows through historical models,
not the demo data with its history, which is what an upgrade meets. Runs on SQLite and, in CI's second
pass, on PostgreSQL.
"""

from tests.upgrade.test_restructure_keeps_every_row import (
    BOOKKEEPING,
    ROOT,
    SCHEDULE,
    Database,
    assert_schedule_kept,
    export_before,
    manage,
    schedule_last_ids,
)

BEFORE_SITES = "e013dbf"  # the last commit before issue 8
# Changed on purpose, and checked below: 电力 → 电力生产 and 221 纸浆制造 added, each with a history row.
KEY_INDUSTRY_TABLES = {"permits_keyindustry", "permits_historicalkeyindustry"}


def test_r_ret_1_r_fac_1_every_facility_becomes_site_001_of_its_unit_with_every_row_kept(tmp_path):
    # given: the demo database of the code before issue 8
    before_code = export_before(tmp_path / "before", BEFORE_SITES)
    database = Database(tmp_path)
    try:
        manage(before_code, database.url, "migrate", "--noinput")
        manage(before_code, database.url, "seed_demo")
        before_columns = database.columns()
        before = {table: database.digest(table, cols) for table, cols in before_columns.items()}
        facilities = database.rows("SELECT id, credit_code, name FROM permits_facility ORDER BY id")
        history_before = database.rows("SELECT COUNT(*) FROM permits_historicalfacility")
        industries = dict(database.rows("SELECT code, name FROM permits_keyindustry"))
        last_ids = schedule_last_ids(database)
        # when: today's code migrates it
        manage(ROOT, database.url, "migrate", "--noinput")
        after_columns = database.columns()
        assert_schedule_kept(database, before_columns, before, last_ids)
        # then: every table keeps every row and every value of the columns it had
        for table, (count, digest) in before.items():
            if table in BOOKKEEPING or table in KEY_INDUSTRY_TABLES or table in SCHEDULE:
                continue
            lost = set(before_columns[table]) - set(after_columns[table])
            assert not lost, f"{table} 少了列 {lost}"
            assert database.digest(table, before_columns[table]) == (count, digest), f"{table} 的数据有变化"
        assert len(facilities) >= 300
        # each facility is site 001 of the unit of its credit code, named as it was
        assert database.rows(
            "SELECT f.id, u.credit_code, u.name, f.site_number, f.source_code FROM permits_facility f "
            "JOIN permits_unit u ON u.id = f.unit_id ORDER BY f.id"
        ) == [(pk, code, name, "001", f"{code}001") for pk, code, name in facilities]
        assert database.rows("SELECT COUNT(*) FROM permits_unit") == [(len(facilities),)]
        # history is kept, and reads the same site: no history row lacks its unit or source code
        assert database.rows("SELECT COUNT(*) FROM permits_historicalfacility") == history_before
        assert (
            database.rows(
                "SELECT COUNT(*) FROM permits_historicalfacility h JOIN permits_facility f ON f.id = h.id "
                "WHERE h.unit_id = f.unit_id AND h.source_code = f.source_code AND h.site_number = '001'"
            )
            == history_before
        )
        assert database.rows(
            "SELECT COUNT(*), MIN(history_change_reason) FROM permits_historicalunit WHERE history_type = '+'"
        ) == [(len(facilities), "由原排污单位生成（污染源改为单位的厂区，序号 001）")]
        # the key industries as DESIGN lists them; the others untouched
        assert dict(database.rows("SELECT code, name FROM permits_keyindustry")) == {
            **industries,
            "441": "电力生产",
            "221": "纸浆制造",
        }
        assert database.rows(
            "SELECT code, history_type FROM permits_historicalkeyindustry "
            "WHERE history_change_reason = '按设计调整重点行业名录（R-FAC-2）' ORDER BY code"
        ) == [("221", "+"), ("441", "~")]
    finally:
        database.drop()
