"""A real agent service on a real socket for the agent-link tests, and an agent that hangs.

``LinkAgent`` runs ``AgentService`` over ``IpcServer`` on a real SQLite file with a fake clock and a
fake agent view (no processes to watch); it can be stopped and started again on the same socket, as
an agent restarting. ``HungAgent`` accepts connections and never answers.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guardian.agent.service import AgentService, SessionReport
from guardian.agent.tokens import TokenStore
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.ipc.server import IpcServer
from guardian.store import Store
from tests.helpers import VN, ts

RULES = """
version = 1

[[child]]
name = "An"
accounts = ["an-account"]
screen_time = { default = "2h" }
"""


DEFAULT_STATUS: dict[str, Any] = {"agent": {"running": True}, "children": [{"child": "An", "state": "ok"}]}


@dataclass
class View:
    """What the service asks of the running agent: a fixed status, recorded locks, a set lock answer."""

    status: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_STATUS))
    locks: list[str] = field(default_factory=list)
    lock_answer: tuple[int, int] = (1, 1)
    sessions: list[tuple[str, SessionReport]] = field(default_factory=list)
    rules_changes: int = 0

    def live_status(self) -> dict[str, Any]:
        return dict(self.status)

    def report_session(self, user: str, report: SessionReport) -> None:
        self.sessions.append((user, report))

    def rules_changed(self) -> None:
        self.rules_changes += 1

    accounts: dict[str, str] = field(default_factory=lambda: {"an-account": "An"})

    def child_for_user(self, user: str) -> str | None:
        return self.accounts.get(user)

    def announce(self, event: dict[str, Any], users: object = None) -> None:
        raise AssertionError("the service broadcasts through the server")

    def lock_child(self, name: str) -> tuple[int, int]:
        self.locks.append(name)
        return self.lock_answer


class LinkAgent:
    """An agent service on ``<folder>/agent.sock``: :meth:`start`, :meth:`stop`, :meth:`restart`."""

    def __init__(
        self,
        home: Path,
        *,
        db: Path | None = None,
        status: dict[str, Any] | None = None,
        rules: str = RULES,
    ) -> None:
        """A new family (``rules``: one child "An") in ``home``, or the database ``db`` as it is."""
        self.clock = FakeClock(now=ts("2026-11-27 18:00"))
        self.db = db or home / "guardian.db"
        self.api = GuardianAPI(Store(self.db), self.clock, tz=VN)
        if db is None:
            self.api.import_rules(rules, "test")
        self.view = View() if status is None else View(status=status)
        self.folder = Path(tempfile.mkdtemp(prefix="gl"))  # short: socket paths are limited to 108 bytes
        self.folder.chmod(0o755)  # other accounts (a child's) may reach the socket, as in a real install
        self.path = self.folder / "agent.sock"
        self.server: IpcServer | None = None
        self.auths = 0

    def start(self) -> LinkAgent:
        service = AgentService(
            lambda: GuardianAPI(Store(self.db), self.clock, tz=VN), self.view, TokenStore(self.clock)
        )
        original = service._handlers["auth"]

        def counting_auth(*args: Any) -> dict[str, Any]:
            self.auths += 1
            return original(*args)

        service._handlers["auth"] = counting_auth
        self.server = IpcServer(self.path, service.dispatch, on_stop=service.close)
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def restart(self) -> None:
        """A new agent process: new tokens, same socket path."""
        self.stop()
        self.start()

    def broadcast(self, event: dict[str, Any]) -> None:
        assert self.server is not None
        self.server.broadcast(event)

    def close(self) -> None:
        self.stop()
        self.api.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class HungAgent:
    """A socket that accepts connections and reads what is sent, but never answers; with ``answer_first``
    it answers the first request of each connection, then hangs (an agent that got stuck)."""

    def __init__(self, *, answer_first: bool = False) -> None:
        self.answer_first = answer_first
        self.answered: set[int] = set()
        self.folder = Path(tempfile.mkdtemp(prefix="gh"))
        self.path = self.folder / "agent.sock"
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        self.listener.listen(8)
        self.accepted: list[socket.socket] = []
        self.received = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                for conn in self.accepted:
                    self._drain(conn)
                continue
            conn.setblocking(False)
            self.accepted.append(conn)

    def _drain(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(65536)
        except (BlockingIOError, OSError):
            return
        if not data:
            return
        self.received.set()
        if self.answer_first and conn.fileno() not in self.answered:
            self.answered.add(conn.fileno())
            request = json.loads(data.split(b"\n", 1)[0])
            conn.sendall(json.dumps({"id": request["id"], "result": {"children": []}}).encode() + b"\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self.accepted:
            conn.close()
        self.listener.close()
        shutil.rmtree(self.folder, ignore_errors=True)
