"""The agent's IPC methods end to end: real socket, real SQLite, a fake agent view and a fake clock."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from guardian.agent.service import AgentService, SessionReport
from guardian.agent.tokens import TokenStore
from guardian.api import GuardianAPI
from guardian.core.clock import FakeClock
from guardian.core.messages import Status
from guardian.ipc.client import IpcClient
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import IpcError, Request
from guardian.ipc.server import Connection, IpcServer
from guardian.store import Store
from tests.helpers import VN, child_entry, live_status, ts

ME = pwd.getpwuid(os.getuid()).pw_name
RULES = """
version = 1

[[child]]
name = "An"
accounts = ["an-account"]
screen_time = { default = "2h" }

[[child]]
name = "Binh"
accounts = ["binh-account"]
screen_time = { default = "1h" }
"""


@dataclass
class FakeView:
    accounts: dict[str, str] = field(default_factory=dict)
    sessions: list[tuple[str, SessionReport]] = field(default_factory=list)
    rules_changes: int = 0
    locks: list[str] = field(default_factory=list)

    def lock_child(self, name: str) -> tuple[int, int]:
        self.locks.append(name)
        return 1, 1

    def live_status(self) -> Status:
        return live_status(child_entry("An"), child_entry("Binh"))

    def report_session(self, user: str, report: SessionReport) -> None:
        self.sessions.append((user, report))

    def rules_changed(self) -> None:
        self.rules_changes += 1

    def child_for_user(self, user: str) -> str | None:
        return self.accounts.get(user)

    def announce(self, event: dict[str, Any], users: object = None) -> None:
        raise AssertionError("the service broadcasts through the server")


@dataclass
class Agent:
    api: GuardianAPI
    clock: FakeClock
    view: FakeView
    server: IpcServer

    def client(self) -> IpcClient:
        client = IpcClient(self.server.path)
        client.connect()
        return client

    def stored_rules(self) -> str:
        return self.api.export_rules()


def start_agent(home: Path, *, agent_uid: int | None = None) -> Iterator[Agent]:
    clock = FakeClock(now=ts("2026-11-27 18:00"))
    db = home / "guardian.db"
    api = GuardianAPI(Store(db), clock, tz=VN)
    api.import_rules(RULES, "test")
    view = FakeView()
    service = AgentService(
        lambda: GuardianAPI(Store(db), clock, tz=VN), view, TokenStore(clock), agent_uid=agent_uid
    )
    folder = Path(tempfile.mkdtemp(prefix="g"))
    server = IpcServer(folder / "agent.sock", service.dispatch, on_stop=service.close)
    server.start()
    try:
        yield Agent(api, clock, view, server)
    finally:
        server.stop()
        api.store.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[Agent]:
    yield from start_agent(tmp_path)


@pytest.fixture
def locked_agent(agent: Agent) -> Agent:
    """A family with a parent PIN 1234 and a caregiver PIN 5678."""
    agent.api.set_pin("parent", "1234")
    agent.api.set_pin("caregiver", "5678", current_pin="1234")
    return agent


@pytest.fixture
def client(agent: Agent) -> Iterator[IpcClient]:
    with agent.client() as connected:
        yield connected


def code_of(client: IpcClient, method: str, params: dict[str, Any] | None = None) -> str:
    with pytest.raises(IpcError) as info:
        client.call(method, params)
    return info.value.code


def token(client: IpcClient, pin: str) -> str:
    return str(client.call("auth", {"pin": pin})["token"])


# -- status and sessions ---------------------------------------------------------------------------


def test_status_shows_every_child_to_a_grown_up(client: IpcClient) -> None:
    status = client.call("status")
    assert [c["child"] for c in status["children"]] == ["An", "Binh"]
    assert status["viewer"] == {"user": ME, "child": None}


def test_status_shows_a_child_only_their_own_time(agent: Agent, client: IpcClient) -> None:
    agent.view.accounts[ME] = "Binh"
    assert [c["child"] for c in client.call("status")["children"]] == ["Binh"]


def test_report_session_is_forwarded_for_the_callers_own_user(agent: Agent, client: IpcClient) -> None:
    params = {"session_id": "s1", "foreground_pid": 42, "title": "Maths", "idle_s": 1.5, "locked": False}
    assert client.call("report_session", params) == {"ok": True}
    assert agent.view.sessions == [(ME, SessionReport("s1", 42, "Maths", 1.5, False))]


# -- requests for more time ------------------------------------------------------------------------


def test_a_childs_request_is_stored_and_pushed_to_token_holders_only(locked_agent: Agent) -> None:
    with locked_agent.client() as parent, locked_agent.client() as child_tray:
        parent.subscribe(token(parent, "1234"))
        child_tray.subscribe()
        locked_agent.view.accounts[ME] = "An"
        result = child_tray.call(
            "request_time", {"seconds": 900, "reason": "homework", "app": "category:games"}
        )
        event = parent.next_event(timeout=5)
        assert event is not None and event["event"] == "request"
        assert (event["request_id"], event["child"], event["seconds"]) == (result["request_id"], "An", 900)
        assert child_tray.next_event(timeout=0.05) is None
    stored = locked_agent.api.store.requests.get(result["request_id"])
    assert stored is not None and (stored.seconds, stored.reason, stored.app) == (
        900,
        "homework",
        "category:games",
    )


def test_only_a_childs_account_may_ask_for_time(client: IpcClient) -> None:
    assert code_of(client, "request_time", {"seconds": 600, "reason": "x"}) == "forbidden"


def test_a_request_for_an_unknown_app_is_invalid(agent: Agent, client: IpcClient) -> None:
    agent.view.accounts[ME] = "An"
    assert code_of(client, "request_time", {"seconds": 600, "reason": "x", "app": "no-such-app"}) == "invalid"


# -- PINs and tokens ---------------------------------------------------------------------------------


def test_auth_returns_a_role_token(locked_agent: Agent, client: IpcClient) -> None:
    result = client.call("auth", {"pin": "5678"})
    assert result["role"] == "caregiver" and result["expires_in"] == 600 and len(result["token"]) > 20


def test_auth_without_a_parent_pin_says_to_set_one(client: IpcClient) -> None:
    with pytest.raises(IpcError) as info:
        client.call("auth", {"pin": "1234"})
    assert info.value.code == "unauthorized" and "set one first" in info.value.message


def test_pin_back_off_holds_over_ipc_even_for_the_right_pin(locked_agent: Agent, client: IpcClient) -> None:
    for _ in range(3):
        assert code_of(client, "auth", {"pin": "0000"}) == "wrong_pin"
    with pytest.raises(IpcError) as info:
        client.call("auth", {"pin": "1234"})
    assert info.value.code == "pin_locked" and info.value.data["retry_after"] == 5
    locked_agent.clock.advance(4)
    assert code_of(client, "auth", {"pin": "1234"}) == "pin_locked"
    locked_agent.clock.advance(1)
    assert client.call("auth", {"pin": "1234"})["role"] == "parent"


def test_an_expired_token_is_unauthorized(locked_agent: Agent, client: IpcClient) -> None:
    parent = token(client, "1234")
    locked_agent.clock.advance(601)
    assert code_of(client, "rules.get", {"token": parent}) == "unauthorized"


# -- lock now and pause until tomorrow -----------------------------------------------------------------


def test_lock_now_needs_a_parent_token_and_reaches_the_agent(locked_agent: Agent, client: IpcClient) -> None:
    assert code_of(client, "child.lock", {"child": "An"}) == "unauthorized"
    assert code_of(client, "child.lock", {"child": "An", "token": token(client, "5678")}) == "forbidden"
    assert locked_agent.view.locks == []
    parent = token(client, "1234")
    assert code_of(client, "child.lock", {"child": "Nobody", "token": parent}) == "not_found"
    result = client.call("child.lock", {"child": "an", "token": parent})
    assert result == {"child": "An", "locked": 1, "sessions": 1}
    assert locked_agent.view.locks == ["An"]


def test_pause_and_resume_need_a_parent_token_and_are_stored(locked_agent: Agent, client: IpcClient) -> None:
    assert code_of(client, "child.pause", {"child": "An", "token": token(client, "5678")}) == "forbidden"
    assert not locked_agent.api.is_paused("An")
    parent = token(client, "1234")
    assert client.call("child.pause", {"child": "An", "token": parent})["changed"] is True
    assert client.call("child.pause", {"child": "An", "token": parent})["changed"] is False
    assert locked_agent.api.is_paused("An") and not locked_agent.api.is_paused("Binh")
    assert locked_agent.view.rules_changes == 2
    result = client.call("child.pause", {"child": "An", "token": parent, "resume": True})
    assert result == {"child": "An", "paused": False, "changed": True}
    assert not locked_agent.api.is_paused("An")
    assert code_of(client, "child.pause", {"child": "An", "token": parent, "resume": "yes"}) == "bad_params"


# -- rules -------------------------------------------------------------------------------------------


def test_rules_set_needs_a_parent_token(locked_agent: Agent, client: IpcClient) -> None:
    before = locked_agent.stored_rules()
    new = RULES.replace('"2h"', '"3h"')
    assert code_of(client, "rules.set", {"text": new}) == "unauthorized"
    assert code_of(client, "rules.set", {"text": new, "token": "forged"}) == "unauthorized"
    assert code_of(client, "rules.set", {"text": new, "token": token(client, "5678")}) == "forbidden"
    assert locked_agent.stored_rules() == before and locked_agent.view.rules_changes == 0

    result = client.call("rules.set", {"text": new, "token": token(client, "1234")})
    assert result == {"version": 2, "changed": True}
    assert locked_agent.view.rules_changes == 1
    assert 'screen_time = "3h"' in locked_agent.stored_rules()


def test_a_bad_family_file_is_invalid_with_the_parsers_message(
    locked_agent: Agent, client: IpcClient
) -> None:
    before = locked_agent.stored_rules()
    with pytest.raises(IpcError) as info:
        client.call(
            "rules.set", {"text": "version = 1\n[[child]]\nage = 9\n", "token": token(client, "1234")}
        )
    assert info.value.code == "invalid" and "rules.set" in info.value.message
    assert locked_agent.stored_rules() == before


def test_rules_get_exports_the_current_rules(locked_agent: Agent, client: IpcClient) -> None:
    result = client.call("rules.get", {"token": token(client, "5678")})
    assert result == {"text": locked_agent.stored_rules(), "version": 1}


def test_first_run_setup_lets_the_agents_own_user_in_without_a_token(client: IpcClient) -> None:
    assert client.call("rules.get")["version"] == 1


def test_without_a_pin_a_stranger_gets_no_parent_methods(tmp_path: Path) -> None:
    clock = FakeClock(now=ts("2026-11-27 18:00"))
    service = AgentService(
        lambda: GuardianAPI(Store(tmp_path / "g.db"), clock, tz=VN),
        FakeView(),
        TokenStore(clock),
        agent_uid=1000,
    )
    request = Request(1, "rules.get", {})
    try:
        with pytest.raises(IpcError) as info:
            service.dispatch(request, Peer(4242, 1001, "stranger"), cast(Connection, None))
        assert info.value.code == "unauthorized" and "set one first" in info.value.message
        assert service.dispatch(request, Peer(4243, 1000, "agent"), cast(Connection, None))["version"] == 0
    finally:
        service.close()


# -- grants and reports ------------------------------------------------------------------------------


def test_a_caregiver_token_grants_extra_time_without_a_pin(locked_agent: Agent, client: IpcClient) -> None:
    result = client.call("grant", {"token": token(client, "5678"), "child": "an", "seconds": 1800})
    assert result == {
        "child": "An",
        "day": "2026-11-27",
        "seconds": 1800,
        "app": None,
        "reason": "",
        "by": "caregiver",
    }
    child_id = locked_agent.api.store.children.id_for("An")
    assert child_id is not None
    assert [g.seconds for g in locked_agent.api.store.grants.for_day(child_id, "2026-11-27")] == [1800]


def test_a_grant_for_an_unknown_child_is_invalid(locked_agent: Agent, client: IpcClient) -> None:
    params = {"token": token(client, "1234"), "child": "Nobody", "seconds": 60}
    assert code_of(client, "grant", params) == "invalid"


def test_report_covers_the_asked_days(locked_agent: Agent, client: IpcClient) -> None:
    params = {"token": token(client, "5678"), "from": "2026-11-23", "to": "2026-11-29", "child": "Binh"}
    report = client.call("report", params)
    assert [c["name"] for c in report["children"]] == ["Binh"]
    assert len(report["children"][0]["days"]) == 7


def test_a_backwards_report_range_is_invalid(locked_agent: Agent, client: IpcClient) -> None:
    params = {"token": token(client, "1234"), "from": "2026-11-29", "to": "2026-11-23"}
    assert code_of(client, "report", params) == "invalid"
