"""The settings page: language, rule settings, caregiver PIN, authenticator app, family file.

Each button's slot is a thin method (``save_settings``, ``set_caregiver_pin``, ``verify_enrolment``,
``export_to``, ``import_from``) that tests call directly; the decisions live in ``settings_logic``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.core.familyfile import FamilyFileError
from guardian.secrets import enrol_totp
from guardian.ui import i18n
from guardian.ui.console import totp
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.settings_logic import (
    MAX_IDLE_MINUTES,
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    SettingsError,
    SettingsForm,
    apply_settings,
    form_from_rules,
)
from guardian.ui.console.wizard_logic import pin_problem

log = logging.getLogger("guardian.ui")
QR_SCALE = 6


def qr_pixmap(uri: str) -> QPixmap | None:
    """The QR code of ``uri`` drawn with segno, or ``None`` when segno is not installed."""
    try:
        import segno
    except ImportError:
        return None
    import io

    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="png", scale=QR_SCALE, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class SettingsPage(QWidget):
    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pending_secret: str | None = None
        self.last_alert: str | None = None
        self.enrolled = False
        """Whether an authenticator app is set up, as last read."""
        self._out = 0
        self._build()
        ctx.language_changed.connect(self._language_changed)
        ctx.data_changed.connect(self.load)
        self.retranslate()
        self.load()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget()
        self.column = QVBoxLayout(content)
        self.column.setSpacing(16)
        self._build_language()
        self._build_rules()
        self._build_parent_pin()
        self._build_caregiver()
        self._build_totp()
        self._build_family_file()
        self.column.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls; they scroll into view
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _group(self) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox()
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.column.addWidget(box)
        return box, form

    def _build_language(self) -> None:
        self.language_box, form = self._group()
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.ctx.language)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.change_language(self.language.currentData())
        )
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)

    def _build_rules(self) -> None:
        self.rules_box, form = self._group()
        self.retention = QSpinBox()
        self.retention.setRange(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)
        self.day_start = QTimeEdit()
        self.day_start.setDisplayFormat("HH:mm")
        self.idle = QSpinBox()
        self.idle.setRange(1, MAX_IDLE_MINUTES)
        self.warn = QLineEdit()
        self.rules_labels = [QLabel() for _ in range(4)]
        for label, widget in zip(
            self.rules_labels, (self.retention, self.day_start, self.idle, self.warn), strict=True
        ):
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_settings)
        self.rules_status = _wrapped()
        row = QHBoxLayout()
        row.addWidget(self.rules_status, 1)
        row.addWidget(self.save_button)
        form.addRow(row)

    def _build_parent_pin(self) -> None:
        self.parent_box, form = self._group()
        self.parent_intro = _wrapped()
        form.addRow(self.parent_intro)
        self.old_pin, self.new_pin, self.new_again = QLineEdit(), QLineEdit(), QLineEdit()
        self.parent_labels = [QLabel(), QLabel(), QLabel()]
        for label, edit in zip(self.parent_labels, (self.old_pin, self.new_pin, self.new_again), strict=True):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(12)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.parent_button = QPushButton()
        self.parent_button.clicked.connect(self.change_parent_pin)
        self.parent_status = _wrapped()
        row = QHBoxLayout()
        row.addWidget(self.parent_status, 1)
        row.addWidget(self.parent_button)
        form.addRow(row)

    def _build_caregiver(self) -> None:
        self.caregiver_box, form = self._group()
        self.caregiver_intro = _wrapped()
        form.addRow(self.caregiver_intro)
        self.caregiver_pin, self.caregiver_again = QLineEdit(), QLineEdit()
        self.caregiver_labels = [QLabel(), QLabel()]
        for label, edit in zip(
            self.caregiver_labels, (self.caregiver_pin, self.caregiver_again), strict=True
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(12)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.caregiver_button = QPushButton()
        self.caregiver_button.clicked.connect(self.set_caregiver_pin)
        self.caregiver_status = _wrapped()
        row = QHBoxLayout()
        row.addWidget(self.caregiver_status, 1)
        row.addWidget(self.caregiver_button)
        form.addRow(row)

    def _build_totp(self) -> None:
        self.totp_box, form = self._group()
        self.totp_intro = _wrapped()
        self.totp_state = _wrapped()
        self.totp_start = QPushButton()
        self.totp_start.clicked.connect(lambda: self.start_enrolment())
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.secret_text = _wrapped()
        self.secret_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLineEdit()
        self.code.setMaxLength(7)
        self.code.returnPressed.connect(lambda: self.verify_enrolment(self.code.text()))
        self.code_label = QLabel()
        self.code_label.setBuddy(self.code)
        self.verify_button = QPushButton()
        self.verify_button.clicked.connect(lambda: self.verify_enrolment(self.code.text()))
        self.totp_status = _wrapped()
        form.addRow(self.totp_intro)
        row = QHBoxLayout()
        row.addWidget(self.totp_state, 1)
        row.addWidget(self.totp_start)
        form.addRow(row)
        form.addRow(self.qr)
        form.addRow(self.secret_text)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.verify_button)
        form.addRow(self.code_label, code_row)
        form.addRow(self.totp_status)
        self._show_enrolment(False)

    def _build_family_file(self) -> None:
        self.file_box, form = self._group()
        self.file_intro = _wrapped()
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.export_button.clicked.connect(self._choose_export)
        self.import_button.clicked.connect(self._choose_import)
        self.file_status = _wrapped()
        form.addRow(self.file_intro)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.file_status)

    # -- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("&Language:"))
        self.language.setAccessibleName(self.tr("Language"))
        self.rules_box.setTitle(self.tr("Time and records"))
        texts = (
            self.tr("&Keep records for:"),
            self.tr("A new &day starts at:"),
            self.tr("Not counted after &idle for:"),
            self.tr("&Warn before time is up (minutes):"),
        )
        for label, text, widget in zip(
            self.rules_labels, texts, (self.retention, self.day_start, self.idle, self.warn), strict=True
        ):
            label.setText(text)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.retention.setSuffix(self.tr(" days"))
        self.idle.setSuffix(self.tr(" min"))
        self.warn.setPlaceholderText(self.tr("for example 15, 5, 1"))
        self.save_button.setText(self.tr("&Save settings"))
        self.parent_box.setTitle(self.tr("Parent PIN"))
        self.parent_intro.setText(
            self.tr(
                "Change the PIN that opens everything. 6 digits are much harder to guess than 4; avoid birthdays."
            )
        )
        for label, text in zip(
            self.parent_labels,
            (self.tr("C&urrent PIN:"), self.tr("&New PIN:"), self.tr("New PIN a&gain:")),
            strict=True,
        ):
            label.setText(text)
        self.old_pin.setAccessibleName(self.tr("Current parent PIN"))
        self.new_pin.setAccessibleName(self.tr("New parent PIN"))
        self.new_again.setAccessibleName(self.tr("New parent PIN again"))
        self.parent_button.setText(self.tr("C&hange parent PIN"))
        self.caregiver_box.setTitle(self.tr("Caregiver PIN"))
        self.caregiver_intro.setText(
            self.tr(
                "A caregiver (a grandparent, a nanny) can read summaries and answer requests, but not change rules."
            )
        )
        self.caregiver_labels[0].setText(self.tr("New caregiver &PIN:"))
        self.caregiver_labels[1].setText(self.tr("PIN &again:"))
        self.caregiver_pin.setAccessibleName(self.tr("New caregiver PIN"))
        self.caregiver_again.setAccessibleName(self.tr("Caregiver PIN again"))
        self.caregiver_button.setText(self.tr("Set &caregiver PIN"))
        self._retranslate_totp()
        self.file_box.setTitle(self.tr("Family file"))
        self.file_intro.setText(
            self.tr(
                "Save all rules to a file to keep a copy or move them to another computer, or load rules from such a file."
            )
        )
        self.export_button.setText(self.tr("&Export rules…"))
        self.import_button.setText(self.tr("&Import rules…"))

    def _retranslate_totp(self) -> None:
        self.totp_box.setTitle(self.tr("Authenticator app"))
        self.totp_intro.setText(
            self.tr(
                "Approve requests for more time from your phone, even without internet: your child types the 6-digit code from the authenticator app on your phone."
            )
        )
        enrolled = self.enrolled
        self.totp_state.setText(
            self.tr("An authenticator app is set up.") if enrolled else self.tr("Not set up yet.")
        )
        self.totp_start.setText(self.tr("Set up &again") if enrolled else self.tr("Set &up authenticator"))
        self.code_label.setText(self.tr("6-digit &code:"))
        self.code.setAccessibleName(self.tr("6-digit code from the authenticator app"))
        self.verify_button.setText(self.tr("&Verify"))
        self.qr.setAccessibleName(self.tr("QR code to scan with the authenticator app"))
        self._show_secret()

    # -- loading and saving ------------------------------------------------------------------

    finished = Signal(str, bool)
    """A call to the database came back: which (``load``, ``settings``, ``caregiver_pin``, ``parent_pin``,
    ``totp``, ``language``, ``export``, ``import``) and whether it succeeded."""

    @property
    def busy(self) -> bool:
        """A call is out on the context's reader or writer thread."""
        return self._out > 0

    def _call(
        self,
        name: str,
        fn: Callable[[GuardianAPI], Any],
        ok: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        busy: Sequence[QWidget] = (),
        status: QLabel | None = None,
        note: str = "",
        write: bool = True,
    ) -> None:
        """``fn(api)`` on the writer (or reader) thread; ``busy`` stay disabled and ``status`` says ``note``
        until ``ok(result)`` or ``failed(exc)`` runs back on the UI thread."""
        for widget in busy:
            widget.setEnabled(False)
        if status is not None:
            status.setText(note)
        self._out += 1

        def answered(outcome: Callable[[Any], None], value: Any, success: bool) -> None:
            self._out -= 1
            for widget in busy:
                widget.setEnabled(True)
            outcome(value)
            self.finished.emit(name, success)

        run = self.ctx.write if write else self.ctx.read
        run(
            fn,
            lambda result: answered(ok, result, True),
            lambda exc: answered(failed, exc, False),
            context=self,
        )

    def load(self) -> None:
        """Read the settings and whether an authenticator is set up (on the reader thread)."""
        self._call(
            "load",
            lambda api: (form_from_rules(api.rules()), api.totp_enrolled()),
            self._loaded,
            lambda exc: self.rules_status.setText(str(exc)),
            busy=(self.save_button,),
            write=False,
        )

    def _loaded(self, found: tuple[SettingsForm, bool]) -> None:
        form, self.enrolled = found
        self.retention.setValue(form.retention_days)
        self.day_start.setTime(QTime(form.day_starts_at // 60, form.day_starts_at % 60))
        self.idle.setValue(form.idle_minutes)
        self.warn.setText(form.warn_text)
        self._retranslate_totp()

    def current_form(self) -> SettingsForm:
        time = self.day_start.time()
        return SettingsForm(
            self.retention.value(), time.hour() * 60 + time.minute(), self.idle.value(), self.warn.text()
        )

    def save_settings(self) -> bool:
        """Save the form's settings on the writer thread (``finished("settings", ok)`` tells)."""
        form, pin = self.current_form(), self.ctx.pin

        def save(api: GuardianAPI) -> None:
            rules = apply_settings(api.rules(), form)
            api.require_role("parent", pin)
            api.save_rules(rules, "console")

        self._call(
            "settings",
            save,
            self._settings_saved,
            self._settings_failed,
            busy=(self.save_button,),
            status=self.rules_status,
            note=self.tr("Saving…"),
        )
        return True

    def _settings_saved(self, _result: object) -> None:
        self.rules_status.setText(self.tr("Saved."))
        self.ctx.data_changed.emit()

    def _settings_failed(self, exc: BaseException) -> None:
        self.rules_status.setText(self._settings_error(exc) if isinstance(exc, SettingsError) else str(exc))

    def _settings_error(self, exc: SettingsError) -> str:
        messages = {
            "warn": self.tr("Type warning times as minutes from 1 to 120, separated by commas."),
            "retention": self.tr("Keep records for 7 to 3650 days."),
            "idle": self.tr("The idle time must be 1 to 120 minutes."),
            "day_start": self.tr("Choose a time between 00:00 and 23:59."),
        }
        return messages.get(exc.key, str(exc))

    def _language_changed(self, language: str) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.blockSignals(False)
        self.retranslate()

    def change_language(self, language: str) -> None:
        if language == self.ctx.language:
            return
        i18n.install(language)
        self.ctx.language = language
        self._call("language", lambda api: api.set_ui_language(language), lambda _r: None, self._alert_exc)
        self.ctx.language_changed.emit(language)

    def set_caregiver_pin(self) -> bool:
        problem = pin_problem(self.caregiver_pin.text(), self.caregiver_again.text())
        if problem is not None:
            self.caregiver_status.setText(
                self.tr("The two PINs are not the same.")
                if problem == "mismatch"
                else self.tr("A PIN is 4 to 12 digits.")
            )
            return False
        new, current = self.caregiver_pin.text(), self.ctx.pin
        self._call(
            "caregiver_pin",
            lambda api: api.set_pin("caregiver", new, current_pin=current),
            lambda _r: self._caregiver_set(new),
            lambda exc: self.caregiver_status.setText(str(exc)),
            busy=(self.caregiver_button,),
            status=self.caregiver_status,
            note=self.tr("Saving…"),
        )
        return True

    def _caregiver_set(self, new: str) -> None:
        short = len(new.strip()) < 6
        self.caregiver_pin.clear()
        self.caregiver_again.clear()
        self.caregiver_status.setText(
            self.tr("The caregiver PIN is set. Tip: 6 digits or more are much harder for a child to guess.")
            if short
            else self.tr("The caregiver PIN is set.")
        )

    def change_parent_pin(self) -> bool:
        """Old PIN, new PIN twice; the console keeps working with the new one."""
        new = self.new_pin.text()
        problem = pin_problem(new, self.new_again.text())
        if problem is not None:
            self.parent_status.setText(
                self.tr("The two new PINs are not the same.")
                if problem == "mismatch"
                else self.tr("A PIN is 4 to 12 digits.")
            )
            return False
        old = self.old_pin.text()
        self._call(
            "parent_pin",
            lambda api: api.set_pin("parent", new, current_pin=old),
            lambda _r: self._parent_changed(new),
            lambda exc: self.parent_status.setText(
                self.tr("The PIN was not changed: %1").replace("%1", str(exc))
            ),
            busy=(self.parent_button,),
            status=self.parent_status,
            note=self.tr("Saving…"),
        )
        return True

    def _parent_changed(self, new: str) -> None:
        self.ctx.pin = new
        for edit in (self.old_pin, self.new_pin, self.new_again):
            edit.clear()
        self.parent_status.setText(
            self.tr("The parent PIN is changed.")
            if len(new) >= 6
            else self.tr("The parent PIN is changed. A 6-digit PIN would be safer.")
        )

    # -- authenticator -----------------------------------------------------------------------

    def start_enrolment(self, secret: str | None = None) -> str:
        """Show a fresh secret (or ``secret``) as a QR code and wait for one code from the app."""
        self.pending_secret = secret or totp.new_secret()
        self.code.clear()
        self.totp_status.clear()
        self._show_enrolment(True)
        self._show_secret()
        self.code.setFocus()
        return self.pending_secret

    def _show_enrolment(self, visible: bool) -> None:
        for widget in (self.qr, self.secret_text, self.code, self.code_label, self.verify_button):
            widget.setVisible(visible)

    def _show_secret(self) -> None:
        if self.pending_secret is None:
            return
        pixmap = qr_pixmap(totp.provisioning_uri(self.pending_secret))
        grouped = totp.grouped(self.pending_secret)
        if pixmap is None:
            self.qr.clear()
            self.secret_text.setText(
                self.tr(
                    "QR codes are not available here. In the authenticator app, choose “Enter a setup key” and type: {secret}"
                ).format(secret=grouped)
            )
        else:
            self.qr.setPixmap(pixmap)
            self.secret_text.setText(
                self.tr("Scan this code with an authenticator app, or type the key by hand: {secret}").format(
                    secret=grouped
                )
            )

    def verify_enrolment(self, code: str) -> bool:
        secret = self.pending_secret
        if secret is None:
            return False
        if not totp.verify(secret, code, self.ctx.api.clock.now()):
            self.totp_status.setText(
                self.tr("That code is not right. Check the phone's time and try the newest code.")
            )
            return False
        pin = self.ctx.pin

        def enrol(api: GuardianAPI) -> object:
            api.require_role("parent", pin)
            return enrol_totp(secret, api.data_dir(), api)

        self._call(
            "totp",
            enrol,
            self._enrolled,
            lambda exc: self.totp_status.setText(str(exc)),
            busy=(self.verify_button,),
            status=self.totp_status,
            note=self.tr("Saving…"),
        )
        return True

    def _enrolled(self, where: object) -> None:
        log.info("authenticator enrolled; secret kept in the %s", where)
        self.pending_secret = None
        self.enrolled = True
        self._show_enrolment(False)
        self._retranslate_totp()
        self.totp_status.setText(self.tr("Done: codes from your phone now approve requests."))

    # -- family file -------------------------------------------------------------------------

    def export_to(self, path: Path) -> bool:
        """Write the rules to ``path`` (read and written on the reader thread)."""

        def export(api: GuardianAPI) -> None:
            path.write_text(api.export_rules(), encoding="utf-8")

        self._call(
            "export",
            export,
            lambda _r: self.file_status.setText(self.tr("Rules saved to {path}").format(path=path)),
            lambda exc: self._alert(self.tr("The rules could not be saved: {error}").format(error=exc)),
            busy=(self.export_button, self.import_button),
            status=self.file_status,
            note=self.tr("Saving…"),
            write=False,
        )
        return True

    def import_from(self, path: Path) -> bool:
        """Load rules from ``path`` on the writer thread (the API checks the PIN and the file)."""
        pin = self.ctx.pin
        self._call(
            "import",
            lambda api: api.import_rules(path.read_bytes(), str(path), pin=pin),
            self._imported,
            self._import_failed,
            busy=(self.export_button, self.import_button),
            status=self.file_status,
            note=self.tr("Loading…"),
        )
        return True

    def _imported(self, result: Any) -> None:
        self.file_status.setText(
            self.tr("Rules loaded.")
            if result.changed
            else self.tr("These rules are the same as the current ones.")
        )
        self.ctx.data_changed.emit()

    def _import_failed(self, exc: BaseException) -> None:
        self.file_status.clear()
        if isinstance(exc, FamilyFileError):
            self._alert(self.tr("These rules cannot be used:\n{error}").format(error=exc))
        else:
            self._alert(self.tr("The rules could not be loaded: {error}").format(error=exc))

    def _alert_exc(self, exc: BaseException) -> None:
        self._alert(str(exc))

    def _choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export rules"), "family.toml", self.tr("Family file (*.toml)")
        )
        if name:
            self.export_to(Path(name))

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import rules"), "", self.tr("Family file (*.toml)")
        )
        if name:
            self.import_from(Path(name))

    def _alert(self, text: str) -> None:
        """Show a problem in a window-modal box that does not block the caller (tests read ``last_alert``)."""
        self.last_alert = text
        box = QMessageBox(QMessageBox.Icon.Warning, "Guardian", text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
