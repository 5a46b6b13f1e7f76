"""Usage rows ``(child_id, app, start, end)`` and the one rule for merging them: the later end wins.

An interval keyed by ``(child_id, app, start)`` only ever grows while it is open, so whatever holds rows
(the agent's ledger and pending writes, the simulator, the store's batch) merges a row by keeping the
later ``end``. The store applies the same rule to rows already on disk (``ON CONFLICT … max(end)``).
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import TypeVar

Row = tuple[int, str, int, int]
"""``(child_id, app, start, end)`` in whole seconds."""
RowKey = tuple[int, str, int]
K = TypeVar("K")


def keep_later_end(stored: MutableMapping[K, int], key: K, end: int) -> None:
    """Insert ``key`` → ``end``, or extend it when ``end`` is later than what is stored."""
    old = stored.get(key)
    if old is None or end > old:
        stored[key] = end


def upsert_rows(stored: MutableMapping[RowKey, int], rows: Iterable[Row]) -> None:
    """Merge ``rows`` into ``stored`` (keyed ``(child_id, app, start)``) with ``keep_later_end``."""
    for child, app, start, end in rows:
        keep_later_end(stored, (child, app, start), end)
