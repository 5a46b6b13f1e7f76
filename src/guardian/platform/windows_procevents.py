"""Windows: process starts and stops as they happen, from WMI's ``Win32_ProcessStartTrace`` and
``Win32_ProcessStopTrace`` (backed by the kernel's ``Microsoft-Windows-Kernel-Process`` ETW provider; the
agent's service account, LocalSystem, may read them). UNVERIFIED: written and unit-tested with WMI faked,
never run on a real Windows machine (see docs/platforms.md).

The WMI calls live in ``WmiApi``; ``WmiProcessEvents`` holds the logic (a reader thread turning WMI events
into the same ``ProcEvent`` batches as Linux's process connector, a failed or broken subscription reported
as lost events so the agent lists everything) and takes any object with the same methods. ``PyWin32Wmi``
is the real one; it imports pywin32 only inside its methods, so this module imports anywhere.

Windows has no exec into a running process: a start is a new process with its program, so it is reported
as ``exec`` (the agent inspects it at once). Denying a start before it runs needs a kernel driver
(``PsSetCreateProcessNotifyRoutineEx``) and is out of scope: on Windows a blocked app is closed as soon as
its start is reported.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from guardian.platform.linux_procevents import ProcEvent

log = logging.getLogger("guardian.platform")

START_QUERY = "SELECT ProcessID, ParentProcessID, ProcessName FROM Win32_ProcessStartTrace"
STOP_QUERY = "SELECT ProcessID FROM Win32_ProcessStopTrace"
WAIT_MS = 500


class WmiApi(Protocol):
    def subscribe(self, query: str) -> Any:
        """An event subscription for ``query`` (``ExecNotificationQuery``)."""
        ...

    def next_event(self, subscription: Any, timeout_ms: int) -> dict[str, Any] | None:
        """The next event's properties, or None when none came within ``timeout_ms``."""
        ...


class WmiProcessEvents:
    """Process starts and stops on a reader thread, handed to ``on_events(events, lost)`` in batches."""

    def __init__(self, on_events: Callable[[list[ProcEvent], bool], None], api: WmiApi | None = None) -> None:
        self.api: WmiApi = api if api is not None else PyWin32Wmi()
        self.on_events = on_events
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> WmiProcessEvents:
        starts = self.api.subscribe(START_QUERY)  # raises when WMI refuses (not an administrator)
        stops = self.api.subscribe(STOP_QUERY)
        for kind, subscription in (("exec", starts), ("exit", stops)):
            thread = threading.Thread(
                target=self._read, args=(kind, subscription), name=f"guardian-wmi-{kind}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _read(self, kind: str, subscription: Any) -> None:
        while not self._stop.is_set():
            try:
                props = self.api.next_event(subscription, WAIT_MS)
            except Exception:  # a broken subscription: say events were lost so the agent lists everything
                log.exception("reading WMI process %s events failed", kind)
                self.on_events([], True)
                self._stop.wait(1.0)
                continue
            if props is None:
                continue
            event = to_event(kind, props)
            if event is not None:
                self.on_events([event], False)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2 * WAIT_MS / 1000)


def to_event(kind: str, props: dict[str, Any]) -> ProcEvent | None:
    """A ``ProcEvent`` from a WMI trace event's properties; None when they are malformed."""
    try:
        pid = int(props["ProcessID"])
        parent = props.get("ParentProcessID")
        return ProcEvent(kind, pid, pid, parent=int(parent) if parent is not None else None)
    except (KeyError, TypeError, ValueError):
        return None


class PyWin32Wmi:
    """The real WMI calls through pywin32 (``win32com.client``); imported only when used."""

    def subscribe(self, query: str) -> Any:  # pragma: no cover - Windows only
        import pythoncom
        import win32com.client

        pythoncom.CoInitialize()
        wmi = win32com.client.GetObject(r"winmgmts:{impersonationLevel=impersonate}!\\.\root\cimv2")
        return wmi.ExecNotificationQuery(query)

    def next_event(self, subscription: Any, timeout_ms: int) -> dict[str, Any] | None:  # pragma: no cover
        import pywintypes

        try:
            event = subscription.NextEvent(timeout_ms)
        except pywintypes.com_error as exc:
            if exc.args and exc.args[2] and exc.args[2][5] == -2147209215:  # WBEM_S_TIMEDOUT
                return None
            raise
        return {p.Name: p.Value for p in event.Properties_}
