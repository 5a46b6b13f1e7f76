"""The agent's kernel feeds on Linux as root: process events instead of polling, and the exec guard.

* Process events (``platform/linux_procevents``): every fork, exec and exit is queued as it happens and
  wakes the agent's loop, which inspects just those processes (``Sampler.inspect``) and closes a forbidden
  app at once. The full listing becomes a safety net every ``SAFETY_NET`` seconds, and runs at once when
  the kernel reports lost events (``ENOBUFS``).
* The exec guard (``platform/linux_fanotify``): a child's exec is judged before it runs, from a snapshot
  of the rules and statuses the loop publishes after each evaluation (``publish``); the judge reads the
  snapshot only, so it never waits on the loop. Denied execs are queued for the loop to record and announce
  (``exec_denied``). An exec the judge allowed on the rules needs nothing closed: its process event is queued
  for the next tick without waking the loop, as is one of a program with an ignore mark (no rule can deny it);
  what the guard did not judge otherwise (a program run from memory) or judged before the child had a status
  wakes it at once.
* Ignore marks: a program file no rule can ever deny (``core/exec_rules.never_denied``: no app, owned by
  root in root-only folders) is told to the kernel once, and its execs stop waking the agent; the marks are
  dropped whenever the catalog or the children's accounts change. Only where hard links to others' files
  are refused (``fs.protected_hardlinks``), else a child could link such a file under an app's name.
* Programs a child brings in (``core/exec_rules``): ``classify`` gives a child's process no catalog app
  matches the app it counts as (the unknown program), in polling mode too.

Personal mode (not root), other systems, or ``GUARDIAN_EXEC_EVENTS=0`` keep today's polling.
"""

from __future__ import annotations

import logging
import os
import pwd
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from guardian.agent.sampler import Proc, Sampler, ScanResult
from guardian.core.catalog import Catalog
from guardian.core.exec_rules import ExecVerdict, app_of, may_exec, never_denied, program_origin
from guardian.core.model import Child
from guardian.core.policy import ChildStatus
from guardian.platform.linux_fanotify import ExecGuard, ExecGuardUnavailable, ExecRequest, file_sha256
from guardian.platform.linux_procevents import (
    ProcEvent,
    ProcEvents,
    ProcEventsUnavailable,
    ProcEventThread,
    uid_of,
)

log = logging.getLogger("guardian.agent")

EVENT_KINDS = frozenset({"exec", "uid"})
"""What the agent asks of the process connector (the rest is dropped in the kernel)."""
OWNER_KINDS = frozenset({"uid"})
"""What it asks while no child has a process: only a change of owner to a child's account can start one."""
SAFETY_NET = 30.0
"""Seconds between full process listings when process events feed the sampler."""
PROTECTED_HARDLINKS = "/proc/sys/fs/protected_hardlinks"
JUDGED_FOR = 1.0
"""Seconds a judge's "allowed" stands for the exec event that follows it (it follows within milliseconds)."""


def hardlinks_protected(path: str = PROTECTED_HARDLINKS) -> bool:
    """Whether accounts may hard-link only files they own (or could write): the kernel's default."""
    try:
        with open(path, "rb") as fh:
            return fh.read().strip() == b"1"
    except OSError:
        return False


def root_only_folders(path: str) -> bool:
    """Whether every folder above ``path`` belongs to root and no one else may write it."""
    folder = os.path.dirname(path)
    while True:
        try:
            info = os.stat(folder)
        except OSError:
            return False
        if info.st_uid != 0 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
        parent = os.path.dirname(folder)
        if parent == folder:
            return True
        folder = parent


@dataclass(frozen=True)
class _Account:
    child: Child
    status: ChildStatus | None
    home: str | None


@dataclass(frozen=True)
class Denied:
    child: str
    pid: int
    path: str
    verdict: ExecVerdict


def _home_of(account: str) -> tuple[int, str] | None:
    try:
        entry = pwd.getpwnam(account)
    except (KeyError, OSError):
        return None
    return entry.pw_uid, entry.pw_dir


def classifier(children: Mapping[str, Child]) -> Callable[[Proc], str | None]:
    """``Sampler.classify`` for ``children`` (by name): the app a child's unmatched process counts as."""
    homes: dict[str, tuple[int, str] | None] = {}

    def classify(proc: Proc) -> str | None:
        child = children.get(proc.child or "")
        if child is None or proc.user is None:
            return None
        if proc.user not in homes:
            homes[proc.user] = _home_of(proc.user)
        found = homes[proc.user]
        uid, home = found if found is not None else (None, None)
        try:
            link: str | None = os.readlink(f"/proc/{proc.pid}/exe")
        except OSError:
            link = proc.exe
        owner = None
        if link and not link.startswith("/memfd:"):
            try:
                owner = os.stat(link).st_uid
            except OSError:
                owner = None
        return app_of(None, program_origin(link, home=home, uid=uid, owner_uid=owner), child)

    return classify


