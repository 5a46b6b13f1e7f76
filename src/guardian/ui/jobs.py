"""Work off the UI thread: a blocking function runs on ``QThreadPool``, its result comes back as a signal.

    run_job(lambda: link.status(), on_done=self.show_status, on_failed=self.show_error, context=self)

``on_done(result)`` / ``on_failed(exception)`` run on the UI thread (the thread that called
:func:`run_job`), and not at all once ``context`` (a widget, say) has been deleted. This is how Vorta runs
its jobs: a ``QRunnable`` with a ``QObject`` carrying its signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("guardian.ui")

_RUNNING: set[Job] = set()
"""Jobs whose result has not been delivered yet (kept alive until it is)."""


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """One call of ``fn`` on a pool thread."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = JobSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to on_failed on the UI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_job(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    *,
    context: QObject | None = None,
    pool: QThreadPool | Executor | None = None,
) -> Job:
    """Run ``fn`` on ``pool`` (the global ``QThreadPool`` by default, or an ``Executor`` whose threads are
    the caller's to keep); see the module's docstring."""
    job = Job(fn)
    _RUNNING.add(job)

    def alive() -> bool:
        return context is None or shiboken6.isValid(context)

    def done(result: object) -> None:
        _RUNNING.discard(job)
        if on_done is not None and alive():
            on_done(result)

    def failed(exc: object) -> None:
        _RUNNING.discard(job)
        if not alive():
            return
        if on_failed is None:
            log.warning("a background job failed: %s", exc)
        elif isinstance(exc, BaseException):
            on_failed(exc)

    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    if isinstance(pool, Executor):
        pool.submit(job.run)
    else:
        (pool or QThreadPool.globalInstance()).start(job)
    return job


def pending_jobs() -> int:
    """Jobs started whose result has not been delivered yet (tests wait for 0)."""
    return len(_RUNNING)
