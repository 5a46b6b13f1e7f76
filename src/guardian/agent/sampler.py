"""An incremental process table: only processes not seen before are inspected.

New processes are inspected once: owner first, and name, executable and (when a hash rule needs it) the
file's SHA-256 only for processes of accounts mapped to a child.

Finding new processes must be cheap because it runs several times a second. On Linux the kernel hands out
pids in order and ``/proc/loadavg`` names the last one, so a scan reads that one small file and looks only
at the pids handed out since the last scan: the cost follows the number of *new* processes, not all of
them. Each new pid costs one read of ``/proc/<pid>/status`` (thread or process, real owner, short name);
only a child's process is looked at further. A full listing (what other systems always do) runs only
every ``FULL_EVERY`` seconds, after the pid counter wraps, or when ``/proc/loadavg`` cannot be read; it
prunes processes that ended. A pid handed out again (reuse) ends the process that had it and is inspected
afresh.

Every tick each of a child's processes that ``exec``-ed (same pid, new program: a launcher that becomes
the game, at any age) is inspected afresh. Where the kernel's process events can be read (the agent
running as root on Linux, ``proc_events``) only the pids it names are looked at; otherwise every child
process is checked with one ``readlink`` of ``/proc/<pid>/exe`` (no file opened; it also tells that the
process ended). The short
name cannot tell: the kernel keeps 15 characters, so a wrapper named ``game-launcher`` and the ``game``
it execs can share it. Where there is no ``/proc`` (macOS, Windows) a child's unmatched processes are
looked at again at a few ages instead (``RECHECK_AGES``).
"""

from __future__ import annotations

import contextlib
import errno
import heapq
import logging
import os
import pwd
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import psutil

from guardian.agent.proc_events import ExecEvents
from guardian.core.catalog import Catalog
from guardian.core.hashing import file_sha256

log = logging.getLogger("guardian.agent")

FULL_EVERY = 10.0
"""Seconds between full process listings (pruning ended processes)."""
RECHECK_AGES = (1.0, 3.0, 10.0, 30.0)
"""Without ``/proc``: ages (s) at which a child's unmatched process is looked at again for an exec."""
MAX_RANGE = 4096
"""More new pids than this since the last scan: list everything instead."""
LOADAVG = "/proc/loadavg"
HAS_PROC = os.path.isdir("/proc/self")


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
    """How many of ``RECHECK_AGES`` have passed for this process (only where there is no ``/proc``)."""
    link: str | None = None
    """``/proc/<pid>/exe`` as read when inspected: a different reading later means the process exec-ed."""
    link_path: str = field(init=False, default="", repr=False)

    @property
    def key(self) -> tuple[int, float]:
        return (self.pid, self.create_time)

    def __post_init__(self) -> None:
        self.link_path = f"/proc/{self.pid}/exe"


@dataclass
class ScanResult:
    new: list[Proc] = field(default_factory=list)
    gone: list[Proc] = field(default_factory=list)


@dataclass(frozen=True)
class Status:
    """What one read of ``/proc/<pid>/status`` tells: thread group, real owner, short name."""

    tgid: int
    uid: int
    name: str


def read_status(pid: int) -> Status | None:
    """``/proc/<pid>/status`` parsed; None when it is gone or unreadable (or not Linux)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            text = fh.read(1024)
    except OSError as exc:
        if exc.errno in OUT_OF_FILES:
            raise OutOfFiles(exc.errno, exc.strerror) from exc
        return None
    tgid = uid = -1
    name = ""
    for line in text.split(b"\n"):
        if line.startswith(b"Name:"):
            name = line[5:].strip().decode(errors="replace")
        elif line.startswith(b"Tgid:"):
            tgid = int(line.split()[1])
        elif line.startswith(b"Uid:"):
            uid = int(line.split()[1])
            break  # Name, Tgid and Uid come in this order, first in the file
    if tgid < 0 or uid < 0:
        return None
    return Status(tgid, uid, name)


COMM_LEN = 15
"""The kernel keeps at most this many characters of a process's name (``comm``)."""


