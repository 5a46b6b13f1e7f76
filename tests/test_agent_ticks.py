"""The agent driven tick by tick with a fake clock and a fake platform, on real processes and SQLite."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.agent.runner import Agent
from guardian.core.clock import FakeClock
from guardian.core.messages import AgentHealth, Notice, TimeUpNotice
from guardian.platform.base import Session
from guardian.platform.fake import FakePlatform
from guardian.store import Store
from tests.agent_harness import ME, app_binary, import_rules
from tests.helpers import ts

RULES = f"""
[settings]
grace = "3s"
warn_before = ["5s"]
timezone = "Asia/Ho_Chi_Minh"

[[app]]
id = "game-a"
category = "games"
match = {{ exe_names = ["guardian-game-a"] }}

[[app]]
id = "game-b"
category = "games"
match = {{ exe_names = ["guardian-game-b"] }}

[[app]]
id = "homework"
category = "education"
match = {{ exe_names = ["guardian-homework"] }}

[[child]]
name = "Kid"
accounts = ["{ME}"]
screen_time = "{{limit}}"
at_limit = "{{action}}"
always_allowed = ["homework"]
"""


@pytest.fixture
def programs() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    folder = Path(tempfile.mkdtemp(prefix="guardian-ticks-"))
    running = {
        name: subprocess.Popen([str(app_binary(folder, f"guardian-{name}")), "600"])
        for name in ("game-a", "game-b", "homework")
    }
    yield running
    for proc in running.values():
        proc.kill()
        proc.wait()


def make_agent(
    home: Path, *, limit: str = "1h", action: str = "lock"
) -> tuple[Agent, FakePlatform, FakeClock]:
    import_rules(home, RULES.replace("{limit}", limit).replace("{action}", action))
    platform = FakePlatform(session_list=[Session("s1", ME, display=":fake", kind="x11")])
    clock = FakeClock(now=ts("2026-11-27 16:00"), monotonic=5000.0)
    agent = Agent(home, platform=platform, clock=clock, interval=1.0)
    agent.start(ipc=False)
    return agent, platform, clock


def ticks(agent: Agent, clock: FakeClock, n: int) -> None:
    for _ in range(n):
        clock.advance(1.0)
        agent.tick()


def usage(agent: Agent) -> dict[str, int]:
    agent.recorder.flush(agent.clock.now(), agent.clock.monotonic(), AgentHealth.stopped(), final=True)
    child_id = agent.store.children.id_for("Kid")
    assert child_id is not None
    out: dict[str, int] = {}
    for iv in agent.store.usage.between(child_id, 0, 2**40):
        out[iv.app] = out.get(iv.app, 0) + int(iv.seconds)
    return out


def test_foreground_time_goes_to_the_app_in_front(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home)
    platform.set_foreground("s1", programs["game-a"].pid)
    ticks(agent, clock, 10)
    platform.set_foreground("s1", programs["game-b"].pid)
    ticks(agent, clock, 6)
    used = usage(agent)
    agent.shutdown()
    assert 9 <= used["game-a"] <= 11 and 5 <= used["game-b"] <= 7
    assert 15 <= used["@screen"] <= 17


def test_switching_back_quickly_does_not_count_the_other_apps_time(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home)
    for app, n in (("game-a", 3), ("game-b", 3), ("game-a", 3)):
        platform.set_foreground("s1", programs[app].pid)
        ticks(agent, clock, n)
    used = usage(agent)
    agent.shutdown()
    assert 5 <= used["game-a"] <= 7 and 2 <= used["game-b"] <= 4
    assert 8 <= used["@screen"] <= 10


def test_idle_and_locked_sessions_are_not_screen_time(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home)
    platform.set_foreground("s1", programs["game-a"].pid)
    platform.idle["s1"] = 600
    ticks(agent, clock, 10)
    used = usage(agent)
    agent.shutdown()
    assert used == {}


def test_always_allowed_app_in_front_is_recorded_but_not_screen_time(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home)
    platform.set_foreground("s1", programs["homework"].pid)
    ticks(agent, clock, 8)
    used = usage(agent)
    agent.shutdown()
    assert 7 <= used["homework"] <= 9 and "@screen" not in used


def test_screen_time_over_warns_then_locks_after_grace_and_spares_always_allowed(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home, limit="10s", action="lock")
    announced: list[Notice] = []
    agent.enforcer.announce = lambda event, users: announced.append(event)
    platform.set_foreground("s1", programs["game-a"].pid)
    ticks(agent, clock, 11)
    assert [e.EVENT for e in announced][:2] == ["warning", "time_up"]
    assert platform.actions("lock") == []  # still within the grace period
    ticks(agent, clock, 4)
    assert platform.actions("lock") == ["s1"]
    assert programs["homework"].pid not in platform.actions("request_close")
    kinds = [e.kind for e in agent.store.events.between(None, 0, 2**40)] + [
        e.kind for e in agent.events.pending
    ]
    assert "warning" in kinds and "limit_reached" in kinds and "at_limit" in kinds
    agent.shutdown()


def test_close_apps_at_limit_closes_games_but_never_always_allowed(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home, limit="5s", action="close_apps")
    platform.set_foreground("s1", programs["game-a"].pid)
    ticks(agent, clock, 12)
    closed = platform.actions("request_close")
    assert programs["game-a"].pid in closed and programs["game-b"].pid in closed
    assert programs["homework"].pid not in closed
    agent.shutdown()


def test_rule_changes_take_effect_within_two_ticks(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    agent, platform, clock = make_agent(home)
    platform.set_foreground("s1", programs["game-b"].pid)
    ticks(agent, clock, 2)
    assert programs["game-b"].pid not in platform.actions("request_close")
    blocked = (
        RULES.replace("{limit}", "1h")
        .replace("{action}", "lock")
        .replace('always_allowed = ["homework"]', 'always_allowed = ["homework"]\nblocked = ["game-b"]')
    )
    with Store(home / "guardian.db") as other:  # another process (the CLI, the console) saves new rules
        from guardian.api import GuardianAPI

        GuardianAPI(other, clock).import_rules(blocked, "new.toml")
    ticks(agent, clock, 2)
    assert programs["game-b"].pid in platform.actions("request_close")
    agent.shutdown()


def test_pause_until_tomorrow_from_another_process_locks_after_grace_and_ends_with_the_day(
    home: Path, programs: dict[str, subprocess.Popen[bytes]]
) -> None:
    from guardian.api import GuardianAPI

    agent, platform, clock = make_agent(home, limit="5h", action="lock")
    announced: list[Notice] = []
    agent.enforcer.announce = lambda event, users: announced.append(event)
    platform.set_foreground("s1", programs["game-a"].pid)
    ticks(agent, clock, 3)
    assert platform.actions("lock") == []
    with Store(home / "guardian.db") as other:  # the console pauses the child
        assert GuardianAPI(other, clock).pause_today("Kid") is True
    ticks(agent, clock, 2)
    assert agent.live_status().children[0].state == "paused"
    assert any(isinstance(e, TimeUpNotice) and e.reason == "paused" for e in announced)
    assert platform.actions("lock") == []  # the 3 s grace lets the child save their work
    ticks(agent, clock, 3)
    assert platform.actions("lock") == ["s1"]
    clock.advance(ts("2026-11-28 00:00") - clock.now() + 1)  # the next logical day
    agent.tick()
    ticks(agent, clock, 1)
    assert agent.live_status().children[0].state == "ok"
    agent.shutdown()


def test_lock_now_locks_only_the_childs_sessions_and_is_recorded(home: Path) -> None:
    agent, platform, clock = make_agent(home)
    platform.session_list.append(Session("s2", "someone-else", kind="tty"))
    ticks(agent, clock, 1)
    assert agent.lock_child("Kid") == (1, 1)
    assert platform.actions("lock") == ["s1"]
    assert agent.lock_child("Nobody") == (0, 0)
    agent.recorder.flush(agent.clock.now(), agent.clock.monotonic(), AgentHealth.stopped())
    kinds = [e.kind for e in agent.store.events.between(None, 0, 2**40)]
    assert kinds.count("locked_by_parent") == 1
    agent.shutdown()
