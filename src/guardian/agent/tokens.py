"""Short-lived session tokens the agent hands out after a correct PIN (``auth``).

A token is bound to the account that asked for it (its uid; on Windows, where a named pipe gives no uid,
its user name): the same string from another account is useless, and a caller the OS cannot name gets none.
Expiry uses the clock's monotonic time, so moving the wall clock neither extends nor revokes tokens.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from guardian.core.clock import Clock
from guardian.ipc.peer import Peer

DEFAULT_TTL = 600

Principal = int | str | None
"""Who holds a token: a uid, else a user name (Windows pipes), else None (unknown: never honoured)."""


def principal_of(peer: Peer) -> Principal:
    return peer.uid if peer.uid is not None else peer.user


@dataclass(frozen=True)
class _Grant:
    role: str
    holder: Principal
    expires: float


class TokenStore:
    def __init__(self, clock: Clock, ttl: float = DEFAULT_TTL) -> None:
        self.clock = clock
        self.ttl = ttl
        self._tokens: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def issue(self, role: str, holder: Principal) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._purge()
            self._tokens[token] = _Grant(role, holder, self.clock.monotonic() + self.ttl)
        return token

    def check(self, token: str, holder: Principal) -> str | None:
        """The token's role, or ``None`` when it is unknown, expired, or held by another (or an unknown) account."""
        with self._lock:
            grant = self._tokens.get(token)
            if grant is None:
                return None
            if grant.expires <= self.clock.monotonic():
                del self._tokens[token]
                return None
            if holder is None or grant.holder != holder:
                return None
            return grant.role

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def _purge(self) -> None:
        now = self.clock.monotonic()
        for token in [t for t, g in self._tokens.items() if g.expires <= now]:
            del self._tokens[token]
