"""Process events on Windows (WMI) and the exec guard on macOS (Endpoint Security), with the OS faked.

Not run on a real Windows machine or Mac: these test the logic behind the platform seam only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from guardian.platform.linux_procevents import ProcEvent
from guardian.platform.macos_es import AUTH_EXEC, EsExecGuard, EsMessage, parse_message
from guardian.platform.windows_procevents import START_QUERY, STOP_QUERY, WmiProcessEvents, to_event
from tests.agent_harness import wait_for

# -- Windows: WMI process start / stop traces --------------------------------------------------------


@dataclass
class FakeWmi:
    queued: dict[str, list[dict[str, Any] | Exception]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, query: str) -> str:
        self.queued.setdefault(query, [])
        return query

    def next_event(self, subscription: str, timeout_ms: int) -> dict[str, Any] | None:
        with self.lock:
            items = self.queued[subscription]
            item = items.pop(0) if items else None
        if isinstance(item, Exception):
            raise item
        if item is None:
            threading.Event().wait(0.01)  # the fake's "nothing within the timeout"
        return item


@pytest.fixture
def received() -> Iterator[tuple[list[ProcEvent], list[bool]]]:
    yield [], []


def test_wmi_starts_and_stops_become_exec_and_exit_events(
    received: tuple[list[ProcEvent], list[bool]],
) -> None:
    seen, lost = received
    wmi = FakeWmi()
    wmi.queued[START_QUERY] = [{"ProcessID": 40, "ParentProcessID": 4, "ProcessName": "game.exe"}]
    wmi.queued[STOP_QUERY] = [{"ProcessID": 40}]

    def on_events(events: list[ProcEvent], was_lost: bool) -> None:
        seen.extend(events)
        lost.append(was_lost)

    feed = WmiProcessEvents(on_events, api=wmi).start()
    try:
        wait_for("both events", lambda: len(seen) >= 2, timeout=5)
    finally:
        feed.stop()
    assert sorted((e.kind, e.pid, e.parent) for e in seen) == [("exec", 40, 4), ("exit", 40, None)]
    assert not any(lost)


def test_a_broken_wmi_subscription_is_reported_as_lost_events(
    received: tuple[list[ProcEvent], list[bool]],
) -> None:
    _, lost = received
    wmi = FakeWmi()
    wmi.queued[START_QUERY] = [RuntimeError("RPC server unavailable")]

    def on_events(events: list[ProcEvent], was_lost: bool) -> None:
        lost.append(was_lost)

    feed = WmiProcessEvents(on_events, api=wmi).start()
    try:
        wait_for("a lost report", lambda: any(lost), timeout=5)
    finally:
        feed.stop()


@pytest.mark.parametrize("props", [{}, {"ProcessID": "x"}, {"ProcessID": None}])
def test_malformed_wmi_events_are_skipped(props: dict[str, Any]) -> None:
    assert to_event("exec", props) is None


# -- macOS: Endpoint Security AUTH_EXEC ----------------------------------------------------------


@dataclass
class FakeEs:
    answers: dict[int, bool] = field(default_factory=dict)

    def next_message(self, timeout: float) -> EsMessage | None:
        threading.Event().wait(min(timeout, 0.01))
        return None

    def respond(self, message: EsMessage, allow: bool) -> None:
        assert message.id not in self.answers, "answered twice"
        self.answers[message.id] = allow


def auth(
    msg_id: int,
    uid: int,
    path: str = "/Applications/Game.app/Contents/MacOS/Game",
    deadline: float | None = 30.0,
) -> EsMessage:
    return EsMessage(id=msg_id, event=AUTH_EXEC, pid=100 + msg_id, uid=uid, path=path, deadline_s=deadline)


@pytest.fixture
def es() -> Iterator[tuple[FakeEs, list[EsMessage], list[EsMessage]]]:
    yield FakeEs(), [], []


def test_only_watched_accounts_are_judged_and_a_denial_is_reported(
    es: tuple[FakeEs, list[EsMessage], list[EsMessage]],
) -> None:
    api, asked, denied = es

    def judge(message: EsMessage) -> bool:
        asked.append(message)
        return "Game" not in message.path

    guard = EsExecGuard(api, judge, {501}, on_denied=denied.append).start()
    try:
        guard.handle(auth(1, uid=502))  # a parent: allowed at once, never judged
        guard.handle(auth(2, uid=501))  # the child's game: denied
        guard.handle(auth(3, uid=501, path="/usr/bin/true"))
    finally:
        guard.stop()
    assert api.answers == {1: True, 2: False, 3: True}
    assert [m.id for m in asked] == [2, 3]
    assert [m.id for m in denied] == [2]


@pytest.mark.parametrize("trouble", ["raises", "hangs", "deadline"])
def test_any_doubt_is_an_allow_within_the_budget(
    es: tuple[FakeEs, list[EsMessage], list[EsMessage]], trouble: str
) -> None:
    api, _, _ = es
    never = threading.Event()

    def judge(message: EsMessage) -> bool:
        if trouble == "raises":
            raise RuntimeError("bug")
        never.wait(5)
        return False

    guard = EsExecGuard(api, judge, {501}, budget=0.05 if trouble == "hangs" else 10.0).start()
    try:
        deadline = 0.5 if trouble == "deadline" else 30.0  # less than the margin: answered at once
        guard.handle(auth(7, uid=501, deadline=deadline))
    finally:
        never.set()
        guard.stop()
    assert api.answers == {7: True}


def test_notify_messages_become_process_events(es: tuple[FakeEs, list[EsMessage], list[EsMessage]]) -> None:
    api, _, _ = es
    seen: list[ProcEvent] = []
    guard = EsExecGuard(api, lambda m: True, on_events=lambda ev, lost: seen.extend(ev))
    guard.handle(EsMessage(id=1, event="notify_fork", pid=9, uid=501, path="", parent=1))
    guard.handle(EsMessage(id=2, event="notify_exec", pid=9, uid=501, path="/x"))
    guard.handle(EsMessage(id=3, event="notify_exit", pid=9, uid=501, path=""))
    assert [(e.kind, e.pid) for e in seen] == [("fork", 9), ("exec", 9), ("exit", 9)]
    assert api.answers == {}  # NOTIFY messages need no answer


def test_helper_lines_are_parsed_and_malformed_ones_skipped() -> None:
    line = '{"id": 5, "event": "auth_exec", "pid": 77, "uid": 501, "path": "/a/b", "deadline_ms": 12000}'
    message = parse_message(line)
    assert message is not None and (message.id, message.uid, message.deadline_s) == (5, 501, 12.0)
    for bad in ("", "{", '{"id": "x"}', "[]", '{"id": 1, "event": "auth_exec"}'):
        assert parse_message(bad) is None
