"""Weekly summary, PDF export and retention speed over a year of a five-child family, beside baselines.

Run: ``.venv/bin/python benchmarks/summary_bench.py [--seed N] [--runs N]``

Builds a temporary database holding a year (+ 1 day) of five children's usage with the generator of
``report_query.py`` (~150-300 intervals per child-day, a few events a day), then times:

* ``GuardianAPI.summary`` of one week for all five children (the two weeks of intervals each needs,
  day splitting, per-app/category unions, hour of day, tamper evidence, highlights).
  Target: median <= 100 ms. Baseline: ``GuardianAPI.report`` for the same week and children.
* The PDF export of that week (``summary_pdf.write_pdf``, five pages with charts, Qt offscreen).
  Target: <= 2 s. Baseline: the HTML export of the same summaries (no Qt).
* A retention pass on a copy of the year: the daily pass (one day has expired, ``retention_days``
  365) and a catch-up pass (``retention_days`` cut to 30: eleven months go), in batches of 2 000 rows.
  Target: <= 1 s. Baseline: ``Store.purge_before``, one unbatched transaction (what holds the write
  lock for the whole pass).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_query import DAY, START, child_day, child_events, day_minutes

from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.model import Child, Rules, Settings, Weekly
from guardian.store import Store
from guardian.store.rows import NewEvent

KIDS = (("An", 8), ("Binh", 10), ("Cuc", 12), ("Dung", 14), ("Giang", 16))
DAYS = 366
ZONE = "Asia/Ho_Chi_Minh"
SUMMARY_TARGET_MS = 100.0
PDF_TARGET_MS = 2000.0
RETENTION_TARGET_MS = 1000.0


def rules(retention_days: int = 365) -> Rules:
    return Rules(
        settings=Settings(timezone=ZONE, retention_days=retention_days),
        children=tuple(
            Child(name=n, age=a, accounts=(n.lower(),), screen_time=Weekly(default=7200, days={"sat": 10800}))
            for n, a in KIDS
        ),
    )


def build(path: Path, seed: int) -> int:
    rng = random.Random(seed)
    store = Store(path)
    GuardianAPI(store, FakeClock(now=START)).save_rules(rules(), "benchmark")
    count = 0
    for day in range(DAYS):
        rows, events = [], []
        for child in range(1, len(KIDS) + 1):
            one = child_day(rng, child, START + day * DAY, day_minutes(rng, day, False))
            rows += one
            events += child_events(rng, child, one)
        events.append(
            NewEvent("agent_gap", START + day * DAY + 3600, None, None, {"seconds": 600, "clean": True})
        )
        with store.atomic():
            store.usage.write(rows)
            store.events.add_many(events)
            for child in range(1, len(KIDS) + 1):
                store.requests.add(child, 900, ts=START + day * DAY + 50_000)
        count += len(rows)
    store.close()
    return count


def measure(
    label: str, fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> float:
    """Median ms of ``fn`` over ``runs`` (after a warm-up unless ``setup`` prepares each run)."""
    if setup is None:
        fn()
    timings = []
    for _ in range(runs):
        if setup is not None:
            setup()
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    median = statistics.median(timings)
    print(f"  {label:<58} median {median:9.2f} ms   max {max(timings):9.2f} ms")
    return median


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def summary_speed(path: Path, runs: int) -> None:
    store = Store(path)
    week_start = START + 200 * DAY
    api = GuardianAPI(store, FakeClock(now=week_start + 9 * DAY))
    week = datetime.fromtimestamp(week_start + DAY, ZoneInfo(ZONE)).date()
    monday = week - timedelta(days=week.weekday())
    iso = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    print(f"weekly summary of {iso}, five children:")
    ours = measure("api: GuardianAPI.summary (5 children)", lambda: api.summary(week=iso), runs)
    base = measure(
        "baseline: GuardianAPI.report (5 children, same week)",
        lambda: api.report(monday, monday + timedelta(days=6)),
        runs,
    )
    print(
        f"  target <= {SUMMARY_TARGET_MS:.0f} ms: {verdict(ours, SUMMARY_TARGET_MS)}; summary/report {ours / base:.2f}x"
    )

    from guardian.summary_export import SummaryReport, as_html
    from guardian.summary_pdf import ensure_gui, write_pdf

    ensure_gui()
    folder = path.parent
    print("export of that week, five children:")

    def report() -> SummaryReport:
        found = api.summary(week=iso)
        return SummaryReport(found[0].first, found[0].last, found, api.zone(), "vi")

    pdf = measure(
        "pdf: summary + write_pdf (5 pages with charts)",
        lambda: write_pdf(report(), folder / "w.pdf"),
        max(3, runs // 5),
    )
    html = measure(
        "baseline: summary + HTML export (no Qt)",
        lambda: (folder / "w.html").write_text(as_html(report())),
        max(3, runs // 5),
    )
    print(f"  target <= {PDF_TARGET_MS:.0f} ms: {verdict(pdf, PDF_TARGET_MS)}; pdf/html {pdf / html:.1f}x")
    store.close()


def retention_speed(path: Path, runs: int) -> None:
    work = path.with_name("work.db")
    now_daily = START + DAYS * DAY  # one day of the 366 has just expired at retention_days = 365

    def fresh(retention: int) -> Callable[[], None]:
        def setup() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{work}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(path, work)
            with Store(work) as store:
                GuardianAPI(store, FakeClock(now=now_daily)).save_rules(rules(retention), "benchmark")

        return setup

    def ours() -> object:
        with Store(work) as store:
            return GuardianAPI(store, FakeClock(now=now_daily)).apply_retention(force=True)

    def baseline(retention: int) -> Callable[[], object]:
        def run() -> object:
            with Store(work) as store:
                return store.purge_before(now_daily - retention * DAY)

        return run

    passes = (
        ("daily pass (1 day expired, retention 365 days)", 365),
        ("catch-up pass (retention cut to 30 days)", 30),
    )
    for title, days in passes:
        fresh(days)()
        removed = ours()
        gone = sum(removed.values()) if isinstance(removed, dict) else 0
        print(f"retention, {title}: {gone} rows go")
        a = measure(
            "batched: GuardianAPI.apply_retention (2 000 rows a batch)", ours, runs, setup=fresh(days)
        )
        b = measure("baseline: Store.purge_before (one transaction)", baseline(days), runs, setup=fresh(days))
        print(
            f"  target <= {RETENTION_TARGET_MS:.0f} ms: {verdict(a, RETENTION_TARGET_MS)};"
            f" batched/one-shot {a / b:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guardian-summary-bench-") as folder:
        path = Path(folder) / "year.db"
        began = time.perf_counter()
        count = build(path, args.seed)
        print(
            f"year database: {count} intervals for {len(KIDS)} children over {DAYS} days, built in {time.perf_counter() - began:.1f} s"
        )
        summary_speed(path, args.runs)
        retention_speed(path, max(3, args.runs // 5))


if __name__ == "__main__":
    main()
