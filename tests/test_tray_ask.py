"""Asking for more time from the tray, answered by every path, against the real GuardianAPI and SQLite.

The link here hands each call to ``GuardianAPI`` the way the agent's service does for the child's account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.totp import code_at
from guardian.errors import GuardianError, InvalidInput, NotAllowed, PinLocked, PinRequired, WrongPin
from guardian.ui.tray.app import TrayController
from tests.tray_fakes import INFO, FakeLink, Refused, status

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FAMILY = """
[settings]
timezone = "Asia/Ho_Chi_Minh"

[[child]]
name = "An"
accounts = ["an"]
screen_time = "2h"
"""
CODES = {
    WrongPin: "wrong_pin",
    PinLocked: "pin_locked",
    NotAllowed: "forbidden",
    InvalidInput: "invalid",
    PinRequired: "unauthorized",
}


def api_link(api: GuardianAPI) -> FakeLink:
    link = FakeLink()

    def guarded(function: Any) -> Any:
        def handler(params: dict[str, Any]) -> dict[str, Any]:
            try:
                return dict(function(params))
            except GuardianError as exc:
                raise Refused(CODES.get(type(exc), "internal"), str(exc)) from exc

        return handler

    def approve(params: dict[str, Any]) -> dict[str, Any]:
        if "pin" in params:
            answer = api.approve_with_pin(params["request_id"], "An", params["pin"])
        else:
            answer = api.approve_with_code(params["request_id"], "An", params["code"], secret=SECRET)
        return answer.__dict__

    link.handlers.update(
        {
            "tray.info": guarded(
                lambda p: {**INFO, "remote_approvals_left": api.remote_approvals_left("An")}
            ),
            "request_time": guarded(
                lambda p: {"request_id": api.request_time("An", p["seconds"], p["reason"])}
            ),
            "request.status": guarded(lambda p: api.request_answer(p["request_id"], "An").__dict__),
            "request.approve": guarded(approve),
        }
    )
    return link


@pytest.fixture
def family(api: GuardianAPI) -> GuardianAPI:
    api.import_rules(FAMILY, "family.toml")
    api.set_pin("parent", "1234")
    return api


@pytest.fixture
def tray(qtbot: QtBot, family: GuardianAPI) -> Iterator[TrayController]:
    link = api_link(family)
    controller = TrayController(link, language="en", system_tray=False)
    link.publish_online(True)
    link.publish_status(status())
    yield controller
    controller.ask.poll.stop()
    for widget in (controller.window, controller.ask, controller.pill, controller.banner):
        if widget is not None:
            widget.close()


def ask(tray: TrayController, minutes: int = 30, reason: str = "finish my essay") -> int:
    tray.window.ask.click()
    assert tray.ask.isVisible()
    tray.ask.choices.button(minutes).click()
    tray.ask.reason.setText(reason)
    tray.ask.send.click()
    assert tray.ask.request_id is not None
    return tray.ask.request_id


def granted(api: GuardianAPI) -> int:
    return sum(g.seconds for g in api.store.grants.for_day(1, api.today().isoformat()))


def test_a_reason_is_needed(tray: TrayController, family: GuardianAPI) -> None:
    tray.open_ask()
    tray.ask.send.click()
    assert tray.ask.error.text() == "Please write a short reason for your parents."
    assert family.pending_requests() == []


def test_a_parent_types_the_pin_on_the_spot(tray: TrayController, family: GuardianAPI) -> None:
    rid = ask(tray, 30)
    assert tray.ask.state.text() == "Asked for 30 min. Waiting for a parent's answer…"
    assert [(r.id, r.seconds, r.reason) for r in family.pending_requests()] == [
        (rid, 1800, "finish my essay")
    ]
    tray.ask.pin.setText("9999")
    tray.ask.pin_ok.click()
    assert tray.ask.error.text().startswith("That did not work")
    assert granted(family) == 0
    tray.ask.pin.setText("1234")
    tray.ask.pin_ok.click()
    assert tray.ask.state.text() == "Yes! You got 30 min more."
    assert tray.window.request.text() == "Your parents gave you 30 min more."
    assert granted(family) == 1800


def test_a_parent_answers_later_from_the_console(
    qtbot: QtBot, tray: TrayController, family: GuardianAPI
) -> None:
    rid = ask(tray, 60)
    tray.ask.check_answer()
    assert tray.ask.request_id == rid  # still waiting
    family.answer_request(rid, approve=False, pin="1234")
    qtbot.waitUntil(lambda: tray.ask.request_id is None, timeout=5000)  # the window polls
    assert tray.ask.state.text() == "Not this time. Your parents said no."
    assert tray.window.request.text() == "Your parents said no to more time this time."


def test_a_parent_reads_the_code_from_the_phone(tray: TrayController, family: GuardianAPI) -> None:
    ask(tray, 15)
    assert tray.ask.code_box.isVisibleTo(tray.ask)
    tray.ask.code.setText(code_at(SECRET, family.clock.now()))
    tray.ask.code_ok.click()
    assert tray.ask.state.text() == "Yes! You got 15 min more."
    assert granted(family) == 900


def test_a_replayed_code_is_refused(tray: TrayController, family: GuardianAPI) -> None:
    code = code_at(SECRET, family.clock.now())
    ask(tray, 15)
    tray.ask.code.setText(code)
    tray.ask.code_ok.click()
    rid = ask(tray, 15, "one more page")
    tray.ask.code.setText(code)
    tray.ask.code_ok.click()
    assert "used already" in tray.ask.error.text()
    assert tray.ask.request_id == rid and family.request_answer(rid, "An").status == "pending"
    assert granted(family) == 900


def test_the_daily_cap_on_phone_approvals(tray: TrayController, family: GuardianAPI) -> None:
    clock = family.clock
    assert isinstance(clock, FakeClock)
    for _ in range(2):
        clock.advance(30)
        ask(tray, 15)
        tray.ask.code.setText(code_at(SECRET, clock.now()))
        tray.ask.code_ok.click()
        assert tray.ask.request_id is None
    ask(tray, 15, "a third time")
    assert not tray.ask.code_ok.isEnabled()
    assert tray.ask.code_hint.text() == "Approvals by phone are used up for today."
    tray.ask.remote_left = 1  # even a tray that thinks otherwise gets a refusal from the API
    tray.ask._update_code_box()
    clock.advance(30)
    tray.ask.code.setText(code_at(SECRET, clock.now()))
    tray.ask.code_ok.click()
    assert "used up" in tray.ask.error.text()
    assert granted(family) == 1800


def test_without_an_authenticator_there_is_no_code_box(qtbot: QtBot, family: GuardianAPI) -> None:
    link = api_link(family)
    link.handlers["tray.info"] = lambda p: {**INFO, "authenticator": False}
    controller = TrayController(link, language="en", system_tray=False)
    link.publish_online(True)
    ask(controller)
    assert not controller.ask.code_box.isVisibleTo(controller.ask)
    assert controller.ask.pin_box.isVisibleTo(controller.ask)
    controller.ask.poll.stop()
    controller.ask.close()
    controller.window.close()
