"""The tray reads the window in front only when X says it changed (Xvfb + openbox, two xterms)."""

from __future__ import annotations

import subprocess

import pytest
from pytestqt.qtbot import QtBot

from guardian.tray_session import SessionReader
from guardian.tray_x11watch import ActiveWindowWatch
from tests import xsession


def test_a_change_of_window_or_title_is_seen_and_nothing_is_read_otherwise(qtbot: QtBot) -> None:
    if xsession.missing_tools():
        pytest.skip(f"X11 test tools not installed: {', '.join(xsession.missing_tools())}")
    with xsession.x_display() as display:
        first = xsession.start_window(display, "First")
        second = xsession.start_window(display, "Second")
        try:
            xsession.activate(display, first.pid)
            reader = SessionReader(display)
            watch = ActiveWindowWatch(display)
            changes: list[int] = []
            watch.changed.connect(lambda: changes.append(1))
            watch.changed.connect(reader.foreground_changed)
            reader.cache_foreground = True
            reads: list[int] = []
            assert reader.x is not None
            real = reader.x.foreground
            reader.x.foreground = lambda name: reads.append(1) or real(name)  # type: ignore[method-assign]
            assert reader().foreground_pid == first.pid and len(reads) == 1
            assert reader().foreground_pid == first.pid and len(reads) == 1, "nothing changed: nothing read"
            xsession.activate(display, second.pid)
            qtbot.waitUntil(lambda: bool(changes), timeout=5000)
            assert reader().foreground_pid == second.pid and len(reads) == 2
            changes.clear()
            window = watch.watched.id
            subprocess.run(
                ["xdotool", "set_window", "--name", "homework - Firefox", str(window)],
                env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                check=True,
                timeout=10,
            )
            qtbot.waitUntil(lambda: bool(changes), timeout=5000)
            assert reader().title == "homework - Firefox" and len(reads) == 3
            watch.close()
            reader.close()
        finally:
            xsession.stop(first)
            xsession.stop(second)
