"""What every console page gets: the API, who is signed in, a signal when data changed, and a way to read
the database off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from guardian.api import GuardianAPI
from guardian.ui.jobs import run_job


class _Worker:
    """One thread that lives until :meth:`close`, with its own API (its SQLite connection may only be
    used on that thread, so neither may be recycled: hence an executor, not a ``QThreadPool``)."""

    def __init__(self, name: str, open_api: Callable[[], GuardianAPI]) -> None:
        self.name = name
        self.open_api = open_api
        self._executor: ThreadPoolExecutor | None = None
        self._api: GuardianAPI | None = None

    def submit(
        self,
        fn: Callable[[GuardianAPI], Any],
        on_done: Callable[[Any], None] | None,
        on_failed: Callable[[BaseException], None] | None,
        context: QObject | None,
    ) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"guardian-{self.name}")
        run_job(lambda: fn(self._opened()), on_done, on_failed, context=context, pool=self._executor)

    def _opened(self) -> GuardianAPI:
        if self._api is None:
            self._api = self.open_api()
        return self._api

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close_api).result()
            executor.shutdown(wait=True)

    def _close_api(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            api.close()


class ConsoleContext(QObject):
    """Shared by the console's pages. Pages call ``api``; they never touch SQL or policy internals.

    ``role`` is ``"parent"`` or ``"caregiver"`` once unlocked; ``pin`` is kept only while unlocked so
    rule changes can be authorised, and cleared when the console locks.

    Database work goes off the UI thread: :meth:`read` (every page's loads and refreshes) runs on a reader
    thread with a read-only API of its own, :meth:`write` (saves, grants, answers, PIN checks with scrypt)
    on a writer thread with its own API. So a busy or slow database never freezes the window; pages keep
    their controls disabled while a call is out. ``api`` itself is only for work that reads nothing (a
    catalog built from rules in hand, the clock, the data folder) and the start-up check for a first run
    (tests/test_console_offthread.py refuses any other call on the UI thread).
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
        self._reader = _Worker("reader", api.reader)
        self._writer = _Worker("writer", lambda: api.reader(writable=True))

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
        self._reader.submit(fn, on_done, on_failed, context)

    def write(
        self,
        fn: Callable[[GuardianAPI], Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """``fn(writer)`` on the writer thread, in the order asked; answers on the UI thread."""
        self._writer.submit(fn, on_done, on_failed, context)

    def close(self) -> None:
        """Wait for work in progress and close the threads' database connections (each on its thread)."""
        self._writer.close()
        self._reader.close()
