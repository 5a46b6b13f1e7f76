"""Render every console page on the demo family, in Vietnamese and English, into ``docs/screenshots/``.

    .venv/bin/python scripts/screenshots.py [--out DIR] [--dark] [--pseudo] [--only-extra]

``--dark`` adds the dashboard, rules editor and settings in the dark palette (``dark-PAGE-LANG.png``);
``--pseudo`` adds the dashboard and rules editor under the long pseudo-translation (``pseudo-PAGE.png``);
``--only-extra`` skips the light pictures.

Runs offscreen. The demo family is built into a temporary folder with a fixed "now" (Friday
2026-11-27 18:00 in Hanoi), so the pictures do not change from run to run. Each part of the
console has a scene module ``scripts/shots/<part>.py`` with ``render_screenshots(out_dir, api)``; parts
that do not exist yet are skipped.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from guardian.api import GuardianAPI

ROOT = Path(__file__).resolve().parents[1]
# A desktop-sized offscreen screen: Qt's default (800×800) would shrink every window to fit it.
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={ROOT / 'scripts' / 'shots' / 'desktop_screen.json'}"
)
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
PARTS = ("core", "rules", "wizard", "web")
WINDOW_SIZE = (1180, 820)
DARK_PAGES = ("dashboard", "rules", "settings")
PSEUDO_PAGES = ("dashboard", "rules")
DEMO_CHILD = "Minh An"


def build_demo(home: Path) -> GuardianAPI:
    from guardian import demo
    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store

    store = Store(home / "guardian.db")
    demo.generate(store, now=NOW, seed=7, weeks=1)
    api = GuardianAPI(store, FakeClock(now=NOW), tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    add_pending_request(api)
    return api


def add_pending_request(api: GuardianAPI) -> None:
    """A request waiting for an answer, so the dashboard shows one."""
    if api.store.requests.pending():
        return
    child_id = api.store.children.id_for("Minh An")
    if child_id is not None:
        api.store.requests.add(child_id, 1800, ts=int(NOW) - 300, reason="Con muốn xây xong ngôi nhà")


def render_all(out_dir: Path, api: GuardianAPI) -> list[Path]:
    written: list[Path] = []
    for part in PARTS:
        try:
            module = importlib.import_module(f"shots.{part}")
        except ModuleNotFoundError:
            continue
        print(f"rendering {part}…", file=sys.stderr)
        written += list(module.render_screenshots(out_dir, api))
    return written + render_tray(out_dir)


def render_tray(out_dir: Path) -> list[Path]:
    """The child's tray (``scripts/shots_tray.py``)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import shots_tray

    print("rendering tray…", file=sys.stderr)
    return shots_tray.render_screenshots(out_dir)


def render_window_pages(out_dir: Path, api: GuardianAPI, language: str, pages: dict[str, str]) -> list[Path]:
    """The unlocked console window showing each page of ``pages`` (key → file name), in ``language``."""

    from shots import wait_for_jobs

    from guardian.ui import i18n
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.window import ConsoleWindow

    i18n.install(language)
    ctx = ConsoleContext(api)
    ctx.language = language if language in i18n.LANGUAGES else "en"
    window = ConsoleWindow(ctx, first_run=False)
    window.unlock("parent", "1234")
    window.resize(*WINDOW_SIZE)
    window.show()
    written = []
    for key, name in pages.items():
        window.show_page(key)
        page = window.pages[key]
        if hasattr(page, "select_child"):
            page.select_child(DEMO_CHILD)
        wait_for_jobs()
        path = out_dir / name
        window.grab().save(str(path))
        written.append(path)
    window.lock()
    window.close()
    window.deleteLater()
    return written


def render_dark(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Dashboard, rules editor and settings in the dark palette, in both languages."""
    written: list[Path] = []
    for language in ("vi", "en"):
        names = {
            key: f"dark-{'rules-editor' if key == 'rules' else key}-{language}.png" for key in DARK_PAGES
        }
        written += render_window_pages(out_dir, api, language, names)
    return written


def render_pseudo(out_dir: Path, api: GuardianAPI) -> list[Path]:
    """Dashboard and rules editor under the pseudo-translation (file names carry no language)."""
    from guardian.ui import i18n

    names = {key: f"pseudo-{'rules-editor' if key == 'rules' else key}.png" for key in PSEUDO_PAGES}
    return render_window_pages(out_dir, api, i18n.PSEUDO, names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also render pages in the dark palette")
    parser.add_argument("--pseudo", action="store_true", help="also render the pseudo-translation")
    parser.add_argument("--only-extra", action="store_true", help="skip the light pictures")
    parser.add_argument("--tray", action="store_true", help="only the child's tray (tray-*.png)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from guardian import computer
    from guardian.ui.theme import apply_theme

    computer.service_installed = lambda platform=sys.platform: False  # the same banner on every machine
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    apply_theme(app, dark=False)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guardian-shots-") as tmp:
        api = build_demo(Path(tmp))
        try:
            if args.tray:
                written = render_tray(args.out)
            else:
                written = [] if args.only_extra else render_all(args.out, api)
            if args.pseudo:
                written += render_pseudo(args.out, api)
            if args.dark:
                apply_theme(app, dark=True)
                written += render_dark(args.out, api)
        finally:
            api.store.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
