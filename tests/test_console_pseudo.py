"""Under a pseudo-translation ~40% longer with accents, no label or button text is cut off.

Each page is laid out at the window's default and minimum size. A one-line label or a button is clipped
when its size hint (what its text needs) is wider than it is; a word-wrapped label when the height it
needs at its width is taller than it is. Text inside a scroll area may scroll, but only vertically.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QWidget,
    QWizard,
)

from guardian.ui import i18n, theme
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import DEFAULT_SIZE, MINIMUM_SIZE, ConsoleWindow
from guardian.ui.console.wizard import FirstRunWizard
from tests.helpers import settle_page

SLACK = 1
"""Pixels of rounding a layout may lose without any glyph being cut."""
SIZES = {"default": DEFAULT_SIZE, "minimum": MINIMUM_SIZE}
PAGES = ("dashboard", "rules", "settings", "guide")


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return widget.text() if widget.pixmap().isNull() else ""
    return widget.text() if isinstance(widget, QAbstractButton) else ""


def clipped(widget: QWidget) -> str | None:
    """Why ``widget``'s text does not fit, or ``None`` when it does."""
    if not _text_of(widget).strip():
        return None
    width, height = widget.width(), widget.height()
    if isinstance(widget, QLabel) and widget.wordWrap():
        need = widget.heightForWidth(width)
        return None if need <= height + SLACK else f"needs {need}px high, has {height}"
    hint = widget.sizeHint()
    if hint.width() > width + SLACK:
        return f"needs {hint.width()}px wide, has {width}"
    if isinstance(widget, QLabel) and widget.fontMetrics().height() > height + SLACK:
        return f"needs {widget.fontMetrics().height()}px high, has {height}"
    return None


def clipped_texts(top: QWidget) -> list[str]:
    """Every visible label, button, check box and radio button whose text is cut off."""
    problems = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QPushButton, QCheckBox, QRadioButton)):
            continue
        if not widget.isVisibleTo(top) or widget.width() <= 0:
            continue
        why = clipped(widget)
        if why is not None:
            problems.append(f"{type(widget).__name__} {_text_of(widget)[:60]!r}: {why}")
    return problems


def sideways_scrolling(top: QWidget) -> list[str]:
    """Scroll areas whose page is wider than they are (the reader would scroll sideways)."""
    return [
        f"{type(area.parentWidget()).__name__}: content {area.widget().minimumSizeHint().width()}px"
        f" in {area.viewport().width()}px"
        for area in top.findChildren(QScrollArea)
        if area.isVisibleTo(top) and area.horizontalScrollBar().isVisible()
    ]


def lay_out(widget: QWidget, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()
    for _ in range(3):  # layouts settle over a few event-loop turns (wrapped labels re-measure)
        QApplication.processEvents()


def assert_nothing_clipped(widget: QWidget) -> None:
    problems = clipped_texts(widget) + sideways_scrolling(widget)
    assert not problems, "\n".join(problems)


def _finish_deletions() -> None:
    gc.collect()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def themed(qapp) -> Iterator[None]:
    """The console's real look (font size, padding), whatever earlier tests left on the application."""
    _finish_deletions()  # restyling the application visits every widget; none may be half-deleted
    saved = (
        qapp.style().name(),
        qapp.palette(),
        qapp.font(),
        qapp.styleSheet(),
        qapp.property("guardian_dark"),
    )
    theme.apply_theme(qapp, dark=False)
    yield
    _finish_deletions()
    style, palette, font, sheet, dark = saved
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("guardian_dark", dark)
    theme.icon.cache_clear()


@pytest.fixture
def pseudo(themed) -> Iterator[None]:
    i18n.install(i18n.PSEUDO)
    yield
    i18n.install("en")


@pytest.fixture
def window(qtbot, family, pseudo) -> Iterator[ConsoleWindow]:
    ctx = ConsoleContext(family)
    ctx.language = "en"
    win = ConsoleWindow(ctx, first_run=False)
    qtbot.addWidget(win)
    yield win
    win.lock()
    ctx.close()


def test_the_pseudo_translation_is_longer_accented_and_keeps_placeholders(qapp, pseudo) -> None:
    source = "Keep records for 7 to 3650 days."
    text = QApplication.translate("SettingsPage", source)
    assert text.startswith("[") and text.endswith("]") and not text.isascii()
    assert len(text) >= 1.35 * len(source)
    with_placeholder = QApplication.translate("SettingsPage", "Rules saved to <b>{path}</b> (%1)")
    assert "<b>{path}</b>" in with_placeholder and "%1" in with_placeholder


@pytest.mark.parametrize("size", SIZES)
def test_the_pin_lock_fits(qtbot, window, size) -> None:
    lay_out(window, SIZES[size])
    assert window.is_locked
    assert_nothing_clipped(window)


@pytest.mark.parametrize(("key", "size"), [(key, size) for key in PAGES for size in SIZES])
def test_every_page_fits(qtbot, window, key, size) -> None:
    window.unlock("parent", "1234")
    assert window.show_page(key)
    settle_page(qtbot, window.pages[key])
    lay_out(window, SIZES[size])
    assert window.width() <= SIZES[size][0], "the pseudo-text forces the window wider than its minimum"
    assert_nothing_clipped(window)


@pytest.fixture
def wizard(qtbot, api, pseudo) -> Iterator[FirstRunWizard]:
    ctx = ConsoleContext(api, pin=None)
    ctx.language = "en"
    wiz = FirstRunWizard(ctx, accounts=["an", "binh"], is_admin=lambda user: user == "binh")
    i18n.install(i18n.PSEUDO)  # the wizard installs its starting language; layouts are checked in pseudo
    wiz.retranslate()
    qtbot.addWidget(wiz)
    yield wiz


def test_every_wizard_page_fits_at_its_minimum_size(qtbot, wizard) -> None:
    minimum = wizard.minimumSize()
    lay_out(wizard, (minimum.width(), minimum.height()))
    assert wizard.width() <= minimum.width(), "the pseudo-text forces the wizard wider than its minimum"
    for page in range(5):
        assert wizard.currentId() == page
        assert_nothing_clipped(wizard)
        if page == 1:
            for edit in (wizard.pin_page.parent_pin, wizard.pin_page.parent_again):
                edit.setText("2468")
        if page == 2:
            wizard.children_page.name.setText("Bình")
            wizard.children_page.accounts.item(1).setCheckState(Qt.CheckState.Checked)
            assert wizard.children_page.add_child()
        if page < 4:
            wizard.button(QWizard.WizardButton.NextButton).click()
            for _ in range(3):
                QApplication.processEvents()


def test_guardian_pseudo_env_turns_any_language_into_the_pseudo_translation(qapp, monkeypatch) -> None:
    monkeypatch.setenv(i18n.PSEUDO_ENV, "1")
    i18n.install("vi")
    try:
        assert QApplication.translate("ConsoleWindow", "Dashboard").startswith("[")
    finally:
        monkeypatch.delenv(i18n.PSEUDO_ENV)
        i18n.install("en")
    assert QApplication.translate("ConsoleWindow", "Dashboard") == "Dashboard"
