"""Ordered, named schema migrations.

Each migration is a function ``mNNN_name(db)`` in :data:`MIGRATIONS`; the Nth entry brings the
database to ``PRAGMA user_version = N``. Each runs in its own transaction together with its record
in the ``migrations`` table and the version bump, so a failure leaves the previous version intact.
Before an existing database is migrated, a copy is written next to it with the SQLite backup API:
``guardian.db.bak-v{old}-{UTC timestamp}``.

Never edit a released migration; add a new one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from guardian.store.connection import atomic, restrict_permissions
from guardian.store.errors import DatabaseTooNew, MigrationFailed, translating

Migration = Callable[[sqlite3.Connection], None]

_INITIAL_SCHEMA: tuple[str, ...] = (
    "CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    """CREATE TABLE rules (
        version INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        document TEXT NOT NULL)""",
    """CREATE TABLE children (
        id INTEGER PRIMARY KEY,
        name TEXT UNIQUE NOT NULL COLLATE NOCASE,
        age INTEGER,
        position INTEGER,
        active INTEGER NOT NULL DEFAULT 1)""",
    """CREATE TABLE accounts (
        username TEXT PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE) WITHOUT ROWID""",
    "CREATE INDEX accounts_child ON accounts (child_id)",
    """CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        custom INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
    # The hot path of reports: one b-tree keyed (child, start, app) holds whole rows.
    """CREATE TABLE usage (
        child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
        app TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (child_id, start, app)) WITHOUT ROWID""",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        child_id INTEGER REFERENCES children(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        kind TEXT NOT NULL,
        app TEXT,
        data TEXT)""",
    "CREATE INDEX events_child_ts ON events (child_id, ts)",
    "CREATE INDEX events_ts ON events (ts)",
    """CREATE TABLE grants (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        day TEXT NOT NULL,
        seconds INTEGER NOT NULL,
        app TEXT,
        reason TEXT NOT NULL DEFAULT '',
        by_role TEXT NOT NULL)""",
    "CREATE INDEX grants_child_day ON grants (child_id, day)",
    """CREATE TABLE parents (
        role TEXT PRIMARY KEY,
        hash BLOB NOT NULL,
        salt BLOB NOT NULL,
        n INTEGER NOT NULL,
        r INTEGER NOT NULL,
        p INTEGER NOT NULL,
        created_at INTEGER NOT NULL) WITHOUT ROWID""",
)


def m001_initial(db: sqlite3.Connection) -> None:
    """The first-cut tables (plain SQL: WITHOUT ROWID, NOCASE and cascades need it)."""
    for statement in _INITIAL_SCHEMA:
        db.execute(statement)


def m002_requests(db: sqlite3.Connection) -> None:
    """Children's requests for more time, and the parent's answers."""
    import sqlite_utils  # ~70 ms to import: only when a database is created or migrated

    utils = sqlite_utils.Database(db, recursive_triggers=False, execute_plugins=False)
    utils.create_table(
        "requests",
        {
            "id": int,
            "child_id": int,
            "ts": int,
            "seconds": int,
            "app": str,
            "reason": str,
            "status": str,
            "answered_at": int,
            "answered_seconds": int,
            "answered_by": str,
        },
        pk="id",
        not_null={"child_id", "ts", "seconds", "reason", "status"},
        defaults={"reason": "", "status": "pending"},
        foreign_keys=[("child_id", "children", "id")],
    )
    requests = utils.table("requests")
    requests.create_index(["child_id", "ts"], index_name="requests_child_ts")
    db.execute("CREATE INDEX requests_pending ON requests (child_id) WHERE status = 'pending'")


def m003_pauses(db: sqlite3.Connection) -> None:
    """A parent's "pause until tomorrow": one row per child and logical day."""
    db.execute(
        """CREATE TABLE pauses (
            child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            ts INTEGER NOT NULL,
            by_role TEXT NOT NULL,
            PRIMARY KEY (child_id, day)) WITHOUT ROWID"""
    )


def m004_usage_pieces(db: sqlite3.Connection) -> None:
    """Usage rows longer than an hour become consecutive pieces of at most an hour, and the stored
    longest span (which one long interval made every overlap query scan back to) is dropped."""
    db.execute(
        """CREATE TEMP TABLE usage_pieces AS
        WITH RECURSIVE piece(child_id, app, start, stop, last) AS (
            SELECT child_id, app, start, min(start + 3600, end), end FROM usage WHERE end - start > 3600
            UNION ALL
            SELECT child_id, app, stop, min(stop + 3600, last), last FROM piece WHERE stop < last)
        SELECT child_id, app, start, stop FROM piece"""
    )
    db.execute("DELETE FROM usage WHERE end - start > 3600")
    db.execute(
        "INSERT INTO usage (child_id, app, start, end) SELECT child_id, app, start, stop"
        " FROM temp.usage_pieces WHERE true"
        " ON CONFLICT(child_id, start, app) DO UPDATE SET end = max(end, excluded.end)"
    )
    db.execute("DROP TABLE temp.usage_pieces")
    db.execute("DELETE FROM meta WHERE key = 'store.usage_max_span'")


