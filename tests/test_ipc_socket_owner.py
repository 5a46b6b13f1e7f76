"""A child's account binds the agent's socket path first (issue 9, item 5).

The parent's client must never talk to it (no forged status, no PIN sent), the agent must take its path
back and say what it found, and the system agent's socket lives in a root-owned runtime folder that session
users can reach. The child is a real second account running ``squat_socket.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from guardian.ipc import client as client_module
from guardian.ipc.client import IpcClient, agent_socket_path, default_socket_path
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import Request, UntrustedAgent
from guardian.ipc.server import Connection, IpcServer
from tests.agent_harness import AgentProcess, wait_for
from tests.second_account import as_account, temporary_account

pytestmark = pytest.mark.slow
SQUAT = str(Path(__file__).with_name("squat_socket.py"))


@pytest.fixture
def kid() -> Iterator[str]:
    with temporary_account() as name:
        yield name


@pytest.fixture
def place() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="gxwi-squat-"))
    folder.chmod(0o755)
    (folder / "tmp").mkdir()
    (folder / "tmp").chmod(0o1777)  # like /tmp: anyone may create, only the owner (or root) may remove
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def squatter(kid: str, path: Path) -> Iterator[dict[str, Any]]:
    """The child's fake agent on ``path``; yields a dict that gets ``received`` when it stops."""
    proc = subprocess.Popen(
        as_account(kid, SQUAT, str(path)), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None and proc.stdout is not None
    outcome: dict[str, Any] = {}
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield outcome
    finally:
        proc.stdin.close()
        line = proc.stdout.readline()
        proc.wait(timeout=15)
        proc.stdout.close()
        outcome.update(json.loads(line) if line else {"received": None})


def test_the_parents_client_refuses_a_socket_a_child_bound(kid: str, place: Path) -> None:
    path = place / "tmp" / "agent.sock"
    with squatter(kid, path) as seen:
        with pytest.raises(UntrustedAgent, match=kid), IpcClient(path) as parent:
            parent.call("status")
        with pytest.raises(UntrustedAgent), IpcClient(path) as parent:
            parent.call("auth", {"pin": "246810"})
    assert seen["received"] == [], "the child's socket saw a request"


@pytest.mark.parametrize("live", [True, False], ids=["answering", "stale"])
def test_the_agent_takes_back_a_path_a_child_bound_and_says_so(kid: str, place: Path, live: bool) -> None:
    home = place / "home"
    home.mkdir(mode=0o700)
    path = place / "tmp" / "agent.sock"
    with ExitStack() as stack:
        seen = stack.enter_context(squatter(kid, path))
        if not live:
            stack.close()  # the child's fake agent leaves; its socket file stays behind
        assert path.exists() and os.lstat(path).st_uid != 0
        agent = AgentProcess(home, env={"GUARDIAN_SOCKET": str(path)})
        try:
            with IpcClient(path) as parent:
                pid = wait_for(
                    "the live status", lambda: parent.call("status")["agent"].get("pid")
                )  # after a tick
                assert pid == agent.pid
            assert os.lstat(path).st_uid == 0
        finally:
            assert agent.stop() == 0
    text = agent.log.read_text()
    assert f"the account '{kid}'" in text
    assert ("impersonating the agent" in text) == live
    assert "Traceback" not in text
    assert seen["received"] == []


def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
    return {"user": peer.user}


def test_the_system_agent_serves_from_a_root_owned_runtime_folder_session_users_reach(
    kid: str, place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, system_home = place / "run" / "guardian", place / "var-lib-guardian"
    monkeypatch.setattr(client_module, "SERVICE_RUNTIME_DIR", runtime)
    monkeypatch.setattr(client_module, "SERVICE_HOME", system_home)
    monkeypatch.delenv("GUARDIAN_SOCKET", raising=False)
    path = default_socket_path(system_home)
    assert path == runtime / "agent.sock"
    users_home = place / "users-home"
    assert default_socket_path(users_home) == users_home / "agent.sock"  # no system agent yet
    server = IpcServer(path, dispatch)
    server.start()
    try:
        info = os.stat(runtime)
        assert info.st_uid == 0 and stat.S_IMODE(info.st_mode) == 0o755
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o666
        assert default_socket_path(users_home) == path  # a session user's client finds the system agent
        assert agent_socket_path(system_home) == path
        assert agent_socket_path(users_home) == users_home / "agent.sock"  # a personal agent keeps its own
        script = (
            "import sys; from pathlib import Path; from guardian.ipc.client import IpcClient; "
            "print(IpcClient(Path(sys.argv[1])).call('status')['user'])"
        )
        out = subprocess.run(
            as_account(kid, "-c", script, str(path)), capture_output=True, text=True, check=True, timeout=30
        )
        assert out.stdout.strip() == kid
    finally:
        server.stop()
    wait_for("the socket to be removed", lambda: not path.exists())


def test_guardian_status_warns_when_another_account_serves_the_socket(kid: str, place: Path) -> None:
    path = place / "tmp" / "agent.sock"
    home = place / "home"
    with squatter(kid, path) as seen:
        out = subprocess.run(
            [sys.executable, "-m", "guardian.cli", "--home", str(home), "status"],
            capture_output=True,
            text=True,
            env={**os.environ, "GUARDIAN_SOCKET": str(path)},
            timeout=60,
        )
    assert out.returncode == 0, out.stderr
    assert f"served by the account '{kid}'" in out.stderr and "Agent: not running" in out.stdout
    assert "forged" not in out.stdout
    assert seen["received"] == []
