"""The client's end of the Windows named pipe, as the byte stream :class:`~guardian.ipc.client.IpcClient`
reads and writes.

A reader thread reads the pipe as data comes and queues the chunks, so :meth:`PipeStream.receive` can wait
with a timeout (a blocking pipe read cannot). Writes are blocking. :meth:`PipeStream.close` cancels the
reader's read, waits for it and only then closes the handle, so no thread uses a closed handle.
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

from guardian.ipc.pipes import PipeApi, pipe_name, trusted_owner
from guardian.ipc.protocol import UntrustedAgent

log = logging.getLogger("guardian.ipc")

READ_SIZE = 256 * 1024
CONNECT_TIMEOUT = 2.0
"""Seconds to wait while every pipe instance is busy (the agent creates the next one at once)."""
JOIN_TIMEOUT = 5.0


class PipeStream:
    def __init__(self, pipes: PipeApi, handle: int) -> None:
        self._pipes = pipes
        self._handle = handle
        self._chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._ended = False
        self._reader = threading.Thread(target=self._read_loop, name="guardian-ipc-client", daemon=True)
        self._reader.start()

    @classmethod
    def open(cls, address: Path | str, pipes: PipeApi, timeout: float = CONNECT_TIMEOUT) -> PipeStream:
        """Connect to the agent's pipe for ``address``; raises ``AgentNotRunning``.

        Before anything is sent, the pipe's owner must be SYSTEM, the administrators or this account
        (:func:`~guardian.ipc.pipes.trusted_owner`); otherwise ``UntrustedAgent``: a pipe a child's
        account created under the agent's name while the agent was down never sees a PIN.
        """
        name = pipe_name(address)
        handle = pipes.connect(name, timeout)
        owner = pipes.owner_sid(handle)
        if not trusted_owner(owner, pipes.own_sid()):
            pipes.close(handle)
            log.warning("refusing %s: it is served by %s, not by the Guardian agent's account", name, owner)
            raise UntrustedAgent(
                f"{name} is not served by the Guardian agent (owner {owner}); not connecting"
            )
        return cls(pipes, handle)

    def send(self, data: bytes) -> None:
        """Write everything; ``OSError`` when the agent has gone."""
        self._pipes.write(self._handle, data)

    def receive(self, timeout: float | None) -> bytes | None:
        """The next bytes; ``b""`` once the agent has closed the pipe; ``None`` after ``timeout`` seconds."""
        if self._ended:
            return b""
        try:
            chunk = self._chunks.get(timeout=timeout)
        except queue.Empty:
            return None
        self._ended = not chunk
        return chunk

    def close(self) -> None:
        self._pipes.cancel(self._handle)
        self._reader.join(timeout=JOIN_TIMEOUT)
        if self._reader.is_alive():  # pragma: no cover - a read that ignores cancellation
            log.warning("the IPC client's reader did not stop; leaving its pipe handle open")
            return
        self._pipes.close(self._handle)

    def _read_loop(self) -> None:
        try:
            while chunk := self._pipes.read(self._handle, READ_SIZE):
                self._chunks.put(chunk)
        except OSError:
            pass
        finally:
            self._chunks.put(b"")
