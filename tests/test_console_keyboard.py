"""Keyboard only: Tab reaches every control of every page, each has a name, and the PIN lock opens from the keys.

The walk presses Tab on whatever has focus until focus comes back to where it started. Every visible,
enabled control of the page must be met on the way (radio buttons of one exclusive group count once:
arrow keys move inside a group), and each must carry a name a screen reader can speak.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTextEdit,
    QWidget,
    QWizard,
)

from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from guardian.ui.console.wizard import FirstRunWizard
from tests.helpers import settle_page

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)
MAX_TABS = 150


def accessible_name(widget: QWidget) -> str:
    """What a screen reader speaks: the accessible name, a button's text or a buddy label's text."""
    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or widget.accessibleName()).replace("&", "").strip()


def _is_part_of_another_control(widget: QWidget) -> bool:
    """Spin boxes' inner line edits, scroll bars and table headers are reached through their owner."""
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    parent = widget.parentWidget()
    return isinstance(parent, (QAbstractSpinBox, QComboBox))


def _operable(widget: QWidget) -> bool:
    takes_tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
    return isinstance(widget, CONTROLS) or bool(takes_tab)


def controls_in(root: QWidget, top: QWidget) -> list[QWidget]:
    """Visible, enabled controls under ``root`` (and ``root`` itself) that a user can operate."""
    return [
        w
        for w in (root, *root.findChildren(QWidget))
        if _operable(w) and w.isVisibleTo(top) and w.isEnabled() and not _is_part_of_another_control(w)
    ]


def radio_group_key(radio: QRadioButton) -> object:
    group = radio.group()
    return group if group is not None else radio.parentWidget()


def unreached(controls: list[QWidget], reached: list[QWidget]) -> list[str]:
    """Controls Tab never reached; an exclusive radio group is reached when one of its buttons is."""
    reached_groups = {radio_group_key(w) for w in reached if isinstance(w, QRadioButton)}
    missing = []
    for widget in controls:
        if widget in reached:
            continue
        if isinstance(widget, QRadioButton) and radio_group_key(widget) in reached_groups:
            continue
        missing.append(f"{type(widget).__name__} {accessible_name(widget)!r}")
    return missing


def nameless(widgets: list[QWidget]) -> list[str]:
    return [
        f"{type(w).__name__} under {type(w.parentWidget()).__name__}"
        for w in widgets
        if not accessible_name(w)
    ]


def tab_walk(qtbot, start: QWidget) -> list[QWidget]:
    """Press Tab from ``start`` until focus returns to it; the widgets focused, in order."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    order = [start]
    for _ in range(MAX_TABS):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is start:
            return order
        if current is not None and current not in order:
            order.append(current)
    raise AssertionError(f"Tab never came back to {start!r}; stuck among {order[-3:]}")


def show_active(qtbot, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def window(qtbot, family) -> Iterator[ConsoleWindow]:
    i18n.install("en")
    ctx = ConsoleContext(family)
    ctx.language = "en"
    win = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(win)
    show_active(qtbot, win)
    yield win
    win.lock()
    ctx.close()


def test_the_pin_lock_opens_with_the_keyboard_alone(qtbot, window) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.lock_page.pin_edit)
    QTest.keyClicks(QApplication.focusWidget(), "1234")
    with qtbot.waitSignal(window.lock_page.unlocked):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.ctx.role == "parent"
    assert not window.is_locked


def test_the_pin_lock_unlock_button_is_reached_by_tab_and_pressed_with_space(qtbot, window) -> None:
    page = window.lock_page
    QTest.keyClicks(page.pin_edit, "1234")
    order = tab_walk(qtbot, page.pin_edit)
    assert page.unlock_button in order
    assert not nameless(order)
    page.unlock_button.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(page.unlocked):
        QTest.keyClick(page.unlock_button, Qt.Key.Key_Space)
    assert window.ctx.role == "parent"


@pytest.mark.parametrize("key", ["dashboard", "rules", "apps", "children", "settings", "guide"])
def test_every_control_of_a_page_is_reached_by_tab_and_named(qtbot, window, key) -> None:
    window.unlock("parent", "1234")
    assert window.show_page(key)
    settle_page(qtbot, window.pages[key])
    page = window.pages[key]
    order = tab_walk(qtbot, window.sidebar)
    controls = [*controls_in(page, window), window.lock_button]
    assert not unreached(controls, order)
    assert not nameless(order)
    assert not nameless(controls)
    assert order[1] is page or page.isAncestorOf(order[1]), "Tab from the sidebar goes into the page"
    assert order[-1] is window.lock_button, "the Lock button comes last"


@pytest.fixture
def wizard(qtbot, api) -> Iterator[FirstRunWizard]:
    ctx = ConsoleContext(api, pin=None)
    ctx.language = "en"
    wiz = FirstRunWizard(ctx, accounts=["an", "binh"], is_admin=lambda user: False)
    qtbot.addWidget(wiz)
    show_active(qtbot, wiz)
    yield wiz
    i18n.install("en")


def walk_wizard_page(qtbot, wiz: FirstRunWizard) -> None:
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    order = tab_walk(qtbot, wiz.button(QWizard.WizardButton.CancelButton))
    controls = controls_in(wiz.currentPage(), wiz)
    assert not unreached(controls, order)
    assert not nameless(order)
    assert not nameless(controls)
    if next_button.isEnabled():
        assert next_button in order


def test_the_wizards_first_pages_are_reachable_and_named(qtbot, wizard) -> None:
    walk_wizard_page(qtbot, wizard)  # language
    wizard.next()
    walk_wizard_page(qtbot, wizard)  # PINs
    for edit in (wizard.pin_page.parent_pin, wizard.pin_page.parent_again):
        edit.setText("2468")
    wizard.next()
    walk_wizard_page(qtbot, wizard)  # children


def test_the_wizards_pin_page_is_filled_with_the_keyboard(qtbot, wizard) -> None:
    wizard.next()
    page = wizard.pin_page
    page.parent_pin.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.parent_pin)
    QTest.keyClicks(QApplication.focusWidget(), "2468")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.parent_again
    QTest.keyClicks(QApplication.focusWidget(), "2468")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
