"""``Store``: one open database with its repositories."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from guardian.clock import SystemClock
from guardian.core.clock import Clock
from guardian.store.activity_repos import EventsRepo, GrantsRepo, PausesRepo, RequestsRepo, UsageRepo
from guardian.store.connection import atomic, connect, quick_check
from guardian.store.errors import DatabaseCorrupt, StoreError, translating
from guardian.store.family_copy import had_content
from guardian.store.family_repos import AppsRepo, ChildrenRepo, MetaRepo, ParentsRepo, RulesRepo
from guardian.store.migrations import LATEST_VERSION, migrate, user_version
from guardian.store.retention import RetentionRepo
from guardian.store.rollup_repos import UsageDaysRepo
from guardian.store.summary_repos import SummaryReads
from guardian.store.web_repos import WebBlocksRepo

_ACTIVITY_TABLES: tuple[tuple[str, str], ...] = (
    ("usage", "end"),
    ("events", "ts"),
    ("requests", "ts"),
    ("grants", "ts"),
    ("pauses", "ts"),
    ("web_blocks", "ts"),
)


class Store:
    """Guardian's database: opened with :func:`connect`, migrated, with typed repositories.

    ``readonly`` opens without migrating; a database that still needs migrating is refused
    with :class:`StoreError`. ``full_check=False`` (short commands that read) skips the page-by-page
    ``PRAGMA quick_check`` at open, unless the database is to be migrated. Use as a context manager or
    call :meth:`close`.
    """

    def __init__(
        self, path: Path, *, readonly: bool = False, clock: Clock | None = None, full_check: bool = True
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._clock: Clock = clock or SystemClock()
        if not readonly:
            _refuse_emptied(self.path)
        self.conn = connect(self.path, readonly=readonly, max_version=LATEST_VERSION, full_check=full_check)
        try:
            if not full_check and not readonly:
                with translating(self.path):
                    if 0 < user_version(self.conn) < LATEST_VERSION:  # a migration rewrites the file
                        quick_check(self.conn, self.path)
            self.backup = self._upgrade()
        except BaseException:
            self.conn.close()
            raise
        now = self._clock.now
        self.meta = MetaRepo(self.conn, now)
        self.rules = RulesRepo(self.conn, now)
        self.children = ChildrenRepo(self.conn, now)
        self.apps = AppsRepo(self.conn, now)
        self.parents = ParentsRepo(self.conn, now)
        self.usage = UsageRepo(self.conn, now)
        self.usage_days = UsageDaysRepo(self.conn, now)
        self.events = EventsRepo(self.conn, now)
        self.requests = RequestsRepo(self.conn, now)
        self.grants = GrantsRepo(self.conn, now)
        self.pauses = PausesRepo(self.conn, now)
        self.retention = RetentionRepo(self.conn, now)
        self.summary_reads = SummaryReads(self.conn, now)
        self.web_blocks = WebBlocksRepo(self.conn, now)

    def _upgrade(self) -> Path | None:
        if not self.readonly:
            return migrate(self.conn, self.path, now=self._clock.now)
        if user_version(self.conn) != LATEST_VERSION:
            raise StoreError(self.path, "it needs an upgrade; open it once for writing first")
        return None

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """Group several repository writes into one transaction."""
        with atomic(self.conn) as conn:
            yield conn

    def data_version(self) -> int:
        """A number that changes when another connection commits (``PRAGMA data_version``): cheap to poll."""
        with translating(self.path):
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def purge_before(self, ts: int) -> dict[str, int]:
        """Delete usage ending, and events/requests/grants made, before ``ts``; counts per table."""
        removed: dict[str, int] = {}
        with atomic(self.conn) as db:
            for table, column in _ACTIVITY_TABLES:
                cursor = db.execute(f"DELETE FROM {table} WHERE {column} < ?", (int(ts),))
                removed[table] = cursor.rowcount
            db.execute("DELETE FROM usage_days WHERE day_end <= ?", (int(ts),))
        return removed

    def erase_child_data(self, child_id: int) -> None:
        """Delete every record of a child; an inactive child's row and accounts go too."""
        with atomic(self.conn) as db:
            for table, _ in _ACTIVITY_TABLES:
                db.execute(f"DELETE FROM {table} WHERE child_id = ?", (child_id,))
            db.execute("DELETE FROM usage_days WHERE child_id = ?", (child_id,))
            db.execute("DELETE FROM children WHERE id = ? AND active = 0", (child_id,))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _refuse_emptied(path: Path) -> None:
    """An empty (0-byte) file where Guardian kept a database before is damage, not a new database."""
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return
    if empty and had_content(path):
        raise DatabaseCorrupt(path, "it is empty (0 bytes) although rules were saved in it before")
