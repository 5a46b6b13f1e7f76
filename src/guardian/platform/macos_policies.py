"""Managed browser policies on macOS: a configuration profile (``.mobileconfig``) (unverified).

One profile carries the same names and values as on Linux as managed preferences (payloads
``com.google.Chrome``, ``com.microsoft.Edge``, ``org.mozilla.firefox``) and a ``com.apple.dnsSettings.managed``
payload pointing at the agent's resolver. macOS installs a profile only with a person's consent (System
Settings > Privacy & Security > Profiles) or through MDM, so Guardian writes it to :data:`PROFILE` and the
install notes (``docs/web.md``) say how to install it. The DNS settings payload speaks only encrypted DNS
(DNS over TLS here); the agent's resolver answers plain DNS, so that payload takes effect only once the
resolver also serves DNS over TLS (not built). Not run on a real Mac.
"""

from __future__ import annotations

import plistlib
import uuid
from pathlib import Path
from typing import Any

from guardian.browser_policies import _write, policies
from guardian.core.model import Rules

PROFILE = "Library/Application Support/Guardian/guardian-web.mobileconfig"
"""Where the profile goes, under ``/`` in real use (a temporary folder in tests)."""
IDENTIFIER = "org.guardian.web"
_NAMESPACE = uuid.UUID("6f1d2b0e-4c55-4b8e-9a57-9d1c3c1f0a11")


def _payload(kind: str, name: str, content: dict[str, Any]) -> dict[str, Any]:
    ident = f"{IDENTIFIER}.{name}"
    return {
        "PayloadType": kind,
        "PayloadIdentifier": ident,
        "PayloadUUID": str(uuid.uuid5(_NAMESPACE, ident)).upper(),
        "PayloadVersion": 1,
        **content,
    }


def profile(rules: Rules, resolver: str = "127.0.0.1") -> bytes | None:
    """The profile for ``rules`` as XML plist bytes, or ``None`` when no child has web protection."""
    chosen = policies(rules)
    if chosen is None:
        return None
    dns = {"DNSProtocol": "TLS", "ServerAddresses": [resolver], "ServerName": "localhost"}
    content = [
        _payload("com.google.Chrome", "chrome", chosen.chromium),
        _payload("com.microsoft.Edge", "edge", chosen.edge),
        _payload(
            "org.mozilla.firefox",
            "firefox",
            {"EnterprisePoliciesEnabled": True, **chosen.firefox["policies"]},
        ),
        _payload("com.apple.dnsSettings.managed", "dns", {"DNSSettings": dns}),
    ]
    top = _payload("Configuration", "profile", {"PayloadContent": content, "PayloadScope": "System"})
    top["PayloadIdentifier"] = IDENTIFIER
    top["PayloadDisplayName"] = "Guardian"
    return plistlib.dumps(top, fmt=plistlib.FMT_XML, sort_keys=True)


def write_profile(root: Path, rules: Rules, resolver: str = "127.0.0.1") -> bool:
    """Write (or, with no filtered child, remove) the profile under ``root``; whether the file changed."""
    data = profile(rules, resolver)
    path = root / PROFILE
    if data is None:
        return remove_profile(root)
    return _write(path, data.decode("utf-8"))


def remove_profile(root: Path) -> bool:
    """Remove the profile file Guardian wrote (an installed profile is removed in System Settings)."""
    path = root / PROFILE
    if not path.is_file():
        return False
    path.unlink()
    return True
