"""A blocking IPC client for the CLI, the tray and tests (a Qt-async client comes with the console).

    with IpcClient(default_socket_path(home)) as client:
        status = client.call("status")
        client.subscribe()
        for event in client.events(timeout=30):
            ...

Error replies raise :class:`IpcError`; a missing or refusing agent raises :class:`AgentNotRunning`.
Notices that arrive while waiting for a reply are kept and handed out by :meth:`IpcClient.events`.

The bytes go over a Unix socket, or on Windows over the agent's named pipe (``pipe_client.PipeStream``,
named after the same address: ``pipes.pipe_name``). Passing ``pipes=`` (a ``PipeApi``) picks the pipe
transport on any OS; the tests use that with a fake.

**Who serves the socket.** Before anything is sent, the client asks the OS who listens on the socket it
reached (``SO_PEERCRED`` / ``LOCAL_PEERCRED`` of the connected socket; where the OS cannot tell, the socket
file's owner) and goes on only when it is root or the client's own account (personal mode); anything else
raises :class:`~guardian.ipc.protocol.UntrustedAgent`, so a socket bound first by a child's account never
sees a PIN and never shows forged status. The Windows pipe client checks the pipe's owner the same way.

**Where the socket is** (:func:`default_socket_path`): ``GUARDIAN_SOCKET`` when set; for the system agent
(service mode: its data in the system data folder, :data:`SERVICE_HOME`) the runtime folder
:data:`SERVICE_RUNTIME_DIR` (``/run/guardian``: root-owned, 0755, so session users reach the socket while the
database stays root-only); else ``<home>/agent.sock`` (personal mode), and a session user's client with no
personal agent there finds the system agent's socket.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sys
import time
from collections import deque
from collections.abc import Collection, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from guardian.core.messages import Message
from guardian.ipc.peer import peer_credentials, user_name
from guardian.ipc.protocol import AgentNotRunning, IpcError, UntrustedAgent, encode

if TYPE_CHECKING:
    from guardian.ipc.pipes import PipeApi

M = TypeVar("M", bound=Message)

__all__ = [
    "AgentNotRunning",
    "IpcClient",
    "IpcError",
    "UntrustedAgent",
    "agent_socket_path",
    "default_socket_path",
]

SOCKET_NAME = "agent.sock"
SERVICE_HOME = Path(
    "/Library/Application Support/Guardian" if sys.platform == "darwin" else "/var/lib/guardian"
)
"""The system agent's data folder (service mode, see docs/architecture.md); root-only."""
SERVICE_RUNTIME_DIR = Path("/var/run/guardian" if sys.platform == "darwin" else "/run/guardian")
"""The system agent's socket folder: root-owned, mode 0755 (session users connect, nobody else binds)."""
MAX_REPLY = 32 * 1024 * 1024
"""Largest line the client accepts from the agent (a year's report is large)."""


def default_socket_path(home: Path) -> Path:
    """``GUARDIAN_SOCKET`` when set; the runtime folder's socket for the system agent's home (service
    mode); else ``home / "agent.sock"`` — or, when no personal agent's socket is there, the system agent's
    socket if one exists (a session user's tray and console)."""
    env = os.environ.get("GUARDIAN_SOCKET")
    if env:
        return Path(env)
    personal = Path(home) / SOCKET_NAME
    if sys.platform == "win32":
        return personal
    service = SERVICE_RUNTIME_DIR / SOCKET_NAME
    if _same_folder(home, SERVICE_HOME):
        return service
    if not personal.exists() and service.exists():
        return service
    return personal


def agent_socket_path(home: Path) -> Path:
    """Where the agent itself listens: ``GUARDIAN_SOCKET``; the runtime folder's socket for the system
    agent's home (service mode); else ``home / "agent.sock"`` — never another agent's socket."""
    env = os.environ.get("GUARDIAN_SOCKET")
    if env:
        return Path(env)
    if sys.platform != "win32" and _same_folder(home, SERVICE_HOME):
        return SERVICE_RUNTIME_DIR / SOCKET_NAME
    return Path(home) / SOCKET_NAME


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def check_server(sock: socket.socket, path: Path, trusted: Collection[int] = ()) -> None:
    """Raise :class:`UntrustedAgent` unless root, this process's account or a ``trusted`` uid serves the
    connected Unix socket ``sock``."""
    allowed = {0, os.geteuid(), *trusted}
    uid = peer_credentials(sock).uid
    if uid is None:  # the OS cannot say who listens: the socket file's owner is the next best thing
        try:
            uid = os.stat(path).st_uid
        except OSError:
            uid = None
    if uid not in allowed:
        who = user_name(uid) or f"uid {uid}"
        raise UntrustedAgent(
            f"the socket {path} is served by the account '{who}', not by the Guardian agent; "
            "nothing was sent to it (ask the parent to check the computer)"
        )


class Stream(Protocol):
    """A connected byte stream to the agent."""

    def send(self, data: bytes) -> None:
        """Write everything; ``OSError`` when the agent has gone."""
        ...

    def receive(self, timeout: float | None) -> bytes | None:
        """The next bytes; ``b""`` when the agent closed the stream; ``None`` after ``timeout`` seconds."""
        ...

    def close(self) -> None: ...


