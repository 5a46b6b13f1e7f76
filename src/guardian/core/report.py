"""Report maths: turn one child's intervals and events into per-day figures. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from guardian.core.accounting import union_seconds
from guardian.core.model import SCREEN, Interval


@dataclass(frozen=True)
class DayFigures:
    date: str
    screen_time_s: int
    limit_s: int | None
    granted_s: int
    apps: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date,
            "screen_time_s": self.screen_time_s,
            "limit_s": self.limit_s,
            "granted_s": self.granted_s,
            "apps": dict(self.apps),
            "categories": dict(self.categories),
            "events": dict(self.events),
        }


def day_figures(
    day: str,
    bounds: tuple[float, float],
    intervals: Sequence[Interval],
    event_kinds: Sequence[str],
    *,
    limit_s: int | None,
    granted_s: int,
    category_of: Callable[[str], str | None],
) -> DayFigures:
    """Figures for one logical day; ``intervals`` may extend beyond ``bounds`` (they are clipped)."""
    start, end = bounds
    screen = union_seconds([iv for iv in intervals if iv.app == SCREEN], start, end)
    per_app: dict[str, list[Interval]] = {}
    for iv in intervals:
        if iv.app != SCREEN and iv.end > start and iv.start < end:
            per_app.setdefault(iv.app, []).append(iv)
    per_cat: dict[str, list[Interval]] = {}
    for app, ivs in per_app.items():
        per_cat.setdefault(category_of(app) or "other", []).extend(ivs)
    apps = {a: int(union_seconds(ivs, start, end)) for a, ivs in per_app.items()}
    cats = {c: int(union_seconds(ivs, start, end)) for c, ivs in per_cat.items()}
    return DayFigures(
        date=day,
        screen_time_s=int(screen),
        limit_s=limit_s,
        granted_s=granted_s,
        apps=dict(sorted(apps.items(), key=lambda kv: (-kv[1], kv[0]))),
        categories=dict(sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))),
        events=dict(sorted(Counter(event_kinds).items())),
    )
