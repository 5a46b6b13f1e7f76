"""The incremental sampler on real processes: new pids found cheaply, exec caught, reuse handled."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from guardian.agent.proc_events import ExecEvents
from guardian.agent.sampler import Sampler, last_pid
from guardian.core.catalog import Catalog
from guardian.core.model import App, AppMatch
from tests.agent_harness import ME, app_binary, wait_for

GAME = App("exec-game", "Exec Game", "games", AppMatch(exe_names=("guardian-exec-game",)))


@pytest.fixture
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="guardian-sampler-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def sampler(**kwargs: object) -> Sampler:
    return Sampler(Catalog((), [GAME]), {ME: "Kid"}, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(params=["kernel events", "readlink every process"])
def exec_mode(request: pytest.FixtureRequest) -> Iterator[dict[str, object]]:
    """How a sampler notices an exec: the kernel's process events (root), or a readlink of every process."""
    if request.param == "readlink every process":
        yield {}
        return
    events = ExecEvents.open()
    if events is None:
        pytest.skip("the kernel's process events need root (CAP_NET_ADMIN) on Linux")
    yield {"exec_events": events}
    events.close()


def test_new_processes_are_found_without_listing_every_pid(folder: Path) -> None:
    if last_pid() is None:
        pytest.skip("no /proc/loadavg here")
    listings: list[int] = []

    def counting_pids() -> list[int]:
        listings.append(1)
        return psutil.pids()

    s = sampler(pids=counting_pids)
    s.scan(0.0, mono=0.0)
    assert len(listings) == 1
    proc = subprocess.Popen([str(app_binary(folder, "guardian-exec-game")), "30"])
    try:
        found = wait_for(
            "the new process", lambda: [p for p in s.scan(1.0, mono=1.0).new if p.pid == proc.pid]
        )
        assert found[0].app == "exec-game" and found[0].child == "Kid"
        assert len(listings) == 1, "a full listing ran although only new pids were needed"
        assert s.scan(2.0, mono=2.0).new == []
    finally:
        proc.kill()
        proc.wait()
    gone = s.scan(20.0, mono=20.0).gone  # the periodic full listing prunes ended processes
    assert proc.pid in [p.pid for p in gone]


def test_a_launcher_that_execs_into_a_game_is_caught(folder: Path, exec_mode: dict[str, object]) -> None:
    game = app_binary(folder, "guardian-exec-game")
    s = sampler(**exec_mode)
    s.scan(0.0, mono=0.0)
    launcher = subprocess.Popen(["sh", "-c", f"read _; exec {game} 30"], stdin=subprocess.PIPE)
    try:
        seen = wait_for("the launcher", lambda: s.table.get(launcher.pid) or (s.scan(1.0, mono=1.0) and None))
        assert seen.app is None
        assert launcher.stdin is not None
        launcher.stdin.write(b"go\n")
        launcher.stdin.flush()
        wait_for("the exec", lambda: psutil.Process(launcher.pid).name() == "guardian-exec-game")
        caught = s.refresh(seen.first_seen + 1).new
        assert [p.app for p in caught] == ["exec-game"]
        assert s.table[launcher.pid].app == "exec-game"
    finally:
        launcher.kill()
        launcher.wait()
        if launcher.stdin is not None:
            launcher.stdin.close()


def test_only_child_accounts_are_inspected_further() -> None:
    s = Sampler(Catalog((), [GAME]), {"somebody-else": "Kid"})
    s.scan(0.0, mono=0.0)
    mine = [p for p in s.table.values() if p.user == ME]
    assert mine and all(p.child is None and p.exe is None and p.name == "" for p in mine)


def test_windows_owner_names_lose_their_domain() -> None:
    from guardian.agent.sampler import bare_account

    assert bare_account("DESKTOP-7Q2\\an") == "an"
    assert bare_account("an") == "an"


