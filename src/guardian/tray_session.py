"""What only the child's session can see, read by ``guardian tray`` for the agent: the foreground window's
pid (and title, which the agent matches against web apps and never stores), the input idle time, and
whether the screen is locked.

Where it comes from (``reading_for_this_session``):

* X11 (python-xlib): foreground and idle; the lock from D-Bus (``tray_lock.LockWatcher``);
* Windows (``platform.windows.WindowsSessionReading``): foreground, idle, lock (OpenInputDesktop);
* macOS (``platform.macos.MacSessionReading``): frontmost app, idle, lock (CGSession dictionary);
* Wayland (``tray_wayland.WaylandSessionReading``): idle from GNOME's Mutter IdleMonitor where it runs, the
  lock from D-Bus; no foreground (Wayland shows no other app's window to a client).

Whatever a reading cannot tell is left out, and the agent uses its own readings for it.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

from guardian.core.messages import SessionReport
from guardian.platform.base import Foreground
from guardian.platform.linux_x11 import X11Displays, xlib_available

log = logging.getLogger("guardian.tray")


class SessionReading(Protocol):
    """One OS's way to read its own session (behind the platform seam; the tests fake the OS calls)."""

    def session_id(self) -> str: ...
    def foreground(self) -> Foreground | None: ...
    def idle_seconds(self) -> float | None: ...
    def locked(self) -> bool | None: ...
    def close(self) -> None: ...


def session_id() -> str:
    """This session's id: logind's ``XDG_SESSION_ID``, else the user and display."""
    return os.environ.get("XDG_SESSION_ID") or f"{getpass.getuser()}@{os.environ.get('DISPLAY', 'console')}"


def is_wayland(env: Mapping[str, str]) -> bool:
    return env.get("XDG_SESSION_TYPE") == "wayland" or (
        bool(env.get("WAYLAND_DISPLAY")) and not env.get("DISPLAY")
    )


def reading_for_this_session(
    env: Mapping[str, str] | None = None, system: str | None = None
) -> SessionReading | None:
    """The session reading of this OS, or None where X11 (``SessionReader``'s own) or nothing applies."""
    env = os.environ if env is None else env
    system = sys.platform if system is None else system
    if system == "win32":
        from guardian.platform.windows import WindowsSessionReading

        return WindowsSessionReading()
    if system == "darwin":
        from guardian.platform.macos import MacSessionReading

        return MacSessionReading()
    if is_wayland(env):
        from guardian.tray_wayland import WaylandSessionReading

        return WaylandSessionReading()
    return None


def either(first: bool | None, second: bool | None) -> bool | None:
    """Locked when one source says so; not locked when one can tell and none says so; else unknown."""
    if first or second:
        return True
    if first is None and second is None:
        return None
    return False


class SessionReader:
    def __init__(
        self,
        display: str | None = None,
        *,
        locked: Callable[[], bool | None] | None = None,
        reading: SessionReading | None = None,
    ) -> None:
        self.reading = reading
        self.display = display if display is not None else os.environ.get("DISPLAY")
        if reading is not None:
            self.display = None
        self.x = X11Displays() if self.display and xlib_available() else None
        self.session_id = reading.session_id() if reading is not None else session_id()
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
        if self.reading is not None:
            return self._from_reading(self.reading, locked)
        if self.x is None or not self.display:
            return SessionReport(self.session_id, locked=locked)
        changes, cached = self._changes, self._cached
        if self.cache_foreground and cached is not None and cached[0] == changes:
            pid, title = cached[1], cached[2]
        else:
            pid, title = _pid_title(self.x.foreground(self.display))
            self._cached = (changes, pid, title)
        idle = self.x.idle_seconds(self.display)
        idle_s = None if idle is None else round(float(idle), 1)
        return SessionReport(self.session_id, foreground_pid=pid, title=title, idle_s=idle_s, locked=locked)

    def _from_reading(self, reading: SessionReading, locked: bool | None) -> SessionReport:
        pid, title = _pid_title(reading.foreground())
        idle = reading.idle_seconds()
        idle_s = None if idle is None else round(float(idle), 1)
        return SessionReport(
            self.session_id,
            foreground_pid=pid,
            title=title,
            idle_s=idle_s,
            locked=either(locked, reading.locked()),
        )

    def close(self) -> None:
        if self.x is not None:
            self.x.close()
        if self.reading is not None:
            self.reading.close()


def _pid_title(foreground: Foreground | None) -> tuple[int | None, str | None]:
    if foreground is None:
        return None, None
    return foreground.pid, (foreground.title[:1000] if foreground.title else None)
