"""The tray's IPC methods for requests: status, approval by PIN or phone code, and the tray's info."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.core.totp import code_at
from guardian.ipc.client import IpcClient
from tests.test_ipc_service import ME, Agent, code_of, start_agent

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[Agent]:
    for agent in start_agent(tmp_path):
        agent.api.set_pin("parent", "1234")
        agent.view.accounts[ME] = "An"
        yield agent


@pytest.fixture
def tray(agent: Agent) -> Iterator[IpcClient]:
    with agent.client() as connected:
        yield connected


def ask(tray: IpcClient, seconds: int = 900) -> int:
    return int(tray.call("request_time", {"seconds": seconds, "reason": "homework"})["request_id"])


def test_the_child_follows_a_request_until_a_pin_approves_it(agent: Agent, tray: IpcClient) -> None:
    rid = ask(tray)
    assert tray.call("request.status", {"request_id": rid})["status"] == "pending"
    assert code_of(tray, "request.approve", {"request_id": rid, "pin": "9999"}) == "wrong_pin"
    answer = tray.call("request.approve", {"request_id": rid, "pin": "1234"})
    assert (answer["status"], answer["seconds"]) == ("approved", 900)
    assert tray.call("request.status", {"request_id": rid})["status"] == "approved"
    assert agent.view.rules_changes >= 1  # the agent re-reads grants


def test_a_phone_code_approves_once(agent: Agent, tray: IpcClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from guardian import secrets

    monkeypatch.setattr(secrets, "load_totp_secret", lambda folder: SECRET)
    agent.api.set_totp_enrolled(True)
    code = code_at(SECRET, agent.clock.now())
    first, second = ask(tray), ask(tray)
    assert tray.call("request.approve", {"request_id": first, "code": code})["status"] == "approved"
    assert code_of(tray, "request.approve", {"request_id": second, "code": code}) == "wrong_pin"
    assert tray.call("tray.info")["remote_approvals_left"] == 1


def test_pin_or_code_but_not_both_nor_neither(tray: IpcClient) -> None:
    rid = ask(tray)
    assert code_of(tray, "request.approve", {"request_id": rid}) == "invalid"
    assert code_of(tray, "request.approve", {"request_id": rid, "pin": "1234", "code": "123456"}) == "invalid"


def test_only_the_childs_own_account_may_follow_or_approve(agent: Agent, tray: IpcClient) -> None:
    rid = ask(tray)
    agent.view.accounts.clear()
    assert code_of(tray, "request.status", {"request_id": rid}) == "forbidden"
    agent.view.accounts[ME] = "Binh"
    assert code_of(tray, "request.status", {"request_id": rid}) == "invalid"
    assert code_of(tray, "request.approve", {"request_id": rid, "pin": "1234"}) == "invalid"


def test_tray_info_tells_the_child_what_the_tray_shows(tray: IpcClient) -> None:
    info = tray.call("tray.info")
    assert info["child"] == "An"
    assert info["hotlines"] == ["111"]
    assert (info["retention_days"], info["health_reminder"], info["remote_approvals_left"]) == (365, True, 2)
    assert info["authenticator"] is False
    assert "minecraft" in info["games"]
