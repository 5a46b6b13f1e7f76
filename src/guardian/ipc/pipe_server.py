"""The agent's IPC server on Windows: a named pipe, with the same surface and protocol as ``IpcServer``.

Threads (all daemons, all ended by :meth:`PipeIpcServer.stop`):

* one **accept** thread: waits for a client on the free pipe instance, reads the client's pid from the pipe,
  creates the next instance and hands the connection to the dispatch thread;
* per connection, a **reader** (blocking reads, one chunk in flight: it waits until the dispatch thread has
  handled its chunk, so a fast client is slowed down, as on a socket) and a **writer** (blocking writes of
  what is queued, so a client that stops reading stalls only its own writer);
* one **dispatch** thread: cuts lines, answers them (:func:`~guardian.ipc.connection.answer_line`), runs
  broadcasts and ``on_stop``. ``dispatch`` only ever runs on this thread, like the Unix server's one thread,
  because the agent's service opens its SQLite-backed API in the thread that calls it.

Output waiting for a connection is capped at ``max_outgoing`` bytes; past it the client is dropped. The Win32
calls are behind :class:`~guardian.ipc.pipes.PipeApi`; the tests run this server over a fake of it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guardian.ipc.connection import (
    Connection,
    Dispatch,
    ServerBase,
    too_large_reply,
)
from guardian.ipc.limits import Limits
from guardian.ipc.peer import Peer, process_owner
from guardian.ipc.pipes import PipeApi, pipe_name

log = logging.getLogger("guardian.ipc")

DEFAULT_MAX_OUTGOING = 4 * 1024 * 1024
READ_SIZE = 64 * 1024
JOIN_TIMEOUT = 10.0
CREATE_RETRY = 1.0
"""Seconds between attempts when the system refuses a new pipe instance."""


class PipeConnection(Connection):
    """A client on one pipe instance: its input buffer, its outbox and the handle its threads share."""

    def __init__(self, server: PipeIpcServer, handle: int, peer: Peer) -> None:
        super().__init__(server, peer)
        self.handle = handle
        self.consumed = threading.Semaphore(0)
        """Released by the dispatch thread when the reader's chunk is handled, and when it drops the
        connection: a semaphore, so a release that comes before the reader waits is not lost."""
        self.outbox = Outbox()
        self.threads: list[threading.Thread] = []
        self._holders = 0
        self._lock = threading.Lock()

    def output_stalled_since(self) -> float | None:
        return self.outbox.stalled_since

    def hold(self) -> None:
        with self._lock:
            self._holders += 1

    def release(self, pipes: PipeApi) -> None:
        """A thread is done with the handle; the last one closes it."""
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                pipes.close(self.handle)

    def cancel(self, pipes: PipeApi) -> None:
        """Unblock the reader and the writer, unless the handle is closed already (its number may have
        been given to another pipe since)."""
        with self._lock:
            if self._holders > 0:
                pipes.cancel(self.handle)


class Outbox:
    """Bytes waiting for a connection's writer thread."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.chunks: deque[bytes] = deque()
        self.pending = 0
        """Bytes queued or being written."""
        self.stalled_since: float | None = None
        """Since when bytes wait that the client has not taken."""
        self.finishing = False
        self.aborted = False

    def put(self, data: bytes) -> None:
        with self.cond:
            if not self.pending:
                self.stalled_since = time.monotonic()
            self.chunks.append(data)
            self.pending += len(data)
            self.cond.notify()

    def finish(self) -> None:
        """Write what is queued, then stop."""
        with self.cond:
            self.finishing = True
            self.cond.notify()

    def abort(self) -> None:
        """Stop now; what is queued is thrown away."""
        with self.cond:
            self.aborted = True
            self.chunks.clear()
            self.cond.notify()

    def take(self) -> bytes | None:
        """The next bytes to write, or ``None`` when the writer should stop. Blocks."""
        with self.cond:
            while not self.chunks and not self.finishing and not self.aborted:
                self.cond.wait()
            if self.aborted or not self.chunks:
                return None
            data = b"".join(self.chunks)
            self.chunks.clear()
            return data

    def written(self, count: int) -> None:
        with self.cond:
            self.pending -= count
            self.stalled_since = time.monotonic() if self.pending else None


