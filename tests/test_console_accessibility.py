"""What a screen reader hears: combo boxes say their label as name and their choice as value; the dashboard's
recent-events card has a name. (Contrast: tests/test_console_window.py; Tab order: test_console_keyboard.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox

from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.dashboard_widgets import EventsCard
from guardian.ui.console.window import ConsoleWindow
from tests.helpers import settle_page
from tests.test_console_pseudo import themed  # noqa: F401 - the console's real theme, restored afterwards


@pytest.fixture
def window(qtbot, family, themed) -> Iterator[ConsoleWindow]:  # noqa: F811
    i18n.install("en")
    ctx = ConsoleContext(family)
    ctx.language = "en"
    win = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(win)
    win.unlock("parent", "1234")
    yield win
    win.lock()
    ctx.close()


@pytest.mark.parametrize("key", ["rules", "summaries", "settings"])
def test_combo_boxes_are_named_by_their_label_and_read_out_their_value(qtbot, window, key) -> None:
    assert window.show_page(key)
    settle_page(qtbot, window.pages[key])
    combos = [c for c in window.pages[key].findChildren(QComboBox) if c.count()]
    assert combos
    for combo in combos:
        iface = QAccessible.queryAccessibleInterface(combo)
        assert iface is not None
        assert combo.accessibleName(), f"a combo box on {key} has no label"
        assert iface.text(QAccessible.Text.Name) == combo.accessibleName()
        assert iface.text(QAccessible.Text.Value) == combo.currentText()
        assert iface.role() == QAccessible.Role.ComboBox


def test_the_recent_events_card_has_a_name(qtbot, window) -> None:
    settle_page(qtbot, window.pages["dashboard"])
    cards = window.pages["dashboard"].findChildren(EventsCard)
    assert cards and all(card.accessibleName() == "Recent events" for card in cards)
