"""Pictures of the weekly summary: the Summaries page (vi, en), the PDF export and the HTML export.

    .venv/bin/python scripts/summary_shots.py [--out docs/screenshots]

Builds the demo family with three weeks of use ending at a fixed "now" (Friday 2026-11-27 18:00 in Hanoi)
in a temporary folder, so the last full week is 2026-W47 and the pictures do not change between runs.
Writes ``summaries-{vi,en}.png`` (the console page, shown to a caregiver), ``summary-week-vi.pdf`` and its
pages as ``summary-pdf-vi-N.png`` (``pdftoppm``), and ``summary-week-en.html`` with a screenshot taken by
headless Chromium (``summary-html-en.png``). Needs ``poppler-utils`` and ``chromium``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
WEEK = "2026-W47"
CHILD = "Gia Huy"
SIZE = (1180, 820)


def page_shots(out: Path, api: object) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from guardian.ui import i18n
    from guardian.ui.console.context import ConsoleContext
    from guardian.ui.console.summaries_page import SummariesPage
    from guardian.ui.console.window import ConsoleWindow
    from guardian.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, dark=False)
    written = []
    for language in ("vi", "en"):
        i18n.install(language)
        ctx = ConsoleContext(api)  # type: ignore[arg-type]
        ctx.language = language
        window = ConsoleWindow(ctx, first_run=False)
        window.unlock("caregiver", "5678")
        window.resize(*SIZE)
        window.show()
        window.show_page("summaries")
        page = window.pages["summaries"]
        assert isinstance(page, SummariesPage)
        page.child_box.setCurrentIndex(page.child_box.findData(CHILD))
        for _ in range(4):
            app.processEvents()
        path = out / f"summaries-{language}.png"
        window.grab().save(str(path))
        written.append(path)
        body = page.body
        body.resize(body.width(), body.sizeHint().height())
        for _ in range(4):
            app.processEvents()
        full = out / f"summaries-full-{language}.png"
        body.grab().save(str(full))
        written.append(full)
        window.close()
    return written


def exports(out: Path, api: object) -> list[Path]:
    from guardian.summary_export import SummaryReport, as_html
    from guardian.summary_pdf import write_pdf

    summaries = api.summary(week=WEEK)  # type: ignore[attr-defined]
    zone = api.zone()  # type: ignore[attr-defined]
    first, last = summaries[0].first, summaries[0].last
    pdf = out / "summary-week-vi.pdf"
    write_pdf(SummaryReport(first, last, summaries, zone, "vi"), pdf)
    for old in out.glob("summary-pdf-vi-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(out / "summary-pdf-vi")], check=True)
    html = out / "summary-week-en.html"
    html.write_text(as_html(SummaryReport(first, last, summaries, zone, "en")), encoding="utf-8")
    shot = out / "summary-html-en.png"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--window-size=760,2400",
                f"--screenshot={shot}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return [pdf, *sorted(out.glob("summary-pdf-vi-*.png")), html, shot]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from guardian import demo
    from guardian.api import GuardianAPI
    from guardian.core.clock import FakeClock
    from guardian.store import Store

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guardian-summaries-") as folder:
        store = Store(Path(folder) / "guardian.db")
        demo.generate(store, now=NOW, seed=7, weeks=3)
        api = GuardianAPI(store, FakeClock(now=NOW), tz=ZoneInfo(demo.ZONE))
        written = page_shots(args.out, api) + exports(args.out, api)
        store.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
