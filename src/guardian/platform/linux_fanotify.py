"""Deny an exec before the program runs: Linux ``fanotify`` with ``FAN_OPEN_EXEC_PERM`` (root only).

The kernel holds every ``execve`` of a file on a marked filesystem until this group answers ``FAN_ALLOW`` or
``FAN_DENY``; a denied ``execve`` fails with ``EPERM`` and the program never runs an instruction. Because a
held exec stalls whoever made it, the guard is built never to stall the machine:

* a *reader* thread reads events and answers at once every exec not made by a watched account (the real
  uid of the event's pid): only children's execs wait for a judgement;
* a *judge* thread asks ``judge(request)`` about a child's exec; an exception, an unknown pid or uid, or
  anything unexpected is an allow;
* a *watchdog* answers ``FAN_ALLOW`` for any event still pending after ``deadline`` seconds (a slow hash,
  a judge stuck on a lock), so no exec waits longer than that;
* when the process dies (even ``kill -9``) the kernel drops the group and its marks, and every exec runs.

Most execs on a machine are of ordinary programs (a shell, ``ls``, the ELF interpreter every dynamic program
opens) that no rule can ever deny. When the caller says so (``quiet``: a predicate over the program file),
such a file gets an *ignore mark* on its inode (``FAN_MARK_IGNORED_MASK``), and the kernel stops reporting
its execs at all: no wake, no wait, for anyone. A write to the file clears the mark (no
``FAN_MARK_IGNORED_SURV_MODIFY``: new content is judged again); ``forget_quiet`` drops every ignore mark
(new rules), and so does the group's end.

Marks are whole filesystems (``FAN_MARK_FILESYSTEM``, falling back to ``FAN_MARK_MOUNT``) holding the
places programs live: ``/``, ``/usr``, ``/home``, ``/tmp``, ``/var/tmp``, ``/dev/shm``, ``/opt``, removable
media, as present. A program run from memory (``memfd``) lives on no marked filesystem: the process events
(``linux_procevents``) catch it right after its exec instead. Only ``ctypes`` from the standard library.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import platform
import queue
import select
import struct
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from guardian.platform.linux_procevents import uid_of

log = logging.getLogger("guardian.platform")

FAN_CLOEXEC = 0x00000001
FAN_NONBLOCK = 0x00000002
FAN_CLASS_CONTENT = 0x00000004
FAN_UNLIMITED_QUEUE = 0x00000010
FAN_MARK_ADD = 0x00000001
FAN_MARK_REMOVE = 0x00000002
FAN_MARK_MOUNT = 0x00000010
FAN_MARK_IGNORED_MASK = 0x00000020
FAN_MARK_FLUSH = 0x00000080
FAN_MARK_FILESYSTEM = 0x00000100
FAN_OPEN_EXEC_PERM = 0x00040000
FAN_ALLOW = 0x01
FAN_DENY = 0x02
FAN_NOFD = -1
FANOTIFY_METADATA_VERSION = 3
O_LARGEFILE = 0o100000 if platform.machine() in ("x86_64", "AMD64", "i686", "i386") else 0o400000
AT_FDCWD = -100

_METADATA = struct.Struct("=IBBHQii")  # event_len, vers, reserved, metadata_len, mask, fd, pid
_RESPONSE = struct.Struct("=iI")  # fd, response

PROGRAM_PLACES = (
    "/",
    "/usr",
    "/home",
    "/tmp",
    "/var/tmp",
    "/dev/shm",
    "/opt",
    "/media",
    "/run/media",
    "/snap",
)
"""Where programs live; the filesystem holding each one present is marked."""
SWITCH_INTERVAL = 0.0005
"""Seconds another thread may keep the interpreter before the reader gets it (Python's default is 5 ms,
which every exec on the machine could wait)."""
DEADLINE = 0.25
"""Seconds a child's exec may wait for a judgement before it is allowed anyway."""
QUIET_MAX = 4096
"""Ignore marks at most (each pins an inode in the kernel's cache); past it, execs are reported again."""
QUIET_BACKLOG = 256
"""Program files waiting to be considered for an ignore mark at most; more are simply not considered."""


class ExecGuardUnavailable(OSError):
    """fanotify permission events cannot be used here (not Linux, not root, or not in the kernel)."""


