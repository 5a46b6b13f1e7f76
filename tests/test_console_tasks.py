"""Clicks per task: each everyday task is driven here with real clicks and key presses on the console, the
interactions are counted, and the count must equal the one written in docs/console-tasks.md and stay within
the count measured before this work (block an app: 7, change bedtime: 5).

One interaction is one mouse click, one key press (Enter), or typing one value into a field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDateTimeEdit, QListWidget, QWidget

from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from tests.helpers import settle_page
from tests.link_harness import LinkAgent

DOC = Path(__file__).resolve().parents[1] / "docs" / "console-tasks.md"
BEFORE = {"block an app": 7, "change bedtime": 5}
CHILD = "Minh An"


def documented() -> dict[str, tuple[int, int | None]]:
    """Task → (clicks now, clicks before) from the table in docs/console-tasks.md."""
    rows = re.findall(r"^\| ([a-z0-9 ]+?) \| (\d+) \| (\d+|—) \|", DOC.read_text(encoding="utf-8"), re.M)
    return {task: (int(now), None if before == "—" else int(before)) for task, now, before in rows}


class Clicks:
    """Drives the console and counts what a parent does."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget, at: QPoint | None = None) -> None:
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at or widget.rect().center())

    def press(self, widget: QWidget, key: Qt.Key) -> None:
        self.count += 1
        self.qtbot.keyClick(widget, key)

    def type(self, widget: QWidget, text: str) -> None:
        """Click into a field, select what is there and type ``text``: one interaction."""
        self.count += 1
        widget.setFocus()
        if isinstance(widget, QDateTimeEdit):
            widget.setSelectedSection(QDateTimeEdit.Section.HourSection)  # a click on the hour selects it
        elif isinstance(widget, QAbstractSpinBox):
            widget.selectAll()
        else:
            self.qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClicks(widget, text)

    def sidebar(self, window: ConsoleWindow, key: str) -> None:
        bar: QListWidget = window.sidebar
        row = next(i for i in range(bar.count()) if bar.item(i).data(Qt.ItemDataRole.UserRole) == key)
        self.click(bar.viewport(), bar.visualItemRect(bar.item(row)).center())
        settle_page(self.qtbot, window.pages[key])  # pages read the database off the UI thread

    def in_dialog(self, steps: Callable[[QWidget], None]) -> None:
        """Run ``steps`` on the modal dialog the next click opens."""

        def drive() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, drive)
                return
            steps(dialog)

        QTimer.singleShot(0, drive)


@pytest.fixture
def window(qtbot, family, tmp_path: Path) -> Iterator[ConsoleWindow]:
    i18n.install("en")
    ctx = ConsoleContext(family)
    ctx.language = "en"
    win = ConsoleWindow(ctx, first_run=False, home=tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.unlock("parent", "1234")
    settle_page(qtbot, win.pages["dashboard"])
    yield win
    win.lock()
    ctx.close()


def check(task: str, clicks: Clicks) -> None:
    now, before = documented()[task]
    assert clicks.count == now, f"{task}: {clicks.count} interactions, docs/console-tasks.md says {now}"
    if task in BEFORE:
        assert before == BEFORE[task]
    if before is not None:
        assert now <= before


def test_see_this_week(qtbot, window: ConsoleWindow) -> None:
    clicks = Clicks(qtbot)
    clicks.sidebar(window, "summaries")
    page = window.pages["summaries"]
    assert window.stack.currentWidget() is page and page.summary is not None  # type: ignore[attr-defined]
    check("see this week", clicks)


def test_give_30_minutes(qtbot, window: ConsoleWindow, family) -> None:
    clicks = Clicks(qtbot)
    page = window.pages["dashboard"]
    clicks.click(page.cards[CHILD].quick_buttons[30])  # type: ignore[attr-defined]
    settle_page(qtbot, page)
    day = family.today().isoformat()
    assert (
        sum(g.seconds for g in family.store.grants.for_day(family.store.children.id_for(CHILD), day)) >= 1800
    )
    check("give 30 minutes", clicks)


def test_block_an_app(qtbot, window: ConsoleWindow, family) -> None:
    clicks = Clicks(qtbot)
    clicks.sidebar(window, "rules")
    page = window.pages["rules"]
    clicks.in_dialog(
        lambda picker: (clicks.type(picker.search, "tik"), clicks.press(picker.search, Qt.Key.Key_Return))
    )  # type: ignore[attr-defined]
    clicks.click(page.blocked.add_button)  # type: ignore[attr-defined]
    clicks.click(page.save_button)  # type: ignore[attr-defined]
    settle_page(qtbot, page)  # the save runs on the writer thread
    assert "tiktok" in family.rules().child(CHILD).blocked
    check("block an app", clicks)


def test_change_bedtime(qtbot, window: ConsoleWindow, family) -> None:
    clicks = Clicks(qtbot)
    clicks.sidebar(window, "rules")
    page = window.pages["rules"]
    clicks.type(page.bedtime, "20")  # type: ignore[attr-defined]
    clicks.click(page.paint_bedtime)  # type: ignore[attr-defined]
    clicks.click(page.save_button)  # type: ignore[attr-defined]
    settle_page(qtbot, page)  # the save runs on the writer thread
    hours = family.rules().child(CHILD).allowed_hours
    assert {r.end for d in range(7) for r in hours.on(d) or ()} == {20 * 60}
    check("change bedtime", clicks)


def test_lock_now(qtbot, family, tmp_path: Path, monkeypatch) -> None:
    agent = LinkAgent(tmp_path, db=family.store.path, status=family.status()).start()
    try:
        monkeypatch.setenv("GUARDIAN_SOCKET", str(agent.path))
        i18n.install("en")
        ctx = ConsoleContext(family)
        win = ConsoleWindow(ctx, first_run=False, home=tmp_path)
        qtbot.addWidget(win)
        win.show()
        win.unlock("parent", "1234")
        page = win.pages["dashboard"]
        qtbot.waitUntil(lambda: page.view is not None and page.view.live, timeout=10_000)  # type: ignore[attr-defined]
        clicks = Clicks(qtbot)
        clicks.click(page.cards[CHILD].lock_button)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: agent.view.locks == [CHILD], timeout=10_000)
        check("lock now", clicks)
        win.lock()
        ctx.close()
    finally:
        agent.close()


def test_add_a_child(qtbot, window: ConsoleWindow, family) -> None:
    clicks = Clicks(qtbot)
    clicks.sidebar(window, "children")
    page = window.pages["children"]
    clicks.click(page.add_button)  # type: ignore[attr-defined]
    clicks.type(page.name, "Lan")  # type: ignore[attr-defined]
    clicks.type(page.age, "7")  # type: ignore[attr-defined]
    accounts = page.accounts  # type: ignore[attr-defined]
    item = next(
        (
            accounts.item(i)
            for i in range(accounts.count())
            if accounts.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
        ),
        None,
    )
    if item is not None:
        rect = accounts.visualItemRect(item)
        clicks.click(accounts.viewport(), QPoint(rect.left() + 8, rect.center().y()))  # its check box
    else:
        clicks.count += 1  # this computer has no free account to tick; the click is counted all the same
    clicks.click(page.save_button)  # type: ignore[attr-defined]
    settle_page(qtbot, page)  # the save runs on the writer thread
    lan = family.rules().child("Lan")
    assert lan is not None and lan.age == 7
    check("add a child", clicks)


def test_the_table_lists_every_task() -> None:
    assert set(documented()) == {
        "see this week",
        "give 30 minutes",
        "block an app",
        "change bedtime",
        "lock now",
        "add a child",
    }
