"""Rate-limited logging for the agent: a message repeated in a burst is written a few times, then counted.

A failure that repeats every loop (an IPC accept that keeps failing, a tick that keeps failing) once wrote
26,595 identical lines in half a second. ``RepeatLimit`` lets the first ``burst`` copies of a message
(same logger, level and format string) through in each ``window`` seconds and drops the rest; the next
copy after the window says how many were dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

BURST = 5
WINDOW = 60.0


class RepeatLimit(logging.Filter):
    def __init__(
        self, *, burst: int = BURST, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self.clock = clock
        self._seen: dict[tuple[str, int, str], tuple[float, int, int]] = {}
        """key → (window start, copies let through, copies dropped)."""
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            start, passed, dropped = self._seen.get(key, (now, 0, 0))
            if now - start >= self.window:
                if dropped:
                    record.msg = f"{record.msg} (and {dropped} more like it in the last {self.window:.0f} s)"
                self._seen[key] = (now, 1, 0)
                return True
            if passed < self.burst:
                self._seen[key] = (start, passed + 1, dropped)
                return True
            self._seen[key] = (start, passed, dropped + 1)
            if len(self._seen) > 1000:  # many distinct messages: forget the oldest windows
                for old in sorted(self._seen, key=lambda k: self._seen[k][0])[:500]:
                    del self._seen[old]
            return False


def limit_repeats(logger: logging.Logger | None = None) -> RepeatLimit:
    """Install one ``RepeatLimit`` on every handler of ``logger`` (the root logger by default)."""
    target = logger or logging.getLogger()
    limit = RepeatLimit()
    for handler in target.handlers:
        if not any(isinstance(f, RepeatLimit) for f in handler.filters):
            handler.addFilter(limit)
    return limit
