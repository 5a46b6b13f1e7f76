"""A determined child against the real agent: a real second account, the agent running as root.

Each test reproduces one way the agent fell (issue 9): a fake tray freezing the count, a late exec or a
wrapper named like the game, running the agent out of file descriptors. The child's programs run as the
child's own account (``runuser``); the agent is the real ``guardian agent`` subprocess.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.ipc.client import default_socket_path
from guardian.store import Store
from tests.agent_harness import app_binary, family, import_rules, running_agent, wait_for
from tests.child_account import as_user, child_account, python_as

pytestmark = pytest.mark.slow

FAKE_TRAY = """
import sys, time
from guardian.ipc.client import IpcClient
with IpcClient(sys.argv[1]) as client:
    first = True
    while True:
        client.call("report_session", {"session_id": "fake", "foreground_pid": 1, "locked": True})
        if first:
            print("reporting", flush=True)
            first = False
        time.sleep(0.3)
"""

FLOOD = """
import socket, sys
held = []
try:
    for _ in range(int(sys.argv[2])):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(sys.argv[1])
        held.append(s)
except OSError:
    pass
print(len(held), flush=True)
sys.stdin.read()  # hold every connection until the test closes our input
"""


@pytest.fixture
def kid() -> Iterator[str]:
    with child_account() as name:
        yield name


@pytest.fixture
def place(kid: str) -> Iterator[Path]:
    """A folder every account can enter: the agent's home (database 0600) and the app binaries."""
    folder = Path(tempfile.mkdtemp(prefix="guardian-hardening-"))
    folder.chmod(0o755)
    (folder / "home").mkdir(mode=0o755)
    for name in ("guardian-blocked-app", "guardian-timed-app", "guardian-free-app"):
        app_binary(folder, name)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def start(procs: list[subprocess.Popen[bytes]], args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, **kwargs)  # type: ignore[call-overload]
    procs.append(proc)
    return proc


def lifetime(proc: subprocess.Popen[bytes], timeout: float) -> float:
    began = time.monotonic()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.monotonic() - began


def event_kinds(home: Path) -> list[str]:
    with Store(home / "guardian.db") as store:
        return [e.kind for e in store.events.between(None, 0, 2**40)]


def test_a_fake_tray_cannot_stop_the_count(
    place: Path, kid: str, procs: list[subprocess.Popen[bytes]]
) -> None:
    """``report_session {"session_id": "fake", "foreground_pid": 1}`` every 0.3 s froze all counting."""
    home = place / "home"
    import_rules(home, family(accounts=(kid,)))
    with running_agent(home):
        tray = start(
            procs,
            python_as(kid, "-c", FAKE_TRAY, str(default_socket_path(home))),
            stdout=subprocess.PIPE,
        )
        assert tray.stdout is not None
        assert tray.stdout.readline().strip() == b"reporting", (
            "the child's fake tray could not reach the agent"
        )
        game = start(procs, as_user(kid, str(place / "guardian-timed-app"), "600"))
        lived = lifetime(game, timeout=25)
        assert lived < 15, "the 4 s game kept running: the fake tray's reports stopped the count"
        assert tray.poll() is None
        wait_for("the rejected report to be recorded", lambda: "tray_report_rejected" in event_kinds(home))


def test_a_wrapper_named_like_the_game_that_execs_it_is_caught(
    place: Path, kid: str, procs: list[subprocess.Popen[bytes]]
) -> None:
    """A launcher whose name starts with the game's (``comm`` keeps 15 characters) execs the game later."""
    home = place / "home"
    wrapper = place / "guardian-blocked-app-launcher"
    shutil.copy(shutil.which("sh") or "/bin/sh", wrapper)
    wrapper.chmod(0o755)
    import_rules(home, family(accounts=(kid,)))
    with running_agent(home) as agent:
        launcher = start(
            procs,
            as_user(kid, str(wrapper), "-c", f"read _; exec {place / 'guardian-blocked-app'} 600"),
            stdin=subprocess.PIPE,
        )
        seen_at = agent.ticks()
        wait_for("the agent to see the launcher for a few ticks", lambda: agent.ticks() >= seen_at + 4)
        assert launcher.poll() is None, "the launcher itself is not the game and must be left alone"
        assert launcher.stdin is not None
        launcher.stdin.write(b"go\n")
        launcher.stdin.flush()
        lived = lifetime(launcher, timeout=10)
        assert lived < 3, "the game exec-ed by a launcher named like it was never closed"
        wait_for(
            "the close to be recorded", lambda: {"blocked_launch", "app_closed"} & set(event_kinds(home))
        )


def test_running_out_of_file_descriptors_does_not_end_enforcement(
    place: Path, kid: str, procs: list[subprocess.Popen[bytes]]
) -> None:
    """Held connections exhaust the agent's file limit: it must keep enforcing, log little, and not exit."""
    home = place / "home"
    import_rules(home, family(accounts=(kid,)))
    limit = ["prlimit", "--nofile=24:24", "--"]
    if not shutil.which("prlimit"):
        pytest.skip("needs prlimit to give the agent a small file limit")
    with running_agent(home, prefix=limit) as agent:
        flood = start(
            procs,
            python_as(kid, "-c", FLOOD, str(default_socket_path(home)), "400"),
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
        )
        assert flood.stdout is not None
        held = int(flood.stdout.readline())
        assert held > 0
        wait_for(
            "the agent to run out of file descriptors",
            lambda: (
                "Too many open files" in agent.log.read_text(errors="replace")
                or agent.proc.poll() is not None
            ),
            timeout=30,
        )
        # a full process listing (every 10 s) needs a descriptor: let one or two happen during the flood
        ticks = agent.ticks()
        wait_for(
            "12 more ticks during the flood",
            lambda: agent.ticks() >= ticks + 24 or agent.proc.poll() is not None,
            timeout=40,
        )
        assert agent.proc.poll() is None, "the agent exited when it ran out of file descriptors"
        assert flood.stdin is not None
        flood.stdin.close()  # the child's flood lets go of its connections
        flood.wait(timeout=10)
        game = start(procs, as_user(kid, str(place / "guardian-blocked-app"), "600"))
        assert lifetime(game, timeout=10) < 3, "nothing was enforced after the flood"
        lines = agent.log.read_text(errors="replace").count("\n")
        assert lines < 2000, f"{lines} log lines: repeated messages must be rate-limited"
    assert agent.proc.returncode == 0
