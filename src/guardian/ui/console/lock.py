"""The lock page: the console opens here and comes back here after being idle.

A parent or caregiver types a PIN; the API says which role it opens. Wrong PINs back off (the API
keeps the count); while it does, the field is disabled and a countdown shows, driven by the API's
clock so tests can move time with a ``FakeClock``. With an authenticator app enrolled, a locked-out
parent types a code from it instead, together with a new PIN: the code is good once, so the console
keeps the new PIN for what needs one later (never the code, which would count as a wrong PIN).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.errors import InvalidInput, PinLocked, WrongPin
from guardian.ui import theme
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard_logic import pin_problem


@dataclass(frozen=True)
class UnlockOutcome:
    """What one PIN attempt gave: a role (and the PIN the console keeps for it), or a wrong PIN, or a
    wait in seconds."""

    role: str | None = None
    wrong: bool = False
    wait_s: int = 0
    pin: str | None = None
    """The PIN to keep for later checks; None when a one-time authenticator code opened the role."""


def try_pin(api: GuardianAPI, pin: str) -> UnlockOutcome:
    """Ask the API which role ``pin`` opens; never raises for a wrong or locked-out PIN."""
    locked_out = api.pin_wait() > 0  # then only an authenticator code opens (GuardianAPI.unlock)
    try:
        role = api.unlock(pin)
    except PinLocked as exc:
        return UnlockOutcome(wait_s=exc.retry_after)
    except WrongPin:
        return UnlockOutcome(wrong=True, wait_s=seconds_locked(api))
    return UnlockOutcome(role=role, pin=None if locked_out else pin)


def try_code(api: GuardianAPI, code: str, new_pin: str) -> UnlockOutcome:
    """A locked-out parent's authenticator code with a new parent PIN: set the PIN (the code proves the
    parent) and open the parent role with it; a wrong or replayed code is a wrong attempt."""
    try:
        api.reset_pin_with_code(code, new_pin)
    except PinLocked as exc:
        return UnlockOutcome(wait_s=exc.retry_after)
    except (WrongPin, InvalidInput):
        return UnlockOutcome(wrong=True, wait_s=seconds_locked(api))
    return UnlockOutcome(role="parent", pin=new_pin)


def seconds_locked(api: GuardianAPI) -> int:
    """Seconds until the API accepts another PIN attempt (0: now)."""
    return api.pin_wait()


@dataclass(frozen=True)
class LockState:
    """What the lock page shows: whether a parent PIN is set, the back-off, an authenticator."""

    has_pin: bool
    wait_s: int
    totp: bool


def lock_state(api: GuardianAPI) -> LockState:
    has_pin = api.has_pin("parent")
    wait = seconds_locked(api) if has_pin else 0
    return LockState(has_pin, wait, wait > 0 and api.totp_enrolled())


class LockPage(QWidget):
    """A friendly PIN entry. Emits ``unlocked(role, pin)``; ``pin`` is empty when no PIN is set yet."""

    unlocked = Signal(str, str)
    answered = Signal()
    """A PIN check came back (on the UI thread) and the page shows its outcome."""

    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.failures = 0
        self.problem = ""
        """Why the last code and new PIN were not accepted (kept above the lock-out countdown)."""
        self._by_code = False
        self._counting = False
        self.checking = False
        self.state: LockState | None = None
        """As last read on the context's reader thread (``None`` until the first read comes back)."""
        self._reads = 0
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.update_countdown)
        self._build()
        self.reset()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        card = QFrame(self)
        card.setProperty("role", "card")
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(theme.SPACE_XXL, theme.SPACE_XL, theme.SPACE_XXL, theme.SPACE_XL)
        inner.setSpacing(theme.SPACE_M)

        badge = QLabel(card)
        badge.setPixmap(theme.icon("shield", theme.accent()).pixmap(48, 48))
        badge.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title = self._label(self.tr("Guardian is locked"), "title", card)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hint = self._label(self.tr("Enter the parent or caregiver PIN to continue."), "muted", card)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.pin_edit = QLineEdit(card)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self))
        self.pin_edit.setPlaceholderText(self.tr("PIN"))
        self.pin_edit.setAccessibleName(self.tr("PIN"))
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        font = self.pin_edit.font()
        font.setPointSize(theme.FONT_TITLE)
        self.pin_edit.setFont(font)
        self.pin_edit.returnPressed.connect(self.submit)
        self.new_pin, self.new_again = QLineEdit(card), QLineEdit(card)
        for edit, text in (
            (self.new_pin, self.tr("New parent PIN")),
            (self.new_again, self.tr("New parent PIN again")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self))
            edit.setPlaceholderText(text)
            edit.setAccessibleName(text)
            edit.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            edit.returnPressed.connect(self.submit)
            edit.hide()

        self.unlock_button = QPushButton(self.tr("&Unlock"), card)
        self.unlock_button.setProperty("role", "primary")
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)

        self.open_button = QPushButton(self.tr("&Open the console"), card)
        self.open_button.setProperty("role", "primary")
        self.open_button.setAccessibleName(self.tr("Open the console"))
        self.open_button.clicked.connect(lambda: self.unlocked.emit("parent", ""))

        self.message = self._label("", "error", card)
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message.setAccessibleName(self.tr("PIN message"))

        self.forgot_button = QPushButton(self.tr("&Forgot the PIN?"), card)
        self.forgot_button.setFlat(True)
        self.forgot_button.setAccessibleName(self.tr("Forgot the PIN? Ways to set a new one"))
        self.forgot_button.clicked.connect(self.show_pin_help)

        for widget in (
            badge,
            self.title,
            self.hint,
            self.pin_edit,
            self.new_pin,
            self.new_again,
            self.message,
        ):
            inner.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        inner.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignHCenter)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def show_pin_help(self) -> QDialog:
        """The forgotten-PIN help; a PIN set there unlocks the console as the parent."""
        from guardian.ui.console.pin_help import ForgotPinDialog

        dialog = ForgotPinDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.pin_reset.connect(lambda pin: self.unlocked.emit("parent", pin))
        dialog.open()
        return dialog

    @staticmethod
    def _label(text: str, role: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setProperty("role", role)
        label.setWordWrap(True)
        return label

    # -- behaviour ----------------------------------------------------------------------------

    @property
    def has_pin(self) -> bool:
        """Whether a parent PIN is set, as last read (assumed until the first read answers)."""
        return self.state is None or self.state.has_pin

    @property
    def busy(self) -> bool:
        """A read of the lock's state or a PIN check is out on the context's threads."""
        return self._reads > 0 or self.checking

    def reset(self) -> None:
        """Back to an empty field (called whenever the console locks); the PIN, back-off and
        authenticator state are read on the context's reader thread, the field waits disabled until then."""
        self.pin_edit.clear()
        self.new_pin.clear()
        self.new_again.clear()
        self.problem = ""
        self.message.clear()
        if self.state is None:
            self.pin_edit.setEnabled(False)
            self.unlock_button.setEnabled(False)
        self._read_state()

    def _read_state(self, then: Callable[[], None] | None = None) -> None:
        self._reads += 1

        def done(state: LockState) -> None:
            self._reads -= 1
            self._show_state(state)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self._reads -= 1
            self.message.setText(self.tr("The PIN could not be checked: %1").replace("%1", str(exc)))
            if then is not None:
                then()

        self.ctx.read(lock_state, done, failed, context=self)

    def _show_state(self, state: LockState) -> None:
        self.state = state
        no_pin = not state.has_pin
        self.pin_edit.setVisible(not no_pin)
        self.unlock_button.setVisible(not no_pin)
        self.open_button.setVisible(no_pin)
        self.forgot_button.setVisible(not no_pin)
        if no_pin:
            self.title.setText(self.tr("Welcome to Guardian"))
            self.hint.setText(
                self.tr("No PIN is set yet. Set a parent PIN in Settings to protect the rules.")
            )
        elif state.totp:
            self.title.setText(self.tr("Guardian is locked"))
            self.hint.setText(
                self.tr(
                    "First field: the 6-digit code your authenticator app shows now. Then a new parent PIN, twice."
                )
            )
        else:
            self.title.setText(self.tr("Guardian is locked"))
            self.hint.setText(self.tr("Enter the parent or caregiver PIN to continue."))
        self._show_wait(state)

    def submit(self) -> None:
        """Check the PIN on the context's writer thread (scrypt takes a noticeable fraction of a second,
        and a wrong PIN is recorded); the field stays disabled, saying "Checking…", until the answer."""
        pin = self.pin_edit.text()
        if not pin or not self.pin_edit.isEnabled() or self.checking:
            return
        by_code = self.state is not None and self.state.totp
        new_pin = self.new_pin.text()
        if by_code:
            problem = pin_problem(new_pin, self.new_again.text())
            if problem is not None:
                self.problem = self._new_pin_problem(problem)
                self.message.setText(self.problem)
                (self.new_again if problem == "mismatch" else self.new_pin).setFocus()
                self.answered.emit()
                return
        self.checking = True
        self.problem = ""
        self._by_code = by_code
        self.pin_edit.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self.ctx.write(
            (lambda api: try_code(api, pin, new_pin)) if by_code else (lambda api: try_pin(api, pin)),
            self._answer,
            self._check_failed,
            context=self,
        )

    def _new_pin_problem(self, problem: str) -> str:
        if problem == "empty":
            return self.tr(
                "Choose a new parent PIN too: the code from your authenticator app lets you in once, the new PIN after that."
            )
        if problem == "mismatch":
            return self.tr("The two new PINs are not the same.")
        return self.tr("A PIN is 4 to 12 digits.")

    def _answer(self, outcome: UnlockOutcome) -> None:
        self.checking = False
        self.pin_edit.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.pin_edit.clear()
        self.message.clear()
        if outcome.role is not None:
            self.failures = 0
            self.new_pin.clear()
            self.new_again.clear()
            self.unlocked.emit(outcome.role, outcome.pin or "")
        else:
            if outcome.wrong and self._by_code:
                self.problem = self.tr("That code is not right, or it was used already.")
                self.message.setText(self.problem)
            elif outcome.wrong:
                self.failures += 1
                self.message.setText(
                    self.tr("That PIN is not right (attempt %1).").replace("%1", str(self.failures))
                )
            self.pin_edit.setEnabled(False)  # until the back-off is read
            self.unlock_button.setEnabled(False)
            self._read_state(self.answered.emit)
            return
        self.answered.emit()

    def _check_failed(self, exc: BaseException) -> None:
        self.checking = False
        self.pin_edit.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.message.setText(self.tr("The PIN could not be checked: %1").replace("%1", str(exc)))
        self.answered.emit()

    def update_countdown(self) -> None:
        """Read the back-off again (on the reader thread), then show it."""
        if not self._reads and not self.checking:
            self._read_state()

    def _show_wait(self, state: LockState) -> None:
        """Disable the field while the API refuses PINs, with a countdown; enable it once it passes."""
        wait = state.wait_s
        for edit in (self.new_pin, self.new_again):
            edit.setVisible(state.totp)
        self.pin_edit.setPlaceholderText(
            self.tr("Code from the authenticator app") if state.totp else self.tr("PIN")
        )
        if state.totp:  # the field stays open for an authenticator code, with a new PIN
            text = self.tr(
                "Too many wrong PINs. Try again in %1 s, or type a code from your authenticator app "
                "and choose a new parent PIN."
            ).replace("%1", str(wait))
            self.message.setText(f"{self.problem}\n{text}" if self.problem else text)
            self.pin_edit.setEnabled(not self.checking)
            self.unlock_button.setEnabled(not self.checking)
            if not self.countdown.isActive():
                self.countdown.start()
            self._counting = True
            return
        locked = wait > 0
        self.pin_edit.setEnabled(not locked and not self.checking)
        self.unlock_button.setEnabled(not locked and not self.checking)
        if locked:
            self._counting = True
            self.message.setText(self.tr("Too many wrong PINs. Try again in %1 s.").replace("%1", str(wait)))
            if not self.countdown.isActive():
                self.countdown.start()
            return
        self.countdown.stop()
        if self._counting:
            self._counting = False
            self.message.clear()
        self.pin_edit.setFocus()

    @property
    def is_waiting(self) -> bool:
        return not self.pin_edit.isEnabled()
