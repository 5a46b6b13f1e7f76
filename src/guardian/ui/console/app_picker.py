"""Choosing apps for rules: the catalog with accent-insensitive search, recently used apps, custom apps.

``AppPickerDialog`` returns refs (app ids or ``category:NAME``) and any custom apps it created; the
caller adds those apps to its draft rules. ``AppPickerPage`` is the console's "Apps" page: the family's
custom apps, with add, edit and remove (each change is saved at once).

A custom app's id must differ from every app's id, and a program's app carries its file's SHA-256: both are
worked out off the UI thread (a :data:`PendingApp` runs on a pool thread for the dialog, on the writer thread
for the page), as is the list of running programs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guardian import computer
from guardian.api import GuardianAPI
from guardian.core.catalog import CATEGORIES
from guardian.core.hashing import file_sha256
from guardian.core.model import CATEGORY_PREFIX, App, Rules
from guardian.errors import GuardianError
from guardian.ui.console import rules_model as rm
from guardian.ui.console.app_names import display_name
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.rules_labels import category_label, label_buttons
from guardian.ui.jobs import run_job

log = logging.getLogger("guardian.ui")

RECENT_DAYS = 14
RECENT_SHOWN = 8
REF_ROLE = Qt.ItemDataRole.UserRole
_SYSTEM_DIRS = ("/usr/lib/", "/usr/libexec/", "/lib/", "/sbin/", "/usr/sbin/", "c:/windows/")
_BACKGROUND = frozenset(
    {"bash", "sh", "zsh", "fish", "dbus-daemon", "systemd", "sshd", "python", "python3", "conhost.exe"}
)


def category_icon(category: str) -> QIcon:
    """The theme's icon for a category when the theme module provides one."""
    try:
        from guardian.ui import theme

        icon = getattr(theme, "icon", None)
        return icon(f"category-{category}") if callable(icon) else QIcon()
    except Exception:
        return QIcon()


def is_gui_like(name: str, exe: str) -> bool:
    """Whether a process looks like a program a child runs (not a shell, daemon or system helper)."""
    path = exe.replace("\\", "/").casefold()
    return bool(exe) and name.casefold() not in _BACKGROUND and not path.startswith(_SYSTEM_DIRS)


def running_programs() -> list[tuple[str, str]]:
    """Name and executable path of the current user's programs, one row per executable."""
    found: dict[str, str] = {}
    for name, exe in computer.my_programs():
        if is_gui_like(name, exe):
            found.setdefault(exe, name)
    return sorted(((name, exe) for exe, name in found.items()), key=lambda row: row[0].casefold())


def recent_refs(api: GuardianAPI, child: str | None = None) -> list[str]:
    """App ids used on this computer in the last two weeks, most used first (a two-week report: the
    picker reads it on the console's reader thread)."""
    last = api.today()
    try:
        report = api.report(last - timedelta(days=RECENT_DAYS - 1), last, child)
    except GuardianError:
        report = api.report(last - timedelta(days=RECENT_DAYS - 1), last)
    return rm.recent_app_ids(report, child)


