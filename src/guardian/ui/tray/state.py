"""What the tray shows, worked out from the agent's status as plain data. No Qt here.

:func:`tray_state` turns the child's entry of the ``status`` reply (and whether the agent answers) into a
:class:`TrayState`; :class:`GameStreak` decides when the gentle health reminder is due.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal[
    "plenty", "warning", "app_limit", "outside_hours", "paused", "time_up", "unreachable", "unknown"
]
REMINDER_EVERY = 30 * 60
"""Decree 147/2024/NĐ-CP, art. 39: a health reminder every 30 minutes of play for players under 18."""
STREAK_BREAK = 5 * 60
"""A pause from games at least this long starts a new streak."""


@dataclass(frozen=True)
class AppLeft:
    app: str
    left_s: int | None
    used_s: int


@dataclass(frozen=True)
class TrayState:
    kind: Kind
    child: str | None = None
    screen_left_s: int | None = None
    screen_limit_s: int | None = None
    allowed_until: float | None = None
    next_allowed_at: float | None = None
    apps: tuple[AppLeft, ...] = ()
    exhausted: tuple[str, ...] = field(default_factory=tuple)
    """Apps (or limits) with no time left today."""
    warn_lead: int = 15 * 60

    @property
    def online(self) -> bool:
        return self.kind != "unreachable"


def tray_state(status: Mapping[str, Any] | None, *, online: bool, warn_lead: int = 15 * 60) -> TrayState:
    """The tray's state from a ``status`` reply (``None``: none yet), and whether the agent answers."""
    if not online:
        return TrayState("unreachable")
    children = list((status or {}).get("children") or [])
    if not children:
        return TrayState("unknown")
    me = children[0]
    screen = me.get("screen") or {}
    left, limit = screen.get("left_s"), screen.get("limit_s")
    apps_left = me.get("apps_left") or {}
    used = me.get("apps_used") or {}
    apps = tuple(
        AppLeft(app, apps_left.get(app), int(used.get(app, 0)))
        for app in sorted(set(used) | set(apps_left), key=lambda a: (-int(used.get(a, 0)), a))
    )
    exhausted = tuple(a.app for a in apps if a.left_s is not None and a.left_s <= 0)
    exhausted += tuple(
        ",".join(limit_["refs"])
        for limit_ in me.get("app_limits") or []
        if limit_.get("left_s") is not None and limit_["left_s"] <= 0 and len(limit_["refs"]) > 1
    )
    state = me.get("state")
    kind: Kind
    if me.get("paused") or state == "paused":
        kind = "paused"
    elif state == "outside_hours":
        kind = "outside_hours"
    elif state == "screen_time_over":
        kind = "time_up"
    elif state == "warn" or (left is not None and left <= warn_lead):
        kind = "warning"
    elif exhausted:
        kind = "app_limit"
    else:
        kind = "plenty"
    return TrayState(
        kind,
        child=me.get("child"),
        screen_left_s=left,
        screen_limit_s=limit,
        allowed_until=me.get("allowed_until"),
        next_allowed_at=me.get("next_allowed_at"),
        apps=apps,
        exhausted=exhausted,
        warn_lead=warn_lead,
    )


def foreground_of(status: Mapping[str, Any] | None) -> str | None:
    children = list((status or {}).get("children") or [])
    return children[0].get("foreground") if children else None


class GameStreak:
    """Counts continuous game time from successive observations; says when a reminder is due.

    ``observe(now, playing)`` is called whenever the status arrives. A gap between observations longer
    than :data:`STREAK_BREAK`, or not playing for that long, ends the streak. Returns the number of
    whole 30-minute blocks just completed (0 or 1 in practice), so each block is reminded once.
    """

    def __init__(self, every: int = REMINDER_EVERY, gap: int = STREAK_BREAK) -> None:
        self.every = every
        self.gap = gap
        self.started: float | None = None
        self.last_play: float | None = None
        self.reminded = 0

    def observe(self, now: float, playing: bool) -> int:
        if self.last_play is not None and now - self.last_play > self.gap:
            self.started = None
        if not playing:
            return 0
        if self.started is None:
            self.started, self.reminded = now, 0
        self.last_play = now
        blocks = int((now - self.started) // self.every)
        due, self.reminded = max(0, blocks - self.reminded), max(blocks, self.reminded)
        return due

    @property
    def minutes(self) -> int:
        if self.started is None or self.last_play is None:
            return 0
        return int((self.last_play - self.started) // 60)


def is_playing(app: str | None, games: Collection[str]) -> bool:
    return app is not None and app in games
