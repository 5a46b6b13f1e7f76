"""macOS: console sessions, the frontmost app (pyobjc), HID idle time, pmset/osascript, NSRunningApplication.

The OS calls live in ``MacApi``; ``MacPlatform`` holds the logic and takes any object with those methods,
so it is unit-tested on every OS with a fake. ``PyObjCMac`` imports pyobjc only inside its methods, so this
module imports anywhere (pyobjc is not a dependency of Guardian on other systems).

Only the session on the console can be seen and locked: another user's session (fast user switching) is not
on screen and answers None/False.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from typing import Protocol

import psutil

from guardian.platform.base import CloseRequest, Foreground, Session
from guardian.platform.posix import current_user, in_any_group, signal_process

COMMAND_TIMEOUT_SECONDS = 5.0
LOGOUT_WITHOUT_DIALOG = 'tell application "loginwindow" to «event aevtrlgo»'


class MacApi(Protocol):
    def logged_in(self) -> list[tuple[str, str | None]]:
        """``(user, terminal)`` of each login (utmp); the GUI login has terminal ``console``."""
        ...

    def console_user(self) -> str | None:
        """The user who owns ``/dev/console``: the one whose session is on screen."""
        ...

    def current_user(self) -> str: ...
    def user_id(self, user: str) -> int | None: ...
    def frontmost(self) -> tuple[int, str] | None:
        """NSWorkspace frontmostApplication ``(pid, localized name)``."""
        ...

    def seconds_since_input(self) -> float | None:
        """CGEventSourceSecondsSinceLastEventType(HIDSystemState, any input)."""
        ...

    def screen_locked(self) -> bool | None:
        """``CGSSessionScreenIsLocked`` of CGSessionCopyCurrentDictionary (this process's GUI session)."""
        ...

    def run(self, argv: Sequence[str]) -> bool:
        """Run a command; True when it exited 0."""
        ...

    def terminate_app(self, pid: int) -> bool | None:
        """NSRunningApplication.terminate() for ``pid``; None when ``pid`` is not an application."""
        ...

    def is_member(self, user: str, group: str) -> bool | None: ...


class MacPlatform:
    name = "macos"

    def __init__(self, api: MacApi | None = None) -> None:
        self._api: MacApi = api if api is not None else PyObjCMac()

    def sessions(self) -> list[Session]:
        on_screen = self._api.console_user()
        users = sorted({user for user, terminal in self._api.logged_in() if terminal == "console"})
        return [
            Session(id=f"{user}@console", user=user, active=user == on_screen, kind="console")
            for user in users
        ]

    def foreground(self, session: Session) -> Foreground | None:
        if not self._sees(session):
            return None
        front = self._api.frontmost()
        if front is None:
            return None
        pid, title = front
        return Foreground(pid=pid, title=title)

    def idle_seconds(self, session: Session) -> float | None:
        return self._api.seconds_since_input() if self._on_screen(session) else None

    def lock(self, session: Session) -> bool:
        """Sleep the display; it locks when "require password immediately" is set (the installer sets it)."""
        return self._on_screen(session) and self._api.run(["pmset", "displaysleepnow"])

    def logout(self, session: Session) -> bool:
        if session.user == self._api.current_user():
            return self._api.run(["osascript", "-e", LOGOUT_WITHOUT_DIALOG])
        uid = self._api.user_id(session.user)
        return uid is not None and self._api.run(["launchctl", "bootout", f"gui/{uid}"])

    def request_close(self, pid: int) -> CloseRequest:
        """Ask the app to quit like Cmd-Q; a process that is not an app, or refuses, gets SIGTERM."""
        if not psutil.pid_exists(pid):
            return "gone"
        if self._api.terminate_app(pid):
            return "requested"
        return signal_process(pid, signal.SIGTERM)

    def force_close(self, pid: int) -> CloseRequest:
        return signal_process(pid, signal.SIGKILL)

    def is_admin(self, user: str) -> bool | None:
        return self._api.is_member(user, "admin")

    def _on_screen(self, session: Session) -> bool:
        return session.user == self._api.console_user()

    def _sees(self, session: Session) -> bool:
        """NSWorkspace answers for the GUI session of this process's user, and only when it is on screen."""
        return self._on_screen(session) and session.user == self._api.current_user()


class MacSessionReading:
    """What ``guardian tray`` reads in its own Aqua session: the frontmost application's pid and name,
    input idle time, and whether the screen is locked."""

    def __init__(self, api: MacApi | None = None) -> None:
        self._api: MacApi = api if api is not None else PyObjCMac()

    def session_id(self) -> str:
        """As the agent's ``sessions()`` names the GUI login."""
        return f"{self._api.current_user()}@console"

    def foreground(self) -> Foreground | None:
        front = self._api.frontmost()
        return None if front is None else Foreground(pid=front[0], title=front[1])

    def idle_seconds(self) -> float | None:
        return self._api.seconds_since_input()

    def locked(self) -> bool | None:
        return self._api.screen_locked()

    def close(self) -> None:
        pass


class PyObjCMac:
    """The real ``MacApi`` (pyobjc for AppKit and Quartz). Only usable on macOS; never called by the tests."""

    def logged_in(self) -> list[tuple[str, str | None]]:
        return [(entry.name, entry.terminal) for entry in psutil.users()]

    def console_user(self) -> str | None:
        import pwd

        try:
            return pwd.getpwuid(os.stat("/dev/console").st_uid).pw_name
        except (OSError, KeyError):
            return None

    def current_user(self) -> str:
        return current_user()

    def user_id(self, user: str) -> int | None:
        import pwd

        try:
            return pwd.getpwnam(user).pw_uid
        except KeyError:
            return None

    def frontmost(self) -> tuple[int, str] | None:
        try:
            from AppKit import NSWorkspace
            from Foundation import NSDate, NSDefaultRunLoopMode, NSRunLoop
        except ImportError:
            return None
        # frontmostApplication is fed by notifications: without a turn of the run loop it stays frozen.
        NSRunLoop.currentRunLoop().runMode_beforeDate_(NSDefaultRunLoopMode, NSDate.date())
        app = NSWorkspace.sharedWorkspace().frontmostApplication()
        if app is None:
            return None
        return int(app.processIdentifier()), str(app.localizedName() or "")

    def seconds_since_input(self) -> float | None:
        try:
            from Quartz import (
                CGEventSourceSecondsSinceLastEventType,
                kCGAnyInputEventType,
                kCGEventSourceStateHIDSystemState,
            )
        except ImportError:
            return None
        return float(
            CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateHIDSystemState, kCGAnyInputEventType)
        )

    def screen_locked(self) -> bool | None:
        try:
            from Quartz import CGSessionCopyCurrentDictionary
        except ImportError:
            return None
        info = CGSessionCopyCurrentDictionary()
        if info is None:
            return None
        return bool(info.get("CGSSessionScreenIsLocked", False))

    def run(self, argv: Sequence[str]) -> bool:
        try:
            done = subprocess.run(
                list(argv), capture_output=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    def terminate_app(self, pid: int) -> bool | None:
        try:
            from AppKit import NSRunningApplication
        except ImportError:
            return None
        app = NSRunningApplication.runningApplicationWithProcessIdentifier_(pid)
        return None if app is None else bool(app.terminate())

    def is_member(self, user: str, group: str) -> bool | None:
        return in_any_group(user, (group,))
