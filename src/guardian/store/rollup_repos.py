"""The per-day rollup of usage (migration 6): kept figures of finished logical days, for reports.

A kept day is a cache of what the ``usage`` rows overlapping it give; the triggers of migration 6 drop it
whenever such a row is written, changed or deleted, so reading it is the same as computing from the rows.
``guardian.usage_rollup`` decides which days to keep and checks that a kept day still fits the report
(its bounds, the category each app was counted in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from guardian.store.base import Repo

USAGE_DAY_MAX_S = 3 * 86_400
"""Longest day kept (a logical day is 23–25 hours; the triggers rely on this bound)."""

_DAY, _APP, _CATEGORY = 0, 1, 2


@dataclass(frozen=True)
class KeptDay:
    """One child's kept day: its bounds, ``apps`` as app → (seconds, category counted in; None for
    screen time) and ``categories`` as category → seconds."""

    start: int
    end: int
    apps: dict[str, tuple[int, str | None]]
    categories: dict[str, int]


class UsageDaysRepo(Repo):
    def read(self, child_id: int, start: int, end: int) -> dict[int, KeptDay]:
        """Kept days of ``child_id`` starting in ``[start, end)``, by their start."""
        out: dict[int, KeptDay] = {}
        with self._read() as db:
            cursor = db.cursor()
            cursor.row_factory = None
            rows = cursor.execute(
                "SELECT day_start, day_end, kind, label, category, seconds FROM usage_days"
                " WHERE child_id = ? AND day_start >= ? AND day_start < ? ORDER BY day_start, kind",
                (child_id, start, end),
            ).fetchall()
        for day_start, day_end, kind, label, category, seconds in rows:  # each day's marker comes first
            if kind == _DAY:
                out[day_start] = KeptDay(day_start, day_end, {}, {})
                continue
            day = out.get(day_start)
            if day is None:
                continue
            if kind == _APP:
                day.apps[label] = (seconds, category)
            else:
                day.categories[label] = seconds
        return out

    def keep(self, child_id: int, days: Iterable[KeptDay]) -> None:
        """Store ``days`` (replacing kept days they overlap). Call it in the transaction that read the
        rows the figures come from, so no row can change in between."""
        with self._write() as db:
            for day in days:
                if not 0 < day.end - day.start <= USAGE_DAY_MAX_S:
                    raise ValueError(
                        f"a kept day lasts 1 s to {USAGE_DAY_MAX_S} s, not {day.end - day.start} s"
                    )
                db.execute(
                    "DELETE FROM usage_days WHERE child_id = ? AND day_start < ? AND day_start > ? - ?"
                    " AND day_end > ?",
                    (child_id, day.end, day.start, USAGE_DAY_MAX_S, day.start),
                )
                rows: list[tuple[int, int, int, int, str, str | None, int]] = [
                    (child_id, day.start, day.end, _DAY, "", None, 0)
                ]
                rows += [(child_id, day.start, day.end, _APP, app, c, s) for app, (s, c) in day.apps.items()]
                rows += [
                    (child_id, day.start, day.end, _CATEGORY, c, None, s) for c, s in day.categories.items()
                ]
                db.executemany(
                    "INSERT INTO usage_days (child_id, day_start, day_end, kind, label, category, seconds)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
