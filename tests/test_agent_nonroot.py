"""The agent run by a normal OS user (personal mode): it cannot read other users' executables, and must not care."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from guardian.ipc.client import IpcClient, default_socket_path
from guardian.store import Store
from tests.agent_harness import app_binary, wait_for

pytestmark = pytest.mark.slow
USER = "guardian-kid"


@pytest.fixture
def kid() -> str:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to act as a normal user")
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    return USER


@pytest.fixture
def place(kid: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="guardian-personal-"))
    folder.chmod(0o755)
    (folder / "home").mkdir()
    shutil.chown(folder / "home", kid, kid)
    app_binary(folder, "guardian-kid-game")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_kid(*args: str) -> list[str]:
    return ["runuser", "-u", USER, "--", sys.executable, "-m", "guardian.cli", *args]


def test_personal_mode_agent_blocks_its_users_app_and_ignores_others(place: Path) -> None:
    home = place / "home"
    family = place / "family.toml"
    family.write_text(
        '[[app]]\nid = "sleepy-game"\ncategory = "games"\nmatch = { exe_names = ["guardian-kid-game"] }\n'
        f'[[child]]\nname = "Kid"\naccounts = ["{USER}"]\nblocked = ["sleepy-game"]\n',
        encoding="utf-8",
    )
    family.chmod(0o644)
    subprocess.run(
        as_kid("--home", str(home), "rules", "import", str(family)), check=True, capture_output=True
    )
    log = place / "agent.log"
    with log.open("wb") as out:
        runner = subprocess.Popen(
            as_kid("--home", str(home), "agent", "--interval", "0.5"), stdout=out, stderr=out
        )
    root_copy = subprocess.Popen([str(place / "guardian-kid-game"), "600"])
    agent_pid = None
    try:
        wait_for(
            "the agent to serve IPC", lambda: default_socket_path(home).exists() or runner.poll() is not None
        )
        assert runner.poll() is None, log.read_text()
        kid_uid = pwd.getpwnam(USER).pw_uid  # a personal agent of another account: trusted on purpose
        with IpcClient(default_socket_path(home), trusted=[kid_uid]) as client:
            agent_pid = wait_for("agent health", lambda: client.call("status")["agent"].get("pid"))
            health = client.call("status")["agent"]
        assert psutil.Process(agent_pid).username() == USER
        assert (health["mode"], health["account"]) == ("personal", USER), "it says it runs in personal mode"

        theirs = subprocess.Popen(["runuser", "-u", USER, "--", str(place / "guardian-kid-game"), "600"])
        began = time.monotonic()
        theirs.wait(timeout=10)  # runuser returns when the agent has closed the kid's app
        assert time.monotonic() - began < 1.5
        assert root_copy.poll() is None, "a process of another user was touched"
        assert "Traceback" not in log.read_text()
    finally:
        if agent_pid is not None and psutil.pid_exists(agent_pid):
            os.kill(agent_pid, signal.SIGTERM)
        runner.wait(timeout=15)
        root_copy.kill()
        root_copy.wait()
    assert runner.returncode == 0, log.read_text()
    with Store(home / "guardian.db") as store:
        launches = store.events.between(None, 0, 2**40, kinds=["blocked_launch"])
    assert [e.app for e in launches] == ["sleepy-game"]
