"""Trusted time: wall time that a child cannot move by changing the system clock.

The agent keeps the last trusted wall time and the monotonic reading taken at that moment. Each tick
advances trusted time by monotonic elapsed time only, so stepping the wall clock (forwards to reach
tomorrow's allowance, backwards to reopen today's) changes nothing but a logged ``ClockChange``.

All functions are pure: the caller reads ``time.time()`` and a monotonic clock and passes them in.
The monotonic clock should count suspended time (``CLOCK_BOOTTIME`` on Linux). If it does not, a
suspend shows up as a forward clock change and trusted time falls behind real time by the suspended
span; the agent should call ``resume`` on a platform wake event to re-anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_MAX_STEP = 5.0
"""Largest monotonic step (seconds) one tick may credit; a longer one is a gap."""
DEFAULT_TOLERANCE = 2.0
"""Largest mismatch (seconds) between wall and monotonic deltas that is not a clock change."""


@dataclass(frozen=True)
class TrustedTime:
    """What the agent persists between ticks and across restarts."""

    wall: float
    """Last trusted wall time, Unix seconds."""
    mono: float
    """Monotonic reading taken at ``wall``; meaningful only until the next reboot."""
    offset: float = 0.0
    """Trusted time minus the system wall clock at ``wall``: how far the system clock was moved."""

    def at(self, mono_now: float) -> float:
        """Trusted time at a later monotonic reading, without stepping (never before ``wall``)."""
        return self.wall + max(0.0, mono_now - self.mono)

    @property
    def system_wall(self) -> float:
        """The system wall clock reading at ``wall``."""
        return self.wall - self.offset

    def to_json(self) -> dict[str, float]:
        return {"wall": self.wall, "mono": self.mono, "offset": self.offset}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TrustedTime:
        """Read what ``to_json`` wrote; raise ``ValueError`` on a missing or non-numeric field."""
        values: dict[str, float] = {}
        for key in ("wall", "mono", "offset"):
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"trusted time: field '{key}' must be a number, got {value!r}")
            values[key] = float(value)
        return cls(**values)


@dataclass(frozen=True)
class Gap:
    """A span of trusted time the agent did not observe (stall, suspend, stopped agent, reboot)."""

    start: float
    end: float
    seconds: float


@dataclass(frozen=True)
class ClockChange:
    """The system wall clock was stepped by ``delta`` seconds (negative: set backwards)."""

    delta: float
    wall_before: float
    wall_after: float


@dataclass(frozen=True)
class StepResult:
    state: TrustedTime
    trusted_now: float
    credit: float
    """Seconds of use this step may credit: monotonic elapsed, 0 after a gap or a backwards step."""
    gap: Gap | None = None
    clock_change: ClockChange | None = None

    @property
    def offset(self) -> float:
        """Trusted time minus the system wall clock now (log it; 0 when nobody touched the clock)."""
        return self.state.offset


def start(wall_now: float, mono_now: float) -> TrustedTime:
    """A fresh state that trusts the current wall clock (first run, nothing persisted)."""
    return TrustedTime(wall=wall_now, mono=mono_now, offset=0.0)


def step(
    state: TrustedTime,
    wall_now: float,
    mono_now: float,
    *,
    max_step: float = DEFAULT_MAX_STEP,
    tolerance: float = DEFAULT_TOLERANCE,
) -> StepResult:
    """Advance trusted time by monotonic elapsed time and classify what happened since ``state``.

    - Monotonic elapsed ``<= max_step``: credited in full.
    - Larger: a ``Gap`` over the whole span, nothing credited (the use before it was credited by the
      earlier ticks; we cannot know what happened during it).
    - Monotonic clock went backwards: treated as zero elapsed; trusted time stays put, no credit.
    - Wall delta differs from monotonic elapsed by more than ``tolerance``: a ``ClockChange``.
      Trusted time and credit ignore the wall clock entirely.
    """
    elapsed = max(0.0, mono_now - state.mono)
    trusted_now = state.wall + elapsed
    wall_before = state.system_wall
    delta = (wall_now - wall_before) - elapsed
    change = ClockChange(delta, wall_before, wall_now) if abs(delta) > tolerance else None
    gap = Gap(state.wall, trusted_now, elapsed) if elapsed > max_step else None
    credit = 0.0 if gap is not None else elapsed
    new_state = TrustedTime(wall=trusted_now, mono=mono_now, offset=trusted_now - wall_now)
    return StepResult(new_state, trusted_now, credit, gap, change)


def resume(
    persisted: TrustedTime | None,
    wall_now: float,
    mono_now: float,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    same_boot: bool = False,
) -> StepResult:
    """Re-anchor trusted time at agent start, after a reboot or a wake.

    ``same_boot``: the monotonic clock has run on since ``persisted`` was saved (the machine was not
    restarted; on Linux ``CLOCK_BOOTTIME`` counts suspend too). Then trusted time is
    ``persisted.wall`` plus the monotonic time since: a wall clock moved while the agent was stopped
    (a restart "into tomorrow") is a clock change and the recorded day stays.

    Otherwise the monotonic origin is unknown and trusted time becomes ``max(wall_now,
    persisted.wall)``: a clock set backwards across a reboot cannot reopen a day already used (one set
    forwards across a reboot cannot be told from the time the machine was off).

    The downtime is reported as a gap; a wall clock more than ``tolerance`` away from trusted time is
    reported as a clock change whose ``delta`` is ``wall_now - trusted_now``. Nothing is credited.
    """
    if persisted is None:
        return StepResult(start(wall_now, mono_now), wall_now, 0.0)
    if same_boot and mono_now >= persisted.mono:
        trusted_now = persisted.wall + (mono_now - persisted.mono)
        downtime = trusted_now - persisted.wall
        gap = Gap(persisted.wall, trusted_now, downtime) if downtime > 0 else None
        moved = wall_now - trusted_now
        change = ClockChange(moved, persisted.system_wall, wall_now) if abs(moved) > tolerance else None
        state = TrustedTime(wall=trusted_now, mono=mono_now, offset=trusted_now - wall_now)
        return StepResult(state, trusted_now, 0.0, gap, change)
    trusted_now = max(wall_now, persisted.wall)
    downtime = trusted_now - persisted.wall
    gap = Gap(persisted.wall, trusted_now, downtime) if downtime > 0 else None
    change = None
    if wall_now < persisted.wall - tolerance:
        change = ClockChange(wall_now - persisted.wall, persisted.system_wall, wall_now)
    state = TrustedTime(wall=trusted_now, mono=mono_now, offset=trusted_now - wall_now)
    return StepResult(state, trusted_now, 0.0, gap, change)
