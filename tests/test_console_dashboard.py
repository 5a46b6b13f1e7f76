"""The dashboard: what it shows, quick grants, answering requests, agent-only actions, a hung agent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from guardian.link import AgentLink
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard import DashboardPage, Signer, approve_request, deny_request
from guardian.ui.console.dashboard_model import build_view, pending_requests
from guardian.ui.console.dashboard_widgets import describe_event, event_text
from guardian.ui.widgets.durations import human_duration
from tests.link_harness import HungAgent, LinkAgent

CHILD = "Minh An"
WAIT_MS = 10_000


def screen_left(api, child: str = CHILD) -> int:
    return api.evaluate(child)[child].screen.left_s


def grants_today(api, child: str = CHILD) -> list:
    return api.store.grants.for_day(api.store.children.id_for(child), api.today().isoformat())


def add_request(api, seconds: int = 1800) -> int:
    child_id = api.store.children.id_for(CHILD)
    return api.store.requests.add(child_id, seconds, ts=int(api.clock.now()) - 60, reason="finish my house")


def settle(qtbot, page: DashboardPage) -> None:
    """Wait until the page has a view and no read or status call is out."""
    qtbot.waitUntil(lambda: page.view is not None and not page.busy, timeout=WAIT_MS)


def make_ctx(api, role: str, pin: str) -> Iterator[ConsoleContext]:
    ctx = ConsoleContext(api, role=role, pin=pin)
    yield ctx
    ctx.close()


@pytest.fixture
def parent_ctx(family):
    yield from make_ctx(family, "parent", "1234")


@pytest.fixture
def page(qtbot, parent_ctx):
    widget = DashboardPage(parent_ctx)
    qtbot.addWidget(widget)
    settle(qtbot, widget)
    return widget


def test_dashboard_has_a_card_per_child_with_todays_figures(page, family):
    names = [c.name for c in family.rules().children]
    assert list(page.cards) == names
    card = page.cards[CHILD]
    assert card.child.age == 8
    assert card.child.used_s > 0
    assert card.child.left_s == screen_left(family)
    assert 0 < len(card.child.top_apps) <= 5
    assert card.child.schedule == ("07:00–21:00",)
    assert not page.view.live


def test_quick_plus_15_reaches_the_api(qtbot, page, family):
    before_left = screen_left(family)
    before_grants = len(grants_today(family))
    qtbot.mouseClick(page.cards[CHILD].quick_buttons[15], Qt.MouseButton.LeftButton)
    assert page.busy  # written on the writer thread, then the cards are read again
    settle(qtbot, page)
    grants = grants_today(family)
    assert len(grants) == before_grants + 1
    assert grants[-1].seconds == 900
    assert grants[-1].by == "parent"
    assert grants[-1].reason == "Extra time from the console"
    assert screen_left(family) == before_left + 900
    assert page.cards[CHILD].child.left_s == before_left + 900


def test_caregiver_can_grant_but_has_no_agent_controls(qtbot, family):
    for ctx in make_ctx(family, "caregiver", "5678"):
        widget = DashboardPage(ctx)
        qtbot.addWidget(widget)
        settle(qtbot, widget)
        card = widget.cards[CHILD]
        assert not hasattr(card, "lock_button")
        qtbot.mouseClick(card.quick_buttons[30], Qt.MouseButton.LeftButton)
        settle(qtbot, widget)
        assert grants_today(family)[-1].by == "caregiver"


def test_approving_a_request_answers_it_and_grants_time(qtbot, page, parent_ctx, family):
    request_id = add_request(family)
    parent_ctx.data_changed.emit()
    settle(qtbot, page)
    rows = page.cards[CHILD].request_rows
    assert [r.request.id for r in rows] == [request_id]
    assert rows[0].amount.value() == 30
    rows[0].amount.setValue(20)
    before_left = screen_left(family)
    qtbot.mouseClick(rows[0].approve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    answered = family.store.requests.get(request_id)
    assert answered.status == "approved"
    assert answered.answered_seconds == 1200
    assert answered.answered_by == "parent"
    assert grants_today(family)[-1].seconds == 1200
    assert screen_left(family) == before_left + 1200
    assert not hasattr(page.cards[CHILD], "request_rows")


PARENT = Signer("1234", "parent")


def test_denying_a_request_gives_no_time(family):
    request_id = add_request(family)
    before = len(grants_today(family))
    deny_request(family, PARENT, request_id)
    assert family.store.requests.get(request_id).status == "denied"
    assert len(grants_today(family)) == before
    assert pending_requests(family) == []


def test_a_request_cannot_be_approved_twice(family):
    from guardian.errors import InvalidInput

    request_id = add_request(family)
    approve_request(family, PARENT, request_id, 600, "ok")
    with pytest.raises(InvalidInput):
        approve_request(family, PARENT, request_id, 600, "ok")


def test_a_failed_change_is_explained_and_changes_nothing(qtbot, family, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    for ctx in make_ctx(family, "parent", "9999"):  # a PIN that no longer matches
        widget = DashboardPage(ctx)
        qtbot.addWidget(widget)
        settle(qtbot, widget)
        before = len(grants_today(family))
        qtbot.mouseClick(widget.cards[CHILD].quick_buttons[15], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
        settle(qtbot, widget)
        assert len(grants_today(family)) == before
        assert "PIN" in shown[0]


def test_lock_now_is_disabled_without_the_agent(page):
    button = page.cards[CHILD].lock_button
    assert not button.isEnabled()
    assert button.toolTip()


def test_pause_until_tomorrow_works_without_the_agent_and_can_be_undone(qtbot, page, family, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def yes(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    card = page.cards[CHILD]
    assert card.pause_button.isEnabled() and not card.child.paused
    qtbot.mouseClick(card.pause_button, Qt.MouseButton.LeftButton)
    assert asked and CHILD in asked[0]
    settle(qtbot, page)
    assert family.is_paused(CHILD) and family.evaluate(CHILD)[CHILD].state == "paused"
    card = page.cards[CHILD]
    assert card.child.paused and card.pause_button.text() == "Resume today"
    assert "paused until tomorrow" in card._state_text(card.child)
    assert card.ring.paused and card.ring.caption().startswith("Paused until tomorrow")
    qtbot.mouseClick(card.pause_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # lifting a pause asks nothing
    settle(qtbot, page)
    assert not family.is_paused(CHILD) and not page.cards[CHILD].child.paused


def test_declining_the_pause_question_changes_nothing(qtbot, page, family, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    qtbot.mouseClick(page.cards[CHILD].pause_button, Qt.MouseButton.LeftButton)
    assert not page.busy  # nothing was sent to the writer
    assert not family.is_paused(CHILD)


@pytest.fixture
def live_agent(family, tmp_path: Path) -> Iterator[LinkAgent]:
    """A real agent service on the family's database, whose live status is the family's status now."""
    agent = LinkAgent(tmp_path, db=family.store.path, status=family.status()).start()
    yield agent
    agent.close()


@pytest.mark.parametrize(
    ("answer", "message"),
    [((1, 1), None), ((0, 0), "no open session"), ((0, 1), "could not lock")],
)
def test_lock_now_asks_the_agent_and_explains_when_nothing_was_locked(
    qtbot, parent_ctx, live_agent, monkeypatch, answer, message
):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    live_agent.view.lock_answer = answer
    page = DashboardPage(parent_ctx, agent=AgentLink(live_agent.path, timeout=5.0))
    qtbot.addWidget(page)
    settle(qtbot, page)
    assert page.view.live
    button = page.cards[CHILD].lock_button
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live_agent.view.locks == [CHILD], timeout=WAIT_MS)
    settle(qtbot, page)
    if message is None:
        assert shown == []
    else:
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
        assert len(shown) == 1 and message in shown[0]
    page.agent.pool.waitForDone(WAIT_MS)


def test_a_notice_from_the_agent_refreshes_the_cards(qtbot, parent_ctx, family, live_agent):
    page = DashboardPage(parent_ctx, agent=AgentLink(live_agent.path, timeout=5.0))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.agent.reachable is True and page.agent.listening, timeout=WAIT_MS)
    settle(qtbot, page)
    request_id = add_request(family)  # a request stored elsewhere (the child's tray, through the agent)
    with qtbot.waitSignal(page.view_changed, timeout=WAIT_MS):
        live_agent.broadcast({"event": "request", "request_id": request_id, "child": CHILD})
    assert [r.request.id for r in page.cards[CHILD].request_rows] == [request_id]
    page.hide()
    assert not page.agent.listening


def test_the_console_stays_responsive_while_the_agent_hangs(qtbot, parent_ctx, family):
    """An agent that accepts and never answers: the page shows the saved record, clicks and timers are
    handled while the status call is out, and the agent is reported unreachable when it times out."""
    hung = HungAgent()
    try:
        page = DashboardPage(parent_ctx, agent=AgentLink(hung.path, timeout=4.0))
        qtbot.addWidget(page)
        assert page.agent.status_pending
        assert hung.received.wait(WAIT_MS / 1000)
        timer = QTimer()
        timer.setInterval(10)
        for _ in range(3):  # the event loop keeps turning while the status call waits on the agent
            with qtbot.waitSignal(timer.timeout, timeout=1000):
                timer.start()
        assert page.agent.status_pending
        with qtbot.waitSignal(page.agent.reachable_changed, timeout=WAIT_MS) as blocker:
            pass
        assert blocker.args == [False]
        settle(qtbot, page)
        assert not page.view.live and CHILD in page.cards
        notes = [label.text() for label in page.findChildren(QLabel)]
        assert any(text.startswith(("Protection is OFF", "Protection may be off")) for text in notes)
        before = len(grants_today(family))
        page.refresh()  # asks the hung agent again; the click below is handled meanwhile
        assert page.agent.status_pending
        qtbot.mouseClick(page.cards[CHILD].quick_buttons[15], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(grants_today(family)) == before + 1, timeout=WAIT_MS)
        assert page.agent.status_pending  # the grant was written while the agent still had not answered
        qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)
        page.agent.pool.waitForDone(WAIT_MS)
    finally:
        hung.close()


def test_the_view_is_built_without_the_agent(family):
    view = build_view(family, None)
    assert not view.live
    assert [c.name for c in view.children] == [c.name for c in family.rules().children]


def test_recent_events_are_in_plain_words(family):
    view = build_view(family, None)
    assert view.events
    assert all(event_text(event) and "_" not in event_text(event) for event in view.events)
    assert describe_event("blocked_launch", "An", "TikTok", None) == (
        "An tried to open TikTok, which is blocked or out of time."
    )
    assert (
        describe_event("agent_gap", None, None, {"seconds": 1260}) == "Guardian was not running for 21 min."
    )


def test_durations_read_as_hours_and_minutes():
    assert human_duration(5400) == "1 h 30 min"
    assert human_duration(3600) == "1 h"
    assert human_duration(59) == "0 min"


def test_reads_and_closing_happen_on_the_reader_thread(qtbot, family, monkeypatch):
    import threading

    from guardian.ui.jobs import pending_jobs

    threads: list[tuple[str, int]] = []
    opened = []
    real_reader = type(family).reader

    def reader(api):
        made = real_reader(api)
        real_close = made.close

        def close():
            threads.append(("close", threading.get_ident()))
            real_close()

        made.close = close
        opened.append(made)
        return made

    monkeypatch.setattr(type(family), "reader", reader)
    ctx = ConsoleContext(family)
    got: list[int] = []
    for _ in range(3):
        ctx.read(
            lambda api: threads.append(("read", threading.get_ident())) or len(api.rules().children),
            got.append,
        )
    qtbot.waitUntil(lambda: len(got) == 3, timeout=WAIT_MS)
    assert got == [len(family.rules().children)] * 3 and pending_jobs() == 0
    ctx.close()
    assert len(opened) == 1  # one reader, reused
    assert [kind for kind, _ in threads] == ["read", "read", "read", "close"]
    assert len({ident for _, ident in threads}) == 1 and threads[0][1] != threading.get_ident()


def test_a_lock_that_locked_nothing_is_not_reported_as_a_lock(family):
    text = describe_event("locked_by_parent", CHILD, None, {"locked": 0, "sessions": 0})
    assert "did nothing" in text and "was locked" not in text
    assert "was locked" in describe_event("locked_by_parent", CHILD, None, {"locked": 1, "sessions": 1})


def test_a_successful_lock_says_how_many_sessions_were_locked(qtbot, page):
    from guardian.link import LockResult

    page._locked(CHILD, LockResult(child=CHILD, locked=1, sessions=1))
    assert page.notice_text.text() == f"{CHILD}'s session was locked."
    page._locked(CHILD, LockResult(child=CHILD, locked=1, sessions=2))
    assert page.notice_text.text() == f"1 of 2 sessions of {CHILD} were locked."
    assert page.undo_button.isHidden()


def test_a_grant_given_by_mistake_is_undone_within_a_minute(qtbot, page, family):
    before = len(grants_today(family))
    qtbot.mouseClick(page.cards[CHILD].quick_buttons[30], Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    qtbot.waitUntil(lambda: page.undo_button.isVisibleTo(page), timeout=WAIT_MS)
    assert "30 min" in page.notice_text.text()
    assert len(grants_today(family)) == before + 1
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    qtbot.waitUntil(lambda: "Undone" in page.notice_text.text(), timeout=WAIT_MS)
    assert len(grants_today(family)) == before
    kinds = [e.kind for e in family.notable_events(0, ["grant_revoked"])]
    assert kinds == ["grant_revoked"]
    assert any(e.kind == "grant_revoked" for e in page.view.events)


def test_a_grant_cannot_be_taken_back_after_a_minute(family):
    from guardian.errors import InvalidInput

    _grant, grant_id = family.give(CHILD, 1800, pin="1234")
    family.clock.advance(61)
    with pytest.raises(InvalidInput, match="first minute"):
        family.revoke_grant(grant_id, pin="1234")
    assert len(grants_today(family)) >= 1


def test_without_the_agent_a_banner_says_protection_is_off(page):
    assert not page.view.live
    assert page.view.protection in ("never", "stopped")
    assert page.protection_text.text().startswith("Protection is OFF")
    assert page.start_button.isVisibleTo(page)


def test_a_caregiver_sees_the_banner_but_cannot_start_the_agent(qtbot, family):
    for ctx in make_ctx(family, "caregiver", "1234"):
        widget = DashboardPage(ctx)
        qtbot.addWidget(widget)
        settle(qtbot, widget)
        assert widget.protection_text.text().startswith("Protection is OFF")
        assert not widget.start_button.isVisibleTo(widget)


def test_a_child_without_an_account_is_named_as_not_protected(qtbot, api):
    api.import_rules('version = 1\n[[child]]\nname = "Lan"\n')
    for ctx in make_ctx(api, "parent", ""):
        widget = DashboardPage(ctx)
        qtbot.addWidget(widget)
        settle(qtbot, widget)
        assert widget.view.unlinked == ("Lan",)
        alerts = [w.text() for w in widget.findChildren(QLabel) if w.property("role") == "alert"]
        assert any("Lan has no computer account" in text for text in alerts)


@pytest.mark.slow
def test_start_protection_starts_the_agent_and_the_banner_goes(qtbot, home: Path):
    import os
    import signal

    from guardian.api import GuardianAPI
    from guardian.clock import SystemClock

    api = GuardianAPI.open(home / "guardian.db", SystemClock())
    api.import_rules('version = 1\n[[child]]\nname = "Lan"\naccounts = ["gxpa-nobody-here"]\n')
    for ctx in make_ctx(api, "parent", ""):
        widget = DashboardPage(ctx, agent=AgentLink.for_home(home, timeout=5.0))
        qtbot.addWidget(widget)
        settle(qtbot, widget)
        assert widget.view.protection == "never"
        qtbot.mouseClick(widget.start_button, Qt.MouseButton.LeftButton)
        try:
            assert widget.started_agent is not None
            qtbot.waitUntil(lambda w=widget: w.view.live, timeout=30_000)
            assert widget.view.protection == "on"
            assert widget.view.mode == ("system" if os.geteuid() == 0 else "personal"), "the agent says how it runs"
            assert not [w for w in widget.findChildren(QWidget, "protection_off") if w.isVisibleTo(widget)]
        finally:
            if widget.started_agent is not None:
                os.kill(widget.started_agent, signal.SIGTERM)
    api.close()
