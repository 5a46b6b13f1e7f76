"""The agent link (``guardian.link``) against a real agent service on a real socket."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.core.messages import LockedNotice, Notice, TimeRequestNotice, WarningNotice
from guardian.errors import NotAllowed, WrongPin
from guardian.link import AgentLink, AgentNotAnswering, AgentUnreachable, LockResult, PauseResult
from tests.agent_harness import wait_for
from tests.helpers import live_status
from tests.link_harness import HungAgent, LinkAgent

WAIT = 10.0


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[LinkAgent]:
    agent = LinkAgent(tmp_path).start()
    yield agent
    agent.close()


@pytest.fixture
def pinned(agent: LinkAgent) -> LinkAgent:
    agent.api.set_pin("parent", "1234")
    agent.api.set_pin("caregiver", "5678", current_pin="1234")
    return agent


@pytest.fixture
def link(agent: LinkAgent) -> Iterator[AgentLink]:
    link = AgentLink(agent.path, timeout=5.0)
    yield link
    link.close()


def test_status_comes_from_the_agent(link: AgentLink) -> None:
    status = link.status()
    assert [c.child for c in status.children] == ["An"]
    assert status.agent.running and status.agent.to_wire() == {"running": True}


def test_no_agent_is_unreachable_at_once(tmp_path: Path) -> None:
    with pytest.raises(AgentUnreachable, match="not running"):
        AgentLink(tmp_path / "nothing.sock").status()
    with pytest.raises(AgentUnreachable):
        AgentLink(None).lock("An")


def test_lock_signs_in_once_and_reuses_the_token(pinned: LinkAgent, link: AgentLink) -> None:
    assert link.lock("An", pin="1234") == LockResult("An", locked=1, sessions=1)
    assert link.lock("An", pin="1234") == LockResult("An", locked=1, sessions=1)
    assert pinned.view.locks == ["An", "An"]
    assert pinned.auths == 1


def test_wrong_pin_and_caregiver_are_refused_as_api_errors(pinned: LinkAgent, link: AgentLink) -> None:
    with pytest.raises(WrongPin):
        link.lock("An", pin="9999")
    with pytest.raises(NotAllowed):
        link.lock("An", pin="5678")
    assert pinned.view.locks == []


def test_pause_and_resume_reach_the_database(pinned: LinkAgent, link: AgentLink) -> None:
    assert link.pause("An", pin="1234") == PauseResult("An", paused=True, changed=True)
    assert pinned.api.is_paused("An")
    assert link.pause("An", pin="1234") == PauseResult("An", paused=True, changed=False)
    assert link.pause("An", resume=True, pin="1234") == PauseResult("An", paused=False, changed=True)
    assert not pinned.api.is_paused("An")


def test_a_restarted_agent_is_reconnected_and_the_token_renewed(pinned: LinkAgent, link: AgentLink) -> None:
    link.lock("An", pin="1234")
    pinned.restart()  # the old connection is gone and the new agent never issued the kept token
    assert link.status().children
    assert link.lock("An", pin="1234").locked == 1
    assert pinned.auths == 2


def test_a_stopped_agent_is_unreachable_until_it_is_back(agent: LinkAgent, link: AgentLink) -> None:
    link.status()
    agent.stop()
    with pytest.raises(AgentUnreachable):
        link.status()
    agent.start()
    assert link.status().children


def test_a_hung_agent_is_unreachable_after_the_time_out() -> None:
    hung = HungAgent()
    try:
        link = AgentLink(hung.path, timeout=0.3)
        with pytest.raises(AgentNotAnswering, match="did not answer"):
            link.status()
        assert hung.received.wait(WAIT)
        assert len(hung.accepted) == 1
    finally:
        hung.close()


def test_an_agent_that_starts_hanging_is_not_asked_twice() -> None:
    """A call that timed out on a connection that used to work is not retried on a new connection
    (that would only wait as long again); the next call opens a new one."""
    hung = HungAgent(answer_first=True)
    try:
        link = AgentLink(hung.path, timeout=0.3)
        assert link.status() == live_status()
        with pytest.raises(AgentNotAnswering):
            link.status()
        assert len(hung.accepted) == 1
        assert link.status() == live_status()  # a new connection, answered once more
        assert len(hung.accepted) == 2
        link.close()
    finally:
        hung.close()


def test_subscription_delivers_notices_and_survives_a_restart(agent: LinkAgent, link: AgentLink) -> None:
    events: queue.Queue[Notice] = queue.Queue()
    states: queue.Queue[bool] = queue.Queue()
    subscription = link.subscribe(events.put, on_state=lambda up, why: states.put(up), retry=0.05)
    try:
        assert states.get(timeout=WAIT) is True
        agent.broadcast(WarningNotice("An", "screen", None, 300).to_wire())
        assert events.get(timeout=WAIT) == WarningNotice("An", "screen", None, 300)
        agent.stop()
        assert states.get(timeout=WAIT) is False
        agent.start()
        assert states.get(timeout=WAIT) is True
        agent.broadcast(LockedNotice("An").to_wire())
        assert events.get(timeout=WAIT) == LockedNotice("An")
    finally:
        subscription.stop()
    assert not subscription.running


def test_a_malformed_notice_is_logged_and_dropped_and_the_subscription_goes_on(
    agent: LinkAgent, link: AgentLink, caplog: pytest.LogCaptureFixture
) -> None:
    events: queue.Queue[Notice] = queue.Queue()
    states: queue.Queue[bool] = queue.Queue()
    handled: list[Notice] = []

    def handler(notice: Notice) -> None:
        handled.append(notice)
        events.put(notice)

    subscription = link.subscribe(handler, on_state=lambda up, why: states.put(up))
    try:
        assert states.get(timeout=WAIT) is True
        with caplog.at_level("WARNING", logger="guardian.link"):
            agent.broadcast({"event": "warning", "child": "An", "left_s": 300})  # an old or broken agent
            agent.broadcast({"event": "party", "child": "An"})  # a kind this version does not know
            agent.broadcast({"event": "locked", "child": ["An"]})
            agent.broadcast(LockedNotice("An").to_wire())
            assert events.get(timeout=WAIT) == LockedNotice("An")
        assert handled == [LockedNotice("An")] and subscription.running and states.empty()
        refused = [r.getMessage() for r in caplog.records if "not one" in r.getMessage()]
        assert len(refused) == 3
        assert "does not take: left_s" in refused[0] and "'party' is not a notice" in refused[1]
        assert "LockedNotice.child must be str" in refused[2]
    finally:
        subscription.stop()


def test_subscription_with_a_pin_receives_time_requests(pinned: LinkAgent, link: AgentLink) -> None:
    events: queue.Queue[Notice] = queue.Queue()
    states: queue.Queue[bool] = queue.Queue()
    subscription = link.subscribe(events.put, on_state=lambda up, why: states.put(up), pin="5678")
    try:
        assert states.get(timeout=WAIT) is True
        assert subscription.role == "caregiver"
        notice = TimeRequestNotice(3, "An", 900, None, "homework", 1764240000)
        pinned.server.broadcast(notice.to_wire(), roles=frozenset({"caregiver"}))
        assert events.get(timeout=WAIT) == notice
    finally:
        subscription.stop()


def test_subscription_reports_an_absent_agent_once(tmp_path: Path) -> None:
    states: list[bool] = []
    subscription = AgentLink(tmp_path / "none.sock").subscribe(
        lambda e: None, on_state=lambda up, why: states.append(up), retry=0.01
    )
    wait_for("five connection attempts", lambda: subscription.attempts >= 5)
    subscription.stop()
    assert subscription.attempts >= 5
    assert states == [False]


def test_the_tray_reports_its_session(agent: LinkAgent, link: AgentLink) -> None:
    link.report_session("s1", foreground_pid=4242, idle_s=3.5, locked=False)
    ((user, report),) = agent.view.sessions
    assert user and report.session_id == "s1" and report.foreground_pid == 4242
    assert report.idle_s == 3.5 and report.locked is False and report.title is None