class SocketStream:
    """A Unix socket as a :class:`Stream`."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    @classmethod
    def open(cls, path: Path, trusted: Collection[int] = ()) -> SocketStream:
        """Connect, then refuse (``UntrustedAgent``) a socket served by an account the agent never runs as."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            check_server(sock, path, trusted)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            sock.close()
            raise AgentNotRunning(f"the Guardian agent is not running (no agent on {path})") from exc
        except BaseException:
            sock.close()
            raise
        return cls(sock)

    def send(self, data: bytes) -> None:
        self.sock.settimeout(None)
        self.sock.sendall(data)

    def receive(self, timeout: float | None) -> bytes | None:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(256 * 1024)
        except TimeoutError:
            return None

    def close(self) -> None:
        self.sock.close()


class IpcClient:
    def __init__(self, path: Path, *, pipes: PipeApi | None = None, trusted: Collection[int] = ()) -> None:
        """``trusted``: uids besides root and this account that may serve the socket (a test whose agent
        runs as another account on purpose); never set from user input."""
        self.path = Path(path)
        self._pipes = pipes
        self._trusted = tuple(trusted)
        self._stream: Stream | None = None
        self._buffer = bytearray()
        self._events: deque[dict[str, Any]] = deque()
        self._ids = itertools.count(1)

    # -- connection ---------------------------------------------------------------------------

    def connect(self) -> None:
        if self._stream is not None:
            return
        if self._pipes is not None or sys.platform == "win32":
            self._stream = self._open_pipe()
        else:
            self._stream = SocketStream.open(self.path, self._trusted)

    def _open_pipe(self) -> Stream:
        from guardian.ipc.pipe_client import PipeStream

        pipes = self._pipes
        if pipes is None:  # pragma: no cover - Windows only
            from guardian.ipc.pipes import Win32Pipes

            pipes = Win32Pipes()
        return PipeStream.open(self.path, pipes)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._buffer.clear()

    def __enter__(self) -> IpcClient:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------------

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Send one request and wait for its reply; ``TimeoutError`` when it does not come in time."""
        self.connect()
        request_id = next(self._ids)
        self._send({"id": request_id, "method": method, "params": params or {}})
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message is None:
                raise TimeoutError(f"the agent did not answer '{method}' within {timeout} seconds")
            if "event" in message and "id" not in message:
                self._events.append(message)
            elif message.get("id") == request_id:
                return _unwrap(message)
            elif message.get("id") is None and "error" in message:
                _unwrap(message)  # an error the agent could not tie to a request (e.g. too_large)

    def ask(self, method: str, params: Message | None, answer: type[M], *, timeout: float = 5.0) -> M:
        """:meth:`call` with typed parameters and answer (``guardian.core.messages``). Raises
        ``WireError`` when the agent's answer is not the message it should be."""
        wire = None if params is None else {k: v for k, v in params.to_wire().items() if v is not None}
        return answer.from_wire(self.call(method, wire, timeout=timeout))

    def subscribe(self, token: str | None = None) -> dict[str, Any]:
        """Ask for pushed notices; a parent/caregiver ``token`` adds time requests."""
        return self.call("subscribe", {"token": token} if token else {})

    def next_event(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next pushed notice, or ``None`` when none comes within ``timeout`` seconds."""
        if self._events:
            return self._events.popleft()
        self.connect()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message is None:
                return None
            if "event" in message and "id" not in message:
                return message

    def events(self, timeout: float | None = None) -> Iterator[dict[str, Any]]:
        """Pushed notices as they come; stops when none arrives within ``timeout`` seconds."""
        while True:
            event = self.next_event(timeout)
            if event is None:
                return
            yield event

    # -- wire ---------------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (tests use this to send malformed input)."""
        self.connect()
        assert self._stream is not None
        try:
            self._stream.send(data)
        except OSError as exc:
            self.close()
            raise AgentNotRunning("the connection to the Guardian agent was lost") from exc

    def receive_raw(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next message of any kind, or ``None`` on timeout."""
        self.connect()
        return self._receive(None if timeout is None else time.monotonic() + timeout)

    def _send(self, message: dict[str, Any]) -> None:
        self.send_raw(encode(message))

    def _receive(self, deadline: float | None) -> dict[str, Any] | None:
        assert self._stream is not None
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                message = json.loads(line)
                if isinstance(message, dict):
                    return message
                continue
            if len(self._buffer) > MAX_REPLY:
                self.close()
                raise IpcError("too_large", "the agent sent a message too large to read")
            if not self._read_chunk(deadline):
                return None

    def _read_chunk(self, deadline: float | None) -> bool:
        """Read into the buffer; False on timeout. Raises ``AgentNotRunning`` when the agent hung up."""
        assert self._stream is not None
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return False
        try:
            chunk = self._stream.receive(left)
        except OSError as exc:
            self.close()
            raise AgentNotRunning("the connection to the Guardian agent was lost") from exc
        if chunk is None:
            return False
        if not chunk:
            self.close()
            raise AgentNotRunning("the Guardian agent closed the connection")
        self._buffer += chunk
        return True


def _unwrap(message: dict[str, Any]) -> dict[str, Any]:
    error = message.get("error")
    if isinstance(error, dict):
        data = {k: v for k, v in error.items() if k not in ("code", "message")}
        raise IpcError(str(error.get("code", "internal")), str(error.get("message", "")), data)
    result = message.get("result")
    return result if isinstance(result, dict) else {}
