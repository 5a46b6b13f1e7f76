"""The agent's side of process events and the exec guard, with the kernel feeds faked."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from guardian.agent.exec_watch import Denied, ExecWatch, root_only_folders
from guardian.agent.runner import Agent
from guardian.agent.sampler import Sampler, ScanResult
from guardian.core.catalog import Catalog
from guardian.core.clock import FakeClock
from guardian.core.exec_rules import ExecVerdict
from guardian.core.model import App, AppMatch, Child
from guardian.platform.base import Session
from guardian.platform.fake import FakePlatform
from guardian.platform.linux_procevents import ProcEvent
from tests.agent_harness import ME, family, import_rules
from tests.helpers import ts


class RecordingSampler(Sampler):
    def __init__(self) -> None:
        super().__init__(Catalog(()), {})
        self.calls: list[tuple[str, list[int]]] = []

    def inspect(self, pids: Any, now: float) -> ScanResult:
        self.calls.append(("inspect", list(pids)))
        return ScanResult()

    def forget(self, pids: Any) -> list[Any]:
        self.calls.append(("forget", list(pids)))
        return []

    def rescan(self, now: float, mono: float) -> ScanResult:
        self.calls.append(("rescan", []))
        return ScanResult()


def test_only_childrens_processes_reach_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    owners = {11: 0, 21: 1001, 22: 1001}
    monkeypatch.setattr("guardian.agent.exec_watch.uid_of", owners.get)
    watch = ExecWatch()
    watch._watched = frozenset({1001})
    sampler = RecordingSampler()
    watch.drain(sampler, 0.0, 0.0)  # the first drain lists everything
    assert sampler.calls == [("rescan", [])]
    watch._on_events([ProcEvent("exec", 11, 11)], False)
    assert not watch.wake.is_set(), "root's exec woke the loop"
    watch._on_events([ProcEvent("uid", 11, 11, uid=1001)], False)  # runuser became the child
    assert not watch.wake.is_set(), "a change of owner alone woke the loop (its exec will)"
    watch._on_events([ProcEvent("exec", 21, 21), ProcEvent("fork", 22, 23, parent=21)], False)  # 23: a thread
    watch._on_events([ProcEvent("exit", 21, 21)], False)
    assert watch.wake.is_set()
    sampler.calls.clear()
    watch.drain(sampler, 1.0, 1.0)
    assert sampler.calls == [("inspect", [11, 21]), ("forget", [])]


def test_an_exec_the_judge_allowed_waits_for_the_tick_others_wake_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from guardian.agent.exec_watch import _Account
    from guardian.platform.linux_fanotify import ExecRequest

    monkeypatch.setattr("guardian.agent.exec_watch.uid_of", lambda pid: 1001)
    watch = ExecWatch()
    watch._watched = frozenset({1001})
    watch.drain(RecordingSampler(), 0.0, 0.0)
    kid = Child(name="Kid", accounts=("kid",))
    verdicts = {
        "/opt/free": ExecVerdict(True, "ok", "free"),
        "/opt/game": ExecVerdict(False, "blocked", "game"),
    }
    monkeypatch.setattr(watch, "verdict", lambda account, request: verdicts[request.path])
    evaluated = object()  # any status: the child was evaluated
    watch._accounts = {1001: _Account(kid, evaluated, None)}  # type: ignore[arg-type]

    def judged(pid: int, path: str, received: float | None = None) -> bool:
        now = time.monotonic() if received is None else received
        return watch._judge(ExecRequest(pid=pid, uid=1001, path=path, fd=-1, received=now))

    assert judged(40, "/opt/free") is True
    watch._on_events([ProcEvent("exec", 40, 40)], False)
    assert not watch.wake.is_set(), "an exec the guard allowed woke the loop"
    assert list(watch._pids) == [("exec", 40)], "it is still looked at, at the next tick"
    watch._on_events([ProcEvent("exec", 40, 40)], False)  # a later exec of the same process, not judged
    assert watch.wake.is_set()
    watch.wake.clear()
    assert (
        judged(41, "/opt/game") is False
    )  # refused: its exec never happens; were it reported, it would wake
    watch._on_events([ProcEvent("exec", 41, 41)], False)
    assert watch.wake.is_set()
    watch.wake.clear()
    assert judged(42, "/opt/free", received=time.monotonic() - 5.0) is True  # the watchdog let it go long ago
    watch._on_events([ProcEvent("exec", 42, 42)], False)
    assert watch.wake.is_set()
    watch.wake.clear()
    watch._accounts = {1001: _Account(kid, None, None)}  # not evaluated yet: allowed, but looked at at once
    assert judged(43, "/opt/free") is True
    watch._on_events([ProcEvent("exec", 43, 43)], False)
    assert watch.wake.is_set()


def test_an_exec_of_a_program_with_an_ignore_mark_waits_for_the_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rule can deny a program the guard put an ignore mark on: its exec needs nothing closed at once."""
    monkeypatch.setattr("guardian.agent.exec_watch.uid_of", lambda pid: 1001)
    watch = ExecWatch()
    watch._watched = frozenset({1001})
    watch.drain(RecordingSampler(), 0.0, 0.0)
    me = os.stat(f"/proc/{os.getpid()}/exe")  # this test's own program stands for the exec-ed one

    class Guard:
        quiet_files: frozenset[tuple[int, int]] = frozenset()

    watch._guard = Guard()  # type: ignore[assignment]
    watch._on_events([ProcEvent("exec", os.getpid(), os.getpid())], False)
    assert watch.wake.is_set(), "no mark: the loop looks at once"
    watch.wake.clear()
    Guard.quiet_files = frozenset({(me.st_dev, me.st_ino)})
    watch._on_events([ProcEvent("exec", os.getpid(), os.getpid())], False)
    assert not watch.wake.is_set(), "a marked program woke the loop"
    assert list(watch._pids)[-1] == ("exec", os.getpid())
    watch._on_events([ProcEvent("exec", 2**22 + 7, 2**22 + 7)], False)  # gone already: cannot tell, look now
    assert watch.wake.is_set()


