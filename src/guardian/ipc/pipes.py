"""Windows named pipes behind a small interface, so the transport logic is tested on every OS.

:class:`PipeApi` is the handful of operations the pipe server (``pipe_server``) and the pipe client
(``pipe_client``) need. :class:`Win32Pipes` is the real one (kernel32/advapi32 through ctypes); it touches
``ctypes.WinDLL`` only inside its methods, so this module imports anywhere. The tests use an in-process fake.

How the real one works (written from the Win32 documentation; never run here, see ``docs/ipc.md``):

* Every handle is opened with ``FILE_FLAG_OVERLAPPED``. A synchronous pipe handle serialises all I/O on it,
  so a reader thread blocked in ``ReadFile`` would block the writer thread's ``WriteFile``. Each call issues
  the overlapped operation and waits for it (``GetOverlappedResult``), which keeps the API blocking.
* :meth:`Win32Pipes.cancel` is sticky: it marks the handle and ``CancelIoEx``-es what is pending, under one
  lock with the issuing of operations, so a wait that was about to start cannot miss it.
* The pipe's DACL (:data:`PIPE_SDDL`) gives SYSTEM, Administrators and the pipe's owner full control and
  authenticated users read and write *without* ``FILE_CREATE_PIPE_INSTANCE``: any local account (a child's
  tray) may connect, nobody else may add instances. ``PIPE_REJECT_REMOTE_CLIENTS`` refuses other machines.
  The first instance has ``FILE_FLAG_FIRST_PIPE_INSTANCE``: when the name is taken (a second agent, or a
  squatter), creation fails and :class:`~guardian.ipc.protocol.AgentAlreadyRunning` is raised.
* Clients open with ``SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION``: the agent may identify, never
  impersonate, its callers. A busy pipe is waited for with ``WaitNamedPipeW`` until the timeout.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from guardian.ipc.protocol import AgentAlreadyRunning, AgentNotRunning

PIPE_PREFIX = "\\\\.\\pipe\\"
PIPE_BUFFER = 64 * 1024
"""In- and out-buffer size asked for each pipe instance (a hint to the system)."""

# winbase.h / winnt.h / winerror.h
PIPE_ACCESS_DUPLEX = 0x00000003
FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000
FILE_FLAG_OVERLAPPED = 0x40000000
PIPE_TYPE_BYTE = 0x00000000
PIPE_READMODE_BYTE = 0x00000000
PIPE_WAIT = 0x00000000
PIPE_REJECT_REMOTE_CLIENTS = 0x00000008
PIPE_UNLIMITED_INSTANCES = 255
GENERIC_READ = 0x80000000
GENERIC_WRITE = 0x40000000
OPEN_EXISTING = 3
SECURITY_SQOS_PRESENT = 0x00100000
SECURITY_IDENTIFICATION = 0x00010000
SDDL_REVISION_1 = 1
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value  # (HANDLE)-1 as a HANDLE restype gives it back

ERROR_FILE_NOT_FOUND = 2
ERROR_ACCESS_DENIED = 5
ERROR_BROKEN_PIPE = 109
ERROR_SEM_TIMEOUT = 121
ERROR_PIPE_BUSY = 231
ERROR_NO_DATA = 232
ERROR_PIPE_NOT_CONNECTED = 233
ERROR_MORE_DATA = 234
ERROR_PIPE_CONNECTED = 535
ERROR_OPERATION_ABORTED = 995
ERROR_IO_PENDING = 997

SE_KERNEL_OBJECT = 6
OWNER_SECURITY_INFORMATION = 0x00000001
TOKEN_QUERY = 0x0008
TOKEN_USER = 1
READ_WRITE_NO_NEW_INSTANCE = 0x0012019B
"""FILE_GENERIC_READ | FILE_GENERIC_WRITE without FILE_APPEND_DATA (= FILE_CREATE_PIPE_INSTANCE for pipes)."""
PIPE_SDDL = f"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;OW)(A;;{READ_WRITE_NO_NEW_INSTANCE:#x};;;AU)"
"""Protected DACL: SYSTEM, Administrators and the owner full control; authenticated users read/write."""

SERVER_OPEN_MODE = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED
SERVER_PIPE_MODE = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS
CLIENT_ACCESS = GENERIC_READ | GENERIC_WRITE
CLIENT_FLAGS = FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION

END_OF_STREAM_ERRORS = frozenset(
    {ERROR_BROKEN_PIPE, ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED, ERROR_OPERATION_ABORTED}
)
"""Errors a read reports as the end of the stream (the other side left, or the read was cancelled)."""


class PipeApi(Protocol):
    """Blocking operations on pipe handles (plain ints). Any thread may call :meth:`cancel`."""

    def create(self, name: str, *, first: bool) -> int:
        """A new server instance of pipe ``name``. With ``first``, raises ``AgentAlreadyRunning`` when the
        name is taken."""
        ...

    def accept(self, handle: int) -> bool:
        """Wait until a client connects to the instance: True; False when cancelled."""
        ...

    def read(self, handle: int, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` when the other side has gone or the handle was cancelled."""
        ...

    def write(self, handle: int, data: bytes) -> None:
        """Write all of ``data``; ``OSError`` when the other side has gone or the handle was cancelled."""
        ...

    def client_pid(self, handle: int) -> int | None:
        """The pid of the client connected to a server instance (GetNamedPipeClientProcessId)."""
        ...

    def cancel(self, handle: int) -> None:
        """End every pending and future wait, read and write on ``handle`` at once. Sticky."""
        ...

    def close(self, handle: int) -> None: ...

    def connect(self, name: str, timeout: float) -> int:
        """A client handle to pipe ``name``; waits up to ``timeout`` seconds while every instance is
        busy. Raises ``AgentNotRunning`` when nothing serves the name (or it stays busy)."""
        ...

    def owner_sid(self, handle: int) -> str | None:
        """The string SID that owns the pipe behind a client ``handle`` (its creator), or None."""
        ...

    def own_sid(self) -> str | None:
        """The string SID of the account this process runs as, or None."""
        ...


