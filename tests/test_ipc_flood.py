"""A child's account floods the agent's socket: the agent keeps enforcing, other accounts still get in.

Issue 9, item 1. The child is a real second account (``useradd``/``userdel``) running ``flood_client.py``;
the agent runs as root, its socket reachable by the child as a tray's must be.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from guardian.api import GuardianAPI
from guardian.clock import SystemClock
from guardian.ipc.client import IpcClient
from guardian.ipc.limits import Limits, RateLimitedLog
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import Request
from guardian.ipc.server import Connection, IpcServer
from guardian.store import Store
from tests.agent_harness import AgentProcess, app_binary, family, wait_for
from tests.second_account import as_account, temporary_account, uid_of

pytestmark = pytest.mark.slow
FLOOD = str(Path(__file__).with_name("flood_client.py"))


@pytest.fixture
def kid() -> Iterator[str]:
    with temporary_account() as name:
        yield name


@pytest.fixture
def place() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="gxwi-flood-"))
    folder.chmod(0o755)
    (folder / "run").mkdir(mode=0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def flood(kid: str, path: Path, count: int, *flags: str) -> Iterator[dict[str, Any]]:
    """``count`` connections from ``kid``'s account, held until the block ends."""
    proc = subprocess.Popen(
        as_account(kid, FLOOD, str(path), str(count), *flags),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "the flood client said nothing"
        yield json.loads(line)
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
    if request.method == "subscribe":
        connection.subscribed = True
    return {"user": peer.user}


@contextmanager
def serving(path: Path, limits: Limits) -> Iterator[IpcServer]:
    server = IpcServer(path, dispatch, limits=limits)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def held_by(server: IpcServer, uid: int) -> list[Connection]:
    return [c for c in list(server._connections) if c.peer.uid == uid]


def test_a_flood_of_connections_never_stops_enforcement(kid: str, place: Path) -> None:
    """20,000 held connections once killed the agent (EMFILE in the tick). Here the agent's file limit is
    128, and the child holds 2,000: the agent keeps ticking, answers the parent, kills the child's blocked
    game, and logs the refusals a handful of times, not thousands."""
    home = place / "home"
    home.mkdir(mode=0o700)
    with Store(home / "guardian.db") as store:
        GuardianAPI(store, SystemClock()).import_rules(family(accounts=(kid,)), "family.toml")
    game = app_binary(place, "guardian-blocked-app")
    sock = place / "run" / "agent.sock"
    agent = AgentProcess(
        home, env={"GUARDIAN_SOCKET": str(sock)}, prefix=["prlimit", "--nofile=128:128", "--"]
    )
    try:
        with flood(kid, sock, 2000) as counts:
            assert counts["opened"] + counts["failed"] == 2000
            ticks = agent.ticks()
            wait_for("the agent to keep ticking", lambda: agent.ticks() >= ticks + 4 or agent._died())
            with IpcClient(sock) as parent:
                pid = wait_for(
                    "the live status", lambda: parent.call("status")["agent"].get("pid")
                )  # after a tick
                assert pid == agent.pid
            played = subprocess.Popen(
                ["runuser", "-u", kid, "--", str(game), "600"], stderr=subprocess.DEVNULL
            )
            assert played.wait(timeout=15) != 0, "the blocked game was not stopped during the flood"
        assert agent.proc.poll() is None, agent.log.read_text()
    finally:
        code = agent.stop()
    text = agent.log.read_text()
    assert code == 0, text
    assert "Traceback" not in text
    about_clients = [line for line in text.splitlines() if "IPC client" in line]
    assert 1 <= len(about_clients) <= 20, f"{len(about_clients)} log lines about IPC clients"


def test_one_account_holds_at_most_its_share_and_never_locks_another_out(kid: str, place: Path) -> None:
    path = place / "run" / "agent.sock"
    with serving(path, Limits(per_account=8, total=8)) as server:
        uid = uid_of(kid)
        with flood(kid, path, 300) as counts:
            assert counts["opened"] + counts["failed"] == 300
            wait_for("the child's extra connections to be refused", lambda: len(held_by(server, uid)) == 8)
            with IpcClient(path) as parent:  # the total is reached: the child's account gives one up
                assert parent.call("status") == {"user": "root"}
                assert len(held_by(server, uid)) == 7
                assert len(server._connections) == 8


def test_idle_and_half_sent_connections_are_dropped_subscribers_kept(kid: str, place: Path) -> None:
    path = place / "run" / "agent.sock"
    limits = Limits(idle_s=0.5, slow_s=0.5, sweep_every=0.1)
    with serving(path, limits) as server:
        uid = uid_of(kid)
        with flood(kid, path, 3), flood(kid, path, 3, "--partial"), flood(kid, path, 3, "--subscribe"):
            wait_for("the child's connections to be opened", lambda: len(held_by(server, uid)) >= 3)
            wait_for(
                "idle and slow connections to be dropped",
                lambda: [c.subscribed for c in held_by(server, uid)] == [True] * 3,
            )


class OutOfFiles:
    """The listener, failing ``accept`` with EMFILE ``times`` times."""

    def __init__(self, real: socket.socket, times: int) -> None:
        self.real = real
        self.times = times

    def accept(self) -> tuple[socket.socket, Any]:
        if self.times > 0:
            self.times -= 1
            raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))
        return self.real.accept()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_out_of_files_sheds_clients_and_keeps_serving(
    kid: str, place: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = place / "run" / "agent.sock"
    limits = Limits(pause_accept_s=0.05, sweep_every=0.05)
    caplog.set_level(logging.WARNING, logger="guardian.ipc")
    with serving(path, limits) as server:
        uid = uid_of(kid)
        with flood(kid, path, 3):
            wait_for("the child's connections", lambda: len(held_by(server, uid)) == 3)
            server._listener = OutOfFiles(server._listener, times=8)  # type: ignore[assignment]
            with IpcClient(path) as parent:
                assert parent.call("status", timeout=10) == {"user": "root"}
            assert held_by(server, uid) == [], "nothing was shed to free files"
            assert server._thread is not None and server._thread.is_alive()
    out_of_files = [r for r in caplog.records if "cannot accept" in r.getMessage()]
    assert len(out_of_files) == 1, [r.getMessage() for r in out_of_files]


def test_rate_limited_log_counts_what_it_holds_back(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    limited = RateLimitedLog(logging.getLogger("guardian.test"), every=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="guardian.test"):
        for _ in range(26595):
            limited.warning("same", "cannot do %s", "it")
        now[0] = 11.0
        limited.warning("same", "cannot do %s", "it")
        limited.warning("other", "something else")
    assert [r.getMessage() for r in caplog.records] == [
        "cannot do it",
        "cannot do it (and 26594 more like it in the last 10 s)",
        "something else",
    ]
