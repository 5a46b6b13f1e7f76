"""Screenshots of the first-run wizard, the settings page and the guide, in Vietnamese and English.

``scripts/screenshots.py`` calls :func:`render_screenshots` with an API over the demo family.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from guardian.api import GuardianAPI
from guardian.ui import i18n
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.guide import GuidePage
from guardian.ui.console.settings_page import SettingsPage
from guardian.ui.console.wizard import FirstRunWizard

LANGUAGES = ("vi", "en")
SAMPLE_ACCOUNTS = ["an", "bo", "me", "ngoc"]
SAMPLE_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WIZARD_STEPS = ("language", "pins", "children", "review", "warnings")


def _save(widget: QWidget, path: Path) -> Path:
    QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def _fill_pins(wizard: FirstRunWizard) -> None:
    page = wizard.pin_page
    for edit, pin in ((page.parent_pin, "2468"), (page.parent_again, "2468")):
        edit.setText(pin)
    for edit, pin in ((page.caregiver_pin, "1357"), (page.caregiver_again, "1357")):
        edit.setText(pin)


def _fill_children(wizard: FirstRunWizard) -> None:
    page = wizard.children_page
    page.name.setText("Minh An")
    page.age.setValue(8)
    page.accounts.item(SAMPLE_ACCOUNTS.index("an")).setCheckState(Qt.CheckState.Checked)
    page.add_child()
    page.name.setText("Bảo Ngọc")
    page.age.setValue(13)
    page.accounts.item(SAMPLE_ACCOUNTS.index("ngoc")).setCheckState(Qt.CheckState.Checked)


def _wizard_shots(out_dir: Path, api: GuardianAPI, language: str) -> list[Path]:
    ctx = ConsoleContext(api)
    ctx.language = language
    wizard = FirstRunWizard(ctx, accounts=SAMPLE_ACCOUNTS, is_admin=lambda user: user == "ngoc")
    wizard.resize(780, 640)
    wizard.show()
    fill: dict[str, Callable[[], None]] = {
        "pins": lambda: _fill_pins(wizard),
        "children": lambda: _fill_children(wizard),
    }
    paths = []
    for step in WIZARD_STEPS:
        fill.get(step, lambda: None)()
        paths.append(_save(wizard, out_dir / f"wizard-{step}-{language}.png"))
        wizard.next()
    wizard.close()
    wizard.deleteLater()
    return paths


def _page_shot(page: QWidget, path: Path, size: tuple[int, int]) -> Path:
    page.resize(*size)
    page.show()
    shot = _save(page, path)
    page.close()
    page.deleteLater()
    return shot


def render_screenshots(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Every wizard step, the settings page (with the QR enrolment open) and the guide, per language."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for language in LANGUAGES:
        i18n.install(language)
        paths += _wizard_shots(out_dir, api, language)
        ctx = ConsoleContext(api, pin="1234")
        ctx.language = language
        settings = SettingsPage(ctx)
        settings.start_enrolment(SAMPLE_SECRET)
        settings.resize(780, 1160)
        settings.show()
        paths.append(_save(settings, out_dir / f"settings-{language}.png"))
        settings.close()
        settings.deleteLater()
        paths.append(_page_shot(GuidePage(ctx), out_dir / f"guide-{language}.png", (780, 900)))
    return paths
