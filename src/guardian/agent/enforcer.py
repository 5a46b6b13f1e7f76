"""The enforce stage: warnings, closing apps, and the action when time is up.

It acts on the statuses the evaluate stage made and reports what it did to an event sink and to the
announce callback (IPC broadcasts); it writes nothing itself.

Only processes of accounts mapped to a child reach here (the sampler never inspects others), and
always-allowed apps are never closed. Closing is graceful first (SIGTERM / WM_CLOSE) and forced after
``close_timeout`` seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from guardian.agent.events import EventSink
from guardian.agent.sampler import Proc
from guardian.core.messages import AppClosedNotice, BlockedNotice, Notice, TimeUpNotice, WarningNotice
from guardian.core.model import Child
from guardian.core.policy import OVER_STATES, ChildStatus
from guardian.platform.base import Platform, Session

log = logging.getLogger("guardian.agent")

Announce = Callable[[Notice, Collection[str] | None], None]
RELOCK_EVERY = 30.0
OVER_REASONS = {"screen_time_over": "screen", "outside_hours": "hours", "paused": "paused"}


@dataclass
class _ChildState:
    day: str = ""
    warned: set[str] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)
    over_since: float | None = None
    over_reason: str = ""
    acted_at: float | None = None


class Enforcer:
    def __init__(
        self, platform: Platform, events: EventSink, announce: Announce, *, close_timeout: float = 3.0
    ) -> None:
        self.platform = platform
        self.events = events
        self.announce = announce
        self.close_timeout = close_timeout
        self.children: dict[str, _ChildState] = {}
        self.closing: dict[int, Proc] = {}
        """Processes asked to close and not yet seen gone: what ``follow_up`` looks at (not every app)."""

    def state_for(self, name: str, day: str) -> _ChildState:
        state = self.children.setdefault(name, _ChildState())
        if state.day != day:
            self.children[name] = state = _ChildState(day=day)
        return state

    # -- new processes (fast path) -------------------------------------------------------------

    def on_launch(
        self,
        proc: Proc,
        status: ChildStatus | None,
        child_id: int,
        now: float,
        users: Collection[str] | None = None,
    ) -> None:
        """A child's process just appeared: close it on sight when its app may not run; the notice goes
        to ``users`` (the child's accounts), not to every tray."""
        if proc.app is None or status is None:
            return
        verdict = status.app_verdict(proc.app)
        over = status.state in OVER_STATES and verdict != "always_allowed"
        if verdict in ("blocked", "exhausted") or (over and self._closes_when_over(status)):
            self._close(proc, now)
            self.events.event(
                "blocked_launch", now, child_id=child_id, app=proc.app, data={"verdict": verdict}
            )
            self.announce(BlockedNotice(status.child, proc.app, verdict), users)

    def _closes_when_over(self, status: ChildStatus) -> bool:
        state = self.children.get(status.child)
        return state is not None and state.acted_at is not None

    # -- every tick ----------------------------------------------------------------------------

    def on_tick(
        self,
        child: Child,
        child_id: int,
        status: ChildStatus,
        procs: Iterable[Proc],
        sessions: list[Session],
        grace: int,
        now: float,
    ) -> None:
        state = self.state_for(child.name, status.day.isoformat())
        users = set(child.accounts)
        for warning in status.warnings_due:
            if warning.key in state.warned:
                continue
            state.warned.add(warning.key)
            self.events.event(
                "warning",
                now,
                child_id=child_id,
                app=warning.ref,
                data={"key": warning.key, "left": warning.left},
            )
            self.announce(WarningNotice(child.name, warning.subject, warning.ref, warning.left), users)
        procs = list(procs)
        verdicts: dict[str, str] = {}  # one per app, not per process (a child may run hundreds)
        for proc in procs:
            if proc.app is None or proc.closing_since is not None:
                continue
            verdict = verdicts.get(proc.app)
            if verdict is None:
                verdict = verdicts[proc.app] = status.app_verdict(proc.app)
            if verdict in ("blocked", "exhausted"):
                key = f"app:{proc.app}" if verdict == "blocked" else f"limit:{proc.app}"
                if key not in state.reached:
                    state.reached.add(key)
                    self.events.event(
                        "limit_reached", now, child_id=child_id, app=proc.app, data={"what": verdict}
                    )
                self._close(proc, now)
                self.events.event(
                    "app_closed", now, child_id=child_id, app=proc.app, data={"verdict": verdict}
                )
                self.announce(AppClosedNotice(child.name, proc.app, verdict), users)
        self._time_up(child, child_id, status, procs, sessions, grace, now, state)

    def _time_up(
        self,
        child: Child,
        child_id: int,
        status: ChildStatus,
        procs: list[Proc],
        sessions: list[Session],
        grace: int,
        now: float,
        state: _ChildState,
    ) -> None:
        if status.state not in OVER_STATES:
            state.over_since = state.acted_at = None
            return
        users = set(child.accounts)
        if state.over_since is None:
            state.over_since = now
            state.over_reason = OVER_REASONS[status.state]
            if f"time:{state.over_reason}" not in state.reached:
                state.reached.add(f"time:{state.over_reason}")
                self.events.event("limit_reached", now, child_id=child_id, data={"what": state.over_reason})
            self.announce(TimeUpNotice(child.name, state.over_reason, grace, child.at_limit), users)
        if now - state.over_since < grace:
            return
        if state.acted_at is not None and (child.at_limit != "lock" or now - state.acted_at < RELOCK_EVERY):
            if child.at_limit == "close_apps":
                self._close_all(child_id, status, procs, now)
            return
        state.acted_at = now
        result = self._act(child, child_id, status, procs, sessions, now)
        self.events.event(
            "at_limit", now, child_id=child_id, data={"action": child.at_limit, "result": result}
        )

    def _act(
        self,
        child: Child,
        child_id: int,
        status: ChildStatus,
        procs: list[Proc],
        sessions: list[Session],
        now: float,
    ) -> str:
        mine = [s for s in sessions if s.user in child.accounts]
        if child.at_limit == "notify":
            return "notified"
        if child.at_limit in ("lock", "logout") and mine:
            act = self.platform.lock if child.at_limit == "lock" else self.platform.logout
            done = [act(s) for s in mine]
            if any(done):
                return "done"
        self._close_all(child_id, status, procs, now)
        return "closed_apps" if child.at_limit == "close_apps" else "closed_apps_fallback"

    def _close_all(self, child_id: int, status: ChildStatus, procs: list[Proc], now: float) -> None:
        for proc in procs:
            if (
                proc.app is not None
                and proc.closing_since is None
                and status.app_verdict(proc.app) != "always_allowed"
            ):
                self._close(proc, now)
                self.events.event(
                    "app_closed", now, child_id=child_id, app=proc.app, data={"verdict": "time_up"}
                )

    # -- closing -------------------------------------------------------------------------------

    def _close(self, proc: Proc, now: float) -> None:
        result = self.platform.request_close(proc.pid)
        proc.closing_since = now
        self.closing[proc.pid] = proc
        if result == "denied":
            log.warning("not allowed to close pid %s (%s)", proc.pid, proc.app)

    def follow_up(self, table: Mapping[int, Proc], now: float) -> None:
        """Force processes that were asked to close and are still in ``table`` (the sampler's live
        processes) after the timeout; forget those gone (or whose pid now names another process)."""
        for pid, proc in list(self.closing.items()):
            if table.get(pid) is not proc:
                del self.closing[pid]
            elif proc.closing_since is not None and now - proc.closing_since >= self.close_timeout:
                self.platform.force_close(proc.pid)
                proc.closing_since = now  # try again later if it survives even that
