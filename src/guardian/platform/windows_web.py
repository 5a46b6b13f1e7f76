"""Windows web redirect: every adapter's DNS to the agent's resolver while a child's session is active
(unverified: tested with the commands faked, never on a real Windows machine).

:meth:`WindowsDnsRedirect.install` with routes saves each adapter's name servers (``Get-DnsClientServerAddress``)
to a JSON file first, so an agent that crashed restores them at its next start (:meth:`remove`), then sets
them to ``127.0.0.1`` and ``::1`` (``Set-DnsClientServerAddress``); with no routes (a parent's session, nobody
signed in) it restores them. Windows sends lookups to port 53 only and cannot tell accounts apart, so the
routes' ports are not used: the resolver must answer on ``127.0.0.1:53`` for the active child, which the agent
does not do yet, so ``guardian.platform.web_redirect()`` does not return this redirect. DoT/DoH addresses
(``doh_addresses``) would need Windows Filtering Platform rules: not built.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from guardian.platform.web import Route

Runner = Callable[[list[str]], str]
"""Runs a command and returns its standard output; raises ``OSError``/``CalledProcessError`` on failure."""
LOOPBACK = ["127.0.0.1", "::1"]
_AF = {2: "ipv4", 23: "ipv6"}


def powershell(script: str) -> list[str]:
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script]


LIST = powershell(
    "Get-DnsClientServerAddress | Select-Object InterfaceIndex,AddressFamily,ServerAddresses | ConvertTo-Json"
)


def set_servers(index: int, servers: list[str]) -> list[str]:
    """The command giving adapter ``index`` ``servers`` (none: back to the ones DHCP hands out)."""
    if not servers:
        return powershell(f"Set-DnsClientServerAddress -InterfaceIndex {index} -ResetServerAddresses")
    return powershell(
        f"Set-DnsClientServerAddress -InterfaceIndex {index} -ServerAddresses {','.join(servers)}"
    )


def run(args: list[str]) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=30).stdout


def parse_servers(text: str) -> dict[int, dict[str, list[str]]]:
    """``Get-DnsClientServerAddress`` as JSON: per adapter index, its ``ipv4`` and ``ipv6`` servers."""
    rows = json.loads(text or "[]")
    out: dict[int, dict[str, list[str]]] = {}
    for row in rows if isinstance(rows, list) else [rows]:
        family = _AF.get(int(row.get("AddressFamily", 0)))
        if family is None:
            continue
        servers = row.get("ServerAddresses") or []
        entry = out.setdefault(int(row["InterfaceIndex"]), {"ipv4": [], "ipv6": []})
        entry[family] = [str(s) for s in (servers if isinstance(servers, list) else [servers])]
    return out


class WindowsDnsRedirect:
    """:class:`~guardian.platform.web.WebRedirect` by adapters' DNS servers; ``saved`` survives a crash."""

    def __init__(self, saved: Path, runner: Runner = run) -> None:
        self.saved = saved
        self.run = runner

    def install(self, routes: list[Route], doh_addresses: list[str]) -> None:
        if not routes:
            self.remove()
            return
        saved = self._saved()
        if saved is None:
            saved = parse_servers(self.run(LIST))
            self._save(saved)
        for index in sorted(saved):
            self.run(set_servers(index, LOOPBACK))

    def verify(self) -> bool:
        saved = self._saved()
        if saved is None:
            return True
        now = parse_servers(self.run(LIST))
        return all(sorted(s for f in now.get(i, {}).values() for s in f) == sorted(LOOPBACK) for i in saved)

    def remove(self) -> None:
        saved = self._saved()
        if saved is None:
            return
        for index, servers in sorted(saved.items()):
            self.run(set_servers(index, [s for s in servers["ipv4"] + servers["ipv6"] if s not in LOOPBACK]))
        self.saved.unlink(missing_ok=True)

    def _saved(self) -> dict[int, dict[str, list[str]]] | None:
        try:
            data = json.loads(self.saved.read_text(encoding="utf-8"))
            return {int(k): {"ipv4": list(v["ipv4"]), "ipv6": list(v["ipv6"])} for k, v in data.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # missing or unreadable: read the adapters afresh (loopback is never restored, so an adapter
            # left pointing at the agent goes back to DHCP's servers)
            return None

    def _save(self, servers: dict[int, dict[str, list[str]]]) -> None:
        self.saved.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".dns.", dir=self.saved.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({str(k): v for k, v in servers.items()}, out, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.saved)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
