"""The dashboard: what it shows, quick grants, answering requests, agent-only actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from guardian.link import LockResult
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard import (
    AgentLink,
    DashboardPage,
    approve_request,
    build_view,
    current_status,
    deny_request,
    describe_event,
    human_duration,
    pending_requests,
)

CHILD = "Minh An"


def screen_left(api, child: str = CHILD) -> int:
    return api.evaluate(child)[child].screen.left_s


def grants_today(api, child: str = CHILD) -> list:
    return api.store.grants.for_day(api.store.children.id_for(child), api.today().isoformat())


def add_request(api, seconds: int = 1800) -> int:
    child_id = api.store.children.id_for(CHILD)
    return api.store.requests.add(child_id, seconds, ts=int(api.clock.now()) - 60, reason="finish my house")


@pytest.fixture
def parent_ctx(family):
    return ConsoleContext(family, role="parent", pin="1234")


@pytest.fixture
def page(qtbot, parent_ctx):
    widget = DashboardPage(parent_ctx)
    qtbot.addWidget(widget)
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


def test_without_agent_status_comes_from_the_api(family):
    status, live = current_status(family, AgentLink(None))
    assert not live
    assert [c["child"] for c in status["children"]] == [c.name for c in family.rules().children]


def test_quick_plus_15_reaches_the_api(qtbot, page, family):
    before_left = screen_left(family)
    before_grants = len(grants_today(family))
    qtbot.mouseClick(page.cards[CHILD].quick_buttons[15], Qt.MouseButton.LeftButton)
    grants = grants_today(family)
    assert len(grants) == before_grants + 1
    assert grants[-1].seconds == 900
    assert grants[-1].by == "parent"
    assert screen_left(family) == before_left + 900
    assert page.cards[CHILD].child.left_s == before_left + 900


def test_caregiver_can_grant_but_has_no_agent_controls(qtbot, family):
    widget = DashboardPage(ConsoleContext(family, role="caregiver", pin="5678"))
    qtbot.addWidget(widget)
    card = widget.cards[CHILD]
    assert not hasattr(card, "lock_button")
    qtbot.mouseClick(card.quick_buttons[30], Qt.MouseButton.LeftButton)
    assert grants_today(family)[-1].by == "caregiver"


def test_approving_a_request_answers_it_and_grants_time(qtbot, page, parent_ctx, family):
    request_id = add_request(family)
    parent_ctx.data_changed.emit()
    rows = page.cards[CHILD].request_rows
    assert [r.request.id for r in rows] == [request_id]
    assert rows[0].amount.value() == 30
    rows[0].amount.setValue(20)
    before_left = screen_left(family)
    qtbot.mouseClick(rows[0].approve_button, Qt.MouseButton.LeftButton)
    answered = family.store.requests.get(request_id)
    assert answered.status == "approved"
    assert answered.answered_seconds == 1200
    assert answered.answered_by == "parent"
    assert grants_today(family)[-1].seconds == 1200
    assert screen_left(family) == before_left + 1200
    assert not hasattr(page.cards[CHILD], "request_rows")


def test_denying_a_request_gives_no_time(parent_ctx, family):
    request_id = add_request(family)
    before = len(grants_today(family))
    deny_request(parent_ctx, request_id)
    assert family.store.requests.get(request_id).status == "denied"
    assert len(grants_today(family)) == before
    assert pending_requests(family) == []


def test_a_request_cannot_be_approved_twice(parent_ctx, family):
    from guardian.errors import InvalidInput

    request_id = add_request(family)
    approve_request(parent_ctx, request_id, 600)
    with pytest.raises(InvalidInput):
        approve_request(parent_ctx, request_id, 600)


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
    assert family.is_paused(CHILD) and family.evaluate(CHILD)[CHILD].state == "paused"
    card = page.cards[CHILD]
    assert card.child.paused and card.pause_button.text() == "Resume today"
    assert "paused until tomorrow" in card._state_text(card.child)
    assert card.ring.paused and card.ring.caption().startswith("Paused until tomorrow")
    qtbot.mouseClick(card.pause_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # lifting a pause asks nothing
    assert not family.is_paused(CHILD) and not page.cards[CHILD].child.paused


def test_declining_the_pause_question_changes_nothing(qtbot, page, family, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    qtbot.mouseClick(page.cards[CHILD].pause_button, Qt.MouseButton.LeftButton)
    assert not family.is_paused(CHILD)


class LiveAgent(AgentLink):
    """The agent as the dashboard sees it: live status from the API, calls recorded."""

    def __init__(self, api, answer):
        super().__init__(None)
        self.api, self.answer, self.calls = api, answer, []

    def status(self):
        return self.api.status()

    def lock(self, child, *, pin=None):
        self.calls.append(("child.lock", {"child": child}, pin))
        return LockResult(**self.answer)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"locked": 1, "sessions": 1}, None),
        ({"locked": 0, "sessions": 0}, "no open session"),
        ({"locked": 0, "sessions": 1}, "could not lock"),
    ],
)
def test_lock_now_asks_the_agent_and_explains_when_nothing_was_locked(
    qtbot, parent_ctx, family, monkeypatch, answer, message
):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    agent = LiveAgent(family, answer)
    page = DashboardPage(parent_ctx, agent=agent)
    qtbot.addWidget(page)
    button = page.cards[CHILD].lock_button
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert agent.calls == [("child.lock", {"child": CHILD}, "1234")]
    assert (shown == []) if message is None else (len(shown) == 1 and message in shown[0])


def test_recent_events_are_in_plain_words(family):
    view = build_view(family, AgentLink(None))
    assert view.events
    assert all(event.text and "_" not in event.text for event in view.events)
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
