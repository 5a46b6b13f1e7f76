"""The one way to open Guardian's SQLite database, and the ``atomic`` transaction helper.

``connect`` refuses to touch a file that is not a healthy SQLite database: it reads the 16-byte
header before SQLite opens the file, runs ``PRAGMA quick_check`` on an existing file, and only
then switches to WAL. A damaged or foreign file is therefore never rewritten.

``PRAGMA quick_check`` reads every page (tens of milliseconds on a year of usage, growing with the
data). Where that matters (the agent's and the console's start, migrations) it runs; a short
command that only reads asks for ``full_check=False``: the header, the file's length against the
page count in the header and the schema are checked instead, and damage in a page the command
reads still fails that read with :class:`DatabaseCorrupt`.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from guardian.store.errors import (
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    StoreError,
    translating,
)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

_savepoints = itertools.count(1)


class GuardianConnection(sqlite3.Connection):
    """An ``sqlite3.Connection`` that remembers its file, so errors can name it."""

    path: Path = Path("?")


def connect(
    path: Path, *, readonly: bool = False, max_version: int | None = None, full_check: bool = True
) -> sqlite3.Connection:
    """Open the database at ``path`` with Guardian's settings.

    WAL journal, ``synchronous=NORMAL``, a 5 s busy timeout, foreign keys on, explicit
    transactions (``isolation_level=None``) and ``sqlite3.Row`` rows. ``readonly`` opens with
    ``mode=ro`` and ``query_only``. When ``max_version`` is given, a database whose
    ``user_version`` is higher raises :class:`DatabaseTooNew` before anything is changed.

    Raises :class:`DatabaseCorrupt`, :class:`DatabaseReadOnly`, :class:`DatabaseMissing`,
    :class:`DatabaseTooNew` or :class:`DatabaseBusy`; the file is untouched when it does.
    ``full_check=False`` replaces ``PRAGMA quick_check`` by the cheap checks of :func:`sanity_check`.
    """
    path = Path(path)
    existing = _has_sqlite_header(path)
    if readonly and not path.exists():
        raise DatabaseMissing(path, "it must be created by opening it for writing first")
    if not readonly:
        _check_writable_location(path)
    conn = _open(path, readonly=readonly)
    try:
        with translating(path):
            if existing:
                _check_header(conn, path)
                if full_check:
                    quick_check(conn, path)
                else:
                    sanity_check(conn, path)
            if max_version is not None:
                _refuse_newer(conn, path, max_version)
            _configure(conn, readonly=readonly)
    except BaseException:
        conn.close()
        raise
    if not existing and not readonly:
        restrict_permissions(path)
    return conn


def path_of(conn: sqlite3.Connection) -> Path:
    """The file behind ``conn`` (for messages)."""
    return getattr(conn, "path", Path("?"))


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on error.

    Nested use opens a SAVEPOINT, so an inner failure undoes only the inner block (if the
    caller catches it). Environment failures are raised as :class:`StoreError` subclasses.
    """
    with translating(path_of(conn)):
        if conn.in_transaction:
            with _savepoint(conn):
                yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLITE_FULL and friends may already have rolled back
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = f"guardian_sp{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def _has_sqlite_header(path: Path) -> bool:
    """True for a non-empty file (SQLite itself checks its header once open).

    The file is never opened here: closing any descriptor of a database file drops every POSIX lock
    this process holds on it, which would silently break the WAL locking of other connections in
    the same process (the agent's IPC thread opens a second one).
    """
    try:
        if not path.exists():
            return False
    except PermissionError as exc:  # an installed Guardian's data folder is for administrators only
        raise StoreError(path, "this account may not read it: run the command as an administrator") from exc
    if not path.is_file():
        raise StoreError(path, "it is not a regular file")
    try:
        return path.stat().st_size > 0  # an empty file is a new database to SQLite
    except OSError as exc:
        raise StoreError(path, f"it cannot be read: {exc.strerror}") from exc


def _check_header(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not SQLite, through SQLite's own handle (nothing is written)."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(path, "the file is not an SQLite database") from exc


def _check_writable_location(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        with translating(path):
            folder.mkdir(mode=0o700, parents=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseReadOnly(path, f"the folder {folder} is read-only")
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseReadOnly(path, "the file is read-only")


def _open(path: Path, *, readonly: bool) -> GuardianConnection:
    uri = f"{path.absolute().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    with translating(path):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=GuardianConnection)
    conn.path = path
    conn.row_factory = sqlite3.Row
    return conn


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check``: every page is read; :class:`DatabaseCorrupt` unless it answers ``ok``."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise DatabaseCorrupt(path, f"integrity check: {rows[0] if rows else 'no answer'}")


def sanity_check(conn: sqlite3.Connection, path: Path) -> None:
    """Cheap checks in place of :func:`quick_check`: the schema parses, and the file with its WAL is
    long enough for the pages the database counts (a truncated copy is not). Reads the first pages only."""
    with translating(path):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    wal = path.with_name(path.name + "-wal")
    try:
        length = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    except OSError as exc:
        raise StoreError(path, f"it cannot be read: {exc.strerror}") from exc
    if length < pages * page_size:  # pages not yet checkpointed live in the WAL: counted with it
        raise DatabaseCorrupt(path, f"it is truncated ({length} bytes for {pages} pages of {page_size})")


def _refuse_newer(conn: sqlite3.Connection, path: Path, max_version: int) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > max_version:
        raise DatabaseTooNew(path, version, max_version)


def _configure(conn: sqlite3.Connection, *, readonly: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
        return
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def restrict_permissions(path: Path) -> None:
    """A new database holds a family's private data: owner-only (no-op where unsupported)."""
    with suppress(OSError):
        os.chmod(path, 0o600)
