"""The console never waits on the database or a PIN check on the UI thread."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
from PySide6.QtCore import QTimer

from guardian.api import GuardianAPI
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from tests.helpers import settle_page
from tests.test_console_window import make_window, type_pin


class SlowUnlock:
    """The writer's API, whose PIN check blocks until ``release`` is set."""

    def __init__(self, api: GuardianAPI, release: threading.Event) -> None:
        self._api = api
        self._release = release
        self.started = threading.Event()

    def unlock(self, pin: str) -> str:
        self.started.set()
        assert self._release.wait(10), "the test never released the PIN check"
        return self._api.unlock(pin)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)


def test_a_slow_pin_check_leaves_the_event_loop_running(qtbot, family, monkeypatch) -> None:
    release = threading.Event()
    opened: list[SlowUnlock] = []
    real_reader = family.reader

    def slow_reader(*, writable: bool = False) -> Any:
        api = real_reader(writable=writable)
        if not writable:
            return api
        opened.append(SlowUnlock(api, release))
        return opened[-1]

    monkeypatch.setattr(family, "reader", slow_reader)
    window = make_window(family)
    qtbot.addWidget(window)
    page = window.lock_page
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    settle_page(qtbot, page)
    page.pin_edit.setText("1234")
    page.submit()
    qtbot.waitUntil(lambda: bool(opened) and opened[0].started.is_set())
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 3)  # the UI thread keeps serving its timers
    assert window.is_locked
    assert not page.pin_edit.isEnabled() and not page.unlock_button.isEnabled()
    assert page.message.text() == "Checking…"
    page.submit()  # a second press while the check is out does nothing

    with qtbot.waitSignal(page.unlocked) as signal:
        release.set()
    assert signal.args == ["parent", "1234"]
    assert not window.is_locked and window.ctx.role == "parent"
    window.ctx.close()


def test_a_wrong_pin_answers_after_the_check(qtbot, family) -> None:
    window = make_window(family)
    qtbot.addWidget(window)
    type_pin(qtbot, window.lock_page, "9999")
    assert window.is_locked and "attempt 1" in window.lock_page.message.text()
    assert window.lock_page.pin_edit.isEnabled()
    window.ctx.close()


class UIThreadGuard:
    """The console's API, refusing database work on the UI thread (the context's reader and writer get
    their own, unguarded APIs from ``reader``, on their threads)."""

    ALLOWED = frozenset({"reader", "close", "clock", "data_dir", "zone"})
    """Not database work: opening the threads' APIs, the clock, the data folder, the time zone."""

    def __init__(self, api: GuardianAPI) -> None:
        self._api = api
        self.refused: list[str] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._api, name)
        if name in self.ALLOWED or name.startswith("_") or not callable(found):
            return found

        def guarded(*args: Any, **kwargs: Any) -> Any:
            pure = name == "catalog" and (args or kwargs)  # built from the rules given, no read
            if threading.current_thread() is threading.main_thread() and not pure:
                self.refused.append(name)
                raise AssertionError(f"GuardianAPI.{name} called on the UI thread")
            return found(*args, **kwargs)

        return guarded


def test_no_page_reads_the_database_on_the_ui_thread(qtbot, family) -> None:
    guard = UIThreadGuard(family)
    ctx = ConsoleContext(cast(GuardianAPI, guard), role="parent", pin="1234")
    ctx.language = "en"
    window = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(window)
    settle_page(qtbot, window.lock_page)
    window.unlock("parent", "1234")
    keys = window.page_keys
    assert {"dashboard", "rules", "children", "summaries", "settings", "guide"} <= set(keys)
    for key in keys:
        assert window.show_page(key)
        settle_page(qtbot, window.pages[key])
    ctx.data_changed.emit()  # every page refreshes what it shows
    for key in keys:
        settle_page(qtbot, window.pages[key])
    window.lock()  # and back to the lock page, which reads the PIN state again
    settle_page(qtbot, window.lock_page)
    assert window.lock_page.pin_edit.isEnabled()
    assert guard.refused == []
    with pytest.raises(AssertionError):  # the guard does refuse
        guard.rules()
    assert guard.refused == ["rules"]
    ctx.close()