TRUSTED_OWNER_SIDS = frozenset({"S-1-5-18", "S-1-5-32-544"})
"""SYSTEM and the Administrators group: who creates the pipe when the agent runs as a service."""


def trusted_owner(owner: str | None, own: str | None) -> bool:
    """Whether a pipe owned by ``owner`` may be the agent: created by SYSTEM or the administrators, or by
    this very account (personal mode, where the agent runs as the parent). A child's account that created
    the pipe name while the agent was down is not, so the console never hands it a PIN."""
    if owner is None:
        return False
    return owner in TRUSTED_OWNER_SIDS or (own is not None and owner == own)


def pipe_name(address: Path | str) -> str:
    """The pipe for an IPC address (``default_socket_path(home)``): a ``\\\\.\\pipe\\...`` address is used
    as it is (``GUARDIAN_SOCKET``), any other becomes ``\\\\.\\pipe\\guardian-<hash>`` of its resolved,
    case-folded path, so every process that agrees on the Guardian home agrees on the pipe."""
    text = str(address)
    if text.casefold().startswith(PIPE_PREFIX):
        return text
    key = str(Path(text).resolve()).casefold()
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{PIPE_PREFIX}guardian-{digest}"


def server_open_mode(first: bool) -> int:
    return SERVER_OPEN_MODE | (FILE_FLAG_FIRST_PIPE_INSTANCE if first else 0)


def creation_error(name: str, code: int, first: bool) -> Exception:
    """What a failed CreateNamedPipeW means: access denied on the first instance = the name is taken."""
    if first and code in (ERROR_ACCESS_DENIED, ERROR_PIPE_BUSY):
        return AgentAlreadyRunning(f"another Guardian agent (or another program) already serves {name}")
    return win_error(code, f"cannot create the pipe {name}")


def connect_error(name: str, code: int) -> Exception:
    """What a failed CreateFileW on the pipe means for a client."""
    if code in (ERROR_FILE_NOT_FOUND, ERROR_PIPE_BUSY, ERROR_SEM_TIMEOUT):
        return AgentNotRunning(f"the Guardian agent is not running (no agent on {name})")
    return win_error(code, f"cannot open the pipe {name}")


def win_error(code: int, what: str) -> OSError:
    """An ``OSError`` carrying the Windows error code (``winerror`` on Windows)."""
    return OSError(None, f"{what} (Windows error {code})", None, code)


# -- the real thing ------------------------------------------------------------------------------


