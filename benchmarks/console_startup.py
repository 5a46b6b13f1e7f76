"""Console start-up: from process start to the window's first paint. Target: median ≤ 1.5 s.

    .venv/bin/python benchmarks/console_startup.py [--runs 7]

Each run starts a fresh Python process (offscreen Qt platform) that opens the console on a demo
family exactly as ``run_console`` does and prints ``time.monotonic()`` from the window's first paint
event; the parent measures from just before ``subprocess`` starts. The baseline is the same
measurement for a bare ``QApplication`` showing an empty ``QWidget``, so the ratio shows what
Guardian adds on top of Python + Qt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5
MARK = "FIRST_PAINT "


def _paint_probe(widget: QWidget) -> QObject:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class Probe(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                print(f"{MARK}{time.monotonic():.6f}", flush=True)
                QTimer.singleShot(0, QApplication.quit)
            return False

    probe = Probe(widget)
    widget.installEventFilter(probe)
    return probe


def child_baseline() -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    widget = QWidget()
    widget.resize(1100, 760)
    _paint_probe(widget)
    widget.show()
    return app.exec()


def child_console(home: Path) -> int:
    """What ``run_console`` does, plus the paint probe."""
    from PySide6.QtWidgets import QApplication

    from guardian.api import GuardianAPI
    from guardian.clock import SystemClock
    from guardian.store import Store
    from guardian.ui import i18n
    from guardian.ui.console.app import stored_language
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.window import ConsoleWindow
    from guardian.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    with Store(home / "guardian.db") as store:
        api = GuardianAPI(store, SystemClock())
        i18n.install(stored_language(api))
        window = ConsoleWindow(ConsoleContext(api), home=home)
        _paint_probe(window)
        window.show()
        return app.exec()


def measure(args: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return float(line[len(MARK) :]) - start
    raise RuntimeError(f"no paint reported; stderr:\n{done.stderr}")


def prepare_home(home: Path) -> None:
    from guardian import demo
    from guardian.store import Store

    with Store(home / "guardian.db") as store:
        demo.generate(store, now=time.time(), seed=7, weeks=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=("console", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        return child_baseline()
    if args.child == "console":
        return child_console(args.home)

    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="guardian-bench-") as tmp:
        home = Path(tmp)
        prepare_home(home)
        measure(["--child", "console", "--home", str(home)])  # warm the OS file cache once
        base = [measure(["--child", "baseline"]) for _ in range(args.runs)]
        console = [measure(["--child", "console", "--home", str(home)]) for _ in range(args.runs)]
    base_median, console_median = statistics.median(base), statistics.median(console)
    print(f"runs: {args.runs} each, offscreen platform, demo family (3 children, 1 week)")
    print(f"baseline (bare QApplication + empty QWidget): median {base_median:.3f} s  (min {min(base):.3f})")
    print(
        f"console (lock page, real store):             median {console_median:.3f} s  (min {min(console):.3f})"
    )
    print(f"ratio console / baseline: {console_median / base_median:.2f}")
    verdict = "met" if console_median <= TARGET_S else "MISSED"
    print(f"target ≤ {TARGET_S:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
