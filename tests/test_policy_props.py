"""Properties of the policy engine over random rules, usage, grants and instants."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from guardian.core.model import (
    CATEGORY_PREFIX,
    SCREEN,
    WEEKDAYS,
    AppLimit,
    Child,
    Grant,
    Interval,
    Rules,
    Settings,
    TimeRange,
    Weekly,
)
from guardian.core.policy import ChildStatus, evaluate_child

T = TypeVar("T")
ZONES = ["Asia/Ho_Chi_Minh", "America/New_York", "Europe/London", "Australia/Lord_Howe"]
APPS = ["minecraft", "roblox", "youtube", "calculator", "khan", "notepad"]
REFS = [*APPS, "category:games", "category:video", "category:education", "category:utilities"]
START_2026 = 1_767_225_600  # 2026-01-01 00:00 UTC
DAY = 86_400


CATEGORIES = {"minecraft": "games", "roblox": "games", "youtube": "video", "khan": "education"}


class FakeCatalog:
    """App id → category; a ref is an app id or ``category:NAME``."""

    def category_of(self, app_id: str) -> str | None:
        return CATEGORIES.get(app_id)

    def contains(self, refs: Iterable[str], app_id: str) -> bool:
        category = self.category_of(app_id)
        return app_id in refs or (category is not None and CATEGORY_PREFIX + category in refs)


CATALOG = FakeCatalog()
durations = st.integers(min_value=0, max_value=6 * 3600)
refs = st.lists(st.sampled_from(REFS), max_size=3, unique=True).map(tuple)


def weekly(values: st.SearchStrategy[T]) -> st.SearchStrategy[Weekly[T]]:
    return st.builds(
        Weekly,
        default=st.none() | values,
        days=st.dictionaries(st.sampled_from(WEEKDAYS), values, max_size=3),
    )


time_ranges = st.builds(TimeRange, start=st.integers(0, 1439), end=st.integers(1, 1440)).filter(
    lambda r: r.start != r.end
)
hours: st.SearchStrategy[Weekly[tuple[TimeRange, ...]]] = st.one_of(
    st.just(Weekly()), weekly(st.lists(time_ranges, max_size=3).map(tuple))
)
app_limits = st.builds(AppLimit, apps=refs.filter(bool), daily=weekly(durations))
children = st.builds(
    Child,
    name=st.just("An"),
    screen_time=weekly(durations),
    allowed_hours=hours,
    always_allowed=refs,
    blocked=refs,
    app_limits=st.lists(app_limits, max_size=3).map(tuple),
)
policy_settings = st.builds(
    Settings,
    warn_before=st.lists(st.sampled_from([0, 60, 300, 900, 1800]), max_size=3).map(tuple),
    day_starts_at=st.sampled_from([0, 0, 240, 359, 1380]),
    timezone=st.sampled_from(ZONES),
)


@dataclass(frozen=True)
class Case:
    rules: Rules
    child: Child
    usage: list[Interval]
    grants: list[Grant]
    now: float


@st.composite
def cases(draw: st.DrawFn) -> Case:
    rule_settings = draw(policy_settings)
    child = draw(children)
    now = START_2026 + draw(st.integers(0, 365 * DAY)) + draw(st.sampled_from([0.0, 0.25, 0.5, 0.999]))
    usage = [
        Interval(start, start + draw(st.floats(0, 5 * 3600)), draw(st.sampled_from([SCREEN, SCREEN, *APPS])))
        for start in draw(st.lists(st.floats(now - 2 * DAY, now + 3600), max_size=8))
    ]
    local = datetime.fromtimestamp(now, ZoneInfo(rule_settings.timezone)).date()
    grant_days = st.sampled_from([(local + timedelta(days=k)).isoformat() for k in (-1, 0, 1)])
    grants = draw(
        st.lists(
            st.builds(Grant, day=grant_days, seconds=durations, app=st.none() | st.sampled_from(REFS)),
            max_size=4,
        )
    )
    return Case(Rules(settings=rule_settings, children=(child,)), child, usage, grants, now)


def run(case: Case) -> ChildStatus:
    return evaluate_child(case.rules, case.child, case.usage, case.grants, case.now, catalog=CATALOG)


def budget_is_consistent(limit: int | None, granted: int, used: int, left: int | None) -> bool:
    if min(granted, used) < 0:
        return False
    if limit is None:
        return left is None
    assert left is not None
    if used <= limit + granted:
        return used + left == limit + granted
    return left == 0


@settings(max_examples=200, deadline=None)
@given(cases())
def test_budgets_add_up_and_are_never_negative(case: Case) -> None:
    status = run(case)
    elapsed = case.now - status.day_start
    screen = status.screen
    assert budget_is_consistent(screen.limit_s, screen.granted_s, screen.used_s, screen.left_s)
    assert screen.used_s <= elapsed
    for limit in status.app_limits:
        assert budget_is_consistent(limit.limit_s, limit.granted_s, limit.used_s, limit.left_s)
        assert limit.used_s <= elapsed
    assert all(0 <= seconds <= elapsed for seconds in status.apps_used.values())


@settings(max_examples=200, deadline=None)
@given(cases())
def test_always_allowed_apps_are_never_blocked_or_exhausted(case: Case) -> None:
    status = run(case)
    for app in APPS:
        verdict = status.app_verdict(app)
        if CATALOG.contains(case.child.always_allowed, app):
            assert verdict == "always_allowed"
            assert status.app_left(app) is None
        left = status.app_left(app)
        assert left is None or left >= 0
        if verdict == "exhausted":
            assert left == 0


@settings(max_examples=200, deadline=None)
@given(cases())
def test_times_are_in_order(case: Case) -> None:
    status = run(case)
    now = case.now
    assert status.day_start <= now < status.day_end
    assert 23 * 3600 <= status.day_end - status.day_start <= 25 * 3600
    assert status.weekday == status.day.weekday()
    for moment in (
        status.next_change_at,
        status.next_warning_at,
        status.allowed_until,
        status.next_allowed_at,
    ):
        assert moment is None or moment > now
    assert status.next_change_at is not None
    assert status.next_change_at <= status.day_end
    if status.next_warning_at is not None:
        assert status.next_change_at <= status.next_warning_at


@settings(max_examples=200, deadline=None)
@given(cases())
def test_allowed_hours_and_state_agree(case: Case) -> None:
    status = run(case)
    inside_today = any(start <= case.now < end for start, end in status.allowed_today)
    assert status.in_allowed_hours == inside_today
    assert all(status.day_start <= s < e <= status.day_end for s, e in status.allowed_today)
    assert (status.state == "outside_hours") == (not status.in_allowed_hours)
    if status.state == "screen_time_over":
        assert status.screen.left_s == 0
    for warning in status.warnings_due:
        assert 0 < warning.left <= warning.lead
    json.dumps(status.to_dict())


@settings(max_examples=200, deadline=None)
@given(cases(), durations)
def test_a_screen_grant_never_takes_time_away(case: Case, extra: int) -> None:
    before = run(case)
    grant = Grant(day=before.day.isoformat(), seconds=extra)
    after = run(replace(case, grants=[*case.grants, grant]))
    assert after.screen.granted_s == before.screen.granted_s + extra
    if before.screen.left_s is not None:
        assert after.screen.left_s is not None
        assert after.screen.left_s >= before.screen.left_s
