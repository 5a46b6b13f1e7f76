"""WindowsPlatform logic with the Win32 calls faked (not run on a real Windows machine)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from guardian.platform import Foreground, Session
from guardian.platform.windows import WindowsPlatform, WindowsSessionReading, idle_milliseconds
from tests.xsession import stop


@dataclass
class FakeWin32:
    session_rows: list[tuple[int, str, int]] = field(default_factory=list)
    users: dict[int, str] = field(default_factory=dict)
    own_session: int = 1
    front: int = 0
    window_pids: dict[int, int] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    ticks: int = 0
    last_input: int | None = 0
    groups: dict[str, list[str]] | None = None
    admin_group: str = "Administrators"
    me: str = "An"
    elevated: bool = False
    post_ok: bool = True
    desktop_locked: bool | None = False
    calls: list[tuple[str, int]] = field(default_factory=list)

    def sessions(self) -> list[tuple[int, str, int]]:
        return self.session_rows

    def session_user(self, session_id: int) -> str:
        return self.users.get(session_id, "")

    def current_session_id(self) -> int:
        return self.own_session

    def foreground_window(self) -> int:
        return self.front

    def window_pid(self, hwnd: int) -> int:
        return self.window_pids.get(hwnd, 0)

    def window_text(self, hwnd: int) -> str:
        return self.titles.get(hwnd, "")

    def top_level_windows(self) -> list[int]:
        return list(self.window_pids)

    def post_close(self, hwnd: int) -> bool:
        self.calls.append(("post_close", hwnd))
        return self.post_ok

    def tick_count(self) -> int:
        return self.ticks

    def last_input_tick(self) -> int | None:
        return self.last_input

    def input_desktop_locked(self) -> bool | None:
        return self.desktop_locked

    def lock_workstation(self) -> bool:
        self.calls.append(("lock_workstation", self.own_session))
        return True

    def disconnect_session(self, session_id: int) -> bool:
        self.calls.append(("disconnect_session", session_id))
        return True

    def logoff_session(self, session_id: int) -> bool:
        self.calls.append(("logoff_session", session_id))
        return True

    def local_groups(self, user: str) -> list[str] | None:
        return None if self.groups is None else self.groups.get(user, [])

    def administrators_group(self) -> str:
        return self.admin_group

    def current_user(self) -> str:
        return self.me

    def is_user_an_admin(self) -> bool:
        return self.elevated


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    stop(proc)


OWN = Session(id="1", user="An", kind="console")
OTHER = Session(id="2", user="Binh", kind="console")


def test_sessions_skip_stations_without_a_user() -> None:
    api = FakeWin32(
        session_rows=[(0, "Services", 4), (1, "Console", 0), (2, "RDP-Tcp#3", 4)], users={1: "An", 2: "Binh"}
    )
    assert WindowsPlatform(api).sessions() == [
        Session(id="1", user="An", active=True, kind="console"),
        Session(id="2", user="Binh", active=False, kind="rdp"),
    ]


def test_foreground_reads_the_foreground_window_of_our_own_session() -> None:
    api = FakeWin32(front=77, window_pids={77: 4242}, titles={77: "YouTube - Edge"})
    assert WindowsPlatform(api).foreground(OWN) == Foreground(pid=4242, title="YouTube - Edge")


def test_foreground_is_none_on_the_lock_screen_and_for_other_sessions() -> None:
    api = FakeWin32(front=0)
    assert WindowsPlatform(api).foreground(OWN) is None
    api.front, api.window_pids = 77, {77: 4242}
    assert WindowsPlatform(api).foreground(OTHER) is None


def test_idle_is_the_tick_difference_in_seconds() -> None:
    api = FakeWin32(ticks=100_000, last_input=40_000)
    assert WindowsPlatform(api).idle_seconds(OWN) == 60.0


def test_idle_survives_the_32_bit_tick_wrap() -> None:
    api = FakeWin32(ticks=5_000, last_input=2**32 - 5_000)
    assert WindowsPlatform(api).idle_seconds(OWN) == 10.0
    assert idle_milliseconds(-1, 2**32 - 2) == 1  # a signed GetTickCount result wraps the same way


def test_idle_is_unknown_for_other_sessions_or_when_the_call_fails() -> None:
    assert WindowsPlatform(FakeWin32(ticks=10)).idle_seconds(OTHER) is None
    assert WindowsPlatform(FakeWin32(last_input=None)).idle_seconds(OWN) is None


def test_lock_uses_lockworkstation_for_our_session_and_disconnects_others() -> None:
    api = FakeWin32()
    plat = WindowsPlatform(api)
    assert plat.lock(OWN) and plat.lock(OTHER) and plat.logout(OTHER)
    assert api.calls == [("lock_workstation", 1), ("disconnect_session", 2), ("logoff_session", 2)]


def test_request_close_posts_wm_close_to_every_window_of_the_pid(sleeper: subprocess.Popen[bytes]) -> None:
    api = FakeWin32(window_pids={10: sleeper.pid, 11: 99999999, 12: sleeper.pid})
    assert WindowsPlatform(api).request_close(sleeper.pid) == "requested"
    assert api.calls == [("post_close", 10), ("post_close", 12)]
    assert sleeper.poll() is None  # asked, not killed


def test_request_close_ends_a_windowless_process(sleeper: subprocess.Popen[bytes]) -> None:
    assert WindowsPlatform(FakeWin32()).request_close(sleeper.pid) == "requested"
    assert sleeper.wait(timeout=10) != 0


def test_request_close_is_denied_when_no_message_can_be_posted(sleeper: subprocess.Popen[bytes]) -> None:
    api = FakeWin32(window_pids={10: sleeper.pid}, post_ok=False)
    assert WindowsPlatform(api).request_close(sleeper.pid) == "denied"


def test_closing_a_dead_pid_reports_gone(sleeper: subprocess.Popen[bytes]) -> None:
    sleeper.kill()
    sleeper.wait(timeout=10)
    plat = WindowsPlatform(FakeWin32())
    assert plat.request_close(sleeper.pid) == "gone"
    assert plat.force_close(sleeper.pid) == "gone"


def test_force_close_kills_a_real_process(sleeper: subprocess.Popen[bytes]) -> None:
    assert WindowsPlatform(FakeWin32()).force_close(sleeper.pid) == "requested"
    assert sleeper.wait(timeout=10) != 0


def test_admin_is_membership_of_the_localised_administrators_group() -> None:
    api = FakeWin32(
        groups={"Bo": ["Benutzer", "administratoren"], "An": ["Benutzer"]}, admin_group="Administratoren"
    )
    plat = WindowsPlatform(api)
    assert plat.is_admin("Bo") is True
    assert plat.is_admin("An") is False


def test_admin_falls_back_to_isuseranadmin_for_the_current_user_only() -> None:
    assert WindowsPlatform(FakeWin32(elevated=True)).is_admin("an") is True
    assert WindowsPlatform(FakeWin32(elevated=False)).is_admin("An") is None
    assert WindowsPlatform(FakeWin32(elevated=True)).is_admin("Binh") is None


def test_the_trays_reading_of_its_own_session_foreground_idle_and_lock() -> None:
    api = FakeWin32(own_session=3, front=7, window_pids={7: 4242}, titles={7: "Minecraft"}, ticks=90_000)
    api.last_input = 30_000
    reading = WindowsSessionReading(api)
    assert reading.session_id() == "3", "named as the agent's sessions() names it"
    assert reading.foreground() == Foreground(pid=4242, title="Minecraft")
    assert reading.idle_seconds() == 60.0
    assert reading.locked() is False
    api.front, api.desktop_locked = 0, True  # the lock screen has the input desktop: no foreground window
    assert reading.foreground() is None and reading.locked() is True
    api.last_input, api.desktop_locked = None, None
    assert reading.idle_seconds() is None and reading.locked() is None
