"""Process events and the exec guard on the real kernel, with real processes and a real second account."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardian.platform import linux_procevents as pe
from guardian.platform.linux_fanotify import ExecGuard, ExecRequest
from tests.agent_harness import wait_for
from tests.exec_accounts import PYTHON, Account, account, copy_program, exec_as, program_folder, run_as

LINUX = sys.platform.startswith("linux")


# -- parsing (no kernel) --------------------------------------------------------------------------


def _message(what: int, body: bytes) -> bytes:
    event = struct.pack("=IIQ", what, 0, 123) + body
    cn = struct.pack("=IIIIHH", pe.CN_IDX_PROC, pe.CN_VAL_PROC, 0, 0, len(event), 0) + event
    return struct.pack("=IHHII", 16 + len(cn), pe.NLMSG_DONE, 0, 0, 0) + cn


def test_parse_reads_fork_exec_and_exit_and_skips_the_rest() -> None:
    data = (
        _message(pe.PROC_EVENT_FORK, struct.pack("=iiii", 10, 10, 11, 11))
        + _message(pe.PROC_EVENT_EXEC, struct.pack("=ii", 11, 11))
        + _message(pe.PROC_EVENT_COMM, struct.pack("=ii16s", 11, 11, b"x"))
        + _message(pe.PROC_EVENT_EXIT, struct.pack("=iiII", 12, 11, 0, 17))
    )
    events = pe.parse(data)
    assert [(e.kind, e.pid, e.tid, e.parent) for e in events] == [
        ("fork", 11, 11, 10),
        ("exec", 11, 11, None),
        ("exit", 11, 12, None),
    ]


def test_parse_survives_truncated_and_garbage_data() -> None:
    whole = _message(pe.PROC_EVENT_EXEC, struct.pack("=ii", 5, 5))
    for cut in range(len(whole)):
        assert pe.parse(whole[:cut]) == []
    assert pe.parse(os.urandom(200)) is not None


def test_subscribe_message_layout() -> None:
    msg = pe.subscribe_message(pe.PROC_CN_MCAST_LISTEN, port=42)
    length, kind, _flags, _seq, port = struct.unpack_from("=IHHII", msg)
    assert (length, kind, port) == (len(msg), pe.NLMSG_DONE, 42)
    assert struct.unpack_from("=I", msg, 36) == (pe.PROC_CN_MCAST_LISTEN,)


# -- the process connector -------------------------------------------------------------------------


@pytest.fixture
def events() -> Iterator[tuple[list[pe.ProcEvent], list[bool]]]:
    if not LINUX or os.geteuid() != 0:
        pytest.skip("process events need Linux and root")
    seen: list[pe.ProcEvent] = []
    lost: list[bool] = []

    def on_events(batch: list[pe.ProcEvent], was_lost: bool) -> None:
        seen.extend(batch)
        if was_lost:
            lost.append(True)

    thread = pe.ProcEventThread(on_events).start()
    try:
        yield seen, lost
    finally:
        thread.stop()


def _has(seen: list[pe.ProcEvent], kind: str, pid: int) -> bool:
    return any(e.kind == kind and e.pid == pid for e in list(seen))


def test_a_new_process_is_reported_forked_exec_ed_and_ended(
    events: tuple[list[pe.ProcEvent], list[bool]],
) -> None:
    seen, _ = events
    proc = subprocess.Popen(["/bin/true"])
    proc.wait()
    wait_for(
        "fork, exec and exit of /bin/true",
        lambda: all(_has(seen, k, proc.pid) for k in ("fork", "exec", "exit")),
        timeout=5,
    )


def test_a_late_exec_in_an_old_process_is_reported(events: tuple[list[pe.ProcEvent], list[bool]]) -> None:
    seen, _ = events
    old = subprocess.Popen(
        [PYTHON, "-c", "import os,sys; sys.stdin.readline(); os.execv('/bin/sleep', ['sleep', '30'])"],
        stdin=subprocess.PIPE,
    )
    try:
        wait_for("the old process's own exec", lambda: _has(seen, "exec", old.pid), timeout=5)
        before = sum(1 for e in list(seen) if e.kind == "exec" and e.pid == old.pid)
        assert old.stdin is not None
        old.stdin.write(b"go\n")
        old.stdin.flush()
        wait_for(
            "the late exec",
            lambda: sum(1 for e in list(seen) if e.kind == "exec" and e.pid == old.pid) > before,
            timeout=5,
        )
        wait_for("it to be sleep now", lambda: os.readlink(f"/proc/{old.pid}/exe").endswith("sleep"))
    finally:
        old.kill()
        old.wait()
        if old.stdin is not None:
            old.stdin.close()


MEMFD_EXEC = """
import os, sys
fd = os.memfd_create("gx-from-memory", 0)
with open("/bin/sleep", "rb") as fh:
    os.write(fd, fh.read())
