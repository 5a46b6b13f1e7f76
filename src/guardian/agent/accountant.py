"""The credit stage's books: trusted time and usage intervals.

Every tick merges samples into intervals (``core.accounting``). Rows go to an in-memory ledger at once
(so the evaluate stage sees them) and to ``pending_rows``, which the record stage (``agent.record``)
takes and writes with the events every ``flush_every`` seconds and at shutdown, so a hard kill loses at
most that much; a failed write puts them back. Gaps and clock changes are reported to an event sink.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from guardian.agent.events import EventSink
from guardian.core import accounting
from guardian.core.accounting import ClockChange, Gap, Sample, TrustedTime
from guardian.core.model import Interval
from guardian.core.rows import Row, RowKey, keep_later_end, upsert_rows
from guardian.store import Store

log = logging.getLogger("guardian.agent")

TRUSTED_KEY = "trusted_time"
CLEAN_KEY = "agent_clean_stop"
HEALTH_KEY = "agent_health"
BOOT_ID = "/proc/sys/kernel/random/boot_id"


def boot_id() -> str | None:
    """An id of this boot of the machine (Linux), or None where there is none."""
    try:
        with open(BOOT_ID, encoding="ascii") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


@dataclass
class Ledger:
    """Usage rows per child keyed by ``(app, start)`` → end: what the store holds plus what is pending."""

    rows: dict[int, dict[tuple[str, int], int]] = field(default_factory=dict)

    def merge(self, child_id: int, app: str, start: int, end: int) -> None:
        keep_later_end(self.rows.setdefault(child_id, {}), (app, start), end)

    def intervals(self, child_id: int, since: float) -> list[Interval]:
        return [
            Interval(float(s), float(e), app)
            for (app, s), e in self.rows.get(child_id, {}).items()
            if e > since
        ]

    def prune(self, before: float) -> None:
        for mine in self.rows.values():
            for key in [k for k, e in mine.items() if e < before]:
                del mine[key]


class Accountant:
    def __init__(self, store: Store, events: EventSink, *, interval: float, flush_every: float = 5.0) -> None:
        self.store = store
        self.events = events
        self.max_step = max(accounting.DEFAULT_MAX_STEP, 2.5 * interval)
        self.pulse = self.max_step
        self.flush_every = flush_every
        self.acc = accounting.Accumulator()
        self.ledger = Ledger()
        self.pending_rows: dict[RowKey, int] = {}
        self.state: TrustedTime | None = None
        self.boot = boot_id()
        """This boot of the machine: trusted time saved in the same boot resumes by the monotonic clock."""

    # -- time ----------------------------------------------------------------------------------

    def resume(self, wall: float, mono: float) -> float:
        """Start: continue trusted time from the store; record downtime as a gap."""
        persisted = None
        raw = self.store.meta.get_json(TRUSTED_KEY)
        if isinstance(raw, dict):
            try:
                persisted = TrustedTime.from_json(raw)
            except ValueError:
                log.warning("stored trusted time is unreadable; starting from the system clock")
        clean = self.store.meta.get(CLEAN_KEY) != "0"
        same_boot = isinstance(raw, dict) and self.boot is not None and raw.get("boot") == self.boot
        result = accounting.resume(persisted, wall, mono, same_boot=same_boot)
        self.state = result.state
        gap = result.gap
        if persisted is not None and (not clean or (gap is not None and gap.seconds >= 1)):
            # an unclean stop is always recorded, however short: it is tamper evidence
            seconds = gap.seconds if gap is not None else 0.0
            since = gap.start if gap is not None else persisted.wall
            self.events.event(
                "agent_gap",
                result.trusted_now,
                data={"seconds": int(seconds), "from": int(since), "clean": clean},
            )
        if result.clock_change is not None:
            self._clock_event(result.clock_change, result.trusted_now)
        self.store.meta.set(CLEAN_KEY, "0")
        return result.trusted_now

    def step(self, wall: float, mono: float) -> tuple[float, float]:
        """Advance trusted time; returns ``(trusted_now, credit)``."""
        assert self.state is not None
        result = accounting.step(self.state, wall, mono, max_step=self.max_step)
        self.state = result.state
        if result.gap is not None:
            self._gap_event(result.gap)
        if result.clock_change is not None:
            self._clock_event(result.clock_change, result.trusted_now)
        return result.trusted_now, result.credit

    def _gap_event(self, gap: Gap) -> None:
        self.events.event(
            "agent_gap",
            gap.end,
            data={
                "seconds": int(gap.seconds),
                "from": int(gap.start),
                "clean": True,
                "reason": "stalled_or_suspended",
            },
        )

    def _clock_event(self, change: ClockChange, now: float) -> None:
        log.warning("the system clock moved by %+.0f s; trusted time is unchanged", change.delta)
        self.events.event("clock_changed", now, data={"delta": int(change.delta)})

    # -- usage ---------------------------------------------------------------------------------

    def credit(self, child_id: int, app: str, now: float, credit: float) -> None:
        self.acc.add(child_id, Sample(now, app, credit), pulse=self.pulse)

    def only(self, child_id: int, apps: list[str]) -> None:
        """What ``child_id`` uses this tick is exactly ``apps``: close every other open interval."""
        self.acc.end_others(child_id, apps)

    def collect(self, now: float) -> None:
        """Move merged rows into the ledger (for the policy) and the pending writes."""
        rows = self.acc.flush(now)
        for child_id, app, start, end in rows:
            self.ledger.merge(child_id, app, start, end)
        upsert_rows(self.pending_rows, rows)

    def load_day(self, child_ids: list[int], since: float, until: float) -> None:
        """Fill the ledger with what the store holds for the current day."""
        self.ledger.prune(since - 86_400)
        for child_id in child_ids:
            for iv in self.store.usage.between(child_id, int(since), int(until) + 1):
                self.ledger.merge(child_id, iv.app, int(iv.start), int(iv.end))

    def intervals(self, child_id: int, since: float) -> list[Interval]:
        return self.ledger.intervals(child_id, since)

    # -- handing rows to the record stage ----------------------------------------------------------

    def take_rows(self, now: float, *, final: bool = False) -> list[Row]:
        """Every pending row, removed (``final`` closes every open interval first)."""
        if final:
            upsert_rows(self.pending_rows, self.acc.flush(now, close_all=True))
        else:
            self.collect(now)
        rows = [(c, a, s, e) for (c, a, s), e in self.pending_rows.items()]
        self.pending_rows.clear()
        return rows

    def put_back(self, rows: list[Row]) -> None:
        """Rows a failed write could not save: pending again (merged with newer ones)."""
        upsert_rows(self.pending_rows, rows)

    def trusted_json(self) -> dict[str, object] | None:
        return None if self.state is None else {**self.state.to_json(), "boot": self.boot}
