"""An incremental process table: only processes not seen before are inspected.

New processes are inspected once: owner first, and name, executable and (when a hash rule needs it) the
file's SHA-256 only for processes of accounts mapped to a child.

Finding new processes must be cheap because it runs several times a second. On Linux the kernel hands out
pids in order and ``/proc/loadavg`` names the last one, so a scan reads that one small file and looks only
at the pids handed out since the last scan: the cost follows the number of *new* processes, not all of
them. A full listing (what other systems always do) runs only every ``FULL_EVERY`` seconds, after the pid
counter wraps, or when ``/proc/loadavg`` cannot be read; it prunes processes that ended. A pid that comes
back with another creation time (reuse) is inspected afresh, and a child's young process that matched no
app is looked at again on ``refresh`` in case it ``exec``-ed into one (launchers often do).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pwd
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import psutil

from guardian.core.catalog import Catalog

log = logging.getLogger("guardian.agent")

HASH_LIMIT = 512 * 1024 * 1024
FULL_EVERY = 10.0
"""Seconds between full process listings (pruning ended processes)."""
RECHECK_AGES = (1.0, 3.0, 10.0, 30.0)
"""Ages (s) at which a child's unmatched process is looked at again, in case it exec-ed into an app."""
MAX_RANGE = 4096
"""More new pids than this since the last scan: list everything instead."""
LOADAVG = "/proc/loadavg"
"""Files larger than this are not hashed (a hash rule cannot match them)."""


@dataclass
class Proc:
    pid: int
    create_time: float
    user: str | None
    child: str | None = None
    name: str = ""
    exe: str | None = None
    app: str | None = None
    first_seen: float = 0.0
    closing_since: float | None = None
    """When the enforcer asked it to close; it is forced after a timeout."""
    rechecks: int = 0
    """How many of ``RECHECK_AGES`` have passed for this process."""

    @property
    def key(self) -> tuple[int, float]:
        return (self.pid, self.create_time)


@dataclass
class ScanResult:
    new: list[Proc] = field(default_factory=list)
    gone: list[Proc] = field(default_factory=list)


