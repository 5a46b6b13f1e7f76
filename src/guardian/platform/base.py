"""What Guardian needs from an operating system, as one protocol.

Process listing is not here: the agent reads processes through psutil on every OS. This protocol
covers what psutil cannot do: sessions, the app in front, input idle time, locking, signing out,
closing an app gracefully, and telling whether an account is an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

CloseRequest = Literal["requested", "gone", "denied"]


@dataclass(frozen=True)
class Session:
    """A login session of one OS user."""

    id: str
    user: str
    active: bool = True
    """On the console (not switched away from); locked sessions are still ``active``."""
    locked: bool | None = None
    kind: str = "unknown"
    """``x11``, ``wayland``, ``tty``, ``console``, ``rdp`` or ``unknown``."""
    display: str | None = None
    """X11 display name such as ``:0`` where known."""


@dataclass(frozen=True)
class Foreground:
    """The app in front of a session. The title is only matched against web-app patterns, never stored."""

    pid: int
    title: str = ""


class Platform(Protocol):
    name: str

    def sessions(self) -> list[Session]:
        """Login sessions on this machine."""
        ...

    def foreground(self, session: Session) -> Foreground | None:
        """The app in front of ``session``, or None when this process cannot see it."""
        ...

    def idle_seconds(self, session: Session) -> float | None:
        """Seconds since the last keyboard or mouse input in ``session``, or None when unknown."""
        ...

    def lock(self, session: Session) -> bool:
        """Lock ``session``'s screen; True when the request was made."""
        ...

    def logout(self, session: Session) -> bool:
        """Sign ``session`` out; True when the request was made."""
        ...

    def request_close(self, pid: int) -> CloseRequest:
        """Ask a process to close the way a user would (WM_CLOSE, SIGTERM, NSRunningApplication.terminate)."""
        ...

    def force_close(self, pid: int) -> CloseRequest:
        """End a process that did not close when asked (TerminateProcess, SIGKILL)."""
        ...

    def is_admin(self, user: str) -> bool | None:
        """Whether ``user`` can administer this machine (and so stop Guardian); None when unknown."""
        ...