def m005_web_blocks(db: sqlite3.Connection) -> None:
    """Blocked web lookups: only a count per child, logical day and category, never a name or address."""
    db.execute(
        """CREATE TABLE web_blocks (
            child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            category TEXT NOT NULL,
            count INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            PRIMARY KEY (child_id, day, category)) WITHOUT ROWID"""
    )


def m006_usage_days(db: sqlite3.Connection) -> None:
    """A per-day rollup of usage for reports: per child and logical day (its bounds kept), the seconds
    per app (with the category it was counted in) and per category, and one ``kind = 0`` row marking the
    day as rolled up (a day without usage has only that row). A cache of what the ``usage`` rows give:
    triggers drop a day's rollup whenever a row overlapping it is written, changed or deleted, by any
    path (late writes, journal merges, erasing, retention), so it never disagrees with the rows."""
    db.execute(
        """CREATE TABLE usage_days (
            child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
            day_start INTEGER NOT NULL,
            day_end INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            label TEXT NOT NULL,
            category TEXT,
            seconds INTEGER NOT NULL,
            PRIMARY KEY (child_id, day_start, kind, label)) WITHOUT ROWID"""
    )
    # A kept day is at most USAGE_DAY_MAX_S (3 days) long, so the days a row overlaps start after its
    # start minus that: the triggers scan a short range of the key, not the child's whole history.
    drop = (
        "DELETE FROM usage_days WHERE child_id = {r}.child_id AND day_start < {hi}"
        " AND day_start > {lo} - 259200 AND day_end > {lo};"
    )
    new, old = (
        drop.format(r="NEW", lo="NEW.start", hi="NEW.end"),
        drop.format(r="OLD", lo="OLD.start", hi="OLD.end"),
    )
    db.execute(f"CREATE TRIGGER usage_days_insert AFTER INSERT ON usage BEGIN {new} END")
    db.execute(f"CREATE TRIGGER usage_days_delete AFTER DELETE ON usage BEGIN {old} END")
    # The agent's usual write extends the open row's end: only the days after the old end change.
    extended = (
        "OLD.child_id = NEW.child_id AND OLD.app = NEW.app AND OLD.start = NEW.start AND NEW.end >= OLD.end"
    )
    db.execute(
        f"CREATE TRIGGER usage_days_extend AFTER UPDATE OF child_id, app, start, end ON usage WHEN {extended}"
        f" BEGIN {drop.format(r='NEW', lo='OLD.end', hi='NEW.end')} END"
    )
    db.execute(
        f"CREATE TRIGGER usage_days_update AFTER UPDATE OF child_id, app, start, end ON usage WHEN NOT ({extended})"
        f" BEGIN {old} {new} END"
    )


MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_requests,
    m003_pauses,
    m004_usage_pieces,
    m005_web_blocks,
    m006_usage_days,
)
LATEST_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    now: Callable[[], float] = time.time,
) -> Path | None:
    """Apply the pending ``migrations``; return the backup written first, if any.

    Raises :class:`DatabaseTooNew` (nothing touched) when the database is ahead of
    ``migrations``, and :class:`MigrationFailed` when a step fails (that step rolled back).
    """
    current = user_version(conn)
    target = len(migrations)
    if current > target:
        raise DatabaseTooNew(path, current, target)
    if current == target:
        return None
    backup = backup_copy(conn, path, current, now()) if _has_content(conn) else None
    for number in range(current + 1, target + 1):
        _apply(conn, path, migrations[number - 1], number, now, backup)
    return backup


def _apply(
    conn: sqlite3.Connection,
    path: Path,
    migration: Migration,
    number: int,
    now: Callable[[], float],
    backup: Path | None,
) -> None:
    try:
        with atomic(conn):
            migration(conn)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (migration.__name__, int(now())),
            )
            conn.execute(f"PRAGMA user_version = {number:d}")
    except sqlite3.Error as exc:  # environment errors already left atomic() as StoreError
        raise MigrationFailed(path, migration.__name__, backup) from exc


def _has_content(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def backup_path(path: Path, version: int, when: float) -> Path:
    """A free name ``<db>.bak-v{version}-{YYYYmmddTHHMMSSZ}`` next to ``path``."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(when))
    candidate = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    suffix = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{suffix}")
        suffix += 1
    return candidate


def backup_copy(conn: sqlite3.Connection, path: Path, version: int, when: float) -> Path:
    """Copy the database behind ``conn`` next to ``path`` with the SQLite backup API."""
    target = backup_path(path, version, when)
    try:
        with translating(target):
            copy = sqlite3.connect(target)
            try:
                conn.backup(copy)
            finally:
                copy.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    restrict_permissions(target)
    return target
