"""The agent as a real subprocess closing real processes, on a temporary GUARDIAN_HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.agent_harness import (
    AgentProcess,
    app_binary,
    cli_json,
    family,
    import_rules,
    running_agent,
    wait_for,
)

pytestmark = pytest.mark.slow
OTHER_USER = "guardian-other"


@pytest.fixture
def apps() -> Iterator[Path]:
    """The app binaries, in a folder every OS user may run programs from."""
    folder = Path(tempfile.mkdtemp(prefix="guardian-apps-"))
    folder.chmod(0o755)
    for name in ("guardian-blocked-app", "guardian-timed-app", "guardian-free-app"):
        app_binary(folder, name)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def launch(procs: list[subprocess.Popen[bytes]], path: Path, *prefix: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([*prefix, str(path), "600"])
    procs.append(proc)
    return proc


def closed_within(proc: subprocess.Popen[bytes], timeout: float) -> float:
    began = time.monotonic()
    proc.wait(timeout=timeout)
    return time.monotonic() - began


def events(home: Path) -> dict[str, int]:
    report = cli_json(
        home, "report", "--format", "json", "--child", "Kid", "--from", time.strftime("%Y-%m-%d")
    )
    return report["children"][0]["days"][-1]["events"]


def test_blocked_and_limited_apps_are_closed_and_logged(
    home: Path, apps: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    import_rules(home, family())
    with running_agent(home):
        blocked = launch(procs, apps / "guardian-blocked-app")
        took = closed_within(blocked, timeout=5)
        assert took < 1.0, f"blocked app lived {took:.2f}s"

        timed = launch(procs, apps / "guardian-timed-app")
        lived = closed_within(timed, timeout=20)
        assert 3.0 <= lived < 8.0, f"4s-limited app lived {lived:.2f}s"

        again = launch(procs, apps / "guardian-timed-app")
        assert closed_within(again, timeout=5) < 1.0

        status = cli_json(home, "status", "--json")
        assert status["agent"]["running"] is True
        kid = status["children"][0]
        assert kid["child"] == "Kid"
        assert 3 <= kid["apps_used"]["timed-game"] <= 8
        assert kid["app_limits"][0]["left_s"] == 0
    seen = events(home)
    assert seen["blocked_launch"] >= 2
    assert seen["limit_reached"] >= 1 and seen["app_closed"] >= 1
    report = cli_json(
        home, "report", "--format", "json", "--child", "Kid", "--from", time.strftime("%Y-%m-%d")
    )
    assert 3 <= report["children"][0]["days"][-1]["apps"]["timed-game"] <= 8


def ensure_other_user() -> str:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs root, useradd and runuser to run a program as another OS user")
    if subprocess.run(["id", OTHER_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER_USER], check=True
        )
    return OTHER_USER


def test_another_users_copy_of_a_blocked_app_is_untouched(
    home: Path, apps: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    user = ensure_other_user()
    import_rules(home, family())
    with running_agent(home) as agent:
        theirs = launch(procs, apps / "guardian-blocked-app", "runuser", "-u", user, "--")
        wait_for("the other user's copy to run", lambda: _running_as(user, "guardian-blocked-app"))
        mine = launch(procs, apps / "guardian-blocked-app")
        closed_within(mine, timeout=5)
        start = agent.ticks()
        wait_for("three more agent ticks", lambda: agent.ticks() >= start + 3)
        assert theirs.poll() is None, "the other user's process was touched"
        assert _running_as(user, "guardian-blocked-app")


def test_kill_dash_nine_keeps_todays_usage_and_records_the_gap(
    home: Path, apps: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    import_rules(home, family())
    agent = AgentProcess(home, flush_every=1.0)
    try:
        wait_for("the agent's first saved ticks", lambda: agent.ticks() >= 2)
        launch(procs, apps / "guardian-free-app")
        wait_for("4 s of free-game saved", lambda: _used(home, "free-game") >= 4, timeout=40)
        before = _used(home, "free-game")
        agent.kill9()
    finally:
        if agent.proc.poll() is None:
            agent.stop()
    with running_agent(home) as again:
        wait_for("the restarted agent to save", lambda: again.ticks() >= 3)
        assert _used(home, "free-game") >= before
    seen = events(home)
    assert seen.get("agent_gap", 0) >= 1
    gaps = _events_of(home, "agent_gap")
    assert any(e["data"]["clean"] is False for e in gaps), gaps


def _used(home: Path, app: str) -> int:
    report = cli_json(
        home, "report", "--format", "json", "--child", "Kid", "--from", time.strftime("%Y-%m-%d")
    )
    return int(report["children"][0]["days"][-1]["apps"].get(app, 0))


def _events_of(home: Path, kind: str) -> list[dict[str, object]]:
    from guardian.store import Store

    with Store(home / "guardian.db") as store:
        rows = store.events.between(None, 0, 2**40, kinds=[kind])
    return [{"ts": r.ts, "data": dict(r.data or {})} for r in rows]


def _running_as(user: str, name: str) -> bool:
    import psutil

    return any(
        p.info["username"] == user and p.info["name"] == name
        for p in psutil.process_iter(["username", "name"])
    )


def test_pause_until_tomorrow_over_ipc_closes_apps_and_resume_lets_them_run(
    home: Path, apps: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    from guardian.ipc.client import IpcClient, default_socket_path

    import_rules(home, '[settings]\ngrace = "1s"\n' + family('at_limit = "close_apps"'))
    with running_agent(home) as agent:
        game = launch(procs, apps / "guardian-free-app")
        wait_for("the game to be counted", lambda: _used(home, "free-game") >= 1, timeout=20)
        with IpcClient(default_socket_path(home)) as client:  # no parent PIN yet: root may act (first run)
            assert client.call("child.pause", {"child": "Kid"})["changed"] is True
            lived = closed_within(game, timeout=15)
            assert lived < 6.0, f"a paused child's game ran {lived:.2f}s more"
            status = cli_json(home, "status", "--json")
            assert status["children"][0]["state"] == "paused"
            again = launch(procs, apps / "guardian-free-app")
            assert closed_within(again, timeout=5) < 2.0, "a relaunch while paused was not closed on sight"
            assert client.call("child.pause", {"child": "Kid", "resume": True})["changed"] is True
        start = agent.ticks()
        wait_for("two ticks after the resume", lambda: agent.ticks() >= start + 2)
        free = launch(procs, apps / "guardian-free-app")
        start = agent.ticks()
        wait_for("three more ticks", lambda: agent.ticks() >= start + 3)
        assert free.poll() is None, "the game was closed after the pause was lifted"
    kinds = {k: len(_events_of(home, k)) for k in ("paused", "resumed", "at_limit", "app_closed")}
    assert (
        kinds["paused"] == 1 and kinds["resumed"] == 1 and kinds["at_limit"] >= 1 and kinds["app_closed"] >= 1
    )
