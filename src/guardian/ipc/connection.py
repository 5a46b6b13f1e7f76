"""What every IPC transport shares: the :class:`Connection` a handler sees, line framing, answering a line.

The Unix-socket server (``server``) and the Windows named-pipe server (``pipe_server``) differ only in how
bytes move. Both derive from :class:`ServerBase` (the cross-thread entry points, broadcasting, answering
the lines of a connection, ``on_stop``), cut their input into lines with :func:`take_line` and answer each
line with :func:`answer_line`, so the protocol behaves the same on every OS: a line over :data:`MAX_MESSAGE` gets
``too_large`` (:func:`too_large_reply`) and the connection is closed, bad input gets an error reply, a
handler's bug is logged and answered with ``internal``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import Any, Generic, Protocol, TypeVar

from guardian.core.messages import Message
from guardian.ipc.limits import AccountKey, Limits, RateLimitedLog, account_key, pick_victim
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import (
    BUSY,
    INTERNAL,
    MAX_MESSAGE,
    TOO_LARGE,
    IpcError,
    ProtocolError,
    Request,
    encode,
    error_message,
    parse_request,
    result_message,
)

log = logging.getLogger("guardian.ipc")
ratelog = RateLimitedLog(log)
"""Warnings a flood of clients can repeat (refused, shed, out of files) go through here."""

Dispatch = Callable[[Request, Peer, "Connection"], Message | Mapping[str, Any]]
"""Answers a request with a :class:`~guardian.core.messages.Message` (or a plain mapping: a report)."""


class Server(Protocol):
    """What a handler may ask of the server behind its connection."""

    def broadcast(
        self,
        event: dict[str, Any],
        *,
        users: Collection[str] | None = None,
        roles: Collection[str] | None = None,
    ) -> None: ...

    def send_to(self, connection: Connection, message: dict[str, Any]) -> None: ...


class Connection:
    """One client. ``peer`` comes from the OS; ``subscribed`` and ``role`` are set by the service."""

    def __init__(self, server: Server, peer: Peer) -> None:
        self.server = server
        self.peer = peer
        self.subscribed = False
        self.role: str | None = None
        self.closed = False
        self.closing = False
        """No more input is answered; the connection closes once what is queued for it is written."""
        self.inbuf = bytearray()
        self.account: AccountKey = account_key(peer)
        """Whom the connection counts against in the limits (``guardian.ipc.limits``)."""
        self.last_active = time.monotonic()
        """When the connection was opened or last sent a complete request."""
        self.partial_since: float | None = None
        """Since when a started request line waits for its end."""

    def output_stalled_since(self) -> float | None:
        """Since when output waits for a client that reads none of it (the transport knows)."""
        return None

    def send(self, message: dict[str, Any]) -> None:
        """Queue a message (a notice, usually) to this client; safe from any thread."""
        self.server.send_to(self, message)

    def wants(self, users: frozenset[str] | None, roles: frozenset[str] | None) -> bool:
        """Whether a broadcast to ``users`` and ``roles`` (``None``: everyone) reaches this client."""
        if not self.subscribed:
            return False
        if users is not None and self.peer.user not in users:
            return False
        return roles is None or self.role in roles

    def __repr__(self) -> str:
        return f"<Connection pid={self.peer.pid} user={self.peer.user}>"


class LineTooLarge(Exception):
    """The input holds (or is building) a line over :data:`MAX_MESSAGE` bytes."""


def take_line(buffer: bytearray) -> bytes | None:
    """Remove and return the next complete line (without ``\\n`` or a trailing ``\\r``), or ``None`` when
    the buffer holds no complete line yet. Raises :class:`LineTooLarge`."""
    end = buffer.find(b"\n")
    if end < 0:
        if len(buffer) > MAX_MESSAGE:
            raise LineTooLarge
        return None
    line = bytes(buffer[:end])
    del buffer[: end + 1]
    if len(line) > MAX_MESSAGE:
        raise LineTooLarge
    return line.rstrip(b"\r")


def busy_reply(reason: str) -> bytes:
    """The line a refused connection gets before it is closed."""
    return encode(error_message(None, ProtocolError(BUSY, reason)))


def too_large_reply() -> bytes:
    """The reply to a line over the limit; the connection is closed after it."""
    error = ProtocolError(TOO_LARGE, f"a message is at most {MAX_MESSAGE} bytes; closing")
    return encode(error_message(None, error))


def answer_line(dispatch: Dispatch, connection: Connection, line: bytes) -> bytes:
    """The encoded reply to one request line. Never raises for bad input or a handler's bug."""
    try:
        request = parse_request(line)
    except ProtocolError as exc:
        return encode(error_message(exc.request_id, exc))
    try:
        result = dispatch(request, connection.peer, connection)
        wire = result.to_wire() if isinstance(result, Message) else result
        return encode(result_message(request.id, wire))
    except IpcError as exc:
        return encode(error_message(request.id, exc))
    except Exception:
        log.exception("IPC method %s failed", request.method)
        error = ProtocolError(INTERNAL, "the agent hit an internal error; it has been logged")
        return encode(error_message(request.id, error))


C = TypeVar("C", bound=Connection)


