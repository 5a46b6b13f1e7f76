"""A fake desktop on a private D-Bus: a screensaver (``org.freedesktop.ScreenSaver``) and logind's session
object, each with a test-only method that changes the lock state and sends the signals the real ones send.

    python tests/fake_dbus_desktop.py screensaver|logind|mutter SESSION_ID

Run against ``DBUS_SESSION_BUS_ADDRESS``; prints ``ready`` once its name is on the bus.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath

EXPORT = (
    QDBusConnection.RegisterOption.ExportAllSlots
    | QDBusConnection.RegisterOption.ExportAllSignals
    | QDBusConnection.RegisterOption.ExportAllProperties
)


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    ActiveChanged = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.active = False

    @Slot(result=bool)
    def GetActive(self) -> bool:
        return self.active

    @Slot(bool)
    def SetActiveForTest(self, value: bool) -> None:
        self.active = value
        self.ActiveChanged.emit(value)


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Manager"})
class Manager(QObject):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    @Slot(str, result=QDBusObjectPath)
    def GetSession(self, session_id: str) -> QDBusObjectPath:
        return QDBusObjectPath(self.path)


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Session"})
class LogindSession(QObject):
    Lock = Signal()
    Unlock = Signal()

    def __init__(self, bus: QDBusConnection, path: str) -> None:
        super().__init__()
        self.bus = bus
        self.path = path
        self._locked = False

    def _get_locked(self) -> bool:
        return self._locked

    LockedHint = Property(bool, _get_locked)

    @Slot(bool)
    def SetLockedHintForTest(self, value: bool) -> None:
        self._locked = value
        signal = QDBusMessage.createSignal(self.path, "org.freedesktop.DBus.Properties", "PropertiesChanged")
        signal.setArguments(["org.freedesktop.login1.Session", {"LockedHint": value}, []])
        self.bus.send(signal)


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class IdleMonitor(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.idle_ms = 0

    @Slot(result="qulonglong")
    def GetIdletime(self) -> int:
        return self.idle_ms

    @Slot("qulonglong")
    def SetIdletimeForTest(self, value: int) -> None:
        self.idle_ms = value


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.sessionBus()
    keep: list[QObject] = []
    if sys.argv[1] == "screensaver":
        saver = ScreenSaver()
        keep.append(saver)
        ok = bus.registerObject("/org/freedesktop/ScreenSaver", saver, EXPORT)
        ok = ok and bus.registerService("org.freedesktop.ScreenSaver")
    elif sys.argv[1] == "mutter":
        monitor = IdleMonitor()
        keep.append(monitor)
        ok = bus.registerObject("/org/gnome/Mutter/IdleMonitor/Core", monitor, EXPORT)
        ok = ok and bus.registerService("org.gnome.Mutter.IdleMonitor")
    else:
        path = f"/org/freedesktop/login1/session/_{sys.argv[2]}"
        manager, session = Manager(path), LogindSession(bus, path)
        keep += [manager, session]
        ok = bus.registerObject("/org/freedesktop/login1", manager, EXPORT)
        ok = ok and bus.registerObject(path, session, EXPORT)
        ok = ok and bus.registerService("org.freedesktop.login1")
    if not ok:
        print(f"cannot register: {bus.lastError().message()}", flush=True)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
