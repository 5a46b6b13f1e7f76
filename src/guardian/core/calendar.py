"""Calendar maths for the policy: logical days and allowed-hours windows.

Everything is computed from wall-clock times in a time zone through ``zoneinfo``, so days around a
daylight-saving change are 23 or 25 hours long and clock times land on the right instants.
A wall time that does not exist (inside a spring-forward gap) resolves to the instant just after
the gap; an ambiguous one (inside a fall-back overlap) resolves to its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from guardian.core.durations import MINUTES_PER_DAY
from guardian.core.model import TimeRange, Weekly
from guardian.core.spans import Span
from guardian.core.spans import clip as clip_spans
from guardian.core.spans import merge as merge_spans

__all__ = [  # the span maths lives in core.spans; the policy imports it from here
    "LOOKAHEAD_DAYS",
    "ONE_DAY",
    "HoursStatus",
    "LogicalDay",
    "Span",
    "allowed_hours_status",
    "clip_spans",
    "days_between",
    "local_date",
    "local_timestamp",
    "logical_day",
    "logical_day_of",
    "merge_spans",
    "resolve_zone",
    "windows_on",
]

ONE_DAY = timedelta(days=1)
LOOKAHEAD_DAYS = 8
"""How many calendar days ahead allowed-hours windows are built to find the next allowed start."""


def resolve_zone(name: str, fallback: tzinfo | None = None) -> tzinfo:
    """The zone named ``name`` (IANA), else ``fallback``, else the computer's local zone.

    Raises ``zoneinfo.ZoneInfoNotFoundError`` for an unknown name; the family-file reader is
    expected to reject such names before they reach the policy.
    """
    if name:
        return ZoneInfo(name)
    if fallback is not None:
        return fallback
    local = datetime.now().astimezone().tzinfo
    if local is None:  # pragma: no cover - astimezone() always sets a zone
        raise RuntimeError("the local time zone is unknown")
    return local


def local_timestamp(day: date, minutes: int, tz: tzinfo) -> float:
    """Unix seconds of the wall-clock time ``minutes`` after midnight of ``day`` in ``tz``.

    ``minutes`` may be 1440 or more: the wall time then falls on a following date.
    """
    midnight = datetime.combine(day, time(), tzinfo=tz)
    return (midnight + timedelta(minutes=minutes)).timestamp()


def local_date(now: float, tz: tzinfo) -> date:
    return datetime.fromtimestamp(now, tz).date()


@dataclass(frozen=True)
class LogicalDay:
    """The day daily limits are counted on: ``day_starts_at`` on ``day`` to the same time the next day."""

    day: date
    start: float
    end: float

    @property
    def weekday(self) -> int:
        return self.day.weekday()

    @property
    def iso(self) -> str:
        return self.day.isoformat()


def logical_day(now: float, tz: tzinfo, day_starts_at: int) -> LogicalDay:
    """The logical day that contains ``now``."""
    day = local_date(now, tz)
    while local_timestamp(day, day_starts_at, tz) > now:
        day -= ONE_DAY
    while local_timestamp(day + ONE_DAY, day_starts_at, tz) <= now:
        day += ONE_DAY
    start = local_timestamp(day, day_starts_at, tz)
    end = local_timestamp(day + ONE_DAY, day_starts_at, tz)
    return LogicalDay(day=day, start=start, end=end)


def logical_day_of(day: date, tz: tzinfo, day_starts_at: int) -> LogicalDay:
    """The logical day that starts on calendar date ``day``."""
    start = local_timestamp(day, day_starts_at, tz)
    return LogicalDay(day=day, start=start, end=local_timestamp(day + ONE_DAY, day_starts_at, tz))


def days_between(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def windows_on(hours: Weekly[tuple[TimeRange, ...]], day: date, tz: tzinfo) -> list[Span]:
    """Allowed windows taken from the list of calendar date ``day``.

    A range whose end is at or before its start runs into the next calendar date. A day without a
    value (``None``) is allowed all day; an empty tuple is not allowed at all.
    """
    ranges = hours.on(day.weekday())
    if ranges is None:
        return [(local_timestamp(day, 0, tz), local_timestamp(day, MINUTES_PER_DAY, tz))]
    windows = []
    for time_range in ranges:
        end = time_range.end + (MINUTES_PER_DAY if time_range.crosses_midnight else 0)
        windows.append((local_timestamp(day, time_range.start, tz), local_timestamp(day, end, tz)))
    return windows


@dataclass(frozen=True)
class HoursStatus:
    in_allowed: bool
    allowed_until: float | None
    """End of the allowed window containing now; None when outside, or no end within the lookahead."""
    next_allowed_at: float | None
    """Start of the first allowed window after now; None when none starts within the lookahead."""
    today: list[Span]
    """Allowed windows clipped to the logical day."""


def allowed_hours_status(
    hours: Weekly[tuple[TimeRange, ...]], now: float, today: LogicalDay, tz: tzinfo
) -> HoursStatus:
    """Where ``now`` stands against the allowed hours (an empty ``Weekly`` allows every hour)."""
    if hours.is_empty():
        return HoursStatus(True, None, None, [(today.start, today.end)])
    first = today.day - ONE_DAY
    last = max(today.day + ONE_DAY, local_date(now, tz)) + timedelta(days=LOOKAHEAD_DAYS)
    windows = merge_spans(_windows_between(hours, first, last, tz))
    horizon = local_timestamp(last + ONE_DAY, 0, tz)
    current = next((w for w in windows if w[0] <= now < w[1]), None)
    upcoming = next((w for w in windows if w[0] > now), None)
    return HoursStatus(
        in_allowed=current is not None,
        allowed_until=current[1] if current is not None and current[1] < horizon else None,
        next_allowed_at=upcoming[0] if upcoming is not None else None,
        today=clip_spans(windows, today.start, today.end),
    )


def _windows_between(hours: Weekly[tuple[TimeRange, ...]], first: date, last: date, tz: tzinfo) -> list[Span]:
    windows: list[Span] = []
    day = first
    while day <= last:
        windows.extend(windows_on(hours, day, tz))
        day += ONE_DAY
    return windows
