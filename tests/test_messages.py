"""The typed wire (``guardian.core.messages``): every message gives exactly the JSON docs/ipc.md documents."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardian import api as api_module
from guardian.core.messages import (
    MAX_GRANT_SECONDS,
    AgentHealth,
    AppLimitEntry,
    ApproveParams,
    AuthParams,
    AuthResult,
    ChildEntry,
    EventKind,
    GrantParams,
    GrantResult,
    LockResult,
    Message,
    Ok,
    PauseResult,
    Report,
    ReportChild,
    ReportDayEntry,
    ReportParams,
    RequestAnswer,
    RequestCreated,
    RequestIdParams,
    Role,
    RulesSaved,
    RulesText,
    ScreenTime,
    SessionReport,
    Status,
    Subscribed,
    TimeRequestNotice,
    TrayInfo,
    Viewer,
    WarningEntry,
    WireError,
)
from guardian.core.model import ROLES
from guardian.ipc.client import IpcClient
from guardian.ipc.connection import Connection
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import SCHEMAS, Request, encode, validate_params
from guardian.ipc.server import IpcServer

HEALTH = AgentHealth(
    running=True,
    pid=4242,
    version="0.9.0",
    started_at=1764230000,
    last_tick=1764240000.25,
    trusted_now=1764240000,
    clock_offset_s=0.0,
    interval_s=2.0,
    ticks=17,
    tracked_processes=9,
    write_failures=0,
    errors=0,
    platform="linux",
    degraded=None,
    mode="personal",
    account="an",
)
OLD_HEALTH_WIRE = (
    '{"running":true,"pid":4242,"version":"0.9.0","started_at":1764230000,"last_tick":1764240000.25,'
    '"trusted_now":1764240000,"clock_offset_s":0.0,"interval_s":2.0,"ticks":17,"tracked_processes":9,'
    '"write_failures":0,"errors":0,"platform":"linux","degraded":null}'
)
"""The health an agent sent before it said its mode and account (the same bytes for these keys)."""
HEALTH_WIRE = OLD_HEALTH_WIRE[:-1] + ',"mode":"personal","account":"an"}'
CHILD = ChildEntry(
    child="An",
    day="2026-11-27",
    day_start=1764198000.0,
    day_end=1764284400.0,
    weekday=4,
    screen=ScreenTime(7200, 600, 3000, 4800),
    app_limits=[AppLimitEntry(["category:games"], 3600, 0, 1200, 2400)],
    apps_used={"minecraft": 1200, "@screen": 3000},
    in_allowed_hours=True,
    allowed_until=1764277200.0,
    next_allowed_at=None,
    allowed_today=[[1764223200.0, 1764277200.0]],
    state="warn",
    warnings_due=[WarningEntry("screen:300", 300, "screen", None, 240)],
    next_warning_at=None,
    next_change_at=1764277200.0,
    paused=False,
)
CHILD_WIRE = (
    '{"child":"An","day":"2026-11-27","day_start":1764198000.0,"day_end":1764284400.0,"weekday":4,'
    '"screen":{"limit_s":7200,"granted_s":600,"used_s":3000,"left_s":4800},'
    '"app_limits":[{"refs":["category:games"],"limit_s":3600,"granted_s":0,"used_s":1200,"left_s":2400}],'
    '"apps_used":{"minecraft":1200,"@screen":3000},"in_allowed_hours":true,"allowed_until":1764277200.0,'
    '"next_allowed_at":null,"allowed_today":[[1764223200.0,1764277200.0]],"state":"warn",'
    '"warnings_due":[{"key":"screen:300","lead":300,"subject":"screen","ref":null,"left":240}],'
    '"next_warning_at":null,"next_change_at":1764277200.0,"paused":false}'
)
LIVE_CHILD = dataclasses.replace(
    CHILD, foreground="minecraft", in_use=["minecraft"], apps_left={"@screen": None, "minecraft": 2400}
)
LIVE_CHILD_WIRE = (
    CHILD_WIRE[:-1]
    + ',"foreground":"minecraft","in_use":["minecraft"],"apps_left":{"@screen":null,"minecraft":2400}}'
)
DAY = ReportDayEntry("2026-11-27", 3000, 7200, 600, {"minecraft": 1200}, {"games": 1200}, {"warning": 1})
DAY_WIRE = (
    '{"date":"2026-11-27","screen_time_s":3000,"limit_s":7200,"granted_s":600,"apps":{"minecraft":1200},'
    '"categories":{"games":1200},"events":{"warning":1}}'
)
TRAY_INFO = TrayInfo(
    child="An",
    age=9,
    preset="primary",
    at_limit="lock",
    grace=60,
    warn_lead=900,
    language="vi",
    hotlines=["111"],
    retention_days=365,
    health_reminder=True,
    remote_approvals_left=2,
    authenticator=False,
    games=["minecraft"],
    app_names={"web:yt": "YouTube"},
)
TRAY_INFO_WIRE = (
    '{"child":"An","age":9,"preset":"primary","at_limit":"lock","grace":60,"warn_lead":900,"language":"vi",'
    '"hotlines":["111"],"retention_days":365,"health_reminder":true,"remote_approvals_left":2,'
    '"authenticator":false,"games":["minecraft"],"app_names":{"web:yt":"YouTube"}}'
)

EXAMPLES: list[tuple[Message, str]] = [
    (Subscribed(True, Role.PARENT), '{"subscribed":true,"role":"parent"}'),
    (Subscribed(True, None), '{"subscribed":true,"role":null}'),
    (Ok(), '{"ok":true}'),
    (RequestCreated(7), '{"request_id":7}'),
    (AuthResult("t0k", Role.CAREGIVER, 600), '{"token":"t0k","role":"caregiver","expires_in":600}'),
    (
        GrantResult("An", "2026-11-27", 900, None, "homework", "parent"),
        '{"child":"An","day":"2026-11-27","seconds":900,"app":null,"reason":"homework","by":"parent"}',
    ),
    (LockResult("An", 1, 2), '{"child":"An","locked":1,"sessions":2}'),
    (PauseResult("An", True, False), '{"child":"An","paused":true,"changed":false}'),
    (RulesText("x", 3), '{"text":"x","version":3}'),
    (RulesSaved(4, True), '{"version":4,"changed":true}'),
    (
        TimeRequestNotice(5, "An", 1800, "minecraft", "homework done", 1764240000),
        '{"event":"request","request_id":5,"child":"An","seconds":1800,"app":"minecraft",'
        '"reason":"homework done","ts":1764240000}',
    ),
    (
        Status(AgentHealth.stopped(), [], now=1, viewer=Viewer("an", "An")),
        '{"now":1,"agent":{"running":false},"children":[],"viewer":{"user":"an","child":"An"}}',
    ),
    (AgentHealth.stopped(), '{"running":false}'),
    (HEALTH, HEALTH_WIRE),
    (CHILD, CHILD_WIRE),
    (LIVE_CHILD, LIVE_CHILD_WIRE),
    (
        Report("2026-11-27", "2026-11-27", [ReportChild("An", True, [DAY])]),
        '{"from":"2026-11-27","to":"2026-11-27","children":[{"name":"An","active":true,"days":['
        + DAY_WIRE
        + "]}]}",
    ),
    (
        RequestAnswer(5, "approved", 1800, "parent"),
        '{"request_id":5,"status":"approved","seconds":1800,"by":"parent"}',
    ),
    (RequestIdParams(5), '{"request_id":5}'),
    (ApproveParams(5, code="123456"), '{"request_id":5,"pin":null,"code":"123456"}'),
    (TRAY_INFO, TRAY_INFO_WIRE),
    (
        SessionReport("s1", 42, None, 3.5, False),
        '{"session_id":"s1","foreground_pid":42,"title":null,"idle_s":3.5,"locked":false}',
    ),
]


@pytest.mark.parametrize(("message", "wire"), EXAMPLES, ids=[type(m).__name__ for m, _ in EXAMPLES])
def test_each_message_is_the_documented_json_and_reads_back(message: Message, wire: str) -> None:
    assert encode(message.to_wire()) == wire.encode() + b"\n"
    assert type(message).from_wire(json.loads(wire)) == message


def test_an_older_agents_health_without_its_mode_reads_back_to_the_same_bytes() -> None:
    old = AgentHealth.from_wire(json.loads(OLD_HEALTH_WIRE))
    assert old.mode is None and old.account is None
    assert encode(old.to_wire()) == OLD_HEALTH_WIRE.encode() + b"\n"
    assert AgentHealth.from_wire(json.loads(HEALTH_WIRE)).mode == "personal"


def test_wire_names_differ_where_python_cannot_use_the_key() -> None:
    params = ReportParams.from_wire({"from": "2026-11-01", "to": "2026-11-07", "token": "t"})
    assert (params.first, params.last, params.child) == ("2026-11-01", "2026-11-07", None)
    assert params.to_wire() == {"from": "2026-11-01", "to": "2026-11-07", "token": "t", "child": None}


@pytest.mark.parametrize(
    ("kind", "data", "problem"),
    [
        (GrantParams, {"child": "An"}, "needs 'seconds'"),
        (GrantParams, {"child": "An", "seconds": "60"}, "must be an integer"),
        (GrantParams, {"child": "An", "seconds": True}, "must be an integer"),
        (GrantParams, {"child": "An", "seconds": 60, "evil": 1}, "does not take: evil"),
        (AuthResult, {"token": "t", "role": "king", "expires_in": 1}, "not one of parent, caregiver"),
        (SessionReport, {"session_id": "s", "received": 5.0}, "does not take: received"),
        (Status, {"agent": [], "children": []}, "must be a JSON object"),
        (Status, {"agent": {"running": True}, "children": [{"child": "An"}]}, "needs 'day'"),
        (ChildEntry, {**json.loads(CHILD_WIRE), "screen": {"used_s": 1}}, "needs 'limit_s'"),
        (ChildEntry, {**json.loads(CHILD_WIRE), "apps_used": [1]}, "must be an object"),
        (AgentHealth, {"pid": 1}, "needs 'running'"),
        (Report, {"from": "x", "to": "y", "children": [{"name": "An"}]}, "needs 'active'"),
    ],
)
def test_from_wire_refuses_what_is_not_the_message(
    kind: type[Message], data: dict[str, Any], problem: str
) -> None:
    with pytest.raises(WireError, match=problem):
        kind.from_wire(data)


def test_status_passes_on_keys_a_newer_agent_adds_in_their_place() -> None:
    wire = {
        "now": 1,
        "agent": {"running": True, "pid": 1, "safe_mode": True},
        "children": [{**json.loads(CHILD_WIRE), "screen_ratio": 0.5}],
        "degraded": {"why": "read-only"},
        "viewer": {"user": None, "child": None},
    }
    status = Status.from_wire(wire)
    assert status.extra == {"degraded": {"why": "read-only"}}
    assert list(status.to_wire()) == list(wire) and status.to_wire() == wire


def test_a_tray_report_never_sends_when_the_agent_received_it() -> None:
    report = SessionReport("s", received=12.5)
    assert "received" not in report.to_wire()
    assert report == SessionReport("s")  # arrival time is bookkeeping, not content


@given(
    pin=st.one_of(st.none(), st.text(min_size=1, max_size=64)),
    code=st.one_of(st.none(), st.text(min_size=1, max_size=16)),
)
def test_validated_params_always_make_their_message(pin: str | None, code: str | None) -> None:
    params = {k: v for k, v in {"pin": pin, "code": code}.items() if v is not None}
    clean = validate_params("auth", params)
    assert AuthParams.from_wire(clean) == AuthParams(pin, code)


def test_roles_kinds_and_the_grant_limit_are_defined_once() -> None:
    assert tuple(Role) == ROLES
    assert api_module.MAX_GRANT == MAX_GRANT_SECONDS
    assert SCHEMAS["grant"]["seconds"].check(MAX_GRANT_SECONDS) is None
    assert SCHEMAS["grant"]["seconds"].check(MAX_GRANT_SECONDS + 1) is not None
    assert EventKind.BLOCKED_LAUNCH == "blocked_launch" and json.dumps(EventKind.GRANT) == '"grant"'


def test_the_client_reads_typed_answers_and_refuses_a_wrong_one(tmp_path: Path) -> None:
    answers: dict[str, dict[str, Any]] = {
        "status": {
            "now": 1,
            "agent": {"running": True},
            "children": [],
            "viewer": {"user": "an", "child": None},
        },
        "auth": {"token": "t", "role": "king", "expires_in": 600},
    }

    def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        assert request.method != "auth" or request.params == {"pin": "246810"}  # None values are not sent
        return answers[request.method]

    server = IpcServer(tmp_path / "agent.sock", dispatch)
    server.start()
    try:
        with IpcClient(server.path) as client:
            status = client.ask("status", None, Status)
            assert status.viewer == Viewer("an", None) and status.agent.running and status.agent.pid is None
            with pytest.raises(WireError, match="not one of parent, caregiver"):
                client.ask("auth", AuthParams(pin="246810"), AuthResult)
    finally:
        server.stop()


def test_every_event_kind_the_code_records_is_an_event_kind() -> None:
    source = Path(__file__).resolve().parent.parent / "src" / "guardian"
    recorded = set()
    for path in source.rglob("*.py"):
        recorded |= set(
            re.findall(r"(?:events\.add|\.event|_event)\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8"))
        )
    assert recorded, "the search found nothing: the pattern is stale"
    assert recorded <= {kind.value for kind in EventKind}, recorded - {kind.value for kind in EventKind}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["session_id", "role", "token", "agent", "children", "viewer", "now", "child", "seconds", "from", "x"]
)
ALL_MESSAGES = [type(m) for m, _ in EXAMPLES] + [GrantParams, ReportParams, AuthParams]


@given(kind=st.sampled_from(ALL_MESSAGES), data=st.dictionaries(KEYS, JSON, max_size=6) | JSON)
def test_from_wire_on_anything_gives_the_message_or_a_wire_error(kind: type[Message], data: Any) -> None:
    """Answers from an agent (or a fake one) and a tray's parameters are untrusted: nothing else escapes."""
    try:
        message = kind.from_wire(data)
    except WireError:
        return
    assert isinstance(message, kind)
    json.dumps(message.to_wire())


