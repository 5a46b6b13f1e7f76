"""Screenshots of the console's own pages (lock page, dashboard as parent and as caregiver, the protection
banners: off, degraded, personal mode).

``render_screenshots(out_dir, api)`` renders the current language; ``scripts/screenshots.py`` installs
each language in turn and calls it, so the file names carry the language suffix it is given.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from guardian.api import GuardianAPI
from guardian.core.messages import AgentHealth
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.lock import LockState
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


DEGRADED = (
    "protection degraded: The Guardian database /var/lib/guardian/guardian.db is damaged or is not a Guardian "
    "database (file is not a database). It was left unchanged: restore a backup, or move the file aside to start "
    "fresh. Enforcing the last saved rules (from /var/lib/guardian/guardian-rules.toml); usage is counted in "
    "/var/lib/guardian/guardian-journal.db until the database is repaired."
)
"""What the agent says when its database is corrupt (``agent/failsafe.py``'s words, with the service's paths)."""
AGENTS = {
    "degraded": AgentHealth(True, pid=812, degraded=DEGRADED, mode="system", account="root"),
    "personal": AgentHealth(True, pid=4170, mode="personal", account="ba-lan"),
}


def render_protection(out_dir: Path, api: GuardianAPI, language: str) -> list[Path]:
    """The dashboard's banners while the agent runs but protects less: degraded, and personal mode (with
    "Install the service", the protected service not being installed); and the lock page after too many
    wrong PINs with an authenticator app enrolled (a code and a new PIN)."""
    i18n.install(language)
    written = []
    for state, health in AGENTS.items():
        window = _window(api, language)
        _settle(window)
        window.unlock("parent", "1234")
        page = window.pages["dashboard"]
        page.service_check = lambda: False  # type: ignore[attr-defined]
        page._on_status(dataclasses.replace(api.status(), agent=health))  # type: ignore[attr-defined]
        written.append(_shot(window, out_dir / f"console-protection-{state}-{language}.png"))
        window.close()
        window.deleteLater()
    window = _window(api, language)
    _settle(window)
    window.lock_page._show_state(LockState(has_pin=True, wait_s=57, totp=True))
    written.append(_shot(window, out_dir / f"console-lock-code-{language}.png"))
    window.close()
    window.deleteLater()
    return written


def render_screenshots(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Every console page of this part, in Vietnamese and English; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        written += render_language(out_dir, api, language)
        written += render_protection(out_dir, api, language)
    i18n.install("vi")
    return written
