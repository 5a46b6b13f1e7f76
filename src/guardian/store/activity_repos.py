"""Repositories for what happens: usage intervals, events, requests for time, grants."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from guardian.core.model import Grant, Interval
from guardian.core.rows import RowKey, upsert_rows
from guardian.store.base import Repo
from guardian.store.rows import REQUEST_STATUSES, EventRow, NewEvent, RequestRow, RequestStatus

MAX_ROW_SPAN = 3600
"""Longest usage row in seconds: a longer interval is stored as consecutive rows starting at ``start``,
``start + MAX_ROW_SPAN``, … so an overlap query scans at most this far back (migration 4 split the rows
written before, when one long interval widened every later query through a stored maximum)."""

UsageRow = tuple[int, str, float, float]
"""``(child_id, app, start, end)``; times are truncated to whole seconds when stored."""


class UsageRepo(Repo):
    """Usage intervals keyed ``(child_id, start, app)``; ``app`` ``@screen`` is screen time."""

    def write(self, rows: Iterable[UsageRow]) -> None:
        """Insert or extend intervals in one transaction; same key keeps the later ``end``.

        Intervals longer than ``MAX_ROW_SPAN`` are written as consecutive pieces; writing the same
        interval again with a later end extends its last piece and adds the ones after it.
        """
        merged: dict[RowKey, int] = {}
        upsert_rows(merged, (piece for row in rows for piece in _pieces(row)))
        batch = [(child, app, start, end) for (child, app, start), end in merged.items()]
        if not batch:
            return
        with self._write() as db:
            db.executemany(
                "INSERT INTO usage (child_id, app, start, end) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(child_id, start, app) DO UPDATE SET end = max(end, excluded.end)",
                batch,
            )

    def between(self, child_id: int, start: float, end: float) -> list[Interval]:
        """Intervals overlapping ``[start, end)``, ordered by start, not clipped."""
        return [Interval(lo, hi, app) for lo, hi, app in self.rows_between(child_id, start, end)]

    def rows_between(self, child_id: int, start: float, end: float) -> list[tuple[int, int, str]]:
        """``(start, end, app)`` of the intervals overlapping ``[start, end)``, ordered by start.

        The scan is a range of the primary key: ``start`` from ``start - MAX_ROW_SPAN``. Plain tuples,
        for reports over many rows.
        """
        with self._read() as db:
            cursor = db.cursor()
            cursor.row_factory = None  # plain tuples: a year of a family is ~300,000 rows
            rows: list[tuple[int, int, str]] = cursor.execute(
                "SELECT start, end, app FROM usage"
                " WHERE child_id = ? AND start >= ? AND start < ? AND end > ? ORDER BY start",
                (child_id, int(start) - MAX_ROW_SPAN, end, start),
            ).fetchall()
        return rows

    def last_end(self, child_id: int) -> int | None:
        """The latest ``end`` of any interval of ``child_id``, or ``None`` with no usage."""
        with self._read() as db:
            row = db.execute(
                "SELECT max(end) FROM usage WHERE child_id = ?1 AND start >="
                " (SELECT max(start) FROM usage WHERE child_id = ?1) - ?2",
                (child_id, MAX_ROW_SPAN),
            ).fetchone()
        return None if row[0] is None else int(row[0])


def _pieces(row: UsageRow) -> Iterator[tuple[int, str, int, int]]:
    child, app, start, end = row[0], row[1], int(row[2]), int(row[3])
    while end - start > MAX_ROW_SPAN:
        yield child, app, start, start + MAX_ROW_SPAN
        start += MAX_ROW_SPAN
    yield child, app, start, end


class EventsRepo(Repo):
    """Things worth showing a parent: warnings, closes, clock changes, missing tray…"""

    def add(
        self,
        kind: str,
        *,
        ts: int,
        child_id: int | None = None,
        app: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO events (child_id, ts, kind, app, data) VALUES (?, ?, ?, ?, ?)",
                _event_params(NewEvent(kind, ts, child_id, app, data)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def add_many(self, events: Iterable[NewEvent]) -> None:
        with self._write() as db:
            db.executemany(
                "INSERT INTO events (child_id, ts, kind, app, data) VALUES (?, ?, ?, ?, ?)",
                [_event_params(event) for event in events],
            )

    def between(
        self,
        child_id: int | None,
        start: float,
        end: float,
        kinds: Sequence[str] | None = None,
    ) -> list[EventRow]:
        """Events with ``start <= ts < end``, oldest first; ``child_id`` None means every event."""
        sql = "SELECT id, child_id, ts, kind, app, data FROM events WHERE ts >= ? AND ts < ?"
        params: list[object] = [int(start), end]
        if child_id is not None:
            sql += " AND child_id = ?"
            params.append(child_id)
        if kinds is not None:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
        with self._read() as db:
            rows = db.execute(sql + " ORDER BY ts, id", params).fetchall()
        return [_event_row(row) for row in rows]

    def kinds_between(self, start: float, end: float) -> list[tuple[int | None, int, str]]:
        """``(child_id, ts, kind)`` of every event with ``start <= ts < end``, oldest first (for reports:
        no data decoded)."""
        with self._read() as db:
            cursor = db.cursor()
            cursor.row_factory = None
            rows: list[tuple[int | None, int, str]] = cursor.execute(
                "SELECT child_id, ts, kind FROM events WHERE ts >= ? AND ts < ? ORDER BY ts, id",
                (int(start), end),
            ).fetchall()
        return rows


def _event_params(event: NewEvent) -> tuple[object, ...]:
    data = None if event.data is None else json.dumps(event.data, separators=(",", ":"))
    return (event.child_id, int(event.ts), event.kind, event.app, data)


def _event_row(row: sqlite3.Row) -> EventRow:
    return EventRow(
        id=int(row[0]),
        child_id=None if row[1] is None else int(row[1]),
        ts=int(row[2]),
        kind=str(row[3]),
        app=row[4],
        data=None if row[5] is None else json.loads(row[5]),
    )


_REQUEST_COLUMNS = (
    "id, child_id, ts, seconds, app, reason, status, answered_at, answered_seconds, answered_by"
)


class RequestsRepo(Repo):
    """A child's requests for more time and the answers."""

    def add(self, child_id: int, seconds: int, *, ts: int, app: str | None = None, reason: str = "") -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO requests (child_id, ts, seconds, app, reason) VALUES (?, ?, ?, ?, ?)",
                (child_id, int(ts), seconds, app, reason),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def get(self, request_id: int) -> RequestRow | None:
        with self._read() as db:
            row = db.execute(
                f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE id = ?", (request_id,)
            ).fetchone()
        return None if row is None else _request_row(row)

    def pending(self, child_id: int | None = None) -> list[RequestRow]:
        """Unanswered requests, oldest first."""
        sql = f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE status = 'pending'"
        params: tuple[object, ...] = ()
        if child_id is not None:
            sql += " AND child_id = ?"
            params = (child_id,)
        with self._read() as db:
            rows = db.execute(sql + " ORDER BY ts, id", params).fetchall()
        return [_request_row(row) for row in rows]

    def answer(
        self, request_id: int, status: RequestStatus, seconds: int, by: str, ts: int
    ) -> RequestRow | None:
        """Answer a pending request; ``None`` when it does not exist or was already answered."""
        if status not in REQUEST_STATUSES or status == "pending":
            raise ValueError(f"a request is answered 'approved' or 'denied', not {status!r}")
        with self._write() as db:
            row = db.execute(
                "UPDATE requests SET status = ?, answered_seconds = ?, answered_by = ?,"
                f" answered_at = ? WHERE id = ? AND status = 'pending' RETURNING {_REQUEST_COLUMNS}",
                (status, seconds, by, int(ts), request_id),
            ).fetchone()
        return None if row is None else _request_row(row)

    def between(self, child_id: int | None, start: float, end: float) -> list[RequestRow]:
        """Requests made in ``[start, end)``, oldest first; ``child_id`` None means all."""
        sql = f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE ts >= ? AND ts < ?"
        params: list[object] = [int(start), end]
        if child_id is not None:
            sql += " AND child_id = ?"
            params.append(child_id)
        with self._read() as db:
            rows = db.execute(sql + " ORDER BY ts, id", params).fetchall()
        return [_request_row(row) for row in rows]


