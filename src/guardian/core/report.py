"""Report maths: turn one child's intervals and events into per-day figures. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from guardian.core import spans
from guardian.core.messages import ReportDayEntry
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

    def entry(self) -> ReportDayEntry:
        """This day as it crosses boundaries (in a ``Report``)."""
        return ReportDayEntry(
            self.date,
            self.screen_time_s,
            self.limit_s,
            self.granted_s,
            dict(self.apps),
            dict(self.categories),
            dict(self.events),
        )

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


@dataclass(frozen=True)
class ReportDay:
    """One logical day of a report: its ISO date, bounds, screen-time limit and screen-time grants."""

    date: str
    start: float
    end: float
    limit_s: int | None = None
    granted_s: int = 0


@dataclass(frozen=True)
class DayUsage:
    """One logical day's usage in whole seconds: the union per app (screen time under ``SCREEN``) and per
    category (``other`` for unknown apps). What a per-day rollup keeps for a finished day."""

    apps: dict[str, int]
    categories: dict[str, int]


def report_days(
    days: Sequence[ReportDay],
    usage: Iterable[tuple[float, float, str]],
    events: Iterable[tuple[float, str]],
    *,
    category_of: Callable[[str], str | None],
) -> list[DayFigures]:
    """Figures for consecutive logical ``days`` (each ends where the next starts).

    ``usage`` rows are ``(start, end, app)`` sorted by start and may reach beyond the days (they are
    clipped); ``events`` are ``(ts, kind)``. Everything is split by day once: the cost grows with the
    rows, not with rows times days.
    """
    return assemble_days(days, usage_by_day(days, usage, category_of=category_of), events)


def usage_by_day(
    days: Sequence[ReportDay],
    usage: Iterable[tuple[float, float, str]],
    *,
    category_of: Callable[[str], str | None],
) -> list[DayUsage]:
    """Per day, the usage figures of ``report_days`` (rows as there). A day's figures depend only on
    the rows that overlap it, so they can be computed for any run of days and kept."""
    if not days:
        return []
    bounds = [_whole(d.start) for d in days] + [_whole(days[-1].end)]
    rows = usage if isinstance(usage, Sequence) else list(usage)
    per_app, per_category = _apps_and_categories_by_day(rows, bounds, category_of)
    return [
        DayUsage(_seconds(apps), _seconds(categories))
        for apps, categories in zip(per_app, per_category, strict=True)
    ]


def assemble_days(
    days: Sequence[ReportDay], usage: Sequence[DayUsage], events: Iterable[tuple[float, str]]
) -> list[DayFigures]:
    """``report_days`` from each day's usage figures (computed or kept) and the events."""
    if not days:
        return []
    bounds = [_whole(d.start) for d in days] + [_whole(days[-1].end)]
    counts = spans.count_by_day(events, bounds)
    out = []
    for day, figures, kinds in zip(days, usage, counts, strict=True):
        apps = dict(figures.apps)
        screen = apps.pop(SCREEN, 0)
        out.append(
            DayFigures(
                date=day.date,
                screen_time_s=screen,
                limit_s=day.limit_s,
                granted_s=day.granted_s,
                apps=_by_time(apps),
                categories=_by_time(figures.categories),
                events=dict(sorted(kinds.items())),
            )
        )
    return out


def _apps_and_categories_by_day(
    rows: Sequence[tuple[float, float, str]],
    bounds: Sequence[float],
    category_of: Callable[[str], str | None],
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Per day, the union per app and per category (``other`` for unknown apps; screen time is in none),
    in one pass over ``rows``.

    A category with one app in the report has that app's figures; only the rows of categories with
    several apps are merged again (their apps may run at the same time).
    """
    members: dict[str, list[str]] = {}
    for app in sorted({row[2] for row in rows} - {SCREEN}):
        members.setdefault(category_of(app) or "other", []).append(app)
    shared = {app: category for category, apps in members.items() if len(apps) > 1 for app in apps}
    per_app, merged = spans.union_by_day_and_group(rows, bounds, shared)
    out = []
    for n, apps in enumerate(per_app):
        day = dict(merged[n])
        for category, (app, *more) in members.items():
            if not more and app in apps:
                day[category] = apps[app]
        out.append(day)
    return per_app, out


def _whole(ts: float) -> float:
    """``ts`` as an int when it is a whole second (int arithmetic is the fast path over many rows)."""
    return int(ts) if float(ts).is_integer() else ts


def _seconds(figures: dict[str, float]) -> dict[str, int]:
    return {key: int(value) for key, value in figures.items()}


def _by_time(seconds: dict[str, int]) -> dict[str, int]:
    return dict(sorted(seconds.items(), key=lambda kv: (-kv[1], kv[0])))


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
    rows = sorted((iv.start, iv.end, iv.app) for iv in intervals)
    (figures,) = report_days(
        [ReportDay(day, start, end, limit_s, granted_s)],
        rows,
        [(start, kind) for kind in event_kinds],
        category_of=category_of,
    )
    return figures
