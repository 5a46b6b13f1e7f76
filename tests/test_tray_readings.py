"""Which session reading the tray uses on each OS, and what it reports from one (the OS faked; the Wayland
idle monitor is a fake Mutter on a private D-Bus)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

import pytest
from PySide6.QtDBus import QDBusConnection

from guardian.core.messages import SessionReport
from guardian.platform.base import Foreground
from guardian.platform.macos import MacSessionReading
from guardian.platform.windows import WindowsSessionReading
from guardian.tray_session import SessionReader, either, reading_for_this_session
from guardian.tray_wayland import WaylandSessionReading
from tests.dbus_harness import fake_service, need_dbus, private_bus


@dataclass
class FakeReading:
    front: Foreground | None = None
    idle: float | None = None
    lock: bool | None = None
    closed: bool = False

    def session_id(self) -> str:
        return "7"

    def foreground(self) -> Foreground | None:
        return self.front

    def idle_seconds(self) -> float | None:
        return self.idle

    def locked(self) -> bool | None:
        return self.lock

    def close(self) -> None:
        self.closed = True


def test_each_os_gets_its_own_reading() -> None:
    assert isinstance(reading_for_this_session({}, "win32"), WindowsSessionReading)
    assert isinstance(reading_for_this_session({}, "darwin"), MacSessionReading)
    wayland = reading_for_this_session({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux")
    assert isinstance(wayland, WaylandSessionReading), "Xwayland's DISPLAY shows only X clients"
    assert isinstance(
        reading_for_this_session({"WAYLAND_DISPLAY": "wayland-0"}, "linux"), WaylandSessionReading
    )
    assert reading_for_this_session({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "linux") is None, "X11"


def test_the_report_says_what_the_reading_can_tell_and_the_lock_of_either_source() -> None:
    reading = FakeReading(Foreground(4242, "Minecraft" * 200), 12.345, None)
    reader = SessionReader(locked=lambda: None, reading=reading)
    report = reader()
    assert report == SessionReport("7", foreground_pid=4242, title=("Minecraft" * 200)[:1000], idle_s=12.3)
    assert reader.x is None, "no X11 reads beside an OS reading"
    reading.lock = True
    assert reader().locked is True
    assert SessionReader(locked=lambda: False, reading=FakeReading())() == SessionReport("7", locked=False)
    assert [either(a, b) for a, b in [(None, None), (False, None), (None, True), (False, False)]] == [
        None,
        False,
        True,
        False,
    ]
    reader.close()
    assert reading.closed


def test_wayland_idle_comes_from_mutters_idle_monitor() -> None:
    need_dbus()
    with private_bus() as address:
        bus = QDBusConnection.connectToBus(address, "wayland-test")
        nobody = WaylandSessionReading(bus)
        assert nobody.idle_seconds() is None and nobody.mutter is False, "no Mutter: not asked again"
        with fake_service(address, "mutter"):
            reading = WaylandSessionReading(bus)
            subprocess.run(
                [
                    "gdbus",
                    "call",
                    "--address",
                    address,
                    "--dest",
                    "org.gnome.Mutter.IdleMonitor",
                    "--object-path",
                    "/org/gnome/Mutter/IdleMonitor/Core",
                    "--method",
                    "org.gnome.Mutter.IdleMonitor.SetIdletimeForTest",
                    "93500",
                ],
                check=True,
                capture_output=True,
                timeout=10,
            )
            assert reading.idle_seconds() == pytest.approx(93.5)
            assert reading.foreground() is None and reading.locked() is None
