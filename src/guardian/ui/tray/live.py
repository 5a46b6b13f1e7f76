"""The tray's link to the running agent: :class:`guardian.link.AgentLink` calls on worker threads, the
agent's notices through a reconnecting subscription, the status refreshed now and then and after every
notice; results come back on the UI thread. What only the session can see (the foreground window, idle
time) is reported to the agent by a ``reporter`` callable, on a worker thread too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QTimer, Signal

from guardian.core.messages import SessionReport, Status
from guardian.errors import GuardianError, InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from guardian.link import AgentLink, AgentRefused, AgentUnreachable, Subscription
from guardian.ui.tray.link import OnError, OnResult, TrayLink

log = logging.getLogger("guardian.tray")

STATUS_EVERY_MS = 30_000
"""The status is also refreshed after every notice; between them the minutes shown may lag this much."""
REPORT_EVERY_MS = 20_000
"""Session reports besides the ones sent at once when the foreground or the lock changes: the agent trusts
one for ``TRAY_FRESH`` (30 s) plus a tick."""
NOTICE_POLL_S = 30.0
"""How often the subscription thread wakes while no notice comes, only to see whether it should stop (a
notice or a lost agent wakes it at once). :meth:`LiveTrayLink.stop` does not wait for it: it is a daemon
thread and the tray is exiting."""


def error_code(exc: BaseException) -> str:
    if isinstance(exc, AgentUnreachable):
        return "unreachable"
    if isinstance(exc, AgentRefused):
        return exc.code
    for kind, code in (
        (WrongPin, "wrong_pin"),
        (PinLocked, "pin_locked"),
        (NotAllowed, "forbidden"),
        (InvalidInput, "invalid"),
        (PinRequired, "unauthorized"),
    ):
        if isinstance(exc, kind):
            return code
    return "internal"


class LiveTrayLink(TrayLink):
    _deliver = Signal(object)
    """A function to run on the UI thread (posted from a worker thread)."""

    def __init__(
        self,
        link: AgentLink,
        *,
        reporter: Callable[[], SessionReport | None] | None = None,
        status_every_ms: int = STATUS_EVERY_MS,
        report_every_ms: int = REPORT_EVERY_MS,
    ) -> None:
        super().__init__()
        self.link = link
        self.reporter = reporter
        self.online: bool | None = None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="guardian-tray")
        self._status_pending = threading.Event()
        self._report_pending = threading.Event()
        self._report_again = threading.Event()
        self._subscription: Subscription | None = None
        self._deliver.connect(lambda function: function())
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(status_every_ms)
        self.status_timer.timeout.connect(self.refresh)
        self.report_timer = QTimer(self)
        self.report_timer.setInterval(report_every_ms)
        self.report_timer.timeout.connect(self.report)

    def start(self) -> None:
        self._subscription = self.link.subscribe(self._on_notice, on_state=self._on_state)
        self._subscription.POLL = NOTICE_POLL_S  # an idle tray should not wake 5 times a second
        self.status_timer.start()
        if self.reporter is not None:
            self.report_timer.start()
            self.report()
        self.refresh()

    def stop(self) -> None:
        self.status_timer.stop()
        self.report_timer.stop()
        if self._subscription is not None:
            self._subscription.stop(timeout=0.1)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.link.close()

    # -- TrayLink -----------------------------------------------------------------------------------

    def call(
        self, method: str, params: dict[str, Any], on_result: OnResult, on_error: OnError | None = None
    ) -> None:
        def work() -> None:
            try:
                result = self.link.call(method, params)
            except GuardianError as exc:
                error = exc
                self._post(lambda: self._failed(error, on_error))
                return
            self._post(lambda: self._succeeded(result, on_result))

        self._pool.submit(work)

    def refresh(self) -> None:
        if self._status_pending.is_set():
            return
        self._status_pending.set()

        def work() -> None:
            try:
                status = self.link.status()
            except GuardianError as exc:
                why = str(exc)
                self._post(lambda: self._set_online(False, why))
                return
            finally:
                self._status_pending.clear()
            self._post(lambda: self._got_status(status))

        self._pool.submit(work)

    def at_limit(self, action: str) -> None:
        log.info("time's-up countdown over; the agent takes its '%s' action", action)
        self.refresh()

    def report(self) -> None:
        """Tell the agent this session's foreground window, idle time and lock state (off the UI thread);
        asked while a report is on its way, another follows it (a change is never left for the timer)."""
        if self.reporter is None:
            return
        if self._report_pending.is_set():
            self._report_again.set()
            return
        self._report_pending.set()
        reporter = self.reporter

        def work() -> None:
            try:
                report = reporter()
                if report is not None:
                    self.link.report(report)
            except GuardianError as exc:
                log.debug("session report not delivered: %s", exc)
            except Exception:
                log.exception("reading this session failed")
            finally:
                self._report_pending.clear()
                if self._report_again.is_set():
                    self._report_again.clear()
                    self._post(self.report)

        self._pool.submit(work)

    # -- on the UI thread ---------------------------------------------------------------------------

    def _post(self, function: Callable[[], None]) -> None:
        self._deliver.emit(function)

    def _got_status(self, status: Status) -> None:
        self._set_online(True, "")
        self.publish_status(status)

    def _succeeded(self, result: dict[str, Any], on_result: OnResult) -> None:
        self._set_online(True, "")
        on_result(result)

    def _failed(self, exc: GuardianError, on_error: OnError | None) -> None:
        code = error_code(exc)
        if code == "unreachable":
            self._set_online(False, str(exc))
        if on_error is not None:
            on_error(code, str(exc))

    def _set_online(self, online: bool, why: str) -> None:
        if online is self.online:
            return
        self.online = online
        if not online:
            log.warning("the Guardian agent is unreachable: %s", why)
        else:
            log.info("connected to the Guardian agent")
        self.publish_online(online)
        if online:
            self.refresh()

    # -- on the subscription's thread ---------------------------------------------------------------

    def _on_notice(self, notice: dict[str, Any]) -> None:
        self._post(lambda: self._notice_arrived(notice))

    def _notice_arrived(self, notice: dict[str, Any]) -> None:
        self.publish_notice(notice)
        self.refresh()

    def _on_state(self, connected: bool, why: str) -> None:
        self._post(lambda: self._set_online(connected, why))
