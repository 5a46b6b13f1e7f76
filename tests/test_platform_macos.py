"""MacPlatform logic with the macOS calls faked (not run on a real Mac)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pytest

from guardian.platform import Foreground, Session
from guardian.platform.macos import LOGOUT_WITHOUT_DIALOG, MacPlatform, MacSessionReading
from tests.xsession import stop


@dataclass
class FakeMac:
    logins: list[tuple[str, str | None]] = field(default_factory=list)
    on_console: str | None = "an"
    me: str = "an"
    front: tuple[int, str] | None = None
    idle: float | None = 12.5
    app_answer: bool | None = None
    admins: set[str] = field(default_factory=set)
    commands_ok: bool = True
    locked: bool | None = False
    commands: list[list[str]] = field(default_factory=list)
    terminated: list[int] = field(default_factory=list)

    def logged_in(self) -> list[tuple[str, str | None]]:
        return self.logins

    def console_user(self) -> str | None:
        return self.on_console

    def current_user(self) -> str:
        return self.me

    def user_id(self, user: str) -> int | None:
        return {"an": 501, "binh": 502}.get(user)

    def frontmost(self) -> tuple[int, str] | None:
        return self.front

    def seconds_since_input(self) -> float | None:
        return self.idle

    def screen_locked(self) -> bool | None:
        return self.locked

    def run(self, argv: Sequence[str]) -> bool:
        self.commands.append(list(argv))
        return self.commands_ok

    def terminate_app(self, pid: int) -> bool | None:
        self.terminated.append(pid)
        return self.app_answer

    def is_member(self, user: str, group: str) -> bool | None:
        return group == "admin" and user in self.admins


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the SIGTERM fallback is POSIX")

AN = Session(id="an@console", user="an", kind="console")
BINH = Session(id="binh@console", user="binh", active=False, kind="console")


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    stop(proc)


def test_sessions_are_console_logins_and_the_console_owner_is_active() -> None:
    api = FakeMac(logins=[("binh", "console"), ("an", "console"), ("an", "ttys001"), ("an", "console")])
    assert MacPlatform(api).sessions() == [AN, BINH]


def test_foreground_is_the_frontmost_app_of_our_session_on_screen() -> None:
    api = FakeMac(front=(321, "Minecraft"))
    assert MacPlatform(api).foreground(AN) == Foreground(pid=321, title="Minecraft")
    assert MacPlatform(api).foreground(BINH) is None
    api.on_console = "binh"  # fast user switching: our session is in the background
    assert MacPlatform(api).foreground(AN) is None


def test_idle_is_known_only_for_the_session_on_screen() -> None:
    plat = MacPlatform(FakeMac())
    assert plat.idle_seconds(AN) == 12.5
    assert plat.idle_seconds(BINH) is None


def test_lock_sleeps_the_display_of_the_session_on_screen_only() -> None:
    api = FakeMac()
    plat = MacPlatform(api)
    assert plat.lock(AN) is True
    assert plat.lock(BINH) is False
    assert api.commands == [["pmset", "displaysleepnow"]]


def test_logout_of_our_own_session_uses_loginwindow_and_others_use_launchctl() -> None:
    api = FakeMac()
    plat = MacPlatform(api)
    assert plat.logout(AN) and plat.logout(BINH)
    assert plat.logout(Session(id="x@console", user="x")) is False
    assert api.commands == [["osascript", "-e", LOGOUT_WITHOUT_DIALOG], ["launchctl", "bootout", "gui/502"]]


def test_request_close_asks_the_app_first(sleeper: subprocess.Popen[bytes]) -> None:
    api = FakeMac(app_answer=True)
    assert MacPlatform(api).request_close(sleeper.pid) == "requested"
    assert api.terminated == [sleeper.pid]
    assert sleeper.poll() is None  # the app was asked; no signal was sent


@pytest.mark.parametrize("answer", [None, False], ids=["not-an-app", "app-refused"])
def test_request_close_falls_back_to_sigterm(sleeper: subprocess.Popen[bytes], answer: bool | None) -> None:
    assert MacPlatform(FakeMac(app_answer=answer)).request_close(sleeper.pid) == "requested"
    assert sleeper.wait(timeout=10) == -15


def test_closing_a_dead_pid_reports_gone(sleeper: subprocess.Popen[bytes]) -> None:
    sleeper.kill()
    sleeper.wait(timeout=10)
    api = FakeMac(app_answer=True)
    assert MacPlatform(api).request_close(sleeper.pid) == "gone"
    assert MacPlatform(api).force_close(sleeper.pid) == "gone"
    assert api.terminated == []


def test_admin_is_membership_of_the_admin_group() -> None:
    plat = MacPlatform(FakeMac(admins={"mum"}))
    assert plat.is_admin("mum") is True
    assert plat.is_admin("an") is False


def test_the_trays_reading_of_its_own_session_frontmost_idle_and_lock() -> None:
    api = FakeMac(me="an", front=(501, "Roblox"), idle=42.0)
    reading = MacSessionReading(api)
    assert reading.session_id() == AN.id, "named as the agent's sessions() names the GUI login"
    assert reading.foreground() == Foreground(pid=501, title="Roblox")
    assert reading.idle_seconds() == 42.0 and reading.locked() is False
    api.front, api.idle, api.locked = None, None, True
    assert reading.foreground() is None and reading.idle_seconds() is None and reading.locked() is True