def _request_row(row: sqlite3.Row) -> RequestRow:
    def optional_int(value: object) -> int | None:
        return None if value is None else int(cast(int, value))

    return RequestRow(
        id=int(row[0]),
        child_id=int(row[1]),
        ts=int(row[2]),
        seconds=int(row[3]),
        app=row[4],
        reason=str(row[5]),
        status=cast(RequestStatus, row[6]),
        answered_at=optional_int(row[7]),
        answered_seconds=optional_int(row[8]),
        answered_by=row[9],
    )


class GrantsRepo(Repo):
    """Extra time given to a child for one logical day."""

    def add(self, child_id: int, grant: Grant, ts: int) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO grants (child_id, ts, day, seconds, app, reason, by_role)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (child_id, int(ts), grant.day, grant.seconds, grant.app, grant.reason, grant.by),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def for_day(self, child_id: int, day: str) -> list[Grant]:
        return self.between_days(child_id, day, day)

    def given(self, grant_id: int) -> tuple[int, int, Grant] | None:
        """``(child_id, ts, grant)`` of grant ``grant_id``, or None."""
        with self._read() as db:
            r = db.execute(
                "SELECT child_id, ts, day, seconds, app, reason, by_role FROM grants WHERE id = ?",
                (grant_id,),
            ).fetchone()
        return (
            None
            if r is None
            else (int(r[0]), int(r[1]), Grant(str(r[2]), int(r[3]), r[4], str(r[5]), str(r[6])))
        )

    def delete(self, grant_id: int) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM grants WHERE id = ?", (grant_id,)).rowcount > 0

    def between_days(self, child_id: int, first: str, last: str) -> list[Grant]:
        """Grants for days ``first`` … ``last`` (ISO dates, both included), in order given."""
        with self._read() as db:
            rows = db.execute(
                "SELECT day, seconds, app, reason, by_role FROM grants"
                " WHERE child_id = ? AND day >= ? AND day <= ? ORDER BY day, ts, id",
                (child_id, first, last),
            ).fetchall()
        return [Grant(str(r[0]), int(r[1]), r[2], str(r[3]), str(r[4])) for r in rows]


class PausesRepo(Repo):
    """Days on which a parent paused a child ("pause until tomorrow")."""

    def set(self, child_id: int, day: str, by: str, ts: int) -> bool:
        """Pause ``child_id`` for ``day``; False when it already was."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO pauses (child_id, day, ts, by_role) VALUES (?, ?, ?, ?)",
                (child_id, day, int(ts), by),
            )
        return cursor.rowcount == 1

    def clear(self, child_id: int, day: str) -> bool:
        """Lift the pause; False when there was none."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM pauses WHERE child_id = ? AND day = ?", (child_id, day))
        return cursor.rowcount == 1

    def on_day(self, child_id: int, day: str) -> bool:
        with self._read() as db:
            row = db.execute(
                "SELECT 1 FROM pauses WHERE child_id = ? AND day = ?", (child_id, day)
            ).fetchone()
        return row is not None
