"""Screenshot scenes of the console, one module per part; ``scripts/screenshots.py`` runs them."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication

from guardian.ui.jobs import pending_jobs

WAIT_S = 30.0


def wait_for_jobs() -> None:
    """Let pages that load off the UI thread (the dashboard) draw their data before a picture is taken."""
    deadline = time.monotonic() + WAIT_S
    QApplication.processEvents()
    while pending_jobs() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)  # polling a condition with a deadline
    for _ in range(3):
        QApplication.processEvents()
