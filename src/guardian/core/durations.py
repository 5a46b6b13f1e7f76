"""Durations (`45s`, `30m`, `1h30m`) and clock times (`07:00`, `21:30-01:00`)."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")

MINUTES_PER_DAY = 24 * 60


class DurationError(ValueError):
    """A duration or clock time that cannot be read."""


def parse_duration(text: str) -> int:
    """Return the number of seconds in ``text`` such as ``"1h30m"``; ``"0"`` is zero."""
    raw = text.strip().lower().replace(" ", "")
    if raw == "0":
        return 0
    match = _DURATION.match(raw)
    if not raw or match is None:
        raise DurationError(f"'{text}' is not a duration (use forms like 45s, 30m, 1h30m)")
    hours, minutes, seconds = (int(match.group(k) or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int) -> str:
    """Format seconds the way the family file writes them: ``5400`` → ``"1h30m"``."""
    if seconds < 0:
        raise DurationError("a duration cannot be negative")
    if seconds == 0:
        return "0m"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs:
        parts.append(f"{secs}s")
    return "".join(parts)


def format_hm(seconds: int) -> str:
    """Human form for reports: ``5400`` → ``"1h 30m"``, ``59`` → ``"0m"`` (rounded down)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def parse_clock(text: str, *, allow_24: bool = False) -> int:
    """Return minutes after midnight for ``"HH:MM"``; ``"24:00"`` only when ``allow_24``."""
    match = _CLOCK.match(text.strip())
    if match is None:
        raise DurationError(f"'{text}' is not a time of day (use HH:MM, for example 07:30)")
    hours, minutes = int(match.group("h")), int(match.group("m"))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        raise DurationError(f"'{text}' is not a time of day (hours 00-23, minutes 00-59)")
    return hours * 60 + minutes


def format_clock(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}"


def parse_range(text: str) -> tuple[int, int]:
    """Parse ``"07:00-21:00"`` into minutes ``(420, 1260)``.

    An end at or before the start means the range crosses midnight (``"21:00-01:00"``);
    ``"00:00-24:00"`` is the whole day.
    """
    parts = text.split("-")
    if len(parts) != 2:
        raise DurationError(f"'{text}' is not a time range (use HH:MM-HH:MM, for example 07:00-21:00)")
    start = parse_clock(parts[0])
    end = parse_clock(parts[1], allow_24=True)
    if start == end:
        raise DurationError(f"'{text}' is an empty time range")
    return start, end


def format_range(start: int, end: int) -> str:
    return f"{format_clock(start)}-{format_clock(end)}"
