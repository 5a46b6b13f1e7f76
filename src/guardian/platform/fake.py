"""A scriptable platform for tests: set what the OS would report, read back what Guardian asked for."""

from __future__ import annotations

import signal
from dataclasses import dataclass, field

from guardian.platform.base import CloseRequest, Foreground, Session
from guardian.platform.posix import signal_process


@dataclass(frozen=True)
class Call:
    """One action Guardian asked the platform for: ``("lock", "s1")``, ``("force_close", 4242)``."""

    action: str
    target: str | int


@dataclass
class FakePlatform:
    """Every field is plain data a test may set at any time.

    ``foregrounds`` and ``idle`` are keyed by session id. With ``real_signals`` the close calls really send
    SIGTERM/SIGKILL (for end-to-end tests with child processes); otherwise they only record and answer
    ``close_result``.
    """

    name: str = "fake"
    session_list: list[Session] = field(default_factory=list)
    foregrounds: dict[str, Foreground] = field(default_factory=dict)
    idle: dict[str, float] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    real_signals: bool = False
    close_result: CloseRequest = "requested"
    lock_ok: bool = True
    logout_ok: bool = True
    calls: list[Call] = field(default_factory=list)

    def set_foreground(self, session_id: str, pid: int, title: str = "") -> None:
        self.foregrounds[session_id] = Foreground(pid, title)

    def clear_foreground(self, session_id: str) -> None:
        self.foregrounds.pop(session_id, None)

    def actions(self, action: str) -> list[str | int]:
        """Targets of every recorded call of one kind, in order."""
        return [call.target for call in self.calls if call.action == action]

    def sessions(self) -> list[Session]:
        return list(self.session_list)

    def foreground(self, session: Session) -> Foreground | None:
        return self.foregrounds.get(session.id)

    def idle_seconds(self, session: Session) -> float | None:
        return self.idle.get(session.id)

    def lock(self, session: Session) -> bool:
        self.calls.append(Call("lock", session.id))
        return self.lock_ok

    def logout(self, session: Session) -> bool:
        self.calls.append(Call("logout", session.id))
        return self.logout_ok

    def request_close(self, pid: int) -> CloseRequest:
        self.calls.append(Call("request_close", pid))
        return signal_process(pid, signal.SIGTERM) if self.real_signals else self.close_result

    def force_close(self, pid: int) -> CloseRequest:
        self.calls.append(Call("force_close", pid))
        return signal_process(pid, signal.SIGKILL) if self.real_signals else self.close_result

    def is_admin(self, user: str) -> bool | None:
        return user in self.admins
