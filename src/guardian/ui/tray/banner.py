"""The warning banner: floats on top (over a full-screen game where the platform allows) and never takes
the keyboard from what the child is doing. It names what runs out and when."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from guardian.ui.tray.windows_common import big, float_without_focus, label

SHOW_FOR_MS = 20_000


class WarningBanner(QWidget):
    help_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        float_without_focus(self)
        self.setObjectName("trayBanner")
        self.setWindowTitle(self.tr("Guardian: time is running out"))
        frame = QFrame(self)
        frame.setObjectName("bannerFrame")
        frame.setStyleSheet(
            "#bannerFrame { background: #fff4d6; border: 2px solid #d99a00; border-radius: 10px; }"
            " QLabel { color: #3a2a00; }"
        )
        self.title = big(label(), 1.3)
        self.text = label()
        self.help_button = QPushButton(self.tr("Help"))
        self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.help_button.clicked.connect(self.help_requested)
        self.close_button = QPushButton(self.tr("OK"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        texts = QVBoxLayout()
        texts.addWidget(self.title)
        texts.addWidget(self.text)
        row = QHBoxLayout(frame)
        row.addLayout(texts, 1)
        row.addWidget(self.help_button)
        row.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)

    def show_warning(self, title: str, text: str, *, show_for_ms: int = SHOW_FOR_MS) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.setAccessibleDescription(f"{title} {text}")
        self.adjustSize()
        self.resize(max(420, self.sizeHint().width()), self.sizeHint().height())
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.x() + (area.width() - self.width()) // 2, area.y() + 16)
        self.show()
        self.raise_()
        self.timer.start(show_for_ms)