class WebsiteDialog(QDialog):
    """Name, window-title patterns and category of a website app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a website"))
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Website name"))
        self.patterns = QLineEdit()
        self.patterns.setPlaceholderText("*YouTube*, *youtube.com*")
        self.patterns.setAccessibleName(self.tr("Window titles"))
        self.category = _category_combo()
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Window titles:"), self.patterns)
        form.addRow(self.tr("&Category:"), self.category)
        hint = QLabel(
            self.tr(
                "Guardian recognises the site by the browser's window title. Use * for any text, "
                "for example *YouTube*. Separate several patterns with commas."
            )
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        label_buttons(buttons, self.tr("OK"), self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, list[str], str]:
        patterns = [p.strip() for p in self.patterns.text().split(",") if p.strip()]
        return self.name.text().strip(), patterns, self.category.currentData()


class RunningProgramDialog(QDialog):
    """Pick one of the current user's running programs."""

    def __init__(self, programs: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose a running program"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Running programs"))
        for name, exe in programs:
            item = QListWidgetItem(f"{name}\n{exe}")
            item.setData(REF_ROLE, exe)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        label_buttons(buttons, self.tr("OK"), self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Start the program on this computer, then choose it here.")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def chosen_path(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(REF_ROLE)) if item is not None else None


def _category_combo(*, all_text: str | None = None) -> QComboBox:
    combo = QComboBox()
    if all_text is not None:
        combo.addItem(all_text, None)
    for category in (*CATEGORIES, "other"):
        combo.addItem(category_icon(category), category_label(category), category)
    return combo


PendingApp = Callable[[Iterable[str]], App]
"""A custom app, given the ids already taken; it may read a program's file, so it runs off the UI thread."""


def program_app(path: str) -> PendingApp:
    """The custom app for the program at ``path`` (its file is hashed when the app is made)."""
    return lambda taken: rm.exe_app(path, file_sha256(path), taken)


class CustomAppMaker:
    """Asks for a custom app from a file, a running program or a website (shared by dialog and page) and
    hands it to ``chosen`` as a :data:`PendingApp`; ``busy(note)`` tells while the running programs are
    listed off the UI thread (an empty note: done)."""

    def __init__(
        self, parent: QWidget, chosen: Callable[[PendingApp], object], busy: Callable[[str], None]
    ) -> None:
        self.parent = parent
        self.chosen = chosen
        self.busy = busy
        self.listing = False

    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, QCoreApplication.translate("AppPickerDialog", "Choose a program"), str(Path.home())
        )
        if path:
            self.chosen(program_app(path))

    def ask_running(self) -> None:
        """List the running programs on a pool thread, then let the parent choose one."""
        if self.listing:
            return
        self.listing = True
        self.busy(QCoreApplication.translate("AppPickerDialog", "Listing the running programs…"))
        run_job(running_programs, self._listed, self._not_listed, context=self.parent)

    def _listed(self, programs: list[tuple[str, str]]) -> None:
        self.listing = False
        self.busy("")
        dialog = RunningProgramDialog(programs, self.parent)
        path = dialog.chosen_path() if dialog.exec() == QDialog.DialogCode.Accepted else None
        if path:
            self.chosen(program_app(path))

    def _not_listed(self, exc: BaseException) -> None:
        self.listing = False
        self.busy(
            QCoreApplication.translate(
                "AppPickerDialog", "Could not list the running programs: {error}"
            ).format(error=exc)
        )

    def ask_website(self) -> None:
        dialog = WebsiteDialog(self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, patterns, category = dialog.values()
        if name and patterns:
            self.chosen(lambda taken: rm.website_app(name, patterns, taken, category=category))


class AppPickerDialog(QDialog):
    """Search the catalog and choose apps or whole categories; ``selected_refs()`` after ``exec()``."""

    def __init__(
        self,
        ctx: ConsoleContext,
        parent: QWidget | None = None,
        *,
        rules: Rules | None = None,
        child: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rules = rules if rules is not None else Rules()
        self._new_apps: list[App] = []
        self.making = False
        """A custom app is being made off the UI thread (its program's file hashed)."""
        self._maker = CustomAppMaker(self, self.make_app, self._say)
        self.setWindowTitle(self.tr("Choose apps"))
        self._build()
        if rules is None:  # read on the reader thread; the built-in catalog is listed meanwhile
            self.ctx.read(lambda api: api.rules(), self._rules_read, self._no_rules, context=self)
        self._fill_recent(child)
        self.refresh()

    adopted = Signal(object)
    """A custom app made off the UI thread is added to the list and selected."""

    def _rules_read(self, rules: Rules) -> None:
        self._rules = rules
        self.refresh()

    def _no_rules(self, exc: BaseException) -> None:
        log.warning("the rules could not be read for the app picker: %s", exc)

    # -- layout --

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search apps, for example Roblox or Cốc Cốc"))
        self.search.setAccessibleName(self.tr("Search apps"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.category = _category_combo(all_text=self.tr("All categories"))
        self.category.setAccessibleName(self.tr("Category"))
        self.category.currentIndexChanged.connect(self.refresh)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 3)
        search_row.addWidget(self.category, 2)
        self.results = self._list(self.tr("Apps in the catalog"))
        self.recent = self._list(self.tr("Apps used on this computer recently"))
        self.recent.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(search_row)
        layout.addWidget(self.results, 1)
        recent_label = QLabel(self.tr("Apps used on this computer recently"))
        recent_label.setBuddy(self.recent)
        layout.addWidget(recent_label)
        layout.addWidget(self.recent)
        layout.addLayout(self._custom_buttons())
        self.hint = QLabel()
        self.hint.setProperty("role", "error")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add selected"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 620)

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        widget.itemDoubleClicked.connect(lambda _item: self.accept())
        return widget

    def _custom_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.custom_buttons: list[QPushButton] = []
        for text, slot in (
            (self.tr("Add a program &file…"), self._maker.ask_file),
            (self.tr("Add a &running program…"), self._maker.ask_running),
            (self.tr("Add a &website…"), self._maker.ask_website),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.custom_buttons.append(button)
        row.addStretch(1)
        return row

    # -- content --

    def _all_apps(self) -> list[App]:
        rules = replace(self._rules, apps=(*self._rules.apps, *self._new_apps))
        return [replace(app, name=display_name(app)) for app in self.ctx.api.catalog(rules).apps()]

    def _item(self, ref: str, text: str, category: str) -> QListWidgetItem:
        item = QListWidgetItem(category_icon(category), text)
        item.setData(REF_ROLE, ref)
        return item

    def refresh(self) -> None:
        """Show the apps matching the search text and category."""
        category = self.category.currentData()
        query = self.search.text()
        self.results.clear()
        for cat in CATEGORIES if category is None else (category,):
            label = category_label(cat)
            if all(w in rm.fold(label) or w in cat for w in rm.fold(query).split()):
                text = self.tr("Every app in: {category}").format(category=label)
                self.results.addItem(self._item(CATEGORY_PREFIX + cat, text, cat))
        for app in rm.search_apps(self._all_apps(), query, category):
            text = f"{app.name}  ·  {category_label(app.category)}"
            self.results.addItem(self._item(app.id, text, app.category))

    def _fill_recent(self, child: str | None) -> None:
        """Ask for the recently used apps; they are listed when the reader thread has them."""
        self.recent_loaded = False
        self.ctx.read(lambda api: recent_refs(api, child), self._show_recent, self._no_recent, context=self)

    def _show_recent(self, refs: list[str]) -> None:
        names = {a.id: a for a in self._all_apps()}
        for ref in refs[:RECENT_SHOWN]:
            if ref in names:
                app = names[ref]
                self.recent.addItem(self._item(ref, app.name, app.category))
        self.recent_loaded = True

    def _no_recent(self, exc: BaseException) -> None:
        log.warning("the recently used apps could not be read: %s", exc)
        self.recent_loaded = True

    # -- custom apps --

    @property
    def busy(self) -> bool:
        """A custom app is being made, the running programs listed, or the recent apps read."""
        return self.making or self._maker.listing or not self.recent_loaded

    def _say(self, note: str) -> None:
        self.hint.setText(note)
        self.hint.setVisible(bool(note))
        for button in self.custom_buttons:
            button.setEnabled(not self.making and not self._maker.listing)

    def make_app(self, pending: PendingApp) -> bool:
        """Make ``pending`` on a pool thread (a program's file is hashed there), then add and select it
        (``adopted`` tells); False while another is being made."""
        if self.making:
            return False
        taken = [a.id for a in self._all_apps()]  # built from the rules in hand: no read
        self.making = True
        self._say(self.tr("Reading the program…"))
        run_job(lambda: pending(taken), self._adopt, self._not_made, context=self)
        return True

    def _not_made(self, exc: BaseException) -> None:
        self.making = False
        self._say(self.tr("Could not add it: {error}").format(error=exc))

    def _adopt(self, app: App) -> None:
        self.making = False
        self._say("")
        self._new_apps.append(app)
        self.refresh()
        self.select_refs([app.id])
        self.adopted.emit(app)

    def add_exe_app(self, path: str) -> bool:
        """Add a custom app for an executable (its SHA-256 is captured off the UI thread) and select it;
        ``adopted(app)`` tells when it is in."""
        return self.make_app(program_app(path))

    def add_website_app(self, name: str, patterns: list[str], category: str = "video") -> App:
        app = rm.website_app(name, patterns, [a.id for a in self._all_apps()], category=category)
        self._new_apps.append(app)
        self.refresh()
        self.select_refs([app.id])
        return app

    # -- selection --

    def set_query(self, text: str) -> None:
        self.search.setText(text)

    def set_category(self, category: str | None) -> None:
        self.category.setCurrentIndex(max(0, self.category.findData(category)))

    def visible_refs(self) -> list[str]:
        return [self.results.item(i).data(REF_ROLE) for i in range(self.results.count())]

    def visible_names(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def select_refs(self, refs: Iterable[str]) -> None:
        wanted = set(refs)
        for widget in (self.results, self.recent):
            for i in range(widget.count()):
                item = widget.item(i)
                if item.data(REF_ROLE) in wanted:
                    item.setSelected(True)

    def selected_refs(self) -> list[str]:
        refs = [item.data(REF_ROLE) for w in (self.results, self.recent) for item in w.selectedItems()]
        return list(dict.fromkeys(refs))

    def accept(self) -> None:
        """Add what is selected; with nothing selected, the first match of the search (Enter in the search
        field adds it). With no match either, stay open and say so, rather than close having added nothing.
        While a program is still being read, stay open too: closing would lose it."""
        if self.making:
            return
        if not self.selected_refs() and self.search.text().strip() and self.results.count():
            self.results.item(0).setSelected(True)
        if not self.selected_refs():
            self.hint.setText(
                self.tr(
                    "No app matches “{text}”. Try another name, or add the program or website below."
                ).format(text=self.search.text().strip())
                if self.search.text().strip()
                else self.tr("Choose an app in the list first.")
            )
            self.hint.show()
            return
        super().accept()

    def new_apps(self) -> list[App]:
        """Custom apps created here that a selected ref uses (add them to the rules)."""
        chosen = set(self.selected_refs())
        return [app for app in self._new_apps if app.id in chosen]


class CustomAppDialog(QDialog):
    """Rename a custom app or change its category."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit app"))
        self.name = QLineEdit(app.name)
        self.name.setAccessibleName(self.tr("App name"))
        self.category = _category_combo()
        self.category.setCurrentIndex(max(0, self.category.findData(app.category)))
        form = QFormLayout(self)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Category:"), self.category)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        label_buttons(buttons, self.tr("OK"), self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AppPickerPage(QWidget):
    """The console's Apps page: the family's own apps, beside the built-in catalog."""

    def __init__(self, ctx: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._maker = CustomAppMaker(self, self.add_pending, self._listing)
        title = QLabel(self.tr("Your own apps"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        intro = QLabel(
            self.tr(
                "Guardian already knows hundreds of apps. Add a program or website it does not know, "
                "then use it in any child's rules."
            )
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Category"), self.tr("Recognised by")])
        self.tree.setAccessibleName(self.tr("Your own apps"))
        self.tree.setRootIsDecorated(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addLayout(self._buttons())
        layout.addWidget(self.message)
        self.rules = Rules()
        """The rules as last read on the context's reader thread."""
        self._out = 0
        ctx.data_changed.connect(self.refresh)
        self.refresh()

    saved = Signal(bool)
    """A change came back from the writer thread: whether it was stored."""

    @property
    def busy(self) -> bool:
        """A read or a save is out on the context's threads, or the running programs are being listed."""
        return self._out > 0 or self._maker.listing

    def _listing(self, note: str) -> None:
        self.message.setText(note)
        self._enable()

    def _buttons(self) -> QVBoxLayout:
        """Adding on one row, editing on the next: five buttons in one row would not fit a laptop at 150 %."""
        rows = QVBoxLayout()
        row = QHBoxLayout()
        rows.addLayout(row)
        self._editing: list[QPushButton] = []
        for text, slot in (
            (self.tr("Add a program &file…"), self._maker.ask_file),
            (self.tr("Add a &running program…"), self._maker.ask_running),
            (self.tr("Add a &website…"), self._maker.ask_website),
            (self.tr("&Edit…"), self._edit_current),
            (self.tr("Re&move"), self._remove_current),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            if len(self._editing) == 3:
                row.addStretch(1)
                row = QHBoxLayout()
                rows.addLayout(row)
            row.addWidget(button)
            self._editing.append(button)
        row.addStretch(1)
        return rows

    def refresh(self) -> None:
        """Read the rules again (off the UI thread), then list the family's apps."""
        self._out += 1
        self.ctx.read(lambda api: api.rules(), self._rules_read, self._failed, context=self)

    def _failed(self, exc: BaseException) -> None:
        self._out -= 1
        self._enable()
        self.message.setText(self.tr("Could not save: {reason}").format(reason=str(exc)))

    def _enable(self) -> None:
        for button in self._editing:
            button.setEnabled(self.ctx.is_parent and not self.busy)

    def _rules_read(self, rules: Rules) -> None:
        self._out -= 1
        self.rules = rules
        self.tree.clear()
        for app in rules.apps:
            item = QTreeWidgetItem([app.name, category_label(app.category), self._matched_by(app)])
            item.setData(0, REF_ROLE, app.id)
            item.setIcon(0, category_icon(app.category))
            self.tree.addTopLevelItem(item)
        self._enable()
        if not self.ctx.is_parent:
            self.message.setText(self.tr("Only a parent can change apps."))

    def _matched_by(self, app: App) -> str:
        m = app.match
        parts = [*m.exe_names, *m.window_titles]
        if m.sha256:
            parts.append(self.tr("file fingerprint"))
        return ", ".join(parts)

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, REF_ROLE) if item is not None else None

    def _store(self, change: Callable[[GuardianAPI, Rules], Rules]) -> bool:
        """Apply ``change`` to the stored rules and save them, on the writer thread (PIN check included);
        ``saved`` tells how it went. The buttons wait disabled meanwhile; changes sent one after another are
        applied in turn, each to the rules stored then."""
        pin = self.ctx.pin
        self._out += 1
        self._enable()
        self.message.setText(self.tr("Saving…"))
        self.ctx.write(
            lambda api: rm.save(api, change(api, api.rules()), pin),
            self._stored,
            self._store_failed,
            context=self,
        )
        return True

    def _stored(self, _result: object) -> None:
        self._out -= 1
        self._enable()
        self.message.setText(self.tr("Saved."))
        self.ctx.data_changed.emit()
        self.saved.emit(True)

    def _store_failed(self, exc: BaseException) -> None:
        self._failed(exc)
        self.saved.emit(False)

    def add(self, app: App) -> bool:
        return self._store(lambda _api, rules: rm.upsert_app(rules, app))

    def add_pending(self, pending: PendingApp) -> bool:
        """Make ``pending`` and save it on the writer thread: its id is checked against the catalog of the
        rules stored then, and a program's file is hashed there."""
        return self._store(lambda api, rules: rm.upsert_app(rules, pending(api.catalog(rules).ids())))

    def add_exe(self, path: str) -> bool:
        return self.add_pending(program_app(path))

    def rename(self, app_id: str, name: str, category: str) -> bool:
        def renamed(rules: Rules) -> Rules:
            app = next(a for a in rules.apps if a.id == app_id)
            return rm.upsert_app(rules, replace(app, name=name.strip() or app.name, category=category))

        return self._store(lambda _api, rules: renamed(rules))

    def remove(self, app_id: str) -> bool:
        return self._store(lambda _api, rules: rm.remove_app(rules, app_id))

    def _edit_current(self) -> None:
        app_id = self.current_id()
        app = next((a for a in self.rules.apps if a.id == app_id), None)
        if app is None:
            return
        dialog = CustomAppDialog(app, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.rename(app.id, dialog.name.text(), dialog.category.currentData())

    def _remove_current(self) -> None:
        app_id = self.current_id()
        if app_id is not None:
            self.remove(app_id)