class PipeIpcServer(ServerBase[PipeConnection]):
    _connection_type = PipeConnection

    def __init__(
        self,
        address: Path | str,
        dispatch: Dispatch,
        *,
        pipes: PipeApi | None = None,
        owner_of: Callable[[int | None], str | None] = process_owner,
        on_disconnect: Callable[[Connection], None] | None = None,
        on_stop: Callable[[], None] | None = None,
        max_outgoing: int = DEFAULT_MAX_OUTGOING,
        limits: Limits | None = None,
    ) -> None:
        super().__init__(dispatch, on_disconnect, on_stop, limits)
        self.path = address
        self.name = pipe_name(address)
        self._pipes = pipes if pipes is not None else _win32_pipes()
        self._owner_of = owner_of
        self._max_outgoing = max_outgoing
        self._all: list[PipeConnection] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listening: int | None = None
        self._acceptor: threading.Thread | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Create the first pipe instance and serve in background threads. Raises ``AgentAlreadyRunning``."""
        if self._thread is not None:
            raise RuntimeError("the IPC server is already started")
        handle = self._pipes.create(self.name, first=True)
        self._stopping.clear()
        self._listening = handle
        self._thread = threading.Thread(target=self._run, name="guardian-ipc", daemon=True)
        self._acceptor = threading.Thread(
            target=self._accept_loop, args=(handle,), name="guardian-ipc-accept", daemon=True
        )
        self._thread.start()
        self._acceptor.start()
        log.info("IPC server listening on %s", self.name)

    def stop(self) -> None:
        """Unblock and end every thread, close every handle, run ``on_stop``. Idempotent."""
        thread, acceptor = self._thread, self._acceptor
        if thread is None or acceptor is None:
            return
        with self._lock:
            self._stopping.set()
            if self._listening is not None:
                self._pipes.cancel(self._listening)
        self._post(("stop",))
        if thread is threading.current_thread():
            return  # called by a handler: the dispatch thread ends after it
        for waited in (thread, acceptor):
            waited.join(timeout=JOIN_TIMEOUT)
        for connection in self._all:
            for worker in connection.threads:
                worker.join(timeout=JOIN_TIMEOUT)
        self._close_unopened()
        self._thread = self._acceptor = None
        self._all = []

    def _close_unopened(self) -> None:
        """Connections accepted after the dispatch thread ended: their threads never started."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item[0] == "open":
                self._pipes.close(item[1].handle)

    # -- cross-thread entry points ------------------------------------------------------------------

    def _post(self, item: tuple[Any, ...]) -> None:
        self._queue.put(item)

    # -- accept thread ------------------------------------------------------------------------------

    def _accept_loop(self, handle: int) -> None:
        try:
            while self._pipes.accept(handle) and not self._stopping.is_set():
                with self._lock:
                    self._listening = None
                peer = self._peer(handle)
                next_handle = self._next_instance()
                self._post(("open", PipeConnection(self, handle, peer)))
                if next_handle is None:
                    return
                handle = next_handle
        except Exception:
            log.exception("waiting for IPC clients failed; no new clients will be served")
        with self._lock:
            self._listening = None
            self._pipes.close(handle)

    def _peer(self, handle: int) -> Peer:
        pid = self._pipes.client_pid(handle)
        return Peer(pid, None, self._owner_of(pid))

    def _next_instance(self) -> int | None:
        """The next free pipe instance, made the one ``stop`` cancels; ``None`` once stopping."""
        while not self._stopping.is_set():
            try:
                handle = self._pipes.create(self.name, first=False)
            except OSError as exc:
                log.warning("cannot create a new pipe instance (%s); trying again", exc)
                self._stopping.wait(CREATE_RETRY)
                continue
            with self._lock:
                self._listening = handle
                if self._stopping.is_set():
                    self._pipes.cancel(handle)
            return handle
        return None

    # -- reader and writer threads ----------------------------------------------------------------

    def _read_loop(self, connection: PipeConnection) -> None:
        try:
            while True:
                chunk = self._pipes.read(connection.handle, READ_SIZE)
                if not chunk:
                    self._post(("eof", connection))
                    return
                self._post(("data", connection, chunk))
                connection.consumed.acquire()
                if connection.closed or connection.closing:
                    return
        except Exception:
            log.exception("reading from an IPC client failed")
            self._post(("eof", connection))
        finally:
            connection.release(self._pipes)

    def _write_loop(self, connection: PipeConnection) -> None:
        try:
            while (data := connection.outbox.take()) is not None:
                self._pipes.write(connection.handle, data)
                connection.outbox.written(len(data))
        except OSError:
            pass  # the client left, or it was dropped
        except Exception:
            log.exception("writing to an IPC client failed")
        finally:
            self._post(("finished", connection))
            connection.release(self._pipes)

    # -- dispatch thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        next_sweep = time.monotonic() + self.limits.sweep_every
        try:
            while True:
                try:
                    item = self._queue.get(timeout=self._sweep_timeout())
                except queue.Empty:
                    item = ("sweep",)
                if item[0] == "stop":
                    break
                try:
                    self._handle(item)
                except Exception:
                    log.exception("IPC connection failed")
                    if len(item) > 1 and isinstance(item[1], PipeConnection):
                        self._drop(item[1])
                now = time.monotonic()
                if now >= next_sweep:
                    next_sweep = now + self.limits.sweep_every
                    self._sweep(now)
        finally:
            for connection in list(self._connections):
                self._drop(connection)
            self._run_on_stop()

    def _handle(self, item: tuple[Any, ...]) -> None:
        kind = item[0]
        if kind == "broadcast":
            self._broadcast_now(*item[1:])
        elif kind == "open":
            self._open(item[1])
        elif kind == "data":
            self._data(item[1], item[2])
        elif kind == "send":
            self._enqueue(item[1], item[2])
        elif kind == "eof":
            self._end_of_input(item[1])
        elif kind == "finished":
            self._drop(item[1])

    def _open(self, connection: PipeConnection) -> None:
        if self._admit(connection) is not None:
            self._pipes.close(connection.handle)  # no thread holds it yet
            return
        self._all = [c for c in self._all if any(t.is_alive() for t in c.threads)]
        self._all.append(connection)
        workers = ((self._read_loop, "reader"), (self._write_loop, "writer"))
        for _ in workers:  # both hold the handle before either starts: a reader that ends at once
            connection.hold()  # must not close it under the writer
        for target, role in workers:
            worker = threading.Thread(
                target=target, args=(connection,), name=f"guardian-ipc-{role}", daemon=True
            )
            connection.threads.append(worker)
            worker.start()

    def _data(self, connection: PipeConnection, chunk: bytes) -> None:
        try:
            if not connection.closed and not connection.closing:
                connection.inbuf += chunk
                self._process_lines(connection)
        finally:
            connection.consumed.release()

    def _too_large(self, connection: PipeConnection) -> None:
        connection.inbuf.clear()
        connection.closing = True
        self._enqueue(connection, too_large_reply(), force=True)
        connection.outbox.finish()

    def _end_of_input(self, connection: PipeConnection) -> None:
        """The client closed its side: finish writing what is queued, then close."""
        if not connection.closed:
            connection.closing = True
            connection.outbox.finish()

    def _enqueue(self, connection: PipeConnection, data: bytes, *, force: bool = False) -> None:
        if connection.closed:
            return
        pending = connection.outbox.pending
        if not force and pending and pending + len(data) > self._max_outgoing:
            self._shed(connection, "because it is not reading its messages")
            return
        connection.outbox.put(data)

    def _drop(self, connection: PipeConnection) -> None:
        if connection.closed:
            return
        connection.closed = True
        self._untrack(connection)
        connection.outbox.abort()
        connection.consumed.release()
        connection.cancel(self._pipes)
        self._notify_disconnect(connection)


def _win32_pipes() -> PipeApi:  # pragma: no cover - Windows only
    from guardian.ipc.pipes import Win32Pipes

    return Win32Pipes()
