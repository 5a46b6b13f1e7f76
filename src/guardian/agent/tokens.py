"""Short-lived session tokens the agent hands out after a correct PIN (``auth``).

A token is bound to the OS user id that asked for it: the same string from another account is useless.
Expiry uses the clock's monotonic time, so moving the wall clock neither extends nor revokes tokens.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from guardian.core.clock import Clock

DEFAULT_TTL = 600


@dataclass(frozen=True)
class _Grant:
    role: str
    uid: int | None
    expires: float


class TokenStore:
    def __init__(self, clock: Clock, ttl: float = DEFAULT_TTL) -> None:
        self.clock = clock
        self.ttl = ttl
        self._tokens: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def issue(self, role: str, uid: int | None) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._purge()
            self._tokens[token] = _Grant(role, uid, self.clock.monotonic() + self.ttl)
        return token

    def check(self, token: str, uid: int | None) -> str | None:
        """The token's role, or ``None`` when it is unknown, expired, or was issued to another uid."""
        with self._lock:
            grant = self._tokens.get(token)
            if grant is None:
                return None
            if grant.expires <= self.clock.monotonic():
                del self._tokens[token]
                return None
            return grant.role if grant.uid == uid else None

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def _purge(self) -> None:
        now = self.clock.monotonic()
        for token in [t for t, g in self._tokens.items() if g.expires <= now]:
            del self._tokens[token]
