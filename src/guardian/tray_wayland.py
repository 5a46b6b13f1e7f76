"""For ``guardian tray`` on Wayland: what a Wayland session shows a client, through D-Bus.

* Idle time: GNOME's ``org.gnome.Mutter.IdleMonitor`` (``GetIdletime`` on the ``Core`` monitor, in ms)
  on the session bus, where Mutter runs. Other compositors offer ``ext-idle-notify-v1``, a Wayland protocol
  that tells "idle for N s" / "resumed", not the time; Qt does not expose it and the tray does not speak
  Wayland itself, so there the tray reports no idle time and the agent uses logind's idle hint.
* Foreground: not available. Wayland shows no client another client's windows, and no compositor API
  common to GNOME, KDE and wlroots tells the pid in front, so the agent counts the child's running apps.
* Lock: from ``tray_lock.LockWatcher`` as on X11 (the screensaver interfaces and logind).
"""

from __future__ import annotations

import getpass
import os

from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

from guardian.platform.base import Foreground

MUTTER = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
CALL_TIMEOUT_MS = 500


class WaylandSessionReading:
    """Idle time from Mutter where it answers; no foreground; the lock comes from ``LockWatcher``."""

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self.bus = bus if bus is not None else QDBusConnection.sessionBus()
        self.mutter = True
        """False once Mutter did not answer: not asked again (another compositor)."""

    def session_id(self) -> str:
        return (
            os.environ.get("XDG_SESSION_ID")
            or f"{getpass.getuser()}@{os.environ.get('WAYLAND_DISPLAY', 'wayland')}"
        )

    def foreground(self) -> Foreground | None:
        return None

    def idle_seconds(self) -> float | None:
        if not self.mutter or not self.bus.isConnected():
            return None
        ask = QDBusMessage.createMethodCall(MUTTER, MUTTER_PATH, MUTTER, "GetIdletime")
        reply = self.bus.call(ask, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
        args = reply.arguments() if reply.type() == QDBusMessage.MessageType.ReplyMessage else []
        if not args or not isinstance(args[0], int):
            self.mutter = False
            return None
        return args[0] / 1000.0

    def locked(self) -> bool | None:
        return None

    def close(self) -> None:
        pass
