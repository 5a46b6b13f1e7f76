"""The agent's loop on a real database: a failing tick never ends it, and an exit nobody asked for is evidence."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from guardian.agent.accountant import CLEAN_KEY
from guardian.agent.runner import Agent
from guardian.clock import SystemClock
from guardian.platform.base import Session
from guardian.platform.fake import FakePlatform
from guardian.store import Store
from tests.agent_harness import ME, family, import_rules, wait_for


class Breaking(FakePlatform):
    """``sessions()`` raises ``error`` the first ``times`` calls (every call when ``times`` is None)."""

    def __init__(self, error: BaseException, times: int | None) -> None:
        super().__init__(session_list=[Session("s1", ME)])
        self.error = error
        self.times = times
        self.raised = 0

    def sessions(self) -> list[Session]:
        if self.times is None or self.raised < self.times:
            self.raised += 1
            raise self.error
        return super().sessions()


class Unexpected(BaseException):
    """Something that ends a thread (not an ``Exception``): the loop cannot go on."""


class Running:
    """An ``Agent`` built and run in its own thread (SQLite connections belong to their thread)."""

    def __init__(self, home: Path, platform: FakePlatform) -> None:
        self.agent: Agent | None = None
        self.result: list[int] = []
        self.thread = threading.Thread(target=self._run, args=(home, platform))
        self.thread.start()
        wait_for("the agent to be built", lambda: self.agent is not None or not self.thread.is_alive())

    def _run(self, home: Path, platform: FakePlatform) -> None:
        self.agent = Agent(home, platform=platform, clock=SystemClock(), interval=0.1, flush_every=0.2)
        self.result.append(self.agent.run())

    def stop(self) -> None:
        assert self.agent is not None
        self.agent.stop()
        self.thread.join(timeout=15)


def kinds(home: Path) -> list[str]:
    with Store(home / "guardian.db") as store:
        return [e.kind for e in store.events.between(None, 0, 2**40)]


def clean_flag(home: Path) -> str | None:
    with Store(home / "guardian.db") as store:
        return store.meta.get(CLEAN_KEY)


def test_a_failing_tick_restarts_the_loop_after_a_back_off(home: Path) -> None:
    import_rules(home, family())
    platform = Breaking(OSError(24, "Too many open files"), times=3)
    running = Running(home, platform)
    try:
        wait_for("the tick to fail", lambda: platform.raised >= 1)
        assert running.thread.is_alive(), "the loop ended on an error in a tick"
    finally:
        running.stop()
    assert running.result == [0]
    assert clean_flag(home) == "1"


def test_an_error_every_tick_keeps_the_loop_alive_and_enforcing(home: Path) -> None:
    """The platform fails every time; the rest of the tick (credit, evaluate, enforce, save) still runs."""
    import_rules(home, family())
    platform = Breaking(RuntimeError("the session service is gone"), times=None)
    running = Running(home, platform)
    try:
        wait_for("several failures in a row", lambda: platform.raised >= 3, timeout=20)
        assert running.thread.is_alive()
        wait_for("the error to be recorded", lambda: "agent_error" in kinds(home))
    finally:
        running.stop()
    assert running.result == [0]


def test_an_exit_nobody_asked_for_is_recorded_as_unclean(home: Path) -> None:
    import_rules(home, family())
    agent = Agent(home, platform=Breaking(Unexpected(), times=None), clock=SystemClock(), interval=0.1)
    with pytest.raises(Unexpected):
        agent.run()
    assert clean_flag(home) == "0", "an unexpected exit was recorded as a clean stop"
    again = Agent(home, platform=FakePlatform(), clock=SystemClock(), interval=0.1)
    again.start(ipc=False)
    again.shutdown()
    with Store(home / "guardian.db") as store:
        gaps = store.events.between(None, 0, 2**40, kinds=["agent_gap"])
    assert gaps and (gaps[-1].data or {}).get("clean") is False
