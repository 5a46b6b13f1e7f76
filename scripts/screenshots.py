"""Render every console page on the demo family, in Vietnamese and English, into ``docs/screenshots/``.

    .venv/bin/python scripts/screenshots.py [--out DIR]

Runs offscreen. The demo family is built into a temporary folder with a fixed "now" (Friday
2026-11-27 18:00 in Hanoi), so the pictures do not change from run to run. Each part of the
console provides ``guardian.ui.console.shots_<part>.render_screenshots(out_dir, api)``; parts that
do not exist yet are skipped.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
PARTS = ("core", "rules", "wizard", "settings", "guide", "apps", "app_picker")


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
            module = importlib.import_module(f"guardian.ui.console.shots_{part}")
        except ImportError:
            continue
        print(f"rendering {part}…", file=sys.stderr)
        written += list(module.render_screenshots(out_dir, api))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from guardian.ui.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    apply_theme(app, dark=False)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guardian-shots-") as tmp:
        api = build_demo(Path(tmp))
        try:
            written = render_all(args.out, api)
        finally:
            api.store.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
