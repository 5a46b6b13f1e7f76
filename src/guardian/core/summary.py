"""The weekly summary of one child: figures, tamper evidence and highlights. Pure.

Input is plain data (logical-day bounds, usage intervals, events, requests, facts about the accounts);
nothing here reads a clock, a database or the OS. Highlights are structured (``kind`` plus parameters) so
each front end words them in its own language (``guardian.summary_text``).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from guardian.core.model import SCREEN, Interval
from guardian.core.spans import clip as clip
from guardian.core.spans import merge as merge

Span = tuple[float, float]
SLOT = 900
"""Hour-of-day bucketing steps in 15-minute UTC slots: every zone offset in use is a multiple of 15 min,
so a slot never straddles a local hour, also across DST changes."""
LATE_HOURS = frozenset({22, 23, 0, 1, 2, 3, 4, 5})
"""Local hours counted as late at night."""
TAMPER_KINDS = ("agent_gap", "clock_changed", "tray_missing", "child_is_admin")
COUNTED_EVENTS = ("limit_reached", "blocked_launch", "warning", "app_closed", "grant")
MAX_HIGHLIGHTS = 5
MIN_CHANGE_S = 10 * 60
"""A week-on-week change smaller than this is "about the same"."""


# -- input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayInput:
    """One logical day: ISO date, weekday (0 = Monday), bounds in Unix seconds, limit and extra time."""

    date: str
    weekday: int
    start: float
    end: float
    limit_s: int | None
    granted_s: int = 0


@dataclass(frozen=True)
class EventFact:
    ts: int
    kind: str
    app: str | None = None
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class RequestFact:
    ts: int
    seconds: int
    status: str
    """``pending``, ``approved`` or ``denied``."""
    app: str | None = None
    answered_seconds: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class AppInfo:
    """How the summary names and counts apps: display name, category, always allowed for this child."""

    name_of: Callable[[str], str]
    category_of: Callable[[str], str | None]
    always_allowed: Callable[[str], bool]


@dataclass(frozen=True)
class WeekInput:
    child: str
    days: Sequence[DayInput]
    intervals: Sequence[Interval]
    """Usage of this child overlapping the week (unclipped)."""
    events: Sequence[EventFact]
    """This child's events and the machine's (agent gaps, clock changes) inside the week."""
    requests: Sequence[RequestFact]
    tz: tzinfo
    admin_accounts: tuple[str, ...] = ()
    """The child's OS accounts that have administrator rights (a fact from the platform)."""
    web_blocks: Mapping[str, int] = field(default_factory=dict)
    """Blocked web lookups per category over the week (counts only: no site is ever recorded)."""


# -- output --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySummary:
    date: str
    weekday: int
    screen_s: int
    limit_s: int | None
    granted_s: int
    always_allowed_s: int
    """Time in always-allowed apps outside counted screen time (never part of ``screen_s``)."""
    categories: dict[str, int]
    """Counted (not always-allowed) app time per category id, largest first."""
    events: dict[str, int]
    apps: dict[str, int] = field(default_factory=dict)
    """Seconds per app id this day (always-allowed apps included), largest first."""

    @property
    def allowance_s(self) -> int | None:
        return None if self.limit_s is None else self.limit_s + self.granted_s

    @property
    def over_limit(self) -> bool:
        allowance = self.allowance_s
        return allowance is not None and self.screen_s > allowance


@dataclass(frozen=True)
class AppUse:
    app: str
    name: str
    category: str
    seconds: int
    always_allowed: bool


@dataclass(frozen=True)
class TamperFact:
    kind: str
    ts: int
    seconds: int = 0
    clean: bool | None = None
    delta: int = 0
    account: str = ""


