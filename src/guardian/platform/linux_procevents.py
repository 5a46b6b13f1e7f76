"""Linux process events from the kernel's process connector (netlink ``NETLINK_CONNECTOR``, ``CN_IDX_PROC``).

A root process subscribes once (``PROC_CN_MCAST_LISTEN``) and the kernel then sends a message for every
fork, exec and exit on the machine, as it happens: a late ``exec`` in an old process and a program run from
memory (``memfd``) are reported like any other. Struct layouts follow ``linux/cn_proc.h`` and
``linux/connector.h``; only the standard library is used (``socket`` and ``struct``).

When the socket's receive buffer overflows the kernel drops messages and the next receive fails with
``ENOBUFS``: :attr:`ProcEvents.lost` is then set, and the caller must list every process again (a full
rescan). Non-root callers get :class:`ProcEventsUnavailable` from :meth:`ProcEvents.open`.

:class:`ProcEventThread` reads on a thread of its own and hands batches to a callback, so the agent's loop
only has to wait on an event; :meth:`ProcEvents.fileno` is there for callers who prefer ``select``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import select
import socket
import struct
import sys
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass

from guardian.platform import linux_bpf

log = logging.getLogger("guardian.platform")

NETLINK_CONNECTOR = 11
CN_IDX_PROC = 1
CN_VAL_PROC = 1
PROC_CN_MCAST_LISTEN = 1
PROC_CN_MCAST_IGNORE = 2
NLMSG_DONE = 3
NLMSG_ERROR = 2

PROC_EVENT_NONE = 0x00000000
PROC_EVENT_FORK = 0x00000001
PROC_EVENT_EXEC = 0x00000002
PROC_EVENT_UID = 0x00000004
PROC_EVENT_COMM = 0x00000200
PROC_EVENT_EXIT = 0x80000000

_NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
_CN_MSG = struct.Struct("=IIIIHH")  # idx, val, seq, ack, len, flags
_EVENT_HEAD = struct.Struct("=IIQ")  # what, cpu, timestamp_ns
_FORK = struct.Struct("=iiii")  # parent_pid, parent_tgid, child_pid, child_tgid
_EXEC = struct.Struct("=ii")  # process_pid, process_tgid
_EXIT = struct.Struct("=iiII")  # process_pid, process_tgid, exit_code, exit_signal
_ID = struct.Struct("=iiII")  # process_pid, process_tgid, ruid (or rgid), euid (or egid)
_OP = struct.Struct("=I")

RCVBUF = 4 * 1024 * 1024
"""Receive buffer asked for (root may exceed ``rmem_max``): a burst of thousands of events fits."""

Kind = str
"""``"fork"``, ``"exec"``, ``"uid"`` (the real or effective uid changed) or ``"exit"``."""


class ProcEventsUnavailable(OSError):
    """The process connector cannot be used here (not Linux, not root, or no connector in the kernel)."""


@dataclass(frozen=True)
class ProcEvent:
    """One process event. ``pid`` is the thread group (process) it concerns; ``parent`` is set for forks."""

    kind: Kind
    pid: int
    tid: int
    parent: int | None = None
    timestamp_ns: int = 0
    uid: int | None = None
    """For ``uid`` events: the new real uid."""


_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JEQ_X, _BPF_TAX, _BPF_RET_K = 0x20, 0x15, 0x1D, 0x07, 0x06
SO_ATTACH_FILTER = 26
_WHAT, _DATA = _NLMSGHDR.size + _CN_MSG.size, _NLMSGHDR.size + _CN_MSG.size + _EVENT_HEAD.size


def _be(value: int) -> int:
    """A host-order u32 as a classic-BPF absolute load reads it (network order)."""
    return int.from_bytes(value.to_bytes(4, sys.byteorder), "big")


ALL_KINDS = frozenset({"fork", "exec", "uid", "exit"})
ACCOUNT_KINDS = frozenset({"exec", "uid"})
"""Kinds the account filter serves (it has no thread checks: forks and exits keep the classic filter)."""
_WHATS = {"exec": PROC_EVENT_EXEC, "uid": PROC_EVENT_UID, "fork": PROC_EVENT_FORK, "exit": PROC_EVENT_EXIT}
_PID_OFFSETS = {"fork": (_DATA + 8, _DATA + 12), "exit": (_DATA, _DATA + 4)}
"""Where the thread id and the process id are, for kinds where a thread and a process differ."""


UID_FILTER_MAX = 64
"""Real uids a socket filter compares at most; past it, every ``uid`` event is passed on."""
_RUID_AT = _DATA + 8


def socket_filter(kinds: frozenset[str] = ALL_KINDS, uids: Collection[int] | None = None) -> bytes:
    """A classic BPF program (the instructions of a ``struct sock_fprog``) keeping only ``kinds``; forks and
    exits of threads (not processes), renames and the rest are dropped in the kernel, before they wake us.
    With ``uids``, a ``uid`` event is kept only when the new real uid is one of them."""
    if uids is not None and len(uids) > UID_FILTER_MAX:
        uids = None
    wanted = [k for k in ("exec", "uid", "fork", "exit") if k in kinds]
    if uids is not None and not uids:  # nobody's changes of owner are wanted
        wanted = [k for k in wanted if k != "uid"]
    checks = [k for k in wanted if k in _PID_OFFSETS]
    by_uid = sorted(uids) if uids is not None and "uid" in wanted else None
    uid_block = 0 if by_uid is None else 1 + len(by_uid)
    accept = 1 + len(wanted) + 4 * len(checks) + uid_block + 1
    drop = accept - 1
    program: list[tuple[int, int, int, int]] = [(_BPF_LD_W_ABS, 0, 0, _WHAT)]
    block = 1 + len(wanted)  # where the first thread check starts
    uid_at = block + 4 * len(checks)
    for kind in wanted:
        target = accept
        if kind in _PID_OFFSETS:
            target = block
            block += 4
        elif kind == "uid" and by_uid is not None:
            target = uid_at
        last = kind == wanted[-1]
        program.append((_BPF_JEQ_K, target, drop if last else 0, _be(_WHATS[kind])))
    for kind in checks:
        tid_at, pid_at = _PID_OFFSETS[kind]
        program += [
            (_BPF_LD_W_ABS, 0, 0, tid_at),
            (_BPF_TAX, 0, 0, 0),
            (_BPF_LD_W_ABS, 0, 0, pid_at),
            (_BPF_JEQ_X, accept, drop, 0),  # the process itself, not one of its threads
        ]
    if by_uid is not None:
        program.append((_BPF_LD_W_ABS, 0, 0, _RUID_AT))
        for i, uid in enumerate(by_uid):
            last = i == len(by_uid) - 1
            program.append((_BPF_JEQ_K, accept, drop if last else 0, _be(uid)))
    program += [(_BPF_RET_K, 0, 0, 0), (_BPF_RET_K, 0, 0, 0xFFFFFFFF)]
    out = b""
    for pc, (code, jt, jf, k) in enumerate(program):
        is_jump = code in (_BPF_JEQ_K, _BPF_JEQ_X)
        # targets above are absolute; the kernel wants them relative to the next instruction
        rel_t = jt - pc - 1 if is_jump and jt else 0
        rel_f = jf - pc - 1 if is_jump and jf else 0
        out += struct.pack("=HBBI", code, rel_t, rel_f, k)
    return out


def attach_filter(
    sock: socket.socket, kinds: frozenset[str] = ALL_KINDS, uids: Collection[int] | None = None
) -> bool:
    """Attach :func:`socket_filter` to ``sock`` (replacing one attached before); False when the kernel
    refuses (everything then arrives)."""
    code = socket_filter(kinds, uids)
    buffer = ctypes.create_string_buffer(code)
    fprog = struct.pack("HL", len(code) // 8, ctypes.addressof(buffer))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except OSError as exc:
        log.info("no socket filter on process events (%s): every event is read", exc)
        return False
    return True


def uid_of(pid: int) -> int | None:
    """The real uid of ``pid`` from ``/proc/<pid>/status``; None when it is gone.

    Called for every exec on the machine: plain descriptor calls and one ``find`` (about a third of the
    cost of a buffered file and a split into lines)."""
    try:
        fd = os.open(f"/proc/{pid}/status", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        text = os.read(fd, 1024)
    except OSError:
        return None
    finally:
        os.close(fd)
    at = text.find(b"\nUid:")
    if at < 0:
        return None
    try:
        return int(text[at + 5 : text.index(b"\t", at + 6)])
    except ValueError:
        return None


def subscribe_message(op: int, *, port: int = 0, seq: int = 0) -> bytes:
    """The netlink message that turns the multicast on (``PROC_CN_MCAST_LISTEN``) or off."""
    payload = _OP.pack(op)
    cn = _CN_MSG.pack(CN_IDX_PROC, CN_VAL_PROC, seq, 0, len(payload), 0) + payload
    return _NLMSGHDR.pack(_NLMSGHDR.size + len(cn), NLMSG_DONE, 0, seq, port) + cn


def parse(data: bytes) -> list[ProcEvent]:
    """The fork, exec, uid and exit events in one datagram (other kinds, and malformed parts, are skipped)."""
    events: list[ProcEvent] = []
    offset = 0
    while offset + _NLMSGHDR.size <= len(data):
        length, msg_type, _flags, _seq, _port = _NLMSGHDR.unpack_from(data, offset)
        if length < _NLMSGHDR.size or offset + length > len(data):
            break
        body = offset + _NLMSGHDR.size
        if msg_type == NLMSG_DONE and length >= _NLMSGHDR.size + _CN_MSG.size + _EVENT_HEAD.size:
            idx, val, _s, _a, cn_len, _f = _CN_MSG.unpack_from(data, body)
            if idx == CN_IDX_PROC and val == CN_VAL_PROC:
                event = _parse_event(data, body + _CN_MSG.size, cn_len)
                if event is not None:
                    events.append(event)
        offset += (length + 3) & ~3  # NLMSG_ALIGN
    return events


def _parse_event(data: bytes, at: int, size: int) -> ProcEvent | None:
    if size < _EVENT_HEAD.size:
        return None
    what, _cpu, stamp = _EVENT_HEAD.unpack_from(data, at)
    at += _EVENT_HEAD.size
    rest = size - _EVENT_HEAD.size
    if what == PROC_EVENT_EXEC and rest >= _EXEC.size:
        tid, tgid = _EXEC.unpack_from(data, at)
        return ProcEvent("exec", tgid, tid, timestamp_ns=stamp)
    if what == PROC_EVENT_FORK and rest >= _FORK.size:
        _ppid, parent_tgid, child_pid, child_tgid = _FORK.unpack_from(data, at)
        return ProcEvent("fork", child_tgid, child_pid, parent=parent_tgid, timestamp_ns=stamp)
    if what == PROC_EVENT_UID and rest >= _ID.size:
        tid, tgid, ruid, _euid = _ID.unpack_from(data, at)
        return ProcEvent("uid", tgid, tid, timestamp_ns=stamp, uid=ruid)
    if what == PROC_EVENT_EXIT and rest >= _EXIT.size:
        tid, tgid, _code, _signal = _EXIT.unpack_from(data, at)
        return ProcEvent("exit", tgid, tid, timestamp_ns=stamp)
    return None


class ProcEvents:
    """A subscribed, non-blocking process-connector socket."""

    def __init__(
        self,
        kinds: frozenset[str] = ALL_KINDS,
        uids: Collection[int] | None = None,
        *,
        by_account: bool = False,
    ) -> None:
        self.kinds = kinds
        """The kinds of event wanted; the others are dropped in the kernel (where it takes the filter)."""
        self.uids = None if uids is None else frozenset(uids)
        """``uid`` events kept only for these new real uids (None: all)."""
        self.by_account = by_account
        """Keep every event (not only ``uid`` ones) only when the task it comes from is one of ``uids``' own
        (``platform/linux_bpf``), for ``exec`` and ``uid`` events; where the kernel will not, as without it."""
        self.account_filtered = False
        """Whether the kernel now drops other accounts' events (the eBPF filter is attached)."""
        self._sock: socket.socket | None = None
        self._told = False
        self._filter_lock = threading.Lock()
        self.lost = False
        """Set when the kernel dropped events (``ENOBUFS``); the caller clears it after a full rescan."""
        self.lost_count = 0

    def open(self) -> ProcEvents:
        if not hasattr(socket, "AF_NETLINK"):
            raise ProcEventsUnavailable(errno.ENOSYS, "no netlink sockets on this system")
        try:
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
        except OSError as exc:
            raise ProcEventsUnavailable(exc.errno, f"no process connector: {exc.strerror}") from exc
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
            force = getattr(socket, "SO_RCVBUFFORCE", 33)
            with contextlib.suppress(OSError):  # not root: the ordinary limit stays
                sock.setsockopt(socket.SOL_SOCKET, force, RCVBUF)
            self._attach(sock)
            sock.bind((0, CN_IDX_PROC))
            port = sock.getsockname()[0]
            sock.send(subscribe_message(PROC_CN_MCAST_LISTEN, port=port))
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            raise ProcEventsUnavailable(
                exc.errno, f"cannot subscribe to process events: {exc.strerror}"
            ) from exc
        self._sock = sock
        return self

    def keep_uids(self, uids: Collection[int] | None) -> bool:
        """Keep ``uid`` events only for these real uids from now on (the filter is replaced in place)."""
        return self.refilter(self.kinds, uids)

    def refilter(self, kinds: frozenset[str], uids: Collection[int] | None) -> bool:
        """Keep ``kinds`` (and ``uid`` events of ``uids``) from now on; False when the kernel refused."""
        with self._filter_lock:
            self.kinds = kinds
            self.uids = None if uids is None else frozenset(uids)
            return self._sock is not None and self._attach(self._sock)

    def _attach(self, sock: socket.socket) -> bool:
        """The account filter where asked for and possible, else the classic one."""
        if self.by_account and self.uids is not None and self.kinds <= ACCOUNT_KINDS:
            whats = [_be(_WHATS[kind]) for kind in self.kinds]
            try:
                linux_bpf.attach_accounts(sock, _WHAT, whats, self.uids)
            except linux_bpf.BpfUnavailable as exc:
                if self.account_filtered or not self._told:
                    log.info("process events not filtered by account in the kernel (%s)", exc)
                    self._told = True
            else:
                self.account_filtered = True
                return True
        self.account_filtered = False
        return attach_filter(sock, self.kinds, self.uids)

    def fileno(self) -> int:
        if self._sock is None:
            raise ValueError("process events are not open")
        return self._sock.fileno()

    def read(self, limit: int = 4096) -> list[ProcEvent]:
        """Every event waiting now (at most ``limit`` datagrams); never blocks."""
        sock = self._sock
        if sock is None:
            return []
        events: list[ProcEvent] = []
        for _ in range(limit):
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:
                    self.lost = True
                    self.lost_count += 1
                    continue
                raise
            events.extend(parse(data))
        return events

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for something to read."""
        if self._sock is None:
            return False
        ready, _, _ = select.select([self._sock], [], [], timeout)
        return bool(ready)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.send(subscribe_message(PROC_CN_MCAST_IGNORE, port=sock.getsockname()[0]))
            sock.close()

    def __enter__(self) -> ProcEvents:
        return self.open() if self._sock is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcEventThread:
    """Reads process events on a daemon thread and hands each batch to ``on_events``.

    ``on_events(events, lost)`` runs on the reader thread: it should only queue and wake someone. ``lost``
    is True when events were dropped since the last call (the receiver should rescan everything).
    """

    def __init__(
        self, on_events: Callable[[list[ProcEvent], bool], None], *, source: ProcEvents | None = None
    ):
        self.source = source or ProcEvents()
        self.on_events = on_events
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None

    def start(self) -> ProcEventThread:
        if self.source._sock is None:
            self.source.open()
        self._thread = threading.Thread(target=self._run, name="guardian-procevents", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        fd = self.source.fileno()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([fd, self._wake_r], [], [], 5.0)
                if fd not in ready:
                    continue
                events = self.source.read()
                lost, self.source.lost = self.source.lost, False
                if events or lost:
                    self.on_events(events, lost)
            except Exception:  # never let the reader die silently: report a loss so a rescan runs
                log.exception("reading process events failed")
                try:
                    self.on_events([], True)
                except Exception:
                    log.exception("process event receiver failed")
                self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self.source.close()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
