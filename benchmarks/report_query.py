"""Report query speed and storage size of the usage store, with a naive baseline side by side.

Run: ``.venv/bin/python benchmarks/report_query.py [--seed N] [--runs N] [--baseline REF]``

* Builds a temporary database holding a year of a five-child family's usage (weekdays lighter
  than weekends, ~150-300 intervals per child-day, heavy days ~10 h) and times fetching one
  child's week of intervals and events through the repositories. Target: median <= 50 ms.
* Builds a second database with heavy days only and prints bytes per child per heavy day after
  VACUUM. Target: <= 30 KB.
* Baseline: the same intervals in a plain rowid table indexed on ``child_id`` only (what a first
  attempt would write), rows appended in time order, queried with the same overlap condition.

* The same week through ``GuardianAPI.report`` (fetch, split by logical day, per-app and
  per-category unions, event counts): what a client waits for. Target: median <= 50 ms.

End to end, each in a fresh process on the year database (``--baseline REF`` runs the same
measurements a second time with the ``src/`` and ``resources/`` of git revision ``REF`` first on
``PYTHONPATH``, and prints both columns and the ratio):

* the whole family's week through ``GuardianAPI.report``; target median <= 50 ms;
* ``guardian report --from … --to … --format json --out FILE`` for the whole year; target <= 0.5 s. Its
  first run is printed apart: it computes every day from the rows and keeps the finished ones in the
  per-day rollup (the agent keeps the last week's once a day), the runs after it read the kept days;
* ``guardian status`` (no agent running) on a database holding only the rules: the start-up cost of every
  command; target <= 150 ms. The same on the year's database is printed beside it (commands that only
  read skip the page-by-page ``PRAGMA quick_check`` at open, which grows with the data).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from guardian.api import GuardianAPI
from guardian.core import familyfile
from guardian.core.clock import FakeClock
from guardian.core.model import SCREEN, Child, Interval, Rules, Settings, Weekly
from guardian.store import EventRow, NewEvent, Store

DAY = 86_400
START = 1_767_225_600  # 2026-01-01 00:00 UTC
APPS = ("browser", "minecraft", "youtube", "roblox", "docs", "chess", "discord", "calculator")
EVENT_KINDS = ("warning", "app_closed", "time_up", "request", "clock_changed")
QUERY_TARGET_MS = 50.0
SIZE_TARGET_BYTES = 30 * 1024
YEAR_JSON_TARGET_MS = 500.0
STATUS_TARGET_MS = 150.0
KIDS = (("An", 9, "an"), ("Binh", 12, "binh"), ("Cuc", 15, "cuc"), ("Dung", 7, "dung"), ("Em", 5, "em"))
ZONE = "Asia/Ho_Chi_Minh"
REPO = Path(__file__).resolve().parents[1]

UsageRow = tuple[int, str, int, int]


def measure(label: str, fn: Callable[[], object], runs: int) -> list[float]:
    """Run ``fn`` ``runs`` times (after one warm-up); print and return the timings in ms."""
    fn()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"  {label:<44} median {statistics.median(timings):8.2f} ms   p95 {p95:8.2f} ms")
    return timings


def day_minutes(rng: random.Random, day: int, heavy: bool) -> int:
    """Minutes of use on ``day``: heavy days ~10 h, weekends more than weekdays."""
    if heavy:
        return rng.randint(570, 630)
    weekend = (day + 3) % 7 >= 5  # 2026-01-01 is a Thursday
    return rng.randint(300, 540) if weekend else rng.randint(200, 360)


def child_day(rng: random.Random, child: int, day_start: int, minutes: int) -> list[UsageRow]:
    """Screen sessions of 30-120 min from 08:00, filled with app intervals of ~1-3 min each."""
    rows: list[UsageRow] = []
    clock = day_start + 8 * 3600 + rng.randint(0, 3600)
    left = minutes * 60
    while left > 0:
        session = min(left, rng.randint(30, 120) * 60)
        rows.append((child, SCREEN, clock, clock + session))
        at = clock
        while at < clock + session:
            step = min(rng.randint(60, 180), clock + session - at)
            rows.append((child, rng.choice(APPS), at, at + step))
            at += step
        left -= session
        clock += session + rng.randint(10, 90) * 60
    return rows


def child_events(rng: random.Random, child: int, rows: list[UsageRow]) -> list[NewEvent]:
    picks = rng.sample(rows, k=min(len(rows), rng.randint(3, 15)))
    return [
        NewEvent(rng.choice(EVENT_KINDS), start, child, app, {"left": rng.randint(0, 900)})
        for child, app, start, _ in picks
    ]


def family_days(seed: int, days: int, heavy: bool) -> Iterator[tuple[list[UsageRow], list[NewEvent]]]:
    rng = random.Random(seed)
    for day in range(days):
        rows: list[UsageRow] = []
        events: list[NewEvent] = []
        for child in range(1, len(KIDS) + 1):
            one = child_day(rng, child, START + day * DAY, day_minutes(rng, day, heavy))
            rows.extend(one)
            events.extend(child_events(rng, child, one))
        yield rows, events


def build(path: Path, seed: int, days: int, *, heavy: bool) -> tuple[Store, int]:
    """A store filled with ``days`` days of the family; returns it and the interval count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    GuardianAPI(store, FakeClock(now=START)).save_rules(family_rules(), "benchmark")
    count = 0
    for rows, events in family_days(seed, days, heavy):
        with store.atomic():  # one transaction per day, as a day of agent ticks would be batched
            store.usage.write(rows)
            store.events.add_many(events)
        count += len(rows)
    return store, count


