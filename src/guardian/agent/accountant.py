"""The agent's bookkeeping: trusted time, usage intervals, and batched writes to the store.

Every tick merges samples into intervals (``core.accounting``). Rows go to an in-memory ledger at once
(so the policy sees them) and to the store in one transaction every ``flush_every`` seconds and at
shutdown, so a hard kill loses at most that much. A failed write (full disk, locked database) keeps
the rows and retries: recorded usage is never dropped while the agent runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from guardian.core import accounting
from guardian.core.accounting import ClockChange, Gap, Sample, TrustedTime
from guardian.core.model import Interval
from guardian.store import NewEvent, Store, StoreError

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
        mine = self.rows.setdefault(child_id, {})
        key = (app, start)
        mine[key] = max(mine.get(key, end), end)

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
    def __init__(self, store: Store, *, interval: float, flush_every: float = 5.0) -> None:
        self.store = store
        self.max_step = max(accounting.DEFAULT_MAX_STEP, 2.5 * interval)
        self.pulse = self.max_step
        self.flush_every = flush_every
        self.acc = accounting.Accumulator()
        self.ledger = Ledger()
        self.pending_rows: dict[tuple[int, str, int], int] = {}
        self.pending_events: list[NewEvent] = []
        self.state: TrustedTime | None = None
        self.last_flush_mono = 0.0
        self.write_failures = 0
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
            self.event(
                "agent_gap",
                result.trusted_now,
                data={"seconds": int(seconds), "from": int(since), "clean": clean},
            )
        if result.clock_change is not None:
            self._clock_event(result.clock_change, result.trusted_now)
        self.store.meta.set(CLEAN_KEY, "0")
        self.last_flush_mono = mono
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
        self.event(
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
        self.event("clock_changed", now, data={"delta": int(change.delta)})

    # -- usage ---------------------------------------------------------------------------------

    def credit(self, child_id: int, app: str, now: float, credit: float) -> None:
        self.acc.add(child_id, Sample(now, app, credit), pulse=self.pulse)

    def only(self, child_id: int, apps: list[str]) -> None:
        """What ``child_id`` uses this tick is exactly ``apps``: close every other open interval."""
        self.acc.end_others(child_id, apps)

    def collect(self, now: float) -> None:
        """Move merged rows into the ledger (for the policy) and the pending writes."""
        for child_id, app, start, end in self.acc.flush(now):
            self.ledger.merge(child_id, app, start, end)
            key = (child_id, app, start)
            self.pending_rows[key] = max(self.pending_rows.get(key, end), end)

    def load_day(self, child_ids: list[int], since: float, until: float) -> None:
        """Fill the ledger with what the store holds for the current day."""
        self.ledger.prune(since - 86_400)
        for child_id in child_ids:
            for iv in self.store.usage.between(child_id, int(since), int(until) + 1):
                self.ledger.merge(child_id, iv.app, int(iv.start), int(iv.end))

    def intervals(self, child_id: int, since: float) -> list[Interval]:
        return self.ledger.intervals(child_id, since)

    # -- events and writes ---------------------------------------------------------------------

    def event(
        self,
        kind: str,
        ts: float,
        *,
        child_id: int | None = None,
        app: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.pending_events.append(NewEvent(kind, int(ts), child_id, app, data))

    def due(self, mono: float) -> bool:
        return mono - self.last_flush_mono >= self.flush_every

    def flush(
        self, now: float, mono: float, health: dict[str, Any], *, final: bool = False, clean: bool = True
    ) -> bool:
        """Write pending rows, events, trusted time and health in one transaction.

        ``final`` closes every interval; with ``clean`` it also marks the stop as clean (the next start
        then records no tamper evidence for it)."""
        if final:
            for child_id, app, start, end in self.acc.flush(now, close_all=True):
                key = (child_id, app, start)
                self.pending_rows[key] = max(self.pending_rows.get(key, end), end)
        else:
            self.collect(now)
        rows = [(c, a, s, e) for (c, a, s), e in self.pending_rows.items()]
        events = list(self.pending_events)
        try:
            with self.store.atomic():
                self.store.usage.write(rows)
                self.store.events.add_many(events)
                if self.state is not None:
                    self.store.meta.set_json(TRUSTED_KEY, {**self.state.to_json(), "boot": self.boot})
                self.store.meta.set_json(HEALTH_KEY, health)
                if final and clean:
                    self.store.meta.set(CLEAN_KEY, "1")
        except StoreError as exc:
            self.write_failures += 1
            log.error("could not save usage (will retry, nothing is lost while running): %s", exc)
            return False
        log.debug("saved %d usage rows and %d events", len(rows), len(events))
        self.pending_rows.clear()
        del self.pending_events[: len(events)]
        self.last_flush_mono = mono
        return True
