"""What the tray needs from "the link" to the agent: signals for status, notices and reachability, and
asynchronous calls. The real one lives outside ``ui/`` (it speaks IPC); tests use a fake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

OnResult = Callable[[dict[str, Any]], None]
OnError = Callable[[str, str], None]
"""``(code, message)`` of a refused or failed call; code ``unreachable`` when the agent is not there."""


class TrayLink(QObject):
    """Base class of every link the tray can use. Calls never block the UI thread."""

    status_changed = Signal(dict)
    """The agent's ``status`` reply for this session's child (``children`` holds only that child)."""
    notice = Signal(dict)
    """A pushed notice: ``{"event": "warning" | "time_up" | "app_closed" | "blocked" | "locked", ...}``."""
    online_changed = Signal(bool)
    """The agent became reachable (True, also after a restart) or unreachable (False)."""

    def publish_status(self, status: dict[str, Any]) -> None:
        self.status_changed.emit(status)

    def publish_notice(self, notice: dict[str, Any]) -> None:
        self.notice.emit(notice)

    def publish_online(self, online: bool) -> None:
        self.online_changed.emit(online)

    def call(
        self, method: str, params: dict[str, Any], on_result: OnResult, on_error: OnError | None = None
    ) -> None:
        """Call ``method`` on the agent; exactly one of the callbacks runs later, in the UI thread."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Ask for a fresh ``status`` soon (after something the tray did changed it)."""

    def at_limit(self, action: str) -> None:
        """The time's-up countdown ended: the agent takes ``action`` now; the link may help from the session."""
