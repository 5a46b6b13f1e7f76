"""Ask for more time: 15, 30 or 60 minutes and a short reason; then wait for a parent's answer, which comes
from the PIN typed here, the authenticator code read out over the phone, or later the parents' console."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from guardian.ui.tray import words
from guardian.ui.tray.link import TrayLink
from guardian.ui.tray.windows_common import big, label

CHOICES_MIN = (15, 30, 60)
POLL_MS = 3000
REASON_MAX = 200


class AskWindow(QWidget):
    """The whole conversation of one request, from asking to the answer."""

    answered = Signal(dict)
    """``{"request_id", "status", "seconds", "by"}`` once the request is approved or denied."""

    def __init__(self, link: TrayLink) -> None:
        super().__init__()
        self.link = link
        self.setObjectName("trayAsk")
        self.setWindowTitle(self.tr("Ask for more time"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.request_id: int | None = None
        self.remote_left = 0
        self.authenticator = False
        self.choices = QButtonGroup(self)
        row = QHBoxLayout()
        for minutes in CHOICES_MIN:
            button = QRadioButton(words.duration(minutes * 60))
            self.choices.addButton(button, minutes)
            row.addWidget(button)
        self.choices.button(CHOICES_MIN[0]).setChecked(True)
        self.reason = QLineEdit()
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(self.tr("Why? For example: to finish my homework"))
        self.send = QPushButton(self.tr("Send to my parents"))
        self.send.clicked.connect(self.submit)
        self.ask_box = QGroupBox(self.tr("How much more time?"))
        ask_layout = QVBoxLayout(self.ask_box)
        ask_layout.addLayout(row)
        ask_layout.addWidget(self.reason)
        ask_layout.addWidget(self.send)

        self.state = big(label(), 1.15)
        self.state.setObjectName("askState")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("Parent PIN"))
        self.pin_ok = QPushButton(self.tr("Approve with PIN"))
        self.pin_ok.clicked.connect(self.approve_with_pin)
        self.pin_box = QGroupBox(self.tr("A parent is here"))
        pin_row = QHBoxLayout(self.pin_box)
        pin_row.addWidget(self.pin, 1)
        pin_row.addWidget(self.pin_ok)
        self.code = QLineEdit()
        self.code.setMaxLength(7)
        self.code.setPlaceholderText(self.tr("6-digit code"))
        self.code_ok = QPushButton(self.tr("Approve with code"))
        self.code_ok.clicked.connect(self.approve_with_code)
        self.code_hint = label()
        self.code_box = QGroupBox(self.tr("A parent is away: call them"))
        code_column = QVBoxLayout(self.code_box)
        code_column.addWidget(self.code_hint)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.code_ok)
        code_column.addLayout(code_row)
        self.error = label()
        self.error.setObjectName("askError")
        self.error.setStyleSheet("color: #b00020;")

        layout = QVBoxLayout(self)
        for widget in (self.ask_box, self.state, self.pin_box, self.code_box, self.error):
            layout.addWidget(widget)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.check_answer)
        self._show_waiting(False)
        self.resize(460, 300)

    # -- asking ---------------------------------------------------------------------------------

    def open(self, *, authenticator: bool, remote_left: int) -> None:
        self.authenticator, self.remote_left = authenticator, remote_left
        if self.request_id is None:
            self._show_waiting(False)
        self._update_code_box()
        self.show()
        self.raise_()
        self.activateWindow()

    def minutes(self) -> int:
        return self.choices.checkedId()

    def submit(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(self.tr("Please write a short reason for your parents."))
            return
        self.error.clear()
        self.send.setEnabled(False)
        params = {"seconds": self.minutes() * 60, "reason": reason}
        self.link.call("request_time", params, self._sent, self._failed)

    def _sent(self, result: dict[str, Any]) -> None:
        self.request_id = int(result["request_id"])
        self.send.setEnabled(True)
        self._show_waiting(True)
        self.poll.start()

    # -- approving --------------------------------------------------------------------------------

    def approve_with_pin(self) -> None:
        if self.request_id is None or not self.pin.text():
            return
        params = {"request_id": self.request_id, "pin": self.pin.text()}
        self.pin.clear()
        self.link.call("request.approve", params, self._answer, self._failed)

    def approve_with_code(self) -> None:
        code = self.code.text().replace(" ", "")
        if self.request_id is None or not code:
            return
        params = {"request_id": self.request_id, "code": code}
        self.code.clear()
        self.link.call("request.approve", params, self._code_answer, self._failed)

    def _code_answer(self, result: dict[str, Any]) -> None:
        self.remote_left = max(0, self.remote_left - 1)
        self._answer(result)

    def check_answer(self) -> None:
        if self.request_id is not None:
            self.link.call("request.status", {"request_id": self.request_id}, self._answer, self._poll_failed)

    def _answer(self, result: dict[str, Any]) -> None:
        status = result.get("status")
        if status == "pending":
            return
        self.poll.stop()
        self.request_id = None
        self.error.clear()
        self._show_waiting(False)
        if status == "approved":
            self.state.setText(
                self.tr("Yes! You got {time} more.").format(time=words.duration(result.get("seconds", 0)))
            )
        else:
            self.state.setText(self.tr("Not this time. Your parents said no."))
        self.state.show()
        self.reason.clear()
        self.answered.emit(dict(result))
        self.link.refresh()

    def _failed(self, code: str, message: str) -> None:
        self.send.setEnabled(True)
        texts = {
            "wrong_pin": self.tr("That did not work: {reason}"),
            "pin_locked": self.tr("Too many tries. {reason}"),
            "forbidden": self.tr("Not possible: {reason}"),
            "unreachable": self.tr("Guardian is not answering right now. Try again in a moment."),
        }
        self.error.setText(texts.get(code, self.tr("Something went wrong: {reason}")).format(reason=message))

    def _poll_failed(self, code: str, message: str) -> None:
        if code != "unreachable":
            self._failed(code, message)

    # -- layout -----------------------------------------------------------------------------------

    def _show_waiting(self, waiting: bool) -> None:
        self.ask_box.setVisible(not waiting)
        self.pin_box.setVisible(waiting)
        self._update_code_box(waiting)
        if waiting:
            self.state.setText(
                self.tr("Asked for {time}. Waiting for a parent's answer…").format(
                    time=words.duration(self.minutes() * 60)
                )
            )
            self.state.show()

    def _update_code_box(self, waiting: bool | None = None) -> None:
        waiting = self.request_id is not None if waiting is None else waiting
        self.code_box.setVisible(waiting and self.authenticator)
        can = self.remote_left > 0
        self.code.setEnabled(can)
        self.code_ok.setEnabled(can)
        if can:
            self.code_hint.setText(
                self.tr("A parent can read you the code from the authenticator app on their phone.")
            )
        else:
            self.code_hint.setText(self.tr("Approvals by phone are used up for today."))
