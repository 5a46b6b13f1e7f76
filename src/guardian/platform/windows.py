"""Windows: Terminal Services sessions, the foreground window, GetLastInputInfo, WM_CLOSE.

The Win32 calls live in ``Win32Api``; ``WindowsPlatform`` holds the logic and takes any object with the same
methods, so the logic is unit-tested on every OS with a fake. ``CtypesWin32`` is the real one; it touches
``ctypes.WinDLL`` only inside its methods, so this module imports anywhere.

Foreground, idle and lock only work for the session this process runs in (Windows keeps them per session):
for other sessions they answer None/fall back, and the session's tray reports instead.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any, Protocol

import psutil

from guardian.platform.base import CloseRequest, Foreground, Session

WTS_ACTIVE = 0
WM_CLOSE = 0x0010
TICK_WRAP = 1 << 32
DESKTOP_READOBJECTS = 0x0001
UOI_NAME = 2
ERROR_ACCESS_DENIED = 5


class Win32Api(Protocol):
    def sessions(self) -> list[tuple[int, str, int]]:
        """``(session id, window station name, WTS connect state)`` from WTSEnumerateSessionsW."""
        ...

    def session_user(self, session_id: int) -> str:
        """WTSQuerySessionInformationW(WTSUserName); empty for sessions nobody is logged on to."""
        ...

    def current_session_id(self) -> int:
        """ProcessIdToSessionId of this process."""
        ...

    def foreground_window(self) -> int: ...
    def window_pid(self, hwnd: int) -> int: ...
    def window_text(self, hwnd: int) -> str: ...
    def top_level_windows(self) -> list[int]: ...
    def post_close(self, hwnd: int) -> bool: ...
    def tick_count(self) -> int:
        """GetTickCount: milliseconds since boot, 32-bit."""
        ...

    def last_input_tick(self) -> int | None:
        """GetLastInputInfo().dwTime (32-bit ticks), None when the call fails."""
        ...

    def input_desktop_locked(self) -> bool | None:
        """Whether this session's screen is locked: OpenInputDesktop fails with access denied (or the input
        desktop is not ``Default``) while the lock screen (``Winlogon``) has the input; None when unknown."""
        ...

    def lock_workstation(self) -> bool: ...
    def disconnect_session(self, session_id: int) -> bool: ...
    def logoff_session(self, session_id: int) -> bool: ...
    def local_groups(self, user: str) -> list[str] | None:
        """NetUserGetLocalGroups(LG_INCLUDE_INDIRECT) names, None when the call fails."""
        ...

    def administrators_group(self) -> str:
        """The local name of the Administrators group (S-1-5-32-544); it is translated on some systems."""
        ...

    def current_user(self) -> str: ...
    def is_user_an_admin(self) -> bool:
        """IsUserAnAdmin: whether this process's token is elevated."""
        ...


def idle_milliseconds(now_tick: int, last_input_tick: int) -> int:
    """Milliseconds between two 32-bit tick counts, correct across the 49.7-day wrap."""
    return (now_tick - last_input_tick) % TICK_WRAP


def session_kind(station: str) -> str:
    lowered = station.lower()
    if lowered == "console":
        return "console"
    if lowered.startswith("rdp"):
        return "rdp"
    return "unknown"


class WindowsPlatform:
    name = "windows"

    def __init__(self, api: Win32Api | None = None) -> None:
        self._api: Win32Api = api if api is not None else CtypesWin32()

    def sessions(self) -> list[Session]:
        found = []
        for session_id, station, state in self._api.sessions():
            user = self._api.session_user(session_id)
            if user:
                found.append(
                    Session(
                        id=str(session_id), user=user, active=state == WTS_ACTIVE, kind=session_kind(station)
                    )
                )
        return found

    def foreground(self, session: Session) -> Foreground | None:
        if not self._is_own(session):
            return None
        hwnd = self._api.foreground_window()
        if not hwnd:
            return None  # lock screen, UAC prompt, or switching windows
        pid = self._api.window_pid(hwnd)
        return Foreground(pid=pid, title=self._api.window_text(hwnd)) if pid else None

    def idle_seconds(self, session: Session) -> float | None:
        if not self._is_own(session):
            return None
        last = self._api.last_input_tick()
        if last is None:
            return None
        return idle_milliseconds(self._api.tick_count(), last) / 1000.0

    def lock(self, session: Session) -> bool:
        """LockWorkStation in our own session; another session is disconnected (it shows the lock screen)."""
        if self._is_own(session):
            return self._api.lock_workstation()
        return self._api.disconnect_session(int(session.id))

    def logout(self, session: Session) -> bool:
        return self._api.logoff_session(int(session.id))

    def request_close(self, pid: int) -> CloseRequest:
        """WM_CLOSE to each top-level window of ``pid``.

        A process without windows cannot be asked, so it is ended (``force_close``).
        """
        if not psutil.pid_exists(pid):
            return "gone"
        windows = [hwnd for hwnd in self._api.top_level_windows() if self._api.window_pid(hwnd) == pid]
        if not windows:
            return self.force_close(pid)
        posted = [self._api.post_close(hwnd) for hwnd in windows]
        return "requested" if any(posted) else "denied"

    def force_close(self, pid: int) -> CloseRequest:
        """TerminateProcess through psutil (psutil's terminate and kill are the same call on Windows)."""
        try:
            psutil.Process(pid).kill()
        except psutil.NoSuchProcess:
            return "gone"
        except psutil.AccessDenied:
            return "denied"
        return "requested"

    def is_admin(self, user: str) -> bool | None:
        groups = self._api.local_groups(user)
        if groups is not None:
            admins = self._api.administrators_group().casefold()
            return any(group.casefold() == admins for group in groups)
        if user.casefold() == self._api.current_user().casefold():
            return True if self._api.is_user_an_admin() else None  # a non-elevated admin also reads False
        return None

    def _is_own(self, session: Session) -> bool:
        return session.id == str(self._api.current_session_id())


