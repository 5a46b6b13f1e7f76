"""How many clients the agent serves, for how long, and whom it drops first: one policy for every transport.

A child's account can open connections as fast as the kernel lets it. Without limits, ~20,000 held
connections exhaust the agent's file limit and the enforcement tick dies of ``EMFILE``. So:

* **per account** (the uid from the OS, else the user name, else "unknown"): at most
  :attr:`Limits.per_account` connections; a further one gets a ``busy`` error line and is closed;
* **in total**: at most :attr:`Limits.total` (never more than half the process's file limit); a newcomer
  from an account that holds fewer connections than the busiest account makes room by shedding that
  account's least recently active connection, so a flood from one account never locks another out;
* **idle**: a connection that is not subscribed and has sent no request for :attr:`Limits.idle_s` is closed;
* **slow**: a request line left unfinished, or output left unread, for :attr:`Limits.slow_s` is closed;
* **out of files** (``EMFILE``/``ENFILE`` on accept): the server sheds connections (idle ones first, from
  the busiest account) and, when there is nothing to shed, stops accepting for a moment — it never dies.

Repeated warnings go through :class:`RateLimitedLog`: the first is logged, the rest are counted and
summed up at most once per interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

__all__ = ["Limits", "RateLimitedLog", "account_key", "file_limit", "pick_victim"]

AccountKey = int | str


@dataclass(frozen=True)
class Limits:
    per_account: int = 32
    total: int = 512
    idle_s: float = 60.0
    slow_s: float = 15.0
    sweep_every: float = 5.0
    """How often the server looks for idle and slow connections, while there are any that could be (an
    idle server, or one whose clients are all subscribed and quiet, never wakes up for it)."""
    pause_accept_s: float = 0.5
    """How long the server stops accepting when it is out of files and has nothing to shed."""

    def effective_total(self, files: int | None = None) -> int:
        """``total``, but never more than half the process's file limit (the tick needs the rest)."""
        files = file_limit() if files is None else files
        if files is None:
            return self.total
        return max(1, min(self.total, files // 2))


def file_limit() -> int | None:
    """The process's soft limit on open files, or ``None`` where unknown or unlimited."""
    if resource is None:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    return int(soft)


class PeerLike(Protocol):
    @property
    def uid(self) -> int | None: ...
    @property
    def user(self) -> str | None: ...


def account_key(peer: PeerLike) -> AccountKey:
    """Who a connection counts against: the uid, else the user name, else one shared "unknown" bucket."""
    if peer.uid is not None:
        return peer.uid
    return f"user:{peer.user}" if peer.user else "unknown"


class Tracked(Protocol):
    """What the policy needs to know of a connection."""

    @property
    def account(self) -> AccountKey: ...
    @property
    def subscribed(self) -> bool: ...
    @property
    def last_active(self) -> float: ...


T = TypeVar("T", bound=Tracked)


def pick_victim(connections: Iterable[T], *, not_account: AccountKey | None = None) -> T | None:
    """The connection to shed to make room: from the account holding the most connections (never
    ``not_account``, the newcomer's, when it is the busiest or tied with it), unsubscribed ones first,
    then the least recently active."""
    by_account: dict[AccountKey, list[T]] = {}
    for connection in connections:
        by_account.setdefault(connection.account, []).append(connection)
    if not by_account:
        return None
    busiest = max(by_account, key=lambda key: len(by_account[key]))
    newcomer_would_be_busiest = not_account is not None and len(by_account.get(not_account, [])) + 1 >= len(
        by_account[busiest]
    )
    if newcomer_would_be_busiest:
        return None
    return min(by_account[busiest], key=lambda c: (c.subscribed, c.last_active))


class RateLimitedLog:
    """Log a repeated warning once per ``every`` seconds per key, with the count of those held back."""

    def __init__(
        self, logger: logging.Logger, every: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._log = logger
        self._every = every
        self._clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def warning(self, key: str, message: str, *args: object) -> None:
        now = self._clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self._every:
                self._held[key] = self._held.get(key, 0) + 1
                return
            held = self._held.pop(key, 0)
            self._last[key] = now
        if held:
            self._log.warning(message + " (and %d more like it in the last %.0f s)", *args, held, self._every)
        else:
            self._log.warning(message, *args)
