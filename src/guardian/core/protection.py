"""How well the agent can protect, by the way it runs: the protected service (``system``: root or SYSTEM) or
personal mode (``personal``: a normal account's own agent), and what personal mode cannot do.

One list, so ``guardian service status --personal`` and the console's dashboard say the same things (the console
words each key in its own language). The agent reports its mode and account in ``status`` (``AgentHealth``).
"""

from __future__ import annotations

SYSTEM = "system"
PERSONAL = "personal"
MODES = (SYSTEM, PERSONAL)

PERSONAL_LIMITS: tuple[tuple[str, str], ...] = (
    ("can_stop", "this account can stop it and read or change its data"),
    ("one_account", "it can close only this account's apps, not another account's (a child's own)"),
    ("no_exec_guard", "a blocked program starts and is closed a moment later (no exec guard)"),
    ("no_web_filter", "no web filter: DNS filtering, SafeSearch and browser policies need the service"),
)
"""What an agent in personal mode cannot do, as ``(key, English sentence)``."""

PERSONAL_WARNING = (
    "personal mode: "
    + "; ".join(text for _key, text in PERSONAL_LIMITS)
    + "; install the protected service (as an administrator, without --personal) to guard a child's account"
)
