"""The agent: a thin loop running one tick as a one-way pipeline of stages.

Every ``interval`` seconds (a *tick*) the agent steps trusted time and picks up changed rules, then runs

    sample (``observe``) → credit (``credit``) → evaluate (``evaluate``) → enforce (``enforcer``) → record (``record``)

each stage reading what the ones before it produced and nothing after it: the sample stage gathers an
``Observation`` (processes, sessions, the app in front, idle readings), the credit stage turns it into what
each child uses and credits the books (``accountant``), the evaluate stage makes each child's status from
the books, the enforce stage acts on the statuses and reports to the event log, and the record stage
updates the live view and writes rows, events and health in one transaction. Between ticks a fast scan
(sample → enforce) closes a forbidden app within ``scan_every`` seconds.

The loop waits on an event, never ``time.sleep``: ``stop()`` (or SIGINT/SIGTERM) ends it at once, then it
flushes and exits. An error in a tick never ends the loop (see ``run``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from guardian import __version__, paths
from guardian.agent.accountant import Accountant
from guardian.agent.credit import Crediter
from guardian.agent.enforcer import Enforcer
from guardian.agent.evaluate import Evaluator
from guardian.agent.events import EventLog
from guardian.agent.exec_watch import ExecWatch, classifier
from guardian.agent.failsafe import open_store
from guardian.agent.logs import limit_repeats
from guardian.agent.observe import Observation, Observer, Trays
from guardian.agent.proc_events import ExecEvents
from guardian.agent.record import LiveView, Recorder
from guardian.agent.run_mode import run_mode
from guardian.agent.sampler import Proc, Sampler
from guardian.agent.web import WebGuard
from guardian.api import GuardianAPI
from guardian.core.calendar import logical_day
from guardian.core.catalog import Catalog
from guardian.core.clock import Clock
from guardian.core.exec_rules import UNKNOWN_PROGRAM, with_unknown_programs
from guardian.core.messages import (
    AgentHealth,
    BlockedNotice,
    ChildEntry,
    ExecDeniedNotice,
    LockedNotice,
    Notice,
    SessionReport,
    Status,
)
from guardian.core.model import Child, Grant, Rules
from guardian.core.policy import ChildStatus
from guardian.platform import web_redirect
from guardian.platform.base import Platform
from guardian.store import Store
from guardian.store.errors import StoreError

log = logging.getLogger("guardian.agent")

BACKOFF_FIRST = 0.5
BACKOFF_MAX = 5.0
"""After a failed tick the loop waits ``BACKOFF_FIRST`` seconds, doubling with each failure in a row up to
``BACKOFF_MAX``: enforcement resumes within seconds once the cause (a full file table…) is gone."""


@dataclass
class _Child:
    """One child's state across stages; each stage writes its own fields only."""

    rules: Child
    id: int
    grants: list[Grant] = field(default_factory=list)
    paused: bool = False
    # credit
    foreground: str | None = None
    in_use: list[str] = field(default_factory=list)
    tray_missing_logged: bool = False
    # evaluate
    status: ChildStatus | None = None
    evaluated_at: float = 0.0
    evaluated_in_use: list[str] = field(default_factory=list)
    # record
    view: ChildEntry | None = None
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
        self.store, self.degraded = open_store(paths.db_path(home), clock)
        """``degraded``: why protection is degraded (the database is broken), or None."""
        self.run_mode = run_mode()
        """The service's rights or personal mode, and the account (``AgentHealth.mode``, ``account``)."""
        self.api = GuardianAPI(self.store, clock)
        self.events = EventLog()
        self.accountant = Accountant(self.store, self.events, interval=interval, flush_every=flush_every)
        self.sampler = Sampler(Catalog(()), {})
        self.trays = Trays(clock, self.events, interval=interval)
        self.observer = Observer(self.sampler, platform, clock, self.trays)
        self.crediter = Crediter(self.accountant, self.events)
        self.evaluator = Evaluator(self.accountant)
        self.enforcer = Enforcer(platform, self.events, self._announce, close_timeout=close_timeout)
        self.live = LiveView()
        self.recorder = Recorder(self.store, self.accountant, self.events, flush_every=flush_every)
        self.exec_watch = ExecWatch() if platform.name == "linux" and ExecWatch.wanted() else None
        """Linux as root: process events and the exec guard (agent/exec_watch.py); None: polling."""
        if self.exec_watch is not None:
            self.observer.scanner = self._scan_events
        else:  # one reader of the kernel's process events: the exec watch's, or the sampler's per tick
            self.sampler.exec_events = ExecEvents.open()
        self.stopping = threading.Event()
        self.lock = threading.RLock()
        self.rules = Rules()
        self.rules_version = -1
        self.today_start = 0.0
        self.catalog = Catalog(())
        self.children: dict[str, _Child] = {}
        self.day = ""
        self.data_version = -1
        self.rules_dirty = threading.Event()
        self.started_at = clock.now()
        self.ticks = 0
        self.errors = 0
        self.server: Any = None
        self.web: WebGuard | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def run(self) -> int:
        """Run until ``stop()`` or SIGINT/SIGTERM, then flush and return 0.

        An error in a tick never ends the loop: it is logged (rate-limited), recorded as an event, and the
        loop goes on after a back-off. Should the loop end without being asked to, the stop is recorded
        as unclean (tamper evidence) and the exit status is 1.
        """
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        limit_repeats()
        raise_file_limit()
        self.start()
        try:
            self._loop()
        finally:
            self.shutdown(clean=self.stopping.is_set())
        return 0 if self.stopping.is_set() else 1

    def _loop(self) -> None:
        next_tick = self.clock.monotonic()
        failures = 0
        while not self.stopping.is_set():
            mono = self.clock.monotonic()
            try:
                if mono >= next_tick:
                    next_tick = max(next_tick + self.interval, mono)
                    self.tick()
                else:
                    self.fast_scan()
            except Exception as exc:  # any failure: keep enforcing, never exit
                failures += 1
                self._loop_failed(exc, failures)
                self.stopping.wait(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(failures - 1, 10)))
                continue
            failures = 0
            wait = max(0.0, next_tick - self.clock.monotonic())
            if self.exec_watch is not None and self.exec_watch.events_on:
                self.exec_watch.wake.wait(wait)  # process events wake the loop
            else:
                self.stopping.wait(min(self.scan_every, wait))

    def _loop_failed(self, exc: Exception, failures: int) -> None:
        if failures == 1:
            log.exception("the agent's tick failed; it goes on after a pause")
            self.errors += 1
            with contextlib.suppress(Exception):
                self.events.event(
                    "agent_error",
                    self._trusted_now(),
                    data={"error": type(exc).__name__, "detail": str(exc)[:200]},
                )
        else:
            log.error("the agent's tick failed again (%d in a row): %s", failures, exc)

    def start(self, *, ipc: bool = True) -> None:
        """Resume trusted time, load the rules, serve IPC, and record that the agent runs."""
        now = self.accountant.resume(self.clock.now(), self.clock.monotonic())
        if self.exec_watch is not None:
            self.exec_watch.start()
            # every exec is inspected as it happens (no per-tick drain), else the sampler reads execs itself
            self.sampler.execs_elsewhere = self.exec_watch.events_on
            if not self.exec_watch.events_on and self.sampler.exec_events is None:
                self.sampler.exec_events = ExecEvents.open()
        if self.degraded is not None:
            log.error("%s", self.degraded)
            self.events.event("protection_degraded", now, data={"reason": self.degraded})
        self.web = WebGuard(self.home, self.store, web_redirect(), mono=self.clock.monotonic)
        self.crediter.web_time = self.web.web_apps_in_use
        self._load_rules(now)
        if ipc:
            self._start_ipc()
        self.recorder.flush(now, self.clock.monotonic(), self._health(now, running=True))
        log.info("agent started (pid %s, interval %.2fs)", os.getpid(), self.interval)

    def stop(self) -> None:
        self.stopping.set()
        if self.exec_watch is not None:
            self.exec_watch.wake.set()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del frame
        log.info("signal %s: stopping", signum)
        self.stop()

    def shutdown(self, *, clean: bool = True) -> None:
        """Stop serving, save everything; ``clean`` False (a stop nobody asked for) leaves tamper evidence."""
        if self.exec_watch is not None:
            self.exec_watch.stop()
            self._exec_denied(self.exec_watch, self._trusted_now())  # refused just before the stop
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.web is not None:
            self.web.close(self.day, self._child_ids())
            self.web = None
        now = self._trusted_now()
        health = self._health(now, running=False)
        self.recorder.flush(now, self.clock.monotonic(), health, final=True, clean=clean)
        self.store.close()
        if self.sampler.exec_events is not None:
            self.sampler.exec_events.close()
        if clean:
            log.info("agent stopped")
        else:
            log.error("agent stopped without being asked to; recorded as an unclean stop")

    def _start_ipc(self) -> None:
        try:
            from guardian.agent.service import AgentService
            from guardian.agent.tokens import TokenStore
            from guardian.ipc.client import agent_socket_path
            from guardian.ipc.server import make_server
        except ImportError:  # pragma: no cover - the IPC package is part of Guardian
            log.warning("IPC is not available; running without it")
            return
        db = self.store.path  # the journal while the database is broken
        service = AgentService(lambda: GuardianAPI(Store(db), self.clock), self, TokenStore(self.clock))
        # a Unix socket, or the named pipe on Windows (same address, same surface)
        self.server = make_server(agent_socket_path(self.home), service.dispatch, on_stop=service.close)
        self.server.start()

    # -- rules: the configuration every stage reads --------------------------------------------------

    def _load_rules(self, now: float) -> None:
        self.rules_version = self.api.rules_version()
        self.rules = with_unknown_programs(self.api.rules())  # blocking unknown programs blocks this app
        self.catalog = Catalog((*self.api.catalog(self.rules).apps(), UNKNOWN_PROGRAM))
        accounts = {acc: c.name for c in self.rules.children for acc in c.accounts}
        self.sampler.reconfigure(self.catalog, accounts)
        self.sampler.classify = classifier({c.name: c for c in self.rules.children})
        if self.exec_watch is not None:
            self.exec_watch.rescan()  # the table was cleared: list everything on the next scan
        self.observer.catalog = self.crediter.catalog = self.evaluator.catalog = self.catalog
        self.observer.accounts = set(accounts)
        self.evaluator.rules = self.rules
        self.crediter.idle_after = self.rules.settings.idle_after
        children = {}
        for child in self.rules.children:
            child_id = self.store.children.id_for(child.name)
            if child_id is not None:
                children[child.name] = _Child(child, child_id)
        with self.lock:
            self.children = children
        self.day = ""
        self._check_admins(now)
        self.data_version = self.store.data_version()
        if self.web is not None:
            self.web.configure(self.rules)
        log.info("rules loaded: %d children", len(children))

    def _check_admins(self, now: float) -> None:
        for child in self.children.values():
            for account in child.rules.accounts:
                if self.platform.is_admin(account):
                    self.events.event("child_is_admin", now, child_id=child.id, data={"account": account})
                    log.warning(
                        "%s's account %s is an administrator: it can stop Guardian", child.rules.name, account
                    )

    def _child_ids(self) -> dict[str, int]:
        return {name: child.id for name, child in self.children.items()}

    def rules_changed(self) -> None:
        self.rules_dirty.set()

    def _refresh(self, now: float) -> None:
        """Pick up changes other processes committed (rules, grants) and a new day."""
        version = self.store.data_version()
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
            try:
                self.api.keep_finished_days()  # the per-day rollup of the last week, for cheap reports
            except StoreError as exc:
                log.warning("per-day usage not kept: %s", exc)
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
        """Between ticks: sample new processes, enforce on them (close forbidden ones at once)."""
        now = self._trusted_now()
        self._enforce_launches(self.observer.scan(now, self.clock.monotonic()), now)
        if self.exec_watch is not None:
            self._exec_denied(self.exec_watch, now)
        self.enforcer.follow_up(self.sampler.table, now)

    def _scan_events(self, now: float, mono: float) -> list[Proc]:
        """The sample stage's scan when process events feed it: what the kernel reported, else polling."""
        watch = self.exec_watch
        if watch is None or not watch.events_on:
            return [p for p in self.sampler.scan(now, mono=mono).new if p.child is not None]
        return [p for p in watch.drain(self.sampler, now, mono).new if p.child is not None]

    def _exec_denied(self, watch: ExecWatch, now: float) -> None:
        """Record and announce the execs the guard refused (the child's tray says why)."""
        for denied in watch.take_denied():
            child = self.children.get(denied.child)
            if child is None:
                continue
            verdict = denied.verdict
            # stored as a blocked launch (reports, summaries and the dashboard count it), marked as refused
            self.events.event(
                "blocked_launch",
                now,
                child_id=child.id,
                app=verdict.app,
                data={"verdict": verdict.reason, "exec_denied": True},
            )
            notice = ExecDeniedNotice(denied.child, verdict.app, verdict.reason)
            self._announce(notice, set(child.rules.accounts))
            log.info("exec denied for %s: %s (%s)", denied.child, verdict.app, verdict.reason)

    def tick(self) -> None:
        wall, mono = self.clock.now(), self.clock.monotonic()
        now, credit = self.accountant.step(wall, mono)
        self.ticks += 1
        self._refresh(now)
        obs = self.observer.observe(now, mono, credit, self.children)  # sample
        self.crediter.run(self.children.values(), obs)  # credit
        self.accountant.collect(now)
        tz = self.api.zone(self.rules)
        self.evaluator.run(self.children.values(), now, self.day, self.today_start, tz)  # evaluate
        if self.exec_watch is not None:  # the exec guard judges by these statuses until the next tick
            self.exec_watch.publish([(c.rules, c.status) for c in self.children.values()], self.catalog)
        self._enforce(obs)  # enforce
        if self.exec_watch is not None:  # refusals whose wake this tick's drain cleared: recorded now
            self._exec_denied(self.exec_watch, now)
        if self.web is not None:
            for name, app, verdict in self.web.hold(c.status for c in self.children.values()):
                self._web_app_held(name, app, verdict, now)  # its sites stop loading: say so
            self.web.tick(mono, self.day, self._child_ids())
        self.live.update(self.children.values(), now, self._health(now, running=True))  # record
        if self.recorder.due(mono):
            self.recorder.flush(now, mono, self._health(now, running=True))

    def _web_app_held(self, name: str, app: str, verdict: str, now: float) -> None:
        """A web app the child was using is blocked or out of time: its names no longer resolve."""
        child = self.children[name]
        self.events.event("limit_reached", now, child_id=child.id, app=app, data={"what": verdict})
        self._announce(BlockedNotice(name, app, verdict), set(child.rules.accounts))
        log.info("web app held for %s: %s (%s)", name, app, verdict)

    def _enforce_launches(self, launched: list[Proc], now: float) -> None:
        for proc in launched:
            child = self.children.get(proc.child or "")
            if child is not None:
                self.enforcer.on_launch(proc, child.status, child.id, now, set(child.rules.accounts))

    def _enforce(self, obs: Observation) -> None:
        self._enforce_launches(obs.launched, obs.now)
        self.enforcer.follow_up(self.sampler.table, obs.now)
        for child in self.children.values():
            assert child.status is not None
            self.enforcer.on_tick(
                child.rules,
                child.id,
                child.status,
                self.sampler.child_apps(child.rules.name),
                obs.sessions,
                self.rules.settings.grace,
                obs.now,
            )

    # -- the live view (AgentView for the IPC service) ---------------------------------------------

    @property
    def sessions(self) -> list[Any]:
        return self.observer.sessions

    @property
    def snapshot(self) -> Status:
        return self.live.get()

    def report_session(self, user: str, report: SessionReport) -> bool:
        """A tray's report (IPC thread), for the caller's own account ``user`` as the OS told the server.

        Accepted only for a session the OS shows that account has; refused otherwise (an event). What an
        accepted report says is bounded by the agent's own evidence in the credit stage.
        """
        child = self.rules.child_for_account(user)
        known = self.children.get(child.name) if child is not None else None
        return self.trays.accept(user, report, self._trusted_now(), known.id if known is not None else None)

    def child_for_user(self, user: str) -> str | None:
        child = self.rules.child_for_account(user)
        return None if child is None else child.name

    def live_status(self) -> Status:
        return self.live.get()

    def announce(self, notice: Notice, users: Collection[str] | None = None) -> None:
        self._announce(notice, users)

    def lock_child(self, name: str) -> tuple[int, int]:
        """A parent's "lock now" (from the IPC thread): lock the child's open sessions."""
        with self.lock:
            child = self.children.get(name)
        sessions = list(self.observer.sessions)
        if child is None:
            return 0, 0
        mine = [s for s in sessions if s.user in child.rules.accounts]
        locked = sum(1 for s in mine if self.platform.lock(s))
        now = self._trusted_now()
        self.events.event(
            "locked_by_parent", now, child_id=child.id, data={"locked": locked, "sessions": len(mine)}
        )
        self._announce(LockedNotice(name), set(child.rules.accounts))
        log.info("lock now for %s: %d of %d sessions locked", name, locked, len(mine))
        return locked, len(mine)

    def _announce(self, notice: Notice, users: Collection[str] | None) -> None:
        if self.server is not None:
            self.server.broadcast(notice.to_wire(), users=users)

    def _health(self, now: float, *, running: bool) -> AgentHealth:
        state = self.accountant.state
        return AgentHealth(
            running=running,
            pid=os.getpid(),
            version=__version__,
            started_at=int(self.started_at),
            last_tick=self.clock.now(),
            trusted_now=int(now),
            clock_offset_s=round(state.offset, 1) if state else 0.0,
            interval_s=self.interval,
            ticks=self.ticks,
            tracked_processes=self.sampler.mine,
            write_failures=self.recorder.write_failures,
            errors=self.errors,
            platform=self.platform.name,
            degraded=self._degraded(),
            mode=self.run_mode[0],
            account=self.run_mode[1],
        )

    def _degraded(self) -> str | None:
        """Why protection is degraded: the database, the browser policies; None when it is not."""
        problems = [self.degraded, self.web.policies.problem if self.web is not None else None]
        return "; ".join(p for p in problems if p) or None


def raise_file_limit() -> None:
    """Let the agent open as many files as the system allows it (soft limit up to the hard one)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
