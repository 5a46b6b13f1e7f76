"""Forgot the parent PIN? Two ways back in, in plain words: a code from the authenticator app set up in
Settings, or whoever administers this computer runs one command (shown with this computer's real folder)."""

from __future__ import annotations

import os
import shlex

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard_logic import pin_problem


def reset_command(api: GuardianAPI) -> str:
    """The command an administrator runs to set the parent PIN again, for this computer's data folder."""
    folder = str(api.data_dir())
    if os.name == "nt":
        return f'guardian pin reset --home "{folder}"'
    return f"sudo guardian pin reset --home {shlex.quote(folder)}"


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ForgotPinDialog(QDialog):
    """Set a new parent PIN with an authenticator code, or read how an administrator does it.

    Whether an authenticator is set up is read on the context's reader thread (the code form appears when
    it is); the code check and the new PIN (scrypt) run on its writer thread, the form waiting disabled."""

    pin_reset = Signal(str)
    """The new parent PIN, once set."""
    answered = Signal(bool)
    """A code check came back: whether the new PIN was set."""

    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enrolled: bool | None = None
        """Whether an authenticator app is set up, once read."""
        self.checking = False
        self.setWindowTitle(self.tr("Forgot the PIN?"))
        layout = QVBoxLayout(self)
        self.code = QLineEdit()
        self.code.setMaxLength(7)
        self.code.setAccessibleName(self.tr("6-digit code from the authenticator app"))
        self.new_pin, self.again = QLineEdit(), QLineEdit()
        for edit, name in (
            (self.new_pin, self.tr("New parent PIN")),
            (self.again, self.tr("New parent PIN again")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(12)
            edit.setAccessibleName(name)
        self.set_button = QPushButton(self.tr("&Set the new PIN"))
        self.set_button.setProperty("role", "primary")
        self.set_button.clicked.connect(self.reset_with_code)
        self.status = _wrapped()
        self.status.setProperty("role", "error")
        self.code_part = QWidget()
        part = QVBoxLayout(self.code_part)
        part.setContentsMargins(0, 0, 0, 0)
        part.addWidget(
            _wrapped(
                self.tr(
                    "With your phone: open the authenticator app you set up for Guardian, type the "
                    "6-digit code it shows now, then choose a new PIN."
                )
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("&Code:"), self.code)
        form.addRow(self.tr("&New PIN:"), self.new_pin)
        form.addRow(self.tr("PIN &again:"), self.again)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(field.widget())  # type: ignore[union-attr]
        part.addLayout(form)
        part.addWidget(self.set_button)
        part.addWidget(self.status)
        part.addWidget(_wrapped(self.tr("Without the phone:")))
        self.code_part.hide()  # shown once the reader thread says an authenticator is set up
        layout.addWidget(self.code_part)
        admin = _wrapped(
            self.tr(
                "Ask the person who administers this computer (who knows its administrator password) to "
                "open a terminal and type the command below. It asks for a new parent PIN; the old one is "
                "not needed and the rules stay as they are."
            )
        )
        layout.addWidget(admin)
        self.command = QLineEdit(reset_command(ctx.api))
        self.command.setReadOnly(True)
        self.command.setAccessibleName(self.tr("Command for the administrator"))
        self.command.setCursorPosition(0)
        layout.addWidget(self.command)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        ctx.read(lambda api: api.totp_enrolled(), self._enrolled_read, self._enrolled_failed, context=self)

    @property
    def busy(self) -> bool:
        """Whether an authenticator is set up is still being read, or a code check is out."""
        return self.enrolled is None or self.checking

    def _enrolled_read(self, enrolled: bool) -> None:
        self.enrolled = enrolled
        self.code_part.setVisible(enrolled)
        if enrolled:
            self.code.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enrolled_failed(self, _exc: BaseException) -> None:
        self._enrolled_read(False)  # the administrator's way still works

    def reset_with_code(self) -> bool:
        """Check the code and set the new PIN on the writer thread; False when the form is not ready (the
        reason is shown) or a check is already out. ``answered`` tells how it went."""
        if self.checking:
            return False
        problem = pin_problem(self.new_pin.text(), self.again.text())
        if problem is not None:
            self.status.setText(
                self.tr("The two PINs are not the same.")
                if problem == "mismatch"
                else self.tr("A PIN is 4 to 12 digits.")
            )
            return False
        code, pin = self.code.text().strip(), self.new_pin.text()
        self._set_checking(True)
        self.status.setText(self.tr("Checking…"))
        self.ctx.write(
            lambda api: api.reset_pin_with_code(code, pin),
            lambda _r: self._reset(pin),
            self._not_reset,
            context=self,
        )
        return True

    def _set_checking(self, checking: bool) -> None:
        self.checking = checking
        for widget in (self.code, self.new_pin, self.again, self.set_button):
            widget.setEnabled(not checking)

    def _reset(self, pin: str) -> None:
        self._set_checking(False)
        self.status.clear()
        self.answered.emit(True)
        self.pin_reset.emit(pin)
        self.accept()

    def _not_reset(self, exc: BaseException) -> None:
        self._set_checking(False)
        self.status.setText(self.tr("The PIN was not changed: %1").replace("%1", str(exc)))
        self.answered.emit(False)
