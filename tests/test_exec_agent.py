"""The agent as root on Linux: a child's forbidden exec is refused before it runs, process events catch the
rest at once, programs a child brings in are held back per the rule, and killing the agent stalls nothing.

Real subprocesses, a real agent, and real second accounts (a child and a parent) made with ``useradd``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.agent_harness import AgentProcess, import_rules, running_agent, wait_for
from tests.exec_accounts import PYTHON, Account, account, copy_program, exec_as, program_folder, run_as

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="process events and fanotify are Linux only"
    ),
]


def family(child: str, *, unknown: str = "allow") -> str:
    return f"""
[[app]]
id = "gx-game"
name = "GX Game"
category = "games"
match = {{ exe_names = ["gx-game"] }}

[[child]]
name = "Kid"
age = 9
accounts = ["{child}"]
blocked = ["gx-game"]
unknown_programs = "{unknown}"
"""


@pytest.fixture
def child() -> Iterator[Account]:
    with account() as acc:
        yield acc


@pytest.fixture
def parent() -> Iterator[Account]:
    with account() as acc:
        yield acc


@pytest.fixture
def folder() -> Iterator[Path]:
    with program_folder() as path:
        yield path


def ready(agent: AgentProcess) -> None:
    """The agent has evaluated the child and handed the statuses to the guard (published every tick)."""
    start = agent.ticks()
    wait_for("two agent ticks", lambda: agent.ticks() >= start + 2)


def events(home: Path, kind: str) -> list[tuple[str | None, dict[str, object]]]:
    with sqlite3.connect(home / "guardian.db") as conn:
        rows = conn.execute("SELECT app, data FROM events WHERE kind = ?", (kind,)).fetchall()
    return [(app, json.loads(data or "{}")) for app, data in rows]


def test_a_blocked_program_fails_with_eperm_never_runs_and_the_parent_runs_it(
    home: Path, child: Account, parent: Account, folder: Path
) -> None:
    game = copy_program("touch", folder / "gx-game")  # it would write a file first thing
    import_rules(home, family(child.name))
    with running_agent(home) as agent:
        ready(agent)
        refused = exec_as(child, game, str(child.home / "ran"))
        assert refused.stdout.strip() == "errno 1", refused  # EPERM: refused before it ran
        assert not (child.home / "ran").exists(), "the blocked program ran a line"
        assert exec_as(child, Path("/bin/true")).returncode == 0  # everything else runs
        theirs = exec_as(parent, game, str(parent.home / "ran"))
        assert theirs.returncode == 0 and (parent.home / "ran").exists(), "the parent's account was held back"
        found = wait_for("the refusal recorded", lambda: events(home, "blocked_launch"))
    assert found[0] == ("gx-game", {"verdict": "blocked", "exec_denied": True})
    assert "exec denied for Kid: gx-game (blocked)" in (home / "agent.log").read_text()


@pytest.mark.parametrize(
    ("unknown", "blocked", "runs"),
    [
        ("block", "gx-game", False),
        ("allow", "gx-game", True),
        ("games", "gx-game", True),
        ("games", "category:games", False),  # counted as a game, and games are blocked for this child
    ],
    ids=["block", "allow", "games", "games-blocked"],
)
def test_a_program_copied_into_the_childs_home_is_held_back_per_the_rule(
    home: Path, child: Account, unknown: str, blocked: str, runs: bool
) -> None:
    rules = family(child.name, unknown=unknown).replace('blocked = ["gx-game"]', f'blocked = ["{blocked}"]')
    import_rules(home, rules)
    mine = copy_program("touch", child.home / "my-tool", owner=child)
    with running_agent(home) as agent:
        ready(agent)
        done = exec_as(child, mine, str(child.home / "ran"))
        assert (child.home / "ran").exists() is runs, done
        if not runs:
            assert done.stdout.strip() == "errno 1"
            found = wait_for("the refusal recorded", lambda: events(home, "blocked_launch"))
            reason = "unknown_program" if unknown == "block" else "blocked"  # games are blocked
            assert found[0] == ("unknown-program", {"verdict": reason, "exec_denied": True})


LATE_EXEC = "import os,sys; sys.stdin.readline(); os.execv(sys.argv[1], [sys.argv[1], '600'])"
MEMFD_EXEC = """
import os, sys
fd = os.memfd_create("gx-payload", 0)
with open("/bin/sleep", "rb") as fh:
    os.write(fd, fh.read())
