"""Narrow reads for weekly summaries (``guardian.summaries``)."""

from __future__ import annotations

from guardian.core.model import SCREEN
from guardian.store.activity_repos import MAX_ROW_SPAN
from guardian.store.base import Repo


class SummaryReads(Repo):
    def screen_spans(self, child_id: int, start: float, end: float) -> list[tuple[int, int]]:
        """``(start, end)`` of the screen-time intervals overlapping ``[start, end)``, by start.

        The week before a summary needs only its total screen time, not every app's interval.
        """
        with self._read() as db:
            rows = db.execute(
                "SELECT start, end FROM usage WHERE child_id = ? AND start >= ? AND start < ?"
                " AND end > ? AND app = ? ORDER BY start",
                (child_id, int(start) - MAX_ROW_SPAN, end, start, SCREEN),
            ).fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]

    def used_before(self, child_id: int, ts: float) -> bool:
        """Whether any usage of ``child_id`` started before ``ts`` (is there a week before to compare?)."""
        with self._read() as db:
            row = db.execute(
                "SELECT 1 FROM usage WHERE child_id = ? AND start < ? LIMIT 1", (child_id, int(ts))
            ).fetchone()
        return row is not None
