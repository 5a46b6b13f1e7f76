"""The first-run wizard: language, PINs, children with age presets, a plain-words review, warnings.

Slots stay thin: decisions live in :mod:`guardian.ui.console.wizard_logic` and are tested without Qt.
Finishing sets the PINs, saves the rules (source ``wizard``) and remembers the language, all through
``GuardianAPI`` on the console's writer thread, then emits ``setup_completed`` (the dialog's own
``finished(int)`` follows, as for any ``QDialog``). The rules it starts from are read on the reader thread,
and this computer's accounts and which of them are administrators are looked up on a pool thread: nothing
here waits on the database or the system on the UI thread.
"""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from guardian import computer
from guardian.core.model import Child, Rules
from guardian.core.presets import Preset, PresetError, preset_for_age
from guardian.resources import builtin_apps, builtin_presets
from guardian.ui import i18n
from guardian.ui.console.app_names import display_name
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.wizard_logic import (
    MAX_CHILD_AGE,
    ChildDraft,
    SetupPlan,
    admin_accounts,
    apply_setup,
    build_rules,
    child_heading,
    describe_child,
    draft_problem,
    human_accounts,
    pin_problem,
    split_accounts,
)
from guardian.ui.jobs import run_job

log = logging.getLogger("guardian.ui")
IsAdmin = Callable[[str], bool | None]


def load_presets() -> tuple[Preset, ...]:
    try:
        return builtin_presets()
    except (OSError, PresetError):
        log.exception("the age presets could not be read")
        return ()


def system_accounts() -> list[str]:
    """People's accounts on this computer: password entries on POSIX plus logged-in users.

    Windows accounts (NetUserEnum) are not listed; the wizard's free-text field covers them.
    """
    return human_accounts(computer.password_entries(), computer.session_users())


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class LanguagePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.intro = _heading("")
        self.buttons = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro)
        for code, name in i18n.LANGUAGES.items():
            radio = QRadioButton(name)
            radio.setAccessibleName(name)
            radio.toggled.connect(lambda on, code=code: self._toggled(code, on))
            self.buttons.addButton(radio)
            self.radios[code] = radio
            layout.addWidget(radio)
        layout.addStretch(1)

    def _toggled(self, code: str, on: bool) -> None:
        if on and code != self._wizard.language:
            self._wizard.set_language(code)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to Guardian"))
        self.setSubTitle(self.tr("Let's set up screen time for your family. It takes about five minutes."))
        self.intro.setText(self.tr("Choose the language for Guardian:"))


class PinPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        digits = QRegularExpressionValidator(r"\d{0,12}", self)
        self.parent_pin, self.parent_again = QLineEdit(), QLineEdit()
        self.caregiver_pin, self.caregiver_again = QLineEdit(), QLineEdit()
        for edit in (self.parent_pin, self.parent_again, self.caregiver_pin, self.caregiver_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(digits)
            edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            edit.textChanged.connect(self._changed)
        self.intro, self.caregiver_intro = _heading(""), _heading("")
        self.problem = _heading("")
        self.problem.setObjectName("problem")
        self.form, self.caregiver_form = QFormLayout(), QFormLayout()
        self.labels = [QLabel() for _ in range(4)]
        self.form.addRow(self.labels[0], self.parent_pin)
        self.form.addRow(self.labels[1], self.parent_again)
        self.caregiver_form.addRow(self.labels[2], self.caregiver_pin)
        self.caregiver_form.addRow(self.labels[3], self.caregiver_again)
        for label, edit in zip(
            self.labels,
            (self.parent_pin, self.parent_again, self.caregiver_pin, self.caregiver_again),
            strict=True,
        ):
            label.setBuddy(edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addSpacing(8)
        layout.addWidget(self.caregiver_intro)
        layout.addLayout(self.caregiver_form)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Parent PIN"))
        self.setSubTitle(self.tr("Only someone with the parent PIN can change the rules."))
        self.intro.setText(self.tr("Choose a PIN of 4 to 12 digits that your children do not know."))
        self.caregiver_intro.setText(
            self.tr(
                "Optional: a caregiver PIN for grandparents or a nanny. It can read summaries and answer requests for more time, but not change the rules."
            )
        )
        texts = (
            self.tr("&Parent PIN:"),
            self.tr("Parent PIN &again:"),
            self.tr("&Caregiver PIN:"),
            self.tr("Caregiver PIN a&gain:"),
        )
        edits = (self.parent_pin, self.parent_again, self.caregiver_pin, self.caregiver_again)
        for label, text, edit in zip(self.labels, texts, edits, strict=True):
            label.setText(text)
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
        self._changed()

    def parent_problem(self) -> str | None:
        return pin_problem(self.parent_pin.text(), self.parent_again.text())

    def caregiver_problem(self) -> str | None:
        pin, again = self.caregiver_pin.text(), self.caregiver_again.text()
        if not pin and not again:
            return None
        return pin_problem(pin, again, other=self.parent_pin.text())

    def isComplete(self) -> bool:
        return self.parent_problem() is None and self.caregiver_problem() is None

    def _changed(self) -> None:
        self.problem.setText(self._problem_text())
        self.completeChanged.emit()

    def _problem_text(self) -> str:
        parent, caregiver = self.parent_problem(), self.caregiver_problem()
        typed_again = bool(self.parent_again.text())
        if parent == "format" or (parent == "mismatch" and typed_again):
            return self._message(parent, "parent")
        if caregiver is not None and self.caregiver_again.text():
            return self._message(caregiver, "caregiver")
        if parent is None and len(self.parent_pin.text().strip()) < 6:
            return self.tr("Tip: a PIN of 6 digits or more is much harder for a child to guess.")
        return ""

    def _message(self, problem: str, role: str) -> str:
        messages = {
            ("format", "parent"): self.tr("The parent PIN must be 4 to 12 digits."),
            ("mismatch", "parent"): self.tr("The two parent PINs are not the same."),
            ("format", "caregiver"): self.tr("The caregiver PIN must be 4 to 12 digits."),
            ("mismatch", "caregiver"): self.tr("The two caregiver PINs are not the same."),
            ("same", "caregiver"): self.tr("The caregiver PIN must be different from the parent PIN."),
        }
        return messages.get((problem, role), "")


def _scrolling(page: QWizardPage) -> QVBoxLayout:
    """A column for ``page``'s content inside a scroll area, so a small screen scrolls rather than cuts."""
    content = QWidget()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(content)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return QVBoxLayout(content)


class ChildrenPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.drafts: list[ChildDraft] = []
        self.name = QLineEdit()
        self.age = QSpinBox()
        self.age.setRange(0, MAX_CHILD_AGE)
        self.age.setValue(8)
        self.preset = QComboBox()
        self.summary = _heading("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.accounts = QListWidget()
        self.accounts.setMaximumHeight(110)
        self.other_accounts = QLineEdit()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_child)
        self.children_list = QListWidget()
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.problem = _heading("")
        self.age.valueChanged.connect(self._suggest_preset)
        self.preset.currentIndexChanged.connect(self._show_summary)
        self.name.returnPressed.connect(self.add_child)
        self._build_layout()
        self.show_accounts(wizard.system_accounts)

    def show_accounts(self, accounts: list[str]) -> None:
        """List ``accounts`` to tick (the wizard looks them up off the UI thread), keeping what is ticked."""
        ticked = set(self.checked_accounts())
        self.accounts.clear()
        for account in accounts:
            item = QListWidgetItem(account)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if account in ticked else Qt.CheckState.Unchecked)
            self.accounts.addItem(item)
        self.accounts.setVisible(bool(accounts))
        self.labels["accounts"].setVisible(bool(accounts))

    def _build_layout(self) -> None:
        self.labels = {key: QLabel() for key in ("name", "age", "preset", "accounts", "other", "added")}
        form = QFormLayout()
        form.addRow(self.labels["name"], self.name)
        form.addRow(self.labels["age"], self.age)
        form.addRow(self.labels["preset"], self.preset)
        form.addRow("", self.summary)
        form.addRow(self.labels["accounts"], self.accounts)
        form.addRow(self.labels["other"], self.other_accounts)
        for key, widget in (
            ("name", self.name),
            ("age", self.age),
            ("preset", self.preset),
            ("accounts", self.accounts),
            ("other", self.other_accounts),
        ):
            self.labels[key].setBuddy(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        added = QHBoxLayout()
        added.addWidget(self.children_list, 1)
        added.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = _scrolling(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.labels["added"])
        layout.addLayout(added, 1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your children"))
        self.setSubTitle(
            self.tr(
                "Add each child who uses this computer. Rules suited to their age are suggested; you can change them later."
            )
        )
        texts = {
            "name": self.tr("&Name:"),
            "age": self.tr("A&ge:"),
            "preset": self.tr("&Rules:"),
            "accounts": self.tr("Computer a&ccounts:"),
            "other": self.tr("&Other account names:"),
            "added": self.tr("Children added:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.name.setAccessibleName(self.tr("Child's name"))
        self.age.setAccessibleName(self.tr("Child's age"))
        self.age.setSuffix(self.tr(" years"))
        self.preset.setAccessibleName(self.tr("Suggested rules"))
        self.accounts.setAccessibleName(self.tr("Computer accounts this child uses"))
        self.other_accounts.setAccessibleName(self.tr("Other account names"))
        self.other_accounts.setPlaceholderText(self.tr("Account names, separated by commas"))
        self.add_button.setText(self.tr("&Add child"))
        self.remove_button.setText(self.tr("Re&move"))
        self.children_list.setAccessibleName(self.tr("Children added"))
        self._fill_presets()
        self._refresh_children()

    def _fill_presets(self) -> None:
        lang = self._wizard.language
        chosen = self.preset.currentData()
        self.preset.blockSignals(True)
        self.preset.clear()
        for preset in self._wizard.presets:
            self.preset.addItem(
                self.tr("{name} ({low}–{high} years)").format(
                    name=preset.name.get(lang, preset.id), low=preset.min_age, high=preset.max_age
                ),
                preset.id,
            )
        self.preset.addItem(self.tr("No limits for now"), None)
        self.preset.blockSignals(False)
        if chosen is not None:
            self.preset.setCurrentIndex(max(0, self.preset.findData(chosen)))
        else:
            self._suggest_preset(self.age.value())
        self._show_summary()

    def _suggest_preset(self, age: int) -> None:
        preset = preset_for_age(self._wizard.presets, age)
        index = self.preset.findData(preset.id) if preset else self.preset.count() - 1
        self.preset.setCurrentIndex(max(0, index))

    def _show_summary(self) -> None:
        preset = self._wizard.preset_by_id(self.preset.currentData())
        if preset is None:
            self.summary.setText(self.tr("No limits: Guardian only records time until you add rules."))
        else:
            self.summary.setText(preset.summary.get(self._wizard.language, preset.summary["en"]))

    def checked_accounts(self) -> tuple[str, ...]:
        items = (self.accounts.item(i) for i in range(self.accounts.count()))
        chosen = [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]
        return tuple(dict.fromkeys([*chosen, *split_accounts(self.other_accounts.text())]))

    def current_draft(self) -> ChildDraft:
        return ChildDraft(
            self.name.text().strip(), self.age.value(), self.checked_accounts(), self.preset.currentData()
        )

    def add_child(self) -> bool:
        draft = self.current_draft()
        problem = draft_problem(self.drafts, draft)
        if problem is not None:
            self.problem.setText(self._problem_text(problem))
            return False
        self.drafts.append(draft)
        self.problem.clear()
        self.name.clear()
        self.other_accounts.clear()
        for i in range(self.accounts.count()):
            self.accounts.item(i).setCheckState(Qt.CheckState.Unchecked)
        self._refresh_children()
        self.completeChanged.emit()
        self.name.setFocus()
        return True

    def remove_selected(self) -> None:
        row = self.children_list.currentRow()
        if 0 <= row < len(self.drafts):
            del self.drafts[row]
            self._refresh_children()
            self.completeChanged.emit()

    def _problem_text(self, problem: str) -> str:
        if problem.startswith("account:"):
            account = problem.removeprefix("account:")
            return self.tr("The account {account} already belongs to another child.").format(account=account)
        messages = {
            "name": self.tr("Type the child's name first."),
            "age": self.tr("Choose an age from 0 to 17."),
            "duplicate": self.tr("There is already a child with that name."),
        }
        return messages.get(problem, "")

    def _refresh_children(self) -> None:
        self.children_list.clear()
        lang = self._wizard.language
        for draft in self.drafts:
            preset = self._wizard.preset_by_id(draft.preset)
            rules = preset.name.get(lang, preset.id) if preset else self.tr("no limits")
            accounts = ", ".join(draft.accounts) or self.tr("no account yet")
            self.children_list.addItem(
                self.tr("{name} ({age}) · {rules} · {accounts}").format(
                    name=draft.name, age=draft.age, rules=rules, accounts=accounts
                )
            )
        self.children_list.doItemsLayout()

    def isComplete(self) -> bool:
        return bool(self.drafts)

    def validatePage(self) -> bool:
        """A child typed but not yet added is added on Next, so it is never lost."""
        if self.name.text().strip():
            return self.add_child()
        return bool(self.drafts)


class ReviewPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Check the rules"))
        self.setSubTitle(
            self.tr("This is what Guardian will do. You can change any rule later in the console.")
        )
        self.text.setAccessibleName(self.tr("The rules in plain words"))
        self.refresh()

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        lang = self._wizard.language
        names = {app.id: display_name(app) for app in builtin_apps()}
        parts = []
        for child in self._wizard.planned_children():
            lines = describe_child(child, lang, app_name=names.get)
            items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            parts.append(f"<h3>{html.escape(child_heading(child))}</h3><ul>{items}</ul>")
        self.text.setHtml("".join(parts))

    def plain_text(self) -> str:
        return self.text.toPlainText()


class WarningsPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.admin = _heading("")
        self.admin.setTextFormat(Qt.TextFormat.RichText)
        self.service = _heading("")
        self.ready = _heading("")
        self.error = _heading("")
        self.admins: list[str] = []
        """The children's accounts that are administrators, as last looked up (on a pool thread)."""
        self._asked: tuple[str, ...] | None = None
        self.checking = False
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        for label in (self.admin, self.service, self.ready, self.error):
            layout.addWidget(label)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Before you finish"))
        self.setSubTitle(self.tr("A few things that make Guardian harder to get around."))
        self.service.setText(
            self.tr(
                "Guardian is not installed as a protected service on this computer yet, so it runs inside the child's own session. A child who knows how could close it; Guardian will record the gap and show it in your weekly summary."
            )
        )
        self.ready.setText(self.tr("Press Finish to save the PINs and the rules."))
        self.refresh()

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the administrator warning; when the children's accounts changed, look them up again off the
        UI thread (the platform may ask the system's groups or run a command) and show it when answered."""
        drafts = tuple(self._wizard.children_page.drafts)
        accounts = tuple(a for d in drafts for a in d.accounts)
        if accounts != self._asked:
            self._asked, self.checking = accounts, True
            is_admin = self._wizard.is_admin
            run_job(
                lambda: admin_accounts(drafts, is_admin),
                lambda found: self._admins_found(accounts, found),
                lambda exc: self._admins_found(accounts, []),
                context=self,
            )
        self._show_admins()

    def _admins_found(self, accounts: tuple[str, ...], found: list[str]) -> None:
        if accounts == self._asked:  # not an answer for accounts changed since
            self.admins, self.checking = found, False
            self._show_admins()

    def _show_admins(self) -> None:
        admins = [] if self.checking else self.admins
        self.admin.setVisible(bool(admins))
        if not admins:
            return
        lines = [
            self.tr(
                "⚠ The account <b>{account}</b> is an administrator: it could stop Guardian or change its rules."
            ).format(account=html.escape(account))
            + "<br>"
            + self.fix_hint(account)
            for account in admins
        ]
        self.admin.setText("<br><br>".join(lines))

    def fix_hint(self, account: str) -> str:
        name = html.escape(account)
        if sys.platform.startswith("win"):
            text = self.tr(
                "Fix: Settings → Accounts → Other users → {account} → Change account type → Standard User."
            )
        elif sys.platform == "darwin":
            text = self.tr(
                "Fix: System Settings → Users & Groups → {account} → turn off “Allow this user to administer this computer”."
            )
        else:
            text = self.tr(
                "Fix: make the account a standard user, for example with: sudo gpasswd -d {account} sudo"
            )
        return text.format(account=name)


class FirstRunWizard(QWizard):
    """The five-minute setup for a parent who has never configured software."""

    setup_completed = Signal()
    """The PINs and rules are saved; the console can open its main pages."""

    def __init__(
        self,
        ctx: ConsoleContext,
        *,
        presets: tuple[Preset, ...] | None = None,
        accounts: list[str] | None = None,
        is_admin: IsAdmin | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.language = ctx.language if ctx.language in i18n.LANGUAGES else "vi"
        self.presets = presets if presets is not None else load_presets()
        self.system_accounts = accounts if accounts is not None else []
        self.is_admin: IsAdmin = is_admin or computer.is_admin
        self.base_rules: Rules | None = None
        """The rules the setup starts from, once read on the reader thread."""
        self.saving = False
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(720, 420)  # a laptop at 150 %; the children page scrolls when it needs more
        self.language_page = LanguagePage(self)
        self.pin_page = PinPage()
        self.children_page = ChildrenPage(self)
        self.review_page = ReviewPage(self)
        self.warnings_page = WarningsPage(self)
        self.pages = (
            self.language_page,
            self.pin_page,
            self.children_page,
            self.review_page,
            self.warnings_page,
        )
        for page in self.pages:
            self.addPage(page)
        self.language_page.radios[self.language].setChecked(True)
        self.set_language(self.language)
        if accounts is None:
            run_job(system_accounts, self._accounts_found, self._accounts_failed, context=self)
        ctx.read(lambda api: api.rules(), self._rules_read, self._rules_failed, context=self)

    @property
    def busy(self) -> bool:
        """The starting rules are not read yet, or the setup is being saved."""
        return self.base_rules is None or self.saving

    def _accounts_found(self, accounts: list[str]) -> None:
        self.system_accounts = accounts
        self.children_page.show_accounts(accounts)

    def _accounts_failed(self, exc: BaseException) -> None:
        log.warning("this computer's accounts could not be listed: %s", exc)  # typed names still work

    def _rules_read(self, rules: Rules) -> None:
        self.base_rules = rules
        self.review_page.refresh()

    def _rules_failed(self, exc: BaseException) -> None:
        log.warning("the current rules could not be read for the set-up: %s", exc)
        self._rules_read(Rules())  # Finish reads them again, and says so if it cannot

    def set_language(self, language: str) -> None:
        """Switch the whole application's language now and retranslate every page."""
        self.language = language
        i18n.install(language)
        self.ctx.language = language
        self.retranslate()
        self.ctx.language_changed.emit(language)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up Guardian"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        for page in self.pages:
            page.retranslate()

    def preset_by_id(self, preset_id: str | None) -> Preset | None:
        return next((p for p in self.presets if p.id == preset_id), None)

    def planned_children(self) -> tuple[Child, ...]:
        drafts = self.children_page.drafts
        rules = build_rules(self.base_rules or Rules(), drafts, self.presets)
        names = {d.name.casefold() for d in drafts}
        return tuple(c for c in rules.children if c.name.casefold() in names)

    def plan(self) -> SetupPlan:
        caregiver = self.pin_page.caregiver_pin.text() or None
        return SetupPlan(
            self.language, self.pin_page.parent_pin.text(), caregiver, tuple(self.children_page.drafts)
        )

    def accept(self) -> None:
        """Save the PINs, the rules and the language on the writer thread; the buttons wait until it is done,
        and a second press of Finish does nothing."""
        if self.saving:
            return
        plan, presets, current = self.plan(), self.presets, self.ctx.pin
        self._set_saving(True)
        self.ctx.write(
            lambda api: apply_setup(api, plan, presets, current_pin=current),
            lambda _result: self._saved(plan),
            self._save_failed,
            context=self,
        )

    def reject(self) -> None:
        if not self.saving:  # Cancel (or Escape) while saving would leave half a set-up behind the window
            super().reject()

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(not saving)
        self.warnings_page.error.setText(
            QCoreApplication.translate("FirstRunWizard", "Saving…") if saving else ""
        )

    def _saved(self, plan: SetupPlan) -> None:
        self._set_saving(False)
        self.ctx.role, self.ctx.pin = "parent", plan.parent_pin
        self.ctx.data_changed.emit()
        self.setup_completed.emit()
        super().accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        self.warnings_page.error.setText(
            QCoreApplication.translate("FirstRunWizard", "Guardian could not save the setup: {error}").format(
                error=exc
            )
        )