def test_lost_events_and_the_safety_net_list_everything() -> None:
    watch = ExecWatch()
    sampler = RecordingSampler()
    watch.drain(sampler, 0.0, 0.0)
    watch._on_events([], True)
    sampler.calls.clear()
    watch.drain(sampler, 1.0, 1.0)
    assert sampler.calls == [("rescan", [])]
    sampler.calls.clear()
    watch.drain(sampler, 2.0, 2.0)
    assert sampler.calls == [("inspect", []), ("forget", [])]
    sampler.calls.clear()
    watch.drain(sampler, 40.0, 40.0)  # 30 s on: the safety net
    assert sampler.calls == [("rescan", [])]


def test_a_refused_exec_is_recorded_and_broadcast_to_the_child(home: Path) -> None:
    import_rules(home, family())
    platform = FakePlatform(session_list=[Session("s1", ME, display=":fake", kind="x11")])
    agent = Agent(home, platform=platform, clock=FakeClock(now=ts("2026-11-27 16:00"), monotonic=5000.0))
    agent.start(ipc=False)
    sent: list[tuple[dict[str, Any], Any]] = []

    class Server:
        def broadcast(self, event: dict[str, Any], users: Any = None) -> None:
            sent.append((event, users))

        def stop(self) -> None:
            pass

    agent.server = Server()
    watch = ExecWatch()
    watch._denied.append(Denied("Kid", 77, "/opt/x/game", ExecVerdict(False, "blocked", "sleepy-game")))
    agent._exec_denied(watch, ts("2026-11-27 16:00"))
    assert sent == [
        ({"event": "exec_denied", "child": "Kid", "app": "sleepy-game", "verdict": "blocked"}, {ME})
    ]
    agent.shutdown()
    with sqlite3.connect(home / "guardian.db") as conn:
        rows = conn.execute("SELECT app, data FROM events WHERE kind = 'blocked_launch'").fetchall()
    assert [(app, json.loads(data)) for app, data in rows] == [
        ("sleepy-game", {"verdict": "blocked", "exec_denied": True})
    ]


def _refusals(home: Path) -> list[str | None]:
    with sqlite3.connect(home / "guardian.db") as conn:
        rows = conn.execute("SELECT app FROM events WHERE kind = 'blocked_launch' ORDER BY id").fetchall()
    return [app for (app,) in rows]


