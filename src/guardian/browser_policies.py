"""Managed browser policies for Chrome/Chromium, Edge and Firefox: DNS-over-HTTPS off, SafeSearch and
YouTube Restricted Mode forced, the parents' blocked sites.

Written by the agent of the protected service (``agent/webpolicies.py``: at start and whenever the rules
change, :func:`write_policies`) and taken away by ``guardian service uninstall`` and the package's removal
(:func:`remove_policies`). On Linux browsers read policies only machine-wide (``/etc/...``), so they apply to
every account on the computer, parents included: the console says so. ``root`` is ``/`` in real use and a
temporary folder in tests. Windows (``platform/windows_policies.py``, registry under
``HKLM\\SOFTWARE\\Policies``) and macOS (``platform/macos_policies.py``, a configuration profile) carry the same
:func:`policies`; they are tested with the OS faked only and the agent does not call them yet (``docs/web.md``).

Chrome and Edge read every ``*.json`` in their ``managed`` folder, so Guardian owns ``guardian.json`` there.
Firefox reads a single ``policies.json``: Guardian writes it only when there is none or it is the one
Guardian wrote (a SHA-256 of it is kept beside it), and never removes one a person wrote.

Every file is replaced atomically (a temporary file in the same folder, flushed, then renamed over it), and a
file that already holds the right text is not touched, so a browser never reads a half-written policy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
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
ROOT_ENV = "GUARDIAN_POLICY_ROOT"
"""A folder standing in for ``/`` where the policies go and are removed from (tests)."""
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
    """Write (or, with no filtered child, remove) Guardian's policy files under ``root``; the files changed.

    A file that already holds the right text is left as it is (and not listed). Raises ``OSError`` when a
    folder cannot be made or a file written; every file is then either its old or its new self.
    """
    chosen = policies(rules)
    if chosen is None:
        remove_policies(root)
        return []
    written = []
    for browser, folder in CHROMIUM_DIRS.items():
        path = root / folder / CHROMIUM_FILE
        if _write(path, _text(chosen.edge if browser == "edge" else chosen.chromium)):
            written.append(path)
    firefox, stamp = root / FIREFOX_FILE, root / FIREFOX_STAMP
    if not firefox.exists() or _ours(firefox, stamp):
        text = _text(chosen.firefox)
        new = hashlib.sha256(text.encode()).hexdigest()
        if _digests(stamp) != [new] or not firefox.exists():
            # both digests first: a stop between the two writes leaves a file Guardian still knows as its own
            old = [d for d in _digests(stamp) if d != new][:1]
            _write(stamp, "\n".join([new, *old]) + "\n")
            _write(firefox, text)
            _write(stamp, new + "\n")
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


def _digests(stamp: Path) -> list[str]:
    try:
        return stamp.read_text(encoding="utf-8").split()
    except OSError:
        return []


def _ours(path: Path, stamp: Path) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() in _digests(stamp)
    except OSError:
        return False


def _make_dirs(folder: Path) -> None:
    """``folder`` and its missing parents, readable by every account (whatever the agent's umask)."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
        made.chmod(0o755)


def _write(path: Path, text: str) -> bool:
    """Put ``text`` in ``path`` atomically, unless it is there already; whether the file changed."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return False
    _make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # browsers run as the users: they must read it; only root may change it
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself reaches the disk
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return True


def written_paths(root: Path) -> Iterable[Path]:
    """Where the policies go under ``root`` (for messages and the console)."""
    yield from (root / folder / CHROMIUM_FILE for folder in CHROMIUM_DIRS.values())
    yield root / FIREFOX_FILE
