"""The Windows named-pipe transport, run for real over ``FakePipes`` (an in-process ``PipeApi``).

``PipeIpcServer`` and the pipe client (``IpcClient(..., pipes=fake)``) are the code that runs on Windows;
only ``Win32Pipes`` (the ctypes calls) is replaced. Each fake pipe connection is a socket pair; ``cancel``
shuts the socket down, which unblocks a pending read or write, as ``CancelIoEx`` does. The fake records
misuse (a handle closed twice, or closed while a thread still uses it) and the tests assert there is none.
"""

from __future__ import annotations

import itertools
import json
import os
import pwd
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from guardian.ipc import pipes as pipes_module
from guardian.ipc.client import IpcClient
from guardian.ipc.connection import Connection
from guardian.ipc.limits import Limits
from guardian.ipc.peer import Peer, process_owner
from guardian.ipc.pipe_server import PipeIpcServer
from guardian.ipc.pipes import (
    FILE_FLAG_FIRST_PIPE_INSTANCE,
    FILE_FLAG_OVERLAPPED,
    PIPE_REJECT_REMOTE_CLIENTS,
    PIPE_SDDL,
    SERVER_PIPE_MODE,
    creation_error,
    pipe_name,
    server_open_mode,
)
from guardian.ipc.protocol import MAX_MESSAGE, AgentAlreadyRunning, AgentNotRunning, IpcError, Request
from guardian.ipc.server import IpcServer, make_server

ADDRESS = Path("/guardian-home/agent.sock")
USERS = {4242: "an", 5151: "mum"}


SYSTEM_SID = "S-1-5-18"
PARENT_SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
CHILD_SID = "S-1-5-21-1004336348-1177238915-682003330-1002"


@dataclass
class FakeInstance:
    name: str
    sock: socket.socket | None = None
    pid: int | None = None
    owner: str | None = SYSTEM_SID


