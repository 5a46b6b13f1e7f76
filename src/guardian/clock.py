"""The real clock: wall time plus a monotonic clock that keeps counting through suspend on Linux."""

from __future__ import annotations

import time

_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)


class SystemClock:
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        if _BOOTTIME is not None:
            return time.clock_gettime(_BOOTTIME)
        return time.monotonic()
