"""The agent's tick loop and the live view it serves over IPC.

Every ``interval`` seconds (a *tick*) the agent steps trusted time, reads sessions and the app in front,
credits usage, evaluates the rules and enforces them. Between ticks it scans for new processes every
``scan_every`` seconds, so a blocked app is closed well before the next tick. The loop waits on an
event, never ``time.sleep``: ``stop()`` (or SIGINT/SIGTERM) ends it at once, then it flushes and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from guardian import __version__, paths
from guardian.agent.accountant import Accountant
from guardian.agent.enforcer import Enforcer
from guardian.agent.exec_watch import ExecWatch, classifier
from guardian.agent.sampler import Sampler
from guardian.api import GuardianAPI
from guardian.core.calendar import logical_day
from guardian.core.catalog import Catalog
from guardian.core.clock import Clock
from guardian.core.exec_rules import UNKNOWN_PROGRAM, with_unknown_programs
from guardian.core.messages import SessionReport
from guardian.core.model import SCREEN, Child, Grant, Rules
from guardian.core.policy import ChildStatus, evaluate_child
from guardian.platform.base import Platform, Session
from guardian.store import Store
from guardian.store.errors import StoreError

log = logging.getLogger("guardian.agent")

SESSIONS_EVERY = 5.0
"""Seconds between reads of the OS sessions, and how long an idle reading from the OS is reused."""
TRAY_FRESH = 5.0
EVALUATE_EVERY = 10.0
"""Seconds between policy evaluations of a child who uses nothing."""
EVALUATE_IN_USE = 5.0
"""Seconds between evaluations while a child uses the same apps. The policy's ``next_change_at`` (a
warning, a budget running out, allowed hours ending) and a change in what is used force one sooner."""


TrayReport = SessionReport
"""What a tray last reported (``guardian.core.messages.SessionReport``), with the agent's arrival time."""


@dataclass
class _Child:
    rules: Child
    id: int
    status: ChildStatus | None = None
    evaluated_at: float = 0.0
    grants: list[Grant] = field(default_factory=list)
    paused: bool = False
    foreground: str | None = None
    in_use: list[str] = field(default_factory=list)
    evaluated_in_use: list[str] = field(default_factory=list)
    tray_missing_logged: bool = False
    view: dict[str, Any] | None = None
    """The child's part of the live snapshot, rebuilt when the status or what is in use changes."""


