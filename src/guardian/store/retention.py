"""Deleting old records and one child's records in small batches, and reading one child's records.

Each batch is its own short transaction, so the agent's tick (which writes every few seconds) never waits
long for the write lock, and a process killed between batches leaves a consistent database: every
committed batch removed only rows that had to go, and the next pass finishes the job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from guardian.store.base import Repo

BATCH = 2000
"""Rows deleted per transaction."""

CHILD_TABLES: tuple[str, ...] = ("usage", "events", "requests", "grants", "pauses", "web_blocks")
"""Tables holding a child's records (``children`` and ``accounts`` hold the rules' view of the child)."""

_KEYS = {
    "usage": "child_id, start, app",
    "pauses": "child_id, day",
    "web_blocks": "child_id, day, category",
    "events": "rowid",
    "requests": "rowid",
    "grants": "rowid",
}
"""How a row is named for a batched delete (``usage`` and ``pauses`` have no rowid)."""

_OLD = {
    "usage": "end < :before",
    "events": "ts < :before",
    "requests": "ts < :before",
    "grants": "ts < :before",
    "pauses": "ts < :before",
    "web_blocks": "ts < :before",
}
"""What "older than the cut-off" means per table: usage that ended, everything else made, before it."""

_PER_CHILD = {
    "usage": "child_id = :child AND start < :before AND end < :before",
    "requests": "child_id = :child AND ts < :before",
}
"""The same conditions for the tables deleted child by child (``start <= end``, so the range is exact)."""

Progress = Callable[[str, int], None]
"""Called after each committed batch with the table and the rows it removed."""


class RetentionRepo(Repo):
    def purge_before(
        self, before: int, *, batch: int = BATCH, progress: Progress | None = None
    ) -> dict[str, int]:
        """Delete every record older than ``before`` (Unix seconds), ``batch`` rows per transaction.

        Usage and requests go child by child, so each batch is a range of their ``(child_id, …)`` keys
        instead of a scan of the whole table.
        """
        with self._read() as db:
            children = [int(r[0]) for r in db.execute("SELECT id FROM children ORDER BY id")]
        removed = {}
        for table in CHILD_TABLES:
            params: dict[str, Any] = {"before": int(before)}
            if table in _PER_CHILD:
                removed[table] = sum(
                    self._delete(table, _PER_CHILD[table], {**params, "child": c}, batch, progress)
                    for c in children
                )
            else:
                removed[table] = self._delete(table, _OLD[table], params, batch, progress)
        with self._write() as db:  # kept days whose rows are gone (derived figures: not counted)
            db.execute("DELETE FROM usage_days WHERE day_end <= ?", (int(before),))
        return removed

    def erase_child(
        self, child_id: int, *, batch: int = BATCH, progress: Progress | None = None
    ) -> dict[str, int]:
        """Delete every record of ``child_id``; an inactive child's row and accounts go too."""
        removed = {
            table: self._delete(table, "child_id = :child", {"child": child_id}, batch, progress)
            for table in CHILD_TABLES
        }
        with self._write() as db:
            db.execute("DELETE FROM usage_days WHERE child_id = ?", (child_id,))  # derived figures
            cursor = db.execute("DELETE FROM children WHERE id = ? AND active = 0", (child_id,))
        removed["children"] = cursor.rowcount
        return removed

    def _delete(
        self, table: str, where: str, params: dict[str, Any], batch: int, progress: Progress | None
    ) -> int:
        key = _KEYS[table]
        sql = f"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} WHERE {where} LIMIT :batch)"
        total = 0
        while True:
            with self._write() as db:
                removed = db.execute(sql, {**params, "batch": batch}).rowcount
            total += removed
            if removed and progress is not None:
                progress(table, removed)
            if removed < batch:
                return total

    def child_records(self, child_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every record of ``child_id``, table by table, as plain data (for a data-rights export)."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self._read() as db:
            for table in CHILD_TABLES:
                cursor = db.execute(f"SELECT * FROM {table} WHERE child_id = ? ORDER BY 1, 2, 3", (child_id,))
                names = [c[0] for c in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
                for row in rows:
                    if table == "events" and isinstance(row.get("data"), str):
                        row["data"] = json.loads(row["data"])
                    row.pop("child_id", None)
                out[table] = rows
        return out