@cache
def _user_of_uid(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def last_pid() -> int | None:
    """The most recently allocated pid on Linux, or None where that cannot be read."""
    try:
        with open(LOADAVG, "rb") as fh:
            return int(fh.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def is_thread_group_leader(pid: int) -> bool:
    """A path under /proc exists for threads too; only a thread group leader is a process."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Tgid:"):
                    return int(line.split()[1]) == pid
    except (OSError, ValueError, IndexError):
        return False
    return False


def file_sha256(path: str) -> str | None:
    """SHA-256 of a file, or None when it cannot be read or is too large."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            size = 0
            while chunk := fh.read(1024 * 1024):
                size += len(chunk)
                if size > HASH_LIMIT:
                    return None
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


class Sampler:
    """Keeps the table of live processes of child accounts."""

    def __init__(
        self,
        catalog: Catalog,
        accounts: Mapping[str, str],
        *,
        pids: Callable[[], list[int]] = psutil.pids,
        newest_pid: Callable[[], int | None] = last_pid,
        hasher: Callable[[str], str | None] = file_sha256,
    ) -> None:
        self.catalog = catalog
        self.accounts = dict(accounts)
        self._pids = pids
        self._newest_pid = newest_pid
        self._hasher = hasher
        self._hashes: dict[tuple[str, int, int], str | None] = {}
        self.table: dict[int, Proc] = {}
        self.self_pid = psutil.Process().pid
        self._last: int | None = None
        self._full_at = -1e18

    def reconfigure(self, catalog: Catalog, accounts: Mapping[str, str]) -> None:
        """New rules: forget what was inferred and inspect every process again on the next scan."""
        self.catalog = catalog
        self.accounts = dict(accounts)
        self.table.clear()
        self._last = None

    def scan(self, now: float, *, mono: float | None = None) -> ScanResult:
        """Find processes started since the last scan (and, now and then, those that ended)."""
        mono = now if mono is None else mono
        newest = self._newest_pid()
        if newest is None or self._last is None or mono - self._full_at >= FULL_EVERY:
            return self._full_scan(now, mono, newest)
        if newest == self._last:
            return ScanResult()
        if not 0 < newest - self._last <= MAX_RANGE:
            return self._full_scan(now, mono, newest)  # the pid counter wrapped
        result = ScanResult()
        for pid in range(self._last + 1, newest + 1):
            if os.path.exists(f"/proc/{pid}") and is_thread_group_leader(pid):
                self._add(pid, now, result)
        self._last = newest
        return result

    def refresh(self, now: float) -> ScanResult:
        """Every tick: drop children's processes that ended; look again at young unmatched ones."""
        result = ScanResult()
        for pid, proc in list(self.table.items()):
            if proc.child is None:
                continue
            if not psutil.pid_exists(pid):
                result.gone.append(self.table.pop(pid))
            elif proc.app is None and self._recheck_due(proc, now) and self._name_changed(proc):
                self._add(pid, proc.first_seen, result)
        return result

    def _full_scan(self, now: float, mono: float, newest: int | None) -> ScanResult:
        result = ScanResult()
        current = set(self._pids())
        for pid in list(self.table):
            if pid not in current:
                result.gone.append(self.table.pop(pid))
        for pid in current - self.table.keys():
            self._add(pid, now, result)
        self._last = newest
        self._full_at = mono
        return result

    def _add(self, pid: int, now: float, result: ScanResult) -> None:
        old = self.table.pop(pid, None)
        proc = self._inspect(pid, now)
        if proc is None:
            if old is not None:
                result.gone.append(old)
            return
        if old is not None and old.create_time == proc.create_time and old.app == proc.app:
            old.name, old.exe = proc.name, proc.exe
            self.table[pid] = old  # the same process, seen again: keep its state
            return
        if old is not None:
            result.gone.append(old)
        self.table[pid] = proc
        if proc.child is not None:
            result.new.append(proc)

    @staticmethod
    def _recheck_due(proc: Proc, now: float) -> bool:
        if proc.rechecks >= len(RECHECK_AGES) or now - proc.first_seen < RECHECK_AGES[proc.rechecks]:
            return False
        proc.rechecks += 1
        return True

    def _name_changed(self, proc: Proc) -> bool:
        """Cheap on Linux (one small read); exec changes the short name the kernel keeps."""
        try:
            with open(f"/proc/{proc.pid}/comm", "rb") as fh:
                comm = fh.read().strip().decode(errors="replace")
            return not proc.name.startswith(comm)
        except OSError:
            try:
                return psutil.Process(proc.pid).name() != proc.name
            except psutil.Error:
                return False

    def child_procs(self, child: str) -> list[Proc]:
        return [p for p in self.table.values() if p.child == child]

    def _inspect(self, pid: int, now: float) -> Proc | None:
        if pid == self.self_pid:
            return None
        try:
            process = psutil.Process(pid)
            create_time = process.create_time()
            user = _user_of_uid(process.uids().real) if hasattr(process, "uids") else process.username()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return Proc(pid, 0.0, None, first_seen=now)
        proc = Proc(pid, create_time, user, first_seen=now)
        child = self.accounts.get(user or "")
        if child is None:
            return proc  # not a child's process: never inspected further, never touched
        proc.child = child
        try:
            proc.name = process.name()
        except psutil.Error:
            return proc
        try:
            proc.exe = process.exe() or None
        except psutil.Error:
            proc.exe = None
        proc.app = self.catalog.match_process(proc.name, proc.exe, self._hash_of(proc.exe))
        return proc

    def _hash_of(self, exe: str | None) -> Callable[[], str | None] | None:
        if exe is None or not self.catalog.needs_hash:
            return None

        def lazy() -> str | None:
            try:
                info = os.stat(exe)
            except OSError:
                return None
            key = (exe, info.st_mtime_ns, info.st_size)  # a file replaced at the same path is hashed again
            if key not in self._hashes:
                self._hashes[key] = self._hasher(exe)
            return self._hashes[key]

        return lazy
