"""A blocking IPC client for the CLI, the tray and tests (a Qt-async client comes with the console).

    with IpcClient(default_socket_path(home)) as client:
        status = client.call("status")
        client.subscribe()
        for event in client.events(timeout=30):
            ...

Error replies raise :class:`IpcError`; a missing or refusing agent raises :class:`AgentNotRunning`.
Notices that arrive while waiting for a reply are kept and handed out by :meth:`IpcClient.events`.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from guardian.ipc.protocol import AgentNotRunning, IpcError, encode

__all__ = ["AgentNotRunning", "IpcClient", "IpcError", "default_socket_path"]

SOCKET_NAME = "agent.sock"
MAX_REPLY = 32 * 1024 * 1024
"""Largest line the client accepts from the agent (a year's report is large)."""


def default_socket_path(home: Path) -> Path:
    """``GUARDIAN_SOCKET`` when set, else ``home / "agent.sock"``."""
    env = os.environ.get("GUARDIAN_SOCKET")
    return Path(env) if env else Path(home) / SOCKET_NAME


class IpcClient:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        self._events: deque[dict[str, Any]] = deque()
        self._ids = itertools.count(1)

    # -- connection ---------------------------------------------------------------------------

    def connect(self) -> None:
        if self._sock is not None:
            return
        if not hasattr(socket, "AF_UNIX"):
            raise AgentNotRunning("the named-pipe IPC client for Windows is not written yet")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(self.path))
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            sock.close()
            raise AgentNotRunning(f"the Guardian agent is not running (no agent on {self.path})") from exc
        except OSError:
            sock.close()
            raise
        self._sock = sock

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
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
        assert self._sock is not None
        self._sock.settimeout(None)
        try:
            self._sock.sendall(data)
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
        assert self._sock is not None
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
        assert self._sock is not None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._sock.settimeout(left)
        else:
            self._sock.settimeout(None)
        try:
            chunk = self._sock.recv(256 * 1024)
        except TimeoutError:
            return False
        except OSError as exc:
            self.close()
            raise AgentNotRunning("the connection to the Guardian agent was lost") from exc
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
