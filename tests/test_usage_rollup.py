"""The per-day rollup of usage (``guardian.usage_rollup``, migration 6): reports from kept days equal reports
from the rows, on a real SQLite file, and a kept day goes away whenever a row overlapping it changes."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from guardian import api as api_module
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.messages import Report
from guardian.core.report import DayUsage, ReportDay, usage_by_day
from guardian.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
FIRST, LAST = date(2026, 3, 25), date(2026, 4, 2)  # summer time starts on 2026-03-29 (a 23-hour day)
APPS = ("minecraft", "roblox", "youtube", "kidapp", "calculator", "chess")

FAMILY = """
[settings]
timezone = "Europe/Berlin"
day_starts_at = "04:00"

[[app]]
id = "kidapp"
name = "Kid app"
category = "games"
match = { exe_names = ["kidapp"] }

[[child]]
name = "An"
accounts = ["an"]
screen_time = { default = "2h" }

[[child]]
name = "Binh"
accounts = ["binh"]
"""


def at(day: date, hour: float) -> int:
    """Unix seconds ``hour`` hours after midnight (Berlin) starts ``day`` (may pass 24)."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=BERLIN).timestamp()
    return int(midnight + hour * 3600)


def day_start(day: date, hour: int = 4) -> int:
    """When the logical ``day`` starts (at ``hour`` o'clock, Berlin time)."""
    return int(datetime.combine(day, time(hour), BERLIN).timestamp())


def timeline(seed: int, child: int) -> Iterator[tuple[int, str, int, int]]:
    """Usage rows of a child from ``FIRST`` to ``LAST``: sessions of app intervals with screen time, some
    across the day's start at 04:00 and across midnight, a clock set back by 40 minutes (rows written again
    over earlier ones), a clock jumped forward (a gap), and a session cut off without a clean end."""
    rng = random.Random(seed * 31 + child)
    day = FIRST
    while day <= LAST:
        clock = at(day, rng.choice((1.5, 3.5, 8.0, 14.0)))
        for _ in range(rng.randint(1, 4)):
            length = rng.randint(5, 150) * 60
            yield child, "@screen", clock, clock + length
            t = clock
            while t < clock + length:
                step = min(rng.randint(20, 900), clock + length - t)
                yield child, rng.choice(APPS), t, t + step
                if rng.random() < 0.05:  # the clock was set back: the same minutes counted again
                    back = t - 2400
                    yield child, rng.choice(APPS), back, back + rng.randint(60, 1800)
                t += step
            clock += length + rng.randint(1, 300) * 60
        if rng.random() < 0.3:  # an unclean gap: the session ends mid-interval, one long row to past midnight
            yield child, "@screen", at(day, 22.5), at(day, 25.25)
            yield child, "youtube", at(day, 23.0), at(day, 24.5)
        if (
            rng.random() < 0.2
        ):  # the clock jumped forward: rows resume hours later, overlapping the day's start
            yield child, "chess", at(day, 27.5), at(day, 28.5)
        day += timedelta(days=1)


@pytest.fixture
def family(tmp_path: Path) -> Iterator[GuardianAPI]:
    store = Store(tmp_path / "guardian.db")
    api = GuardianAPI(store, FakeClock(now=at(LAST, 12)))  # LAST (its logical day) is not finished
    api.import_rules(FAMILY, "family.toml")
    yield api
    store.close()


def fill(api: GuardianAPI, seed: int) -> None:
    rows = []
    for name in ("An", "Binh"):
        child = api.store.children.id_for(name)
        assert child is not None
        rows += list(timeline(seed, child))
    api.store.usage.write(rows)
    an = api.store.children.id_for("An")
    api.store.events.add("warning", ts=at(FIRST, 9), child_id=an)


def from_rows(api: GuardianAPI, monkeypatch: pytest.MonkeyPatch) -> Report:
    """The report computed from the rows alone, as before the rollup."""

    def rows_only(
        store: Store, child_id: int, days: list[ReportDay], category_of: object, now: float
    ) -> list[DayUsage]:
        rows = store.usage.rows_between(child_id, days[0].start, days[-1].end)
        return usage_by_day(days, rows, category_of=category_of)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(api_module, "child_usage", rows_only)
        return api.report(FIRST, LAST)


def kept_days(api: GuardianAPI) -> list[tuple[int, int, int]]:
    rows = api.store.conn.execute("SELECT child_id, day_start, day_end FROM usage_days WHERE kind = 0")
    return sorted((int(r[0]), int(r[1]), int(r[2])) for r in rows)


