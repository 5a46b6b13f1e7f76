"""macOS: Endpoint Security ``AUTH_EXEC`` (deny an exec before it runs) and ``NOTIFY_FORK/EXEC/EXIT``.

UNVERIFIED: written and unit-tested with Endpoint Security faked, never run on a real Mac (see
docs/platforms.md). An Endpoint Security client must be a signed, notarized binary holding the
``com.apple.developer.endpoint-security.client`` entitlement (granted by Apple on request), run as root,
with Full Disk Access; Python cannot hold the entitlement. The design is a small helper (Swift, shipped
with the signed installer) that creates the client, subscribes to the four events and relays each message
as one JSON line on its stdout, reading answers as JSON lines on its stdin. ``EsHelper`` speaks that line
protocol; ``EsExecGuard`` holds the logic and takes any object with ``EsApi``'s methods. The helper itself
is not written yet.

The rules are Linux's: only execs by a watched account (the audit token's real uid) are judged, everyone
else is allowed at once; the judge runs with a budget, and anything slow, failing or unknown is allowed.
Endpoint Security kills a client that misses a message's deadline, so the budget is the smaller of
``budget`` and the message's own deadline less a margin. A dead helper (or agent) means no client: the
kernel lets everything run.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import IO, Protocol

from guardian.platform.linux_procevents import ProcEvent

log = logging.getLogger("guardian.platform")

AUTH_EXEC = "auth_exec"
NOTIFY = {"notify_fork": "fork", "notify_exec": "exec", "notify_exit": "exit"}
BUDGET = 0.25
MARGIN = 0.5
"""Seconds kept back before a message's deadline."""


@dataclass
class EsMessage:
    id: int
    event: str
    pid: int
    uid: int | None
    path: str
    deadline_s: float | None = None
    """Seconds left to answer (AUTH messages); None for NOTIFY."""
    parent: int | None = None
    note: object = None


class EsApi(Protocol):
    def next_message(self, timeout: float) -> EsMessage | None: ...

    def respond(self, message: EsMessage, allow: bool) -> None:
        """``es_respond_auth_result`` (never cached: the rules change through the day)."""
        ...


Judge = Callable[[EsMessage], bool]


class EsExecGuard:
    """Answers every ``AUTH_EXEC`` within its budget; hands NOTIFY events on as ``ProcEvent`` batches."""

    def __init__(
        self,
        api: EsApi,
        judge: Judge,
        watched: Collection[int] = (),
        *,
        on_events: Callable[[list[ProcEvent], bool], None] | None = None,
        on_denied: Callable[[EsMessage], None] | None = None,
        budget: float = BUDGET,
    ) -> None:
        self.api = api
        self.judge = judge
        self.watched = frozenset(watched)
        self.on_events = on_events
        self.on_denied = on_denied
        self.budget = budget
        self._stop = threading.Event()
        self._jobs: queue.SimpleQueue[tuple[EsMessage, Future[bool]] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    def set_watched(self, uids: Collection[int]) -> None:
        self.watched = frozenset(uids)

    def start(self) -> EsExecGuard:
        for name, target in (("reader", self._read_loop), ("judge", self._judge_loop)):
            thread = threading.Thread(target=target, name=f"guardian-es-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=2.0)

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.api.next_message(0.5)
                if message is not None:
                    self.handle(message)
            except Exception:
                log.exception("reading Endpoint Security messages failed")
                if self.on_events is not None:
                    self.on_events([], True)
                self._stop.wait(0.5)

    def handle(self, message: EsMessage) -> None:
        """One message: NOTIFY passed on; AUTH_EXEC answered (judged only for a watched account)."""
        kind = NOTIFY.get(message.event)
        if kind is not None:
            if self.on_events is not None:
                self.on_events([ProcEvent(kind, message.pid, message.pid, parent=message.parent)], False)
            return
        if message.event != AUTH_EXEC:
            self.api.respond(message, True)
            return
        if message.uid is None or message.uid not in self.watched:
            self.api.respond(message, True)
            return
        allow = self._judged(message)
        self.api.respond(message, allow)
        if not allow and self.on_denied is not None:
            try:
                self.on_denied(message)
            except Exception:
                log.exception("reporting a denied exec failed")

    def _judged(self, message: EsMessage) -> bool:
        budget = self.budget
        if message.deadline_s is not None:
            budget = min(budget, max(0.0, message.deadline_s - MARGIN))
        answer: Future[bool] = Future()
        self._jobs.put((message, answer))
        try:
            return bool(answer.result(timeout=budget))
        except FutureTimeout:
            log.warning(
                "an exec by uid %s waited %.0f ms for a judgement: allowed", message.uid, budget * 1000
            )
            return True
        except Exception:
            log.exception("judging an exec failed: allowed")
            return True

    def _judge_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            message, answer = job
            if not answer.set_running_or_notify_cancel():
                continue
            try:
                answer.set_result(self.judge(message))
            except Exception as exc:
                answer.set_exception(exc)


class EsHelper:
    """The signed helper's JSON-line protocol (one message per line out, one answer per line in)."""

    def __init__(self, proc: subprocess.Popen[str] | None = None, *, command: tuple[str, ...] = ()) -> None:
        self.proc = proc or subprocess.Popen(
            list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: IO[str] | None) -> None:
        if stream is not None:
            for line in stream:
                self._lines.put(line)
        self._lines.put(None)

    def next_message(self, timeout: float) -> EsMessage | None:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            raise EOFError("the Endpoint Security helper ended")
        return parse_message(line)

    def respond(self, message: EsMessage, allow: bool) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"id": message.id, "allow": allow}) + "\n")
        self.proc.stdin.flush()


def parse_message(line: str) -> EsMessage | None:
    """One helper line: ``{"id", "event", "pid", "uid", "path", "deadline_ms", "ppid"}``; None when malformed."""
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            return None
        deadline = data.get("deadline_ms")
        parent = data.get("ppid")
        uid = data.get("uid")
        return EsMessage(
            id=int(data["id"]),
            event=str(data["event"]),
            pid=int(data["pid"]),
            uid=int(uid) if uid is not None else None,
            path=str(data.get("path", "")),
            deadline_s=float(deadline) / 1000 if deadline is not None else None,
            parent=int(parent) if parent is not None else None,
        )
    except (ValueError, TypeError, KeyError):
        return None
