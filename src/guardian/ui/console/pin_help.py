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

from guardian.api import GuardianAPI, StoreError
from guardian.errors import GuardianError
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
    """Set a new parent PIN with an authenticator code, or read how an administrator does it."""

    pin_reset = Signal(str)
    """The new parent PIN, once set."""

    def __init__(self, api: GuardianAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
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
        if api.totp_enrolled():
            layout.addWidget(
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
            layout.addLayout(form)
            layout.addWidget(self.set_button)
            layout.addWidget(self.status)
            layout.addWidget(_wrapped(self.tr("Without the phone:")))
        else:
            self.set_button.hide()
        admin = _wrapped(
            self.tr(
                "Ask the person who administers this computer (who knows its administrator password) to "
                "open a terminal and type the command below. It asks for a new parent PIN; the old one is "
                "not needed and the rules stay as they are."
            )
        )
        layout.addWidget(admin)
        self.command = QLineEdit(reset_command(api))
        self.command.setReadOnly(True)
        self.command.setAccessibleName(self.tr("Command for the administrator"))
        self.command.setCursorPosition(0)
        layout.addWidget(self.command)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.code.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset_with_code(self) -> bool:
        problem = pin_problem(self.new_pin.text(), self.again.text())
        if problem is not None:
            self.status.setText(
                self.tr("The two PINs are not the same.")
                if problem == "mismatch"
                else self.tr("A PIN is 4 to 12 digits.")
            )
            return False
        try:
            self.api.reset_pin_with_code(self.code.text().strip(), self.new_pin.text())
        except (GuardianError, StoreError) as exc:
            self.status.setText(self.tr("The PIN was not changed: %1").replace("%1", str(exc)))
            return False
        self.pin_reset.emit(self.new_pin.text())
        self.accept()
        return True
