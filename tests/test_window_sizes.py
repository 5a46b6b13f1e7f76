"""Every console window fits a 1366×768 laptop screen, also at 125 % and 150 % scaling (QT_SCALE_FACTOR).

Each scale runs in its own process (the screen is fixed when Qt starts) on Qt's offscreen screen set to
1366×768. A window fits when its opening size leaves room for a frame and title bar, its minimum size also
leaves room for a desktop panel, and no button outside a scroll area (Next, Finish, OK) is below its edge.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_family import NOW

TITLE_AND_FRAME = (16, 40)
PANEL = 32
"""A desktop panel (taskbar) at the bottom, in physical pixels."""


def measure(
    demo_db: Path, tmp_path: Path, scale: str, language: str, shots: Path | None = None
) -> list[dict]:
    home = tmp_path / f"home-{scale}-{language}"
    home.mkdir()
    shutil.copyfile(demo_db, home / "guardian.db")
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}]}
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": scale}
    args = [sys.executable, "-m", "tests.window_sizes", str(home), language, str(shots or ""), str(NOW)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("scale", "language"), [("1", "vi"), ("1", "en"), ("1.25", "vi"), ("1.5", "vi"), ("1.5", "en")]
)
def test_every_window_fits_a_1366x768_screen(
    demo_db: Path, tmp_path: Path, scale: str, language: str
) -> None:
    windows = measure(demo_db, tmp_path, scale, language)
    assert {w["name"] for w in windows} >= {"console-dashboard", "wizard-children", "dialog-app-picker"}
    s = float(scale)
    problems = []
    for w in windows:
        sw, sh = w["screen"]
        assert (sw, sh) == (round(1366 / s), round(768 / s))
        width, height = w["size"]
        if width > sw - TITLE_AND_FRAME[0] or height > sh - TITLE_AND_FRAME[1]:
            problems.append(f"{w['name']}: opens at {width}×{height} on a {sw}×{sh} screen")
        mw, mh = w["minimum"]
        if mw > sw - TITLE_AND_FRAME[0] or mh > sh - TITLE_AND_FRAME[1] - PANEL / s:
            problems.append(f"{w['name']}: cannot shrink below {mw}×{mh} on a {sw}×{sh} screen with a panel")
        for text, x, y in w["buttons"]:
            if x > width or y > height:
                problems.append(f"{w['name']}: button {text!r} at {x},{y} is outside {width}×{height}")
    assert not problems, "\n".join(problems)


def test_full_screen_and_frameless_windows_keep_their_own_size(qapp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from guardian.ui import screen_fit

    screen_fit.install(qapp)
    cover = QWidget(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    screen = QGuiApplication.primaryScreen()
    cover.setGeometry(screen.geometry())  # as the time's-up cover does on each screen
    cover.showFullScreen()
    try:
        assert cover.isFullScreen() and cover.geometry() == screen.geometry()
    finally:
        cover.close()
    assert not screen_fit.sized_by_hand(cover)
    framed = QWidget()
    assert screen_fit.sized_by_hand(framed)
