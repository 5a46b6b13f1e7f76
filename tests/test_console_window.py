"""The console window: PIN lock, roles, back-off, auto-lock."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.lock import LockPage, seconds_locked, try_pin
from guardian.ui.console.window import ConsoleWindow, load_page_class, needs_first_run, pages_for_role
from tests.helpers import settle_page, ts


class StubPage(QWidget):
    """Stands in for pages other engineers write, so these tests test the window alone."""

    def __init__(self, ctx: ConsoleContext) -> None:
        super().__init__()
        self.ctx = ctx


def stub_loader(module: str, cls: str):
    return None if cls == "FirstRunWizard" else StubPage


def make_window(api, **kwargs) -> ConsoleWindow:
    return ConsoleWindow(ConsoleContext(api), first_run=False, load_page=stub_loader, **kwargs)


NOW = ts("2026-11-27 18:00")


@pytest.fixture
def window(qtbot, family):
    win = make_window(family)
    qtbot.addWidget(win)
    return win


def type_pin(qtbot, page: LockPage, pin: str) -> None:
    settle_page(qtbot, page)  # the lock's state is read off the UI thread
    page.pin_edit.clear()
    if not page.pin_edit.isEnabled():  # backing off: the keys go nowhere
        qtbot.keyClicks(page.pin_edit, pin)
        qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)
        return
    qtbot.keyClicks(page.pin_edit, pin)
    with qtbot.waitSignal(page.answered):  # the PIN is checked off the UI thread
        qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)


def test_window_opens_locked_with_no_pages(window):
    assert window.windowTitle() == "Guardian"
    assert window.is_locked
    assert window.page_keys == []
    assert window.ctx.pin is None


def test_parent_pin_unlocks_as_parent(qtbot, window):
    with qtbot.waitSignal(window.lock_page.unlocked) as signal:
        type_pin(qtbot, window.lock_page, "1234")
    assert signal.args == ["parent", "1234"]
    assert not window.is_locked
    assert window.ctx.role == "parent"
    assert window.ctx.pin == "1234"
    assert window.page_keys == [
        "dashboard",
        "summaries",
        "rules",
        "apps",
        "children",
        "web",
        "settings",
        "guide",
    ]


def test_caregiver_pin_unlocks_with_a_limited_sidebar(qtbot, window):
    type_pin(qtbot, window.lock_page, "5678")
    assert window.ctx.role == "caregiver"
    assert window.page_keys == ["dashboard", "summaries", "guide"]
    labels = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert len(labels) == len(window.page_keys)


def test_caregiver_role_never_lists_rule_pages():
    keys = {spec.key for spec in pages_for_role("caregiver")}
    assert keys == {"dashboard", "summaries", "guide"}
    assert {"rules", "apps", "settings"} <= {spec.key for spec in pages_for_role("parent")}


def test_wrong_pin_says_which_attempt(qtbot, window):
    type_pin(qtbot, window.lock_page, "9999")
    assert window.is_locked
    assert "1" in window.lock_page.message.text()
    assert window.ctx.role == ""


def test_wrong_pins_back_off_until_the_clock_passes(qtbot, window, family):
    page = window.lock_page
    for _ in range(4):
        type_pin(qtbot, page, "0000")
    assert page.is_waiting
    assert not page.unlock_button.isEnabled()
    assert page.countdown.isActive()
    wait = seconds_locked(family)
    assert wait > 0
    assert str(wait) in page.message.text()

    family.clock.advance(wait + 1)
    page.update_countdown()
    settle_page(qtbot, page)
    assert not page.is_waiting
    assert not page.countdown.isActive()
    type_pin(qtbot, page, "1234")
    assert window.ctx.role == "parent"


def test_locked_out_pin_attempt_reports_the_wait(family):
    for _ in range(4):
        try_pin(family, "0000")
    outcome = try_pin(family, "1234")
    assert outcome.role is None
    assert outcome.wait_s > 0


def test_idle_timeout_locks_and_forgets_the_pin(qtbot, window):
    type_pin(qtbot, window.lock_page, "1234")
    assert window.idle_timer.isActive()
    window.idle_timer.timeout.emit()
    assert window.is_locked
    assert window.ctx.pin is None
    assert window.ctx.role == ""
    assert window.page_keys == []
    assert not window.idle_timer.isActive()


def test_user_input_restarts_the_idle_timer(qtbot, family):
    win = make_window(family, idle_lock_ms=60_000)
    qtbot.addWidget(win)
    win.unlock("parent", "1234")
    win.idle_timer.start(1_000)
    qtbot.keyClick(win.sidebar, Qt.Key.Key_Down)
    assert win.idle_timer.remainingTime() > 1_000


def test_lock_button_locks(qtbot, window):
    type_pin(qtbot, window.lock_page, "1234")
    qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    assert window.is_locked
    assert window.ctx.pin is None


def test_fresh_install_opens_without_a_pin(qtbot, api):
    assert needs_first_run(api)
    win = make_window(api)
    qtbot.addWidget(win)
    page = win.lock_page
    settle_page(qtbot, page)
    assert page.open_button.isVisibleTo(page)
    assert not page.pin_edit.isVisibleTo(page)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert win.ctx.role == "parent"
    assert win.ctx.pin is None
    assert not win.is_locked


def test_demo_family_is_not_a_first_run(family):
    assert not needs_first_run(family)


def test_missing_pages_are_left_out_of_the_sidebar(qtbot, family):
    win = ConsoleWindow(ConsoleContext(family), first_run=False, load_page=lambda module, cls: None)
    qtbot.addWidget(win)
    win.unlock("parent", "1234")
    assert win.page_keys == ["dashboard"]
    assert win.sidebar.count() == 1


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_theme_text_is_readable_in_both_palettes(dark: bool) -> None:
    from PySide6.QtGui import QPalette

    from guardian.ui import theme

    palette = theme.dark_palette() if dark else theme.light_palette()
    role = QPalette.ColorRole

    def color(r: QPalette.ColorRole) -> str:
        return palette.color(r).name()

    pairs = {
        "text on window": (color(role.WindowText), color(role.Window)),
        "text on base": (color(role.Text), color(role.Base)),
        "button text": (color(role.ButtonText), color(role.Button)),
        "selection": (color(role.HighlightedText), color(role.Highlight)),
        "on accent": (
            theme.ON_ACCENT_DARK if dark else theme.ON_ACCENT_LIGHT,
            theme.ACCENT_DARK if dark else theme.ACCENT_LIGHT,
        ),
        "error on window": (theme.ERROR_DARK if dark else theme.ERROR_LIGHT, color(role.Window)),
        "error on base": (theme.ERROR_DARK if dark else theme.ERROR_LIGHT, color(role.Base)),
        "alert banner": tuple(reversed(theme.ALERT_DARK if dark else theme.ALERT_LIGHT)),
        "muted text on window (status lines)": (
            theme.MUTED_DARK if dark else theme.MUTED_LIGHT,
            color(role.Window),
        ),
        "muted text on a card": (
            theme.MUTED_DARK if dark else theme.MUTED_LIGHT,
            theme.CARD_DARK if dark else theme.CARD_LIGHT,
        ),
        "placeholder on base": (color(role.PlaceholderText), color(role.Base)),
    }
    low = {name: round(contrast(*pair), 2) for name, pair in pairs.items() if contrast(*pair) < 4.5}
    assert not low


@pytest.mark.parametrize("dark", [False, True])
def test_controls_stand_out_in_both_palettes(dark: bool) -> None:
    """WCAG 1.4.11: the edge of a check box, radio button or field and the focus ring reach 3:1 against
    every background they sit on (the window, a field, a card)."""
    from PySide6.QtGui import QPalette

    from guardian.ui import theme

    palette = theme.dark_palette() if dark else theme.light_palette()
    backgrounds = {
        "window": palette.color(QPalette.ColorRole.Window).name(),
        "base": palette.color(QPalette.ColorRole.Base).name(),
        "card": theme.CARD_DARK if dark else theme.CARD_LIGHT,
    }
    marks = {
        "unchecked box edge": theme.CONTROL_DARK if dark else theme.CONTROL_LIGHT,
        "focus ring": theme.ACCENT_DARK if dark else theme.ACCENT_LIGHT,
        "checked box fill": theme.ACCENT_DARK if dark else theme.ACCENT_LIGHT,
    }
    low = {
        f"{mark} on {where}": round(contrast(colour, bg), 2)
        for mark, colour in marks.items()
        for where, bg in backgrounds.items()
        if contrast(colour, bg) < 3.0
    }
    assert not low
    sheet = theme.stylesheet(dark)
    assert f"border: 2px solid {marks['unchecked box edge']}" in sheet, (
        "the check box edge uses the control colour"
    )
    assert f"border: {theme.FOCUS_WIDTH}px solid {marks['focus ring']}" in sheet
    assert theme.FOCUS_WIDTH >= 2


def test_the_contrast_checks_can_fail() -> None:
    assert contrast("#111827", "#1f2937") < 3.0  # the dark palette's old check-box edge: 1.21:1
    assert contrast("#6b7280", "#f4f6fa") < 4.5  # the old status line: 4.47:1


def test_a_page_that_fails_to_load_is_logged_as_an_error(caplog, monkeypatch):
    import sys
    import types

    broken = types.ModuleType("guardian.ui.console.broken_page")
    monkeypatch.setitem(sys.modules, "guardian.ui.console.broken_page", broken)
    with caplog.at_level(logging.INFO, logger="guardian.ui"):
        assert load_page_class("no_such_page", "Page") is None
        assert load_page_class("broken_page", "Page") is None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2 and errors[0].exc_info is not None
    assert "no_such_page.Page failed to load" in errors[0].getMessage()