@dataclass
class ExecRequest:
    """A child's exec waiting for an answer. ``path`` is the program file as the kernel opened it."""

    pid: int
    uid: int
    path: str
    fd: int
    received: float
    """``time.monotonic()`` when the event was read."""
    note: object = None
    """What the judge found (for ``on_denied``)."""

    def sha256(self) -> str | None:
        """The program's SHA-256, read through the event's own descriptor (no second open, no event)."""
        return file_sha256(self.fd)

    def owner_uid(self) -> int | None:
        try:
            return os.fstat(self.fd).st_uid
        except OSError:
            return None


def file_sha256(fd: int) -> str | None:
    """SHA-256 of the file open as ``fd``, read with ``pread`` (the descriptor's offset is left alone)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        offset = 0
        while True:
            chunk = os.pread(fd, 1 << 20, offset)
            if not chunk:
                break
            digest.update(chunk)
            offset += len(chunk)
    except OSError:
        return None
    return digest.hexdigest()


Judge = Callable[[ExecRequest], bool]
"""True: let the exec run. Runs on the judge thread; must be quick and must not exec anything."""
Quiet = Callable[[int, str], bool]
"""``quiet(fd, path)``: True when no rule can deny the program file open as ``fd`` to anyone, until the
next ``forget_quiet``. Runs on the marker thread, after the exec was answered."""


@dataclass
class GuardStats:
    allowed_fast: int = 0
    judged: int = 0
    denied: int = 0
    errors: int = 0
    timed_out: int = 0
    quiet: int = 0
    """Program files whose execs the kernel no longer reports (ignore marks in place now)."""
    marks: list[str] = field(default_factory=list)


def _libc() -> ctypes.CDLL:
    name = ctypes.util.find_library("c") or "libc.so.6"
    libc = ctypes.CDLL(name, use_errno=True)
    libc.fanotify_init.argtypes = [ctypes.c_uint, ctypes.c_uint]
    libc.fanotify_init.restype = ctypes.c_int
    libc.fanotify_mark.argtypes = [
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint64,
        ctypes.c_int,
        ctypes.c_char_p,
    ]
    libc.fanotify_mark.restype = ctypes.c_int
    return libc


def program_filesystems(places: Iterable[str] = PROGRAM_PLACES) -> list[str]:
    """One present path per distinct filesystem among ``places`` (so each is marked once)."""
    chosen: list[str] = []
    seen: set[int] = set()
    for place in places:
        try:
            dev = os.stat(place).st_dev
        except OSError:
            continue
        if dev not in seen:
            seen.add(dev)
            chosen.append(place)
    return chosen


class ExecGuard:
    """Answers ``FAN_OPEN_EXEC_PERM`` for the whole machine; judges only the execs of ``watched`` uids."""

    def __init__(
        self,
        judge: Judge,
        watched: Collection[int] = (),
        *,
        places: Iterable[str] = PROGRAM_PLACES,
        deadline: float = DEADLINE,
        on_denied: Callable[[ExecRequest], None] | None = None,
        quiet: Quiet | None = None,
    ) -> None:
        self.judge = judge
        self.quiet = quiet
        self.watched: frozenset[int] = frozenset(watched)
        self.places = tuple(places)
        self.deadline = deadline
        self.on_denied = on_denied
        self.stats = GuardStats()
        self._fd = -1
        self._stop = threading.Event()
        self._pending: dict[int, ExecRequest] = {}
        self._waiting = threading.Event()
        """Set while some exec waits for the judge (the watchdog sleeps otherwise)."""
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[ExecRequest | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._wake_r, self._wake_w = -1, -1
        self._libc: ctypes.CDLL | None = None
        self._marker: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self._mark_lock = threading.Lock()
        self._generation = 0
        """Bumped by ``forget_quiet``: a decision taken before it is not applied."""
        self._loud: set[tuple[int, int]] = set()
        """Files (device, inode) found not quiet since the last ``forget_quiet``: not considered again."""
        self.quiet_files: frozenset[tuple[int, int]] = frozenset()
        """Files (device, inode) with an ignore mark now: programs no rule can deny (replaced, never changed
        in place, so other threads may read it without a lock)."""

    def set_watched(self, uids: Collection[int]) -> None:
        """Which accounts' execs are judged (replaced at once; the reader reads it without a lock)."""
        self.watched = frozenset(uids)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> ExecGuard:
        try:
            libc = _libc()
        except (OSError, AttributeError) as exc:
            raise ExecGuardUnavailable(errno.ENOSYS, f"no fanotify in the C library: {exc}") from exc
        fd = libc.fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, os.O_RDONLY | O_LARGEFILE)
        if fd < 0:
            err = ctypes.get_errno()
            raise ExecGuardUnavailable(err, f"fanotify_init: {os.strerror(err)}")
        self._fd = fd
        self._libc = libc
        self._wake_r, self._wake_w = os.pipe()
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)  # the reader gets the interpreter soon after an exec
        for name, target in (
            ("reader", self._read_loop),
            ("judge", self._judge_loop),
            ("watchdog", self._watch),
            ("marker", self._mark_loop),
        ):
            thread = threading.Thread(target=target, name=f"guardian-exec-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        try:
            for place in program_filesystems(self.places):
                if not self._mark(libc, place):
                    raise ExecGuardUnavailable(ctypes.get_errno(), f"cannot mark {place}")
        except Exception:
            self.stop()
            raise
        return self

    def _mark(self, libc: ctypes.CDLL, place: str) -> bool:
        for how in (FAN_MARK_FILESYSTEM, FAN_MARK_MOUNT):
            rc = libc.fanotify_mark(
                self._fd, FAN_MARK_ADD | how, FAN_OPEN_EXEC_PERM, AT_FDCWD, place.encode()
            )
            if rc == 0:
                self.stats.marks.append(place)
                return True
        return False

    def stop(self) -> None:
        """Answer everything pending with allow and close the group (the kernel lets every exec run)."""
        self._stop.set()
        self._waiting.set()
        self._queue.put(None)
        self._marker.put(None)
        if self._wake_w >= 0:
            os.write(self._wake_w, b"x")
        for thread in self._threads:
            thread.join(timeout=2.0)
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
        for request in pending:
            self._respond(request.fd, FAN_ALLOW)
        while not self._marker.empty():
            left = self._marker.get_nowait()
            if left is not None:
                _close(left)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    # -- answering -----------------------------------------------------------------------------

    def _respond(self, fd: int, answer: int, *, then_consider: bool = False) -> None:
        """Answer the event of ``fd``; then close ``fd``, or hand an allowed program to the marker."""
        try:
            os.write(self._fd, _RESPONSE.pack(fd, answer))
        except OSError as exc:
            if exc.errno != errno.ENOENT:  # ENOENT: already answered
                log.warning("fanotify answer failed: %s", exc)
            then_consider = False
        finally:
            if then_consider and answer == FAN_ALLOW and self._worth_considering(fd):
                self._marker.put(fd)  # the marker closes it
            else:
                _close(fd)

    def _worth_considering(self, fd: int) -> bool:
        if self.quiet is None or self._marker.qsize() >= QUIET_BACKLOG or self.stats.quiet >= QUIET_MAX:
            return False
        try:
            info = os.fstat(fd)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) not in self._loud

    def _settle(self, request: ExecRequest, allow: bool) -> bool:
        """Answer ``request`` unless someone else (the watchdog) already did; True when this call did."""
        with self._lock:
            if self._pending.get(request.fd) is not request:
                return False  # answered by the watchdog; its fd number may already hold another exec
            del self._pending[request.fd]
        self._respond(request.fd, FAN_ALLOW if allow else FAN_DENY, then_consider=allow)
        return True

    # -- ignore marks ----------------------------------------------------------------------------

    def forget_quiet(self) -> None:
        """Drop every ignore mark (the rules changed): each program's next exec is reported again."""
        with self._mark_lock:
            self._generation += 1
            self._loud = set()
            self.quiet_files = frozenset()
            libc = self._libc if self._fd >= 0 and self.stats.quiet else None
            # no mount/filesystem flag: only inode marks go, the filesystem marks stay
            if libc is not None and libc.fanotify_mark(self._fd, FAN_MARK_FLUSH, 0, AT_FDCWD, None) != 0:
                log.warning("dropping ignore marks failed: %s", os.strerror(ctypes.get_errno()))
            self.stats.quiet = 0

    def _mark_loop(self) -> None:
        while True:
            fd = self._marker.get()
            if fd is None:
                return
            try:
                self._consider(fd)
            except Exception:
                self.stats.errors += 1
                log.exception("considering an ignore mark failed")
            finally:
                _close(fd)

    def _consider(self, fd: int) -> None:
        """Put an ignore mark on the program open as ``fd`` when ``quiet`` says no rule can deny it."""
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        generation = self._generation
        if key in self._loud or self._stop.is_set() or self.quiet is None:
            return
        path = os.readlink(f"/proc/self/fd/{fd}")
        quiet = self.quiet(fd, path)
        with self._mark_lock:
            if generation != self._generation or self._libc is None or self._fd < 0:
                return  # the rules changed meanwhile: decided on old rules
            if not quiet:
                self._loud.add(key)
                return
            flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK
            if self._libc.fanotify_mark(self._fd, flags, FAN_OPEN_EXEC_PERM, fd, None) == 0:
                self.stats.quiet += 1
                self.quiet_files = self.quiet_files | {key}
            else:
                self._loud.add(key)
                log.debug("no ignore mark on %s: %s", path, os.strerror(ctypes.get_errno()))

    # -- threads -------------------------------------------------------------------------------

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._fd, self._wake_r], [], [], 1.0)
                if self._fd in ready:
                    self._read_events()
            except Exception:
                self.stats.errors += 1
                log.exception("reading exec permission events failed")
                self._stop.wait(0.05)

    def _read_events(self) -> None:
        try:
            data = os.read(self._fd, 64 * _METADATA.size)
        except BlockingIOError:
            return
        offset = 0
        while offset + _METADATA.size <= len(data):
            event_len, vers, _r, _mlen, mask, fd, pid = _METADATA.unpack_from(data, offset)
            if event_len < _METADATA.size:
                break
            offset += event_len
            if fd == FAN_NOFD or fd < 0:
                continue
            if vers != FANOTIFY_METADATA_VERSION or not mask & FAN_OPEN_EXEC_PERM:
                self._respond(fd, FAN_ALLOW)
                continue
            self._triage(fd, pid)

    def _triage(self, fd: int, pid: int) -> None:
        """Allow at once unless the exec is a watched account's; queue that one for the judge."""
        watched = self.watched
        uid = uid_of(pid) if watched else None
        if uid is None or uid not in watched:
            self.stats.allowed_fast += 1
            self._respond(fd, FAN_ALLOW, then_consider=True)
            return
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            self._respond(fd, FAN_ALLOW)
            return
        request = ExecRequest(pid=pid, uid=uid, path=path, fd=fd, received=time.monotonic())
        with self._lock:
            self._pending[fd] = request
            self._waiting.set()
        self._queue.put(request)

    def _judge_loop(self) -> None:
        while True:
            request = self._queue.get()
            if request is None or self._stop.is_set():
                return
            with self._lock:
                if self._pending.get(request.fd) is not request:
                    continue  # the watchdog answered already
            allow = True
            try:
                allow = bool(self.judge(request))
            except Exception:
                self.stats.errors += 1
                log.exception("judging an exec failed: allowed")
                allow = True
            self.stats.judged += 1
            if self._settle(request, allow) and not allow:
                self.stats.denied += 1
                if self.on_denied is not None:
                    try:
                        self.on_denied(request)
                    except Exception:
                        log.exception("reporting a denied exec failed")

    def _watch(self) -> None:
        """Allow whatever waited ``deadline``; asleep while nothing waits (no cost on an idle machine)."""
        while not self._stop.is_set():
            self._waiting.wait()
            with self._lock:
                oldest = min((r.received for r in self._pending.values()), default=None)
                if oldest is None:
                    self._waiting.clear()
                    continue
            due = oldest + self.deadline - time.monotonic()
            if due > 0 and self._stop.wait(due):
                return
            cutoff = time.monotonic() - self.deadline
            with self._lock:
                late = [r for r in self._pending.values() if r.received <= cutoff]
                for request in late:
                    del self._pending[request.fd]
            for request in late:
                self.stats.timed_out += 1
                log.warning(
                    "an exec by uid %s waited %.0f ms for a judgement: allowed",
                    request.uid,
                    self.deadline * 1000,
                )
                self._respond(request.fd, FAN_ALLOW)


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
