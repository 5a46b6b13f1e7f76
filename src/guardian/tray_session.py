"""What only the child's session can see, read by ``guardian tray`` for the agent: the foreground window's
pid (and title, which the agent matches against web apps and never stores), the input idle time, and
whether the screen is locked (``tray_lock.LockWatcher``, from D-Bus signals).

X11 through python-xlib today; on Wayland, Windows and macOS the reader reports the session only, and the
agent falls back to its own readings.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable

from guardian.core.messages import SessionReport
from guardian.platform.linux_x11 import X11Displays, xlib_available


def session_id() -> str:
    """This session's id: logind's ``XDG_SESSION_ID``, else the user and display."""
    return os.environ.get("XDG_SESSION_ID") or f"{getpass.getuser()}@{os.environ.get('DISPLAY', 'console')}"


class SessionReader:
    def __init__(
        self, display: str | None = None, *, locked: Callable[[], bool | None] | None = None
    ) -> None:
        self.display = display if display is not None else os.environ.get("DISPLAY")
        self.x = X11Displays() if self.display and xlib_available() else None
        self.session_id = session_id()
        self.locked = locked
        self.cache_foreground = False
        """Set when X events say when the foreground changes (``tray_x11watch``): read it only then."""
        self._changes = 0
        self._cached: tuple[int, int | None, str | None] | None = None
        """(changes seen when read, pid, title)."""

    def foreground_changed(self) -> None:
        """The window in front or its title changed (called on the UI thread)."""
        self._changes += 1

    def __call__(self) -> SessionReport:
        locked = self.locked() if self.locked is not None else None
        if self.x is None or not self.display:
            return SessionReport(self.session_id, locked=locked)
        changes, cached = self._changes, self._cached
        if self.cache_foreground and cached is not None and cached[0] == changes:
            pid, title = cached[1], cached[2]
        else:
            foreground = self.x.foreground(self.display)
            pid = title = None
            if foreground is not None:
                pid = foreground.pid
                title = foreground.title[:1000] if foreground.title else None
            self._cached = (changes, pid, title)
        idle = self.x.idle_seconds(self.display)
        idle_s = None if idle is None else round(float(idle), 1)
        return SessionReport(self.session_id, foreground_pid=pid, title=title, idle_s=idle_s, locked=locked)

    def close(self) -> None:
        if self.x is not None:
            self.x.close()
