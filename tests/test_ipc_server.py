"""The IPC server over real Unix sockets: framing, garbage input, slow clients, broadcast, life cycle."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardian.ipc.client import IpcClient, default_socket_path
from guardian.ipc.peer import Peer
from guardian.ipc.protocol import (
    MAX_MESSAGE,
    METHODS,
    AgentAlreadyRunning,
    AgentNotRunning,
    IpcError,
    ProtocolError,
    Request,
)
from guardian.ipc.server import Connection, IpcServer

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def echo_dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
    """A stand-in service: ``status`` echoes, ``subscribe`` subscribes, ``auth`` is a bug."""
    if request.method == "subscribe":
        connection.subscribed = True
        return {"subscribed": True}
    if request.method == "auth":
        raise KeyError("a bug")
    if request.method == "grant":
        raise ProtocolError("forbidden", "not you")
    return {"peer": asdict(peer), "params": request.params}


@pytest.fixture
def sock_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="g"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def serving(path: Path, **kwargs: Any) -> Iterator[IpcServer]:
    server = IpcServer(path, echo_dispatch, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(sock_dir: Path) -> Iterator[IpcServer]:
    with serving(sock_dir / "agent.sock") as running:
        yield running


@pytest.fixture
def client(server: IpcServer) -> Iterator[IpcClient]:
    with IpcClient(server.path) as connected:
        yield connected


def raw_replies(client: IpcClient, count: int) -> list[dict[str, Any]]:
    replies = []
    for _ in range(count):
        reply = client.receive_raw(timeout=5)
        assert reply is not None, "the server went silent"
        replies.append(reply)
    return replies


# -- round trips and identity --------------------------------------------------------------------


def test_a_call_returns_the_result_and_the_peer_is_this_process(client: IpcClient) -> None:
    result = client.call("status")
    assert result["peer"] == {
        "pid": os.getpid(),
        "uid": os.getuid(),
        "user": pwd.getpwuid(os.getuid()).pw_name,
    }


def test_the_socket_is_world_connectable(server: IpcServer) -> None:
    assert os.stat(server.path).st_mode & 0o777 == 0o666


def test_a_refusal_from_dispatch_becomes_an_error_reply(client: IpcClient) -> None:
    with pytest.raises(IpcError) as info:
        client.call("grant", {"child": "An", "seconds": 60})
    assert (info.value.code, info.value.message) == ("forbidden", "not you")


def test_a_bug_in_dispatch_is_internal_and_the_server_keeps_serving(
    client: IpcClient, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(IpcError) as info:
        client.call("auth", {"pin": "1234"})
    assert info.value.code == "internal" and "KeyError" not in info.value.message
    assert "a bug" in caplog.text
    assert client.call("status")["params"] == {}


def test_bad_params_are_refused_before_dispatch(client: IpcClient) -> None:
    with pytest.raises(IpcError) as info:
        client.call("status", {"surprise": 1})
    assert info.value.code == "bad_params"


# -- framing -------------------------------------------------------------------------------------


def test_many_requests_in_one_write_are_answered_in_order(client: IpcClient) -> None:
    lines = b"".join(json.dumps({"id": i, "method": "status"}).encode() + b"\n" for i in range(50))
    client.send_raw(lines)
    assert [reply["id"] for reply in raw_replies(client, 50)] == list(range(50))


@FUZZ
@given(data=st.data())
def test_requests_split_anywhere_across_writes_are_reassembled(data: st.DataObject) -> None:
    with serving(Path(tempfile.mkdtemp(prefix="g")) / "s") as server, IpcClient(server.path) as client:
        count = data.draw(st.integers(1, 5))
        stream = b"".join(json.dumps({"id": i, "method": "status"}).encode() + b"\n" for i in range(count))
        cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
        for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
            client.send_raw(stream[start:end])
        assert [reply["id"] for reply in raw_replies(client, count)] == list(range(count))
        shutil.rmtree(server.path.parent, ignore_errors=True)


# -- garbage never kills the server --------------------------------------------------------------


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=15,
)
garbage_lines = st.one_of(
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b"")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda i, m, p: json.dumps({"id": i, "method": m, "params": p}).encode(),
        st.integers() | st.text(max_size=4),
        st.sampled_from(sorted(METHODS)) | st.text(max_size=10),
        st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    ),
)


def test_every_garbage_line_gets_a_reply_and_the_server_survives(sock_dir: Path) -> None:
    with serving(sock_dir / "agent.sock") as server:

        @FUZZ
        @given(st.lists(garbage_lines, min_size=1, max_size=8))
        def check(lines: list[bytes]) -> None:
            with IpcClient(server.path) as client:
                client.send_raw(b"".join(line + b"\n" for line in lines))
                for reply in raw_replies(client, len(lines)):
                    assert "error" in reply or "result" in reply

        check()
        with IpcClient(server.path) as client:
            assert "peer" in client.call("status")


def test_random_bytes_get_error_replies(client: IpcClient) -> None:
    client.send_raw(b"\x00\xff garbage\n{]\n\n")
    codes = [reply["error"]["code"] for reply in raw_replies(client, 3)]
    assert codes == ["bad_json", "bad_json", "bad_json"]
    assert client.call("status")


@pytest.mark.parametrize("ending", [b"\n", b""])
def test_an_oversized_line_gets_too_large_and_the_connection_is_closed(
    server: IpcServer, ending: bytes
) -> None:
    with IpcClient(server.path) as client:
        client.send_raw(b"{" + b" " * MAX_MESSAGE + b"}" + ending)
        reply = client.receive_raw(timeout=5)
        assert reply is not None and reply["error"]["code"] == "too_large"
        with pytest.raises(AgentNotRunning):
            client.receive_raw(timeout=5)
    with IpcClient(server.path) as other:
        assert other.call("status")


def test_a_line_of_exactly_the_limit_is_accepted(client: IpcClient) -> None:
    message = json.dumps({"id": 1, "method": "status"}).encode()
    client.send_raw(message + b" " * (MAX_MESSAGE - len(message)) + b"\n")
    assert "result" in raw_replies(client, 1)[0]


# -- broadcast and slow clients ------------------------------------------------------------------


def test_a_subscriber_receives_broadcasts_for_its_user_only(server: IpcServer, client: IpcClient) -> None:
    me = pwd.getpwuid(os.getuid()).pw_name
    client.subscribe()
    server.broadcast({"event": "warning", "n": 1}, users=["somebody-else"])
    server.broadcast({"event": "warning", "n": 2}, users=[me])
    assert client.next_event(timeout=5) == {"event": "warning", "n": 2}


def test_a_connection_that_did_not_subscribe_gets_no_broadcast(server: IpcServer, client: IpcClient) -> None:
    with IpcClient(server.path) as subscriber:
        subscriber.subscribe()
        server.broadcast({"event": "tick"})
        assert subscriber.next_event(timeout=5) == {"event": "tick"}
    assert client.next_event(timeout=0.05) is None


def test_events_that_arrive_during_a_call_are_kept(server: IpcServer, client: IpcClient) -> None:
    client.subscribe()
    server.broadcast({"event": "early"})
    client.call("status")
    assert list(client.events(timeout=0.05)) == [{"event": "early"}]


def test_a_client_that_never_reads_is_dropped_without_stalling_others(sock_dir: Path) -> None:
    dropped = threading.Event()
    with serving(
        sock_dir / "agent.sock", max_outgoing=64 * 1024, on_disconnect=lambda c: dropped.set()
    ) as server:
        sleeper = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sleeper.connect(str(server.path))
        sleeper.sendall(b'{"id": 1, "method": "subscribe"}\n')
        with IpcClient(server.path) as reader:
            reader.subscribe()
            for n in range(600):
                server.broadcast({"event": "flood", "n": n, "pad": "x" * 8000})
                event = reader.next_event(timeout=5)
                assert event is not None and event["n"] == n
            assert dropped.wait(timeout=10)
            assert reader.call("status")
        sleeper.close()


# -- life cycle ----------------------------------------------------------------------------------


def test_a_second_server_on_a_live_socket_refuses_to_start(server: IpcServer) -> None:
    with pytest.raises(AgentAlreadyRunning):
        IpcServer(server.path, echo_dispatch).start()
    with IpcClient(server.path) as client:
        assert client.call("status")


def test_a_stale_socket_file_is_replaced(sock_dir: Path) -> None:
    path = sock_dir / "agent.sock"
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()
    with serving(path), IpcClient(path) as client:
        assert client.call("status")


def test_a_regular_file_in_the_way_is_not_deleted(sock_dir: Path) -> None:
    path = sock_dir / "agent.sock"
    path.write_text("keep me")
    with pytest.raises(FileExistsError):
        IpcServer(path, echo_dispatch).start()
    assert path.read_text() == "keep me"


def test_stop_closes_clients_removes_the_socket_and_can_repeat(sock_dir: Path) -> None:
    stopped = threading.Event()
    server = IpcServer(sock_dir / "agent.sock", echo_dispatch, on_stop=stopped.set)
    server.start()
    client = IpcClient(server.path)
    client.call("status")
    server.stop()
    server.stop()
    assert stopped.is_set() and not server.path.exists()
    with pytest.raises(AgentNotRunning):
        client.call("status")
    with pytest.raises(AgentNotRunning):
        IpcClient(server.path).call("status")


def test_the_default_socket_path_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_socket_path(tmp_path) == tmp_path / "agent.sock"
    monkeypatch.setenv("GUARDIAN_SOCKET", "/run/guardian.sock")
    assert default_socket_path(tmp_path) == Path("/run/guardian.sock")
