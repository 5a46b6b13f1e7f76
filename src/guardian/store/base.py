"""What every repository shares: a connection, a time source and error translation."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from guardian.store.connection import atomic, path_of
from guardian.store.errors import translating


class Repo:
    """Base of the typed repositories; writes go through :meth:`_write`, reads :meth:`_read`."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], float]) -> None:
        self._conn = conn
        self._now = now

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return atomic(self._conn)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with translating(path_of(self._conn)):
            yield self._conn

    def _timestamp(self) -> int:
        return int(self._now())