class Agent:
    def __init__(
        self,
        home: Path,
        *,
        platform: Platform,
        clock: Clock,
        interval: float = 1.0,
        scan_every: float = 0.5,
        flush_every: float = 5.0,
        close_timeout: float = 3.0,
    ) -> None:
        self.home = home
        self.platform = platform
        self.clock = clock
        self.interval = interval
        self.scan_every = min(scan_every, interval)
        self.store = Store(paths.db_path(home))
        self.api = GuardianAPI(self.store, clock)
        self.accountant = Accountant(self.store, interval=interval, flush_every=flush_every)
        self.enforcer = Enforcer(platform, self.accountant, self._announce, close_timeout=close_timeout)
        self.sampler = Sampler(Catalog(()), {})
        self.exec_watch = ExecWatch() if platform.name == "linux" and ExecWatch.wanted() else None
        """Linux as root: process events and the exec guard (agent/exec_watch.py); None: polling."""
        self.stopping = threading.Event()
        self.lock = threading.RLock()
        self.rules = Rules()
        self.rules_version = -1
        self.today_start = 0.0
        self.catalog = Catalog(())
        self.children: dict[str, _Child] = {}
        self.trays: dict[str, dict[str, TrayReport]] = {}
        self.sessions: list[Session] = []
        self.sessions_at = -1e9
        self._os_idle: dict[str, tuple[float, float | None]] = {}
        self.day = ""
        self.data_version = -1
        self.rules_dirty = threading.Event()
        self.started_at = clock.now()
        self.ticks = 0
        self.snapshot: dict[str, Any] = {"agent": {"running": True}, "children": []}
        self.server: Any = None

    # -- lifecycle -----------------------------------------------------------------------------

    def run(self) -> int:
        """Run until ``stop()`` or SIGINT/SIGTERM, then flush and return 0."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        self.start()
        next_tick = self.clock.monotonic()
        try:
            while not self.stopping.is_set():
                mono = self.clock.monotonic()
                if mono >= next_tick:
                    self.tick()
                    next_tick = max(next_tick + self.interval, mono)
                else:
                    self.fast_scan()
                wait = max(0.0, next_tick - self.clock.monotonic())
                if self.exec_watch is not None and self.exec_watch.events_on:
                    self.exec_watch.wake.wait(wait)  # process events wake the loop
                else:
                    self.stopping.wait(min(self.scan_every, wait))
        finally:
            self.shutdown()
        return 0

    def start(self, *, ipc: bool = True) -> None:
        """Resume trusted time, load the rules, serve IPC, and record that the agent runs."""
        now = self.accountant.resume(self.clock.now(), self.clock.monotonic())
        if self.exec_watch is not None:
            self.exec_watch.start()
        self._load_rules(now)
        if ipc:
            self._start_ipc()
        self.accountant.flush(now, self.clock.monotonic(), self._health(now, running=True))
        log.info("agent started (pid %s, interval %.2fs)", os.getpid(), self.interval)

    def stop(self) -> None:
        self.stopping.set()
        if self.exec_watch is not None:
            self.exec_watch.wake.set()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del frame
        log.info("signal %s: stopping", signum)
        self.stop()

    def shutdown(self) -> None:
        if self.exec_watch is not None:
            self.exec_watch.stop()
        if self.server is not None:
            self.server.stop()
            self.server = None
        now = self._trusted_now()
        health = self._health(now, running=False)
        self.accountant.flush(now, self.clock.monotonic(), health, final=True)
        self.store.close()
        log.info("agent stopped")

    def _start_ipc(self) -> None:
        try:
            from guardian.agent.service import AgentService
            from guardian.agent.tokens import TokenStore
            from guardian.ipc.client import agent_socket_path
            from guardian.ipc.server import make_server
        except ImportError:  # pragma: no cover - the IPC package is part of Guardian
            log.warning("IPC is not available; running without it")
            return
        db = paths.db_path(self.home)
        service = AgentService(lambda: GuardianAPI(Store(db), self.clock), self, TokenStore(self.clock))
        # a Unix socket, or the named pipe on Windows (same address, same surface)
        self.server = make_server(agent_socket_path(self.home), service.dispatch, on_stop=service.close)
        self.server.start()

    # -- rules ---------------------------------------------------------------------------------

    def _load_rules(self, now: float) -> None:
        self.rules_version = self.api.rules_version()
        self.rules = with_unknown_programs(self.api.rules())  # blocking unknown programs blocks this app
        self.catalog = Catalog((*self.api.catalog(self.rules).apps(), UNKNOWN_PROGRAM))
        accounts = {acc: c.name for c in self.rules.children for acc in c.accounts}
        self.sampler.reconfigure(self.catalog, accounts)
        self.sampler.classify = classifier({c.name: c for c in self.rules.children})
        if self.exec_watch is not None:
            self.exec_watch.rescan()  # the table was cleared: list everything on the next scan
        children = {}
        for child in self.rules.children:
            child_id = self.store.children.id_for(child.name)
            if child_id is not None:
                children[child.name] = _Child(child, child_id)
        with self.lock:
            self.children = children
        self.day = ""
        self._check_admins(now)
        self.data_version = self._data_version()
        log.info("rules loaded: %d children", len(children))

    def _check_admins(self, now: float) -> None:
        for child in self.children.values():
            for account in child.rules.accounts:
                if self.platform.is_admin(account):
                    self.accountant.event("child_is_admin", now, child_id=child.id, data={"account": account})
                    log.warning(
                        "%s's account %s is an administrator: it can stop Guardian", child.rules.name, account
                    )

    def _data_version(self) -> int:
        return int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])

    def rules_changed(self) -> None:
        self.rules_dirty.set()

    def _refresh(self, now: float) -> None:
        """Pick up changes other processes committed (rules, grants) and a new day."""
        version = self._data_version()
        if version != self.data_version or self.rules_dirty.is_set():
            self.rules_dirty.clear()
            self.data_version = version
            if self.api.rules_version() != self.rules_version:
                self._load_rules(now)
            for child in self.children.values():
                child.evaluated_at = 0.0
            self._load_grants()
        tz = self.api.zone(self.rules)
        today = logical_day(now, tz, self.rules.settings.day_starts_at)
        if today.iso != self.day:
            self.day = today.iso
            try:
                self.api.apply_retention(now=now)  # once a day: old records go, in short batches
            except StoreError as exc:
                log.warning("retention did not run: %s", exc)
            self.today_start = today.start
            self.accountant.load_day([c.id for c in self.children.values()], today.start, today.end)
            self._load_grants()

    def _load_grants(self) -> None:
        """Grants and pauses for today (re-read whenever another process changed the database)."""
        for child in self.children.values():
            child.grants = self.store.grants.for_day(child.id, self.day) if self.day else []
            child.paused = bool(self.day) and self.store.pauses.on_day(child.id, self.day)

    # -- the tick ------------------------------------------------------------------------------

    def _trusted_now(self) -> float:
        state = self.accountant.state
        return state.at(self.clock.monotonic()) if state is not None else self.clock.now()

    def fast_scan(self) -> None:
        """Between ticks: notice new processes of children and close forbidden ones at once."""
        now = self._trusted_now()
        watch = self.exec_watch
        if watch is not None and watch.events_on:
            result = watch.drain(self.sampler, now, self.clock.monotonic())
        else:
            result = self.sampler.scan(now, mono=self.clock.monotonic())
        if watch is not None:
            self._exec_denied(watch, now)
        for proc in result.new:
            child = self.children.get(proc.child or "")
            if child is not None:
                self.enforcer.on_launch(proc, child.status, child.id, now)
        self.enforcer.follow_up(self.sampler.apps(), now)

    def tick(self) -> None:
        wall, mono = self.clock.now(), self.clock.monotonic()
        now, credit = self.accountant.step(wall, mono)
        self.ticks += 1
        self._refresh(now)
        self.fast_scan()
        for proc in self.sampler.refresh(now).new:  # a young process that exec-ed into an app
            child = self.children.get(proc.child or "")
            if child is not None:
                self.enforcer.on_launch(proc, child.status, child.id, now)
        if mono - self.sessions_at >= SESSIONS_EVERY:
            self.sessions = self.platform.sessions()
            self.sessions_at = mono
        self._credit(now, credit)
        self.accountant.collect(now)
        tz = self.api.zone(self.rules)
        for child in self.children.values():
            if self._evaluation_due(child, now):
                intervals = self.accountant.intervals(child.id, self.today_start - 1)
                child.status = evaluate_child(
                    self.rules,
                    child.rules,
                    intervals,
                    child.grants,
                    now,
                    catalog=self.catalog,
                    tz=tz,
                    issued=self.enforcer.issued(child.rules.name, self.day),
                    paused=child.paused,
                )
                child.evaluated_at = now
                child.evaluated_in_use = list(child.in_use)
                child.view = None
            assert child.status is not None
            procs = self.sampler.child_apps(child.rules.name)
            self.enforcer.on_tick(
                child.rules, child.id, child.status, procs, self.sessions, self.rules.settings.grace, now
            )
        if self.exec_watch is not None:
            self.exec_watch.publish([(c.rules, c.status) for c in self.children.values()], self.catalog)
        self._update_snapshot(now)
        if self.accountant.due(mono):
            self.accountant.flush(now, mono, self._health(now, running=True))

    def _exec_denied(self, watch: ExecWatch, now: float) -> None:
        """Record and announce the execs the guard refused (the child's tray says why)."""
        for denied in watch.take_denied():
            child = self.children.get(denied.child)
            if child is None:
                continue
            verdict = denied.verdict
            # stored as a blocked launch (reports, summaries and the dashboard count it), marked as refused
            self.accountant.event(
                "blocked_launch",
                now,
                child_id=child.id,
                app=verdict.app,
                data={"verdict": verdict.reason, "exec_denied": True},
            )
            event = {
                "event": "exec_denied",
                "child": denied.child,
                "app": verdict.app,
                "verdict": verdict.reason,
            }
            self._announce(event, set(child.rules.accounts))
            log.info("exec denied for %s: %s (%s)", denied.child, verdict.app, verdict.reason)

    @staticmethod
    def _evaluation_due(child: _Child, now: float) -> bool:
        status = child.status
        if status is None or child.in_use != child.evaluated_in_use:
            return True
        if status.next_change_at is not None and now >= status.next_change_at:
            return True
        return now - child.evaluated_at >= (EVALUATE_IN_USE if child.in_use else EVALUATE_EVERY)

    # -- what is in use ------------------------------------------------------------------------

    def _credit(self, now: float, credit: float) -> None:
        foreground = self._foreground()
        idle_after = self.rules.settings.idle_after
        for child in self.children.values():
            self._credit_child(child, foreground, idle_after, now, credit)
            self.accountant.only(child.id, child.in_use)

    def _credit_child(
        self, child: _Child, foreground: _Foreground, idle_after: int, now: float, credit: float
    ) -> None:
        """Decide what ``child`` uses this tick and credit it; sets ``child.in_use``."""
        child.in_use = []
        child.foreground = None
        procs = [p for p in self.sampler.child_apps(child.rules.name) if p.closing_since is None]
        mine = [s for s in self.sessions if s.user in child.rules.accounts]
        if mine and all(s.locked or self._idle(s) >= idle_after for s in mine):
            return  # away from the keyboard or locked: not screen time
        if foreground.sources:
            app = foreground.by_child.get(child.rules.name)
            if app is None:
                if child.rules.name in foreground.present:
                    self._count(child, [], now, credit)
                return
            child.foreground = app
            self._count(child, [app], now, credit)
            return
        running = sorted({p.app for p in procs if p.app is not None})
        if not running and not mine:
            return
        if mine and not child.tray_missing_logged:
            child.tray_missing_logged = True
            self.accountant.event("tray_missing", now, child_id=child.id)
        self._count(child, running, now, credit)

    def _count(self, child: _Child, apps: list[str], now: float, credit: float) -> None:
        """Credit ``apps``, and screen time unless every one of them is always allowed."""
        credited = list(apps)
        always = [a for a in apps if self.catalog.contains(child.rules.always_allowed, a)]
        if not apps or len(always) < len(apps):
            credited.append(SCREEN)
        for app in credited:
            self.accountant.credit(child.id, app, now, credit)
        child.in_use = credited

    def _idle(self, session: Session) -> float:
        report = self._tray_for(session)
        if report is not None and report.idle_s is not None:
            return report.idle_s
        mono = self.clock.monotonic()
        read_at, idle = self._os_idle.get(session.id, (-1e18, None))
        if mono - read_at >= SESSIONS_EVERY:  # asking the OS may mean a subprocess (loginctl)
            read_at, idle = mono, self.platform.idle_seconds(session)
            self._os_idle[session.id] = (read_at, idle)
        if not idle:
            return 0.0
        return idle + (mono - read_at)  # idle then, and still idle unless the next reading says otherwise

    def _tray_for(self, session: Session) -> TrayReport | None:
        with self.lock:
            report = self.trays.get(session.user, {}).get(session.id)
        if report is None or self.clock.monotonic() - report.received > TRAY_FRESH + self.interval:
            return None
        return report

    def _foreground(self) -> _Foreground:
        """Which child's app is in front, from trays or from the platform where it can see."""
        found = _Foreground()
        sessions = list(self.sessions)
        display = os.environ.get("DISPLAY")
        if display and not any(s.display == display for s in sessions):
            sessions.append(Session(id=f"display{display}", user="", kind="x11", display=display))
        with self.lock:
            reports = [r for by_user in self.trays.values() for r in by_user.values()]
        fresh = [r for r in reports if self.clock.monotonic() - r.received <= TRAY_FRESH + self.interval]
        pids: list[tuple[int, str | None]] = [(r.foreground_pid, r.title) for r in fresh if r.foreground_pid]
        if fresh:
            found.sources += 1
        for session in sessions:
            fg = self.platform.foreground(session) if session.display else None
            if fg is not None:
                found.sources += 1
                pids.append((fg.pid, fg.title))
        for pid, title in pids:
            proc = self.sampler.table.get(pid)
            if proc is None:
                self.fast_scan()
                proc = self.sampler.table.get(pid)
            if proc is None or proc.child is None:
                continue
            found.present.add(proc.child)
            app = proc.app
            if title and (app is None or self.catalog.category_of(app) == "browsers"):
                app = self.catalog.match_title(title) or app
            if app is not None and proc.closing_since is None:
                found.by_child[proc.child] = app
        return found

    # -- the live view (AgentView for the IPC service) ---------------------------------------------

    def report_session(self, user: str, report: SessionReport) -> None:
        entry = replace(report, received=self.clock.monotonic())
        with self.lock:
            self.trays.setdefault(user, {})[report.session_id] = entry

    def child_for_user(self, user: str) -> str | None:
        child = self.rules.child_for_account(user)
        return None if child is None else child.name

    def live_status(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.snapshot)

    def announce(self, event: dict[str, Any], users: Collection[str] | None = None) -> None:
        self._announce(event, users)

    def lock_child(self, name: str) -> tuple[int, int]:
        """A parent's "lock now" (from the IPC thread): lock the child's open sessions."""
        with self.lock:
            child = self.children.get(name)
            sessions = list(self.sessions)
        if child is None:
            return 0, 0
        mine = [s for s in sessions if s.user in child.rules.accounts]
        locked = sum(1 for s in mine if self.platform.lock(s))
        now = self._trusted_now()
        self.accountant.event("locked_by_parent", now, child_id=child.id, data={"locked": locked})
        self._announce({"event": "locked", "child": name}, set(child.rules.accounts))
        log.info("lock now for %s: %d of %d sessions locked", name, locked, len(mine))
        return locked, len(mine)

    def _announce(self, event: dict[str, Any], users: Collection[str] | None) -> None:
        if self.server is not None:
            self.server.broadcast(event, users=users)

    def _update_snapshot(self, now: float) -> None:
        children = []
        for child in self.children.values():
            if child.status is None:
                continue
            in_use = [a for a in child.in_use if a != SCREEN]
            if (
                child.view is None
                or child.view["foreground"] != child.foreground
                or child.view["in_use"] != in_use
            ):
                data = child.status.to_dict()
                data["foreground"] = child.foreground
                data["in_use"] = in_use
                data["apps_left"] = {
                    app: child.status.app_left(app) for app in sorted(set(data["apps_used"]) | set(in_use))
                }
                child.view = data
            children.append(child.view)
        snapshot = {"now": int(now), "agent": self._health(now, running=True), "children": children}
        with self.lock:
            self.snapshot = snapshot

    def _health(self, now: float, *, running: bool) -> dict[str, Any]:
        state = self.accountant.state
        return {
            "running": running,
            "pid": os.getpid(),
            "version": __version__,
            "started_at": int(self.started_at),
            "last_tick": self.clock.now(),
            "trusted_now": int(now),
            "clock_offset_s": round(state.offset, 1) if state else 0.0,
            "interval_s": self.interval,
            "ticks": self.ticks,
            "tracked_processes": self.sampler.mine,
            "write_failures": self.accountant.write_failures,
            "platform": self.platform.name,
        }


@dataclass
class _Foreground:
    sources: int = 0
    by_child: dict[str, str] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
