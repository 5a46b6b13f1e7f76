"""Every window fits the screen it opens on: a 1366×768 laptop, also at 125 % and 150 % scaling.

:func:`install` watches the application: a window about to show that is larger than the screen's free
area (less room for its frame and title bar) is made smaller, and its minimum size too; its pages scroll
instead (the console's pages and the wizard's taller pages sit in scroll areas).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

FRAME = QSize(16, 40)
"""Room left for a window's borders and title bar, in logical pixels."""


def room(widget: QWidget) -> QSize:
    """The largest size ``widget`` may have as a window on its screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(10_000, 10_000)
    free = screen.availableGeometry().size()
    return QSize(max(1, free.width() - FRAME.width()), max(1, free.height() - FRAME.height()))


def fit_to_screen(widget: QWidget) -> None:
    """Shrink ``widget`` (a window) and its minimum size to fit its screen; move it onto the screen."""
    limit = room(widget)
    least = widget.minimumSize()
    if least.width() > limit.width() or least.height() > limit.height():
        widget.setMinimumSize(least.boundedTo(limit))
    if widget.width() > limit.width() or widget.height() > limit.height():
        widget.resize(widget.size().boundedTo(limit))
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        x = min(max(widget.x(), free.left()), free.right() - widget.width() - FRAME.width() // 2)
        y = min(max(widget.y(), free.top()), free.bottom() - widget.height() - FRAME.height() + 8)
        if (x, y) != (widget.x(), widget.y()):
            widget.move(max(free.left(), x), max(free.top(), y))


class _Fitter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and sized_by_hand(watched):
            fit_to_screen(watched)
        return False


def sized_by_hand(widget: QWidget) -> bool:
    """A framed window whose size is its own: not full screen, maximised or frameless (covers, banners)."""
    if not widget.isWindow() or widget.windowState() & (
        Qt.WindowState.WindowFullScreen | Qt.WindowState.WindowMaximized
    ):
        return False
    return not widget.windowFlags() & Qt.WindowType.FramelessWindowHint


_FITTER: _Fitter | None = None


def install(app: QApplication) -> None:
    """Fit every window of ``app`` to its screen when it is shown (once per application)."""
    global _FITTER
    if _FITTER is None:
        _FITTER = _Fitter()
    app.installEventFilter(_FITTER)