def family_rules() -> Rules:
    """Five children with daily limits, so the API report has limits to show."""
    return Rules(
        settings=Settings(timezone=ZONE),
        children=tuple(
            Child(name=n, age=a, accounts=(acc,), screen_time=Weekly(default=7200, days={"sat": 10800}))
            for n, a, acc in KIDS
        ),
    )


def add_naive_baseline(conn: sqlite3.Connection) -> None:
    """The same intervals in a rowid table indexed on child only, appended in time order."""
    conn.execute(
        "CREATE TABLE naive_usage (id INTEGER PRIMARY KEY, child_id INTEGER, app TEXT,"
        " start INTEGER, end INTEGER)"
    )
    conn.execute("CREATE INDEX naive_child ON naive_usage (child_id)")
    conn.execute(
        "INSERT INTO naive_usage (child_id, app, start, end)"
        " SELECT child_id, app, start, end FROM usage ORDER BY start, child_id"
    )


def naive_week(conn: sqlite3.Connection, child: int, start: int, end: int) -> list[tuple[int, int, str]]:
    return conn.execute(
        "SELECT start, end, app FROM naive_usage WHERE child_id = ? AND start < ? AND end > ? ORDER BY start",
        (child, end, start),
    ).fetchall()


def database_bytes(conn: sqlite3.Connection) -> int:
    conn.execute("VACUUM")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    return int(pages) * int(conn.execute("PRAGMA page_size").fetchone()[0])


def report_speed(folder: Path, seed: int, runs: int) -> None:
    began = time.perf_counter()
    store, count = build(folder / "year" / "guardian.db", seed, 365, heavy=False)
    print(
        f"year database: {count} intervals for {len(KIDS)} children,"
        f" built in {time.perf_counter() - began:.1f} s"
    )
    week_start = START + 200 * DAY
    week_end = week_start + 7 * DAY

    def store_week() -> tuple[list[Interval], list[EventRow]]:
        return store.usage.between(2, week_start, week_end), store.events.between(2, week_start, week_end)

    intervals, events = store_week()
    print(f"one week of one child: {len(intervals)} intervals, {len(events)} events")
    with store.atomic():
        add_naive_baseline(store.conn)
    ours = measure("store: usage.between + events.between", store_week, runs)

    def baseline_week() -> object:
        naive = naive_week(store.conn, 2, week_start, week_end)
        return naive, store.events.between(2, week_start, week_end)

    naive = measure("naive: rowid usage indexed on child + events", baseline_week, runs)
    api = GuardianAPI(store, FakeClock(now=week_end))
    first = datetime.fromtimestamp(week_start, ZoneInfo("Asia/Ho_Chi_Minh")).date()

    def api_week() -> object:
        return api.report(first, first + timedelta(days=6), "Binh")

    full = measure("api: GuardianAPI.report, one child, one week", api_week, runs)
    print(
        f"  api report target <= {QUERY_TARGET_MS:.0f} ms median: "
        f"{'ok' if statistics.median(full) <= QUERY_TARGET_MS else 'OVER TARGET'}"
    )
    median = statistics.median(ours)
    verdict = "ok" if median <= QUERY_TARGET_MS else "OVER TARGET"
    print(
        f"  target <= {QUERY_TARGET_MS:.0f} ms median: {verdict};"
        f" naive/store ratio {statistics.median(naive) / median:.1f}x"
    )
    store.close()