class ExecWatch:
    """Process events plus the exec guard, started by the agent when it runs as root on Linux."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        """Set when events wait for the loop (and by ``Agent.stop``)."""
        self.events_on = False
        self.guard_on = False
        self._pids: deque[tuple[str, int]] = deque()
        self._lost = True  # list everything once at the start
        self._full_at = -1e18
        self._denied: deque[Denied] = deque()
        self._homes: dict[str, tuple[int, str] | None] = {}
        self._hashes: dict[tuple[int, int, int, int], str | None] = {}
        self._watched: frozenset[int] = frozenset()
        """Children's uids: only their processes' events reach the loop."""
        self._execs_on = True
        """Whether exec events are asked of the kernel (off while no child has a process)."""
        self._kinds_lock = threading.Lock()
        self._accounts: dict[int, _Account] = {}
        self._catalog = Catalog(())
        self._thread: ProcEventThread | None = None
        self._guard: ExecGuard | None = None
        self.lost_total = 0
        self._judged: dict[int, float] = {}
        """Pids whose exec the judge just allowed on the rules (judge thread → reader thread)."""

    @staticmethod
    def wanted() -> bool:
        return (
            sys.platform.startswith("linux")
            and hasattr(os, "geteuid")
            and os.geteuid() == 0
            and os.environ.get("GUARDIAN_EXEC_EVENTS", "1") != "0"
        )

    def start(self) -> None:
        try:
            # other accounts' events: dropped in the kernel (all of them where it takes the account filter,
            # else their changes of owner; their execs are then dropped on the reader thread)
            source = ProcEvents(EVENT_KINDS, uids=self._watched, by_account=True)
            self._thread = ProcEventThread(self._on_events, source=source).start()
            self.events_on = True
        except ProcEventsUnavailable as exc:
            log.warning("process events are not available (%s): polling instead", exc)
        if os.environ.get("GUARDIAN_EXEC_GUARD", "1") != "0":
            quiet = self._quiet if hardlinks_protected() else None
            try:
                self._guard = ExecGuard(
                    self._judge, self._accounts.keys(), on_denied=self._on_denied, quiet=quiet
                ).start()
                self.guard_on = True
            except ExecGuardUnavailable as exc:
                log.warning("the exec guard is not available (%s): blocked apps are closed instead", exc)
        by_account = self._thread is not None and self._thread.source.account_filtered
        log.info(
            "process events %s (filtered by account in the kernel: %s), exec guard %s",
            self.events_on,
            by_account,
            self.guard_on,
        )

    def stop(self) -> None:
        self.wake.set()
        if self._guard is not None:
            self._guard.stop()
        if self._thread is not None:
            self._thread.stop()
        self._guard = None
        self._thread = None
        self.events_on = self.guard_on = False

    # -- process events (reader thread → loop) -------------------------------------------------

    def _on_events(self, events: list[ProcEvent], lost: bool) -> None:
        """On the reader thread: pass on only children's processes, so other accounts' never wake the loop.

        Only execs and changes of owner to a child's account are asked of the kernel (``EVENT_KINDS``, the
        socket filter keeping children's uids): a process that ends is noticed by the sampler's per-tick
        check, and a fork runs the same program as its parent. The owner is read from ``/proc`` at the exec
        itself (a remembered owner could belong to a reused pid). A change of owner is queued without waking
        the loop: the program is the same (the exec that usually follows wakes it; else the next tick).
        """
        watched = self._watched
        forward = False
        for event in events:
            if event.kind == "exit" or event.tid != event.pid:
                continue  # only where the kernel took no filter: ends, and threads
            uid = event.uid if event.kind == "uid" else uid_of(event.pid)
            if uid is not None and uid in watched:
                self._pids.append((event.kind, event.pid))
                if event.kind == "uid" and not self._execs_on:
                    self.follow_execs(True)  # a child's first process: its execs from now on
                    forward = True  # and it is looked at now, in case it exec-ed before the filter changed
                forward = forward or (event.kind == "exec" and not self._nothing_to_close(event.pid))
        if lost:
            self._lost = True
            self.lost_total += 1
            forward = True
        if forward:
            self.wake.set()

    def _nothing_to_close(self, pid: int) -> bool:
        """Whether the program ``pid`` just exec-ed can need no closing: the judge allowed it, or it is one no
        rule can deny (it carries an ignore mark, so the guard was not asked)."""
        if self._allowed_by_judge(pid):
            return True
        guard = self._guard
        quiet = guard.quiet_files if guard is not None else frozenset()
        if not quiet:
            return False
        try:
            info = os.stat(f"/proc/{pid}/exe")
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in quiet

    def _allowed_by_judge(self, pid: int) -> bool:
        """Whether the guard judged this exec of ``pid`` on the rules and allowed it: then there is nothing to
        close at once, and the loop looks at the process at its next tick instead of being woken now.

        The judge answers before the kernel lets the exec go on, so its note is there before the exec's event;
        an older note (an exec the watchdog let go before the judge was done) is not trusted."""
        judged = self._judged.pop(pid, None)
        return judged is not None and time.monotonic() - judged < JUDGED_FOR

    def follow_execs(self, on: bool) -> None:
        """Ask the kernel for exec events (``on``) or only for changes of owner to a child's account.

        While no child has a process, no exec can be a child's until some process becomes a child's (a
        ``uid`` event, kept in the kernel for children's uids only): then execs are asked for again at once.
        Everyone else's execs then cost the agent nothing; the exec guard judges on-disk programs anyway.
        """
        thread = self._thread
        with self._kinds_lock:
            if on == self._execs_on or thread is None:
                return
            self._execs_on = on
            thread.source.refilter(EVENT_KINDS if on else OWNER_KINDS, self._watched)
        log.info("exec events %s", "followed" if on else "left in the kernel: no child has a process")

    def rescan(self) -> None:
        """List every process on the next ``drain`` (new rules cleared the sampler's table)."""
        self._homes.clear()
        self._lost = True
        self.wake.set()

    def drain(self, sampler: Sampler, now: float, mono: float) -> ScanResult:
        """What the kernel reported since the last call, applied to the sampler (on the loop's thread)."""
        self.wake.clear()
        if self._lost or mono - self._full_at >= SAFETY_NET:
            self._lost = False
            self._pids.clear()
            self._full_at = mono
            listed = sampler.rescan(now, mono)
            self.follow_execs(sampler.mine > 0)
            return listed
        started: dict[int, None] = {}
        ended: list[int] = []
        while self._pids:
            kind, pid = self._pids.popleft()
            if kind == "exit":
                started.pop(pid, None)
                ended.append(pid)
            else:
                started[pid] = None
        result = sampler.inspect(started, now)
        result.gone.extend(sampler.forget(ended))
        self.follow_execs(sampler.mine > 0)
        return result

    # -- the exec guard (judge thread) ---------------------------------------------------------

    def publish(self, children: Iterable[tuple[Child, ChildStatus | None]], catalog: Catalog) -> None:
        """The rules and statuses the guard judges by (called by the loop after evaluating)."""
        accounts: dict[int, _Account] = {}
        for child, status in children:
            for account in child.accounts:
                if account not in self._homes:
                    self._homes[account] = _home_of(account)
                found = self._homes[account]
                if found is not None:
                    accounts[found[0]] = _Account(child, status, found[1])
        homes = {uid: a.home for uid, a in accounts.items()}
        changed = catalog is not self._catalog or homes != {u: a.home for u, a in self._accounts.items()}
        self._catalog = catalog
        self._accounts = {uid: a for uid, a in accounts.items() if uid != 0}  # root's execs: never judged
        watched = frozenset(accounts)
        if watched != self._watched:
            self._watched = watched
            if self._thread is not None:
                with self._kinds_lock:
                    self._thread.source.keep_uids(watched)
            self.rescan()  # events of these accounts were not passed on before: list everything once
        if self._guard is not None:
            self._guard.set_watched(self._accounts.keys())
            if changed:  # what was never denied may be an app now: every program is reported again
                self._guard.forget_quiet()

    def _judge(self, request: ExecRequest) -> bool:
        account = self._accounts.get(request.uid)
        if account is None:
            return True
        verdict = self.verdict(account, request)
        request.note = verdict
        if verdict.allow and account.status is not None:  # no status yet: the loop must still look at once
            if len(self._judged) >= 1024:
                self._judged.clear()
            self._judged[request.pid] = request.received
        return verdict.allow

    def verdict(self, account: _Account, request: ExecRequest) -> ExecVerdict:
        path = request.path
        matched = self._catalog.match_process(os.path.basename(path), path, lambda: self._sha256(request))
        origin = program_origin(path, home=account.home, uid=request.uid, owner_uid=request.owner_uid())
        return may_exec(account.status, app_of(matched, origin, account.child))

    def _quiet(self, fd: int, path: str) -> bool:
        """``ExecGuard.quiet`` (marker thread): may the kernel stop reporting this program's execs?"""
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != 0:
            return False
        catalog, accounts = self._catalog, self._accounts
        matched = catalog.match_process(os.path.basename(path), path, lambda: self._digest(fd))
        homes = [a.home for a in accounts.values()]
        return never_denied(
            path, matched, owner_uid=info.st_uid, folders_root_only=root_only_folders(path), homes=homes
        )

    def _sha256(self, request: ExecRequest) -> str | None:
        return self._digest(request.fd)

    def _digest(self, fd: int) -> str | None:
        """The program's digest, remembered per file version (judge and marker threads): read once."""
        try:
            info = os.fstat(fd)
        except OSError:
            return None
        key = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
        if key not in self._hashes:
            if len(self._hashes) >= 1024:
                self._hashes.clear()
            self._hashes[key] = file_sha256(fd)
        return self._hashes[key]

    def _on_denied(self, request: ExecRequest) -> None:
        account = self._accounts.get(request.uid)
        if account is None or not isinstance(request.note, ExecVerdict):
            return
        self._denied.append(Denied(account.child.name, request.pid, request.path, request.note))
        self.wake.set()

    def take_denied(self) -> list[Denied]:
        out: list[Denied] = []
        while self._denied:
            out.append(self._denied.popleft())
        return out
