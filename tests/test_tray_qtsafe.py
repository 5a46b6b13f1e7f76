"""PySide6 6.12 takes a reference from True on each Python ``emit`` and from None on each slot call from
Qt; the tray (which runs for days) gives them back through ``guardian.ui.tray.qtsafe``."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

from guardian.ui.tray.qtsafe import connect, emit


class Source(QObject):
    changed = Signal(dict)


def test_plain_emit_and_slots_still_lose_references(qtbot: QtBot) -> None:
    """When this fails, PySide is fixed: drop qtsafe and this test."""
    source, got = Source(), []
    source.changed.connect(lambda value: got.append(value))
    before = sys.getrefcount(True)
    for _ in range(10):
        source.changed.emit({"n": 1})
    assert sys.getrefcount(True) < before
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: got.append(1))
    got.clear()
    before_none = sys.getrefcount(None)
    timer.start()
    while len(got) < 200:
        QCoreApplication.processEvents()
    timer.stop()
    assert sys.getrefcount(None) < before_none - 100


def test_safe_emit_and_slots_keep_the_counts(qtbot: QtBot) -> None:
    source, got = Source(), []
    connect(source.changed, lambda value: got.append(value))
    before = sys.getrefcount(True)
    for _ in range(1000):
        emit(source.changed, {"n": 1})
    got.clear()
    assert sys.getrefcount(True) >= before
    timer = QTimer()
    timer.setInterval(0)
    connect(timer.timeout, lambda: got.append(1))
    before_none = sys.getrefcount(None)
    timer.start()
    while len(got) < 200:
        QCoreApplication.processEvents()
    timer.stop()
    assert sys.getrefcount(None) >= before_none - 5  # no loss per call (200 calls)