def report_size(folder: Path, seed: int) -> None:
    empty = Store(folder / "empty.db")
    empty_bytes = database_bytes(empty.conn)
    empty.close()
    days = 30
    store, count = build(folder / "heavy.db", seed, days, heavy=True)
    total = database_bytes(store.conn)
    per_child_day = (total - empty_bytes) / (len(KIDS) * days)
    add_naive_baseline(store.conn)
    store.conn.execute("DROP TABLE usage")
    naive_total = database_bytes(store.conn)
    store.close()
    verdict = "ok" if per_child_day <= SIZE_TARGET_BYTES else "OVER TARGET"
    print(
        f"heavy days: {count / (len(KIDS) * days):.0f} intervals per child-day, {days} days x {len(KIDS)} children"
    )
    print(
        f"  store: {per_child_day / 1024:6.1f} KB per child per heavy day"
        f" (usage + events; target <= 30 KB: {verdict})"
    )
    naive_per_day = (naive_total - empty_bytes) / (len(KIDS) * days)
    print(
        f"  naive: {naive_per_day / 1024:6.1f} KB per child per heavy day"
        f" (ratio {naive_per_day / per_child_day:.2f}x)"
    )


# -- end to end, in fresh processes, for this tree and a baseline revision ------------------------

_API_WEEK = """
import json, statistics, sys, time
from datetime import date, timedelta
from pathlib import Path
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.store import Store
db, first, runs = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), int(sys.argv[3])
store = Store(db)
api = GuardianAPI(store, FakeClock(now=2_000_000_000))
api.report(first, first + timedelta(days=6))
timings, cpu = [], []
for _ in range(runs):
    began, began_cpu = time.perf_counter(), time.process_time()
    api.report(first, first + timedelta(days=6))
    timings.append((time.perf_counter() - began) * 1000)
    cpu.append((time.process_time() - began_cpu) * 1000)
print(json.dumps([timings, cpu]))
"""


