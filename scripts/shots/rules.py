"""Screenshots of the rules editor, the hours grid and the app picker, in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from guardian.api import GuardianAPI
from guardian.ui import i18n
from guardian.ui.console.app_picker import AppPickerDialog
from guardian.ui.console.context import ConsoleContext
from guardian.ui.console.rules_editor import RulesEditorPage
from shots import wait_for_jobs

DEMO_CHILD = "Minh An"


def _grab(widget: QWidget, width: int, height: int, path: Path) -> Path:
    widget.resize(width, height)
    widget.show()
    wait_for_jobs()
    widget.grab().save(str(path))
    widget.close()
    return path


def render_screenshots(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Render the editor (demo child "Minh An"), the hours grid and the app picker in both languages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    for language in ("vi", "en"):
        i18n.install(language)
        ctx = ConsoleContext(api, role="parent", pin="1234")
        ctx.language = language
        page = RulesEditorPage(ctx)
        page.select_child(DEMO_CHILD)
        shots.append(_grab(page, 1000, 1560, out_dir / f"rules-editor-{language}.png"))
        page.resize(1000, 1560)
        grid_box = page.hours_grid.parentWidget()
        assert grid_box is not None
        page.show()
        QApplication.processEvents()
        shots.append(_save(grid_box, out_dir / f"rules-hours-grid-{language}.png"))
        page.close()
        picker = AppPickerDialog(ctx, rules=api.rules(), child=DEMO_CHILD)
        picker.set_query("coc coc" if language == "vi" else "")
        if language == "en":
            picker.set_category("games")
        shots.append(_grab(picker, 680, 640, out_dir / f"rules-app-picker-{language}.png"))
    i18n.install("en")
    return shots


def _save(widget: QWidget, path: Path) -> Path:
    widget.grab().save(str(path))
    return path
