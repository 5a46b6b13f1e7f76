"""What every console page gets: the API, who is signed in, a signal when data changed, and a way to read
the database off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

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
        self._executor: ThreadPoolExecutor | None = None
        self._reader: GuardianAPI | None = None

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
        if self._executor is None:
            # one thread that lives until close(): the reader's SQLite connection may only be used on it
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guardian-reader")
        run_job(lambda: fn(self._open_reader()), on_done, on_failed, context=context, pool=self._executor)

    def _open_reader(self) -> GuardianAPI:
        if self._reader is None:
            self._reader = self.api.reader()
        return self._reader

    def close(self) -> None:
        """Wait for reads in progress and close the reader's connection (on its thread)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close_reader).result()
            executor.shutdown(wait=True)

    def _close_reader(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
