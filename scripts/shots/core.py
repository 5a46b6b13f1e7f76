"""Screenshots of the console's own pages (lock page, dashboard as parent and as caregiver).

``render_screenshots(out_dir, api)`` renders the current language; ``scripts/screenshots.py`` installs
each language in turn and calls it, so the file names carry the language suffix it is given.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from guardian.api import GuardianAPI
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.window import ConsoleWindow
from shots import wait_for_jobs

SIZE = (1180, 820)
LANGUAGES = ("vi", "en")


def _settle(widget: QWidget) -> None:
    widget.resize(*SIZE)
    widget.show()
    wait_for_jobs()


def _shot(widget: QWidget, path: Path) -> Path:
    _settle(widget)
    widget.grab().save(str(path))
    return path


def _full_page(window: ConsoleWindow, path: Path) -> Path:
    """The whole dashboard, scrolled content included (recent events sit below the fold)."""
    body = window.pages["dashboard"].widget()  # type: ignore[attr-defined]
    body.resize(body.width(), body.sizeHint().height())
    QApplication.processEvents()
    body.grab().save(str(path))
    return path


def _window(api: GuardianAPI, language: str) -> ConsoleWindow:
    ctx = ConsoleContext(api)
    ctx.language = language
    return ConsoleWindow(ctx, first_run=False)


def render_language(out_dir: Path, api: GuardianAPI, language: str) -> list[Path]:
    """Lock page, parent dashboard and caregiver dashboard in ``language``."""
    i18n.install(language)
    written = []
    window = _window(api, language)
    written.append(_shot(window, out_dir / f"console-lock-{language}.png"))
    window.unlock("parent", "1234")
    written.append(_shot(window, out_dir / f"console-dashboard-{language}.png"))
    written.append(_full_page(window, out_dir / f"console-dashboard-full-{language}.png"))
    window.lock()
    window.unlock("caregiver", "5678")
    written.append(_shot(window, out_dir / f"console-caregiver-{language}.png"))
    window.close()
    window.deleteLater()
    return written


def render_screenshots(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Every console page of this part, in Vietnamese and English; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        written += render_language(out_dir, api, language)
    i18n.install("vi")
    return written
