"""Managed browser policies for Chrome/Chromium, Edge and Firefox: DNS-over-HTTPS off, SafeSearch and
YouTube Restricted Mode forced, the parents' blocked sites.

Written by ``guardian service install`` (:func:`write_policies`) and taken away by ``uninstall``
(:func:`remove_policies`). On Linux browsers read policies only machine-wide (``/etc/...``), so they apply to
every account on the computer, parents included: the console says so. ``root`` is ``/`` in real use and a
temporary folder in tests. Windows (registry under ``HKLM``/``HKCU\\SOFTWARE\\Policies``) and macOS
(configuration profiles) would carry the same :func:`policies` and are not built yet (``docs/web.md``).

Chrome and Edge read every ``*.json`` in their ``managed`` folder, so Guardian owns ``guardian.json`` there.
Firefox reads a single ``policies.json``: Guardian writes it only when there is none or it is the one
Guardian wrote (a SHA-256 of it is kept beside it), and never removes one a person wrote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guardian.core.model import Rules

CHROMIUM_DIRS: dict[str, str] = {
    "chrome": "etc/opt/chrome/policies/managed",
    "chromium": "etc/chromium/policies/managed",
    "edge": "etc/opt/edge/policies/managed",
}
CHROMIUM_FILE = "guardian.json"
FIREFOX_FILE = "etc/firefox/policies/policies.json"
FIREFOX_STAMP = "etc/firefox/policies/.guardian-sha256"
MAX_BLOCKLIST = 1000
"""Chrome's ``URLBlocklist`` is meant for short lists; the resolver does the heavy blocking."""
_YOUTUBE = {"off": 0, "moderate": 1, "strict": 2}


@dataclass(frozen=True)
class PolicySet:
    chromium: dict[str, Any]
    edge: dict[str, Any]
    firefox: dict[str, Any]


def blocked_sites(rules: Rules) -> list[str]:
    """Sites the parents blocked by name for any child with web protection (the lists stay in the resolver)."""
    sites = {s.lower() for c in rules.children if c.web is not None for s in c.web.block}
    return sorted(sites)[:MAX_BLOCKLIST]


def policies(rules: Rules) -> PolicySet | None:
    """The policies for ``rules``, or ``None`` when no child has web protection (then none are written).

    Machine-wide policies cannot tell children from parents, so SafeSearch and Restricted Mode take the
    strictest setting among the filtered children.
    """
    webs = [c.web for c in rules.children if c.web is not None]
    if not webs:
        return None
    safesearch = any(w.safesearch for w in webs)
    youtube = max((_YOUTUBE[w.youtube] for w in webs), default=0)
    sites = blocked_sites(rules)
    chromium: dict[str, Any] = {"DnsOverHttpsMode": "off", "BuiltInDnsClientEnabled": False}
    if safesearch:
        chromium |= {"ForceGoogleSafeSearch": True, "ForceBingSafeSearch": 2}
    if youtube:
        chromium["ForceYouTubeRestrict"] = youtube
    if sites:
        chromium["URLBlocklist"] = sites
    firefox: dict[str, Any] = {
        "DNSOverHTTPS": {"Enabled": False, "Locked": True},
    }
    if sites:
        firefox["WebsiteFilter"] = {"Block": [p for s in sites for p in (f"*://{s}/*", f"*://*.{s}/*")]}
    return PolicySet(chromium=chromium, edge=dict(chromium), firefox={"policies": firefox})


def _text(value: Mapping[str, Any]) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_policies(root: Path, rules: Rules) -> list[Path]:
    """Write (or, with no filtered child, remove) Guardian's policy files under ``root``; the files written.

    Raises ``OSError`` when a folder cannot be made or a file written.
    """
    chosen = policies(rules)
    if chosen is None:
        remove_policies(root)
        return []
    written = []
    for browser, folder in CHROMIUM_DIRS.items():
        path = root / folder / CHROMIUM_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, _text(chosen.edge if browser == "edge" else chosen.chromium))
        written.append(path)
    firefox, stamp = root / FIREFOX_FILE, root / FIREFOX_STAMP
    if not firefox.exists() or _ours(firefox, stamp):
        firefox.parent.mkdir(parents=True, exist_ok=True)
        text = _text(chosen.firefox)
        _write(firefox, text)
        _write(stamp, hashlib.sha256(text.encode()).hexdigest() + "\n")
        written.append(firefox)
    return written


def remove_policies(root: Path) -> list[Path]:
    """Remove every policy file Guardian wrote under ``root`` (never a Firefox file someone else wrote)."""
    removed = []
    for folder in CHROMIUM_DIRS.values():
        path = root / folder / CHROMIUM_FILE
        if path.is_file():
            path.unlink()
            removed.append(path)
    firefox, stamp = root / FIREFOX_FILE, root / FIREFOX_STAMP
    if firefox.is_file() and _ours(firefox, stamp):
        firefox.unlink()
        removed.append(firefox)
    stamp.unlink(missing_ok=True)
    return removed


def _ours(path: Path, stamp: Path) -> bool:
    try:
        digest = stamp.read_text(encoding="utf-8").strip()
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)  # browsers run as the users: they must read it; only root may change it
    tmp.replace(path)


def written_paths(root: Path) -> Iterable[Path]:
    """Where the policies go under ``root`` (for messages and the console)."""
    yield from (root / folder / CHROMIUM_FILE for folder in CHROMIUM_DIRS.values())
    yield root / FIREFOX_FILE
