"""The agent link for Qt: calls off the UI thread, notices as signals, an agent that hangs or restarts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from guardian.core.messages import AppClosedNotice, WarningNotice
from guardian.errors import GuardianError, NotAllowed, WrongPin
from guardian.link import AgentLink, LockResult
from guardian.ui.agent_link_qt import QtAgentLink
from tests.link_harness import HungAgent, LinkAgent

WAIT_MS = 10_000


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[LinkAgent]:
    agent = LinkAgent(tmp_path).start()
    yield agent
    agent.close()


@pytest.fixture
def qt_link(qtbot, agent: LinkAgent) -> Iterator[QtAgentLink]:
    link = QtAgentLink(AgentLink(agent.path, timeout=5.0))
    yield link
    link.stop()
    link.pool.waitForDone(WAIT_MS)


def test_status_arrives_as_a_signal(qtbot, qt_link: QtAgentLink) -> None:
    with qtbot.waitSignal(qt_link.status_received, timeout=WAIT_MS) as blocker:
        assert qt_link.refresh_status()
    assert blocker.args[0].children[0].child == "An"
    assert qt_link.reachable is True


def test_lock_answers_on_the_ui_thread(qtbot, agent: LinkAgent, qt_link: QtAgentLink) -> None:
    agent.api.set_pin("parent", "1234")
    results: list[LockResult] = []
    errors: list[GuardianError] = []
    qt_link.lock("An", pin="1234", on_done=results.append, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results == [LockResult("An", locked=1, sessions=1)] and agent.view.locks == ["An"]
    qt_link.lock("An", pin="0000", on_done=results.append, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], WrongPin)


def test_a_hung_agent_never_blocks_the_event_loop(qtbot) -> None:
    """While the status call waits on an agent that never answers, timers keep firing and the link
    reports the agent unreachable once the call times out."""
    hung = HungAgent()
    link = QtAgentLink(AgentLink(hung.path, timeout=3.0))
    try:
        ticks: list[int] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        assert link.refresh_status()
        assert hung.received.wait(WAIT_MS / 1000)
        for _ in range(5):  # the loop turns over and over while the call is out
            with qtbot.waitSignal(timer.timeout, timeout=1000):
                pass
        assert link.status_pending
        assert not link.refresh_status()  # one status call at a time; no pile-up behind a hung agent
        with qtbot.waitSignal(link.reachable_changed, timeout=WAIT_MS) as blocker:
            pass
        assert blocker.args == [False]
        assert not link.status_pending
        assert len(ticks) >= 5
        timer.stop()
    finally:
        link.stop()
        link.pool.waitForDone(WAIT_MS)
        hung.close()


def test_notices_become_signals_and_a_restart_is_followed(qtbot, agent: LinkAgent, qt_link) -> None:
    with qtbot.waitSignal(qt_link.reachable_changed, timeout=WAIT_MS) as up:
        qt_link.listen(retry=0.05)
    assert up.args == [True]
    with qtbot.waitSignal(qt_link.event_received, timeout=WAIT_MS) as notice:
        agent.broadcast(WarningNotice("An", "screen", None, 60).to_wire())
    assert notice.args[0] == WarningNotice("An", "screen", None, 60)
    with qtbot.waitSignals([qt_link.reachable_changed, qt_link.unreachable], timeout=WAIT_MS):
        agent.stop()
    assert qt_link.reachable is False
    with qtbot.waitSignal(qt_link.reachable_changed, timeout=WAIT_MS) as back:
        agent.start()
    assert back.args == [True]
    with qtbot.waitSignal(qt_link.event_received, timeout=WAIT_MS) as notice:
        agent.broadcast(AppClosedNotice("An", "minecraft", "exhausted").to_wire())
    assert notice.args[0] == AppClosedNotice("An", "minecraft", "exhausted")


def test_stop_ends_the_listening_thread(qtbot, qt_link: QtAgentLink) -> None:
    with qtbot.waitSignal(qt_link.reachable_changed, timeout=WAIT_MS):
        qt_link.listen()
    assert qt_link.listening
    subscription = qt_link._subscription
    qt_link.stop()
    assert not qt_link.listening
    qtbot.waitUntil(lambda: not subscription.running, timeout=WAIT_MS)


def test_stopping_never_waits_on_a_hung_agent(qtbot) -> None:
    """The subscription's thread is stuck in ``subscribe`` on an agent that never answers: stop() returns
    at once (the thread still runs), nothing is delivered afterwards, and the thread ends by itself."""
    hung = HungAgent()
    link = QtAgentLink(AgentLink(hung.path, timeout=2.0))
    try:
        states: list[bool] = []
        link.reachable_changed.connect(states.append)
        link.listen()
        assert hung.received.wait(WAIT_MS / 1000)  # the subscribe request is out
        subscription = link._subscription
        link.stop()
        assert subscription.running and not link.listening
        qtbot.waitUntil(lambda: not subscription.running, timeout=WAIT_MS)
        assert states == []
    finally:
        hung.close()


def test_a_request_for_time_from_a_childs_account_is_refused_for_others(qtbot, qt_link, agent) -> None:
    """This account is no child's: the agent says so, and the answer comes back on the UI thread."""
    errors: list[GuardianError] = []
    qt_link.request_time(900, "homework", on_done=lambda rid: None, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], NotAllowed)
    assert agent.api.pending_requests() == []
