"""The OS seam for web protection: send each child account's DNS to its port of the agent's resolver.

Linux (verified): nftables rules in Guardian's own table (``linux_nft.NftRedirect``). Windows and macOS are
designed but not built (``docs/web.md``): on Windows the agent would point the machine's DNS at its
resolver while a child's session is active; on macOS a configuration profile would.
``guardian.platform.web_redirect()`` returns ``None`` there, and the agent leaves the web alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, order=True)
class Route:
    """One child account whose lookups go to ``port`` on loopback."""

    uid: int
    port: int


class WebRedirect(Protocol):
    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        """Replace whatever this redirect installed before with exactly ``routes`` (atomically)."""

    def verify(self) -> bool:
        """True when what ``install`` put in place is still there unchanged."""

    def remove(self) -> None:
        """Take away every rule this redirect added (and a stale copy from a killed agent)."""
