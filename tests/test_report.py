"""Report maths: per-day figures split by day once, equal to the day-by-day definition."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.core.accounting import union_seconds
from guardian.core.calendar import days_between, logical_day_of
from guardian.core.model import SCREEN, Interval
from guardian.core.report import ReportDay, day_figures, report_days

CATEGORY = {"minecraft": "games", "roblox": "games", "youtube": "video"}
APPS = (SCREEN, "minecraft", "roblox", "youtube", "unknown-app")
HOUR = 3600


def per_day_by_definition(
    day: ReportDay, intervals: list[Interval], kinds: list[tuple[float, str]]
) -> dict[str, object]:
    """One day's figures straight from the definition: clip, then union per app and per category."""
    inside = [iv for iv in intervals if iv.end > day.start and iv.start < day.end and iv.end > iv.start]
    apps = {iv.app for iv in inside if iv.app != SCREEN}
    cats = {CATEGORY.get(a, "other") for a in apps}
    app_s = {a: int(union_seconds([iv for iv in inside if iv.app == a], day.start, day.end)) for a in apps}
    cat_s = {
        c: int(
            union_seconds(
                [iv for iv in inside if iv.app != SCREEN and CATEGORY.get(iv.app, "other") == c],
                day.start,
                day.end,
            )
        )
        for c in cats
    }
    events: dict[str, int] = {}
    for ts, kind in kinds:
        if day.start <= ts < day.end:
            events[kind] = events.get(kind, 0) + 1
    return {
        "screen_time_s": int(union_seconds([iv for iv in inside if iv.app == SCREEN], day.start, day.end)),
        "apps": app_s,
        "categories": cat_s,
        "events": events,
    }


intervals = st.lists(
    st.builds(
        lambda start, length, app: Interval(start, start + length, app),
        st.integers(-30 * HOUR, 5 * 24 * HOUR),
        st.integers(0, 30 * HOUR),
        st.sampled_from(APPS),
    ),
    max_size=25,
)
stamps = st.lists(
    st.tuples(st.integers(-HOUR, 5 * 24 * HOUR), st.sampled_from(["warning", "app_closed"])), max_size=10
)


@settings(max_examples=200, deadline=None)
@given(intervals, stamps, st.sampled_from(["Europe/Berlin", "Asia/Ho_Chi_Minh", "America/Sao_Paulo"]))
def test_report_days_equal_the_day_by_day_definition(
    data: list[Interval], kinds: list[tuple[int, str]], zone: str
) -> None:
    tz = ZoneInfo(zone)
    origin = logical_day_of(date(2026, 3, 27), tz, 240).start  # days around a DST change in Berlin
    shifted = [Interval(iv.start + origin, iv.end + origin, iv.app) for iv in data]
    events = sorted((ts + origin, kind) for ts, kind in kinds)
    days = [
        ReportDay(d.isoformat(), s.start, s.end, 7200, 0)
        for d in days_between(date(2026, 3, 27), date(2026, 3, 31))
        for s in [logical_day_of(d, tz, 240)]
    ]
    rows = sorted((iv.start, iv.end, iv.app) for iv in shifted)
    figures = report_days(days, rows, events, category_of=CATEGORY.get)
    for day, fig in zip(days, figures, strict=True):
        expected = per_day_by_definition(day, shifted, events)
        got = fig.to_dict()
        assert {k: got[k] for k in expected} == expected
        assert list(fig.apps.values()) == sorted(fig.apps.values(), reverse=True)


def test_one_day_figures_keep_their_old_signature() -> None:
    fig = day_figures(
        "2026-11-27",
        (0, 100),
        [Interval(-10, 20, SCREEN), Interval(0, 10, "minecraft"), Interval(5, 30, "roblox")],
        ["warning", "warning"],
        limit_s=60,
        granted_s=5,
        category_of=CATEGORY.get,
    )
    assert fig.screen_time_s == 20 and fig.apps == {"roblox": 25, "minecraft": 10}
    assert fig.categories == {"games": 30} and fig.events == {"warning": 2}
    assert (fig.limit_s, fig.granted_s) == (60, 5)
