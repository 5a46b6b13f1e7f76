"""The connection factory: settings, refusal to damage foreign or broken files, error translation."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from guardian.store import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseReadOnly,
    DiskFull,
    Store,
    atomic,
    connect,
)
from guardian.store.migrations import LATEST_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_real_db(path: Path, rows: int = 2000) -> None:
    with Store(path) as store:
        store.rules.save("doc", "test", [("An", 9, ["an"])])
        child = store.children.id_for("An")
        assert child is not None
        store.usage.write((child, f"app{i % 7}", 1000 + i * 60, 1050 + i * 60) for i in range(rows))


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Make ``path`` immutable with chattr (works even for root); skip where unsupported."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("this file system or container does not allow chattr +i")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


# --- settings -------------------------------------------------------------------------------


def test_connection_uses_wal_normal_sync_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    conn = connect(tmp_path / "guardian.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.isolation_level is None
        assert isinstance(conn.execute("SELECT 1 AS one").fetchone(), sqlite3.Row)
    finally:
        conn.close()


def test_missing_parent_folder_is_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "guardian.db"
    connect(path).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- atomic ---------------------------------------------------------------------------------


def test_atomic_commits_or_rolls_back_and_nests_with_savepoints(tmp_path: Path) -> None:
    conn = connect(tmp_path / "guardian.db")
    conn.execute("CREATE TABLE t (x INTEGER)")
    with atomic(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ZeroDivisionError), atomic(conn):
            conn.execute("INSERT INTO t VALUES (2)")
            raise ZeroDivisionError
        conn.execute("INSERT INTO t VALUES (3)")
    with pytest.raises(KeyError), atomic(conn):
        conn.execute("INSERT INTO t VALUES (4)")
        raise KeyError
    assert [r[0] for r in conn.execute("SELECT x FROM t ORDER BY x")] == [1, 3]
    assert not conn.in_transaction
    conn.close()


def test_programming_errors_are_not_wrapped(tmp_path: Path) -> None:
    conn = connect(tmp_path / "guardian.db")
    with pytest.raises(sqlite3.OperationalError, match="no such table"), atomic(conn):
        conn.execute("SELECT * FROM nowhere")
    conn.close()


# --- files that are not healthy SQLite databases --------------------------------------------


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"rules = 'not a database'\n" * 50, b"SQLite format 2\x00" + b"\x00" * 100],
    ids=["random-bytes", "text-file", "wrong-header"],
)
def test_foreign_file_is_refused_and_left_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "guardian.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseCorrupt) as raised:
        Store(path)
    assert path.read_bytes() == content
    assert str(path) in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guardian.db"]


def test_truncated_database_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_real_db(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    before = digest(path)
    with pytest.raises(DatabaseCorrupt):
        Store(path)
    assert digest(path) == before


def test_damaged_page_is_found_by_quick_check(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_real_db(path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):  # scribble over every b-tree page header
        data[page * page_size : page * page_size + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DatabaseCorrupt):
        Store(path)
    assert digest(path) == before


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    path.touch()
    with Store(path) as store:
        assert store.rules.current() is None


# --- read-only ------------------------------------------------------------------------------


def test_readonly_connection_refuses_writes_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_real_db(path, rows=10)
    before = digest(path)
    with Store(path, readonly=True) as store:
        assert store.children.id_for("An") is not None
        with pytest.raises(DatabaseReadOnly) as raised:
            store.meta.set("k", "v")
    assert "cannot be written" in str(raised.value)
    assert str(path) in str(raised.value)
    assert digest(path) == before


def test_readonly_open_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        Store(tmp_path / "guardian.db", readonly=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_by_permissions_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(DatabaseReadOnly):
            Store(folder / "guardian.db")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_immutable_folder_is_refused_without_creating_files(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with immutable(folder):
        with pytest.raises(DatabaseReadOnly) as raised:
            Store(folder / "guardian.db")
        assert list(folder.iterdir()) == []
    assert str(folder) in str(raised.value)


def test_immutable_database_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_real_db(path, rows=10)
    before = digest(path)
    with immutable(path), pytest.raises(DatabaseReadOnly):
        Store(path)
    assert digest(path) == before


# --- disk full and busy ---------------------------------------------------------------------


def test_disk_full_raises_disk_full_and_keeps_committed_data(tmp_path: Path) -> None:
    with Store(tmp_path / "guardian.db") as store:
        store.rules.save("doc", "test", [("An", 9, [])])
        child = store.children.id_for("An")
        assert child is not None
        store.usage.write([(child, "game", 100, 200)])
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        big = [(child, f"app-{i}-{'x' * 50}", 1000 + i, 2000 + i) for i in range(5000)]
        with pytest.raises(DiskFull) as raised:
            store.usage.write(big)
        assert "no space left" in str(raised.value)
        assert not store.conn.in_transaction
        assert [iv.app for iv in store.usage.between(child, 0, 10_000)] == ["game"]


def test_lock_held_by_another_connection_raises_busy(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    with Store(path) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            store.conn.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(DatabaseBusy):
                store.meta.set("k", "v")
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.meta.set("k", "v")
        assert store.meta.get("k") == "v"


def test_without_full_check_a_truncated_file_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "guardian.db"
    make_real_db(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(DatabaseCorrupt):
        Store(path, full_check=False)
    assert digest(path) == before


def test_without_full_check_a_database_to_migrate_is_checked_page_by_page(tmp_path: Path) -> None:
    """Opening without the full check still runs it before a migration rewrites the file."""
    path = tmp_path / "guardian.db"
    make_real_db(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION - 1}")
    conn.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        data[page * page_size : page * page_size + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DatabaseCorrupt):
        Store(path, full_check=False)
    assert digest(path) == before
    assert not [p.name for p in tmp_path.iterdir() if ".bak-" in p.name]  # no migration began