def start_ticks(pid: int) -> float | None:
    """When ``pid`` started, in clock ticks since boot (field 22 of ``/proc/<pid>/stat``)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            text = fh.read()
        return float(text[text.rindex(b")") + 2 :].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def read_link(pid: int) -> str | None:
    """``/proc/<pid>/exe`` as the kernel gives it (one syscall, no file opened); None when unreadable."""
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def exe_path(link: str | None) -> str | None:
    """The executable a ``read_link`` reading names (`` (deleted)`` dropped when the file is gone)."""
    if link is None:
        return None
    exe = link
    if exe.endswith(" (deleted)") and not os.path.exists(exe):
        exe = exe[: -len(" (deleted)")]
    return exe or None


def exe_link(pid: int) -> str | None:
    """The executable behind ``/proc/<pid>/exe``; None when it cannot be read."""
    return exe_path(read_link(pid))


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` still exists; one syscall on POSIX (reuse is caught by the scans)."""
    if os.name != "posix":
        return bool(psutil.pid_exists(pid))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@cache
def _user_of_uid(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def bare_account(name: str) -> str:
    """``DOMAIN\\user`` (how Windows names a process owner) → ``user``, as family files and sessions name it."""
    return name.rpartition("\\")[2]


class OutOfFiles(OSError):
    """The process may open no more files (EMFILE, ENFILE): try again later, forget nothing."""


OUT_OF_FILES = (errno.EMFILE, errno.ENFILE)
_loadavg_fd: int | None = None


def last_pid() -> int | None:
    """The most recently allocated pid on Linux, or None where that cannot be read.

    The file stays open and is re-read in place, so this works even when the agent may open no more
    files (a flood of connections)."""
    global _loadavg_fd
    try:
        if _loadavg_fd is None:
            _loadavg_fd = os.open(LOADAVG, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        return int(os.pread(_loadavg_fd, 128, 0).split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Sampler:
    """Keeps the table of live processes; inspects only children's processes beyond their owner."""

    def __init__(
        self,
        catalog: Catalog,
        accounts: Mapping[str, str],
        *,
        pids: Callable[[], list[int]] = psutil.pids,
        newest_pid: Callable[[], int | None] = last_pid,
        hasher: Callable[[str], str | None] = file_sha256,
        exec_events: ExecEvents | None = None,
    ) -> None:
        self.catalog = catalog
        self.accounts = dict(accounts)
        self._pids = pids
        self._newest_pid = newest_pid
        self._hasher = hasher
        self.exec_events = exec_events
        """The kernel's exec notices (root on Linux): then only the pids that exec-ed are looked at."""
        self.execs_elsewhere = False
        """Process events (``agent/exec_watch.py``) inspect each exec as it happens: ``refresh`` looks for none."""
        self._hashes: dict[tuple[str, int, int], str | None] = {}
        self.table: dict[int, Proc] = {}
        self.watched: dict[int, Proc] = {}
        """Children's processes that are an app: credited and enforced every tick."""
        self.kids: dict[int, Proc] = {}
        """Every process of a child's account: checked for an exec every tick."""
        self._young: list[tuple[float, int, float]] = []
        """Heap of (when to look again, pid, create time) for children's unmatched processes."""
        self.mine = 0
        """How many processes in the table belong to a child account."""
        self.self_pid = os.getpid()
        self._last: int | None = None
        self._full_at = -1e18
        self.classify: Callable[[Proc], str | None] | None = None
        """What a child's process no catalog app matches counts as (programs a child brings in)."""

    def reconfigure(self, catalog: Catalog, accounts: Mapping[str, str]) -> None:
        """New rules: forget what was inferred and inspect every process again on the next scan."""
        self.catalog = catalog
        self.accounts = dict(accounts)
        self.table.clear()
        self.watched.clear()
        self.kids.clear()
        self._young.clear()
        self.mine = 0
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
            try:
                status = read_status(pid)
            except OutOfFiles:
                log.warning("no file descriptors left to inspect new processes; trying again")
                return result  # these pids are looked at again next scan
            if status is None or status.tgid != pid:
                old = self._drop(pid)  # handed out again (as a thread, or gone already): the old one ended
                if old is not None:
                    result.gone.append(old)
            else:
                self._add(pid, now, result, status)
            self._last = pid
        return result

    def refresh(self, now: float) -> ScanResult:
        """Every tick: notice a child's process that exec-ed (a new program) or ended.

        With ``/proc`` every child process is checked (one ``readlink`` each); elsewhere apps are checked
        for having ended and young unmatched processes are looked at again at their ``RECHECK_AGES``.
        """
        result = ScanResult()
        if HAS_PROC:
            if self.execs_elsewhere:
                execs: set[int] | None = set()
            else:
                execs = self.exec_events.drain() if self.exec_events is not None else None
            if execs is None:  # every child process whose program can be read; that also tells it ended
                self._check_execs(now, result, [pid for pid, p in self.kids.items() if p.link is not None])
                ended = [pid for pid, p in self.watched.items() if p.link is None and not pid_alive(pid)]
            else:
                self._check_execs(now, result, [pid for pid in execs if pid in self.kids])
                ended = [pid for pid in self.watched if not pid_alive(pid)]
            for pid in ended:
                dropped = self._drop(pid)
                if dropped is not None:
                    result.gone.append(dropped)
            return result
        for pid in [pid for pid in self.watched if not pid_alive(pid)]:
            dropped = self._drop(pid)
            if dropped is not None:
                result.gone.append(dropped)
        while self._young and self._young[0][0] <= now:
            _, pid, created = heapq.heappop(self._young)
            proc = self.table.get(pid)
            if proc is None or proc.create_time != created or proc.app is not None:
                continue  # ended, replaced, or already known as an app
            proc.rechecks += 1
            if self._name_changed(proc):
                self._add(pid, proc.first_seen, result, None)
            else:
                self._queue(proc)
        return result

    def _check_execs(self, now: float, result: ScanResult, pids: list[int]) -> None:
        changed: list[int] = []
        readlink = os.readlink
        kids = self.kids
        for pid in pids:
            proc = kids[pid]
            try:
                if readlink(proc.link_path) == proc.link:
                    continue
            except OSError:
                if proc.link is None and pid_alive(pid):
                    continue  # its program cannot be read (yet it exec-ed, says the kernel): keep it
            changed.append(pid)
        for pid in changed:
            proc = self.table[pid]
            if not pid_alive(pid):
                dropped = self._drop(pid)
                if dropped is not None:
                    result.gone.append(dropped)
                continue
            try:
                self._add(pid, proc.first_seen, result, read_status(pid))
            except OutOfFiles:
                return  # looked at again next tick (its link still differs)

    def inspect(self, pids: Iterable[int], now: float) -> ScanResult:
        """Processes the kernel just reported started or exec-ed (process events): each inspected afresh."""
        result = ScanResult()
        for pid in pids:
            status = read_status(pid)
            if status is not None and status.tgid == pid:
                self._add(pid, now, result, status)
        return result

    def forget(self, pids: Iterable[int]) -> list[Proc]:
        """Processes the kernel reported ended."""
        return [proc for pid in pids if (proc := self._drop(pid)) is not None]

    def rescan(self, now: float, mono: float) -> ScanResult:
        """List every process now (the safety net behind process events)."""
        return self._full_scan(now, mono, self._newest_pid())

    def child_apps(self, child: str) -> list[Proc]:
        """``child``'s processes that are an app."""
        return [p for p in self.watched.values() if p.child == child and p.app is not None]

    def apps(self) -> list[Proc]:
        """Every child's processes that are an app."""
        return [p for p in self.watched.values() if p.app is not None]

    def _full_scan(self, now: float, mono: float, newest: int | None) -> ScanResult:
        result = ScanResult()
        try:
            current = set(self._pids())
        except OSError as exc:  # no descriptor left to list /proc: keep what is known, try again
            log.warning("cannot list processes (%s); trying again", exc)
            return result
        for pid in [pid for pid in self.table if pid not in current]:
            dropped = self._drop(pid)
            if dropped is not None:
                result.gone.append(dropped)
        try:
            for pid in current - self.table.keys():
                self._add(pid, now, result, read_status(pid))
        except OutOfFiles:
            log.warning("no file descriptors left to inspect new processes; trying again")
            return result
        self._last = newest
        self._full_at = mono
        return result

    def _drop(self, pid: int) -> Proc | None:
        proc = self.table.pop(pid, None)
        self.watched.pop(pid, None)
        self.kids.pop(pid, None)
        if proc is not None and proc.child is not None:
            self.mine -= 1
        return proc

    def _put(self, proc: Proc) -> None:
        self.table[proc.pid] = proc
        if proc.child is not None:
            self.mine += 1
            self.kids[proc.pid] = proc
            if proc.app is not None:
                self.watched[proc.pid] = proc
            elif not HAS_PROC:
                self._queue(proc)

    def _queue(self, proc: Proc) -> None:
        """Look at an unmatched process again at its next recheck age, if any is left."""
        if proc.rechecks < len(RECHECK_AGES):
            due = proc.first_seen + RECHECK_AGES[proc.rechecks]
            heapq.heappush(self._young, (due, proc.pid, proc.create_time))

    def _add(self, pid: int, now: float, result: ScanResult, status: Status | None) -> None:
        old = self._drop(pid)
        proc = self._inspect(pid, now, status)
        if proc is None:
            if old is not None:
                result.gone.append(old)
            return
        same = old is not None and (old.create_time, old.user) == (proc.create_time, proc.user)
        if old is not None and same and proc.link is None and old.link is not None:
            old.link = None  # the same process, its program no longer readable: it is ending (a zombie)
            self._put(old)
            return
        if old is not None and same and old.app == proc.app:
            old.name, old.exe, old.link = proc.name, proc.exe, proc.link
            self._put(old)  # the same process, seen again: keep its state
            return
        if old is not None:
            result.gone.append(old)
        self._put(proc)
        if proc.child is not None:
            result.new.append(proc)

    def _name_changed(self, proc: Proc) -> bool:
        """Without ``/proc``: whether the process now runs under another name (it exec-ed)."""
        try:
            return bool(psutil.Process(proc.pid).name() != proc.name)
        except psutil.Error:
            return False

    def _owner(self, pid: int, status: Status | None) -> tuple[str | None, psutil.Process | None] | None:
        """The process's account, from ``status`` when given (no psutil call), else from psutil."""
        if status is not None:
            return _user_of_uid(status.uid), None
        try:
            process = psutil.Process(pid)
            user = (
                _user_of_uid(process.uids().real)
                if hasattr(process, "uids")
                else bare_account(process.username())
            )
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return None, None
        return user, process

    def _inspect(self, pid: int, now: float, status: Status | None) -> Proc | None:
        if pid == self.self_pid:
            return None
        owner = self._owner(pid, status)
        if owner is None:
            return None
        user, process = owner
        child = self.accounts.get(user or "")
        if child is None:
            # not a child's process: never inspected further, never touched
            return Proc(pid, 0.0, user, first_seen=now)
        if status is not None:
            proc = self._details_from_proc(pid, now, user, child, status)
        else:
            proc = self._details_from_psutil(pid, now, user, child, process)
        if proc is not None and proc.name:
            proc.app = self.catalog.match_process(proc.name, proc.exe, self._hash_of(proc.exe))
            if proc.app is None and self.classify is not None:
                proc.app = self.classify(proc)
        return proc

    def _details_from_proc(
        self, pid: int, now: float, user: str | None, child: str, status: Status
    ) -> Proc | None:
        """Linux: start time, name and executable from two small reads of ``/proc``."""
        created = start_ticks(pid)
        if created is None:
            return None
        link = read_link(pid)
        proc = Proc(pid, created, user, child=child, first_seen=now, name=status.name, exe=exe_path(link))
        proc.link = link
        if proc.exe is None and len(status.name) >= COMM_LEN:  # cut short, and no path to match
            with contextlib.suppress(psutil.Error):
                proc.name = psutil.Process(pid).name()
        return proc

    def _details_from_psutil(
        self, pid: int, now: float, user: str | None, child: str, process: psutil.Process | None
    ) -> Proc | None:
        try:
            process = process or psutil.Process(pid)
            create_time = process.create_time()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return Proc(pid, 0.0, user, first_seen=now)
        proc = Proc(pid, create_time, user, child=child, first_seen=now)
        try:
            proc.name = process.name()
        except psutil.Error:
            return proc
        try:
            proc.exe = process.exe() or None
        except psutil.Error:
            proc.exe = None
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
