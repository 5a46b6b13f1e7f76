"""The one seam for time. Code asks a ``Clock``; tests hand it a ``FakeClock``."""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Wall-clock time in Unix seconds."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes backwards (counts suspend where possible)."""
        ...


class FakeClock:
    """A clock that moves only when told to; ``jump`` moves the wall clock alone."""

    def __init__(self, now: float = 1_780_000_000.0, monotonic: float = 1000.0) -> None:
        self._now = now
        self._mono = monotonic

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._mono += seconds

    def jump(self, seconds: float) -> None:
        self._now += seconds
