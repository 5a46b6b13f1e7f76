"""Linux: sessions from logind (or utmp), foreground and idle from X11, lock/logout through loginctl.

Wayland has no generic API for the app in front: ``foreground`` answers None there and the session tray
reports it instead (or the agent counts apps as "running").
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import psutil

from guardian.platform import linux_logind as logind
from guardian.platform.base import CloseRequest, Foreground, Session
from guardian.platform.linux_x11 import X11Displays, xlib_available
from guardian.platform.posix import current_user, in_any_group, signal_process

ADMIN_GROUPS = ("sudo", "wheel", "admin")


class UtmpEntry(Protocol):
    """The fields of a ``psutil.users()`` entry that sessions are built from."""

    @property
    def name(self) -> str: ...
    @property
    def terminal(self) -> str | None: ...
    @property
    def pid(self) -> object: ...


class LinuxPlatform:
    name = "linux"

    def __init__(
        self, run: logind.Runner = logind.run_loginctl, *, logind_dir: Path | None = logind.SESSIONS_DIR
    ) -> None:
        self._run = run
        self._logind_dir = logind_dir
        self._x11 = X11Displays() if xlib_available() else None

    @property
    def has_logind(self) -> bool:
        """Whether logind has sessions here (one state file each); otherwise loginctl is not run at all.

        The folder can exist without logind running (a container with systemd installed), and logind
        with no session has nothing to tell, so an empty or missing folder means "no logind".
        """
        if self._logind_dir is None:
            return True
        try:
            with os.scandir(self._logind_dir) as entries:
                return any(True for _ in entries)
        except OSError:
            return False

    def close(self) -> None:
        """Close cached X connections."""
        if self._x11 is not None:
            self._x11.close()

    def sessions(self) -> list[Session]:
        found = logind.list_sessions(self._run) if self.has_logind else None
        if found is None:
            found = utmp_sessions(psutil.users())
        if not found:
            found = own_display_session()
        return found

    def foreground(self, session: Session) -> Foreground | None:
        name = self._display_for(session)
        if name is None or self._x11 is None:
            return None
        return self._x11.foreground(name)

    def idle_seconds(self, session: Session) -> float | None:
        name = self._display_for(session)
        if name is not None and self._x11 is not None:
            seconds = self._x11.idle_seconds(name)
            if seconds is not None:
                return seconds
        if not is_logind_id(session.id) or not self.has_logind:
            return None
        return logind.idle_seconds(session.id, self._run)

    def lock(self, session: Session) -> bool:
        return logind.lock(session.id, self._run)

    def logout(self, session: Session) -> bool:
        return logind.terminate(session.id, self._run)

    def request_close(self, pid: int) -> CloseRequest:
        return signal_process(pid, signal.SIGTERM)

    def force_close(self, pid: int) -> CloseRequest:
        return signal_process(pid, signal.SIGKILL)

    def is_admin(self, user: str) -> bool | None:
        return in_any_group(user, ADMIN_GROUPS)

    def _display_for(self, session: Session) -> str | None:
        """The X display of ``session``: its own, or ``$DISPLAY`` when we run as its user inside it."""
        if session.kind not in ("x11", "unknown"):
            return None
        if session.display:
            return session.display
        env_display = os.environ.get("DISPLAY")
        if env_display and session.user == current_user():
            return env_display
        return None


def is_logind_id(session_id: str) -> bool:
    """logind ids are short tokens such as ``2`` or ``c1``; our fallback ids contain ``@`` or ``:``."""
    return bool(session_id) and "@" not in session_id and ":" not in session_id


def utmp_sessions(users: Iterable[UtmpEntry]) -> list[Session]:
    """Sessions from ``psutil.users()`` (utmp) when logind is absent: one per terminal."""
    sessions = []
    for entry in users:
        terminal = entry.terminal or ""
        graphical = terminal.startswith(":")
        sessions.append(
            Session(
                id=f"{entry.name}@{terminal or entry.pid}",
                user=entry.name,
                kind="x11" if graphical else ("tty" if terminal else "unknown"),
                display=terminal if graphical else None,
            )
        )
    return sessions


def own_display_session() -> list[Session]:
    """A session for this process's own X display (personal mode without logind or utmp), if any; its id is
    the one the tray in that session names when there is no ``XDG_SESSION_ID`` (``user@display``, as utmp's)."""
    display = os.environ.get("DISPLAY")
    if not display:
        return []
    user = current_user()
    return [Session(id=f"{user}@{display}", user=user, kind="x11", display=display)]