def test_an_exec_long_after_the_start_is_caught_at_once(folder: Path, exec_mode: dict[str, object]) -> None:
    """A shell that execs the game after every re-check age (35 s) is caught by the next refresh."""
    if last_pid() is None:
        pytest.skip("needs /proc")
    game = app_binary(folder, "guardian-exec-game")
    s = sampler(**exec_mode)
    s.scan(0.0, mono=0.0)
    launcher = subprocess.Popen(["sh", "-c", f"read _; exec {game} 30"], stdin=subprocess.PIPE)
    try:
        seen = wait_for("the launcher", lambda: s.table.get(launcher.pid) or (s.scan(1.0, mono=1.0) and None))
        for age in (1, 3, 10, 30, 34):
            assert s.refresh(seen.first_seen + age).new == []
        assert launcher.stdin is not None
        launcher.stdin.write(b"go\n")
        launcher.stdin.flush()
        wait_for("the exec", lambda: psutil.Process(launcher.pid).name() == "guardian-exec-game")
        caught = s.refresh(seen.first_seen + 35).new
        assert [p.app for p in caught] == ["exec-game"]
    finally:
        launcher.kill()
        launcher.wait()
        if launcher.stdin is not None:
            launcher.stdin.close()


def test_a_wrapper_whose_name_starts_with_the_games_is_caught_when_it_execs(
    folder: Path, exec_mode: dict[str, object]
) -> None:
    """``comm`` keeps 15 characters: ``guardian-exec-game-launcher`` and ``guardian-exec-game`` look alike."""
    if last_pid() is None:
        pytest.skip("needs /proc")
    game = app_binary(folder, "guardian-exec-game")
    wrapper = folder / "guardian-exec-game-launcher"
    shutil.copy(shutil.which("sh") or "/bin/sh", wrapper)
    s = sampler(**exec_mode)
    s.scan(0.0, mono=0.0)
    launcher = subprocess.Popen([str(wrapper), "-c", f"read _; exec {game} 30"], stdin=subprocess.PIPE)
    try:
        wait_for("the wrapper to run", lambda: psutil.Process(launcher.pid).exe() == str(wrapper))
        seen = wait_for("the launcher", lambda: s.table.get(launcher.pid) or (s.scan(1.0, mono=1.0) and None))
        assert seen.app is None
        assert launcher.stdin is not None
        launcher.stdin.write(b"go\n")
        launcher.stdin.flush()
        wait_for("the exec", lambda: psutil.Process(launcher.pid).exe().endswith("/guardian-exec-game"))
        caught = s.refresh(seen.first_seen + 1).new
        assert [p.app for p in caught] == ["exec-game"]
    finally:
        launcher.kill()
        launcher.wait()
        if launcher.stdin is not None:
            launcher.stdin.close()


def test_an_ended_process_is_dropped_by_the_next_refresh(folder: Path, exec_mode: dict[str, object]) -> None:
    if last_pid() is None:
        pytest.skip("needs /proc")
    s = sampler(**exec_mode)
    s.scan(0.0, mono=0.0)
    proc = subprocess.Popen([str(app_binary(folder, "guardian-exec-game")), "30"])
    wait_for("the game", lambda: s.table.get(proc.pid) or (s.scan(1.0, mono=1.0) and None))
    proc.kill()
    proc.wait()
    assert proc.pid in [p.pid for p in s.refresh(2.0).gone]
    assert proc.pid not in s.kids and proc.pid not in s.watched


def test_exec_notices_name_the_pids_that_exec_ed_and_lost_events_ask_for_a_full_look() -> None:
    events = ExecEvents.open()
    if events is None:
        pytest.skip("the kernel's process events need root (CAP_NET_ADMIN) on Linux")
    try:
        assert events.drain() is not None  # whatever was waiting; nothing lost yet
        proc = subprocess.Popen(["/bin/true"])
        proc.wait()
        seen: set[int] = set()
        wait_for("the exec", lambda: proc.pid in seen or (seen.update(events.drain() or ()) and False))
        sock = events.source._sock
        assert sock is not None
        sock.setsockopt(socket.SOL_SOCKET, 33, 4096)  # SO_RCVBUFFORCE: a tiny buffer that overflows
        for burst in [subprocess.Popen(["/bin/true"]) for _ in range(60)]:
            burst.wait()
        assert events.drain() is None
        assert events.drain() is not None  # one full look, then exec notices again
    finally:
        events.close()