def test_the_agent_link_reads_typed_answers_and_refuses_a_malformed_one(tmp_path: Path) -> None:
    from guardian.link import AgentLink, AgentRefused

    answers: dict[str, dict[str, Any]] = {
        "child.lock": {"child": "An", "locked": "all of them", "sessions": 1},
        "request_time": {"request_id": 9},
        "report_session": {"ok": True},
    }
    seen: list[tuple[str, dict[str, Any]]] = []

    def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        seen.append((request.method, request.params))
        return answers[request.method]

    server = IpcServer(tmp_path / "agent.sock", dispatch)
    server.start()
    link = AgentLink(server.path)
    try:
        assert link.request_time(600, "homework") == 9
        link.report_session("s1", idle_s=2.0)
        with pytest.raises(AgentRefused, match="not understood"):
            link.lock("An")
    finally:
        link.close()
        server.stop()
    assert seen == [
        ("request_time", {"seconds": 600, "reason": "homework"}),
        ("report_session", {"session_id": "s1", "idle_s": 2.0}),
        ("child.lock", {"child": "An"}),
    ]


NAMES = st.text(max_size=12)
SECONDS = st.integers(min_value=0, max_value=10**6)
MAYBE_SECONDS = st.none() | SECONDS
TIMES = st.none() | st.floats(min_value=0, max_value=2e9, allow_nan=False) | st.integers(0, 2**31)
ENTRIES = st.builds(
    ChildEntry,
    child=NAMES,
    day=NAMES,
    day_start=st.floats(allow_nan=False, allow_infinity=False),
    day_end=st.integers(0, 2**31),
    weekday=st.integers(0, 6),
    screen=st.builds(ScreenTime, MAYBE_SECONDS, SECONDS, SECONDS, MAYBE_SECONDS),
    app_limits=st.lists(
        st.builds(AppLimitEntry, st.lists(NAMES, max_size=3), MAYBE_SECONDS, SECONDS, SECONDS, MAYBE_SECONDS),
        max_size=2,
    ),
    apps_used=st.dictionaries(NAMES, SECONDS, max_size=3),
    in_allowed_hours=st.booleans(),
    allowed_until=TIMES,
    next_allowed_at=TIMES,
    allowed_today=st.lists(st.lists(st.floats(0, 2e9), min_size=2, max_size=2), max_size=2),
    state=NAMES,
    warnings_due=st.lists(
        st.builds(WarningEntry, NAMES, SECONDS, NAMES, st.none() | NAMES, SECONDS), max_size=2
    ),
    next_warning_at=TIMES,
    next_change_at=TIMES,
    paused=st.booleans(),
    foreground=st.none() | NAMES,
    in_use=st.none() | st.lists(NAMES, max_size=2),
    apps_left=st.none() | st.dictionaries(NAMES, MAYBE_SECONDS, max_size=3),
).map(lambda e: e if e.live else dataclasses.replace(e, foreground=None, apps_left=None))
"""Entries as the API (nothing in use) and as the running agent (in use, in front, left per app) make them."""
WIRED = st.one_of(
    st.builds(
        Status,
        agent=st.sampled_from(
            [HEALTH, AgentHealth.stopped(), dataclasses.replace(HEALTH, degraded="read-only")]
        ),
        children=st.lists(ENTRIES, max_size=2),
        now=st.none() | st.integers(0, 2**31),
        viewer=st.none() | st.builds(Viewer, st.none() | NAMES, st.none() | NAMES),
    ),
    st.builds(
        Report,
        first=NAMES,
        last=NAMES,
        children=st.lists(
            st.builds(
                ReportChild,
                NAMES,
                st.booleans(),
                st.lists(
                    st.builds(
                        ReportDayEntry,
                        NAMES,
                        SECONDS,
                        MAYBE_SECONDS,
                        SECONDS,
                        st.dictionaries(NAMES, SECONDS, max_size=2),
                        st.dictionaries(NAMES, SECONDS, max_size=2),
                        st.dictionaries(NAMES, SECONDS, max_size=2),
                    ),
                    max_size=2,
                ),
            ),
            max_size=2,
        ),
    ),
)


@given(message=WIRED)
def test_status_and_report_round_trip_through_their_json_byte_for_byte(message: Message) -> None:
    wire = encode(message.to_wire())
    back = type(message).from_wire(json.loads(wire))
    assert encode(back.to_wire()) == wire and back == message