os.execv(f"/proc/self/fd/{fd}", ["gx-payload", "600"])
"""


def test_a_late_exec_and_a_memfd_exec_are_caught_by_process_events(
    home: Path, child: Account, folder: Path
) -> None:
    game = copy_program("sleep", folder / "gx-game")
    import_rules(home, family(child.name, unknown="block"))
    # the guard off: only the process events (and the kill path) act here
    with running_agent(home, env={"GUARDIAN_EXEC_GUARD": "0"}) as agent:
        ready(agent)
        old = subprocess.Popen(
            ["runuser", "-u", child.name, "--", PYTHON, "-c", LATE_EXEC, str(game)], stdin=subprocess.PIPE
        )
        try:
            wait_for(
                "two more ticks with the old process running",
                lambda: agent.ticks() >= 2 and old.poll() is None,
            )
            ready(agent)
            assert old.poll() is None, "the launcher was closed before it exec-ed"
            assert old.stdin is not None
            old.stdin.write(b"go\n")
            old.stdin.flush()
            old.wait(timeout=10)  # sleep 600 would run ten minutes
        finally:
            if old.poll() is None:
                old.kill()
            if old.stdin is not None:
                old.stdin.close()
        memfd = subprocess.Popen(["runuser", "-u", child.name, "--", PYTHON, "-c", MEMFD_EXEC])
        try:
            memfd.wait(timeout=10)
        finally:
            if memfd.poll() is None:
                memfd.kill()
        closed = wait_for(
            "both closings recorded",
            lambda: rows if len(rows := events(home, "blocked_launch")) >= 2 else None,
        )
    assert {app for app, _ in closed} == {"gx-game", "unknown-program"}
    assert "process events True" in (home / "agent.log").read_text()


def test_kill_dash_nine_of_the_agent_leaves_no_exec_stalled(home: Path, child: Account, folder: Path) -> None:
    game = copy_program("touch", folder / "gx-game")
    import_rules(home, family(child.name))
    agent = AgentProcess(home)
    try:
        ready(agent)
        assert exec_as(child, game, str(child.home / "before")).stdout.strip() == "errno 1"
        agent.kill9()
        after = exec_as(child, game, str(child.home / "after"))  # no agent: the kernel dropped the group
        assert after.returncode == 0 and (child.home / "after").exists()
        assert run_as(child, "/bin/true", timeout=10).returncode == 0
    finally:
        if agent.proc.poll() is None:
            agent.kill9()


def test_a_renamed_copy_is_refused_by_its_sha256(home: Path, child: Account, folder: Path) -> None:
    original = copy_program("touch", folder / "gx-game")
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    renamed = copy_program("touch", folder / "homework-helper")
    rules = family(child.name).replace('exe_names = ["gx-game"]', f'sha256 = ["{digest}"]')
    import_rules(home, rules)
    with running_agent(home) as agent:
        ready(agent)
        refused = exec_as(child, renamed, str(child.home / "ran"))
        assert refused.stdout.strip() == "errno 1", refused
        assert not (child.home / "ran").exists()


def _ignore_marks(pid: int) -> set[int]:
    """Inodes the agent's fanotify group holds ignore marks on (``/proc/PID/fdinfo``)."""
    inodes: set[int] = set()
    for info in Path(f"/proc/{pid}/fdinfo").iterdir():
        try:
            text = info.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            fields = dict(f.split(":", 1) for f in line.split()[1:] if ":" in f)
            if line.startswith("fanotify ino:") and fields.get("ignored_mask") == "40000":
                inodes.add(int(fields["ino"], 16))
    return inodes


def test_a_program_no_rule_denies_stops_waking_the_agent_until_new_rules_make_it_an_app(
    home: Path, child: Account, folder: Path
) -> None:
    plain = copy_program("touch", folder / "gx-plain")
    game = copy_program("touch", folder / "gx-game")
    import_rules(home, family(child.name).replace('blocked = ["gx-game"]', "blocked = []"))
    with running_agent(home) as agent:
        ready(agent)
        pid = agent.proc.pid
        for name in ("one", "two"):
            assert exec_as(child, plain, str(child.home / name)).returncode == 0
            assert exec_as(child, game, str(child.home / f"game-{name}")).returncode == 0
        wait_for("an ignore mark on the plain program", lambda: plain.stat().st_ino in _ignore_marks(pid))
        assert game.stat().st_ino not in _ignore_marks(pid), "an app went quiet: a limit could never apply"
        rules = family(child.name).replace('exe_names = ["gx-game"]', 'exe_names = ["gx-game", "gx-plain"]')
        import_rules(home, rules)  # gx-plain is now the blocked app (gx-game's second name)
        wait_for("the marks dropped", lambda: plain.stat().st_ino not in _ignore_marks(pid))
        ready(agent)
        refused = exec_as(child, plain, str(child.home / "three"))
        assert refused.stdout.strip() == "errno 1", refused
        assert not (child.home / "three").exists(), "a program that went quiet ran after it was blocked"
        assert exec_as(child, game, str(child.home / "game-three")).stdout.strip() == "errno 1"


def test_a_childs_first_process_is_followed_at_once_after_exec_events_were_left_in_the_kernel(
    home: Path, child: Account
) -> None:
    import_rules(home, family(child.name, unknown="block"))
    with running_agent(home, env={"GUARDIAN_EXEC_GUARD": "0"}) as agent:  # process events alone act here
        ready(agent)
        log = home / "agent.log"
        wait_for("exec events left in the kernel", lambda: "left in the kernel" in log.read_text())
        memfd = subprocess.Popen(["runuser", "-u", child.name, "--", PYTHON, "-c", MEMFD_EXEC])
        try:
            assert memfd.wait(timeout=10) != 0, "the program run from memory was not closed"
        finally:
            if memfd.poll() is None:
                memfd.kill()
        closed = wait_for("the closing recorded", lambda: events(home, "blocked_launch"))
    assert closed[0][0] == "unknown-program"
    assert "exec events followed" in log.read_text()