@dataclass(frozen=True)
class Highlight:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChildSummary:
    child: str
    first: str
    last: str
    days: tuple[DaySummary, ...]
    apps: tuple[AppUse, ...]
    """Every app used, most time first."""
    categories: dict[str, int]
    hours: tuple[int, ...]
    """Screen seconds per local hour of day, 0–23, over the week."""
    counts: dict[str, int]
    requests: tuple[RequestFact, ...]
    tamper: tuple[TamperFact, ...]
    admin_accounts: tuple[str, ...]
    previous_screen_s: int | None
    highlights: tuple[Highlight, ...] = ()
    web_blocks: dict[str, int] = field(default_factory=dict)
    """Blocked web lookups per category, most first."""

    @property
    def screen_s(self) -> int:
        return sum(d.screen_s for d in self.days)

    @property
    def late_night_s(self) -> int:
        return sum(s for hour, s in enumerate(self.hours) if hour in LATE_HOURS)

    @property
    def change_s(self) -> int | None:
        return None if self.previous_screen_s is None else self.screen_s - self.previous_screen_s

    def top_apps(self, n: int = 5) -> tuple[AppUse, ...]:
        return tuple(a for a in self.apps if not a.always_allowed)[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "child": self.child,
            "from": self.first,
            "to": self.last,
            "screen_time_s": self.screen_s,
            "previous_screen_time_s": self.previous_screen_s,
            "change_s": self.change_s,
            "late_night_s": self.late_night_s,
            "days": [
                {
                    "date": d.date,
                    "screen_time_s": d.screen_s,
                    "limit_s": d.limit_s,
                    "granted_s": d.granted_s,
                    "always_allowed_s": d.always_allowed_s,
                    "categories": dict(d.categories),
                    "events": dict(d.events),
                    "apps": dict(d.apps),
                }
                for d in self.days
            ],
            "apps": [
                {
                    "app": a.app,
                    "name": a.name,
                    "category": a.category,
                    "seconds": a.seconds,
                    "always_allowed": a.always_allowed,
                }
                for a in self.apps
            ],
            "categories": dict(self.categories),
            "hours_s": list(self.hours),
            "counts": dict(self.counts),
            "requests": [
                {
                    "ts": r.ts,
                    "seconds": r.seconds,
                    "app": r.app,
                    "status": r.status,
                    "answered_seconds": r.answered_seconds,
                }
                for r in self.requests
            ],
            "tamper": [
                {k: v for k, v in vars(t).items() if v not in (None, "", 0) or k in ("kind", "ts")}
                for t in self.tamper
            ],
            "admin_accounts": list(self.admin_accounts),
            "web_blocks": dict(self.web_blocks),
            "highlights": [{"kind": h.kind, **h.params} for h in self.highlights],
        }


# -- interval maths (merge and clip are core.spans') -------------------------------------------------


class Track:
    """Merged spans with their ends indexed, so clipping to one day costs a binary search."""

    __slots__ = ("ends", "spans", "starts")

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [lo for lo, _ in spans]
        self.ends = [hi for _, hi in spans]

    def clip(self, start: float, end: float) -> list[Span]:
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end, first)
        return [(max(lo, start), min(hi, end)) for lo, hi in self.spans[first:last]]


def length(spans: Iterable[Span]) -> int:
    return int(sum(hi - lo for lo, hi in spans))


