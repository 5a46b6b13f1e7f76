"""The time's-up screen: covers every monitor, counts down the grace period, says what happens next, and
offers "Ask for more time" and "Help". For ``notify`` it can be dismissed; then ``at_limit`` is the agent's."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from guardian.ui.tray import words
from guardian.ui.tray.windows_common import big, label


class TimesUpCover(QWidget):
    """The screen on one monitor."""

    def __init__(self, owner: TimesUpScreen, screen: QScreen) -> None:
        super().__init__()
        self.owner = owner
        self.setObjectName("timesUp")
        self.setWindowTitle(self.tr("Guardian: time's up"))
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.setStyleSheet(
            "#timesUp { background: #1f3a5f; } QLabel { color: white; }"
            " QPushButton { font-size: 14pt; padding: 10px 22px; }"
        )
        self.title = big(label(self.tr("Time's up"), wrap=False), 2.6)
        self.reason = big(label(), 1.3)
        self.countdown = big(label(), 2.0)
        self.next = label()
        self.ask = QPushButton(self.tr("Ask for more time"))
        self.help = QPushButton(self.tr("Help"))
        self.dismiss = QPushButton(self.tr("Close this screen"))
        self.ask.clicked.connect(owner.ask_requested)
        self.help.clicked.connect(owner.help_requested)
        self.dismiss.clicked.connect(owner.dismiss)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.ask, self.help, self.dismiss):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addStretch(2)
        for widget in (self.title, self.reason, self.countdown, self.next):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addStretch(3)
        self.setScreen(screen)
        self.setGeometry(screen.geometry())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.owner.dismissable:
            self.owner.dismiss()
            return
        super().keyPressEvent(event)


class TimesUpScreen(QObject):
    """Shows a :class:`TimesUpCover` on every monitor and runs the countdown."""

    ask_requested = Signal()
    help_requested = Signal()
    finished = Signal(str)
    """The countdown reached zero: the ``at_limit`` action is due."""

    def __init__(self) -> None:
        super().__init__()
        self.covers: list[TimesUpCover] = []
        self.left = 0
        self.action = "lock"
        self.reason = "screen_time_over"
        self.done = False
        self.dismissed: str | None = None
        """The reason the child closed the screen for (``notify``): not shown again for it by a status."""
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    @property
    def dismissable(self) -> bool:
        """``notify`` may be dismissed at once; ``close_apps`` once the apps are closed (school apps stay)."""
        return self.action == "notify" or (self.done and self.action == "close_apps")

    def is_showing(self) -> bool:
        return any(cover.isVisible() for cover in self.covers)

    def start(self, reason: str, grace: int, action: str) -> None:
        """Show the screen (again) with a countdown of ``grace`` seconds."""
        if self.is_showing() and self.reason == reason:
            return
        self.reason, self.action, self.left, self.done = reason, action, max(0, int(grace)), False
        self._cover_every_screen()
        self._update()
        if self.left > 0:
            self.timer.start()
        else:
            self._finish()

    def stop(self) -> None:
        """Time is back (a grant, a new day): take the screen away."""
        self.timer.stop()
        for cover in self.covers:
            cover.hide()
            cover.deleteLater()
        self.covers = []

    def dismiss(self) -> None:
        if self.dismissable:
            self.dismissed = self.reason
            self.stop()

    def _cover_every_screen(self) -> None:
        self.stop()
        for screen in QGuiApplication.screens():
            cover = TimesUpCover(self, screen)
            self.covers.append(cover)
            cover.showFullScreen()
        if self.covers:
            self.covers[0].activateWindow()

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self._finish()
        self._update()

    def _finish(self) -> None:
        self.left = 0
        self.timer.stop()
        if not self.done:
            self.done = True
            self.finished.emit(self.action)
        self._update()

    def _update(self) -> None:
        for cover in self.covers:
            cover.reason.setText(words.why_over(self.reason))
            cover.next.setText(words.what_happens(self.action))
            if self.done:
                text = {
                    "lock": QCoreApplication.translate("TimesUpCover", "Locking the computer now."),
                    "logout": QCoreApplication.translate("TimesUpCover", "Signing out now."),
                    "close_apps": QCoreApplication.translate(
                        "TimesUpCover", "Closing apps now. School and help apps stay open."
                    ),
                    "notify": QCoreApplication.translate("TimesUpCover", "Time to take a break."),
                }.get(self.action, "")
            else:
                minutes, seconds = divmod(self.left, 60)
                text = QCoreApplication.translate("TimesUpCover", "{time} left to save your work").format(
                    time=f"{minutes}:{seconds:02d}"
                )
            cover.countdown.setText(text)
            cover.dismiss.setVisible(self.dismissable)
