"""The sample stage: what the agent sees this tick, gathered in one ``Observation``.

New and exec-ed processes (from the sampler), the OS sessions (re-read every ``SESSIONS_EVERY``
seconds), the app in front (from the platform where it can see, and from trays), and idle readings.
Nothing is decided here: the credit stage weighs what a tray says against the agent's own evidence.

Trays report over IPC (another thread) into ``Trays``, which accepts a report only for a session the
OS shows the reporting account has; a refused report is an event.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from guardian.agent.events import EventSink
from guardian.agent.sampler import Proc, Sampler
from guardian.core.catalog import Catalog
from guardian.core.clock import Clock
from guardian.core.messages import SessionReport
from guardian.platform.base import Platform, Session

log = logging.getLogger("guardian.agent")

SESSIONS_EVERY = 5.0
"""Seconds between reads of the OS sessions, and how long an idle reading from the OS is reused."""
TRAY_FRESH = 30.0
"""Seconds a tray's report counts. A tray reports every 20 s and at once when what is in front or the lock
changes; its idle time may lag that much, which only makes it say less idle (the OS reading bounds it)."""
REJECT_LOG_EVERY = 600.0
"""A refused tray report is recorded once per account and reason in this many seconds."""


@dataclass
class Foreground:
    sources: int = 0
    seen: bool = False
    """The platform itself (not a tray) told what is in front."""
    by_child: dict[str, str] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)


@dataclass
class Observation:
    now: float
    mono: float
    credit: float
    sessions: list[Session]
    foreground: Foreground
    apps: dict[str, list[Proc]]
    """Each child's running app processes (not being closed)."""
    idle_os: dict[str, float | None] = field(default_factory=dict)
    """Session id → seconds without input as the OS tells (None: it cannot tell)."""
    idle_tray: dict[str, float | None] = field(default_factory=dict)
    """Session id → seconds without input as a fresh, accepted tray report says."""
    locked_tray: dict[str, bool | None] = field(default_factory=dict)
    """Session id → whether a fresh, accepted tray report says its screen is locked (None: it cannot tell)."""
    launched: list[Proc] = field(default_factory=list)
    """A child's processes that started or exec-ed since the last look."""


class Trays:
    """Accepted tray reports by account and session (written by the IPC thread, read by the loop)."""

    def __init__(self, clock: Clock, events: EventSink, *, interval: float) -> None:
        self.clock = clock
        self.events = events
        self.fresh_for = TRAY_FRESH + interval
        self.sessions: list[Session] = []
        self.sessions_read = False
        self._reports: dict[str, dict[str, SessionReport]] = {}
        """Account → session id → the last accepted report, ``received`` set to its arrival."""
        self._rejected: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def accept(self, user: str, report: SessionReport, now: float, child_id: int | None) -> bool:
        """Keep ``report`` when ``user`` has that session; otherwise record the refusal and say False."""
        sessions = self.sessions
        if not any(s.id == report.session_id and s.user == user for s in sessions):
            if self.sessions_read:  # before the first read of the OS sessions nothing is known yet
                self._reject(user, "unknown_session", now, child_id)
            return False
        entry = replace(report, received=self.clock.monotonic())
        with self._lock:
            self._reports.setdefault(user, {})[report.session_id] = entry
        return True

    def _reject(self, user: str, reason: str, now: float, child_id: int | None) -> None:
        mono = self.clock.monotonic()
        with self._lock:
            last = self._rejected.get((user, reason))
            if last is not None and mono - last < REJECT_LOG_EVERY:
                return
            self._rejected[(user, reason)] = mono
        self.events.event(
            "tray_report_rejected", now, child_id=child_id, data={"account": user, "reason": reason}
        )
        log.warning("refused a session report from account %s: %s", user, reason)

    def fresh(self) -> list[tuple[str, SessionReport]]:
        """``(account, report)`` for every report received recently enough to count."""
        mono = self.clock.monotonic()
        with self._lock:
            reports = [(user, r) for user, by_user in self._reports.items() for r in by_user.values()]
        return [(user, r) for user, r in reports if mono - r.received <= self.fresh_for]

    def for_session(self, session: Session) -> SessionReport | None:
        with self._lock:
            report = self._reports.get(session.user, {}).get(session.id)
        if report is None or self.clock.monotonic() - report.received > self.fresh_for:
            return None
        return report


