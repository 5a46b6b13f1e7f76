"""Linux: the children's DNS redirected with nftables, in a table of Guardian's own (``inet guardian``).

For each child account (``meta skuid``): DNS on UDP and TCP port 53 is redirected to the child's port of
the agent's resolver; DNS-over-TLS (port 853) is refused; HTTPS and QUIC to well-known DNS-over-HTTPS
resolvers' addresses are refused. Nothing else is touched, and only this table is ever replaced or deleted,
so the rest of the machine's firewall stays as it was. The ruleset is fed to ``nft -f -`` as one
transaction.
"""

from __future__ import annotations

import ipaddress
import logging
import subprocess

from guardian.platform.web import Route

log = logging.getLogger("guardian.web")

TABLE = "guardian"
NFT = "nft"


class NftError(RuntimeError):
    """``nft`` refused a ruleset or could not run."""


def ruleset(routes: list[Route], doh_addresses: list[str]) -> str:
    """The whole ``inet guardian`` table for ``routes``, as ``nft -f`` text (replacing any older copy)."""
    v4 = sorted({a for a in doh_addresses if ipaddress.ip_address(a).version == 4})
    v6 = sorted({a for a in doh_addresses if ipaddress.ip_address(a).version == 6})
    nat: list[str] = []
    out: list[str] = []
    for route in sorted(routes):
        uid = f"meta skuid {route.uid}"
        nat.append(f"\t\t{uid} udp dport 53 redirect to :{route.port}")
        nat.append(f"\t\t{uid} tcp dport 53 redirect to :{route.port}")
        out.append(f"\t\t{uid} tcp dport 853 reject with tcp reset")
        out.append(f"\t\t{uid} udp dport 853 reject")
        if v4:
            out.append(f"\t\t{uid} ip daddr @doh4 tcp dport 443 reject with tcp reset")
            out.append(f"\t\t{uid} ip daddr @doh4 udp dport 443 reject")
        if v6:
            out.append(f"\t\t{uid} ip6 daddr @doh6 tcp dport 443 reject with tcp reset")
            out.append(f"\t\t{uid} ip6 daddr @doh6 udp dport 443 reject")
    lines = [
        f"table inet {TABLE}",  # declare first, so the delete never fails when there is none
        f"delete table inet {TABLE}",
        f"table inet {TABLE} {{",
    ]
    if v4:
        lines += ["\tset doh4 {", "\t\ttype ipv4_addr", f"\t\telements = {{ {', '.join(v4)} }}", "\t}"]
    if v6:
        lines += ["\tset doh6 {", "\t\ttype ipv6_addr", f"\t\telements = {{ {', '.join(v6)} }}", "\t}"]
    lines += ["\tchain dns {", "\t\ttype nat hook output priority -100; policy accept;", *nat, "\t}"]
    lines += ["\tchain bypass {", "\t\ttype filter hook output priority 0; policy accept;", *out, "\t}"]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _nft(args: list[str], stdin: str | None = None) -> str:
    try:
        done = subprocess.run(
            [NFT, *args], input=stdin, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NftError(f"nft could not run: {exc}") from exc
    if done.returncode != 0:
        raise NftError(done.stderr.strip() or f"nft {' '.join(args)} failed")
    return done.stdout


class NftRedirect:
    def __init__(self) -> None:
        self.installed: str | None = None
        """``nft list table`` as read right after the last install: what ``verify`` compares with."""

    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        _nft(["-f", "-"], ruleset(routes, doh_addresses))
        self.installed = self._current()
        log.info("web rules installed for %d account(s)", len(routes))

    def verify(self) -> bool:
        return self.installed is not None and self._current() == self.installed

    def remove(self) -> None:
        _nft(["-f", "-"], f"table inet {TABLE}\ndelete table inet {TABLE}\n")
        self.installed = None
        log.info("web rules removed")

    @staticmethod
    def _current() -> str | None:
        try:
            return _nft(["list", "table", "inet", TABLE])
        except NftError:
            return None
