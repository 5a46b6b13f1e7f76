"""An eBPF socket filter that keeps the process connector's events of some accounts only, in the kernel.

The kernel sends a process event from the task it concerns (the one that ``exec``-s, changes its owner,
forks or ends), and runs a socket's filter right there, before the message is queued. An eBPF socket filter
may ask for that task's real uid (``bpf_get_current_uid_gid``), which a classic BPF filter cannot: an exec
event carries no uid at all. So with this filter everyone else's execs stay in the kernel and never wake the
agent; without it (an older kernel, no ``CAP_BPF``/``CAP_SYS_ADMIN``, another architecture) the caller keeps
its classic filter and checks the owner itself.

The program, for the events ``whats`` (``PROC_EVENT_*``) and the real uids ``uids``::

    r6 = ctx                         ; the packet, for the absolute loads
    r0 = what (u32 at the event)     ; a classic-BPF style load: network order, as for the classic filter
    if w0 == what_1 goto owner ...   ; one 32-bit test per kind kept
    return 0                         ; another kind: dropped
    owner: r0 = bpf_get_current_uid_gid()            ; the low 32 bits: the real uid
    if w0 == uid_1 goto keep ...     ; one 32-bit test per account
    return 0
    keep: return 0x7fffffff          ; the whole message

It is built anew (a few dozen instructions) whenever the accounts change, and replaces the socket's filter
atomically (``SO_ATTACH_BPF``). Only the standard library: ``ctypes`` for the ``bpf`` system call.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform
import socket
import struct
from collections.abc import Collection

SO_ATTACH_BPF = 50
BPF_PROG_LOAD = 5
BPF_PROG_TYPE_SOCKET_FILTER = 1
HELPER_GET_CURRENT_UID_GID = 15
MAX_ACCOUNTS = 64
"""Accounts one program compares at most (past it the caller keeps its classic filter)."""
BPF_SYSCALL = {"x86_64": 321, "aarch64": 280, "i686": 357, "i386": 357, "armv7l": 386, "riscv64": 280}
"""The ``bpf`` system call's number per machine; elsewhere no eBPF filter is tried."""

_INSN = struct.Struct("<BBhi")  # code, dst:4 | src:4 << 4, offset, immediate
_MOV64_X, _LD_ABS_W, _JEQ32_K, _MOV64_K, _CALL, _EXIT = 0xBF, 0x20, 0x16, 0xB7, 0x85, 0x95
KEEP = 0x7FFFFFFF


class BpfUnavailable(OSError):
    """The kernel would not load or attach the program here."""


def _insn(code: int, dst: int = 0, src: int = 0, offset: int = 0, imm: int = 0) -> bytes:
    return _INSN.pack(code, (src << 4) | dst, offset, imm)


def _s32(value: int) -> int:
    """An unsigned 32-bit value as the signed immediate an instruction holds (compared as 32 bits)."""
    return value - (1 << 32) if value >= 1 << 31 else value


def account_program(what_at: int, whats: Collection[int], uids: Collection[int]) -> bytes:
    """The instructions keeping events whose ``what`` (a u32 at ``what_at``, compared in network order,
    as a classic-BPF load reads it) is one of ``whats`` and whose task's real uid is one of ``uids``."""
    kinds = sorted(set(whats))
    accounts = sorted(set(uids))
    if len(accounts) > MAX_ACCOUNTS:
        raise ValueError(f"at most {MAX_ACCOUNTS} accounts")
    drop_all = [_insn(_MOV64_K, 0, 0, 0, 0), _insn(_EXIT)]
    if not kinds or not accounts:
        return b"".join(drop_all)  # nothing kept (the verifier refuses instructions no path reaches)
    code = [_insn(_MOV64_X, 6, 1), _insn(_LD_ABS_W, imm=what_at)]
    for i, what in enumerate(kinds):
        code.append(_insn(_JEQ32_K, 0, 0, len(kinds) - i - 1 + 2, _s32(what)))  # past the drop below
    code += [_insn(_MOV64_K, 0, 0, 0, 0), _insn(_EXIT)]
    code.append(_insn(_CALL, imm=HELPER_GET_CURRENT_UID_GID))  # the low 32 bits: the real uid
    for i, uid in enumerate(accounts):
        code.append(_insn(_JEQ32_K, 0, 0, len(accounts) - i - 1 + 2, _s32(uid)))
    code += [_insn(_MOV64_K, 0, 0, 0, 0), _insn(_EXIT)]
    code += [_insn(_MOV64_K, 0, 0, 0, KEEP), _insn(_EXIT)]
    return b"".join(code)


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, once (the accounts change rarely, but each change loads a program)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def load(program: bytes) -> int:
    """Load ``program`` as a socket filter; its file descriptor (the caller closes it)."""
    number = BPF_SYSCALL.get(platform.machine())
    if number is None:
        raise BpfUnavailable(0, f"no eBPF on {platform.machine()}")
    libc = _libc()
    code = ctypes.create_string_buffer(program, len(program))
    licence = ctypes.create_string_buffer(b"GPL")
    head = struct.pack(
        "<IIQQIIQ",
        BPF_PROG_TYPE_SOCKET_FILTER,
        len(program) // _INSN.size,
        ctypes.addressof(code),
        ctypes.addressof(licence),
        0,  # no verifier log
        0,
        0,
    )
    attr = ctypes.create_string_buffer(head + b"\0" * (128 - len(head)), 128)
    fd = libc.syscall(ctypes.c_long(number), ctypes.c_long(BPF_PROG_LOAD), attr, ctypes.c_uint(128))
    if fd < 0:
        err = ctypes.get_errno()
        raise BpfUnavailable(err, f"the kernel refused the filter: {os.strerror(err)}")
    return int(fd)


def attach_accounts(sock: socket.socket, what_at: int, whats: Collection[int], uids: Collection[int]) -> None:
    """Replace ``sock``'s filter with :func:`account_program`; :class:`BpfUnavailable` when it cannot be."""
    try:
        program = account_program(what_at, whats, uids)
    except ValueError as exc:  # more accounts than one program compares
        raise BpfUnavailable(0, str(exc)) from exc
    fd = load(program)
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_BPF, fd)
    except OSError as exc:
        raise BpfUnavailable(exc.errno or 0, f"cannot attach the filter: {exc.strerror}") from exc
    finally:
        os.close(fd)
