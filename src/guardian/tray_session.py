"""What only the child's session can see, read by ``guardian tray`` for the agent: the foreground window's
pid (and title, which the agent matches against web apps and never stores) and the input idle time.

X11 through python-xlib today; on Wayland, Windows and macOS the reader reports the session only, and the
agent falls back to its own readings.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from guardian.platform.linux_x11 import X11Displays, xlib_available


def session_id() -> str:
    """This session's id: logind's ``XDG_SESSION_ID``, else the user and display."""
    return os.environ.get("XDG_SESSION_ID") or f"{getpass.getuser()}@{os.environ.get('DISPLAY', 'console')}"


class SessionReader:
    def __init__(self, display: str | None = None) -> None:
        self.display = display if display is not None else os.environ.get("DISPLAY")
        self.x = X11Displays() if self.display and xlib_available() else None
        self.session_id = session_id()

    def __call__(self) -> dict[str, Any]:
        report: dict[str, Any] = {"session_id": self.session_id}
        if self.x is None or not self.display:
            return report
        foreground = self.x.foreground(self.display)
        if foreground is not None:
            report["foreground_pid"] = foreground.pid
            if foreground.title:
                report["title"] = foreground.title[:1000]
        idle = self.x.idle_seconds(self.display)
        if idle is not None:
            report["idle_s"] = round(float(idle), 1)
        return report

    def close(self) -> None:
        if self.x is not None:
            self.x.close()