class WindowsSessionReading:
    """What ``guardian tray`` reads in its own Windows session, where a service cannot see the desktop:
    the foreground window's pid and title, input idle time, and whether the screen is locked."""

    def __init__(self, api: Win32Api | None = None) -> None:
        self._api: Win32Api = api if api is not None else CtypesWin32()

    def session_id(self) -> str:
        """The WTS session id, as the agent's ``sessions()`` names it."""
        return str(self._api.current_session_id())

    def foreground(self) -> Foreground | None:
        hwnd = self._api.foreground_window()
        if not hwnd:
            return None
        pid = self._api.window_pid(hwnd)
        return Foreground(pid=pid, title=self._api.window_text(hwnd)) if pid else None

    def idle_seconds(self) -> float | None:
        last = self._api.last_input_tick()
        return None if last is None else idle_milliseconds(self._api.tick_count(), last) / 1000.0

    def locked(self) -> bool | None:
        return self._api.input_desktop_locked()

    def close(self) -> None:
        pass


@functools.cache
def _dll(name: str) -> Any:
    return ctypes.WinDLL(name, use_last_error=True)  # type: ignore[attr-defined,unused-ignore]


class CtypesWin32:
    """The real ``Win32Api`` through ctypes. Only usable on Windows; never called by the tests."""

    def sessions(self) -> list[tuple[int, str, int]]:
        from ctypes import wintypes

        class SessionInfo(ctypes.Structure):
            _fields_ = [
                ("SessionId", wintypes.DWORD),
                ("pWinStationName", wintypes.LPWSTR),
                ("State", ctypes.c_int),
            ]

        wtsapi = _dll("wtsapi32")
        buffer = ctypes.POINTER(SessionInfo)()
        count = wintypes.DWORD()
        if not wtsapi.WTSEnumerateSessionsW(None, 0, 1, ctypes.byref(buffer), ctypes.byref(count)):
            return []
        try:
            return [
                (buffer[i].SessionId, buffer[i].pWinStationName or "", buffer[i].State)
                for i in range(count.value)
            ]
        finally:
            wtsapi.WTSFreeMemory(buffer)

    def session_user(self, session_id: int) -> str:
        from ctypes import wintypes

        wts_user_name = 5
        wtsapi = _dll("wtsapi32")
        text = wintypes.LPWSTR()
        size = wintypes.DWORD()
        if not wtsapi.WTSQuerySessionInformationW(
            None, session_id, wts_user_name, ctypes.byref(text), ctypes.byref(size)
        ):
            return ""
        try:
            return text.value or ""
        finally:
            wtsapi.WTSFreeMemory(text)

    def current_session_id(self) -> int:
        from ctypes import wintypes

        kernel = _dll("kernel32")
        session = wintypes.DWORD()
        kernel.ProcessIdToSessionId(kernel.GetCurrentProcessId(), ctypes.byref(session))
        return int(session.value)

    def foreground_window(self) -> int:
        from ctypes import wintypes

        get = _dll("user32").GetForegroundWindow
        get.restype = wintypes.HWND  # a handle is pointer-sized; the default c_int would truncate it
        return int(get() or 0)

    def window_pid(self, hwnd: int) -> int:
        from ctypes import wintypes

        pid = wintypes.DWORD()
        _dll("user32").GetWindowThreadProcessId(wintypes.HWND(hwnd), ctypes.byref(pid))
        return int(pid.value)

    def window_text(self, hwnd: int) -> str:
        from ctypes import wintypes

        user32 = _dll("user32")
        length = user32.GetWindowTextLengthW(wintypes.HWND(hwnd))
        buffer = ctypes.create_unicode_buffer(length + 1)
        user32.GetWindowTextW(wintypes.HWND(hwnd), buffer, length + 1)
        return buffer.value

    def top_level_windows(self) -> list[int]:
        from ctypes import wintypes

        found: list[int] = []
        callback_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)  # type: ignore[attr-defined,unused-ignore]

        def collect(hwnd: int, _param: int) -> bool:
            found.append(int(hwnd or 0))
            return True

        _dll("user32").EnumWindows(callback_type(collect), 0)
        return found

    def post_close(self, hwnd: int) -> bool:
        from ctypes import wintypes

        return bool(_dll("user32").PostMessageW(wintypes.HWND(hwnd), WM_CLOSE, 0, 0))

    def tick_count(self) -> int:
        return int(_dll("kernel32").GetTickCount()) % TICK_WRAP

    def last_input_tick(self) -> int | None:
        from ctypes import wintypes

        class LastInputInfo(ctypes.Structure):
            _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

        info = LastInputInfo(cbSize=ctypes.sizeof(LastInputInfo))
        if not _dll("user32").GetLastInputInfo(ctypes.byref(info)):
            return None
        return int(info.dwTime)

    def input_desktop_locked(self) -> bool | None:
        user32 = _dll("user32")
        user32.OpenInputDesktop.restype = ctypes.c_void_p
        desktop = user32.OpenInputDesktop(0, False, DESKTOP_READOBJECTS)
        if not desktop:
            denied = ctypes.get_last_error() == ERROR_ACCESS_DENIED  # type: ignore[attr-defined,unused-ignore]
            return True if denied else None
        try:
            name = ctypes.create_unicode_buffer(256)
            needed = ctypes.c_ulong(0)
            if not user32.GetUserObjectInformationW(
                ctypes.c_void_p(desktop), UOI_NAME, name, ctypes.sizeof(name), ctypes.byref(needed)
            ):
                return None
            return name.value.casefold() != "default"
        finally:
            user32.CloseDesktop(ctypes.c_void_p(desktop))

    def lock_workstation(self) -> bool:
        return bool(_dll("user32").LockWorkStation())

    def disconnect_session(self, session_id: int) -> bool:
        return bool(_dll("wtsapi32").WTSDisconnectSession(None, session_id, False))

    def logoff_session(self, session_id: int) -> bool:
        return bool(_dll("wtsapi32").WTSLogoffSession(None, session_id, False))

    def local_groups(self, user: str) -> list[str] | None:
        from ctypes import wintypes

        lg_include_indirect = 1
        netapi = _dll("netapi32")
        buffer = ctypes.POINTER(wintypes.LPWSTR)()  # LOCALGROUP_USERS_INFO_0 is one LPWSTR
        read = wintypes.DWORD()
        total = wintypes.DWORD()
        status = netapi.NetUserGetLocalGroups(
            None,
            user,
            0,
            lg_include_indirect,
            ctypes.byref(buffer),
            0xFFFFFFFF,
            ctypes.byref(read),
            ctypes.byref(total),
        )
        if status != 0:
            return None
        try:
            return [buffer[i] or "" for i in range(read.value)]
        finally:
            netapi.NetApiBufferFree(buffer)

    def administrators_group(self) -> str:
        from ctypes import wintypes

        advapi = _dll("advapi32")
        sid = ctypes.c_void_p()
        if not advapi.ConvertStringSidToSidW("S-1-5-32-544", ctypes.byref(sid)):
            return "Administrators"
        try:
            name = ctypes.create_unicode_buffer(256)
            domain = ctypes.create_unicode_buffer(256)
            name_size, domain_size = wintypes.DWORD(256), wintypes.DWORD(256)
            use = wintypes.DWORD()
            if not advapi.LookupAccountSidW(
                None, sid, name, ctypes.byref(name_size), domain, ctypes.byref(domain_size), ctypes.byref(use)
            ):
                return "Administrators"
            return name.value
        finally:
            _dll("kernel32").LocalFree(sid)

    def current_user(self) -> str:
        from ctypes import wintypes

        buffer = ctypes.create_unicode_buffer(257)
        size = wintypes.DWORD(257)
        return buffer.value if _dll("advapi32").GetUserNameW(buffer, ctypes.byref(size)) else ""

    def is_user_an_admin(self) -> bool:
        return bool(_dll("shell32").IsUserAnAdmin())
