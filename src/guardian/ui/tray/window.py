"""The tray's small window: time left today, per-app time left, today's allowed hours in plain words, why
something was closed or blocked, and the buttons to ask for time or get help."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from guardian.ui.tray import words
from guardian.ui.tray.state import TrayState
from guardian.ui.tray.windows_common import big, label

MAX_APPS = 6


class TrayWindow(QWidget):
    ask_requested = Signal()
    help_requested = Signal()
    privacy_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trayWindow")
        self.setWindowTitle(self.tr("Guardian: my time"))
        self.headline = big(label(), 1.5)
        self.headline.setObjectName("headline")
        self.hours = label()
        self.hours.setObjectName("hours")
        self.apps = label()
        self.apps.setObjectName("apps")
        self.why = label()
        self.why.setObjectName("why")
        self.why.setStyleSheet("color: #8a4b00;")
        self.request = label()
        self.request.setObjectName("request")
        self.ask = QPushButton(self.tr("Ask for more time"))
        self.help = QPushButton(self.tr("Help"))
        self.privacy = QPushButton(self.tr("What is recorded"))
        self.ask.clicked.connect(self.ask_requested)
        self.help.clicked.connect(self.help_requested)
        self.privacy.clicked.connect(self.privacy_requested)
        buttons = QHBoxLayout()
        for button in (self.ask, self.help, self.privacy):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.hours, self.apps, self.why, self.request):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(400, 320)
        self.state = TrayState("unknown")

    def show_state(self, state: TrayState) -> None:
        self.state = state
        self.headline.setText(self.headline_text(state))
        self.hours.setText(self.hours_text(state))
        self.hours.setVisible(bool(self.hours.text()))
        self.apps.setText(self.apps_text(state))
        self.apps.setVisible(bool(self.apps.text()))
        self.ask.setEnabled(state.online)

    def show_why(self, text: str) -> None:
        self.why.setText(text)

    def headline_text(self, state: TrayState) -> str:
        kind = state.kind
        if kind == "unreachable":
            return self.tr("Guardian's agent is not answering. Your rules still apply; trying to reconnect…")
        if kind == "unknown":
            return self.tr("Connecting to Guardian…")
        if kind == "paused":
            return self.tr("Your parents paused the computer until tomorrow.")
        if kind == "outside_hours":
            return self.tr("The computer is not for use right now.")
        if kind == "time_up":
            return self.tr("Your screen time for today is used up.")
        if state.screen_left_s is None:
            return self.tr("No screen-time limit today.")
        return self.tr("{time} of screen time left today").format(time=words.duration(state.screen_left_s))

    def hours_text(self, state: TrayState) -> str:
        if state.kind in ("unreachable", "unknown", "paused"):
            return ""
        if state.kind == "outside_hours" or state.allowed_until is None:
            if state.next_allowed_at is not None:
                return self.tr("You can use the computer again at {time}.").format(
                    time=words.clock(state.next_allowed_at)
                )
            return "" if state.kind != "outside_hours" else self.tr("No more computer time today.")
        return self.tr("You can use the computer until {time}.").format(time=words.clock(state.allowed_until))

    def apps_text(self, state: TrayState) -> str:
        lines = []
        for app in state.apps:
            if app.left_s is None:
                continue
            name = words.app_name(app.app)
            if app.left_s <= 0:
                lines.append(self.tr("{app}: used up for today").format(app=name))
            else:
                lines.append(self.tr("{app}: {time} left").format(app=name, time=words.duration(app.left_s)))
        return "<br>".join(lines[:MAX_APPS])
