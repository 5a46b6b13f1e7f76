"""LinuxPlatform against this machine: real processes, real groups, and a real X server under Xvfb."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from guardian.platform import Session, current
from guardian.platform import linux_logind as logind
from guardian.platform.linux import LinuxPlatform, utmp_sessions
from guardian.platform.posix import current_user
from tests.xsession import activate, start_window, stop, wait_for, x_display

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux platform tests")


@pytest.fixture
def platform() -> Iterator[LinuxPlatform]:
    plat = LinuxPlatform()
    yield plat
    plat.close()


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    stop(proc)


def fake_loginctl(outputs: dict[str, str | None]) -> tuple[list[list[str]], logind.Runner]:
    """A loginctl runner answering by sub-command (``"show-session 2"``); records every call."""
    calls: list[list[str]] = []

    def run(args: Sequence[str]) -> str | None:
        calls.append(list(args))
        key = " ".join(args[:2]) if args[0] == "show-session" else args[0]
        return outputs.get(key)

    return calls, run


class Utmp(NamedTuple):
    name: str
    terminal: str | None
    pid: int | None


SHOW_2 = "Id=2\nName=an\nActive=yes\nLockedHint=no\nType=x11\nDisplay=:0\nState=active\nIdleHint=no\n"


def test_current_picks_linux_platform() -> None:
    assert current().name == "linux"


def test_sessions_returns_a_list_without_logind(platform: LinuxPlatform) -> None:
    sessions = platform.sessions()
    assert isinstance(sessions, list)
    assert all(isinstance(s, Session) for s in sessions)


def test_sessions_read_from_logind_when_it_answers() -> None:
    listing = "     2 1000 an  seat0 tty2\n     c1 1001 binh\n"
    show_c1 = "Id=c1\nName=binh\nActive=no\nLockedHint=yes\nType=wayland\nDisplay=\nState=online\n"
    _, run = fake_loginctl({"list-sessions": listing, "show-session 2": SHOW_2, "show-session c1": show_c1})
    sessions = LinuxPlatform(run=run, logind_dir=None).sessions()
    assert sessions == [
        Session(id="2", user="an", active=True, locked=False, kind="x11", display=":0"),
        Session(id="c1", user="binh", active=False, locked=True, kind="wayland", display=None),
    ]


def test_closing_logind_sessions_are_left_out() -> None:
    _, run = fake_loginctl(
        {"list-sessions": "3 1000 an\n", "show-session 3": "Id=3\nName=an\nState=closing\n"}
    )
    assert LinuxPlatform(run=run, logind_dir=None).sessions() == []


def test_loginctl_is_not_run_where_logind_has_no_session_files(tmp_path: Path) -> None:
    calls, run = fake_loginctl({"list-sessions": "     2 1000 an\n", "show-session 2": SHOW_2})
    without = LinuxPlatform(run=run, logind_dir=tmp_path / "missing")
    assert all(s.id != "2" for s in without.sessions())
    assert without.idle_seconds(Session(id="2", user="an", kind="wayland")) is None
    assert calls == []
    (tmp_path / "sessions").mkdir()
    with_logind = LinuxPlatform(run=run, logind_dir=tmp_path / "sessions")
    with_logind.sessions()
    assert calls == []  # logind installed but not running (or without sessions): the folder is empty
    (tmp_path / "sessions" / "2").write_text("UID=1000\nUSER=an\n")
    assert [s.id for s in with_logind.sessions()] == ["2"]
    assert calls[0] == ["list-sessions", "--no-legend"]


def test_utmp_fallback_maps_x_terminals_to_displays() -> None:
    users = [
        Utmp("an", ":0", 100),
        Utmp("binh", "pts/1", 200),
    ]
    assert utmp_sessions(users) == [
        Session(id="an@:0", user="an", kind="x11", display=":0"),
        Session(id="binh@pts/1", user="binh", kind="tty"),
    ]


def test_lock_and_logout_call_loginctl_and_report_failure() -> None:
    calls, run = fake_loginctl({"lock-session": ""})
    plat = LinuxPlatform(run=run, logind_dir=None)
    session = Session(id="2", user="an")
    assert plat.lock(session) is True
    assert plat.logout(session) is False
    assert calls == [["lock-session", "2"], ["terminate-session", "2"]]


def test_lock_is_false_when_loginctl_is_unusable(platform: LinuxPlatform) -> None:
    assert platform.lock(Session(id="999999", user="nobody")) is False


def test_logind_idle_hint_gives_seconds_since_idle() -> None:
    show = "Id=2\nName=an\nIdleHint=yes\nIdleSinceHint=1000000000\n"
    _, run = fake_loginctl({"show-session 2": show})
    assert logind.idle_seconds("2", run, now=lambda: 1030.0) == pytest.approx(30.0)


def test_idle_falls_back_to_logind_without_x() -> None:
    _, run = fake_loginctl({"show-session 2": SHOW_2})
    wayland = Session(id="2", user="an", kind="wayland")
    assert LinuxPlatform(run=run, logind_dir=None).idle_seconds(wayland) == 0.0


def test_request_close_ends_a_real_process(platform: LinuxPlatform, sleeper: subprocess.Popen[bytes]) -> None:
    assert platform.request_close(sleeper.pid) == "requested"
    assert sleeper.wait(timeout=10) == -15


def test_force_close_kills_a_real_process(platform: LinuxPlatform, sleeper: subprocess.Popen[bytes]) -> None:
    assert platform.force_close(sleeper.pid) == "requested"
    assert sleeper.wait(timeout=10) == -9


def test_closing_a_dead_pid_reports_gone(platform: LinuxPlatform, sleeper: subprocess.Popen[bytes]) -> None:
    sleeper.kill()
    sleeper.wait(timeout=10)
    assert platform.request_close(sleeper.pid) == "gone"
    assert platform.force_close(sleeper.pid) == "gone"


def test_root_is_admin_and_unknown_user_is_unknown(platform: LinuxPlatform) -> None:
    assert platform.is_admin("root") is True
    assert platform.is_admin("no-such-user-guardian") is None


def test_foreground_is_none_without_a_display(
    platform: LinuxPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    assert platform.foreground(Session(id="2", user="an", kind="x11")) is None
    assert platform.foreground(Session(id="3", user="an", kind="x11", display=":9999")) is None


@pytest.mark.slow
def test_foreground_follows_the_active_x_window(platform: LinuxPlatform) -> None:
    with x_display() as display:
        session = Session(id="x", user=current_user(), kind="x11", display=display)
        apps: list[subprocess.Popen[Any]] = []
        try:
            apps.append(start_window(display, "GuardianA"))
            apps.append(start_window(display, "GuardianB"))
            for app in [*apps, apps[0]]:
                activate(display, app.pid)
                front = wait_for(lambda: platform.foreground(session), "a foreground window")
                assert front.pid == app.pid
                assert front.title  # xterm titles its window after the command
            idle = platform.idle_seconds(session)
            assert isinstance(idle, float)
            assert idle >= 0.0
        finally:
            for app in apps:
                stop(app)


@pytest.mark.slow
def test_foreground_survives_a_restarted_x_server(platform: LinuxPlatform) -> None:
    with x_display() as first:
        session = Session(id="x", user=current_user(), kind="x11", display=first)
        assert platform.idle_seconds(session) is not None
    assert platform.foreground(session) is None  # the cached connection broke: None, not an exception
