"""The agent link for Qt: :class:`guardian.link.AgentLink` calls off the UI thread, notices as signals.

    agent = QtAgentLink(AgentLink.for_home(home), parent=self)
    agent.status_received.connect(self.show_status)
    agent.reachable_changed.connect(self.show_agent_state)    # False: not running, hung, or gone
    agent.event_received.connect(self.on_notice)               # a Notice: WarningNotice(...), ...
    agent.listen(pin)                                          # reconnects by itself until stop()
    agent.refresh_status()

Every blocking call runs on the link's own ``QThreadPool`` (so a hung agent never takes the threads the
database reads use) and answers through signals or callbacks on the UI thread. An agent that does not
answer within the link's time-out counts as unreachable; the link keeps trying, and says so when it is
back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

from guardian.core.messages import Message, Status
from guardian.errors import GuardianError
from guardian.link import AgentLink, AgentUnreachable, LockResult, PauseResult, Subscription
from guardian.ui.jobs import run_job

log = logging.getLogger("guardian.ui")

T = TypeVar("T")

__all__ = ["AgentUnreachable", "QtAgentLink"]


_POOL: QThreadPool | None = None


def agent_pool() -> QThreadPool:
    """The threads agent calls run on, apart from the global pool (a hung agent holds one for up to the
    link's time-out) and never owned by a widget (deleting it would wait for those calls)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL


class QtAgentLink(QObject):
    """A :class:`~guardian.link.AgentLink` that never blocks the thread it lives on."""

    status_received = Signal(object)
    """The agent's live status (after :meth:`refresh_status`)."""
    reachable_changed = Signal(bool)
    """The agent answered (True) or stopped answering (False); emitted on change only."""
    unreachable = Signal(str)
    """Why the agent cannot be reached now (plain words, for the log or a tooltip)."""
    event_received = Signal(object)
    """A pushed notice, typed (:data:`guardian.core.messages.Notice`: ``WarningNotice``, ``TimeRequestNotice``,
    …); the link drops, with a log line, what is not a notice this version knows."""

    _notice = Signal(object)
    _state = Signal(bool, str)

    def __init__(self, link: AgentLink, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.reachable: bool | None = None
        """None until the first answer or failure."""
        self.pool = agent_pool()
        self._status_pending = False
        self._subscription: Subscription | None = None
        self._notice.connect(self._on_notice)
        self._state.connect(self._on_state)

    # -- calls --------------------------------------------------------------------------------

    def supports(self, method: str) -> bool:
        return self.link.supports(method)

    def run(
        self,
        call: Callable[[AgentLink], T],
        on_done: Callable[[T], None] | None = None,
        on_failed: Callable[[GuardianError], None] | None = None,
    ) -> None:
        """``call(link)`` off the UI thread; its result or ``GuardianError`` comes back on it."""

        def done(result: Any) -> None:
            self._set_reachable(True, "")
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AgentUnreachable):
                self._set_reachable(False, str(exc))
            elif not isinstance(exc, GuardianError):
                log.error("an agent call failed unexpectedly", exc_info=exc)
                exc = GuardianError(str(exc))
            else:
                self._set_reachable(True, "")
            if on_failed is not None:
                assert isinstance(exc, GuardianError)
                on_failed(exc)

        run_job(lambda: call(self.link), done, failed, context=self, pool=self.pool)

    def refresh_status(self) -> bool:
        """Ask for the live status; False (nothing asked) while the last request is still out."""
        if self._status_pending:
            return False
        self._status_pending = True

        def done(status: Status) -> None:
            self._status_pending = False
            self.status_received.emit(status)

        def failed(exc: GuardianError) -> None:
            self._status_pending = False
            del exc

        self.run(lambda link: link.status(), done, failed)
        return True

    @property
    def status_pending(self) -> bool:
        return self._status_pending

    def lock(
        self,
        child: str,
        *,
        pin: str | None,
        on_done: Callable[[LockResult], None] | None = None,
        on_failed: Callable[[GuardianError], None] | None = None,
    ) -> None:
        self.run(lambda link: link.lock(child, pin=pin), on_done, on_failed)

    def pause(
        self,
        child: str,
        resume: bool = False,
        *,
        pin: str | None,
        on_done: Callable[[PauseResult], None] | None = None,
        on_failed: Callable[[GuardianError], None] | None = None,
    ) -> None:
        self.run(lambda link: link.pause(child, resume, pin=pin), on_done, on_failed)

    def request_time(
        self,
        seconds: int,
        reason: str,
        app: str | None = None,
        *,
        on_done: Callable[[int], None] | None = None,
        on_failed: Callable[[GuardianError], None] | None = None,
    ) -> None:
        """A child's account asks for more time (the tray); ``on_done(request_id)``."""
        self.run(lambda link: link.request_time(seconds, reason, app), on_done, on_failed)

    # -- notices ------------------------------------------------------------------------------

    def listen(self, pin: str | None = None, *, retry: float = 1.0) -> None:
        """Subscribe to the agent's notices (again, with ``pin``'s role, when already listening)."""
        self.stop()
        self._subscription = self.link.subscribe(
            self._notice.emit, on_state=lambda up, why: self._state.emit(up, why), pin=pin, retry=retry
        )

    @property
    def listening(self) -> bool:
        return self._subscription is not None and self._subscription.running

    def stop(self) -> None:
        """Stop listening and forget the kept token (the console locked, or the page closed)."""
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            subscription.stop(timeout=0)  # never wait here: the thread may be waiting on a hung agent
        self.link.forget()

    def _on_notice(self, notice: object) -> None:
        if isinstance(notice, Message):
            self.event_received.emit(notice)

    def _on_state(self, up: bool, why: str) -> None:
        self._set_reachable(up, why)

    def _set_reachable(self, up: bool, why: str) -> None:
        if not up:
            self.unreachable.emit(why)
        if self.reachable is up:
            return
        self.reachable = up
        self.reachable_changed.emit(up)
