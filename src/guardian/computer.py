"""This computer, as the console needs it: its accounts, who is logged in, who is an administrator, and the
programs the person at the console is running (to pick an app from).

Beside ``GuardianAPI`` (which knows only the database), so the UI asks this module and never the platform
layer or psutil itself. Every answer is best effort: a platform that cannot tell gives an empty list or None.
"""

from __future__ import annotations

import getpass
import logging
import os

log = logging.getLogger("guardian")


def password_entries() -> list[tuple[str, int, str]]:
    """``(name, uid, shell)`` of every account in the password database (POSIX; empty on Windows)."""
    if os.name != "posix":
        return []
    import pwd

    return [(p.pw_name, p.pw_uid, p.pw_shell) for p in pwd.getpwall()]


def session_users() -> list[str]:
    """Users with an open session now, as the platform sees them."""
    try:
        from guardian.platform import current

        return [session.user for session in current().sessions()]
    except Exception:  # the platform layer may be unavailable (no logind, no utmp): listing is optional
        log.debug("could not list sessions", exc_info=True)
        return []


def is_admin(user: str) -> bool | None:
    """Whether ``user`` can administer this computer; None when the platform cannot tell."""
    try:
        from guardian.platform import current

        return current().is_admin(user)
    except Exception:  # unknown is an answer too: no warning is better than a crash in the wizard
        log.debug("could not tell whether %s is an administrator", user, exc_info=True)
        return None


def my_programs() -> list[tuple[str, str]]:
    """Name and executable path of every process of the account running this, as psutil sees them."""
    import psutil

    me = getpass.getuser()
    found: list[tuple[str, str]] = []
    for proc in psutil.process_iter(["name", "exe", "username"]):
        info = proc.info
        user = (info.get("username") or "").rsplit("\\", 1)[-1]
        if user == me:
            found.append((info.get("name") or "", info.get("exe") or ""))
    return found
