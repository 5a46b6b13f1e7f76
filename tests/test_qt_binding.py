"""The pinned Qt binding must not lose references to ``None``.

PySide6 6.12.0 on Python 3.11 released one reference to ``None`` on every call of a Qt method returning nothing
(``QLabel.setText``, ``QPainter.setFont``…): after a few thousand calls the interpreter aborted with
"deallocating None", so a console left open for an afternoon would crash. 6.11.3 is pinned for that reason.
The check runs in a subprocess because the failure is an abort of the whole interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(30000):
        label.setText("x")
    print(before - sys.getrefcount(None))
    """
)


def test_many_void_qt_calls_keep_none_alive() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert abs(int(done.stdout.strip())) < 100
