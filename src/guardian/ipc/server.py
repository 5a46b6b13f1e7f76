"""The agent's IPC server: a Unix socket served by one background thread with ``selectors``.

Every socket is non-blocking; many clients are served at once. Input is cut into lines and each line is
answered by the helpers shared with the named-pipe server (:mod:`guardian.ipc.connection`): parsed and
validated, then handed to ``dispatch(request, peer, connection)``, which returns the result object or raises
:class:`~guardian.ipc.protocol.IpcError`. Anything else it raises is a bug: logged with its traceback and
answered with ``internal``. The server never dies of input.

Each connection has a bounded outgoing buffer: a client that stops reading is dropped when the buffer
would overflow, so it cannot stall the agent. How many clients are served, and which are dropped when idle,
slow, too many, or when the process runs out of files, is :mod:`guardian.ipc.limits`. :meth:`IpcServer.broadcast` and :meth:`Connection.send`
may be called from any thread; they go through a queue and a wake-up socket pair.

Windows serves a named pipe instead (``pipe_server.PipeIpcServer``, same surface); :func:`make_server`
picks the transport for the running OS. :meth:`IpcServer.start` raises ``NotImplementedError`` where
``AF_UNIX`` is missing, but the module imports everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import selectors
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardian.ipc.connection import (
    Connection,
    Dispatch,
    ServerBase,
    busy_reply,
    ratelog,
    too_large_reply,
)
from guardian.ipc.limits import Limits
from guardian.ipc.peer import Peer, peer_credentials, user_name
from guardian.ipc.protocol import AgentAlreadyRunning

if TYPE_CHECKING:
    from guardian.ipc.pipe_server import PipeIpcServer
    from guardian.ipc.pipes import PipeApi

__all__ = ["DEFAULT_MAX_OUTGOING", "Connection", "Dispatch", "IpcServer", "make_server", "socket_answers"]

log = logging.getLogger("guardian.ipc")

DEFAULT_MAX_OUTGOING = 4 * 1024 * 1024
"""Bytes a connection may have waiting to be sent before it is dropped as not reading."""
RECV_SIZE = 64 * 1024
SOCKET_MODE = 0o666
OUT_OF_FILES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
"""``accept`` errors answered by shedding clients (and pausing accepts), never by stopping."""


class SocketConnection(Connection):
    """A client on the Unix socket, with its buffers and selector interest."""

    def __init__(self, server: IpcServer, sock: socket.socket, peer: Peer) -> None:
        super().__init__(server, peer)
        self.sock = sock
        self.outbuf = bytearray()
        self.events = 0
        self.stalled_since: float | None = None

    def output_stalled_since(self) -> float | None:
        return self.stalled_since


class IpcServer(ServerBase[SocketConnection]):
    _connection_type = SocketConnection

    def __init__(
        self,
        path: Path,
        dispatch: Dispatch,
        *,
        on_disconnect: Callable[[Connection], None] | None = None,
        on_stop: Callable[[], None] | None = None,
        max_outgoing: int = DEFAULT_MAX_OUTGOING,
        limits: Limits | None = None,
    ) -> None:
        super().__init__(dispatch, on_disconnect, on_stop, limits)
        self.path = Path(path)
        self._accept_paused_until: float | None = None
        self._max_outgoing = max_outgoing
        self._stopping = False
        self._inode: int | None = None
        self._listener: socket.socket | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._selector: selectors.BaseSelector | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Bind the socket and serve in a background thread. Raises ``AgentAlreadyRunning``."""
        if self._thread is not None:
            raise RuntimeError("the IPC server is already started")
        if not hasattr(socket, "AF_UNIX"):
            raise NotImplementedError("the named-pipe IPC server for Windows is not written yet")
        self._prepare_folder()
        self._claim_path()
        self._listener = self._bind()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, "listener")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="guardian-ipc", daemon=True)
        self._thread.start()
        log.info("IPC server listening on %s", self.path)

    def stop(self) -> None:
        """Close every connection and the socket, remove the socket file, join the thread. Idempotent."""
        thread = self._thread
        if thread is None:
            return
        self._stopping = True
        self._wake()
        if thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None
        for sock in (self._listener, self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()
        self._listener = self._wake_r = self._wake_w = None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        self._remove_socket_file()

    def _prepare_folder(self) -> None:
        """Make the system runtime folder (root-owned, 0755) when serving there; warn about a folder where
        other accounts could replace the socket."""
        from guardian.ipc.client import SERVICE_RUNTIME_DIR

        folder = self.path.parent
        if folder == SERVICE_RUNTIME_DIR:
            folder.mkdir(mode=0o755, parents=True, exist_ok=True)
            info = os.lstat(folder)
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                raise PermissionError(
                    f"{folder} is not a folder owned by the agent's account; refusing to serve there"
                )
            os.chmod(folder, 0o755)
            return
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            return
        if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
            log.warning(
                "the socket folder %s is writable by other accounts: one of them could replace the socket; "
                "use a folder only the agent's account can write (the default is %s)",
                folder,
                SERVICE_RUNTIME_DIR,
            )

    def _claim_path(self) -> None:
        """Remove what is left at the socket path: a stale socket, or one bound by another account (a child
        squatting the path to catch the parent's PIN). Only a live socket of the agent's own account (or
        root) means another agent runs."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(info.st_mode):
            raise FileExistsError(f"{self.path} exists and is not a socket; refusing to replace it")
        owner = user_name(info.st_uid) or f"uid {info.st_uid}"
        ours = info.st_uid in (0, os.geteuid())
        answers = socket_answers(self.path)
        if answers and ours:
            raise AgentAlreadyRunning(f"another Guardian agent is already running on {self.path}")
        if answers:
            log.warning(
                "the socket %s was bound by the account '%s', not by the agent, and answers: something is "
                "impersonating the agent (clients refuse to talk to it); replacing it",
                self.path,
                owner,
            )
        elif ours:
            log.info("removing the stale socket %s left by a previous agent", self.path)
        else:
            log.warning(
                "removing the stale socket %s left by the account '%s', not by the agent", self.path, owner
            )
        try:
            self.path.unlink(missing_ok=True)
        except PermissionError as exc:
            raise PermissionError(
                f"cannot remove {self.path} (bound by the account '{owner}'); "
                "start the agent with a socket in a folder only its account can write"
            ) from exc

    def _bind(self) -> socket.socket:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                listener.bind(str(self.path))
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                # re-bound between _claim_path and here: by another agent, or squatted again
                self._claim_path()
                listener.bind(str(self.path))
            os.chmod(self.path, SOCKET_MODE)
            listener.listen(64)
            listener.setblocking(False)
            self._inode = os.stat(self.path).st_ino
        except BaseException:
            listener.close()
            raise
        return listener

    def _remove_socket_file(self) -> None:
        try:
            if os.lstat(self.path).st_ino == self._inode:
                self.path.unlink()
        except FileNotFoundError:
            pass

    # -- cross-thread entry points ------------------------------------------------------------------

    def _post(self, item: tuple[Any, ...]) -> None:
        self._queue.put(item)
        self._wake()

    def _wake(self) -> None:
        wake = self._wake_w
        if wake is None:
            return
        with contextlib.suppress(OSError):  # full (a wake-up is already pending) or closed
            wake.send(b"\0")

    # -- the loop -------------------------------------------------------------------------------

    def _run(self) -> None:
        assert self._selector is not None
        next_sweep = time.monotonic() + self.limits.sweep_every
        try:
            while not self._stopping:
                for key, mask in self._selector.select(timeout=self._wait()):
                    self._handle(key.data, mask)
                now = time.monotonic()
                if self._accept_paused_until is not None and now >= self._accept_paused_until:
                    self._resume_accepting()
                if now >= next_sweep:
                    next_sweep = now + self.limits.sweep_every
                    self._sweep(now)
        except Exception:
            log.exception("the IPC server loop failed")
        finally:
            for connection in list(self._connections):
                self._drop(connection)
            self._run_on_stop()

    def _wait(self) -> float | None:
        """The selector's time-out: until the next sweep or the end of an accept pause, else none."""
        waits = [w for w in (self._sweep_timeout(),) if w is not None]
        if self._accept_paused_until is not None:
            waits.append(max(0.0, self._accept_paused_until - time.monotonic()))
        return min(waits) if waits else None

    def _handle(self, data: Any, mask: int) -> None:
        try:
            if data == "listener":
                self._accept()
            elif data == "wake":
                self._drain_queue()
            else:
                if mask & selectors.EVENT_READ:
                    self._read(data)
                if mask & selectors.EVENT_WRITE and not data.closed:
                    self._flush(data)
        except Exception:
            log.exception("IPC connection failed")
            if isinstance(data, SocketConnection):
                self._drop(data)

    def _accept(self) -> None:
        assert self._listener is not None and self._selector is not None
        for _ in range(64):
            try:
                sock, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in OUT_OF_FILES:
                    self._out_of_files(exc)
                else:
                    ratelog.warning("accept", "cannot accept an IPC client: %s", exc)
                return
            sock.setblocking(False)
            connection = SocketConnection(self, sock, peer_credentials(sock))
            refused = self._admit(connection)
            if refused is not None:
                with contextlib.suppress(OSError):
                    sock.send(busy_reply(refused))
                sock.close()
                continue
            connection.events = selectors.EVENT_READ
            self._selector.register(sock, selectors.EVENT_READ, connection)

    def _out_of_files(self, exc: OSError) -> None:
        """Shed a client to free a file; with none to shed, stop accepting for a moment (never die)."""
        ratelog.warning("out-of-files", "cannot accept an IPC client (%s); shedding clients", exc)
        if self._shed_one():
            return
        assert self._selector is not None and self._listener is not None
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(self._listener)
        self._accept_paused_until = time.monotonic() + self.limits.pause_accept_s

    def _resume_accepting(self) -> None:
        self._accept_paused_until = None
        if self._selector is not None and self._listener is not None:
            self._selector.register(self._listener, selectors.EVENT_READ, "listener")

    def _drain_queue(self) -> None:
        assert self._wake_r is not None
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item[0] == "broadcast":
                self._broadcast_now(*item[1:])
            else:
                self._enqueue(item[1], item[2])

    # -- reading ------------------------------------------------------------------------------

    def _read(self, connection: SocketConnection) -> None:
        try:
            chunk = connection.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(connection)
            return
        if not chunk:
            self._end_of_input(connection)
            return
        connection.inbuf += chunk
        self._process_lines(connection)

    def _end_of_input(self, connection: SocketConnection) -> None:
        """The client closed its side: finish sending what is queued, then close."""
        connection.closing = True
        if connection.outbuf:
            self._update_interest(connection)
        else:
            self._drop(connection)

    def _too_large(self, connection: SocketConnection) -> None:
        connection.inbuf.clear()
        connection.closing = True
        self._enqueue(connection, too_large_reply(), force=True)
        if not connection.closed and not connection.outbuf:
            self._drop(connection)

    # -- writing ------------------------------------------------------------------------------

    def _enqueue(self, connection: SocketConnection, data: bytes, *, force: bool = False) -> None:
        if connection.closed:
            return
        if not force and connection.outbuf and len(connection.outbuf) + len(data) > self._max_outgoing:
            self._shed(connection, "because it is not reading its messages")
            return
        connection.outbuf += data
        self._flush(connection)

    def _flush(self, connection: SocketConnection) -> None:
        while connection.outbuf:
            try:
                sent = connection.sock.send(connection.outbuf)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._drop(connection)
                return
            del connection.outbuf[:sent]
            connection.stalled_since = None
        if connection.outbuf and connection.stalled_since is None:
            connection.stalled_since = time.monotonic()
        if connection.closing and not connection.outbuf:
            self._drop(connection)
            return
        self._update_interest(connection)

    def _update_interest(self, connection: SocketConnection) -> None:
        assert self._selector is not None
        events = 0 if connection.closing else selectors.EVENT_READ
        if connection.outbuf:
            events |= selectors.EVENT_WRITE
        if events != connection.events:
            self._selector.modify(connection.sock, events, connection)
            connection.events = events

    def _drop(self, connection: SocketConnection) -> None:
        if connection.closed:
            return
        connection.closed = True
        self._untrack(connection)
        if self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(connection.sock)
        connection.sock.close()
        self._notify_disconnect(connection)


def socket_answers(path: Path, timeout: float = 1.0) -> bool:
    """True when something accepts connections on the Unix socket ``path``."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(str(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def make_server(
    path: Path,
    dispatch: Dispatch,
    *,
    pipes: PipeApi | None = None,
    on_disconnect: Callable[[Connection], None] | None = None,
    on_stop: Callable[[], None] | None = None,
    max_outgoing: int = DEFAULT_MAX_OUTGOING,
    limits: Limits | None = None,
) -> IpcServer | PipeIpcServer:
    """The agent's server for this OS: the named pipe for ``path`` on Windows (or whenever ``pipes`` is
    given), else the Unix socket at ``path``. Both have the same surface."""
    if pipes is None and sys.platform != "win32":
        return IpcServer(
            path,
            dispatch,
            on_disconnect=on_disconnect,
            on_stop=on_stop,
            max_outgoing=max_outgoing,
            limits=limits,
        )
    from guardian.ipc.pipe_server import PipeIpcServer

    return PipeIpcServer(
        path,
        dispatch,
        pipes=pipes,
        on_disconnect=on_disconnect,
        on_stop=on_stop,
        max_outgoing=max_outgoing,
        limits=limits,
    )