def read_ranges(api: GuardianAPI, monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """Record the ranges the report reads usage rows for."""
    ranges: list[tuple[float, float]] = []
    real = api.store.usage.rows_between

    def recording(child_id: int, start: float, end: float) -> list[tuple[int, int, str]]:
        ranges.append((start, end))
        return real(child_id, start, end)

    monkeypatch.setattr(api.store.usage, "rows_between", recording)
    return ranges


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_reports_from_kept_days_equal_reports_from_the_rows(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    fill(family, seed)
    expected = from_rows(family, monkeypatch)
    assert any(d.screen_time_s for c in expected.children for d in c.days)
    assert family.report(FIRST, LAST) == expected  # computes and keeps the finished days
    kept = kept_days(family)
    assert len(kept) == 2 * ((LAST - FIRST).days)  # every day but the unfinished last one, both children
    dst = [(start, end) for _, start, end in kept if end - start != 86_400]
    assert dst and all(end - start == 23 * 3600 for start, end in dst)  # the short day is kept as it is
    ranges = read_ranges(family, monkeypatch)
    assert family.report(FIRST, LAST) == expected  # from the kept days
    assert family.report(FIRST + timedelta(days=2), LAST - timedelta(days=1)).to_wire() == (
        _slice(expected, 2, -1)
    )
    last_start = day_start(LAST)
    assert ranges and all(start == last_start for start, _ in ranges[:2])  # only the unfinished day's rows


def _slice(report: Report, lo: int, hi: int) -> dict[str, object]:
    wire = report.to_wire()
    for child in wire["children"]:
        child["days"] = child["days"][lo:hi]
    wire["from"], wire["to"] = wire["children"][0]["days"][0]["date"], wire["children"][0]["days"][-1]["date"]
    return wire


def test_a_late_row_and_an_extended_row_drop_the_kept_day(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(family, 5)
    before = family.report(FIRST, LAST)
    an = family.store.children.id_for("An")
    assert an is not None
    kept = len(kept_days(family))
    family.store.usage.write([(an, "roblox", at(FIRST, 5), at(FIRST, 5.5))])  # late write, a finished day
    assert len(kept_days(family)) == kept - 1
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch) != before
    row = family.store.conn.execute(
        "SELECT app, start, end FROM usage WHERE child_id = ? AND start >= ? ORDER BY start LIMIT 1",
        (an, at(FIRST + timedelta(days=3), 4)),
    ).fetchone()
    family.report(FIRST, LAST)
    family.store.usage.write([(an, row[0], row[1], row[2] + 1800)])  # the same row again, 30 min longer
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch)
    assert family.report(FIRST, LAST).children[0].days[3] != before.children[0].days[3]
    # a row across the start of day 5 (04:00), extended: day 4 keeps its figures, day 5 is computed again
    day4, day5 = day_start(FIRST + timedelta(days=4)), day_start(FIRST + timedelta(days=5))
    family.store.usage.write([(an, "kidapp", day5 - 600, day5 + 60)])
    family.report(FIRST, LAST)
    starts = {start for child, start, _ in kept_days(family) if child == an}
    assert {day4, day5} <= starts
    family.store.usage.write([(an, "kidapp", day5 - 600, day5 + 1200)])
    starts = {start for child, start, _ in kept_days(family) if child == an}
    assert day4 in starts and day5 not in starts
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch)


def test_erasing_a_child_and_retention_leave_no_stale_day(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(family, 6)
    family.report(FIRST, LAST)
    cut = at(FIRST + timedelta(days=2), 15)  # in the middle of a kept day
    family.store.retention.purge_before(cut)
    assert all(end > cut for _, _, end in kept_days(family))
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch)
    an = family.store.children.id_for("An")
    assert an is not None
    family.store.retention.erase_child(an)
    assert not [k for k in kept_days(family) if k[0] == an]
    after = family.report(FIRST, LAST)
    assert after == from_rows(family, monkeypatch)
    assert all(d.screen_time_s == 0 and not d.apps for d in after.children[0].days)


def test_a_new_time_zone_or_category_is_not_read_from_old_days(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(family, 7)
    family.report(FIRST, LAST)
    family.import_rules(FAMILY.replace('category = "games"', 'category = "education"'), "family.toml")
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch)
    assert any("education" in d.categories for c in family.report(FIRST, LAST).children for d in c.days)
    family.import_rules(FAMILY.replace('day_starts_at = "04:00"', 'day_starts_at = "06:00"'), "family.toml")
    assert family.report(FIRST, LAST) == from_rows(family, monkeypatch)
    assert {start for _, start, _ in kept_days(family)} == {
        day_start(FIRST + timedelta(days=n), 6) for n in range((LAST - FIRST).days)
    }


def test_a_read_only_store_reports_without_keeping(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(family, 8)
    expected = from_rows(family, monkeypatch)
    reader = Store(family.store.path, readonly=True)
    try:
        api = GuardianAPI(reader, FakeClock(now=at(LAST, 12)))
        assert api.report(FIRST, LAST) == expected
    finally:
        reader.close()
    assert kept_days(family) == []


def test_the_agent_keeps_the_last_finished_week_once_a_day(family: GuardianAPI) -> None:
    fill(family, 9)
    family.keep_finished_days()
    kept = {start for _, start, _ in kept_days(family)}
    assert kept == {day_start(LAST - timedelta(days=n)) for n in range(1, 8)}


def test_days_are_computed_and_kept_a_few_at_a_time(
    family: GuardianAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write transaction covers at most ``CHUNK_DAYS`` days (the agent's writes wait less); the figures
    are the same."""
    from guardian import usage_rollup

    fill(family, 10)
    expected = from_rows(family, monkeypatch)
    monkeypatch.setattr(usage_rollup, "CHUNK_DAYS", 2)
    ranges = read_ranges(family, monkeypatch)
    assert family.report(FIRST, LAST) == expected
    assert len(ranges) == 2 * 5  # 9 days in runs of 2, for each of the two children
    assert len(kept_days(family)) == 2 * (LAST - FIRST).days
