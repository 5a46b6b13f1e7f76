"""A report's usage figures per day: kept days from the per-day rollup, the other days from the rows.

A finished day (its end at or before ``now``) that is computed from the rows is kept, in the same write
transaction that read its rows, so no late row can slip in between; from then on a report reads a few
figures for it instead of its few hundred rows. A kept day is used only when its bounds are the report's
day (the time zone or the day's start may have changed) and every app on it still belongs to the category
it was counted in (the catalog may have changed). The store's triggers drop a kept day as soon as a row
overlapping it changes, so the figures are always those the rows give.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from guardian.core.model import SCREEN
from guardian.core.report import DayUsage, ReportDay, usage_by_day
from guardian.store import Store, StoreError
from guardian.store.rollup_repos import USAGE_DAY_MAX_S, KeptDay

log = logging.getLogger(__name__)

CategoryOf = Callable[[str], str | None]

CHUNK_DAYS = 31
"""Days computed (and kept) per write transaction: the agent's writes never wait long for a first report."""


def child_usage(
    store: Store, child_id: int, days: Sequence[ReportDay], category_of: CategoryOf, now: float
) -> list[DayUsage]:
    """Per day of ``days`` (consecutive logical days), the child's usage figures; keeps the finished
    days it had to compute (unless the store is read-only or busy: then it only computes)."""
    if not days:
        return []
    kept = store.usage_days.read(child_id, int(days[0].start), int(days[-1].end))
    out: list[DayUsage | None] = [_usable(kept.get(int(d.start)), d, category_of) for d in days]
    i = 0
    while i < len(days):
        if out[i] is not None:
            i += 1
            continue
        j = i
        while j < len(days) and j - i < CHUNK_DAYS and out[j] is None:
            j += 1
        out[i:j] = _compute(store, child_id, days[i:j], category_of, now)
        i = j
    return [figures for figures in out if figures is not None]


def _usable(day: KeptDay | None, wanted: ReportDay, category_of: CategoryOf) -> DayUsage | None:
    if day is None or day.start != wanted.start or day.end != wanted.end:
        return None
    apps = {}
    for app, (seconds, category) in day.apps.items():
        if category != _category(app, category_of):
            return None
        apps[app] = seconds
    return DayUsage(apps, dict(day.categories))


def _category(app: str, category_of: CategoryOf) -> str | None:
    return None if app == SCREEN else (category_of(app) or "other")


def _keepable(day: ReportDay, now: float) -> bool:
    whole = float(day.start).is_integer() and float(day.end).is_integer()
    return whole and day.end <= now and 0 < day.end - day.start <= USAGE_DAY_MAX_S


def _compute(
    store: Store, child_id: int, days: Sequence[ReportDay], category_of: CategoryOf, now: float
) -> list[DayUsage]:
    def figures() -> list[DayUsage]:
        rows = store.usage.rows_between(child_id, days[0].start, days[-1].end)
        return usage_by_day(days, rows, category_of=category_of)

    finished = [n for n, day in enumerate(days) if _keepable(day, now)]
    if not finished or store.readonly:
        return figures()
    try:
        with store.atomic():  # BEGIN IMMEDIATE: the rows read cannot change before the days are kept
            out = figures()
            store.usage_days.keep(child_id, [_kept(days[n], out[n], category_of) for n in finished])
        return out
    except StoreError as exc:  # read-only file, busy: report from the rows without keeping them
        log.info("per-day usage not kept: %s", exc)
        return figures()


def _kept(day: ReportDay, usage: DayUsage, category_of: CategoryOf) -> KeptDay:
    return KeptDay(
        int(day.start),
        int(day.end),
        {app: (seconds, _category(app, category_of)) for app, seconds in usage.apps.items()},
        dict(usage.categories),
    )