def subtract(spans: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    """``spans`` minus ``cut`` (both merged)."""
    out: list[Span] = []
    j = 0
    for lo, hi in spans:
        cur = lo
        while j < len(cut) and cut[j][1] <= cur:
            j += 1
        k = j
        while k < len(cut) and cut[k][0] < hi:
            if cut[k][0] > cur:
                out.append((cur, cut[k][0]))
            cur = max(cur, cut[k][1])
            k += 1
        if cur < hi:
            out.append((cur, hi))
    return out


def hour_of_day(spans: Iterable[Span], tz: tzinfo) -> list[int]:
    """Seconds of ``spans`` (disjoint) per local hour 0–23, exact across DST changes."""
    hours = [0.0] * 24
    cache: dict[int, int] = {}
    for lo, hi in spans:
        slot = math.floor(lo / SLOT) * SLOT
        while slot < hi:
            hour = cache.get(slot)
            if hour is None:
                hour = cache[slot] = datetime.fromtimestamp(slot, tz).hour
            hours[hour] += min(hi, slot + SLOT) - max(lo, slot)
            slot += SLOT
    return [round(h) for h in hours]


# -- the summary ---------------------------------------------------------------------------------


def summarize(week: WeekInput, info: AppInfo, *, previous_screen_s: int | None = None) -> ChildSummary:
    """Figures, tamper evidence and highlights for ``week.child`` over ``week.days``."""
    if not week.days:
        raise ValueError("a summary needs at least one day")
    start, end = week.days[0].start, week.days[-1].end
    by_app: dict[str, list[Span]] = {}
    screen_raw: list[Span] = []
    for iv in week.intervals:
        if iv.end <= start or iv.start >= end:
            continue
        (screen_raw if iv.app == SCREEN else by_app.setdefault(iv.app, [])).append((iv.start, iv.end))
    screen = clip(merge(screen_raw), start, end)
    apps = {app: clip(merge(spans), start, end) for app, spans in by_app.items()}
    allowed = {app for app in apps if info.always_allowed(app)}
    always = Track(merge(s for app in allowed for s in apps[app]))
    category = {app: info.category_of(app) or "other" for app in apps}
    tracks = {app: Track(spans) for app, spans in apps.items()}
    screen_track = Track(screen)
    days = tuple(_day(d, screen_track, always, tracks, allowed, category, week.events) for d in week.days)
    app_uses = sorted(
        (
            AppUse(app, info.name_of(app), category[app], length(spans), app in allowed)
            for app, spans in apps.items()
            if length(spans) > 0
        ),
        key=lambda a: (-a.seconds, a.name.casefold()),
    )
    totals: Counter[str] = Counter()
    for d in days:
        totals.update(d.categories)
    counts = Counter(e.kind for e in week.events if e.kind in COUNTED_EVENTS and start <= e.ts < end)
    summary = ChildSummary(
        child=week.child,
        first=week.days[0].date,
        last=week.days[-1].date,
        days=days,
        apps=tuple(app_uses),
        categories=_sorted(totals),
        hours=tuple(hour_of_day(screen, week.tz)),
        counts={k: counts.get(k, 0) for k in COUNTED_EVENTS},
        requests=tuple(sorted((r for r in week.requests if start <= r.ts < end), key=lambda r: r.ts)),
        tamper=tuple(_tamper(week.events, start, end)),
        admin_accounts=tuple(sorted(set(week.admin_accounts))),
        previous_screen_s=previous_screen_s,
        web_blocks=_sorted(Counter({k: n for k, n in week.web_blocks.items() if n > 0})),
    )
    return _with_highlights(summary)


def _day(
    d: DayInput,
    screen: Track,
    always: Track,
    apps: dict[str, Track],
    allowed: set[str],
    category: dict[str, str],
    events: Sequence[EventFact],
) -> DaySummary:
    day_screen = screen.clip(d.start, d.end)
    day_always = subtract(always.clip(d.start, d.end), day_screen)
    per_cat: dict[str, list[Span]] = {}
    per_app: dict[str, int] = {}
    for app, track in apps.items():
        clipped = track.clip(d.start, d.end)
        if clipped:
            per_app[app] = length(clipped)
        if app not in allowed:
            per_cat.setdefault(category[app], []).extend(clipped)
    cats = {c: length(merge(spans)) for c, spans in per_cat.items()}
    kinds = Counter(e.kind for e in events if d.start <= e.ts < d.end and e.kind in COUNTED_EVENTS)
    return DaySummary(
        date=d.date,
        weekday=d.weekday,
        screen_s=length(day_screen),
        limit_s=d.limit_s,
        granted_s=d.granted_s,
        always_allowed_s=length(day_always),
        categories=_sorted({c: s for c, s in cats.items() if s > 0}),
        events=dict(sorted(kinds.items())),
        apps=_sorted({a: v for a, v in per_app.items() if v > 0}),
    )


def _sorted(figures: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(figures.items(), key=lambda kv: (-kv[1], kv[0])))


def _tamper(events: Iterable[EventFact], start: float, end: float) -> list[TamperFact]:
    out: list[TamperFact] = []
    for e in sorted(events, key=lambda e: e.ts):
        if e.kind not in TAMPER_KINDS or not start <= e.ts < end:
            continue
        data = e.data or {}
        if e.kind == "agent_gap":
            out.append(
                TamperFact(
                    "agent_gap",
                    e.ts,
                    seconds=int(data.get("seconds", 0)),
                    clean=bool(data.get("clean", True)),
                )
            )
        elif e.kind == "clock_changed":
            out.append(TamperFact("clock_changed", e.ts, delta=int(data.get("delta", 0))))
        elif e.kind == "child_is_admin":
            out.append(TamperFact("child_is_admin", e.ts, account=str(data.get("account", ""))))
        else:
            out.append(TamperFact(e.kind, e.ts))
    return out


# -- highlights ----------------------------------------------------------------------------------


def _with_highlights(s: ChildSummary) -> ChildSummary:
    found = [h for h in (rule(s) for rule in _RULES) if h is not None]
    return ChildSummary(**{**vars(s), "highlights": tuple(found[:MAX_HIGHLIGHTS])})


def _total(s: ChildSummary) -> Highlight | None:
    if s.screen_s == 0:
        return Highlight("no_use", {"child": s.child})
    busiest = max(s.days, key=lambda d: (d.screen_s, -d.weekday))
    top = next(iter(busiest.categories), "other")
    change = s.change_s
    if change is None:
        return Highlight(
            "total", {"child": s.child, "seconds": s.screen_s, "category": top, "weekday": busiest.weekday}
        )
    direction = "same" if abs(change) < MIN_CHANGE_S else "more" if change > 0 else "less"
    return Highlight(
        "change",
        {
            "child": s.child,
            "seconds": abs(change),
            "direction": direction,
            "total": s.screen_s,
            "category": top,
            "weekday": busiest.weekday,
        },
    )


def _tamper_highlight(s: ChildSummary) -> Highlight | None:
    unclean = sum(1 for t in s.tamper if t.kind == "agent_gap" and t.clean is False)
    clock = sum(1 for t in s.tamper if t.kind == "clock_changed")
    tray = sum(1 for t in s.tamper if t.kind == "tray_missing")
    admin = len(s.admin_accounts) + sum(1 for t in s.tamper if t.kind == "child_is_admin")
    if not (unclean or clock or tray or admin):
        return None
    return Highlight(
        "tamper",
        {
            "child": s.child,
            "unclean_stops": unclean,
            "clock_changes": clock,
            "tray_missing": tray,
            "admin": admin > 0,
        },
    )


def _limits(s: ChildSummary) -> Highlight | None:
    reached = sum(1 for d in s.days if d.events.get("limit_reached"))
    if not reached:
        return None
    return Highlight("limit_days", {"child": s.child, "days": reached})


def _late(s: ChildSummary) -> Highlight | None:
    late = s.late_night_s
    if late < 60:
        return None
    return Highlight("late_night", {"child": s.child, "seconds": late})


def _requests(s: ChildSummary) -> Highlight | None:
    if not s.requests:
        return None
    approved = sum(1 for r in s.requests if r.status == "approved")
    return Highlight("requests", {"child": s.child, "asked": len(s.requests), "approved": approved})


def _blocked(s: ChildSummary) -> Highlight | None:
    n = s.counts.get("blocked_launch", 0)
    if not n:
        return None
    return Highlight("blocked", {"child": s.child, "count": n})


def _within(s: ChildSummary) -> Highlight | None:
    limited = [d for d in s.days if d.limit_s is not None]
    if s.screen_s == 0 or not limited or any(d.events.get("limit_reached") or d.over_limit for d in limited):
        return None
    return Highlight("within_limits", {"child": s.child})


def _busiest(s: ChildSummary) -> Highlight | None:
    if s.screen_s == 0:
        return None
    day = max(s.days, key=lambda d: (d.screen_s, -d.weekday))
    return Highlight("busiest_day", {"child": s.child, "weekday": day.weekday, "seconds": day.screen_s})


def _top_app(s: ChildSummary) -> Highlight | None:
    top = s.top_apps(1)
    if not top:
        return None
    return Highlight("top_app", {"child": s.child, "app": top[0].name, "seconds": top[0].seconds})


_RULES: tuple[Callable[[ChildSummary], Highlight | None], ...] = (
    _total,
    _tamper_highlight,
    _late,
    _limits,
    _within,
    _requests,
    _blocked,
    _top_app,
    _busiest,
)
"""Highlight rules in order of importance; the first ``MAX_HIGHLIGHTS`` that apply are kept."""
