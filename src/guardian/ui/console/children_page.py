"""The Children page: add a child, rename them, change their age and computer accounts, or remove them.

Accounts are chosen from the people's accounts of this computer (``guardian.computer.human_accounts``: never
``root`` or a service account); an account already linked that this computer does not list stays shown, so
saving never drops it silently. Every change goes through ``GuardianAPI`` with the parent PIN the console was
unlocked with; the agent picks the new rules up by itself (it watches the database).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guardian import computer
from guardian.api import StoreError
from guardian.core.familyfile import FamilyFileError
from guardian.core.model import Child, Rules
from guardian.core.presets import PresetError, apply_preset, preset_for_age
from guardian.errors import GuardianError
from guardian.resources import builtin_presets
from guardian.ui import theme
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard_logic import MAX_CHILD_AGE

log = logging.getLogger("guardian.ui")
NO_AGE = -1
"""The age spin box's "not given" value (its special text)."""


class RemoveChildDialog(QDialog):
    """Remove a child: keep their records (reports still show them) or erase them, the parent's choice."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remove %1").replace("%1", name))
        text = QLabel(
            self.tr(
                "%1 will no longer be limited or watched on this computer. What should happen to the records "
                "of their time so far?"
            ).replace("%1", name)
        )
        text.setWordWrap(True)
        self.keep = QRadioButton(self.tr("&Keep them (past reports still show %1)").replace("%1", name))
        self.erase = QRadioButton(self.tr("&Erase them for good"))
        self.keep.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep)
        group.addButton(self.erase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = buttons.addButton(self.tr("&Remove"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.keep, self.erase, buttons):
            layout.addWidget(widget)

    @property
    def erase_records(self) -> bool:
        return self.erase.isChecked()


class ChildrenPage(QWidget):
    def __init__(
        self,
        ctx: ConsoleContext,
        parent: QWidget | None = None,
        *,
        accounts: Callable[[], list[str]] = computer.human_accounts,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list_accounts = accounts
        self.editing: str | None = None
        """The child shown in the form, or None while adding a new one."""
        self.ask_remove: Callable[[str], tuple[bool, bool]] = self._ask_remove
        self.rules = Rules()
        """The rules as last read (on the context's reader thread)."""
        self.system_accounts: list[str] = []
        """This computer's people's accounts, looked up with the rules (on the reader thread)."""
        self._out = 0
        self._told = ""
        """What a save just said, kept over the reload that follows it."""
        self._build()
        ctx.data_changed.connect(self.load)
        self.load()

    saved = Signal(bool)
    """A save or removal came back from the writer thread: whether it changed the rules."""

    @property
    def busy(self) -> bool:
        """A read or a save is out on the context's threads."""
        return self._out > 0

    def _set_out(self, delta: int) -> None:
        self._out += delta
        self.save_button.setEnabled(not self.busy)
        self.remove_button.setEnabled(not self.busy and self.editing is not None)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.children_list = QListWidget()
        self.children_list.setAccessibleName(self.tr("Children"))
        self.children_list.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.add_button = QPushButton(theme.icon("plus"), self.tr("&Add a child"))
        self.add_button.clicked.connect(self.new_child)
        left = QVBoxLayout()
        left.addWidget(self.children_list, 1)
        left.addWidget(self.add_button)

        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name.setAccessibleName(self.tr("Child's name"))
        self.age = QSpinBox()
        self.age.setRange(NO_AGE, MAX_CHILD_AGE)
        self.age.setSpecialValueText(self.tr("not given"))
        self.age.setAccessibleName(self.tr("Age"))
        self.accounts = QListWidget()
        self.accounts.setAccessibleName(self.tr("Computer accounts this child uses"))
        self.accounts.setMaximumHeight(160)
        self.accounts_hint = QLabel(
            self.tr(
                "Only people's accounts of this computer are listed: not the administrator (root) or system accounts."
            )
        )
        self.accounts_hint.setWordWrap(True)
        self.accounts_hint.setProperty("role", "muted")
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Name:"), self.name),
            (self.tr("A&ge:"), self.age),
            (self.tr("Computer a&ccounts:"), self.accounts),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.accounts_hint)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(self.tr("&Remove…"))
        self.remove_button.clicked.connect(self.remove)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Result"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addLayout(form)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)

        row = QHBoxLayout(self)
        row.setContentsMargins(theme.SPACE_L, theme.SPACE_L, theme.SPACE_L, theme.SPACE_L)
        row.setSpacing(theme.SPACE_L)
        row.addLayout(left, 1)
        row.addLayout(right, 2)

    # -- showing -----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the rules again (off the UI thread), then refill the list keeping the child shown."""
        self._set_out(+1)
        lookup = self.list_accounts
        self.ctx.read(lambda api: (api.rules(), lookup()), self._rules_read, self._read_failed, context=self)

    def _read_failed(self, exc: BaseException) -> None:
        self._set_out(-1)
        self.status.setText(self.tr("Could not read the rules: %1").replace("%1", str(exc)))

    def _rules_read(self, found: tuple[Rules, list[str]]) -> None:
        self._set_out(-1)
        rules, self.system_accounts = found
        self.rules = rules
        told, self._told = self._told, ""
        keep = self.editing
        self.children_list.blockSignals(True)
        self.children_list.clear()
        for child in rules.children:
            item = QListWidgetItem(child.name)
            item.setData(Qt.ItemDataRole.UserRole, child.name)
            self.children_list.addItem(item)
        self.children_list.blockSignals(False)
        names = [self.children_list.item(i).text() for i in range(self.children_list.count())]
        if keep in names:
            self.children_list.setCurrentRow(names.index(keep))
        elif names:
            self.children_list.setCurrentRow(0)
        else:
            self.new_child()
        if told:
            self.status.setText(told)

    def _show(self, item: QListWidgetItem | None) -> None:
        child = None if item is None else self.rules.child(str(item.data(Qt.ItemDataRole.UserRole)))
        if child is None:
            return
        self.editing = child.name
        self.heading.setText(child.name)
        self.name.setText(child.name)
        self.age.setValue(NO_AGE if child.age is None else child.age)
        self._fill_accounts(child.accounts)
        self.remove_button.setEnabled(not self.busy)
        self.status.clear()

    def new_child(self) -> None:
        """Empty the form for a new child."""
        self.editing = None
        self.children_list.blockSignals(True)
        self.children_list.clearSelection()
        self.children_list.setCurrentRow(-1)
        self.children_list.blockSignals(False)
        self.heading.setText(self.tr("A new child"))
        self.name.clear()
        self.age.setValue(NO_AGE)
        self._fill_accounts(())
        self.remove_button.setEnabled(False)
        self.status.clear()
        self.name.setFocus()

    def _fill_accounts(self, linked: tuple[str, ...]) -> None:
        rules = self.rules
        taken = {a: c.name for c in rules.children if c.name != self.editing for a in c.accounts}
        self.accounts.clear()
        for account in dict.fromkeys([*self.system_accounts, *linked]):
            owner = taken.get(account)
            text = (
                account
                if owner is None
                else self.tr("%1 (used by %2)").replace("%1", account).replace("%2", owner)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, account)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            if owner is None:
                flags |= Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if account in linked else Qt.CheckState.Unchecked)
            self.accounts.addItem(item)

    def account_item(self, account: str) -> QListWidgetItem | None:
        for i in range(self.accounts.count()):
            item = self.accounts.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == account:
                return item
        return None

    def checked_accounts(self) -> tuple[str, ...]:
        items = (self.accounts.item(i) for i in range(self.accounts.count()))
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    # -- changing ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the form on the writer thread: a new child (with the rules suggested for their age) or the
        shown one. False when the form is not complete; ``saved`` says how the save went."""
        name = self.name.text().strip()
        if not name:
            self.status.setText(self.tr("Type the child's name."))
            return False
        if self.busy:
            return False
        age = None if self.age.value() == NO_AGE else self.age.value()
        old = self.rules.child(self.editing) if self.editing is not None else None
        if old is not None:
            child = replace(old, name=name, age=age, accounts=self.checked_accounts())
        else:
            child = self._with_preset(Child(name=name, age=age, accounts=self.checked_accounts()))
        old_name, pin = self.editing, self.ctx.pin
        self.status.setText(self.tr("Saving…"))
        self._set_out(+1)
        self.ctx.write(
            lambda api: api.save_child(child, old_name=old_name, pin=pin),
            lambda _result: self._child_saved(child, added=old is None),
            self._change_failed,
            context=self,
        )
        return True

    def _change_failed(self, exc: BaseException) -> None:
        self._set_out(-1)
        if not isinstance(exc, GuardianError | StoreError | FamilyFileError):
            log.error("changing a child failed: %s", exc)
        self.status.setText(self.tr("Nothing was changed: %1").replace("%1", str(exc)))
        self.saved.emit(False)

    def _child_saved(self, child: Child, *, added: bool) -> None:
        self._set_out(-1)
        self.editing = child.name
        self.ctx.data_changed.emit()
        if added and child.preset:
            text = self.tr(
                "%1 was added with the rules suggested for their age; change them on the Rules page."
            )
        elif added:
            text = self.tr("%1 was added with no limits yet; set them on the Rules page.")
        else:
            text = self.tr("Saved. Guardian applies it to %1 within a few seconds.")
        self._told = text.replace("%1", child.name)
        self.status.setText(self._told)
        self.saved.emit(True)

    def _with_preset(self, child: Child) -> Child:
        if child.age is None:
            return child
        try:
            preset = preset_for_age(builtin_presets(), child.age)
        except (OSError, PresetError):
            log.exception("the age presets could not be read")
            return child
        return child if preset is None else apply_preset(child, preset)

    def remove(self) -> bool:
        """Ask, then take the shown child out of the rules (on the writer thread), keeping or erasing
        their records. False when not asked for; ``saved`` says how it went."""
        name = self.editing
        if name is None or self.busy:
            return False
        go, erase = self.ask_remove(name)
        if not go:
            return False
        pin = self.ctx.pin
        self.status.setText(self.tr("Saving…"))
        self._set_out(+1)
        self.ctx.write(
            lambda api: api.remove_child(name, erase=erase, pin=pin),
            lambda _result: self._child_removed(name, erase=erase),
            self._change_failed,
            context=self,
        )
        return True

    def _child_removed(self, name: str, *, erase: bool) -> None:
        self._set_out(-1)
        self.editing = None
        self._told = (
            self.tr("%1 was removed and their records erased.")
            if erase
            else self.tr("%1 was removed; their records are kept.")
        ).replace("%1", name)
        self.status.setText(self._told)
        self.ctx.data_changed.emit()
        self.saved.emit(True)

    def _ask_remove(self, name: str) -> tuple[bool, bool]:
        dialog = RemoveChildDialog(name, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.erase_records
