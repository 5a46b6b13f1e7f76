"""Where the agent's stages report what happened: an event sink, written out by the record stage.

Every stage that notices something worth showing a parent (a clock change, a blocked launch, a warning,
a refused tray report) calls ``event`` on an ``EventSink``; none of them writes to the store. ``EventLog``
is the sink the agent uses: a thread-safe buffer (the IPC thread reports too) that the record stage
takes from and writes in the same transaction as the usage rows, putting events back when the write
fails so nothing is lost.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from guardian.store import NewEvent


class EventSink(Protocol):
    def event(
        self,
        kind: str,
        ts: float,
        *,
        child_id: int | None = None,
        app: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None: ...


class EventLog:
    def __init__(self) -> None:
        self.pending: list[NewEvent] = []
        self._lock = threading.Lock()

    def event(
        self,
        kind: str,
        ts: float,
        *,
        child_id: int | None = None,
        app: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        with self._lock:
            self.pending.append(NewEvent(kind, int(ts), child_id, app, data))

    def take(self) -> list[NewEvent]:
        """Everything pending, removed from the log (``put_back`` after a failed write)."""
        with self._lock:
            taken, self.pending = self.pending, []
        return taken

    def put_back(self, events: list[NewEvent]) -> None:
        with self._lock:
            self.pending[:0] = events