os.execv(f"/proc/self/fd/{fd}", ["gx-from-memory", "30"])
"""


def test_a_program_run_from_memory_is_reported(events: tuple[list[pe.ProcEvent], list[bool]]) -> None:
    seen, _ = events
    proc = subprocess.Popen([PYTHON, "-c", MEMFD_EXEC])
    try:
        wait_for("exec from a memfd", lambda: _has(seen, "exec", proc.pid) and _memfd(proc.pid), timeout=5)
    finally:
        proc.kill()
        proc.wait()


def _memfd(pid: int) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/exe").startswith("/memfd:gx-from-memory")
    except OSError:
        return False


def test_a_full_receive_buffer_is_reported_as_lost_events() -> None:
    if not LINUX or os.geteuid() != 0:
        pytest.skip("process events need Linux and root")
    source = pe.ProcEvents().open()
    try:
        sock = source._sock
        assert sock is not None
        sock.setsockopt(socket.SOL_SOCKET, 33, 4096)  # SO_RCVBUFFORCE: a tiny buffer
        procs = [subprocess.Popen(["/bin/true"]) for _ in range(60)]
        for proc in procs:
            proc.wait()
        source.read()
        assert source.lost and source.lost_count >= 1
    finally:
        source.close()


# -- the exec guard ----------------------------------------------------------------------------------


@pytest.fixture
def child() -> Iterator[Account]:
    if not LINUX:
        pytest.skip("fanotify is Linux only")
    with account() as acc:
        yield acc


@pytest.fixture
def folder() -> Iterator[Path]:
    with program_folder() as path:
        yield path


def _guard_process(uid: int, *deny: str, hang: bool = False, deadline: float = 0.25) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.exec_guard_child", str(uid), *deny, "--deadline", str(deadline)]
    if hang:
        args.append("--hang")
    guard = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent
    )
    assert guard.stdout is not None
    line = guard.stdout.readline()
    if not line.startswith("READY"):
        guard.kill()
        pytest.fail(f"the guard did not start: {line!r}")
    return guard


def _end(guard: subprocess.Popen[str], *, kill: bool = False) -> str:
    """Stop the guard (stdin closed, or SIGKILL) and return what it printed."""
    if kill and guard.poll() is None:
        guard.kill()
    out, _ = guard.communicate(timeout=10)
    return out


def test_a_denied_exec_fails_with_eperm_and_never_runs_a_line(child: Account, folder: Path) -> None:
    game = copy_program("touch", folder / "gx-denied-game")
    marker = child.home / "ran.marker"
    guard = _guard_process(child.uid, "gx-denied-game")
    try:
        refused = exec_as(child, game, str(marker))
        assert refused.stdout.strip() == "errno 1", refused  # EPERM
        assert not marker.exists(), "the denied program ran"
        other = exec_as(child, copy_program("touch", folder / "gx-other"), str(marker))
        assert other.returncode == 0 and marker.exists(), "an allowed program of the same child did not run"
        mine = exec_as(None, game, str(folder / "root.marker"))  # another account runs the same file
        assert mine.returncode == 0 and (folder / "root.marker").exists()
    finally:
        out = _end(guard)
    assert "DENIED" in out and "gx-denied-game" in out


def test_a_judge_that_never_answers_holds_an_exec_only_until_the_deadline(
    child: Account, folder: Path
) -> None:
    game = copy_program("touch", folder / "gx-slow")
    guard = _guard_process(child.uid, hang=True, deadline=0.3)
    try:
        began = time.monotonic()
        done = exec_as(child, game, str(child.home / "slow.marker"))
        took = time.monotonic() - began
        assert done.returncode == 0 and (child.home / "slow.marker").exists()
        assert took < 10, took  # allowed by the watchdog, not stalled
    finally:
        _end(guard, kill=True)


def test_kill_dash_nine_of_the_guard_leaves_no_exec_stalled(child: Account, folder: Path) -> None:
    game = copy_program("touch", folder / "gx-held")
    marker = child.home / "held.marker"
    guard = _guard_process(child.uid, hang=True, deadline=3600)  # holds the child's exec for an hour
    held = subprocess.Popen(
        [
            "runuser",
            "-u",
            child.name,
            "--",
            PYTHON,
            "-c",
            "import os,sys; os.execv(sys.argv[1], sys.argv[1:])",
            str(game),
            str(marker),
        ]
    )
    try:
        wait_for("the child's exec to be held", lambda: _held(held.pid), timeout=10)
        assert not marker.exists()
        os.kill(guard.pid, signal.SIGKILL)
        assert held.wait(timeout=10) == 0, "the held exec did not go on after the guard died"
        assert marker.exists()
        assert run_as(child, "/bin/true", timeout=10).returncode == 0
    finally:
        if held.poll() is None:
            held.kill()
        _end(guard, kill=True)


def _held(runuser_pid: int) -> bool:
    """Whether runuser's child (switched to the child's account) waits inside exec for an answer."""
    try:
        kids = Path(f"/proc/{runuser_pid}/task/{runuser_pid}/children").read_text().split()
    except OSError:
        return False
    for kid in kids:
        try:
            wchan = Path(f"/proc/{kid}/wchan").read_text()
        except OSError:
            continue
        if "fanotify" in wchan:
            return True
    return False


def test_guard_answers_unwatched_accounts_at_once_in_process(folder: Path) -> None:
    if not LINUX or os.geteuid() != 0:
        pytest.skip("fanotify needs Linux and root")
    asked: list[ExecRequest] = []

    def judge(request: ExecRequest) -> bool:
        asked.append(request)
        return False

    guard = ExecGuard(judge, {987654}).start()  # nobody has that uid
    try:
        assert subprocess.run([str(copy_program("true", folder / "gx-true"))]).returncode == 0
        assert asked == [] and guard.stats.allowed_fast >= 1
    finally:
        guard.stop()


THREADS = "import threading; ts = [threading.Thread(target=lambda: None) for _ in range(5)]; [t.start() for t in ts]; [t.join() for t in ts]"


def test_threads_starting_and_ending_are_dropped_in_the_kernel(
    events: tuple[list[pe.ProcEvent], list[bool]],
) -> None:
    seen, _ = events
    proc = subprocess.Popen([PYTHON, "-c", THREADS])
    proc.wait()
    wait_for("the process's exit", lambda: _has(seen, "exit", proc.pid), timeout=5)
    mine = [e for e in list(seen) if e.pid == proc.pid]
    assert [e for e in mine if e.tid != e.pid] == [], "thread events reached user space"
    assert _has(seen, "fork", proc.pid) and _has(seen, "exec", proc.pid)


def test_asking_for_execs_only_leaves_forks_and_exits_in_the_kernel() -> None:
    if not LINUX or os.geteuid() != 0:
        pytest.skip("process events need Linux and root")
    seen: list[pe.ProcEvent] = []
    thread = pe.ProcEventThread(
        lambda batch, lost: seen.extend(batch), source=pe.ProcEvents(frozenset({"exec", "uid"}))
    )
    thread.start()
    try:
        proc = subprocess.Popen(["/bin/true"])
        proc.wait()
        wait_for("the exec", lambda: _has(seen, "exec", proc.pid), timeout=5)
        marker = subprocess.Popen(["/bin/true"])  # a later exec: everything before it has been read
        marker.wait()
        wait_for("the next exec", lambda: _has(seen, "exec", marker.pid), timeout=5)
    finally:
        thread.stop()
    assert {e.kind for e in seen} <= {"exec", "uid"}


def test_changes_of_owner_are_kept_in_the_kernel_only_for_the_given_accounts(child: Account) -> None:
    seen: list[pe.ProcEvent] = []
    source = pe.ProcEvents(frozenset({"exec", "uid"}), uids={child.uid})
    thread = pe.ProcEventThread(lambda batch, lost: seen.extend(batch), source=source).start()
    try:
        nobody = subprocess.Popen(["/bin/true"], user="nobody")  # a change of owner to someone else
        nobody.wait()
        assert run_as(child, "/bin/true").returncode == 0
        wait_for(
            "the child's change of owner", lambda: any(e.uid == child.uid for e in list(seen)), timeout=5
        )
        wait_for("the exec as nobody", lambda: _has(seen, "exec", nobody.pid), timeout=5)
        assert {e.uid for e in list(seen) if e.kind == "uid"} == {child.uid}
        assert source.keep_uids(set())  # nobody's changes of owner any more
        seen.clear()
        assert run_as(child, "/bin/true").returncode == 0
        marker = subprocess.Popen(["/bin/true"])  # a later exec: everything before it has been read
        marker.wait()
        wait_for("the next exec", lambda: _has(seen, "exec", marker.pid), timeout=5)
        assert [e for e in list(seen) if e.kind == "uid"] == []
    finally:
        thread.stop()


# -- ignore marks: programs no rule can deny stop being reported ---------------------------------------


def _ignored(guard: ExecGuard, path: Path) -> bool:
    """Whether the guard's fanotify group holds an ignore mark on ``path``'s inode (from fdinfo)."""
    text = Path(f"/proc/self/fdinfo/{guard._fd}").read_text()
    ino = f"ino:{os.stat(path).st_ino:x} "
    return any(ino in line and "ignored_mask:40000" in line for line in text.splitlines())


def test_a_quiet_program_is_no_longer_reported_until_its_marks_are_forgotten(
    child: Account, folder: Path
) -> None:
    plain = copy_program("touch", folder / "gx-plain")
    deny: set[str] = set()
    asked: list[str] = []

    def judge(request: ExecRequest) -> bool:
        if request.path == str(plain):
            asked.append(request.path)
        return os.path.basename(request.path) not in deny

    def quiet(fd: int, path: str) -> bool:
        return os.path.basename(path) == "gx-plain" and not deny

    guard = ExecGuard(judge, {child.uid}, quiet=quiet).start()
    try:
        assert exec_as(child, plain, str(child.home / "one")).returncode == 0
        assert asked == [str(plain)]
        wait_for("the ignore mark", lambda: _ignored(guard, plain), timeout=5)
        assert exec_as(child, plain, str(child.home / "two")).returncode == 0
        assert (child.home / "two").exists() and asked == [str(plain)], "a quiet program was reported"
        info = plain.stat()
        assert (info.st_dev, info.st_ino) in guard.quiet_files  # what the exec watch reads (never waking for it)
        deny.add("gx-plain")  # new rules: it is an app now, and blocked
        guard.forget_quiet()
        assert not _ignored(guard, plain) and guard.quiet_files == frozenset()
        refused = exec_as(child, plain, str(child.home / "three"))
        assert refused.stdout.strip() == "errno 1", refused
        assert not (child.home / "three").exists()
    finally:
        guard.stop()


def test_a_write_to_a_quiet_program_has_it_judged_again(child: Account, folder: Path) -> None:
    plain = copy_program("touch", folder / "gx-plain")
    asked: list[str] = []

    def judge(request: ExecRequest) -> bool:
        if request.path == str(plain):
            asked.append(request.path)
        return True

    guard = ExecGuard(judge, {child.uid}, quiet=lambda fd, path: path == str(plain)).start()
    try:
        assert exec_as(child, plain, str(child.home / "one")).returncode == 0
        wait_for("the ignore mark", lambda: _ignored(guard, plain), timeout=5)
        with plain.open("r+b") as fh:  # same inode, new content (a sha256 rule may match it now)
            fh.seek(0, os.SEEK_END)
            fh.write(b"\0")
        assert not _ignored(guard, plain), "the kernel kept the ignore mark after a write"
        assert exec_as(child, plain, str(child.home / "two")).returncode == 0
        assert asked == [str(plain), str(plain)]
    finally:
        guard.stop()


def test_a_late_judgement_never_answers_the_next_exec_that_reuses_the_fd_number(monkeypatch) -> None:
    """The watchdog allowed a slow exec and closed its fd; the kernel hands the same fd number to the next
    watched exec. The slow judgement that then arrives must not answer that other exec."""
    guard = ExecGuard(lambda request: False, {1000})
    answered: list[tuple[int, int]] = []
    monkeypatch.setattr(
        guard, "_respond", lambda fd, answer, then_consider=False: answered.append((fd, answer))
    )
    slow = ExecRequest(pid=1, uid=1000, path="/usr/bin/game", fd=7, received=0.0)
    guard._pending[7] = slow
    del guard._pending[7]  # the watchdog's turn: allowed at the deadline, fd 7 closed
    following = ExecRequest(pid=2, uid=1000, path="/usr/bin/editor", fd=7, received=1.0)
    guard._pending[7] = following
    assert guard._settle(slow, allow=False) is False
    assert answered == [] and guard._pending[7] is following
    assert guard._settle(following, allow=True) is True
    assert answered == [(7, 1)]


# -- the account filter (eBPF): other accounts' events stay in the kernel ------------------------------

PID_OF_SELF = "import os; print(os.getpid())"


def _reader(source: pe.ProcEvents) -> tuple[pe.ProcEventThread, list[pe.ProcEvent]]:
    seen: list[pe.ProcEvent] = []
    return pe.ProcEventThread(lambda batch, lost: seen.extend(batch), source=source).start(), seen


def _child_exec(child: Account, seen: list[pe.ProcEvent]) -> int:
    """The child runs a program; the pid of its exec, once the event has been read."""
    done = run_as(child, PYTHON, "-c", PID_OF_SELF)
    pid = int(done.stdout)
    wait_for("the child's exec", lambda: _has(seen, "exec", pid), timeout=5)
    return pid


def test_other_accounts_execs_stay_in_the_kernel_with_the_account_filter(child: Account) -> None:
    source = pe.ProcEvents(frozenset({"exec", "uid"}), uids={child.uid}, by_account=True)
    thread, seen = _reader(source)
    try:
        if not source.account_filtered:
            pytest.skip("this kernel does not take an eBPF socket filter that reads the task's uid")
        others = [subprocess.Popen(["/bin/true"]) for _ in range(5)]
        others.append(subprocess.Popen(["/bin/true"], user="nobody"))
        for proc in others:
            proc.wait()
        first = _child_exec(child, seen)  # read after every exec above: the filter dropped theirs
        assert not [e for e in list(seen) if e.pid in {p.pid for p in others}], "another account's event"
        assert {e.kind for e in list(seen)} <= {"exec", "uid"}
        assert any(e.kind == "uid" and e.uid == child.uid for e in list(seen)), "runuser's change of owner"

        nobody = pwd_uid("nobody")
        assert source.keep_uids({nobody})  # from now on nobody's events only, the child's stay in the kernel
        assert source.account_filtered
        seen.clear()
        done = run_as(child, PYTHON, "-c", PID_OF_SELF)
        theirs = subprocess.Popen(["/bin/true"], user="nobody")
        theirs.wait()
        wait_for("nobody's exec", lambda: _has(seen, "exec", theirs.pid), timeout=5)
        assert not _has(seen, "exec", int(done.stdout)) and first != int(done.stdout)
    finally:
        thread.stop()


def test_with_no_account_to_follow_nothing_reaches_user_space(child: Account) -> None:
    """An event is queued during the exec itself: once the programs ended, whatever passed is waiting."""
    with (
        pe.ProcEvents(frozenset({"exec", "uid"}), uids=set(), by_account=True) as none,
        pe.ProcEvents(frozenset({"exec", "uid"}), uids={child.uid}, by_account=True) as childs,
    ):
        if not childs.account_filtered:
            pytest.skip("this kernel does not take an eBPF socket filter that reads the task's uid")
        assert none.account_filtered
        subprocess.run(["/bin/true"], user="nobody", check=True)
        subprocess.run(["/bin/true"], check=True)
        pid = int(run_as(child, PYTHON, "-c", PID_OF_SELF).stdout)
        assert none.read() == []
        assert any(e.kind == "exec" and e.pid == pid for e in childs.read()), (
            "the same way, the child's is read"
        )


def pwd_uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def test_without_the_account_filter_the_classic_filter_keeps_everyones_execs(
    child: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guardian.platform import linux_bpf

    def refused(program: bytes) -> int:
        raise linux_bpf.BpfUnavailable(1, "refused here")

    monkeypatch.setattr(linux_bpf, "load", refused)
    source = pe.ProcEvents(frozenset({"exec", "uid"}), uids={child.uid}, by_account=True)
    thread, seen = _reader(source)
    try:
        assert source.account_filtered is False
        root = subprocess.Popen(["/bin/true"])
        root.wait()
        wait_for("root's exec (no account filter)", lambda: _has(seen, "exec", root.pid), timeout=5)
        _child_exec(child, seen)
        assert {e.uid for e in list(seen) if e.kind == "uid"} == {child.uid}, "changes of owner still by uid"
    finally:
        thread.stop()


def test_the_account_program_is_built_from_kinds_and_accounts() -> None:
    from guardian.platform import linux_bpf

    code = linux_bpf.account_program(36, [2, 4], [1000, 1001, 4_000_000_000])
    assert len(code) % 8 == 0 and len(code) // 8 == 2 + 2 + 2 + 1 + 3 + 2 + 2
    assert len(linux_bpf.account_program(36, [2, 4], [])) == 16, "no account: return 0, nothing else"
    with pytest.raises(ValueError):
        linux_bpf.account_program(36, [2], range(linux_bpf.MAX_ACCOUNTS + 1))
