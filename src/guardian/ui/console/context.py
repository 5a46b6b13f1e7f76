"""What every console page gets: the API, who is signed in, a signal when data changed, and a way to read
the database off the UI thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from guardian.api import GuardianAPI
from guardian.ui.jobs import run_job


class ConsoleContext(QObject):
    """Shared by the console's pages. Pages call ``api``; they never touch SQL or policy internals.

    ``role`` is ``"parent"`` or ``"caregiver"`` once unlocked; ``pin`` is kept only while unlocked so
    rule changes can be authorised, and cleared when the console locks.

    Reads that may take a while (the dashboard's, every few seconds) go through :meth:`read`: they run
    on one reader thread with a read-only API of their own, so a busy or slow database never freezes
    the window. Changes still go through ``api`` on the UI thread.
    """

    data_changed = Signal()
    """Rules, grants or requests changed: pages refresh what they show."""
    language_changed = Signal(str)

    def __init__(self, api: GuardianAPI, *, role: str = "parent", pin: str | None = None) -> None:
        super().__init__()
        self.api = api
        self.role = role
        self.pin = pin
        self.language = "vi"
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(1)
        self.read_pool.setExpiryTimeout(-1)  # one thread for the life of the console: it owns the reader
        self._readers = threading.local()
        self._opened: list[GuardianAPI] = []
        self._opened_lock = threading.Lock()

    @property
    def is_parent(self) -> bool:
        return self.role == "parent"

    def read(
        self,
        fn: Callable[[GuardianAPI], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None] | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """``fn(reader)`` on the reader thread; ``on_done(result)`` / ``on_failed(exc)`` on the UI thread."""
        run_job(lambda: fn(self._reader()), on_done, on_failed, context=context, pool=self.read_pool)

    def _reader(self) -> GuardianAPI:
        reader: GuardianAPI | None = getattr(self._readers, "api", None)
        if reader is None:
            reader = self.api.reader()
            self._readers.api = reader
            with self._opened_lock:
                self._opened.append(reader)
        return reader

    def close(self) -> None:
        """Wait for reads in progress and close the reader's database connection."""
        self.read_pool.waitForDone()
        run_job(self._close_readers, pool=self.read_pool)
        self.read_pool.waitForDone()

    def _close_readers(self) -> None:
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for reader in opened:
            # one opened on a thread the pool has let go cannot be closed here: the process end closes it
            with contextlib.suppress(Exception):
                reader.close()
        self._readers = threading.local()