def source_tree(ref: str, folder: Path) -> Path:
    """``src/`` and ``resources/`` of git revision ``ref`` unpacked under ``folder``."""
    archive = folder / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), ref, "src", "resources"],
        check=True,
    )
    target = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def _env(tree: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), GUARDIAN_HOME=str(home))
    env.pop("GUARDIAN_PIN", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed Guardian starts from cached bytecode
    return env


def _timed_cli(tree: Path, home: Path, args: list[str], cpu: list[float] | None = None) -> float:
    """Wall time in ms of one CLI run; its CPU time (user + system) is appended to ``cpu``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "guardian.cli", *args],
        env=_env(tree, home),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = (time.perf_counter() - began) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return wall


def end_to_end(tree: Path, home: Path, runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU timings in ms of the family's week (API), the year as JSON and ``status`` (CLI)."""
    zone = ZoneInfo(ZONE)
    first = datetime.fromtimestamp(START + 200 * DAY, zone).date()
    week = subprocess.run(
        [sys.executable, "-c", _API_WEEK, str(home / "guardian.db"), first.isoformat(), str(runs)],
        env=_env(tree, home),
        check=True,
        capture_output=True,
        text=True,
    )
    year_from = datetime.fromtimestamp(START, zone).date()
    out = home / "year.json"
    year_args = [
        "report",
        "--from",
        year_from.isoformat(),
        "--to",
        (year_from + timedelta(days=364)).isoformat(),
    ]
    year_args += ["--format", "json", "--out", str(out)]
    few = max(3, runs // 10)
    _timed_cli(tree, home, ["status"])  # warm-up: bytecode caches written, database pages cached
    small = home.parent / f"{home.name}-rules-only"
    small.mkdir(exist_ok=True)
    (small / "family.toml").write_text(familyfile.dumps(family_rules()), encoding="utf-8")
    _timed_cli(tree, small, ["rules", "import", str(small / "family.toml")])
    year_cpu: list[float] = []
    status_cpu: list[float] = []
    start_cpu: list[float] = []
    first_cpu: list[float] = []
    first_year = [_timed_cli(tree, home, year_args, first_cpu)]  # a tree with the rollup keeps the days here
    week_wall, week_cpu = json.loads(week.stdout)
    return {
        "api: the family's week (5 children)": (week_wall, week_cpu),
        "cli: a year as JSON, first run (no day kept)": (first_year, first_cpu),
        "cli: a year as JSON (5 children)": (
            [_timed_cli(tree, home, year_args, year_cpu) for _ in range(few)],
            year_cpu,
        ),
        "cli: guardian status, rules only (start)": (
            [_timed_cli(tree, small, ["status"], start_cpu) for _ in range(runs)],
            start_cpu,
        ),
        "cli: guardian status, the year's database": (
            [_timed_cli(tree, home, ["status"], status_cpu) for _ in range(runs)],
            status_cpu,
        ),
    }


TARGETS: dict[str, float | None] = {
    "api: the family's week (5 children)": QUERY_TARGET_MS,
    "cli: a year as JSON, first run (no day kept)": None,
    "cli: a year as JSON (5 children)": YEAR_JSON_TARGET_MS,
    "cli: guardian status, rules only (start)": STATUS_TARGET_MS,
    "cli: guardian status, the year's database": STATUS_TARGET_MS,
}


def baseline_home(tree: Path, folder: Path, seed: int) -> Path:
    """The same year built by the baseline's own code (its schema may be older than ours)."""
    home = folder / "baseline-year"
    subprocess.run(
        [sys.executable, __file__, "--seed", str(seed), "--build-only", str(home / "guardian.db")],
        env=_env(tree, home),
        check=True,
    )
    return home


def report_end_to_end(folder: Path, runs: int, baseline: str | None, seed: int) -> None:
    home = folder / "year"
    ours = end_to_end(REPO, home, runs)
    base = None
    if baseline:
        tree = source_tree(baseline, folder)
        base = end_to_end(tree, baseline_home(tree, folder, seed), runs)
    print(f"end to end, fresh processes (medians, wall and CPU; baseline: {baseline or 'none given'})")
    for label, (timings, cpu) in ours.items():
        median = statistics.median(timings)
        line = f"  {label:<42} {median:8.1f} ms (CPU {statistics.median(cpu):7.1f})"
        if base is not None:
            before, before_cpu = statistics.median(base[label][0]), statistics.median(base[label][1])
            line += f"   before {before:8.1f} ms (CPU {before_cpu:7.1f})   before/now {before / median:5.1f}x"
        target = TARGETS[label]
        if target is None:
            print(f"{line}   (no target)")
            continue
        verdict = "ok" if median <= target else "OVER TARGET"
        print(f"{line}   target <= {target:.0f} ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--baseline", metavar="REF", help="git revision to measure beside this tree")
    parser.add_argument("--build-only", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(Path(args.build_only), args.seed, 365, heavy=False)[0].close()
        return
    with tempfile.TemporaryDirectory(prefix="guardian-bench-") as folder:
        report_speed(Path(folder), args.seed, args.runs)
        report_end_to_end(Path(folder), args.runs, args.baseline, args.seed)
        report_size(Path(folder), args.seed)


if __name__ == "__main__":
    main()