class Win32Pipes:  # pragma: no cover - Windows only; the logic around it is tested with a fake
    """The real :class:`PipeApi` through ctypes. Only usable on Windows; never called by the tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled: set[int] = set()

    def create(self, name: str, *, first: bool) -> int:
        k32, advapi = _kernel32(), _advapi32()
        descriptor = ctypes.c_void_p()
        if not advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            PIPE_SDDL, SDDL_REVISION_1, ctypes.byref(descriptor), None
        ):
            raise win_error(_last_error(), "cannot build the pipe's security descriptor")
        try:
            attributes = _security_attributes(descriptor)
            handle = k32.CreateNamedPipeW(
                name,
                server_open_mode(first),
                SERVER_PIPE_MODE,
                PIPE_UNLIMITED_INSTANCES,
                PIPE_BUFFER,
                PIPE_BUFFER,
                0,
                ctypes.byref(attributes),
            )
            if not handle or handle == INVALID_HANDLE_VALUE:
                raise creation_error(name, _last_error(), first)
            return int(handle)
        finally:
            k32.LocalFree(descriptor)

    def accept(self, handle: int) -> bool:
        code, _count = self._overlapped(handle, lambda ov: _kernel32().ConnectNamedPipe(handle, ov))
        if code in (0, ERROR_PIPE_CONNECTED, ERROR_NO_DATA):
            return True  # ERROR_NO_DATA: it came and went already; its reader sees the end at once
        if code == ERROR_OPERATION_ABORTED:
            return False
        raise win_error(code, "waiting for a pipe client failed")

    def read(self, handle: int, size: int) -> bytes:
        buffer = ctypes.create_string_buffer(size)
        code, count = self._overlapped(
            handle, lambda ov: _kernel32().ReadFile(handle, buffer, size, None, ov)
        )
        if code in (0, ERROR_MORE_DATA):
            return buffer.raw[:count]
        if code in END_OF_STREAM_ERRORS:
            return b""
        raise win_error(code, "reading from the pipe failed")

    def write(self, handle: int, data: bytes) -> None:
        while data:
            code, count = self._overlapped(handle, functools.partial(_write_file, handle, data))
            if code != 0:
                raise win_error(code, "writing to the pipe failed")
            data = data[count:]

    def client_pid(self, handle: int) -> int | None:
        from ctypes import wintypes

        pid = wintypes.ULONG()
        if not _kernel32().GetNamedPipeClientProcessId(handle, ctypes.byref(pid)):
            return None
        return int(pid.value) or None

    def cancel(self, handle: int) -> None:
        with self._lock:
            self._cancelled.add(handle)
            _kernel32().CancelIoEx(handle, None)

    def close(self, handle: int) -> None:
        with self._lock:
            self._cancelled.discard(handle)
        _kernel32().CloseHandle(handle)

    def connect(self, name: str, timeout: float) -> int:
        k32 = _kernel32()
        deadline = time.monotonic() + timeout
        while True:
            handle = k32.CreateFileW(name, CLIENT_ACCESS, 0, None, OPEN_EXISTING, CLIENT_FLAGS, None)
            if handle and handle != INVALID_HANDLE_VALUE:
                return int(handle)
            code = _last_error()
            left = deadline - time.monotonic()
            if code != ERROR_PIPE_BUSY or left <= 0:
                raise connect_error(name, code)
            k32.WaitNamedPipeW(name, max(1, int(left * 1000)))  # then try again, or fail as above

    def owner_sid(self, handle: int) -> str | None:
        owner, descriptor = ctypes.c_void_p(), ctypes.c_void_p()
        code = _advapi32().GetSecurityInfo(
            handle,
            SE_KERNEL_OBJECT,
            OWNER_SECURITY_INFORMATION,
            ctypes.byref(owner),
            None,
            None,
            None,
            ctypes.byref(descriptor),
        )
        if code != 0:
            return None
        try:
            return _sid_string(owner)
        finally:
            _kernel32().LocalFree(descriptor)

    def own_sid(self) -> str | None:
        return _process_user_sid()

    def _overlapped(self, handle: int, start: Callable[[Any], int]) -> tuple[int, int]:
        """Issue one overlapped operation and wait for it: ``(Windows error code or 0, bytes moved)``."""
        k32 = _kernel32()
        overlapped = _Overlapped()
        overlapped.hEvent = k32.CreateEventW(None, True, False, None)
        if not overlapped.hEvent:
            raise win_error(_last_error(), "cannot create an event")
        try:
            with self._lock:
                if handle in self._cancelled:
                    return ERROR_OPERATION_ABORTED, 0
                code = 0 if start(ctypes.byref(overlapped)) else _last_error()
            if code not in (0, ERROR_IO_PENDING):
                return code, 0  # failed at once (or ERROR_PIPE_CONNECTED): nothing is pending
            count = ctypes.c_ulong(0)
            if not k32.GetOverlappedResult(handle, ctypes.byref(overlapped), ctypes.byref(count), True):
                return _last_error(), int(count.value)
            return 0, int(count.value)
        finally:
            k32.CloseHandle(overlapped.hEvent)


class _Overlapped(ctypes.Structure):
    _fields_ = (
        ("Internal", ctypes.c_void_p),
        ("InternalHigh", ctypes.c_void_p),
        ("Offset", ctypes.c_uint32),
        ("OffsetHigh", ctypes.c_uint32),
        ("hEvent", ctypes.c_void_p),
    )


class _SecurityAttributes(ctypes.Structure):
    _fields_ = (
        ("nLength", ctypes.c_uint32),
        ("lpSecurityDescriptor", ctypes.c_void_p),
        ("bInheritHandle", ctypes.c_int),
    )


def _security_attributes(descriptor: ctypes.c_void_p) -> _SecurityAttributes:
    return _SecurityAttributes(ctypes.sizeof(_SecurityAttributes), descriptor, 0)


def _write_file(handle: int, data: bytes, overlapped: Any) -> int:  # pragma: no cover - Windows only
    return int(_kernel32().WriteFile(handle, data, len(data), None, overlapped))


def _last_error() -> int:
    lib: Any = ctypes
    return int(lib.get_last_error())


@functools.cache
def _kernel32() -> Any:  # pragma: no cover - Windows only
    """kernel32 with prototypes: handles are pointer-sized, the default ``int`` would truncate them."""
    from ctypes import wintypes

    k32 = _dll("kernel32")
    handle, dword, bool_ = wintypes.HANDLE, wintypes.DWORD, wintypes.BOOL
    pointer = ctypes.c_void_p
    prototypes: dict[str, tuple[Any, list[Any]]] = {
        "CreateNamedPipeW": (handle, [wintypes.LPCWSTR, dword, dword, dword, dword, dword, dword, pointer]),
        "ConnectNamedPipe": (bool_, [handle, pointer]),
        "CreateFileW": (handle, [wintypes.LPCWSTR, dword, dword, pointer, dword, dword, handle]),
        "WaitNamedPipeW": (bool_, [wintypes.LPCWSTR, dword]),
        "ReadFile": (bool_, [handle, pointer, dword, pointer, pointer]),
        "WriteFile": (bool_, [handle, ctypes.c_char_p, dword, pointer, pointer]),
        "GetOverlappedResult": (bool_, [handle, pointer, pointer, bool_]),
        "GetNamedPipeClientProcessId": (bool_, [handle, pointer]),
        "CancelIoEx": (bool_, [handle, pointer]),
        "CreateEventW": (handle, [pointer, bool_, bool_, wintypes.LPCWSTR]),
        "CloseHandle": (bool_, [handle]),
        "LocalFree": (pointer, [pointer]),
    }
    for name, (restype, argtypes) in prototypes.items():
        function = getattr(k32, name)
        function.restype, function.argtypes = restype, argtypes
    return k32


@functools.cache
def _advapi32() -> Any:  # pragma: no cover - Windows only
    from ctypes import wintypes

    advapi = _dll("advapi32")
    convert = advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW
    convert.restype = wintypes.BOOL
    convert.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.c_void_p, ctypes.c_void_p]
    pointer = ctypes.c_void_p
    advapi.GetSecurityInfo.restype = wintypes.DWORD
    advapi.GetSecurityInfo.argtypes = [wintypes.HANDLE, ctypes.c_int, wintypes.DWORD] + [pointer] * 5
    advapi.ConvertSidToStringSidW.restype = wintypes.BOOL
    advapi.ConvertSidToStringSidW.argtypes = [pointer, pointer]
    advapi.OpenProcessToken.restype = wintypes.BOOL
    advapi.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, pointer]
    advapi.GetTokenInformation.restype = wintypes.BOOL
    advapi.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, pointer, wintypes.DWORD, pointer]
    return advapi


def _sid_string(sid: ctypes.c_void_p) -> str | None:  # pragma: no cover - Windows only
    text = ctypes.c_wchar_p()
    if not _advapi32().ConvertSidToStringSidW(sid, ctypes.byref(text)):
        return None
    try:
        return text.value
    finally:
        _kernel32().LocalFree(ctypes.cast(text, ctypes.c_void_p))


def _process_user_sid() -> str | None:  # pragma: no cover - Windows only
    """The SID of this process's user, from its token (TokenUser)."""
    token = ctypes.c_void_p()
    current = ctypes.c_void_p(-1)  # GetCurrentProcess() pseudo-handle
    if not _advapi32().OpenProcessToken(current, TOKEN_QUERY, ctypes.byref(token)):
        return None
    try:
        size = ctypes.c_ulong(0)
        _advapi32().GetTokenInformation(token, TOKEN_USER, None, 0, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        if not _advapi32().GetTokenInformation(token, TOKEN_USER, buffer, size, ctypes.byref(size)):
            return None
        sid = ctypes.c_void_p.from_buffer(buffer).value  # TOKEN_USER starts with SID_AND_ATTRIBUTES.Sid
        return _sid_string(ctypes.c_void_p(sid))
    finally:
        _kernel32().CloseHandle(token)


def _dll(name: str) -> Any:  # pragma: no cover - Windows only
    return ctypes.WinDLL(name, use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
