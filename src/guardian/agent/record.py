"""The record stage: the live view served over IPC, and the batched write of rows, events and health.

``LiveView`` rebuilds a child's part of the snapshot only when its status or what is in use changed.
``Recorder.flush`` writes the books' pending rows, the event log, trusted time and health in one
transaction every ``flush_every`` seconds and at shutdown; a failed write (full disk, locked database)
puts rows and events back and is retried: recorded usage is never dropped while the agent runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any, Protocol

from guardian.agent.accountant import CLEAN_KEY, HEALTH_KEY, TRUSTED_KEY, Accountant
from guardian.agent.events import EventLog
from guardian.core.model import SCREEN
from guardian.core.policy import ChildStatus
from guardian.store import Store, StoreError

log = logging.getLogger("guardian.agent")


class Viewed(Protocol):
    status: ChildStatus | None
    in_use: list[str]
    foreground: str | None
    view: dict[str, Any] | None


class LiveView:
    def __init__(self) -> None:
        self._snapshot: dict[str, Any] = {"agent": {"running": True}, "children": []}
        self._lock = threading.Lock()

    def get(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._snapshot)

    def update(self, children: Iterable[Viewed], now: float, health: dict[str, Any]) -> None:
        views = []
        for child in children:
            if child.status is None:
                continue
            in_use = [a for a in child.in_use if a != SCREEN]
            if (
                child.view is None
                or child.view["foreground"] != child.foreground
                or child.view["in_use"] != in_use
            ):
                data = child.status.to_dict()
                data["foreground"] = child.foreground
                data["in_use"] = in_use
                data["apps_left"] = {
                    app: child.status.app_left(app) for app in sorted(set(data["apps_used"]) | set(in_use))
                }
                child.view = data
            views.append(child.view)
        snapshot = {"now": int(now), "agent": health, "children": views}
        with self._lock:
            self._snapshot = snapshot


class Recorder:
    def __init__(self, store: Store, books: Accountant, events: EventLog, *, flush_every: float) -> None:
        self.store = store
        self.books = books
        self.events = events
        self.flush_every = flush_every
        self.last_flush_mono = -1e18
        self.write_failures = 0

    def due(self, mono: float) -> bool:
        return mono - self.last_flush_mono >= self.flush_every

    def flush(
        self, now: float, mono: float, health: dict[str, Any], *, final: bool = False, clean: bool = True
    ) -> bool:
        """Write pending rows, events, trusted time and health in one transaction.

        ``final`` closes every interval; with ``clean`` it also marks the stop as clean (the next start
        then records no tamper evidence for it)."""
        rows = self.books.take_rows(now, final=final)
        events = self.events.take()
        trusted = self.books.trusted_json()
        try:
            with self.store.atomic():
                self.store.usage.write(rows)
                self.store.events.add_many(events)
                if trusted is not None:
                    self.store.meta.set_json(TRUSTED_KEY, trusted)
                self.store.meta.set_json(HEALTH_KEY, health)
                if final and clean:
                    self.store.meta.set(CLEAN_KEY, "1")
        except StoreError as exc:
            self.books.put_back(rows)
            self.events.put_back(events)
            self.write_failures += 1
            log.error("could not save usage (will retry, nothing is lost while running): %s", exc)
            return False
        log.debug("saved %d usage rows and %d events", len(rows), len(events))
        self.last_flush_mono = mono
        return True
