"""Schema migrations: fresh databases, upgrades with backups, refusal of newer schemas."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from guardian.store import DatabaseTooNew, MigrationFailed, Store, connect
from guardian.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    backup_path,
    migrate,
    user_version,
)

NOW = 1_780_000_000.0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_v1_database(path: Path) -> None:
    """A database as the first release left it, with a child and usage in it."""
    conn = connect(path)
    migrate(conn, path, migrations=MIGRATIONS[:1], now=lambda: NOW)
    conn.execute("INSERT INTO children (name, age, position) VALUES ('An', 9, 0)")
    conn.execute("INSERT INTO accounts VALUES ('an', 1)")
    conn.execute("INSERT INTO usage VALUES (1, '@screen', 100, 400)")
    conn.execute("INSERT INTO rules (created_at, source, document) VALUES (1, 'cli', 'doc-v1')")
    conn.close()


def test_fresh_database_is_at_latest_version_with_every_migration_recorded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "guardian.db"
    with Store(path) as store:
        assert user_version(store.conn) == LATEST_VERSION
        names = [r[0] for r in store.conn.execute("SELECT name FROM migrations ORDER BY name")]
        assert names == [m.__name__ for m in MIGRATIONS]
        assert store.backup is None
    assert [p.name for p in tmp_path.iterdir() if ".bak-" in p.name] == []


def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    Store(path).close()
    with Store(path) as store:
        assert store.backup is None


def test_v1_database_is_upgraded_keeping_data_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_v1_database(path)
    with Store(path) as store:
        assert user_version(store.conn) == LATEST_VERSION
        an = store.children.by_account("an")
        assert an is not None and an.name == "An"
        assert [iv.seconds for iv in store.usage.between(an.id, 0, 1000)] == [300]
        assert store.rules.current() == (1, "doc-v1")
        store.requests.add(an.id, 600, ts=500, reason="homework")  # the v2 table works
        backup = store.backup
    assert backup is not None and backup.name.startswith("guardian.db.bak-v1-")
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT count(*) FROM usage").fetchone()[0] == 1
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
        assert "requests" not in tables
    finally:
        old.close()


@pytest.mark.parametrize("wal", [True, False], ids=["wal-file", "rollback-journal-file"])
def test_newer_schema_is_refused_and_file_untouched(tmp_path: Path, wal: bool) -> None:
    path = tmp_path / "guardian.db"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
    raw.execute("CREATE TABLE future (x)")
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    raw.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNew) as raised:
        Store(path)
    assert raised.value.found == LATEST_VERSION + 5
    assert str(path) in str(raised.value)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guardian.db"]


def test_failing_migration_leaves_previous_version_and_reports_backup(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_v1_database(path)

    def m002_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    conn = connect(path)
    with pytest.raises(MigrationFailed) as raised:
        migrate(conn, path, migrations=(MIGRATIONS[0], m002_broken), now=lambda: NOW)
    assert raised.value.step == "m002_broken"
    assert raised.value.backup is not None and raised.value.backup.exists()
    assert user_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    conn.close()


def test_backup_names_do_not_collide_within_one_second(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    first = backup_path(path, 1, NOW)
    first.touch()
    second = backup_path(path, 1, NOW)
    assert first.name == "guardian.db.bak-v1-20260528T202640Z"
    assert second != first and not second.exists()


def test_v3_long_usage_rows_are_split_and_the_stored_span_dropped(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    conn = connect(path)
    migrate(conn, path, migrations=MIGRATIONS[:3], now=lambda: NOW)
    conn.execute("INSERT INTO children (name, age, position) VALUES ('An', 9, 0)")
    conn.execute("INSERT INTO usage VALUES (1, 'game', 0, 10000)")  # a long interval
    conn.execute("INSERT INTO usage VALUES (1, 'game', 3600, 3700)")  # collides with a piece: later end kept
    conn.execute("INSERT INTO usage VALUES (1, '@screen', 100, 400)")
    conn.execute("INSERT INTO meta VALUES ('store.usage_max_span', '10000')")
    conn.close()
    with Store(path) as store:
        rows = store.conn.execute("SELECT app, start, end FROM usage ORDER BY app, start").fetchall()
        assert [tuple(r) for r in rows] == [
            ("@screen", 100, 400),
            ("game", 0, 3600),
            ("game", 3600, 7200),
            ("game", 7200, 10000),
        ]
        assert store.meta.get("store.usage_max_span") is None
        assert store.usage.last_end(1) == 10000


def test_commands_on_an_up_to_date_database_never_import_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    Store(tmp_path / "guardian.db").close()
    script = (
        "import sys, contextlib, io\n"
        "from guardian.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--home', {str(tmp_path)!r}, 'status']) == 0\n"
        f"    assert main(['--home', {str(tmp_path)!r}, 'rules', 'export']) == 0\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