class ServerBase(Generic[C]):
    """What both transports share. One *serving thread* (``_thread``) runs every dispatch, broadcast and
    ``on_stop``; other threads reach it through ``_post``. Subclasses move the bytes: ``_post`` (queue an
    item and wake the serving thread), ``_enqueue`` (queue bytes to a client, dropping one that stopped
    reading) and ``_too_large``."""

    _connection_type: type[C]

    def __init__(
        self,
        dispatch: Dispatch,
        on_disconnect: Callable[[Connection], None] | None,
        on_stop: Callable[[], None] | None,
        limits: Limits | None = None,
    ) -> None:
        self._dispatch = dispatch
        self._on_disconnect = on_disconnect
        self._on_stop = on_stop
        self.limits = limits if limits is not None else Limits()
        self._total = self.limits.effective_total()
        self._connections: set[C] = set()
        self._per_account: Counter[AccountKey] = Counter()
        self._queue: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    # -- cross-thread entry points ------------------------------------------------------------------

    def broadcast(
        self,
        event: dict[str, Any],
        *,
        users: Collection[str] | None = None,
        roles: Collection[str] | None = None,
    ) -> None:
        """Send ``event`` to subscribed connections, only those whose OS user is in ``users`` and whose
        token role is in ``roles`` when given. Safe from any thread."""
        data = encode(event)
        frozen_users = None if users is None else frozenset(users)
        frozen_roles = None if roles is None else frozenset(roles)
        self._post(("broadcast", data, frozen_users, frozen_roles))

    def send_to(self, connection: Connection, message: dict[str, Any]) -> None:
        if not isinstance(connection, self._connection_type):
            raise TypeError(f"{connection!r} is not a connection of this server")
        data = encode(message)
        if threading.current_thread() is self._thread:
            self._enqueue(connection, data)
        else:
            self._post(("send", connection, data))

    # -- on the serving thread --------------------------------------------------------------------

    def _broadcast_now(self, data: bytes, users: frozenset[str] | None, roles: frozenset[str] | None) -> None:
        for connection in list(self._connections):
            if connection.wants(users, roles):
                self._enqueue(connection, data)

    def _process_lines(self, connection: C) -> None:
        """Answer every complete line in the connection's input."""
        while not connection.closed and not connection.closing:
            try:
                line = take_line(connection.inbuf)
            except LineTooLarge:
                self._too_large(connection)
                return
            if line is None:
                break
            connection.last_active = time.monotonic()
            self._enqueue(connection, answer_line(self._dispatch, connection, line))
        if not connection.inbuf:
            connection.partial_since = None
        elif connection.partial_since is None:
            connection.partial_since = time.monotonic()

    # -- limits (see guardian.ipc.limits) ------------------------------------------------------------

    def _admit(self, connection: C) -> str | None:
        """Track a new connection, shedding another to make room when the total is reached. Returns
        ``None`` when admitted, else why it is refused (the caller closes it)."""
        if self._per_account[connection.account] >= self.limits.per_account:
            ratelog.warning(
                "refused-account", "refusing an IPC client of %s: too many connections", connection
            )
            return "too many connections from your account; close some and try again"
        if len(self._connections) >= self._total:
            victim = pick_victim(self._connections, not_account=connection.account)
            if victim is None:
                ratelog.warning("refused-total", "refusing an IPC client %r: the agent is full", connection)
                return "the agent is serving too many connections; try again soon"
            self._shed(victim, "to make room for another account")
        self._connections.add(connection)
        self._per_account[connection.account] += 1
        return None

    def _untrack(self, connection: C) -> None:
        if connection in self._connections:
            self._connections.discard(connection)
            self._per_account[connection.account] -= 1
            if self._per_account[connection.account] <= 0:
                del self._per_account[connection.account]

    def _shed(self, connection: C, why: str) -> None:
        ratelog.warning("shed", "dropping IPC client %r %s", connection, why)
        self._drop(connection)

    def _shed_one(self) -> bool:
        """Drop one connection (busiest account, idle first) to free a file; False when there is none."""
        victim = pick_victim(self._connections)
        if victim is None:
            return False
        self._shed(victim, "because the agent is out of files")
        return True

    def _sweep_timeout(self) -> float | None:
        """How long the serving thread may wait before the next sweep: ``None`` (no wake-up needed) while
        every connection is subscribed, with no unfinished request and no unread output."""
        for connection in self._connections:
            if (
                not connection.subscribed
                or connection.partial_since is not None
                or connection.output_stalled_since() is not None
            ):
                return self.limits.sweep_every
        return None

    def _sweep(self, now: float) -> None:
        """Drop idle and slow connections."""
        limits = self.limits
        for connection in list(self._connections):
            if connection.closed:
                continue
            stalled = connection.output_stalled_since()
            if not connection.subscribed and now - connection.last_active > limits.idle_s:
                self._shed(connection, f"idle for {limits.idle_s:.0f} s")
            elif connection.partial_since is not None and now - connection.partial_since > limits.slow_s:
                self._shed(connection, f"leaving a request unfinished for {limits.slow_s:.0f} s")
            elif stalled is not None and now - stalled > limits.slow_s:
                self._shed(connection, f"reading none of its replies for {limits.slow_s:.0f} s")

    def _notify_disconnect(self, connection: C) -> None:
        if self._on_disconnect is not None:
            try:
                self._on_disconnect(connection)
            except Exception:
                log.exception("on_disconnect failed")

    def _run_on_stop(self) -> None:
        """``on_stop`` runs last in the serving thread: the place to close what dispatch opened there."""
        if self._on_stop is None:
            return
        try:
            self._on_stop()
        except Exception:
            log.exception("on_stop failed")

    # -- the transport's part -----------------------------------------------------------------------

    def _post(self, item: tuple[Any, ...]) -> None:
        raise NotImplementedError

    def _enqueue(self, connection: C, data: bytes, *, force: bool = False) -> None:
        raise NotImplementedError

    def _too_large(self, connection: C) -> None:
        raise NotImplementedError

    def _drop(self, connection: C) -> None:
        raise NotImplementedError
