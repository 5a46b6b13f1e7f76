"""Time accounting: samples in, usage intervals out. Pure: timestamps come in as data.

The agent ticks, steps trusted time (``trusted_time.step``) and feeds one ``Sample`` per app in use
to an ``Accumulator``, which merges them into intervals ActivityWatch-style (heartbeat merging) and
hands back rows ``(child_id, app, start, end)`` to upsert keyed by ``(child_id, app, start)``.

Rows are in whole seconds: both ends are rounded to the nearest second. Rounding is monotone, so
intervals that do not overlap as floats never overlap as rows, and an open interval keeps the same
row start on every flush.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from guardian.core import spans
from guardian.core.model import SCREEN, Interval
from guardian.core.rows import upsert_rows
from guardian.core.trusted_time import (
    DEFAULT_MAX_STEP,
    DEFAULT_TOLERANCE,
    ClockChange,
    Gap,
    StepResult,
    TrustedTime,
    resume,
    start,
    step,
)

__all__ = [
    "DEFAULT_MAX_STEP",
    "DEFAULT_PULSE",
    "DEFAULT_TOLERANCE",
    "Accumulator",
    "ClockChange",
    "Gap",
    "Row",
    "Sample",
    "StepResult",
    "Tick",
    "TrustedTime",
    "heartbeat_merge",
    "intervals_seconds",
    "resume",
    "simulate",
    "split_by_days",
    "start",
    "steady_ticks",
    "step",
    "union_seconds",
]

DEFAULT_PULSE = 5.0
"""Samples of the same app less than this many seconds apart extend one interval."""

Row = tuple[int, str, int, int]
"""``(child_id, app, start, end)`` in whole Unix seconds, ``start < end``."""
Tick = tuple[float, float, str | None]
"""``(wall, mono, foreground_app)`` as an agent tick reads them; app ``None`` means nothing in use."""


@dataclass(frozen=True)
class Sample:
    """At trusted time ``ts`` app ``app`` was in use; the last step may credit ``credit`` seconds."""

    ts: float
    app: str
    credit: float


def heartbeat_merge(
    last: Interval | None, ts: float, app: str, credit: float, pulse: float
) -> tuple[Interval | None, Interval]:
    """Merge one sample into the open interval ``last``; return ``(closed, current)``.

    The sample extends ``last`` (same app, ``ts`` within ``pulse`` of its end, ``credit > 0``).
    Otherwise ``last`` is closed and a new interval starts ``credit`` seconds before ``ts`` (for the
    same app not before ``last.end``, so the two never overlap). A same-app sample at or before
    ``last.end`` changes nothing. Credit 0 (first sample after a gap) starts a new interval at ``ts``.
    """
    if last is not None and last.app == app and ts <= last.end:
        return None, last
    if last is not None and last.app == app and credit > 0 and ts - last.end <= pulse:
        return None, Interval(last.start, ts, app)
    begin = ts - max(0.0, credit)
    if last is not None and last.app == app:
        begin = max(begin, last.end)
    return last, Interval(begin, ts, app)


def _second(t: float) -> int:
    return math.floor(t + 0.5)


def _row(child_id: int, interval: Interval) -> Row | None:
    begin, end = _second(interval.start), _second(interval.end)
    return (child_id, interval.app, begin, end) if end > begin else None


@dataclass
class _Open:
    interval: Interval
    pulse: float


class Accumulator:
    """Open usage intervals per ``(child_id, app)``, merged from samples, flushed as rows."""

    def __init__(self) -> None:
        self._open: dict[tuple[int, str], _Open] = {}
        self._closed: list[tuple[int, Interval]] = []
        self._floor: dict[tuple[int, str], float] = {}

    def add(self, child_id: int, sample: Sample, *, pulse: float = DEFAULT_PULSE) -> None:
        key = (child_id, sample.app)
        entry = self._open.get(key)
        last = entry.interval if entry else None
        closed, current = heartbeat_merge(last, sample.ts, sample.app, sample.credit, pulse)
        if closed is not None:
            self._close(key, closed)
        floor = self._floor.get(key)
        if floor is not None and current.start < floor:
            current = Interval(floor, max(floor, current.end), current.app)
        self._open[key] = _Open(current, pulse)

    def flush(self, now: float, *, close_all: bool = False) -> list[Row]:
        """Rows to upsert: closed intervals once, then every open one (again on each flush).

        Open intervals whose end is more than their pulse before ``now`` (or all of them, with
        ``close_all``, for shutdown) are closed first. Zero-second rows are left out.
        """
        for key, entry in list(self._open.items()):
            if close_all or now - entry.interval.end > entry.pulse:
                del self._open[key]
                self._close(key, entry.interval)
        pending = [*self._closed, *((k[0], e.interval) for k, e in self._open.items())]
        self._closed = []
        return [row for child, interval in pending if (row := _row(child, interval))]

    def end_others(self, child_id: int, keep: Iterable[str]) -> None:
        """Close ``child_id``'s open intervals for every app not in ``keep``.

        The agent calls this every tick with the apps it credited, so an app that left the front is
        closed at its last sample and a quick switch back cannot bridge the time another app was used.
        """
        kept = set(keep)
        for key in [k for k in self._open if k[0] == child_id and k[1] not in kept]:
            self._close(key, self._open.pop(key).interval)

    def open_intervals(self, child_id: int) -> list[Interval]:
        """The intervals of ``child_id`` still open (for live status before they reach the store)."""
        return [e.interval for (child, _), e in self._open.items() if child == child_id]

    def _close(self, key: tuple[int, str], interval: Interval) -> None:
        self._closed.append((key[0], interval))
        self._floor[key] = max(self._floor.get(key, interval.end), interval.end)


def intervals_seconds(intervals: Iterable[Interval], start: float, end: float) -> float:
    """Total length of ``intervals`` inside ``[start, end)``; overlaps count twice."""
    return spans.total_length(((iv.start, iv.end) for iv in intervals), start, end)


def union_seconds(intervals: Iterable[Interval], start: float, end: float) -> float:
    """Length of the union of ``intervals`` inside ``[start, end)``; overlaps count once."""
    return spans.union_length(((iv.start, iv.end) for iv in intervals), start, end)


def split_by_days(intervals: Iterable[Interval], boundaries: Sequence[float]) -> list[list[Interval]]:
    """Split ``intervals`` into days ``[boundaries[i], boundaries[i + 1])``.

    ``boundaries`` ascend (day starts plus the end of the last day); ``len(boundaries) - 1``
    lists come back. An interval crossing a boundary is cut; parts outside all days are dropped.
    """
    rows = ((iv.start, iv.end, iv.app) for iv in intervals)
    return [[Interval(lo, hi, app) for lo, hi, app in day] for day in spans.split_by_bounds(rows, boundaries)]


def steady_ticks(
    wall: float, mono: float, apps: Iterable[str | None], *, interval: float = 1.0
) -> Iterator[Tick]:
    """One tick per entry of ``apps``, both clocks advancing by ``interval`` each time."""
    for n, app in enumerate(apps, start=1):
        yield wall + n * interval, mono + n * interval, app


def simulate(
    timeline: Iterable[Tick],
    *,
    start_wall: float,
    start_mono: float,
    interval: float = 1.0,
    max_step: float | None = None,
    pulse: float | None = None,
    child_id: int = 1,
    screen: bool = False,
) -> tuple[list[Row], list[Gap], list[ClockChange]]:
    """Run ``step`` and an ``Accumulator`` over ``timeline`` exactly as agent ticks would.

    ``max_step`` and ``pulse`` default to five tick ``interval``s. With ``screen`` every tick with
    an app also credits ``SCREEN``. Rows are flushed each tick and upserted, as the store would.
    """
    max_step = 5 * interval if max_step is None else max_step
    pulse = 5 * interval if pulse is None else pulse
    state = start(start_wall, start_mono)
    acc = Accumulator()
    stored: dict[tuple[int, str, int], int] = {}
    gaps: list[Gap] = []
    changes: list[ClockChange] = []
    for wall, mono, app in timeline:
        result = step(state, wall, mono, max_step=max_step)
        state = result.state
        if result.gap is not None:
            gaps.append(result.gap)
        if result.clock_change is not None:
            changes.append(result.clock_change)
        in_use = [] if app is None else [app, SCREEN] if screen else [app]
        for name in in_use:
            acc.add(child_id, Sample(result.trusted_now, name, result.credit), pulse=pulse)
        _upsert(stored, acc.flush(result.trusted_now))
    _upsert(stored, acc.flush(state.wall, close_all=True))
    rows = sorted((child, app, begin, end) for (child, app, begin), end in stored.items())
    return rows, gaps, changes


def _upsert(stored: dict[tuple[int, str, int], int], rows: Iterable[Row]) -> None:
    upsert_rows(stored, rows)
