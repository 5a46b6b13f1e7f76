"""The tray's lock state from D-Bus: a private bus with a fake screensaver and a fake logind session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from guardian.core.messages import SessionReport
from guardian.tray_lock import LockWatcher
from guardian.tray_session import SessionReader
from tests.dbus_harness import fake_service, need_dbus, private_bus, set_locked_hint, set_screensaver


@pytest.fixture
def buses() -> Iterator[tuple[str, str]]:
    """A private "session bus" and a private "system bus"."""
    need_dbus()
    with private_bus() as session, private_bus() as system:
        yield session, system


def connect(address: str, name: str) -> QDBusConnection:
    bus = QDBusConnection.connectToBus(address, name)
    assert bus.isConnected(), bus.lastError().message()
    return bus


def test_the_screensavers_signal_and_get_active_give_the_lock_state(
    qtbot: QtBot, buses: tuple[str, str]
) -> None:
    session, system = buses
    with fake_service(session, "screensaver"):
        set_screensaver(session, True)  # locked before the tray starts: GetActive tells
        watcher = LockWatcher(connect(session, "s1"), connect(system, "y1"), session_id="c7")
        assert watcher.locked is True and "org.freedesktop.ScreenSaver" in watcher.sources
        assert watcher.logind_path is None, "no logind on this system bus"
        seen: list[bool | None] = []
        watcher.changed.connect(seen.append)
        set_screensaver(session, False)
        qtbot.waitUntil(lambda: watcher.locked is False, timeout=5000)
        set_screensaver(session, True)
        qtbot.waitUntil(lambda: watcher.locked is True, timeout=5000)
        assert seen == [False, True]
        reader = SessionReader("", locked=watcher.state)
        assert reader() == SessionReport(reader.session_id, locked=True)


def test_loginds_locked_hint_gives_the_lock_state(qtbot: QtBot, buses: tuple[str, str]) -> None:
    session, system = buses
    with fake_service(system, "logind", "c7"):
        watcher = LockWatcher(connect(session, "s2"), connect(system, "y2"), session_id="c7")
        assert watcher.logind_path == "/org/freedesktop/login1/session/_c7"
        assert watcher.locked is False, "logind can tell: not locked"
        set_locked_hint(system, True)
        qtbot.waitUntil(lambda: watcher.locked is True, timeout=5000)
        set_locked_hint(system, False)
        qtbot.waitUntil(lambda: watcher.locked is False, timeout=5000)


def test_nobody_to_ask_means_unknown(buses: tuple[str, str]) -> None:
    session, system = buses
    watcher = LockWatcher(connect(session, "s3"), connect(system, "y3"), session_id="c7")
    assert watcher.locked is None and watcher.logind_path is None
    gone = LockWatcher(
        QDBusConnection.connectToBus("unix:path=/nonexistent", "s4"),
        QDBusConnection.connectToBus("unix:path=/nonexistent", "y4"),
    )
    assert gone.locked is None and gone.sources == []


def test_no_session_bus_is_started_for_the_tray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buses: tuple[str, str]
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no "bus" socket there
    watcher = LockWatcher(system_bus=connect(buses[1], "y5"), session_id="c7")
    assert watcher.session_bus is None and watcher.locked is None