def test_a_refusal_whose_wake_a_tick_drained_is_recorded_by_that_tick_or_at_the_stop(home: Path) -> None:
    """The guard's wake can be cleared by a tick's drain before any fast scan runs: the tick records the
    refusal itself, and one refused just before the agent stops is recorded by the stop."""
    import_rules(home, family())
    clock = FakeClock(now=ts("2026-11-27 16:00"), monotonic=5000.0)
    agent = Agent(home, platform=FakePlatform(), clock=clock)
    watch = ExecWatch()
    agent.exec_watch = watch  # not started: no kernel feeds, only what the guard hands the loop
    watch.events_on = True  # the loop drains the watch as with process events
    agent.observer.scanner = agent._scan_events
    agent.start(ipc=False)
    agent.tick()
    watch._denied.append(Denied("Kid", 77, "/opt/x/game", ExecVerdict(False, "blocked", "sleepy-game")))
    watch.wake.set()
    clock.advance(1.0)
    agent.tick()  # its drain clears the wake: no fast scan follows for this refusal
    assert not watch.wake.is_set() and not watch._denied
    watch._denied.append(Denied("Kid", 78, "/opt/x/game", ExecVerdict(False, "blocked", "sleepy-game")))
    agent.shutdown()
    assert _refusals(home) == ["sleepy-game", "sleepy-game"]


def test_publish_never_judges_root_but_follows_its_events() -> None:
    watch = ExecWatch()
    watch.publish([(Child(name="Kid", accounts=("root",)), None)], Catalog(()))
    assert watch._accounts == {} and watch._watched == frozenset({0})


def _connector_sockets() -> int:
    """How many process-connector (netlink protocol 11) sockets this process holds."""
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            link = os.readlink(f"/proc/self/fd/{fd}")
            if link.startswith("socket:["):
                mine.add(link[8:-1])
    with open("/proc/net/netlink") as fh:
        rows = [line.split() for line in fh.readlines()[1:]]
    return sum(1 for row in rows if row[1] == "11" and row[9] in mine)


def test_the_agent_reads_the_kernels_process_events_through_one_socket(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not ExecWatch.wanted():
        pytest.skip("process events need Linux and root")
    monkeypatch.setenv("GUARDIAN_EXEC_GUARD", "0")
    import_rules(home, family())
    platform = FakePlatform(session_list=[Session("s1", ME, display=":fake", kind="x11")])
    platform.name = "linux"
    before = _connector_sockets()
    agent = Agent(home, platform=platform, clock=FakeClock(now=ts("2026-11-27 16:00"), monotonic=5000.0))
    agent.start(ipc=False)
    try:
        assert agent.exec_watch is not None and agent.exec_watch.events_on
        assert agent.sampler.exec_events is None and agent.sampler.execs_elsewhere
        assert _connector_sockets() == before + 1
    finally:
        agent.shutdown()
    assert _connector_sockets() == before


def test_only_root_installed_programs_that_are_no_app_may_go_quiet(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to own the program files")
    watch = ExecWatch()
    catalog = Catalog((App("gx-game", "GX Game", "games", AppMatch(exe_names=("gx-game",))),))
    watch.publish([(Child(name="Kid", accounts=("root",)), None)], catalog)
    folder = Path("/opt") / f"gxex-quiet-{os.getpid()}"
    folder.mkdir(mode=0o755)
    try:
        plain, game, theirs = folder / "gx-plain", folder / "gx-game", folder / "gx-theirs"
        for path in (plain, game, theirs):
            path.write_bytes(b"#!/bin/sh\n")
        os.chown(theirs, 65534, -1)
        shared = folder / "shared"
        shared.mkdir(mode=0o777)
        shared.chmod(0o777)
        (shared / "gx-plain").write_bytes(b"#!/bin/sh\n")
        in_tmp = tmp_path / "gx-plain"
        in_tmp.write_bytes(b"#!/bin/sh\n")

        def quiet(path: Path) -> bool:
            fd = os.open(path, os.O_RDONLY)
            try:
                return watch._quiet(fd, str(path))
            finally:
                os.close(fd)

        assert quiet(plain)
        assert not quiet(game), "an app: its limit or allowed hours may deny it later"
        assert not quiet(theirs), "not root's: its owner could rename it to an app's name"
        assert not quiet(shared / "gx-plain"), "in a folder others may write"
        assert not quiet(in_tmp)
        assert root_only_folders(str(plain)) and not root_only_folders(str(shared / "gx-plain"))
    finally:
        shutil.rmtree(folder)