class Observer:
    def __init__(self, sampler: Sampler, platform: Platform, clock: Clock, trays: Trays) -> None:
        self.sampler = sampler
        self.platform = platform
        self.clock = clock
        self.trays = trays
        self.catalog = Catalog(())
        self.accounts: set[str] = set()
        """The OS accounts mapped to a child."""
        self.sessions: list[Session] = []
        self.sessions_at = -1e18
        self._os_idle: dict[str, tuple[float, float | None]] = {}
        self.scanner: Callable[[float, float], list[Proc]] | None = None
        """Replaces the sampler's polling scan when the kernel reports processes (agent/exec_watch.py)."""

    def scan(self, now: float, mono: float) -> list[Proc]:
        """Between ticks: a child's processes started since the last scan."""
        if self.scanner is not None:  # process events (agent/exec_watch.py)
            return self.scanner(now, mono)
        return [p for p in self.sampler.scan(now, mono=mono).new if p.child is not None]

    def observe(self, now: float, mono: float, credit: float, children: Iterable[str]) -> Observation:
        launched = self.scan(now, mono)
        launched += [p for p in self.sampler.refresh(now).new if p.child is not None]
        if mono - self.sessions_at >= SESSIONS_EVERY:
            self.sessions_at = mono
            try:
                self.sessions = self.platform.sessions()
            except OSError as exc:  # keep the last known sessions; the rest of the tick goes on
                log.warning("cannot read the OS sessions: %s", exc)
            self.trays.sessions = list(self.sessions)
            self.trays.sessions_read = True
        foreground = self._foreground(now, mono, launched)
        obs = Observation(now, mono, credit, list(self.sessions), foreground, {}, launched=launched)
        for name in children:
            obs.apps[name] = [p for p in self.sampler.child_apps(name) if p.closing_since is None]
        for session in self.sessions:
            if session.user not in self.accounts:
                continue  # only a child's sessions are weighed (asking the OS may cost a subprocess)
            obs.idle_os[session.id] = self._os_idle_of(session, mono)
            report = self.trays.for_session(session)
            obs.idle_tray[session.id] = report.idle_s if report is not None else None
            obs.locked_tray[session.id] = report.locked if report is not None else None
        return obs

    def _os_idle_of(self, session: Session, mono: float) -> float | None:
        read_at, idle = self._os_idle.get(session.id, (-1e18, None))
        if mono - read_at >= SESSIONS_EVERY:  # asking the OS may mean a subprocess (loginctl)
            read_at, idle = mono, self.platform.idle_seconds(session)
            self._os_idle[session.id] = (read_at, idle)
        if idle is None:
            return None
        return idle + (mono - read_at) if idle else 0.0  # still idle unless the next reading says otherwise

    def _foreground(self, now: float, mono: float, launched: list[Proc]) -> Foreground:
        """Which child's app is in front, from trays or from the platform where it can see."""
        found = Foreground()
        sessions = list(self.sessions)
        display = os.environ.get("DISPLAY")
        if display and not any(s.display == display for s in sessions):
            sessions.append(Session(id=f"display{display}", user="", kind="x11", display=display))
        fresh = self.trays.fresh()
        pids: list[tuple[int, str | None, str | None]] = [
            (r.foreground_pid, r.title, user) for user, r in fresh if r.foreground_pid
        ]
        if fresh:
            found.sources += 1
        for session in sessions:
            fg = self.platform.foreground(session) if session.display else None
            if fg is not None:
                found.sources += 1
                found.seen = True
                pids.append((fg.pid, fg.title, None))
        for pid, title, reporter in pids:
            proc = self.sampler.table.get(pid)
            if proc is None:
                launched += self.scan(now, mono)
                proc = self.sampler.table.get(pid)
            if proc is None or proc.child is None:
                continue
            if reporter is not None and proc.user != reporter:
                continue  # a tray speaks only for its own account's processes
            found.present.add(proc.child)
            app = proc.app
            if title and (app is None or self.catalog.category_of(app) == "browsers"):
                app = self.catalog.match_title(title) or app
            if app is not None and proc.closing_since is None:
                found.by_child[proc.child] = app
        return found
