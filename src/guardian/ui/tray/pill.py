"""Where the desktop has no tray area: a small always-on-top pill in a screen corner with the time left.
It never takes the keyboard; a click opens the tray's window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from guardian.ui.tray.windows_common import float_without_focus


class TimePill(QWidget):
    clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        float_without_focus(self)
        self.setObjectName("trayPill")
        self.setWindowTitle(self.tr("Guardian: time left"))
        self.setStyleSheet(
            "#trayPill { background: #1f3a5f; border-radius: 14px; } QLabel { color: white; padding: 4px 10px; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_text(self, text: str, tooltip: str) -> None:
        self.text.setText(text)
        self.setToolTip(tooltip)
        self.adjustSize()
        self.place()

    def place(self) -> None:
        """Bottom-right corner of the primary screen's free area."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 12, area.bottom() - self.height() - 12)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)
