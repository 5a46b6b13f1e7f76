"""Who is on the other end of a local socket, as the operating system says — never as the message says.

* Linux: ``SO_PEERCRED`` (``struct ucred``: pid, uid, gid).
* macOS and the BSDs: ``LOCAL_PEERCRED`` (``struct xucred``) for the uid, ``LOCAL_PEERPID`` for the pid.
* Windows named pipes: the client's pid from ``GetNamedPipeClientProcessId`` (``pipes.PipeApi.client_pid``)
  and that process's owner from psutil (:func:`process_owner`), without the domain, as Windows sessions name
  their users. There is no uid on Windows.

A field the platform cannot tell is ``None``; callers treat an unknown user as a stranger.
"""

from __future__ import annotations

import socket
import struct
import sys
from dataclasses import dataclass

try:
    import pwd
except ImportError:  # Windows
    pwd = None  # type: ignore[assignment]

# macOS <sys/un.h>: SOL_LOCAL, LOCAL_PEERCRED, LOCAL_PEERPID; struct xucred starts with (u_int, uid_t).
SOL_LOCAL = 0
LOCAL_PEERCRED = 0x001
LOCAL_PEERPID = 0x002
XUCRED_SIZE = 4 + 4 + 2 + 2 + 16 * 4


@dataclass(frozen=True)
class Peer:
    pid: int | None
    uid: int | None
    user: str | None


UNKNOWN = Peer(None, None, None)


def peer_credentials(sock: socket.socket) -> Peer:
    """The process and OS account connected to the Unix socket ``sock``."""
    if sys.platform.startswith("linux"):
        pid, uid = _linux_credentials(sock)
    elif sys.platform == "darwin" or "bsd" in sys.platform:
        pid, uid = _bsd_credentials(sock)
    else:
        return UNKNOWN
    return Peer(pid, uid, user_name(uid))


def user_name(uid: int | None) -> str | None:
    if uid is None or pwd is None:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _linux_credentials(sock: socket.socket) -> tuple[int | None, int | None]:
    option = getattr(socket, "SO_PEERCRED", 17)
    size = struct.calcsize("3i")
    try:
        pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, size))
    except OSError:
        return None, None
    return (pid or None), uid


def _bsd_credentials(sock: socket.socket) -> tuple[int | None, int | None]:
    uid: int | None = None
    pid: int | None = None
    try:
        raw = sock.getsockopt(SOL_LOCAL, LOCAL_PEERCRED, XUCRED_SIZE)
        _version, uid = struct.unpack_from("Ii", raw)
    except (OSError, struct.error):
        uid = None
    try:
        pid = struct.unpack("i", sock.getsockopt(SOL_LOCAL, LOCAL_PEERPID, 4))[0] or None
    except (OSError, struct.error):
        pid = None
    return pid, uid


def process_owner(pid: int | None) -> str | None:
    """The account that owns process ``pid`` (``DOMAIN\\user`` on Windows gives ``user``), or ``None``."""
    if pid is None:
        return None
    import psutil

    try:
        owner = psutil.Process(pid).username()
    except (psutil.Error, OSError):
        return None
    return owner.rpartition("\\")[2] or None
