"""The Web page: one child's web protection (categories, SafeSearch, YouTube, allowed and blocked sites) and
the parents' imported category lists. Slots are thin; the decisions live in ``web_logic``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.core.model import Rules
from guardian.core.webfilter import CATEGORIES, YOUTUBE_MODES
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.web_logic import WebForm, WebFormError, apply_form, form_for, site_name


class SiteList(QWidget):
    """A list of sites with a box to add one and a button to remove the selected one."""

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.problem = ""
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(title))
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setMaximumHeight(110)
        col.addWidget(self.list)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("example.com")
        self.entry.setAccessibleName(title)
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        col.addLayout(row)
        self.entry.returnPressed.connect(self.add)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)

    def sites(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).text() for i in range(self.list.count()))

    def set_sites(self, sites: tuple[str, ...]) -> None:
        self.list.clear()
        self.list.addItems(list(sites))

    def add(self) -> bool:
        try:
            name = site_name(self.entry.text())
        except WebFormError:
            self.problem = "site"
            return False
        self.problem = ""
        if name not in self.sites():
            self.list.addItem(name)
        self.entry.clear()
        return True

    def remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))


class WebPage(QWidget):
    def __init__(self, ctx: ConsoleContext) -> None:
        super().__init__()
        self.ctx = ctx
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        col = QVBoxLayout(body)
        title = QLabel(self.tr("Web protection"))
        title.setProperty("role", "title")
        col.addWidget(title)
        intro = QLabel(
            self.tr(
                "Guardian filters the web for each child on this computer, with no online service. It records"
                " only how many lookups were blocked of each kind, never which sites."
            )
        )
        intro.setWordWrap(True)
        col.addWidget(intro)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Child:")))
        self.child = QComboBox()
        self.child.setAccessibleName(self.tr("Child"))
        row.addWidget(self.child, 1)
        col.addLayout(row)
        self.enabled = QCheckBox(self.tr("Protect this child on the web"))
        col.addWidget(self.enabled)

        self.options = QWidget()
        opts = QVBoxLayout(self.options)
        opts.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox(self.tr("Block these kinds of sites"))
        grid = QGridLayout(box)
        self.categories: dict[str, QCheckBox] = {}
        for i, category in enumerate(CATEGORIES):
            check = QCheckBox(self.category_label(category))
            self.categories[category] = check
            grid.addWidget(check, i // 2, i % 2)
        opts.addWidget(box)
        self.safesearch = QCheckBox(self.tr("Force SafeSearch on Google, Bing and DuckDuckGo"))
        opts.addWidget(self.safesearch)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("YouTube Restricted Mode:")))
        self.youtube = QComboBox()
        self.youtube.setAccessibleName(self.tr("YouTube Restricted Mode"))
        for mode in YOUTUBE_MODES:
            self.youtube.addItem(self.youtube_label(mode), mode)
        row.addWidget(self.youtube, 1)
        opts.addLayout(row)
        sites = QHBoxLayout()
        self.allow = SiteList(self.tr("Always allowed sites"), self)
        self.block = SiteList(self.tr("Always blocked sites"), self)
        sites.addWidget(self.allow)
        sites.addWidget(self.block)
        opts.addLayout(sites)
        col.addWidget(self.options)

        lists = QGroupBox(self.tr("Lists of sites"))
        lcol = QVBoxLayout(lists)
        lnote = QLabel(
            self.tr(
                "Guardian comes with short lists. You can add a bigger list for a kind of site: a text file"
                " with one site a line, or a hosts file. It replaces the list you added before for that kind."
            )
        )
        lnote.setWordWrap(True)
        lcol.addWidget(lnote)
        lrow = QHBoxLayout()
        self.list_category = QComboBox()
        self.list_category.setAccessibleName(self.tr("Kind of site for the list"))
        for category in CATEGORIES:
            self.list_category.addItem(self.category_label(category), category)
        self.import_button = QPushButton(self.tr("Add a list…"))
        lrow.addWidget(self.list_category, 1)
        lrow.addWidget(self.import_button)
        lcol.addLayout(lrow)
        col.addWidget(lists)

        policy = QLabel(
            self.tr(
                "When Guardian is installed as a service it also sets Chrome, Edge and Firefox to use"
                " SafeSearch and not to bypass the filter. On Linux these browser settings apply to every"
                " account on this computer, yours too."
            )
        )
        policy.setWordWrap(True)
        policy.setProperty("role", "muted")
        col.addWidget(policy)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setProperty("role", "primary")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        col.addLayout(buttons)
        col.addStretch(1)

        self.child.currentIndexChanged.connect(self.load)
        self.enabled.toggled.connect(self.options.setEnabled)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self._choose_list)
        self.rules = Rules()
        """The rules as last read (or saved) on the context's threads."""
        self._out = 0
        self.reload_children()

    finished = Signal(str, bool)
    """A read or a change came back: which (``read``, ``save``, ``list``) and whether it succeeded."""

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
        write: bool = True,
    ) -> None:
        """``fn(api)`` on the writer (or reader) thread; Save and Add wait disabled until the answer."""
        self._out += 1
        self.save_button.setEnabled(False)
        self.import_button.setEnabled(False)
        if write:
            self.status.setText(self.tr("Saving…"))

        def answered(outcome: Callable[[Any], None], value: Any, success: bool) -> None:
            self._out -= 1
            self.save_button.setEnabled(not self.busy and bool(self.child.currentText()))
            self.import_button.setEnabled(not self.busy)
            outcome(value)
            self.finished.emit(name, success)

        run = self.ctx.write if write else self.ctx.read
        run(fn, lambda r: answered(ok, r, True), lambda e: answered(failed, e, False), context=self)

    # -- labels -------------------------------------------------------------------------------

    def category_label(self, category: str) -> str:
        return {
            "adult": self.tr("Adult content"),
            "gambling": self.tr("Betting and gambling"),
            "violence": self.tr("Violence and gore"),
            "scams": self.tr("Scams and phishing"),
            "proxies": self.tr("VPNs and proxies that get around the filter"),
            "social": self.tr("Social networks"),
            "games": self.tr("Games"),
            "video": self.tr("Video sites"),
        }[category]

    def youtube_label(self, mode: str) -> str:
        return {
            "strict": self.tr("Strict"),
            "moderate": self.tr("Moderate"),
            "off": self.tr("Off"),
        }[mode]

    # -- data ---------------------------------------------------------------------------------

    def reload_children(self) -> None:
        """Read the rules (on the reader thread), then list the children and show the first."""
        self._call(
            "read",
            lambda api: api.rules(),
            self._rules_read,
            lambda exc: self.status.setText(str(exc)),
            write=False,
        )

    def _rules_read(self, rules: Rules) -> None:
        self.rules = rules
        self.child.blockSignals(True)
        self.child.clear()
        for c in rules.children:
            self.child.addItem(c.name)
        self.child.blockSignals(False)
        self.load()

    def select_child(self, name: str) -> None:
        index = self.child.findText(name)
        if index >= 0:
            self.child.setCurrentIndex(index)

    def load(self) -> None:
        name = self.child.currentText()
        if not name:
            self.enabled.setEnabled(False)
            self.options.setEnabled(False)
            self.save_button.setEnabled(False)
            self.status.setText(self.tr("Add a child on the Rules page first."))
            return
        self.save_button.setEnabled(not self.busy)
        self.enabled.setEnabled(True)
        form = form_for(self.rules, name)
        self.enabled.setChecked(form.enabled)
        self.options.setEnabled(form.enabled)
        for category, check in self.categories.items():
            check.setChecked(category in form.categories)
        self.safesearch.setChecked(form.safesearch)
        self.youtube.setCurrentIndex(max(0, self.youtube.findData(form.youtube)))
        self.allow.set_sites(form.allow)
        self.block.set_sites(form.block)
        self.status.setText("")

    def current_form(self) -> WebForm:
        return WebForm(
            enabled=self.enabled.isChecked(),
            categories=frozenset(c for c, check in self.categories.items() if check.isChecked()),
            safesearch=self.safesearch.isChecked(),
            youtube=str(self.youtube.currentData()),
            allow=self.allow.sites(),
            block=self.block.sites(),
        )

    def save(self) -> bool:
        if self.allow.entry.text().strip() and not self.allow.add():
            self.status.setText(self.tr("Type a site like example.com."))
            return False
        if self.block.entry.text().strip() and not self.block.add():
            self.status.setText(self.tr("Type a site like example.com."))
            return False
        name, form, pin = self.child.currentText(), self.current_form(), self.ctx.pin

        def save(api: GuardianAPI) -> Rules:
            rules = apply_form(api.rules(), name, form)
            api.require_role("parent", pin)
            api.save_rules(rules, "console")
            return api.rules()

        self._call("save", save, self._saved, self._save_failed)
        return True

    def _saved(self, rules: Rules) -> None:
        self.rules = rules
        self.status.setText(self.tr("Saved. The filter uses it within a few seconds."))
        self.ctx.data_changed.emit()

    def _save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WebFormError):
            self.status.setText(self.tr("This child is no longer in the rules."))
        else:
            self.status.setText(str(exc))

    def _choose_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Add a list of sites"))
        if path:
            self.import_list(str(self.list_category.currentData()), Path(path))

    def import_list(self, category: str, path: Path) -> bool:
        """Add the sites of the file at ``path`` to ``category`` (read and stored on the writer thread)."""
        pin = self.ctx.pin
        self._call(
            "list",
            lambda api: api.import_web_list(category, path.read_bytes(), path.name, pin=pin),
            lambda count: self.status.setText(
                self.tr("Added %1 sites to the list “%2”.")
                .replace("%1", str(count))
                .replace("%2", self.category_label(category))
            ),
            lambda exc: self._list_failed(path, exc),
        )
        return True

    def _list_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            self.status.setText(
                self.tr("Could not read %1: %2").replace("%1", path.name).replace("%2", str(exc))
            )
        else:
            self.status.setText(str(exc))
