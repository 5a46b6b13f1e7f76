"""What the tray needs from "the link" to the agent: signals for status, notices and reachability, and
asynchronous calls. The real one lives outside ``ui/`` (it speaks IPC); tests use a fake."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from guardian.core.messages import Message, Notice, Status, WireError

log = logging.getLogger("guardian.tray")

OnResult = Callable[[dict[str, Any]], None]
"""Gets an answer as the JSON object the agent sent (:meth:`TrayLink.ask` reads it as its message)."""
OnError = Callable[[str, str], None]
"""``(code, message)`` of a refused or failed call; code ``unreachable`` when the agent is not there."""
M = TypeVar("M", bound=Message)


class TrayLink(QObject):
    """Base class of every link the tray can use. Calls never block the UI thread."""

    status_changed = Signal(object)
    """The agent's ``Status`` for this session's child (``children`` holds only that child)."""
    notice = Signal(object)
    """A pushed notice, typed (``WarningNotice``, ``TimeUpNotice``, ``AppClosedNotice``, ``BlockedNotice``, …)."""
    online_changed = Signal(bool)
    """The agent became reachable (True, also after a restart) or unreachable (False)."""

    def publish_status(self, status: Status) -> None:
        self.status_changed.emit(status)

    def publish_notice(self, notice: Notice) -> None:
        self.notice.emit(notice)

    def publish_online(self, online: bool) -> None:
        self.online_changed.emit(online)

    def call(
        self, method: str, params: dict[str, Any], on_result: OnResult, on_error: OnError | None = None
    ) -> None:
        """Call ``method`` on the agent; exactly one of the callbacks runs later, in the UI thread."""
        raise NotImplementedError

    def ask(
        self,
        method: str,
        params: Message,
        answer: type[M],
        on_result: Callable[[M], None],
        on_error: OnError | None = None,
    ) -> None:
        """:meth:`call` with typed parameters (``None`` ones left out) and a typed answer: an answer that
        is not ``answer`` goes to ``on_error`` with code ``internal``."""

        def got(result: dict[str, Any]) -> None:
            try:
                message = answer.from_wire(result)
            except WireError as exc:
                log.warning("the agent's answer to %s was not understood: %s", method, exc)
                if on_error is not None:
                    on_error("internal", f"the agent's answer was not understood ({exc})")
                return
            on_result(message)

        wire = {k: v for k, v in params.to_wire().items() if v is not None}
        self.call(method, wire, got, on_error)

    def refresh(self) -> None:
        """Ask for a fresh ``status`` soon (after something the tray did changed it)."""

    def at_limit(self, action: str) -> None:
        """The time's-up countdown ended: the agent takes ``action`` now; the link may help from the session."""
