"""The console's main window: a sidebar of pages and a stacked area, locked until a PIN is given.

The window only assembles pages; each page is its own module. Pages written by others are imported
lazily, so the window works (and shows what exists) while some are missing. A caregiver sees only
the dashboard and the guide; rules, apps and settings pages are never even built for them.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guardian.api import GuardianAPI
from guardian.ui import i18n, theme
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.lock import LockPage

log = logging.getLogger("guardian.ui")

IDLE_LOCK_MS = 5 * 60 * 1000
DEFAULT_SIZE = (1100, 760)
MINIMUM_SIZE = (860, 440)
"""Small enough for a 1366×768 laptop at 150 % scaling (911×512 logical pixels less a panel and the title
bar); every page is checked to fit it under a long pseudo-translation. ``screen_fit`` shrinks the default
size to the screen."""
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


@dataclass(frozen=True)
class PageSpec:
    key: str
    icon: str
    module: str
    cls: str
    roles: frozenset[str]


PARENT_ONLY = frozenset({"parent"})
ANY_ROLE = frozenset({"parent", "caregiver"})
PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "dashboard", "dashboard", "DashboardPage", ANY_ROLE),
    PageSpec("summaries", "summaries", "summaries_page", "SummariesPage", ANY_ROLE),
    PageSpec("rules", "rules", "rules_editor", "RulesEditorPage", PARENT_ONLY),
    PageSpec("apps", "apps", "app_picker", "AppPickerPage", PARENT_ONLY),
    PageSpec("children", "children", "children_page", "ChildrenPage", PARENT_ONLY),
    PageSpec("web", "shield", "web_page", "WebPage", PARENT_ONLY),
    PageSpec("settings", "settings", "settings_page", "SettingsPage", PARENT_ONLY),
    PageSpec("guide", "guide", "guide", "GuidePage", ANY_ROLE),
)


def pages_for_role(role: str) -> list[PageSpec]:
    """The pages ``role`` may see, in sidebar order."""
    return [spec for spec in PAGES if role in spec.roles]


PageLoader = Callable[[str, str], Callable[[ConsoleContext], QWidget] | None]
"""``(module, class name)`` → a page class or None; tests pass their own."""


def load_page_class(module: str, cls: str) -> Callable[[ConsoleContext], QWidget] | None:
    """``guardian.ui.console.MODULE.CLS``, or None (logged as an error, with the traceback) when it fails."""
    try:
        found = getattr(importlib.import_module(f"guardian.ui.console.{module}"), cls)
    except Exception:
        log.exception("console page %s.%s failed to load and is left out of the sidebar", module, cls)
        return None
    if isinstance(found, type) and issubclass(found, QWidget):
        return found
    log.error("console page %s.%s is not a widget class and is left out of the sidebar", module, cls)
    return None


def needs_first_run(api: GuardianAPI) -> bool:
    """A fresh install: no children in the rules and no parent PIN."""
    return not api.rules().children and not api.has_pin("parent")


class ConsoleWindow(QMainWindow):
    """Sidebar plus pages; opens on the lock page (or the first-run wizard) and locks when idle."""

    def __init__(
        self,
        ctx: ConsoleContext,
        *,
        home: Path | None = None,
        idle_lock_ms: int = IDLE_LOCK_MS,
        first_run: bool = True,
        load_page: PageLoader | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.load_page = load_page or load_page_class
        self.home = home
        self.pages: dict[str, QWidget] = {}
        self.wizard: QWidget | None = None
        self.setWindowTitle("Guardian")
        self.setWindowIcon(theme.icon("shield", theme.ACCENT_LIGHT))
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_lock_ms = idle_lock_ms
        self.idle_timer.timeout.connect(self.lock)
        self._build()
        ctx.language_changed.connect(self.change_language)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.lock()
        if first_run and needs_first_run(ctx.api):
            self.show_wizard()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(theme.ICON_SIZE, theme.ICON_SIZE))
        self.sidebar.setAccessibleName(self.tr("Pages"))
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.lock_button = QPushButton(theme.icon("lock"), self.tr("&Lock"))
        self.lock_button.setAccessibleName(self.tr("Lock the console"))
        self.lock_button.clicked.connect(self.lock)
        self.side_panel = QWidget()
        side = QVBoxLayout(self.side_panel)
        side.setContentsMargins(theme.SPACE_M, theme.SPACE_L, theme.SPACE_M, theme.SPACE_L)
        side.setSpacing(theme.SPACE_M)
        side.addWidget(self.sidebar, 1)
        side.addWidget(self.lock_button)
        self.side_panel.setMinimumWidth(180)
        self.side_panel.setMaximumWidth(280)

        self.stack = QStackedWidget()
        self.lock_page = LockPage(self.ctx)
        self.lock_page.unlocked.connect(self.unlock)
        self.stack.addWidget(self.lock_page)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.side_panel)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _title(self, key: str) -> str:
        titles = {
            "dashboard": self.tr("Dashboard"),
            "summaries": self.tr("Summaries"),
            "rules": self.tr("Rules"),
            "apps": self.tr("Apps"),
            "children": self.tr("Children"),
            "web": self.tr("Web"),
            "settings": self.tr("Settings"),
            "guide": self.tr("Guide for parents"),
        }
        return titles[key]

    # -- locking ------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def unlock(self, role: str, pin: str) -> None:
        """Open the pages ``role`` may see (called by the lock page with the PIN that opened it)."""
        self.ctx.role = role
        self.ctx.pin = pin or None
        self._build_pages(role)
        self.side_panel.show()
        self.sidebar.setCurrentRow(0)
        self.idle_timer.start(self.idle_lock_ms)

    def lock(self) -> None:
        """Forget the PIN and role, drop every page, and show the lock page."""
        self.idle_timer.stop()
        self.ctx.pin = None
        self.ctx.role = ""
        self._drop_pages()
        self.side_panel.hide()
        self.lock_page.reset()
        self.stack.setCurrentWidget(self.lock_page)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start(self.idle_lock_ms)
        return super().eventFilter(watched, event)

    # -- pages --------------------------------------------------------------------------------

    def _build_pages(self, role: str) -> None:
        self._drop_pages()
        for spec in pages_for_role(role):
            page = self._make_page(spec)
            if page is None:
                continue
            self.pages[spec.key] = page
            page.setAccessibleName(self._title(spec.key))
            redrawn = getattr(page, "view_changed", None)  # a page that draws its data later (dashboard)
            if redrawn is not None:
                redrawn.connect(self._lock_button_last)
            self.stack.addWidget(page)
            item = QListWidgetItem(theme.icon(spec.icon), self._title(spec.key))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
        self._lock_button_last()

    def _lock_button_last(self) -> None:
        """Tab goes sidebar → the page's controls → Lock, although pages are built after the button."""
        last = self.previousInFocusChain()
        while last is not None and last is not self and last.focusPolicy() == Qt.FocusPolicy.NoFocus:
            last = last.previousInFocusChain()  # setTabOrder ignores widgets that never take focus
        if last is not None and last is not self and last is not self.lock_button:
            QWidget.setTabOrder(last, self.lock_button)

    def _make_page(self, spec: PageSpec) -> QWidget | None:
        if spec.key == "dashboard":
            from guardian.link import AgentLink
            from guardian.ui.console.dashboard import DashboardPage

            return DashboardPage(self.ctx, agent=AgentLink.for_home(self.home))
        page_class = self.load_page(spec.module, spec.cls)
        return None if page_class is None else page_class(self.ctx)

    def _drop_pages(self) -> None:
        self.sidebar.blockSignals(True)
        self.sidebar.clear()
        self.sidebar.blockSignals(False)
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.hide()
            page.setParent(None)
            page.deleteLater()
        self.pages = {}

    def _show_row(self, row: int) -> None:
        item = self.sidebar.item(row)
        if item is not None:
            self.show_page(str(item.data(Qt.ItemDataRole.UserRole)))

    def show_page(self, key: str) -> bool:
        page = self.pages.get(key)
        if page is None:
            return False
        self.stack.setCurrentWidget(page)
        keys = [self.sidebar.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sidebar.count())]
        if key in keys and self.sidebar.currentRow() != keys.index(key):
            self.sidebar.setCurrentRow(keys.index(key))
        return True

    @property
    def page_keys(self) -> list[str]:
        return list(self.pages)

    # -- first run and language -----------------------------------------------------------------

    def show_wizard(self) -> bool:
        """Show the first-run wizard instead of the lock page, when it exists."""
        wizard_class = self.load_page("wizard", "FirstRunWizard")
        if wizard_class is None:
            return False
        wizard = wizard_class(self.ctx)
        if isinstance(wizard, QDialog):
            wizard.setWindowFlags(Qt.WindowType.Widget)
        for name in ("completed", "finished"):
            signal = getattr(wizard, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(self._wizard_done)
                break
        self.wizard = wizard
        self.stack.addWidget(wizard)
        self.stack.setCurrentWidget(wizard)
        return True

    def _wizard_done(self, *args: object) -> None:
        del args
        if self.wizard is not None:
            self.stack.removeWidget(self.wizard)
            self.wizard.deleteLater()
            self.wizard = None
        pin = self.ctx.pin
        self.lock()
        if pin:  # the set-up was saved: open as the parent once the reader thread confirms the PIN is set
            self.ctx.read(
                lambda api: api.has_pin("parent"),
                lambda has_pin: self.unlock("parent", pin) if has_pin and self.is_locked else None,
                context=self,
            )

    def change_language(self, language: str) -> None:
        """Install ``language``, remember it, and rebuild the visible pages in it."""
        i18n.install(language)
        self.ctx.language = language
        # on the writer thread; a failure is logged. No answer is asked for: it would keep the window alive
        self.ctx.write(lambda api: api.set_ui_language(language))
        self.retranslate()

    def retranslate(self) -> None:
        current = self.sidebar.currentItem()
        key = None if current is None else str(current.data(Qt.ItemDataRole.UserRole))
        self.sidebar.setAccessibleName(self.tr("Pages"))
        self.lock_button.setText(self.tr("&Lock"))
        self.lock_button.setAccessibleName(self.tr("Lock the console"))
        self._rebuild_lock_page()
        if self.is_locked or not self.ctx.role:
            return
        self._build_pages(self.ctx.role)
        if key is not None:
            self.show_page(key)

    def _rebuild_lock_page(self) -> None:
        was_current = self.is_locked
        old = self.lock_page
        self.lock_page = LockPage(self.ctx)
        self.lock_page.unlocked.connect(self.unlock)
        self.stack.insertWidget(0, self.lock_page)
        self.stack.removeWidget(old)
        old.deleteLater()
        if was_current:
            self.stack.setCurrentWidget(self.lock_page)