class FakePipes:
    """A ``PipeApi`` in one process: named instances, clients, sticky cancel, misuse records."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.instances: dict[int, FakeInstance] = {}
        self.ends: dict[int, socket.socket] = {}
        self.cancelled: set[int] = set()
        self.closed: set[int] = set()
        self.busy: Counter[int] = Counter()
        self.errors: list[str] = []
        self.pid = 4242
        """The pid the next client connects as."""
        self.creator: str | None = SYSTEM_SID
        """The SID that owns the pipe instances created from now on."""
        self.me: str | None = PARENT_SID
        """The SID this (client) process runs as."""
        self.serving: dict[int, int] = {}
        """Client handle → the server instance it is connected to."""
        self._ids = itertools.count(100)

    # -- server side --------------------------------------------------------------------------

    def create(self, name: str, *, first: bool) -> int:
        with self.cond:
            if first and any(inst.name.casefold() == name.casefold() for inst in self.instances.values()):
                raise creation_error(name, pipes_module.ERROR_ACCESS_DENIED, first)
            handle = next(self._ids)
            self.instances[handle] = FakeInstance(name, owner=self.creator)
            self.cond.notify_all()
            return handle

    def accept(self, handle: int) -> bool:
        with self.cond:
            self.cond.wait_for(lambda: handle in self.cancelled or self.instances[handle].sock is not None)
            return handle not in self.cancelled

    def client_pid(self, handle: int) -> int | None:
        with self.cond:
            return self.instances[handle].pid

    # -- both sides ---------------------------------------------------------------------------

    def read(self, handle: int, size: int) -> bytes:
        sock = self._enter(handle)
        try:
            return b"" if sock is None else sock.recv(size)
        except OSError:
            return b""
        finally:
            self._leave(handle)

    def write(self, handle: int, data: bytes) -> None:
        sock = self._enter(handle)
        try:
            if sock is None:
                raise BrokenPipeError("cancelled")
            sock.sendall(data)
        finally:
            self._leave(handle)

    def cancel(self, handle: int) -> None:
        with self.cond:
            if handle in self.closed:
                self.errors.append(f"cancel of closed handle {handle}")
            self.cancelled.add(handle)
            sock = self.ends.get(handle)
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.cond.notify_all()

    def close(self, handle: int) -> None:
        with self.cond:
            if handle in self.closed:
                self.errors.append(f"handle {handle} closed twice")
            if self.busy[handle]:
                self.errors.append(f"handle {handle} closed while in use")
            self.closed.add(handle)
            self.instances.pop(handle, None)
            sock = self.ends.pop(handle, None)
            if sock is not None:
                sock.close()
            self.cond.notify_all()

    # -- client side --------------------------------------------------------------------------

    def connect(self, name: str, timeout: float) -> int:
        with self.cond:
            if not self.cond.wait_for(lambda: self._free(name) is not None or not self._known(name), timeout):
                raise AgentNotRunning(f"{name} stays busy")
            server = self._free(name)
            if server is None:
                raise AgentNotRunning(f"no agent on {name}")
            server_end, client_end = socket.socketpair()
            self.instances[server].sock, self.instances[server].pid = server_end, self.pid
            self.ends[server] = server_end
            client = next(self._ids)
            self.ends[client] = client_end
            self.serving[client] = server
            self.cond.notify_all()
            return client

    def owner_sid(self, handle: int) -> str | None:
        with self.cond:
            return self.instances[self.serving[handle]].owner

    def own_sid(self) -> str | None:
        return self.me

    # -- helpers -------------------------------------------------------------------------------

    def open_handles(self) -> set[int]:
        with self.cond:
            return (set(self.instances) | set(self.ends)) - self.closed

    def _known(self, name: str) -> bool:
        return any(inst.name == name for inst in self.instances.values())

    def _free(self, name: str) -> int | None:
        for handle, inst in self.instances.items():
            if inst.name == name and inst.sock is None and handle not in self.cancelled:
                return handle
        return None

    def _enter(self, handle: int) -> socket.socket | None:
        with self.cond:
            if handle in self.closed:
                self.errors.append(f"use of closed handle {handle}")
            self.busy[handle] += 1
            return None if handle in self.cancelled else self.ends.get(handle)

    def _leave(self, handle: int) -> None:
        with self.cond:
            self.busy[handle] -= 1


# -- fixtures ------------------------------------------------------------------------------------


class Recorder:
    """A stand-in service that records the thread each call runs on."""

    def __init__(self) -> None:
        self.threads: set[int] = set()
        self.lock = threading.Lock()

    def dispatch(self, request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        with self.lock:
            self.threads.add(threading.get_ident())
        if request.method == "subscribe":
            connection.subscribed = True
            connection.role = request.params.get("token")
            return {"subscribed": True}
        if request.method == "auth":
            raise KeyError("a bug")
        return {"peer": asdict(peer), "params": request.params}


@pytest.fixture
def fake() -> Iterator[FakePipes]:
    pipes = FakePipes()
    yield pipes
    assert pipes.errors == []


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@contextmanager
def serving(fake: FakePipes, recorder: Recorder, **kwargs: Any) -> Iterator[PipeIpcServer]:
    server = PipeIpcServer(ADDRESS, recorder.dispatch, pipes=fake, owner_of=USERS.get, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(fake: FakePipes, recorder: Recorder) -> Iterator[PipeIpcServer]:
    with serving(fake, recorder) as running:
        yield running


def connect(fake: FakePipes, pid: int = 4242) -> IpcClient:
    fake.pid = pid
    client = IpcClient(ADDRESS, pipes=fake)
    client.connect()
    return client


@pytest.fixture
def client(server: PipeIpcServer, fake: FakePipes) -> Iterator[IpcClient]:
    connected = connect(fake)
    yield connected
    connected.close()


def raw_replies(client: IpcClient, count: int) -> list[dict[str, Any]]:
    replies = []
    for _ in range(count):
        reply = client.receive_raw(timeout=5)
        assert reply is not None, "the server went silent"
        replies.append(reply)
    return replies


def server_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t.name.startswith("guardian-ipc") and t.name != "guardian-ipc-client"
    ]


# -- round trips and identity --------------------------------------------------------------------


def test_a_call_returns_the_result_with_the_peer_from_the_pipe(client: IpcClient) -> None:
    assert client.call("status")["peer"] == {"pid": 4242, "uid": None, "user": "an"}


def test_the_peer_never_comes_from_the_message(server: PipeIpcServer, fake: FakePipes) -> None:
    with connect(fake, pid=5151) as parent:
        parent.send_raw(b'{"id": 1, "method": "status", "params": {}, "peer": {"user": "an"}}\n')
        assert raw_replies(parent, 1)[0]["error"]["code"] == "bad_request"
        assert parent.call("status")["peer"]["user"] == "mum"


def test_many_clients_at_once_each_get_their_own_answers(server: PipeIpcServer, fake: FakePipes) -> None:
    clients = [connect(fake, pid=pid) for pid in (4242, 5151) * 4]
    failures: list[BaseException] = []

    def talk(client: IpcClient, pid: int) -> None:
        try:
            for n in range(25):
                result = client.call("status", {}, timeout=10)
                assert result["peer"]["pid"] == pid, n
        except BaseException as exc:
            failures.append(exc)

    workers = [
        threading.Thread(target=talk, args=(c, pid)) for c, pid in zip(clients, (4242, 5151) * 4, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    for c in clients:
        c.close()
    assert failures == [] and not any(w.is_alive() for w in workers)


def test_dispatch_runs_on_one_thread_that_is_no_reader(
    fake: FakePipes, recorder: Recorder, server: PipeIpcServer
) -> None:
    clients = [connect(fake) for _ in range(5)]
    for c in clients:
        c.call("status")
    readers = {t.ident for t in server_threads() if t.name == "guardian-ipc-reader"}
    for c in clients:
        c.close()
    assert len(recorder.threads) == 1 and not recorder.threads & readers and len(readers) == 5


def test_on_stop_runs_on_the_dispatch_thread(fake: FakePipes, recorder: Recorder) -> None:
    stopped_on: list[int] = []
    with (
        serving(fake, recorder, on_stop=lambda: stopped_on.append(threading.get_ident())),
        connect(fake) as c,
    ):
        c.call("status")
    assert stopped_on == list(recorder.threads)


def test_a_bug_in_dispatch_is_internal_and_the_server_keeps_serving(
    client: IpcClient, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(IpcError) as info:
        client.call("auth", {"pin": "1234"})
    assert info.value.code == "internal" and "a bug" in caplog.text
    assert client.call("status")


# -- framing and garbage -------------------------------------------------------------------------


def test_many_requests_in_one_write_are_answered_in_order(client: IpcClient) -> None:
    client.send_raw(b"".join(json.dumps({"id": i, "method": "status"}).encode() + b"\n" for i in range(50)))
    assert [reply["id"] for reply in raw_replies(client, 50)] == list(range(50))


def test_a_request_split_across_writes_is_reassembled(client: IpcClient) -> None:
    client.send_raw(b'{"id": 7, "meth')
    client.send_raw(b'od": "status"}\r\n')
    assert raw_replies(client, 1)[0]["id"] == 7


def test_garbage_gets_error_replies_and_the_connection_lives(client: IpcClient) -> None:
    client.send_raw(b"\x00\xff garbage\n{]\n[1, 2]\n")
    codes = [reply["error"]["code"] for reply in raw_replies(client, 3)]
    assert codes == ["bad_json", "bad_json", "bad_request"]
    assert client.call("status")


@pytest.mark.parametrize("ending", [b"\n", b""])
def test_an_oversized_line_gets_too_large_and_the_connection_is_closed(
    server: PipeIpcServer, fake: FakePipes, ending: bytes
) -> None:
    with connect(fake) as c:
        c.send_raw(b"{" + b" " * MAX_MESSAGE + b"}" + ending)
        reply = c.receive_raw(timeout=5)
        assert reply is not None and reply["error"]["code"] == "too_large"
        with pytest.raises(AgentNotRunning):
            c.receive_raw(timeout=5)
    with connect(fake) as other:
        assert other.call("status")


def test_a_line_of_exactly_the_limit_is_accepted(client: IpcClient) -> None:
    message = json.dumps({"id": 1, "method": "status"}).encode()
    client.send_raw(message + b" " * (MAX_MESSAGE - len(message)) + b"\n")
    assert "result" in raw_replies(client, 1)[0]


# -- broadcast and slow clients ------------------------------------------------------------------


def test_broadcasts_reach_subscribers_filtered_by_user_and_role(
    server: PipeIpcServer, fake: FakePipes
) -> None:
    child, parent, quiet = connect(fake, 4242), connect(fake, 5151), connect(fake, 4242)
    child.subscribe()
    parent.subscribe("parent")
    server.broadcast({"event": "to-mum"}, users=["mum"])
    server.broadcast({"event": "to-parents"}, roles=["parent"])
    server.broadcast({"event": "to-an"}, users=["an"])
    server.broadcast({"event": "to-all"})
    assert list(child.events(timeout=0.2)) == [{"event": "to-an"}, {"event": "to-all"}]
    assert list(parent.events(timeout=0.2)) == [
        {"event": "to-mum"},
        {"event": "to-parents"},
        {"event": "to-all"},
    ]
    assert quiet.next_event(timeout=0.05) is None
    for c in (child, parent, quiet):
        c.close()


def test_send_to_a_connection_reaches_it(fake: FakePipes, recorder: Recorder) -> None:
    seen: list[Connection] = []

    def remember(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        seen.append(connection)
        return recorder.dispatch(request, peer, connection)

    server = PipeIpcServer(ADDRESS, remember, pipes=fake, owner_of=USERS.get)
    server.start()
    try:
        with connect(fake) as c:
            c.call("status")
            seen[0].send({"event": "just-you"})
            assert c.next_event(timeout=5) == {"event": "just-you"}
    finally:
        server.stop()


def test_a_client_that_never_reads_is_dropped_without_stalling_others(
    fake: FakePipes, recorder: Recorder
) -> None:
    dropped = threading.Event()
    with serving(fake, recorder, max_outgoing=64 * 1024, on_disconnect=lambda c: dropped.set()) as server:
        sleeper = fake.connect(pipe_name(ADDRESS), 5)
        fake.write(sleeper, b'{"id": 1, "method": "subscribe"}\n')
        with connect(fake) as reader:
            reader.subscribe()
            for n in range(600):
                server.broadcast({"event": "flood", "n": n, "pad": "x" * 8000})
                event = reader.next_event(timeout=5)
                assert event is not None and event["n"] == n
            assert dropped.wait(timeout=10)
            assert reader.call("status")
        fake.close(sleeper)


def test_a_client_that_leaves_is_reported_once(fake: FakePipes, recorder: Recorder) -> None:
    gone: list[Connection] = []
    left = threading.Event()

    def on_disconnect(connection: Connection) -> None:
        gone.append(connection)
        left.set()

    with serving(fake, recorder, on_disconnect=on_disconnect):
        with connect(fake) as c:
            c.call("status")
        assert left.wait(timeout=5)
    assert len(gone) == 1 and gone[0].peer.user == "an"


# -- life cycle ----------------------------------------------------------------------------------


def test_a_second_server_on_the_same_pipe_refuses_to_start(
    server: PipeIpcServer, fake: FakePipes, recorder: Recorder
) -> None:
    with pytest.raises(AgentAlreadyRunning):
        PipeIpcServer(ADDRESS, recorder.dispatch, pipes=fake).start()
    with connect(fake) as c:
        assert c.call("status")


def test_stop_unblocks_accept_and_every_reader_and_closes_every_handle(
    fake: FakePipes, recorder: Recorder
) -> None:
    stopped = threading.Event()
    server = PipeIpcServer(ADDRESS, recorder.dispatch, pipes=fake, owner_of=USERS.get, on_stop=stopped.set)
    server.start()
    busy, idle = connect(fake), connect(fake)
    busy.call("status")
    idle.call("status")
    idle.send_raw(b'{"id": 1, "method": "sta')  # a reader holding half a line
    assert len(server_threads()) == 2 + 2 * 2
    server.stop()
    server.stop()
    assert stopped.is_set() and server_threads() == []
    assert fake.instances == {} and len(fake.open_handles()) == 2  # only the clients' ends are open
    with pytest.raises(AgentNotRunning):
        busy.call("status")
    with pytest.raises(AgentNotRunning):
        IpcClient(ADDRESS, pipes=fake).call("status")
    busy.close()
    idle.close()
    assert fake.open_handles() == set()


def test_a_stopped_server_can_start_again(fake: FakePipes, recorder: Recorder) -> None:
    server = PipeIpcServer(ADDRESS, recorder.dispatch, pipes=fake, owner_of=USERS.get)
    for _ in range(2):
        server.start()
        with connect(fake) as c:
            assert c.call("status")
        server.stop()
    assert fake.open_handles() == set()


def test_no_agent_means_agent_not_running(fake: FakePipes) -> None:
    with pytest.raises(AgentNotRunning):
        IpcClient(ADDRESS, pipes=fake).call("status")


def test_the_client_times_out_without_an_answer(fake: FakePipes) -> None:
    never = threading.Event()

    def silent(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        never.wait(timeout=10)
        return {}

    server = PipeIpcServer(ADDRESS, silent, pipes=fake, owner_of=USERS.get)
    server.start()
    try:
        with connect(fake) as c, pytest.raises(TimeoutError):
            c.call("status", timeout=0.05)
    finally:
        never.set()
        server.stop()


def test_make_server_picks_the_pipe_when_given_pipes_and_the_socket_otherwise(
    fake: FakePipes, recorder: Recorder
) -> None:
    assert isinstance(make_server(ADDRESS, recorder.dispatch, pipes=fake), PipeIpcServer)
    assert isinstance(make_server(ADDRESS, recorder.dispatch), IpcServer)


# -- the Win32 side, as far as it can be checked without Windows ---------------------------------


def test_the_pipe_name_is_a_hash_of_the_address_and_folds_case() -> None:
    name = pipe_name(Path("/Guardian/Home/agent.sock"))
    assert name.startswith("\\\\.\\pipe\\guardian-") and len(name) == len("\\\\.\\pipe\\guardian-") + 16
    assert name == pipe_name("/guardian/home/agent.sock")
    assert name != pipe_name("/guardian/other/agent.sock")


def test_a_pipe_address_is_used_as_it_is() -> None:
    assert pipe_name("\\\\.\\pipe\\guardian-test") == "\\\\.\\pipe\\guardian-test"


def test_the_first_instance_claims_the_name_and_remote_clients_are_refused() -> None:
    assert server_open_mode(True) & FILE_FLAG_FIRST_PIPE_INSTANCE
    assert not server_open_mode(False) & FILE_FLAG_FIRST_PIPE_INSTANCE
    assert server_open_mode(False) & FILE_FLAG_OVERLAPPED
    assert SERVER_PIPE_MODE & PIPE_REJECT_REMOTE_CLIENTS


def test_the_dacl_lets_users_connect_but_not_create_instances() -> None:
    aces = PIPE_SDDL.removeprefix("D:P").strip("()").split(")(")
    users = [ace for ace in aces if ace.endswith(";;;AU")]
    assert len(users) == 1
    rights = int(users[0].split(";")[2], 16)
    file_read_data, file_write_data, file_create_pipe_instance = 0x1, 0x2, 0x4
    assert rights & file_read_data and rights & file_write_data
    assert not rights & file_create_pipe_instance
    assert {ace.rsplit(";", 1)[1] for ace in aces} == {"SY", "BA", "OW", "AU"}


def test_a_taken_name_means_another_agent_and_other_errors_stay_os_errors() -> None:
    assert isinstance(creation_error("p", pipes_module.ERROR_ACCESS_DENIED, True), AgentAlreadyRunning)
    other = creation_error("p", pipes_module.ERROR_ACCESS_DENIED, False)
    assert isinstance(other, OSError) and "Windows error 5" in str(other)
    assert isinstance(pipes_module.connect_error("p", pipes_module.ERROR_FILE_NOT_FOUND), AgentNotRunning)
    assert isinstance(pipes_module.connect_error("p", pipes_module.ERROR_PIPE_BUSY), AgentNotRunning)


def test_the_process_owner_is_the_account_name() -> None:
    assert process_owner(os.getpid()) == pwd.getpwuid(os.getuid()).pw_name
    assert process_owner(None) is None


# -- the real service over the pipe --------------------------------------------------------------


def test_the_agent_service_answers_over_the_pipe_and_closes_its_database_on_its_thread(
    fake: FakePipes, tmp_path: Path
) -> None:
    from guardian.agent.service import AgentService
    from guardian.agent.tokens import TokenStore
    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store
    from tests.test_ipc_service import RULES, FakeView

    clock = FakeClock(now=1_800_000_000)
    db = tmp_path / "guardian.db"
    setup = GuardianAPI(Store(db), clock)
    setup.import_rules(RULES, "test")
    setup.store.close()
    opened_on: list[str] = []

    def open_api() -> GuardianAPI:
        opened_on.append(threading.current_thread().name)
        return GuardianAPI(Store(db), clock)

    service = AgentService(open_api, FakeView(accounts={"an": "An"}), TokenStore(clock))
    server = PipeIpcServer(ADDRESS, service.dispatch, pipes=fake, owner_of=USERS.get, on_stop=service.close)
    server.start()
    try:
        with connect(fake, pid=4242) as child, connect(fake, pid=5151) as parent:
            assert child.call("status")["viewer"] == {"user": "an", "child": "An"}
            assert [c["child"] for c in child.call("status")["children"]] == ["An"]
            assert parent.call("status")["viewer"] == {"user": "mum", "child": None}
    finally:
        server.stop()
    assert service._api is None and opened_on == ["guardian-ipc"]  # opened once, on the dispatch thread


# -- who serves the pipe -------------------------------------------------------------------------------


def test_a_pipe_squatted_by_a_childs_account_never_receives_a_pin(fake: FakePipes) -> None:
    from guardian.ipc.protocol import UntrustedAgent

    seen: list[Request] = []

    def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        seen.append(request)
        return {}

    fake.creator = CHILD_SID  # the agent was down and a child's program took the pipe name
    squatter = PipeIpcServer(ADDRESS, dispatch, pipes=fake)
    squatter.start()
    try:
        client = IpcClient(ADDRESS, pipes=fake)
        with pytest.raises(UntrustedAgent):
            client.connect()
        with pytest.raises(AgentNotRunning):  # the console treats it as "the agent is not running"
            client.call("auth", {"pin": "1234"})
    finally:
        squatter.stop()
    assert seen == []
    assert fake.open_handles() == set() and fake.errors == []


@pytest.mark.parametrize("creator", [SYSTEM_SID, "S-1-5-32-544", PARENT_SID])
def test_the_agent_as_a_service_or_as_this_account_is_trusted(fake: FakePipes, creator: str) -> None:
    fake.creator = creator

    def dispatch(request: Request, peer: Peer, connection: Connection) -> dict[str, Any]:
        return {"ok": True}

    server = PipeIpcServer(ADDRESS, dispatch, pipes=fake)
    server.start()
    try:
        with IpcClient(ADDRESS, pipes=fake) as client:
            assert client.call("status") == {"ok": True}
    finally:
        server.stop()


def test_trusted_owner_rules() -> None:
    from guardian.ipc.pipes import trusted_owner

    assert trusted_owner(SYSTEM_SID, None) and trusted_owner(PARENT_SID, PARENT_SID)
    assert not trusted_owner(CHILD_SID, PARENT_SID)
    assert not trusted_owner(None, PARENT_SID) and not trusted_owner(None, None)


# -- limits (guardian.ipc.limits), shared with the socket server -------------------------------------


def test_one_account_gets_its_share_of_pipe_connections_and_another_still_gets_in(
    fake: FakePipes, recorder: Recorder
) -> None:
    with serving(fake, recorder, limits=Limits(per_account=2, total=3)):
        kids = [connect(fake, pid=4242) for _ in range(3)]
        assert kids[0].call("status")["peer"]["user"] == "an"
        assert kids[1].call("status")["peer"]["user"] == "an"
        with pytest.raises((AgentNotRunning, IpcError)):
            kids[2].call("status", timeout=5)  # over the account's share: closed
        with connect(fake, pid=5151) as parent:
            assert parent.call("status")["peer"]["user"] == "mum"
        for kid in kids:
            kid.close()


def test_an_idle_pipe_client_is_dropped(fake: FakePipes, recorder: Recorder) -> None:
    dropped = threading.Event()
    limits = Limits(idle_s=0.2, sweep_every=0.05)
    with serving(fake, recorder, limits=limits, on_disconnect=lambda c: dropped.set()):
        idle = connect(fake)
        assert dropped.wait(timeout=10), "an idle client was kept"
        with pytest.raises(AgentNotRunning):
            idle.call("status", timeout=5)
        idle.close()
