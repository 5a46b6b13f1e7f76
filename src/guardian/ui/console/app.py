"""Start the parent console: ``run_console(home)`` opens the database through the API and shows the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from guardian.api import GuardianAPI, StoreError

log = logging.getLogger("guardian.ui")

DEFAULT_LANGUAGE = "vi"


def stored_language(api: GuardianAPI) -> str:
    """The language the parents chose (``GuardianAPI.ui_language``), else Vietnamese."""
    return api.ui_language() or DEFAULT_LANGUAGE


def run_console(home: Path, *, language: str | None = None) -> int:
    """Open the console on the database in ``home`` and run until the window closes; returns the exit code.

    ``language`` (``vi`` or ``en``) overrides the stored choice for this run.
    """
    from PySide6.QtWidgets import QApplication

    from guardian.clock import SystemClock
    from guardian.ui import i18n
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.window import ConsoleWindow
    from guardian.ui.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Guardian")
    apply_theme(app)
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    api = GuardianAPI.open(home / "guardian.db", SystemClock())
    ctx = ConsoleContext(api)
    try:
        apply_retention(api)
        chosen = language or stored_language(api)
        i18n.install(chosen)
        ctx.language = chosen
        window = ConsoleWindow(ctx, home=home)
        window.show()
        return int(app.exec())
    finally:
        ctx.close()
        api.close()


def apply_retention(api: GuardianAPI) -> None:
    """Delete records older than the retention period, if the agent has not done so today."""
    try:
        api.apply_retention()
    except StoreError as exc:
        log.warning("retention did not run: %s", exc)
