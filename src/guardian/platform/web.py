"""The OS seam for web protection: send each child account's DNS to its port of the agent's resolver.

Linux (verified): nftables rules in Guardian's own table (``linux_nft.NftRedirect``). Windows: the
machine's DNS pointed at loopback while a child's session is active (``windows_web.WindowsDnsRedirect``,
written and tested with the commands faked, unverified); macOS: a configuration profile
(``macos_policies``). ``guardian.platform.web_redirect()`` returns ``None`` on both (``docs/web.md`` says
why), and the agent leaves the web alone there.
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
