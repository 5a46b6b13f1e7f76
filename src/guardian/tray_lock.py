"""Whether this session's screen is locked, for ``guardian tray``: D-Bus signals, nothing polled.

Sources, each answering locked / not locked / cannot tell:

* the session bus: ``ActiveChanged(bool)`` of ``org.freedesktop.ScreenSaver`` (KDE, XFCE, light-locker and
  others) and of the GNOME, Cinnamon and MATE screensavers, matched from any sender and path; at start
  ``GetActive`` of those that are running (never starting one through D-Bus activation);
* the system bus, where logind runs: this session's ``LockedHint`` property (its ``PropertiesChanged``)
  and the ``Lock`` / ``Unlock`` signals logind sends to ask the session to lock.

The screen counts as locked when any source says so, as not locked when some source can tell and none
says so, and as unknown (None) when no source can tell. While nothing changes, nothing runs: Qt's D-Bus
connection thread waits on its socket. X11's MIT-SCREEN-SAVER state is not used: it says the screen is
blanked, which the idle time already shows, not that it is locked.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusObjectPath, QDBusVariant

log = logging.getLogger("guardian.tray")

SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ("org.cinnamon.ScreenSaver", "/org/cinnamon/ScreenSaver"),
    ("org.mate.ScreenSaver", "/org/mate/ScreenSaver"),
)
"""(interface = well-known name, object path) of the screensavers that say ``ActiveChanged``."""
LOGIND = "org.freedesktop.login1"
LOGIND_SESSION = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"
CALL_TIMEOUT_MS = 1000


def _session_bus() -> QDBusConnection | None:
    """The session bus where one is announced; never one started for us (libdbus would ``dbus-launch`` a
    daemon of its own on X11 when no bus is announced, left running after the tray)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or (
        runtime and os.path.exists(os.path.join(runtime, "bus"))
    ):
        return QDBusConnection.sessionBus()
    return None


def _slot(signature: str) -> bytes:
    """A slot for ``QDBusConnection.connect``: PySide6 takes the ``SLOT()`` string its stubs call bytes."""
    return cast(bytes, SLOT(signature))


def _plain(value: object) -> object:
    return value.variant() if isinstance(value, QDBusVariant) else value


class LockWatcher(QObject):
    """The lock state of this session; ``changed`` is emitted (on the UI thread) when it changes."""

    changed = Signal(object)
    """The new :attr:`locked` (True, False or None)."""

    def __init__(
        self,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        *,
        session_id: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session_bus = session_bus if session_bus is not None else _session_bus()
        self.system_bus = system_bus if system_bus is not None else QDBusConnection.systemBus()
        self.session_id = session_id if session_id is not None else os.environ.get("XDG_SESSION_ID")
        self._said: dict[str, bool] = {}
        """Source → what it last said (a screensaver interface, or ``logind``)."""
        self.locked: bool | None = None
        self.logind_path: str | None = None
        self.sources: list[str] = []
        """What this watcher listens to (for the log and the tests)."""
        self._watch_screensavers()
        self._watch_logind()
        self._update()

    # -- set-up -------------------------------------------------------------------------------------

    def _watch_screensavers(self) -> None:
        bus = self.session_bus
        if bus is None or not bus.isConnected():
            return
        running = self._running_names(bus)
        for interface, path in SCREENSAVERS:
            if bus.connect(
                "", "", interface, "ActiveChanged", self, _slot("_on_active_changed(QDBusMessage)")
            ):
                self.sources.append(interface)
            if interface in running:
                reply = self._call(
                    bus, QDBusMessage.createMethodCall(interface, path, interface, "GetActive")
                )
                if reply and isinstance(reply[0], bool):
                    self._said[interface] = reply[0]

    def _watch_logind(self) -> None:
        bus = self.system_bus
        if not bus.isConnected() or LOGIND not in self._running_names(bus):
            return
        manager = "org.freedesktop.login1.Manager"
        if self.session_id:
            ask = QDBusMessage.createMethodCall(LOGIND, "/org/freedesktop/login1", manager, "GetSession")
            ask.setArguments([self.session_id])
        else:
            ask = QDBusMessage.createMethodCall(LOGIND, "/org/freedesktop/login1", manager, "GetSessionByPID")
            ask.setArguments([os.getpid()])
        reply = self._call(bus, ask)
        path = reply[0] if reply else None
        path = path.path() if isinstance(path, QDBusObjectPath) else path
        if not isinstance(path, str) or not path:
            return
        self.logind_path = path
        slot = _slot("_on_logind(QDBusMessage)")
        for name in ("Lock", "Unlock"):
            bus.connect(LOGIND, path, LOGIND_SESSION, name, self, slot)
        bus.connect(LOGIND, path, PROPERTIES, "PropertiesChanged", self, slot)
        get = QDBusMessage.createMethodCall(LOGIND, path, PROPERTIES, "Get")
        get.setArguments([LOGIND_SESSION, "LockedHint"])
        hint = self._call(bus, get)
        value = _plain(hint[0]) if hint else None
        if isinstance(value, bool):
            self._said["logind"] = value
        self.sources.append("logind")

    def _running_names(self, bus: QDBusConnection) -> set[str]:
        ask = QDBusMessage.createMethodCall(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "ListNames"
        )
        reply = self._call(bus, ask)
        return {str(name) for name in reply[0]} if reply and isinstance(reply[0], list) else set()

    @staticmethod
    def _call(bus: QDBusConnection, message: QDBusMessage) -> list[object] | None:
        reply = bus.call(message, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            log.debug("D-Bus %s: %s", message.member(), reply.errorMessage())
            return None
        return list(reply.arguments())

    # -- signals ------------------------------------------------------------------------------------

    @Slot(QDBusMessage)
    def _on_active_changed(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if args and isinstance(args[0], bool):
            self._said[message.interface()] = args[0]
            self._update()

    @Slot(QDBusMessage)
    def _on_logind(self, message: QDBusMessage) -> None:
        if message.member() in ("Lock", "Unlock"):
            self._said["logind"] = message.member() == "Lock"
            self._update()
            return
        # PropertiesChanged: its a{sv} arrives as an opaque QDBusArgument in PySide, so ask for the value
        if self.logind_path is None:
            return
        get = QDBusMessage.createMethodCall(LOGIND, self.logind_path, PROPERTIES, "Get")
        get.setArguments([LOGIND_SESSION, "LockedHint"])
        self.system_bus.callWithCallback(get, self, _slot("_on_locked_hint(QDBusMessage)"), CALL_TIMEOUT_MS)

    @Slot(QDBusMessage)
    def _on_locked_hint(self, reply: QDBusMessage) -> None:
        args = reply.arguments()
        value = _plain(args[0]) if args else None
        if isinstance(value, bool):
            self._said["logind"] = value
            self._update()

    def _update(self) -> None:
        said = list(self._said.values())
        locked = True if any(said) else (False if said else None)
        if locked is not self.locked:
            self.locked = locked
            word = "unknown" if locked is None else "locked" if locked else "unlocked"
            log.info("this session's screen is %s", word)
            self.changed.emit(locked)

    def state(self) -> bool | None:
        return self.locked

    def on_change(self, callback: Callable[[], None]) -> None:
        self.changed.connect(lambda _locked: callback())
