"""Blocked web lookups, counted per child, logical day and category (no names, no addresses)."""

from __future__ import annotations

from collections.abc import Mapping

from guardian.store.base import Repo


class WebBlocksRepo(Repo):
    def add(self, counts: Mapping[tuple[int, str, str], int]) -> None:
        """Add ``{(child_id, day, category): n}`` to the stored counts, in one transaction."""
        if not counts:
            return
        ts = self._timestamp()
        with self._write() as db:
            db.executemany(
                "INSERT INTO web_blocks (child_id, day, category, count, ts) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(child_id, day, category) DO UPDATE SET count = count + excluded.count, ts = excluded.ts",
                [(child, day, category, n, ts) for (child, day, category), n in counts.items() if n > 0],
            )

    def counts(self, child_id: int, first_day: str, last_day: str) -> dict[str, int]:
        """Blocked lookups per category over the days ``first_day``..``last_day`` (ISO dates, inclusive)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT category, sum(count) FROM web_blocks WHERE child_id = ? AND day BETWEEN ? AND ?"
                " GROUP BY category ORDER BY category",
                (child_id, first_day, last_day),
            ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}
